"""The programme dashboard: hand-worked numbers, suppression, named rows, queries, access."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from accounts.models import User
from accounts.personal_data import account_delete
from metrics.engine.periods import add_months
from metrics.models.comments import Comment
from metrics.models.mentoring import Mentorship
from metrics.models.programmes import Cohort, CohortMembership
from metrics.pages import last_complete_month
from metrics.programmes.selectors import programme_report
from tests.base import BaseTestCase
from tests.metrics.factories import make_mentor
from tests.metrics.programmes.helpers import (
    add_revenue,
    make_programme,
    member_business,
    six_businesses,
)

HIDDEN = "hidden: fewer than 5 businesses"
# Session and user; programme and access; cohorts; memberships; the members' recent monthly
# summaries, their months logged, those of members who logged after the month; their mentors;
# the mentors' comments.
QUERIES = 10


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

    def test_the_country_switcher_still_lists_the_four_countries(self) -> None:
        # The page's own per-country reports once took the switcher's name: its buttons then
        # had no country and an image at /static/.
        html = self.page()
        for code in ("gb", "fr", "nl", "be"):
            self.assertIn(f'name="country" value="{code}"', html)
        self.assertNotIn('name="country" value=""', html)
        self.assertNotIn('src="/static/"', html)

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

    def test_a_past_months_report_counts_nothing_logged_after_it(self) -> None:
        past = add_months(last_complete_month(), -3)
        (report,) = programme_report(self.programme, past)
        ind = report.indicators
        # A to D logged 12 to 3 months ago: 10 months each; E 6 to 3 months ago: 4; F not yet.
        self.assertEqual(ind.months_logged.value, 44)
        # A to E logged that month; F had not started.
        self.assertEqual((ind.active.value, ind.active.of), (5, 6))
        last = {row.name: row.last_month for row in ind.named}
        self.assertEqual(last, {"B": past, "E": past})

    def test_a_coordinator_of_another_programme_gets_404(self) -> None:
        make_programme(self.alice, "Elsewhere")
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_a_mentor_of_members_gets_404(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(self.url).status_code, 404)


class MentorsCountriesAndChartsTests(BaseTestCase):
    """The cohort of ``six_businesses``; Bob mentors A and B, and Dana takes C, D and E."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = make_programme(cls.charlie)
        cls.cohort = Cohort.objects.create(programme=cls.programme, name="Antwerp", country="be")
        cls.businesses = six_businesses(cls.cohort, cls.bob)
        cls.dana = User.objects.create_user("dana@example.org", "x" * 12, name="Dana")
        for name in ("C", "D", "E"):
            make_mentor(cls.businesses[name], cls.dana)
        cls.url = reverse("metrics:programme", args=[cls.programme.pk])

    def comment(self, name: str, author: User, days_before_end: int) -> None:
        """A comment written ``days_before_end`` days before the last complete month ended."""
        end = timezone.make_aware(
            datetime.combine(add_months(last_complete_month(), 1), datetime.min.time())
        )
        comment = Comment.objects.create(
            business=self.businesses[name], author=author, on="month", subject="x", body="x"
        )
        Comment.objects.filter(pk=comment.pk).update(created=end - timedelta(days=days_before_end))

    def page(self) -> str:
        self.client.force_login(self.charlie)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_mentor_activity_worked_out_by_hand(self) -> None:
        self.comment("A", self.bob, 10)
        self.comment("A", self.bob, 20)
        self.comment("B", self.bob, 150)
        self.comment("D", self.dana, 120)
        self.comment("C", self.bob, 5)  # Bob no longer mentors C: not counted
        self.comment("A", self.businesses["A"].owner, 5)  # the owner's own: not counted
        self.comment("A", self.bob, 400)  # more than a year ago: not counted
        html = self.page()
        # Only F has no mentor now.
        self.assertEqual(cell(html, "no_mentor"), "1 of 6")
        # Bob and Dana, over the five businesses they mentor.
        self.assertEqual(cell(html, "mentors"), "2")
        # 2 + 1 + 1 = 4 comments in 12 months: 0.33… a month.
        self.assertEqual(cell(html, "comments"), "0.3")
        # Bob wrote 10 days before the end of the month; Dana's last was 120 days before.
        self.assertEqual(cell(html, "quiet"), "1 of 2")

    def test_four_mentored_businesses_hide_the_mentor_numbers(self) -> None:
        Mentorship.objects.filter(business=self.businesses["E"]).update(revoked_at=timezone.now())
        html = self.page()
        for name in ("mentors", "comments", "quiet"):
            self.assertEqual(cell(html, name), HIDDEN, name)

    def test_a_country_counts_each_business_once_and_hides_a_small_cohort(self) -> None:
        ghent = Cohort.objects.create(programme=self.programme, name="Ghent", country="be")
        for name in ("G", "H"):
            add_revenue(member_business(ghent, name), {0: 1000})
        CohortMembership.objects.create(cohort=ghent, business=self.businesses["A"])
        html = self.page()
        # Antwerp's six and G and H: A, in both cohorts, counts once.
        self.assertIn("8 members", html)
        # A, B, C, D, F and G, H logged last month or the one before; E did not.
        self.assertEqual(cell(html, "country-active"), "7 of 8")
        # 58 in Antwerp, and one month each for G and H.
        self.assertEqual(cell(html, "country-months"), "60")
        # Ghent has three members: its numbers are hidden, and not charted.
        self.assertIn("3 members", html)
        ghent_html = html[html.index(f'id="cohort-{ghent.pk}"') :]
        self.assertEqual(cell(ghent_html, "active"), HIDDEN)
        self.assertNotIn(f'id="cohort-{ghent.pk}-logged"', html)
        self.assertIn("Not drawn: its numbers cover fewer than 5 businesses.", ghent_html)
        # Nor is a table of twelve hidden months put under it.
        self.assertNotIn("<caption>Members of Ghent who logged each month</caption>", html)
        self.assertIn("<caption>Members of Antwerp who logged each month</caption>", html)
        compared = chart(html, "cohorts-active")
        self.assertEqual(compared["data"][0]["y"], ["Antwerp"])
        self.assertEqual(compared["data"][0]["x"], [5.0])
        # Both bar charts are as tall as their bars (60 px + 44 a bar), with no line chart's
        # box around them, which left a blank band under a short chart on a phone.
        self.assertEqual(compared["layout"]["height"], 60 + 44)
        self.assertEqual(compared["layout"]["xaxis"]["dtick"], 1)  # 5 businesses: whole steps
        self.assertIn('class="kpi-chart bar-chart" data-chart="cohorts-active"', html)
        self.assertIn('class="kpi-chart bar-chart" data-chart="cohorts-on-track"', html)

    def test_months_logged_over_the_last_year_are_charted(self) -> None:
        html = self.page()
        # A to D logged each of the last 12 months, E 6 to 3 months ago, F the last two.
        expected = [4, 4, 4, 4, 4, 5, 5, 5, 5, 4, 5, 5]
        logged = chart(html, f"cohort-{self.cohort.pk}-logged")
        self.assertEqual(logged["data"][0]["y"], [float(n) for n in expected])
        self.assertEqual(len(logged["data"][0]["x"]), 12)
        self.assertEqual(chart(html, "country-be-logged")["data"][0]["y"], logged["data"][0]["y"])
        # A, B, C, D, F: 3 of 5 KPIs on track.
        self.assertEqual(chart(html, "cohorts-on-track")["data"][0]["x"], [60.0])
        self.assertIn("<caption>Members of Antwerp who logged each month</caption>", html)


