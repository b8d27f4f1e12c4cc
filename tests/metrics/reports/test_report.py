"""The report for a bank, a lender or a mentor: access, contents in two languages, options,
and a query count that does not grow with the months of data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from metrics.dashboard.cards import TargetInput
from metrics.engine import (
    Comparison,
    Engine,
    MonthlyFigures,
    PeriodKind,
    Verdict,
    add_months,
    parse_period_label,
)
from metrics.engine import Target as TargetRule
from metrics.models.business import Business
from metrics.models.comments import Comment
from metrics.models.entries import Entry
from metrics.models.goals import Target
from metrics.models.mentoring import Mentorship
from metrics.models.reviews import QuarterlyReview
from metrics.reports.build import build_report, reflection_quarters, report_periods, trend_periods
from metrics.reports.views import mentor_comments
from tests.base import BaseTestCase
from tests.metrics.factories import make_business, track

FIRST = date(2023, 1, 1)


def monthly_rows() -> dict[date, dict[str, Decimal]]:
    """2023: revenue 800 and 40 orders a month. 2024: revenue 1000, 1100, … 2100; 50 orders."""
    rows = {}
    for index in range(24):
        month = add_months(FIRST, index)
        if month.year == 2023:
            rows[month] = {"revenue": Decimal(800), "orders": Decimal(40)}
        else:
            rows[month] = {"revenue": Decimal(1000 + 100 * (index - 12)), "orders": Decimal(50)}
    return rows


def store(business: Business, rows: dict[date, dict[str, Decimal]]) -> None:
    Entry.objects.bulk_create(
        Entry(business=business, month=month, figure=code, value=value)
        for month, values in rows.items()
        for code, value in values.items()
    )


def revenue_target(business: Business | None = None) -> TargetRule:
    """At least 1,500 a month through 2024: a quarter expects 4,500, the year 18,000."""
    rule = TargetRule(
        kpi="revenue",
        comparison=Comparison.AT_LEAST,
        value=Decimal(1500),
        first_month=date(2024, 1, 1),
        deadline=date(2024, 12, 1),
    )
    if business is not None:
        Target.objects.create(
            business=business,
            kpi=rule.kpi,
            comparison=rule.comparison.value,
            value=rule.value,
            first_month=rule.first_month,
            deadline=rule.deadline,
        )
    return rule


class ReportTestCase(BaseTestCase):
    business: Business

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice, name="Amal's Kitchen", sells="Home-made food")
        track(cls.business, "revenue", "average_order_value")
        store(cls.business, monthly_rows())
        revenue_target(cls.business)
        Mentorship.objects.create(business=cls.business, mentor=cls.bob)

    def setUp(self) -> None:
        self.client.force_login(self.alice)

    def url(self, business: Business | None = None) -> str:
        return reverse("metrics:report", args=[(business or self.business).pk])

    def get(self, **params: str):
        response = self.client.get(self.url(), params)
        self.assertEqual(response.status_code, 200)
        return response


class ReportAccessTests(ReportTestCase):
    def test_the_owner_sees_the_report(self) -> None:
        response = self.get(period="2024-Q4")
        self.assertTemplateUsed(response, "metrics/report/report.html")

    def test_an_active_mentor_reads_it(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(self.url(), {"period": "2024"}).status_code, 200)

    def test_it_only_answers_reads(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.client.post(self.url()).status_code, 403)
        self.client.force_login(self.alice)
        self.assertEqual(self.client.post(self.url()).status_code, 405)

    def test_a_stranger_and_a_revoked_mentor_get_not_found(self) -> None:
        Mentorship.objects.update(revoked_at=timezone.now())
        for user in (self.charlie, self.bob):
            self.client.force_login(user)
            with self.subTest(user=user.email):
                self.assertEqual(self.client.get(self.url()).status_code, 404)
                self.assertEqual(self.client.post(self.url()).status_code, 404)

    def test_an_anonymous_visitor_is_sent_to_log_in(self) -> None:
        self.client.logout()
        self.assertRedirects(
            self.client.get(self.url()),
            f"{reverse('accounts:login')}?next={self.url()}",
            fetch_redirect_response=False,
        )

    def test_the_tabs_link_to_it(self) -> None:
        response = self.client.get(reverse("metrics:dashboard", args=[self.business.pk]))
        self.assertContains(response, f'href="{self.url()}"')


class ReportContentTests(ReportTestCase):
    def test_a_quarter_with_profile_values_targets_verdicts_charts_and_trend(self) -> None:
        response = self.get(period="2024-Q4")
        for text in (
            "Amal&#x27;s Kitchen: report for Q4 2024",
            "October 2024 to December 2024",
            "Home-made food",
            "In a shop or at a stall",
            "Belgium, Flanders",
            "Euro (€)",
            "January",
        ):
            self.assertContains(response, text)
        report = response.context["report"]
        self.assertEqual(
            [item.card.name for item in report.kpis], ["Revenue", "Average order value"]
        )
        revenue, basket = report.kpis
        self.assertEqual(revenue.card.value_text, "€6,000.00")
        self.assertEqual(revenue.card.verdict, Verdict.ON_TRACK)
        self.assertEqual(basket.card.value_text, "€40.00")
        self.assertIsNone(basket.card.target)
        self.assertEqual(revenue.trend_caption, "Revenue over the last four quarters")
        self.assertEqual(
            [(row.period, row.value, row.expected, row.verdict) for row in revenue.trend],
            [
                ("Q1 2024", "€3,300.00", "€4,500.00", Verdict.BEHIND),
                ("Q2 2024", "€4,200.00", "€4,500.00", Verdict.CLOSE),
                ("Q3 2024", "€5,100.00", "€4,500.00", Verdict.ON_TRACK),
                ("Q4 2024", "€6,000.00", "€4,500.00", Verdict.ON_TRACK),
            ],
        )
        self.assertEqual(
            [row.value for row in basket.trend], ["€22.00", "€28.00", "€34.00", "€40.00"]
        )
        content = response.content.decode()
        self.assertEqual(content.count('class="report-kpi"'), 2)
        self.assertEqual(content.count('data-chart="chart-'), 2)
        self.assertIn('<script id="chart-revenue" type="application/json">', content)
        self.assertIn('<th scope="row">Q2 2024</th><td>€4,200.00</td>', content)
        self.assertIn(">Close</span>", content)
        self.assertIn(">Behind</span>", content)
        self.assertIn("/static/css/report.css", content)
        self.assertIn("/static/js/report.js", content)
        self.assertIn('id="print-report" data-print hidden>Print or save as PDF</button>', content)
        self.assertIn("use your browser's Print command", content)
        self.assertNotIn("<script>", content)

    def test_a_year(self) -> None:
        response = self.get(period="2024")
        revenue, _basket = response.context["report"].kpis
        self.assertEqual(revenue.card.value_text, "€18,600.00")
        self.assertEqual(revenue.card.verdict, Verdict.ON_TRACK)
        self.assertEqual(revenue.trend_caption, "Revenue over the last four years")
        self.assertEqual(
            [(row.period, row.value, row.expected) for row in revenue.trend],
            [("2023", "€9,600.00", ""), ("2024", "€18,600.00", "€18,000.00")],
        )
        self.assertContains(response, "January 2024 to December 2024")

    def test_in_french(self) -> None:
        self.alice.language = "fr"
        self.alice.save(update_fields=["language"])
        response = self.get(period="2024-Q4")
        self.assertContains(response, '<html lang="fr"')
        revenue, basket = response.context["report"].kpis
        with translation.override("fr"):
            self.assertEqual(revenue.card.name, "Chiffre d'affaires")
            self.assertEqual(basket.card.name, "Panier moyen")
            self.assertEqual(revenue.card.value_text, "6\u00a0000,00\u00a0€")
            self.assertEqual(
                [(row.period, str(row.verdict.label)) for row in revenue.trend if row.verdict],
                [
                    ("T1 2024", "En retard"),
                    ("T2 2024", "Presque"),
                    ("T3 2024", "En bonne voie"),
                    ("T4 2024", "En bonne voie"),
                ],
            )
        self.assertContains(response, "En bonne voie")
        self.assertContains(response, "Belgique")

    def test_the_default_is_the_last_complete_quarter_with_data(self) -> None:
        response = self.get()
        self.assertEqual(response.context["report"].period.label, "2024-Q4")

    def test_a_month_or_nonsense_is_refused_and_the_default_shown(self) -> None:
        for text in ("2024-03", "soon", "2024-Q5"):
            with self.subTest(text=text):
                response = self.get(period=text)
                self.assertEqual(
                    response.context["form"].errors["period"],
                    ["Choose a quarter (such as 2025-Q1) or a year (such as 2025)."],
                )
                self.assertEqual(response.context["report"].period.label, "2024-Q4")

    def test_the_period_choices_run_from_the_data_to_last_month(self) -> None:
        response = self.get(period="2024-Q1")
        choices = [
            label for label, _name in response.context["form"].fields["period"].widget.choices
        ]
        self.assertEqual(choices[-2:], ["2024", "2023"])
        self.assertIn("2023-Q1", choices)
        self.assertContains(response, '<option value="2024-Q1" selected>Q1 2024</option>')

    def test_reflections_are_added_when_asked(self) -> None:
        QuarterlyReview.objects.create(
            business=self.business, quarter="2024-Q3", reflection="Lunch boxes sold well."
        )
        QuarterlyReview.objects.create(
            business=self.business, quarter="2024-Q4", reflection="We opened on Sundays."
        )
        self.assertNotContains(self.get(period="2024-Q4"), "We opened on Sundays.")
        response = self.get(period="2024-Q4", reflection="1")
        self.assertContains(response, "We opened on Sundays.")
        self.assertNotContains(response, "Lunch boxes sold well.")
        response = self.get(period="2024", reflection="1")
        self.assertEqual(
            response.context["reflections"],
            [
                {"quarter": "Q3 2024", "text": "Lunch boxes sold well."},
                {"quarter": "Q4 2024", "text": "We opened on Sundays."},
            ],
        )
        response = self.get(period="2023", reflection="1")
        self.assertContains(response, "No reflection was written for this period.")

    def test_it_can_show_what_mentors_wrote_about_the_period(self) -> None:
        month_comment = Comment.objects.create(
            business=self.business,
            author=self.bob,
            on="month",
            subject="2024-11",
            body="Good November.",
        )
        Comment.objects.create(
            business=self.business,
            author=self.bob,
            on="review",
            subject="2024-Q4",
            body="A fine quarter.",
        )
        Comment.objects.create(
            business=self.business,
            author=self.bob,
            on="kpi",
            subject="revenue",
            period="2024-12",
            body="Revenue up in December.",
        )
        # Outside the quarter, and the owner's own words: not part of the mentors' comments.
        Comment.objects.create(
            business=self.business,
            author=self.bob,
            on="month",
            subject="2024-09",
            body="September.",
        )
        Comment.objects.create(
            business=self.business, author=self.alice, on="month", subject="2024-11", body="Mine."
        )
        response = self.get(period="2024-Q4", comments="1")
        self.assertTrue(response.context["show_comments"])
        bodies = [comment["body"] for comment in response.context["mentor_comments"]]
        self.assertEqual(bodies, ["Good November.", "A fine quarter.", "Revenue up in December."])
        self.assertEqual(response.context["mentor_comments"][0]["written"], month_comment.created)
        self.assertContains(response, "Comments from mentors")
        self.assertContains(response, 'name="comments"')
        september = Comment.objects.get(body="September.")
        self.assertEqual(
            mentor_comments(self.business, parse_period_label("2024-Q3")),
            [{"author": "Bob Janssens", "written": september.created, "body": "September."}],
        )


class ReportPureTests(SimpleTestCase):
    def test_the_trend_is_the_period_and_up_to_three_before_it(self) -> None:
        quarter = parse_period_label("2024-Q4")
        labels = [p.label for p in trend_periods(quarter, FIRST)]
        self.assertEqual(labels, ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"])
        # No period that ends before the first month with data.
        labels = [p.label for p in trend_periods(quarter, date(2024, 4, 1))]
        self.assertEqual(labels, ["2024-Q2", "2024-Q3", "2024-Q4"])

    def test_a_year_collects_the_reflections_of_its_four_quarters(self) -> None:
        self.assertEqual(reflection_quarters(parse_period_label("2024-Q2")), ["2024-Q2"])
        self.assertEqual(
            reflection_quarters(parse_period_label("2024")),
            ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"],
        )
        # A financial year from April: its quarters carry the year it starts in.
        april_year = parse_period_label("2024", fy_start=4)
        self.assertEqual(
            reflection_quarters(april_year), ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
        )
        self.assertEqual(april_year.start, date(2024, 4, 1))

    def test_the_periods_to_choose_from_run_newest_first(self) -> None:
        periods = report_periods(date(2024, 2, 1), date(2024, 11, 1), fy_start=1)
        self.assertEqual(
            [p.label for p in periods], ["2024-Q4", "2024-Q3", "2024-Q2", "2024-Q1", "2024"]
        )
        self.assertEqual(periods[-1].kind, PeriodKind.YEAR)

    def test_the_report_of_a_quarter_with_its_trend_worked_out_by_hand(self) -> None:
        with translation.override("en"):
            report = build_report(
                engine=Engine.catalogue(),
                figures=MonthlyFigures(monthly_rows()),
                codes=["revenue", "average_order_value"],
                targets=[TargetInput(revenue_target(), "Pay myself")],
                period=parse_period_label("2024-Q4"),
                currency="EUR",
            )
            revenue, basket = report.kpis
            # Oct–Dec 2024: 1,900 + 2,000 + 2,100 = 6,000 against 3 × 1,500 = 4,500 expected.
            self.assertEqual(revenue.card.code, "revenue")
            self.assertEqual(revenue.card.value_text, "€6,000.00")
            trend = [(row.value, row.expected, row.verdict) for row in revenue.trend]
            self.assertEqual(
                trend,
                [
                    # 1,000 + 1,100 + 1,200: misses 4,500 by more than 10 % (450).
                    ("€3,300.00", "€4,500.00", Verdict.BEHIND),
                    # 1,300 + 1,400 + 1,500 = 4,200: misses by 300, within 450.
                    ("€4,200.00", "€4,500.00", Verdict.CLOSE),
                    ("€5,100.00", "€4,500.00", Verdict.ON_TRACK),
                    ("€6,000.00", "€4,500.00", Verdict.ON_TRACK),
                ],
            )
            # 6,000 over 3 × 50 orders = 40 an order; no target, so no verdict.
            self.assertEqual(basket.card.value_text, "€40.00")
            self.assertEqual([row.verdict for row in basket.trend], [None] * 4)


class ReportQueryCountTests(ReportTestCase):
    # session, user, business (with its unread comments), first and last months, custom
    # figures, custom KPIs, tracked KPIs, the window of entries, targets, last month's
    # reminder check, reflections, mentors' comments
    QUERIES = 12

    def test_the_report_reads_the_same_number_of_queries_for_1_and_36_months(self) -> None:
        counts = []
        for months in (1, 36):
            Entry.objects.filter(business=self.business).delete()
            store(
                self.business,
                {
                    add_months(date(2022, 1, 1), index): {"revenue": Decimal(900)}
                    for index in range(months)
                },
            )
            with CaptureQueriesContext(connection) as queries:
                self.get(period="2022-Q1", reflection="1", comments="1")
            counts.append(len(queries))
        self.assertEqual(counts, [self.QUERIES, self.QUERIES])
        with self.assertNumQueries(self.QUERIES):
            self.get(period="2022", reflection="1", comments="1")
