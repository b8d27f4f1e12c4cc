"""A newcomer with two months logged: the quarter and the year so far on the dashboard, the
quarterly review and the lender report (issue 12), values worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import translation

from metrics.dashboard.build import build_dashboard
from metrics.dashboard.cards import TargetInput
from metrics.engine import Comparison, Engine, MonthlyFigures, Verdict, parse_period_label
from metrics.engine import Target as TargetRule
from metrics.models.entries import Entry
from metrics.models.goals import Target
from tests.base import BaseTestCase
from tests.metrics.factories import make_business, track

JANUARY, FEBRUARY = date(2026, 1, 1), date(2026, 2, 1)
ROWS = {
    JANUARY: {
        "revenue": 1000,
        "visitors": 400,
        "orders": 20,
        "customers_start": 50,
        "customers_end": 55,
        "customers_lost": 5,
        "cash_end": 4400,
    },
    FEBRUARY: {
        "revenue": 1400,
        "visitors": 600,
        "orders": 40,
        "customers_start": 55,
        "customers_end": 62,
        "customers_lost": 3,
        "cash_end": 4000,
    },
}
# Q1 2026 and 2026 so far (January and February):
#   revenue 1000 + 1400 = 2400 (a flow, summed)            -> €2,400.00
#   conversion (20 + 40) / (400 + 600) * 100 = 6          -> 6.0%
#   churn (5 + 3) lost / 50 at the start (January) * 100 = 16 -> 16.0%
# Revenue target: at least 1,000 a month, so 2 months expect 2,000 (pro-rated), not 3,000.
REVENUE_TARGET = TargetRule(
    "revenue", Comparison.AT_LEAST, Decimal(1000), JANUARY, date(2026, 12, 1)
)


class NewcomerTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice)
        track(cls.business, "revenue", "conversion_rate", "churn_rate", "revenue_growth")
        Entry.objects.bulk_create(
            Entry(business=cls.business, figure=code, month=month, value=Decimal(value))
            for month, row in ROWS.items()
            for code, value in row.items()
        )
        Target.objects.create(
            business=cls.business,
            kpi="revenue",
            value=Decimal(1000),
            first_month=JANUARY,
            deadline=date(2026, 12, 1),
        )

    def setUp(self) -> None:
        self.client.force_login(self.alice)


def _board(period: str, language: str = "en"):
    with translation.override(language):
        return build_dashboard(
            engine=Engine.catalogue(),
            figures=MonthlyFigures(
                {
                    month: {code: Decimal(value) for code, value in row.items()}
                    for month, row in ROWS.items()
                }
            ),
            codes=["revenue", "conversion_rate", "churn_rate", "revenue_growth"],
            targets=[TargetInput(REVENUE_TARGET)],
            period=parse_period_label(period),
            currency="EUR",
        )


class DashboardSoFarTests(NewcomerTestCase):
    def test_the_quarter_so_far(self) -> None:
        cards = {card.code: card for card in _board("2026-Q1").cards}
        revenue = cards["revenue"]
        self.assertEqual(revenue.value_text, "€2,400.00")
        self.assertEqual(revenue.coverage, "So far: 2 of 3 months")
        self.assertEqual(revenue.target.expected, Decimal(2000))
        self.assertEqual(revenue.target.expected_text, "Expected for Q1 2026 so far: €2,000.00")
        self.assertEqual(revenue.verdict, Verdict.ON_TRACK)  # 3,000 would make it behind
        self.assertEqual(cards["conversion_rate"].value_text, "6.0%")
        self.assertEqual(cards["churn_rate"].value_text, "16.0%")
        growth = cards["revenue_growth"]
        self.assertEqual(growth.value_text, "n/a")
        self.assertIn("Not computed on part of a period", growth.reason)
        # The chart's table says it too, beside the value.
        self.assertIn("€2,400.00 (2 of 3 months)", [row.cells[0] for row in revenue.table.rows])

    def test_the_page_shows_the_quarter_so_far(self) -> None:
        url = reverse("metrics:dashboard", args=[self.business.pk])
        response = self.client.get(url, {"period": "2026-Q1"})
        for text in ("€2,400.00", "6.0%", "16.0%", "So far: 2 of 3 months"):
            self.assertContains(response, text)
        self.assertContains(response, "Expected for Q1 2026 so far: €2,000.00")
        self.assertNotContains(response, "Incomplete")

    def test_the_year_so_far_in_french(self) -> None:
        revenue = _board("2026", "fr").cards[0]
        self.assertEqual(revenue.value_text, "2\u00a0400,00\u00a0€")
        self.assertEqual(revenue.coverage, "Jusqu'ici : 2 mois sur 12")
        # 2 months of 1,000 expected, not 12.
        self.assertEqual(revenue.target.expected, Decimal(2000))


class ReviewSoFarTests(NewcomerTestCase):
    def test_the_first_review_is_not_a_page_of_no_value(self) -> None:
        response = self.client.get(reverse("metrics:review", args=[self.business.pk, "2026-Q1"]))
        html = response.content.decode()
        for text in ("€2,400.00", "6.0%", "16.0%", "So far: 2 of 3 months"):
            self.assertIn(text, html)
        self.assertIn("Actual: €2,400.00 (2 of 3 months).", html)
        self.assertIn("Expected for Q1 2026 so far: €2,000.00", html)
        self.assertNotIn("Incomplete", html)


class ReportSoFarTests(NewcomerTestCase):
    def test_the_default_report_is_the_quarter_so_far_with_a_summary(self) -> None:
        response = self.client.get(reverse("metrics:report", args=[self.business.pk]))
        report = response.context["report"]
        self.assertEqual(report.title, "Q1 2026")
        rows = {row.code: row for row in report.summary}
        self.assertEqual(list(rows), ["revenue", "conversion_rate", "churn_rate", "revenue_growth"])
        revenue = rows["revenue"]
        self.assertEqual(
            (revenue.value, revenue.coverage, revenue.target, revenue.verdict, revenue.change),
            ("€2,400.00", "So far: 2 of 3 months", "at least €2,000.00", Verdict.ON_TRACK, ""),
        )
        self.assertEqual(rows["conversion_rate"].value, "6.0%")
        self.assertEqual(rows["churn_rate"].value, "16.0%")
        self.assertEqual(rows["revenue_growth"].value, "n/a")
        html = response.content.decode()
        self.assertIn('id="report-summary"', html)
        # The summary comes before the first KPI block.
        self.assertLess(html.index('id="report-summary"'), html.index('id="report-kpi-revenue"'))
        trend = report.kpis[0].trend
        self.assertEqual(trend[-1].value, "€2,400.00 (2 of 3 months)")
        self.assertEqual(trend[-1].expected, "€2,000.00")
