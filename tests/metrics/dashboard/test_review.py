"""The quarterly review: the quarter against its targets, the reflection, the KPIs to follow."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from metrics.models.business import TrackedKpi
from metrics.models.entries import Entry
from metrics.models.goals import Target
from metrics.models.reviews import QuarterlyReview
from tests.base import BaseTestCase, url_with
from tests.metrics.factories import make_business, make_mentor, track

# Q1 2025: revenue 1,000 + 1,100 + 1,200 = 3,300; 150 visitors and 15 orders = 10.0 %.
MONTHS = {
    date(2025, 1, 1): {"revenue": 1000, "visitors": 50, "orders": 5},
    date(2025, 2, 1): {"revenue": 1100, "visitors": 50, "orders": 5},
    date(2025, 3, 1): {"revenue": 1200, "visitors": 50, "orders": 5},
    date(2024, 12, 1): {"revenue": 900, "visitors": 40, "orders": 2},
}


class ReviewTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice)
        track(cls.business, "revenue", "conversion_rate")
        TrackedKpi.objects.filter(business=cls.business, kpi="revenue").update(
            why="To pay the rent."
        )
        Entry.objects.bulk_create(
            Entry(business=cls.business, figure=code, month=month, value=Decimal(value))
            for month, row in MONTHS.items()
            for code, value in row.items()
        )
        Target.objects.create(
            business=cls.business,
            kpi="revenue",
            value=Decimal(1500),
            first_month=date(2025, 1, 1),
            deadline=date(2025, 12, 1),
        )
        cls.url = reverse("metrics:review", args=[cls.business.pk, "2025-Q1"])

    def _post(self, **data: object):
        return self.client.post(self.url, data)

    def test_it_shows_the_quarter_against_its_targets(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("Quarterly review, Q1 2025", html)
        self.assertIn("€3,300.00", html)
        self.assertIn("10.0%", html)
        # 3 × 1,500 expected; 3,300 is 26.7 % short: behind.
        self.assertIn("Expected for Q1 2025: €4,500.00", html)
        self.assertIn('class="verdict verdict-behind"', html)
        self.assertIn(reverse("guidance:kpi", args=["revenue"]) + "#what-to-try", html)
        self.assertIn("Why: To pay the rent.", html)
        self.assertIn('name="reflection"', html)
        self.assertIn('value="conversion_rate" id="choose-conversion_rate" checked', html)
        self.assertIn('value="churn_rate" id="choose-churn_rate">', html)

    def test_the_latest_review_is_the_last_complete_quarter(self) -> None:
        Entry.objects.create(
            business=self.business, figure="revenue", month=date(2025, 4, 1), value=1
        )
        self.client.force_login(self.alice)
        response = self.client.get(reverse("metrics:review_latest", args=[self.business.pk]))
        self.assertContains(response, "Quarterly review, Q1 2025")

    def test_the_owner_saves_a_reflection(self) -> None:
        self.client.force_login(self.alice)
        response = self._post(action="reflection", reflection="Catering grew; the stall did not.")
        self.assertRedirects(response, self.url)
        review = QuarterlyReview.objects.get(business=self.business, quarter="2025-Q1")
        self.assertEqual(review.reflection, "Catering grew; the stall did not.")
        self._post(action="reflection", reflection="Second thoughts.")
        review.refresh_from_db()
        self.assertEqual(review.reflection, "Second thoughts.")
        self.assertEqual(QuarterlyReview.objects.count(), 1)
        self.assertContains(self.client.get(self.url), "Second thoughts.")

    def test_a_too_long_reflection_is_refused_and_kept(self) -> None:
        self.client.force_login(self.alice)
        text = "x" * 5001
        response = self._post(action="reflection", reflection=text)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "There is a problem")
        self.assertContains(response, "5000 characters or fewer (it has 5001)")
        self.assertContains(response, text)
        self.assertContains(response, "<title>Error:", html=False)
        self.assertFalse(QuarterlyReview.objects.exists())

    def test_the_owner_drops_and_adds_kpis(self) -> None:
        self.client.force_login(self.alice)
        response = self._post(action="kpis", kpis=["revenue", "churn_rate", "csat"])
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        tracked = list(TrackedKpi.objects.filter(business=self.business).values_list("kpi", "why"))
        self.assertEqual(
            tracked, [("revenue", "To pay the rent."), ("churn_rate", ""), ("csat", "")]
        )
        followed = self.client.get(self.url)
        self.assertContains(followed, "2 KPIs added, 1 KPI dropped")

    def test_choosing_no_kpi_is_an_error(self) -> None:
        self.client.force_login(self.alice)
        response = self._post(action="kpis")
        self.assertContains(response, "Choose at least one KPI to follow.")
        self.assertEqual(TrackedKpi.objects.filter(business=self.business).count(), 2)

    def test_an_unknown_kpi_is_an_error_and_the_choice_is_kept(self) -> None:
        self.client.force_login(self.alice)
        response = self._post(action="kpis", kpis=["csat", "not_a_kpi"])
        self.assertContains(response, "“not_a_kpi” is not a KPI you can follow")
        self.assertContains(response, 'value="csat" id="choose-csat" checked')
        self.assertNotContains(response, 'value="revenue" id="choose-revenue" checked')
        self.assertEqual(TrackedKpi.objects.filter(business=self.business).count(), 2)

    def test_an_unknown_action_is_a_bad_request(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self._post(action="delete_everything").status_code, 400)

    def test_a_mentor_reads_the_reflection_but_cannot_change_anything(self) -> None:
        QuarterlyReview.objects.create(
            business=self.business, quarter="2025-Q1", reflection="More flyers in April."
        )
        make_mentor(self.business, self.bob)
        self.client.force_login(self.bob)
        response = self.client.get(self.url)
        self.assertContains(response, "More flyers in April.")
        self.assertNotContains(response, 'name="reflection"')
        self.assertNotContains(response, 'name="kpis"')
        self.assertEqual(self._post(action="reflection", reflection="Hacked").status_code, 403)
        self.assertEqual(self._post(action="kpis", kpis=["csat"]).status_code, 403)
        self.assertEqual(QuarterlyReview.objects.get().reflection, "More flyers in April.")
        self.assertEqual(TrackedKpi.objects.filter(business=self.business).count(), 2)

    def test_it_hides_the_review_from_a_revoked_mentor(self) -> None:
        make_mentor(self.business, self.bob, revoked=True)
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_it_hides_the_review_from_a_stranger(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self._post(action="reflection", reflection="x").status_code, 404)
        latest = reverse("metrics:review_latest", args=[self.business.pk])
        self.assertEqual(self.client.get(latest).status_code, 404)

    def test_it_sends_an_anonymous_visitor_to_log_in(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("accounts:login")))

    def test_a_bad_quarter_is_not_found(self) -> None:
        self.client.force_login(self.alice)
        for label in ("2025-Q5", "2025-03", "2025", "nonsense", "0001-Q1"):
            url = url_with("metrics:review", [self.business.pk], "2025-Q1", label)
            self.assertEqual(self.client.get(url).status_code, 404, label)

    def test_a_financial_year_moves_the_quarters(self) -> None:
        self.business.fy_start = 4
        self.business.save()
        self.client.force_login(self.alice)
        # Q4 of the financial year 2024/25 is January to March 2025.
        url = reverse("metrics:review", args=[self.business.pk, "2024-Q4"])
        response = self.client.get(url)
        self.assertContains(response, "Quarterly review, Q4 2024/25")
        self.assertContains(response, "€3,300.00")

    def test_it_makes_a_fixed_number_of_queries(self) -> None:
        self.client.force_login(self.alice)
        self.client.get(self.url)
        # session, user, business, custom figures, custom KPIs, entries, tracked KPIs,
        # the saved reflection, targets, the reminder's check for last month, the comments
        with self.assertNumQueries(11):
            self.client.get(self.url)