def chart(html: str, chart_id: str) -> dict[str, Any]:
    """The specification of one chart, as the page hands it to plotly.js."""
    start = html.index(f'<script id="{chart_id}" type="application/json">')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])  # type: ignore[no-any-return]


class QueryCountTests(BaseTestCase):
    def add_members(self, cohort: Cohort, count: int, months: int, mentor: User) -> None:
        for _index in range(count):
            business = member_business(cohort, f"Q{CohortMembership.objects.count()}")
            add_revenue(business, dict.fromkeys(range(-months + 1, 1), 1000))
            make_mentor(business, mentor)
            Comment.objects.create(
                business=business, author=mentor, on="month", subject="x", body="x"
            )

    def test_6_and_20_businesses_cost_the_same_queries(self) -> None:
        programme = make_programme(self.charlie)
        url = reverse("metrics:programme", args=[programme.pk])
        self.client.force_login(self.charlie)
        for name, country in (("Antwerp", "be"), ("Lyon", "fr")):
            cohort = Cohort.objects.create(programme=programme, name=name, country=country)
            self.add_members(cohort, 3, months=3, mentor=self.bob)
        with self.assertNumQueries(QUERIES):
            self.assertEqual(self.client.get(url).status_code, 200)
        # More than three times the businesses, twice the cohorts, five times the months, a
        # third country, another mentor.
        for name, country in (("Ghent", "be"), ("Utrecht", "nl")):
            cohort = Cohort.objects.create(programme=programme, name=name, country=country)
            self.add_members(cohort, 7, months=15, mentor=self.alice)
        with self.assertNumQueries(QUERIES):
            self.assertEqual(self.client.get(url).status_code, 200)
