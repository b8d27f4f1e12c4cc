"""The dashboard page: access, values checked by hand, the period picker, and query counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from metrics.dashboard import cache as board_cache
from metrics.dashboard.build import build_dashboard
from metrics.dashboard.cards import TargetInput
from metrics.dashboard.funnel import funnel
from metrics.dashboard.picker import period_picker, readable_period, review_quarter
from metrics.dashboard.text import change
from metrics.engine import (
    KPIS,
    Comparison,
    Direction,
    Engine,
    MonthlyFigures,
    PeriodKind,
    Unit,
    Verdict,
    period_of,
)
from metrics.engine import Target as TargetRule
from metrics.formatting import format_money, format_number, format_percent, format_value, numbers
from metrics.models.business import CustomFigure, CustomKpi, TrackedKpi
from metrics.models.entries import Entry
from metrics.models.goals import Goal, Target
from tests.base import BaseTestCase, page_text
from tests.metrics.engine.factories import SHOP_MONTH
from tests.metrics.factories import add_entries, make_business, make_mentor, track

JAN, FEB, MAR = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)


def _figures(rows: dict[date, dict[str, int | str]]) -> MonthlyFigures:
    return MonthlyFigures(
        {
            month: {code: Decimal(str(value)) for code, value in row.items()}
            for month, row in rows.items()
        }
    )


def _entries(business, rows: dict[date, dict[str, int | str]]) -> None:
    Entry.objects.bulk_create(
        Entry(business=business, figure=code, month=month, value=Decimal(str(value)))
        for month, row in rows.items()
        for code, value in row.items()
    )


SMALL = {
    JAN: {"revenue": 1000, "visitors": 40, "orders": 2},
    FEB: {"revenue": 1200, "visitors": 50, "orders": 5},
}


class DashboardAccessTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice)
        track(cls.business, "revenue", "conversion_rate")
        _entries(cls.business, SMALL)
        cls.url = reverse("metrics:dashboard", args=[cls.business.pk])

    def test_it_shows_the_owner_hand_computed_values(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url, {"period": "2025-02"})
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("€1,200.00", html)
        self.assertIn("Up €200.00 (+20.0%) compared with January 2025: better.", html)
        self.assertIn("10.0%", html)  # 5 orders from 50 visitors
        self.assertIn("Up 5.0 percentage points compared with January 2025: better.", html)
        self.assertIn("No value for February 2024 to compare with.", html)
        self.assertIn(reverse("guidance:kpi", args=["revenue"]), html)
        self.assertIn("vendor/plotly/plotly-basic.min.js", html)
        self.assertIn('id="chart-revenue" type="application/json"', html)
        self.assertIn("<caption>Revenue: the numbers of the chart</caption>", html)

    def test_it_defaults_to_the_latest_month_with_data(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "Dashboard for February 2025")
        self.assertContains(response, 'href="?period=2025-01" rel="prev"')

    def test_it_formats_for_a_french_reader(self) -> None:
        _entries(self.business, {MAR: {"revenue": "1234.50", "visitors": 8, "orders": 1}})
        self.alice.language = "fr"
        self.alice.save()
        self.client.force_login(self.alice)
        response = self.client.get(self.url, {"period": "2025-03"})
        html = response.content.decode()
        self.assertIn('<html lang="fr"', html)
        self.assertIn("1\u00a0234,50\u00a0€", html)
        self.assertIn("12,5\u00a0%", html)  # 1 order from 8 visitors
        self.assertIn("mars 2025", html.lower())
        self.assertIn('"separators": ",\\u00a0"', html)

    def test_it_lets_an_active_mentor_read(self) -> None:
        make_mentor(self.business, self.bob)
        self.client.force_login(self.bob)
        response = self.client.get(self.url, {"period": "2025-02"})
        self.assertContains(response, "€1,200.00")
        self.assertContains(response, "Read only")
        self.assertNotContains(response, "Set a target")

    def test_it_refuses_a_mentors_post(self) -> None:
        make_mentor(self.business, self.bob)
        self.client.force_login(self.bob)
        self.assertEqual(self.client.post(self.url).status_code, 403)

    def test_it_hides_the_business_from_a_revoked_mentor(self) -> None:
        make_mentor(self.business, self.bob, revoked=True)
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_it_hides_the_business_from_a_stranger(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_it_sends_an_anonymous_visitor_to_log_in(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("accounts:login")))

    def test_it_falls_back_on_a_period_it_cannot_read(self) -> None:
        self.client.force_login(self.alice)
        for text in ("garbage", "2025-13", "2025-Q5", "9999", "0001-01", "2025-02" * 40, "%00"):
            response = self.client.get(self.url, {"period": text})
            self.assertEqual(response.status_code, 200, text)
            self.assertContains(response, "Dashboard for February 2025")
            self.assertContains(response, "is not a period we can read")

    def test_it_shows_quarters_and_years(self) -> None:
        self.client.force_login(self.alice)
        quarter = self.client.get(self.url, {"period": "2025-Q1"})
        self.assertContains(quarter, "Dashboard for Q1 2025")
        # Changed on purpose (issue 12): it said "Incomplete: Revenue has 2 of 3 months".
        # Revenue so far 1000 + 1200; conversion (2 + 5) / (40 + 50) * 100 = 7.77…
        self.assertContains(quarter, "€2,200.00")
        self.assertContains(quarter, "7.8%")
        self.assertContains(quarter, "So far: 2 of 3 months")
        self.assertNotContains(quarter, "Incomplete")
        year = self.client.get(self.url, {"period": "2025"})
        self.assertContains(year, "Dashboard for 2025")

    def test_a_far_away_period_shows_no_data_without_error(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url, {"period": "1990-01"})
        self.assertContains(response, "Dashboard for January 1990")
        self.assertContains(response, "Missing figure: Revenue for January 1990")

    def test_it_invites_to_choose_kpis_and_log_figures(self) -> None:
        empty = make_business(self.alice, name="Empty")
        self.client.force_login(self.alice)
        response = self.client.get(reverse("metrics:dashboard", args=[empty.pk]))
        self.assertContains(response, "You do not follow any KPIs yet.")
        self.assertContains(response, "No figures are logged yet")
        self.assertContains(response, reverse("metrics:kpis", args=[empty.pk]))


class DashboardTargetTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice)
        track(cls.business, "revenue")
        _entries(
            cls.business,
            {date(2025, m, 1): {"revenue": 1000 + 100 * m} for m in range(1, 7)},
        )
        goal = Goal.objects.create(
            business=cls.business, title="Pay myself", deadline=date(2025, 12, 1)
        )
        Target.objects.create(
            business=cls.business,
            kpi="revenue",
            goal=goal,
            comparison="at_least",
            value=Decimal(3000),
            first_month=date(2025, 1, 1),
            deadline=date(2025, 12, 1),
        )
        cls.url = reverse("metrics:dashboard", args=[cls.business.pk])

    def test_a_behind_verdict_links_to_what_to_try(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url, {"period": "2025-06"})
        html = response.content.decode()
        self.assertIn('class="verdict verdict-behind"', html)
        self.assertIn("Behind", html)
        self.assertIn(reverse("guidance:kpi", args=["revenue"]) + "#what-to-try", html)
        self.assertIn("Goal: Pay myself.", html)
        self.assertIn("Expected for June 2025: €3,000.00", html)
        # 1,100 … 1,600: +100 a month, so 3,000 is out of reach by December (2,200).
        self.assertIn("At this pace you will not reach €3,000.00 by December 2025", html)
        self.assertIn("about €2,200.00 then", html)


class DashboardQueryCountTests(BaseTestCase):
    """Whatever the months or KPIs, the dashboard makes the same number of queries."""

    # session, user, business, tracked KPIs, the first and last months logged (which also
    # answers the reminder's check), the window of entries, targets, whether it is in a
    # programme (the cards' link to similar businesses), the cards' comments
    QUERIES = 9
    # With the cards kept from an earlier visit: session, user, business, the cards' comments
    KEPT_QUERIES = 4

    def _business(self, months: int, kpis: int):
        business = make_business(self.alice, name=f"{months} × {kpis}")
        add_entries(business, date(2023, 1, 1), months, SHOP_MONTH)
        codes = list(KPIS)[:kpis]
        track(business, *codes)
        for code in codes[:2]:
            Target.objects.create(
                business=business,
                kpi=code,
                value=Decimal(10),
                first_month=date(2023, 1, 1),
                deadline=date(2026, 12, 1),
            )
        return business

    def _count(self, business) -> None:
        self.client.force_login(self.alice)
        url = reverse("metrics:dashboard", args=[business.pk])
        self.client.get(url)  # warm caches (session, translations, the cards)
        with self.assertNumQueries(self.KEPT_QUERIES):
            kept = self.client.get(url)
        board_cache.clear()
        with self.assertNumQueries(self.QUERIES):
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(page_text(kept), page_text(response))

    def test_one_month(self) -> None:
        self._count(self._business(1, 3))

    def test_thirty_six_months(self) -> None:
        self._count(self._business(36, 3))

    def test_three_kpis(self) -> None:
        self._count(self._business(12, 3))

    def test_fifteen_kpis(self) -> None:
        self._count(self._business(12, 15))

    def test_a_custom_kpi_adds_its_definitions_and_no_more(self) -> None:
        for kpis in (3, 15):
            business = self._business(36, kpis)
            CustomFigure.objects.create(business=business, code="revenue_catering", name="C")
            CustomKpi.objects.create(
                business=business,
                code="catering_share",
                name="Catering share",
                formula="revenue_catering / revenue * 100",
                unit="percent",
            )
            track(business, "catering_share")
            TrackedKpi.objects.filter(business=business, kpi="catering_share").update(position=99)
            Entry.objects.create(
                business=business, figure="revenue_catering", month=date(2025, 12, 1), value=500
            )
            self.client.force_login(self.alice)
            url = reverse("metrics:dashboard", args=[business.pk])
            with self.assertNumQueries(self.QUERIES + 2):  # custom figures, custom KPIs
                response = self.client.get(url, {"period": "2025-12"})
            self.assertContains(response, "Catering share")
            self.assertContains(response, "25.0%")  # 500 of 2,000

    def test_fifteen_kpis_over_thirty_six_months_with_a_quarter(self) -> None:
        business = self._business(36, 15)
        self.client.force_login(self.alice)
        url = reverse("metrics:dashboard", args=[business.pk])
        with self.assertNumQueries(self.QUERIES):
            self.client.get(url, {"period": "2024-Q3"})
        with self.assertNumQueries(self.KEPT_QUERIES):
            self.client.get(url, {"period": "2024-Q3"})


class AssemblyTests(BaseTestCase):
    """The pure assembly, on plain data."""

    def setUp(self) -> None:
        self.engine = Engine.catalogue()

    def test_cards_follow_the_order_given_and_skip_unknown_codes(self) -> None:
        board = build_dashboard(
            engine=self.engine,
            figures=_figures(SMALL),
            codes=["conversion_rate", "gone_kpi", "revenue", "revenue"],
            targets=[],
            period=period_of(FEB, PeriodKind.MONTH),
            currency="EUR",
        )
        self.assertEqual([card.code for card in board.cards], ["conversion_rate", "revenue"])
        conversion, revenue = board.cards
        self.assertEqual(conversion.value, Decimal(10))
        self.assertEqual(conversion.value_text, "10.0%")
        self.assertEqual(revenue.changes[0].arrow, "↑")
        self.assertEqual(revenue.changes[0].tone, "better")
        self.assertEqual(revenue.changes[1].tone, "none")
        self.assertEqual(board.counts, (("none", "–", "No target", 2),))

    def test_na_has_its_reason_in_plain_words(self) -> None:
        board = build_dashboard(
            engine=self.engine,
            figures=_figures({FEB: {"revenue": 10, "visitors": 0, "orders": 0}}),
            codes=["conversion_rate", "churn_rate"],
            targets=[],
            period=period_of(FEB, PeriodKind.MONTH),
            currency="EUR",
        )
        conversion, churn = board.cards
        self.assertEqual(conversion.value_text, "n/a")
        self.assertEqual(conversion.reason, "Cannot divide by zero: visitors is 0")
        self.assertEqual(churn.reason, "Missing figure: Customers lost for February 2025")

    def test_verdicts_use_the_kpis_period_total(self) -> None:
        rule = TargetRule(
            kpi="revenue",
            comparison=Comparison.AT_LEAST,
            value=Decimal(1000),
            first_month=JAN,
            deadline=date(2025, 12, 1),
        )
        rows = {JAN: {"revenue": 1000}, FEB: {"revenue": 950}, MAR: {"revenue": 800}}
        quarter = build_dashboard(
            engine=self.engine,
            figures=_figures(rows),
            codes=["revenue"],
            targets=[TargetInput(rule, "Goal")],
            period=period_of(JAN, PeriodKind.QUARTER),
            currency="EUR",
        )
        card = quarter.cards[0]
        # 2,750 against 3 × 1,000 expected: 8.3 % short, within the 10 % tolerance.
        self.assertEqual(card.target.expected, Decimal(3000))
        self.assertIs(card.verdict, Verdict.CLOSE)
        self.assertEqual(card.target.goal, "Goal")
        march = build_dashboard(
            engine=self.engine,
            figures=_figures(rows),
            codes=["revenue"],
            targets=[TargetInput(rule)],
            period=period_of(MAR, PeriodKind.MONTH),
            currency="EUR",
        )
        self.assertIs(march.cards[0].verdict, Verdict.BEHIND)
        self.assertIn(
            "will not reach €1,000.00 by December 2025", march.cards[0].target.projection_text
        )

    def test_projection_sentences(self) -> None:
        rising = {date(2025, m, 1): {"revenue": 1000 + 500 * m} for m in range(1, 5)}
        rule = TargetRule(
            kpi="revenue",
            comparison=Comparison.AT_LEAST,
            value=Decimal(4000),
            first_month=JAN,
            deadline=date(2025, 12, 1),
        )
        board = build_dashboard(
            engine=self.engine,
            figures=_figures(rising),
            codes=["revenue"],
            targets=[TargetInput(rule)],
            period=period_of(date(2025, 4, 1), PeriodKind.MONTH),
            currency="EUR",
        )
        # 1,500 … 3,000, +500 a month: 4,000 in June.
        self.assertEqual(
            board.cards[0].target.projection_text, "At this pace you reach €4,000.00 in June 2025."
        )
        short = build_dashboard(
            engine=self.engine,
            figures=_figures({JAN: {"revenue": 1}, FEB: {"revenue": 2}}),
            codes=["revenue"],
            targets=[TargetInput(rule)],
            period=period_of(FEB, PeriodKind.MONTH),
            currency="EUR",
        )
        self.assertIn("At least 3 months", short.cards[0].target.projection_text)
        churn = TargetRule(
            kpi="churn_rate",
            comparison=Comparison.AT_MOST,
            value=Decimal(8),
            first_month=JAN,
            deadline=date(2025, 12, 1),
        )
        rows = {
            date(2025, m, 1): {"customers_lost": 20 - 3 * m, "customers_start": 100}
            for m in range(1, 5)
        }
        falling = build_dashboard(
            engine=self.engine,
            figures=_figures(rows),
            codes=["churn_rate"],
            targets=[TargetInput(churn)],
            period=period_of(date(2025, 4, 1), PeriodKind.MONTH),
            currency="EUR",
        )
        # 17, 14, 11, 8 %: already at 8 % in April.
        self.assertEqual(
            falling.cards[0].target.projection_text,
            "At this pace you keep to 8.0% until December 2025.",
        )

    def test_the_funnel_skips_missing_steps_and_says_so(self) -> None:
        figures = _figures(
            {FEB: {"visitors": 500, "new_customers": 10, "customers_end": 70, "referrals": 2}}
        )
        result = funnel(figures, period_of(FEB, PeriodKind.MONTH))
        self.assertEqual(
            [(step.code, step.value) for step in result.steps],
            [
                ("visitors", Decimal(500)),
                ("new_customers", Decimal(10)),
                ("returning_customers", Decimal(60)),
                ("referrals", Decimal(2)),
            ],
        )
        self.assertEqual(result.missing, ("Leads",))
        self.assertEqual(result.steps[1].share_text, "2.0%")
        self.assertEqual(result.chart["data"][0]["x"], [500.0, 10.0, 60.0, 2.0])
        self.assertEqual(result.table.rows[2].cells, ("60", "600.0%"))
        empty = funnel(_figures({}), period_of(FEB, PeriodKind.MONTH))
        self.assertEqual(empty.steps, ())
        self.assertIsNone(empty.chart)
        self.assertEqual(len(empty.missing), 5)

    def test_values_are_formatted_by_unit(self) -> None:
        self.assertEqual(format_value(Decimal("1234.5"), Unit.MONEY, "GBP"), "£1,234.50")
        self.assertEqual(format_value(Decimal("12.345"), Unit.PERCENT, "EUR"), "12.3%")
        self.assertEqual(format_value(Decimal("3.456"), Unit.RATIO, "EUR"), "3.46")
        self.assertEqual(format_value(Decimal("1500"), Unit.COUNT, "EUR"), "1,500")
        self.assertEqual(format_value(Decimal("12.25"), Unit.COUNT, "EUR"), "12.3")
        self.assertEqual(format_value(Decimal("1"), Unit.DAYS, "EUR"), "1 day")
        self.assertEqual(format_value(Decimal("1.5"), Unit.MONTHS, "EUR"), "1.5 months")
        with translation.override("nl"):
            self.assertEqual(format_value(Decimal("1234.5"), Unit.MONEY, "EUR"), "€\u00a01.234,50")

    def test_numbers_match_the_shared_formatting_in_every_language(self) -> None:
        values = [
            Decimal(text)
            for text in ("0", "-0.004", "0.005", "1", "-1", "1234.5", "-1234.565", "999999.995")
        ]
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for currency in ("EUR", "GBP"):
                    fast = numbers(currency)
                    for value in values:
                        for places in (0, 1, 2):
                            self.assertEqual(
                                fast.number(value, places), format_number(value, places)
                            )
                        self.assertEqual(fast.money(value), format_money(value, currency))
                        self.assertEqual(fast.percent(value), format_percent(value))

    def test_changes_say_better_or_worse_by_direction(self) -> None:
        previous = period_of(JAN, PeriodKind.MONTH)
        down = change(
            Decimal(5),
            Decimal(8),
            against=previous,
            unit=Unit.PERCENT,
            direction=Direction.DOWN,
            currency="EUR",
        )
        self.assertEqual(
            (down.arrow, down.tone, down.text),
            ("↓", "better", "Down 3.0 percentage points compared with January 2025: better."),
        )
        same = change(
            Decimal(5),
            Decimal(5),
            against=previous,
            unit=Unit.COUNT,
            direction=Direction.UP,
            currency="EUR",
        )
        self.assertEqual(same.text, "The same as in January 2025.")
        from_zero = change(
            Decimal(5),
            Decimal(0),
            against=previous,
            unit=Unit.COUNT,
            direction=Direction.UP,
            currency="EUR",
        )
        self.assertEqual(from_zero.text, "Up 5 compared with January 2025: better.")


class PickerTests(BaseTestCase):
    def test_readable_period_reads_labels_with_the_financial_year(self) -> None:
        period = readable_period("2025-Q1", fy_start=4)
        self.assertEqual((period.start, period.kind), (date(2025, 4, 1), "quarter"))
        self.assertEqual(readable_period("2025-03", fy_start=4).start, date(2025, 3, 1))
        self.assertIsNone(readable_period("nonsense", fy_start=1))
        self.assertIsNone(readable_period("", fy_start=1))
        self.assertIsNone(readable_period(None, fy_start=1))

    def test_picker_links(self) -> None:
        picker = period_picker(
            period_of(FEB, PeriodKind.MONTH),
            first_month=JAN,
            last_month=FEB,
            latest=date(2025, 3, 1),
        )
        self.assertEqual(picker.previous.label, "2025-01")
        self.assertEqual(picker.next.label, "2025-03")
        kinds = {kind: link.label for kind, _label, link in picker.kinds}
        self.assertEqual(kinds, {"month": "2025-02", "quarter": "2025-Q1", "year": "2025"})
        self.assertEqual([o.label for o in picker.options], ["2025-03", "2025-02", "2025-01"])
        self.assertTrue(picker.options[1].current)
        first = period_picker(
            period_of(JAN, PeriodKind.MONTH), first_month=JAN, last_month=FEB, latest=FEB
        )
        self.assertIsNone(first.previous)

    def test_switching_kind_prefers_a_complete_period(self) -> None:
        picker = period_picker(
            period_of(date(2025, 4, 1), PeriodKind.MONTH),
            first_month=JAN,
            last_month=date(2025, 4, 1),
            latest=date(2025, 4, 1),
        )
        kinds = {kind: link.label for kind, _label, link in picker.kinds}
        self.assertEqual(kinds["quarter"], "2025-Q1")

    def test_the_review_quarter_is_the_last_complete_one(self) -> None:
        self.assertEqual(
            review_quarter(1, first_month=JAN, last_month=date(2025, 4, 1), fallback=JAN).label,
            "2025-Q1",
        )
        self.assertEqual(
            review_quarter(1, first_month=JAN, last_month=date(2025, 6, 1), fallback=JAN).label,
            "2025-Q2",
        )
        self.assertEqual(
            review_quarter(1, first_month=MAR, last_month=MAR, fallback=JAN).label, "2025-Q1"
        )
        self.assertEqual(
            review_quarter(4, first_month=None, last_month=None, fallback=JAN).label, "2024-Q4"
        )
