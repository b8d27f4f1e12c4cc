"""The programme dashboard: hand-worked numbers, suppression, named rows, queries, access."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from accounts.personal_data import account_delete
from metrics.models.programmes import Cohort, CohortMembership
from tests.base import BaseTestCase
from tests.metrics.programmes.helpers import (
    add_revenue,
    make_programme,
    member_business,
    six_businesses,
)

HIDDEN = "hidden: fewer than 5 businesses"
# Session and user; programme and access; cohorts; memberships; the members' monthly summaries;
# their mentors; the mentors' comments.
QUERIES = 8


def cell(html: str, name: str) -> str:
    """The text of one indicator's cell on the page."""
    start = html.index(f'data-cell="{name}">') + len(f'data-cell="{name}">')
    return strip_tags(html[start : html.index("</td>", start)]).strip()


class ProgrammeDashboardTests(BaseTestCase):
    """Charlie coordinates the programme; Bob mentors A and B."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = make_programme(cls.charlie)
        cls.cohort = Cohort.objects.create(programme=cls.programme, name="Antwerp", country="be")
        cls.businesses = six_businesses(cls.cohort, cls.bob)
        cls.url = reverse("metrics:programme", args=[cls.programme.pk])

    def page(self) -> str:
        self.client.force_login(self.charlie)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_it_shows_the_numbers_worked_out_by_hand(self) -> None:
        html = self.page()
        # A, B, C, D and F logged last month or the month before; E stopped 3 months ago.
        self.assertEqual(cell(html, "active"), "5 of 6")
        # 13 × 4 + 4 + 2
        self.assertEqual(cell(html, "months"), "58")
        # A, B, F on track, C close, D behind; E has no verdict: 3 of 5 KPIs.
        self.assertEqual(cell(html, "on_track"), "60 % (5 businesses)")
        # Only A, B, C, D have a year-earlier month: four changes are not shown.
        self.assertEqual(cell(html, "revenue"), HIDDEN)
        # Started 6 months ago or earlier: A, B, C, D, E; logging 6 months on: all but E.
        self.assertEqual(cell(html, "after6"), "4 of 5")
        # Started 12 months ago or earlier: A, B, C, D only.
        self.assertEqual(cell(html, "after12"), HIDDEN)
        # C's mentor left: C, D, E, F have none.
        self.assertEqual(cell(html, "no_mentor"), "4 of 6")

    def test_it_names_only_those_who_chose_it_and_shows_no_figure(self) -> None:
        html = self.page()
        self.assertEqual(html.count('class="named-row"'), 2)
        self.assertIn('<th scope="row">B</th>', html)
        self.assertIn("1 on track, 0 close, 0 behind", html)
        self.assertEqual(html.count("stale-flag"), 1)  # E
        self.assertNotIn('<th scope="row">A</th>', html)
        for figure in ("1,100", "1100", "2,000", "2000", "700"):
            self.assertNotIn(figure, html)

    def test_when_two_leave_every_number_is_hidden(self) -> None:
        for name in ("C", "D"):
            CohortMembership.objects.filter(business=self.businesses[name]).update(
                left_at=timezone.now()
            )
        html = self.page()
        self.assertIn("4 members", html)
        for name in ("active", "months", "on_track", "revenue", "after6", "after12", "no_mentor"):
            self.assertEqual(cell(html, name), HIDDEN, name)
        self.assertEqual(html.count('class="named-row"'), 2)  # B and E still chose it

    def test_a_deleted_account_leaves_every_later_total(self) -> None:
        owner = self.businesses["F"].owner
        account_delete(user=owner)
        html = self.page()
        self.assertIn("5 members", html)
        self.assertEqual(cell(html, "active"), "4 of 5")
        self.assertEqual(cell(html, "on_track"), HIDDEN)  # A, B, C, D: four with a verdict

    def test_a_coordinator_of_another_programme_gets_404(self) -> None:
        make_programme(self.alice, "Elsewhere")
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_a_mentor_of_members_gets_404(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(self.url).status_code, 404)


class QueryCountTests(BaseTestCase):
    def add_members(self, cohort: Cohort, count: int, months: int) -> None:
        for _index in range(count):
            business = member_business(cohort, f"Q{CohortMembership.objects.count()}")
            add_revenue(business, dict.fromkeys(range(-months + 1, 1), 1000))

    def test_2_and_20_businesses_cost_the_same_queries(self) -> None:
        programme = make_programme(self.charlie)
        url = reverse("metrics:programme", args=[programme.pk])
        self.client.force_login(self.charlie)
        first = Cohort.objects.create(programme=programme, name="Antwerp", country="be")
        self.add_members(first, 2, months=2)
        with self.assertNumQueries(QUERIES):
            self.assertEqual(self.client.get(url).status_code, 200)
        # Ten times the businesses, another cohort, twelve times the months.
        self.add_members(first, 8, months=24)
        second = Cohort.objects.create(programme=programme, name="Lyon", country="fr")
        self.add_members(second, 10, months=24)
        with self.assertNumQueries(QUERIES):
            self.assertEqual(self.client.get(url).status_code, 200)
