"""The monthly summaries the programme dashboard reads stay right after every kind of write."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext

from metrics.businesses.services import tracked_kpis_choose
from metrics.dashboard.build import build_dashboard, month_verdicts
from metrics.dashboard.cards import TargetInput
from metrics.demo import DEMO_KPIS, demo_figures
from metrics.engine import Comparison, Engine, MonthlyFigures, PeriodKind, Verdict, period_of
from metrics.engine import Target as TargetRule
from metrics.models.business import CustomKpi, business_write
from metrics.models.entries import Entry
from metrics.models.goals import Target
from metrics.models.summaries import BusinessMonth, LoggedMonths
from metrics.months.services import entries_import, entries_save_month
from tests.base import BaseTestCase
from tests.metrics.factories import make_business, track

JAN, FEB, MAR, APR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)


class SummaryUpkeepTests(BaseTestCase):
    """Alice tracks revenue (at least €1,000 from January to April) and its growth (at least
    10 % in every month of 2026)."""

    def setUp(self) -> None:
        self.business = make_business(self.alice)
        track(self.business, "revenue", "revenue_growth")
        self.revenue = Target.objects.create(
            business=self.business,
            kpi="revenue",
            value=Decimal(1000),
            first_month=JAN,
            deadline=APR,
        )
        Target.objects.create(
            business=self.business,
            kpi="revenue_growth",
            value=Decimal(10),
            first_month=JAN,
            deadline=date(2026, 12, 1),
        )

    def save(self, month: date, revenue: int | None) -> None:
        value = None if revenue is None else Decimal(revenue)
        entries_save_month(
            business=self.business, month=month, values={"revenue": value}, user=self.alice
        )

    def rows(self) -> dict[date, tuple[Decimal | None, int, int, int]]:
        # The short form always agrees with the rows.
        months = sorted(
            BusinessMonth.objects.filter(business=self.business).values_list("month", flat=True)
        )
        logged = LoggedMonths.objects.filter(business=self.business).first()
        short = None if logged is None else (logged.first, logged.last, logged.count)
        self.assertEqual(short, (months[0], months[-1], len(months)) if months else None)
        return {
            row.month: (row.revenue, row.on_track, row.close, row.behind)
            for row in BusinessMonth.objects.filter(business=self.business)
        }

    def test_a_saved_month_is_summarised_with_the_months_after_it(self) -> None:
        self.save(JAN, 1000)
        # January: revenue 1,000 ≥ 1,000 on track; growth has no previous month: no data.
        self.assertEqual(self.rows(), {JAN: (Decimal(1000), 1, 0, 0)})
        self.save(FEB, 1050)
        # February: 1,050 on track; growth (1,050 − 1,000) ÷ 1,000 = 5 % < 10 %, and
        # 10 − 5 = 5 is more than the 10 % tolerance of 10 (1): behind.
        self.assertEqual(self.rows()[FEB], (Decimal(1050), 1, 0, 1))
        self.save(JAN, 900)
        # A lower January: 900 is close to 1,000 (within 100), and February's growth becomes
        # (1,050 − 900) ÷ 900 = 16.7 % ≥ 10 %: on track, though February was not written.
        self.assertEqual(self.rows(), {JAN: (Decimal(900), 0, 1, 0), FEB: (Decimal(1050), 2, 0, 0)})

    def test_a_deleted_entry_takes_its_month_away(self) -> None:
        self.save(JAN, 1000)
        self.save(FEB, 1200)
        self.save(JAN, None)
        # February alone: 1,200 on track; growth has no January to compare with: no data.
        self.assertEqual(self.rows(), {FEB: (Decimal(1200), 1, 0, 0)})
        self.save(FEB, None)
        self.assertEqual(self.rows(), {})

    def test_a_changed_target_judges_its_months_again(self) -> None:
        self.save(JAN, 1000)
        self.save(MAR, 1000)
        self.revenue.value = Decimal(2000)
        self.revenue.save()
        # 1,000 is far below 2,000: behind in both months.
        self.assertEqual(
            self.rows(), {JAN: (Decimal(1000), 0, 0, 1), MAR: (Decimal(1000), 0, 0, 1)}
        )
        # The target now spans February to April only: January leaves it, and has no verdict.
        self.revenue.first_month = FEB
        self.revenue.save()
        self.assertEqual(
            self.rows(), {JAN: (Decimal(1000), 0, 0, 0), MAR: (Decimal(1000), 0, 0, 1)}
        )
        self.revenue.delete()
        self.assertEqual(
            self.rows(), {JAN: (Decimal(1000), 0, 0, 0), MAR: (Decimal(1000), 0, 0, 0)}
        )

    def test_a_kpi_no_longer_followed_is_no_longer_counted(self) -> None:
        self.save(JAN, 1000)
        self.save(FEB, 1200)
        # February: revenue on track, growth 20 % on track.
        self.assertEqual(self.rows()[FEB], (Decimal(1200), 2, 0, 0))
        tracked_kpis_choose(business=self.business, chosen=[("revenue_growth", "")])
        self.assertEqual(
            self.rows(), {JAN: (Decimal(1000), 0, 0, 0), FEB: (Decimal(1200), 1, 0, 0)}
        )

    def test_a_kpi_of_its_own_counts_once_it_is_followed(self) -> None:
        self.save(JAN, 1000)
        kpi = CustomKpi.objects.create(
            business=self.business, code="double_revenue", name="Double", formula="revenue * 2"
        )
        track(self.business, "double_revenue")  # a bulk write: no signal
        Target.objects.create(
            business=self.business, kpi=kpi.code, value=Decimal(1500), first_month=JAN, deadline=JAN
        )
        # 2 × 1,000 = 2,000 ≥ 1,500: on track, with revenue itself.
        self.assertEqual(self.rows(), {JAN: (Decimal(1000), 2, 0, 0)})
        kpi.formula = "revenue / 2"
        kpi.save()
        # 500 against 1,500: behind.
        self.assertEqual(self.rows(), {JAN: (Decimal(1000), 1, 0, 1)})

    def test_an_import_summarises_once_and_a_failed_write_leaves_them_as_they_were(self) -> None:
        figures = MonthlyFigures({JAN: {"revenue": 1000}, FEB: {"revenue": 1100}})
        with CaptureQueriesContext(connection) as queries:
            entries_import(business=self.business, figures=figures, user=self.alice)
        writes = [q for q in queries if q["sql"].startswith('INSERT INTO "metrics_businessmonth"')]
        self.assertEqual(len(writes), 1)  # two months, summarised once at the end
        before = self.rows()
        self.assertEqual(before, {JAN: (Decimal(1000), 1, 0, 0), FEB: (Decimal(1100), 2, 0, 0)})
        with self.assertRaises(RuntimeError), business_write(self.business):
            Entry.objects.filter(business=self.business, month=FEB).delete()
            raise RuntimeError
        self.assertEqual(self.rows(), before)
        # Nothing of the failed write is left to redo in the next one.
        self.save(MAR, 1000)
        self.assertEqual(set(self.rows()), {JAN, FEB, MAR})

    def test_the_rebuild_command_writes_what_upkeep_kept(self) -> None:
        self.save(JAN, 1000)
        self.save(FEB, 950)
        kept = self.rows()
        BusinessMonth.objects.all().delete()
        out = StringIO()
        call_command("rebuild_summaries", stdout=out)
        self.assertEqual(out.getvalue().strip(), "2 month summaries written.")
        self.assertEqual(self.rows(), kept)


class MonthVerdictsTests(SimpleTestCase):
    def test_each_month_counts_what_its_dashboard_shows(self) -> None:
        """The summaries judge every month as the month's own dashboard judges its cards."""
        last = date(2026, 10, 1)
        figures = MonthlyFigures(demo_figures(last))
        codes = [code for code, _why in DEMO_KPIS]
        rules = [
            TargetRule("revenue", Comparison.AT_LEAST, Decimal(4000), date(2026, 1, 1),
                       date(2027, 6, 1), baseline=Decimal(2600)),
            TargetRule("csat", Comparison.AT_LEAST, Decimal(80), date(2025, 1, 1),
                       date(2026, 3, 1)),
            TargetRule("churn_rate", Comparison.AT_MOST, Decimal(8), date(2025, 6, 1),
                       date(2026, 12, 1)),
            TargetRule("churn_rate", Comparison.AT_MOST, Decimal(5), date(2026, 2, 1),
                       date(2026, 4, 1)),
        ]  # fmt: skip
        targets = [TargetInput(rule, "") for rule in rules]
        engine = Engine.catalogue()
        counts = month_verdicts(
            engine=engine, figures=figures, codes=codes, targets=targets, months=list(figures)
        )
        judged = 0
        for month in figures:
            board = build_dashboard(
                engine=engine,
                figures=figures,
                codes=codes,
                targets=targets,
                period=period_of(month, PeriodKind.MONTH),
                currency="EUR",
                charts=False,
            )
            expected = dict.fromkeys(Verdict, 0)
            for card in board.cards:
                if card.verdict is not None:
                    expected[card.verdict] += 1
            self.assertEqual(counts[month], expected, month)
            judged += sum(expected.values())
        self.assertGreater(judged, 24)  # most months have several verdicts to compare
