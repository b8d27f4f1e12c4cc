"""The quarterly funder report: hand-worked numbers for 2025-Q4, the CSV files, access, queries.

Two cohorts, numbers as of December 2025 (the quarter's last month):

Antwerp (be), five members:
  Atlas Bakery (named, mentored): revenue Dec 2024 → Dec 2025 is 800 → 1,200 (13 months); it
    logged January to March 2026 too, which a report on 2025-Q4 must not count.
  Baobab Repairs (mentored): 1,000 → 1,100, 13 months. Cedar Catering (its mentor left):
    1,000 → 950, 13 months. Delta Tailoring: 500 → 600, 13 months.
  Eucalyptus Web: June to December 2025 (7 months), 2,000 a month, and 12 new customers in
    December against a target of at least 10: two tracked KPIs.
  Ghost Gardens (named) left the cohort: it counts nowhere and is never named.
Lyon (fr), four members, so every number is hidden:
  Harbour Cafe (named): January to September 2025. Iris Flowers, Juniper Bikes, Kiln Pottery:
  October to December 2025, 1,000 a month.
Revenue targets: at least 1,000 (900 to 999 is close).
"""

from __future__ import annotations

import csv
import io
from dataclasses import fields
from datetime import date
from decimal import Decimal
from html import unescape
from types import SimpleNamespace

from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags

from accounts.models import User
from metrics.engine import add_months
from metrics.models.business import Business
from metrics.models.entries import Entry
from metrics.models.goals import Target
from metrics.models.programmes import Cohort, CohortMembership
from metrics.pages import last_complete_month
from metrics.programmes.funder import (
    INDICATORS,
    last_complete_quarter,
    quarter_choices,
    report_cell,
)
from metrics.programmes.indicators import Cell, CohortIndicators, MentorActivity
from metrics.programmes.summaries import summaries_rebuild
from tests.base import BaseTestCase
from tests.metrics.factories import make_business, make_mentor, track
from tests.metrics.programmes.helpers import make_programme

QUARTER = "2025-Q4"
HIDDEN = "hidden: fewer than 5 businesses"
# Session and user; the programme; then programme_report's seven: cohorts, memberships, the
# members' summaries (their recent months, their months logged, and the history of those who
# logged after the quarter), their mentors, and those mentors' comments.
QUERIES = 10

M_ACTIVE = (
    "Businesses that logged a month in the last 60 days of the quarter "
    "(November 2025 or December 2025), out of all members."
)
M_MONTHS = "Every month with figures, added up over all members, up to December 2025."
M_ON_TRACK = (
    "Of the tracked KPIs that had a target and a verdict in December 2025, the share on "
    "track; over the businesses with at least one such verdict."
)
M_REVENUE = (
    "Each business's revenue in December 2025 against December 2024, as a change in per "
    "cent; the middle one of these changes (the median), so that no one business weighs "
    "more. Businesses without revenue in both months are left out."
)
M_AFTER_6 = (
    "Of the businesses whose first month logged is at least 6 months before December 2025, "
    "those that logged a month 6 months or more after their first."
)
M_AFTER_12 = (
    "Of the businesses whose first month logged is at least 12 months before December 2025, "
    "those that logged a month 12 months or more after their first."
)
M_MENTOR = "Members who have no mentor today, out of all members."
M_MENTORS = (
    "People who mentor at least one member today, counted once each; hidden when they mentor "
    "fewer than 5 of the members."
)
M_COMMENTS = (
    "Comments the members' mentors wrote on their figures, KPIs and reviews, per month on "
    "average over the 12 months up to December 2025."
)
M_QUIET = "Of those mentors, the ones who wrote no comment in the 60 days up to December 2025."


def months(first: date, last: date, value: int) -> dict[date, int]:
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return {add_months(first, offset): value for offset in range(count)}


def year(then: int, now: int) -> dict[date, int]:
    """Revenue from December 2024 (``then``) to December 2025 (``now``), 1,000 between."""
    return {
        date(2024, 12, 1): then,
        **months(date(2025, 1, 1), date(2025, 11, 1), 1000),
        date(2025, 12, 1): now,
    }


def member(cohort: Cohort, name: str, revenue: dict[date, int], consent: str = "aggregate"):
    owner = User.objects.create_user(
        f"{name.split()[0].lower()}@example.org", "x" * 12, name=f"Owner of {name}"
    )
    business = make_business(owner, name=name)
    track(business, "revenue")
    Target.objects.create(
        business=business,
        kpi="revenue",
        value=Decimal(1000),
        first_month=date(2024, 1, 1),
        deadline=date(2026, 12, 1),
    )
    Entry.objects.bulk_create(
        Entry(business=business, figure="revenue", month=month, value=value)
        for month, value in revenue.items()
    )
    # Bulk writes send no signals: the summaries the report reads are rebuilt by hand.
    summaries_rebuild([business.pk])
    CohortMembership.objects.create(cohort=cohort, business=business, consent=consent)
    return business


def two_cohorts(programme, mentor: User) -> dict[str, Business]:
    antwerp = Cohort.objects.create(programme=programme, name="Antwerp", country="be")
    lyon = Cohort.objects.create(programme=programme, name="Lyon", country="fr")
    after = months(date(2026, 1, 1), date(2026, 3, 1), 1000)
    found = {
        "A": member(antwerp, "Atlas Bakery", {**year(800, 1200), **after}, "named"),
        "B": member(antwerp, "Baobab Repairs", year(1000, 1100)),
        "C": member(antwerp, "Cedar Catering", year(1000, 950)),
        "D": member(antwerp, "Delta Tailoring", year(500, 600)),
        "E": member(antwerp, "Eucalyptus Web", months(date(2025, 6, 1), date(2025, 12, 1), 2000)),
        "G": member(antwerp, "Ghost Gardens", year(5000, 5000), "named"),
        "H": member(lyon, "Harbour Cafe", months(date(2025, 1, 1), date(2025, 9, 1), 900), "named"),
    }
    for key, name in (("I", "Iris Flowers"), ("J", "Juniper Bikes"), ("K", "Kiln Pottery")):
        found[key] = member(lyon, name, months(date(2025, 10, 1), date(2025, 12, 1), 1000))
    eucalyptus = found["E"]
    track(eucalyptus, "new_customers")
    Target.objects.create(
        business=eucalyptus,
        kpi="new_customers",
        value=Decimal(10),
        first_month=date(2024, 1, 1),
        deadline=date(2026, 12, 1),
    )
    Entry.objects.create(
        business=eucalyptus, figure="new_customers", month=date(2025, 12, 1), value=12
    )
    CohortMembership.objects.filter(business=found["G"]).update(left_at=timezone.now())
    make_mentor(found["A"], mentor)
    make_mentor(found["B"], mentor)
    make_mentor(found["C"], mentor, revoked=True)
    return found


def text(html: str) -> str:
    """What a reader sees of a piece of the page, on one line."""
    return " ".join(unescape(strip_tags(html.replace("<br>", " "))).split())


def indicator(html: str, cohort: int, key: str) -> str:
    """The text of one indicator's block in the ``cohort``-th cohort's section."""
    section = html.index(f'id="funder-cohort-{cohort}"')
    marker = f'class="funder-indicator" data-indicator="{key}">'
    start = html.index(marker, section) + len(marker)
    return text(html[start : html.index("</div>", start)])


def summary(html: str, key: str) -> list[str]:
    """The cells of one row of the first page's table, one per cohort."""
    start = html.index(f'<tr data-indicator="{key}">')
    row = html[start : html.index("</tr>", start)]
    return [text(cell) for cell in row.split("<td>")[1:]]


class FunderReportTests(BaseTestCase):
    """Charlie coordinates the programme; Bob mentors two members."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = make_programme(cls.charlie)
        cls.businesses = two_cohorts(cls.programme, cls.bob)
        cls.url = reverse("metrics:funder_report", args=[cls.programme.pk, QUARTER])
        cls.csv_url = reverse("metrics:funder_report_csv", args=[cls.programme.pk, QUARTER])

    def page(self, user: User | None = None) -> str:
        self.client.force_login(user or self.charlie)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_each_number_worked_out_by_hand_with_its_method_under_it(self) -> None:
        html = self.page()
        # Everyone in Antwerp logged November or December 2025.
        self.assertEqual(
            indicator(html, 1, "active"), f"Active 5 of 5 5 businesses counted {M_ACTIVE}"
        )
        # 13 × 4 + 7; Atlas Bakery's three months of 2026 come after the quarter.
        self.assertEqual(
            indicator(html, 1, "months_logged"),
            f"Months logged 59 5 businesses counted {M_MONTHS}",
        )
        # KPIs on track in December: Atlas, Baobab, both of Eucalyptus's; Cedar is close,
        # Delta behind: 4 of 6 = 66.7 %.
        self.assertEqual(
            indicator(html, 1, "on_track_share"),
            f"Tracked KPIs on track 66.7% 5 businesses counted {M_ON_TRACK}",
        )
        # Only four have revenue in December 2024: hidden, with the reason.
        self.assertEqual(
            indicator(html, 1, "revenue_change"),
            f"Median change in revenue on a year {HIDDEN} {M_REVENUE}",
        )
        # First month by June 2025: all five; all logged six months after it.
        self.assertEqual(
            indicator(html, 1, "logging_after_6"),
            f"Still logging after 6 months 5 of 5 5 businesses counted {M_AFTER_6}",
        )
        # First month by December 2024: the four with a year of figures.
        self.assertEqual(
            indicator(html, 1, "logging_after_12"),
            f"Still logging after 12 months {HIDDEN} {M_AFTER_12}",
        )
        # Cedar's mentor left; Delta and Eucalyptus have none.
        self.assertEqual(
            indicator(html, 1, "without_mentor"),
            f"Without a mentor 3 of 5 5 businesses counted {M_MENTOR}",
        )
        self.assertIn("5 members", html)
        self.assertIn("4 members", html)

    def test_the_four_member_cohort_hides_every_number(self) -> None:
        html = self.page()
        for key in (
            "active",
            "months_logged",
            "on_track_share",
            "revenue_change",
            "logging_after_6",
            "logging_after_12",
            "without_mentor",
        ):
            text = indicator(html, 2, key)
            self.assertIn(HIDDEN, text, key)
            self.assertNotIn("counted", text, key)

    def test_the_first_page_table_has_every_cohort_and_indicator(self) -> None:
        html = self.page()
        self.assertLess(html.index('id="funder-summary"'), html.index('id="funder-cohort-1"'))
        self.assertEqual(summary(html, "members"), ["5", "4"])
        self.assertEqual(summary(html, "active"), ["5 of 5", HIDDEN])
        self.assertEqual(summary(html, "months_logged"), ["59", HIDDEN])
        self.assertEqual(summary(html, "on_track_share"), ["66.7%", HIDDEN])
        self.assertEqual(summary(html, "revenue_change"), [HIDDEN, HIDDEN])
        self.assertEqual(summary(html, "logging_after_6"), ["5 of 5", HIDDEN])
        self.assertEqual(summary(html, "logging_after_12"), [HIDDEN, HIDDEN])
        self.assertEqual(summary(html, "without_mentor"), ["3 of 5", HIDDEN])
        self.assertIn("Q4 2025", html)
        self.assertIn("October 2025 to December 2025", html)

    def test_named_rows_only_for_who_chose_it_as_of_the_quarter(self) -> None:
        html = self.page()
        self.assertEqual(html.count('class="named-row"'), 2)
        # Atlas Bakery's last month is the quarter's last, not March 2026.
        atlas = html[html.index('<th scope="row">Atlas Bakery</th>') :]
        atlas = text(atlas[: atlas.index("</tr>")])
        self.assertEqual(atlas, "Atlas Bakery December 2025 1 on track, 0 close, 0 behind")
        harbour = html[html.index('<th scope="row">Harbour Cafe</th>') :]
        harbour = text(harbour[: harbour.index("</tr>")])
        self.assertEqual(
            harbour,
            "Harbour Cafe September 2025 No figures for 2 months 0 on track, 0 close, 0 behind",
        )
        for name in ("Baobab", "Cedar", "Delta", "Eucalyptus", "Ghost", "Iris", "Juniper"):
            self.assertNotIn(name, html)
        for figure in ("1,200", "1200", "2,000", "2000", "5,000", "5000"):
            self.assertNotIn(figure, html)

    def test_the_plain_csv_exactly(self) -> None:
        self.client.force_login(self.charlie)
        response = self.client.get(self.csv_url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn('filename="new-roots-2025-Q4.csv"', response["Content-Disposition"])
        text = response.content.decode("utf-8")
        self.assertTrue(text.startswith("quarter,cohort,country,indicator,value,"))
        hidden = ["", "", HIDDEN]
        antwerp = [QUARTER, "Antwerp", "be"]
        lyon = [QUARTER, "Lyon", "fr"]
        self.assertEqual(
            list(csv.reader(io.StringIO(text))),
            [
                [
                    "quarter",
                    "cohort",
                    "country",
                    "indicator",
                    "value",
                    "businesses",
                    "method",
                    "note",
                ],
                [*antwerp, "active", "5", "5", M_ACTIVE, ""],
                [*antwerp, "months_logged", "59", "5", M_MONTHS, ""],
                [*antwerp, "on_track_share", "66.7", "5", M_ON_TRACK, ""],
                [*antwerp, "revenue_change", "", "", M_REVENUE, HIDDEN],
                [*antwerp, "logging_after_6", "5", "5", M_AFTER_6, ""],
                [*antwerp, "logging_after_12", "", "", M_AFTER_12, HIDDEN],
                [*antwerp, "without_mentor", "3", "5", M_MENTOR, ""],
                # Two businesses have an active mentor (Atlas, Baobab): under 5, hidden.
                [*antwerp, "mentors", "", "", M_MENTORS, HIDDEN],
                [*antwerp, "comments_per_month", "", "", M_COMMENTS, HIDDEN],
                [*antwerp, "quiet_mentors", "", "", M_QUIET, HIDDEN],
                [*lyon, "active", hidden[0], hidden[1], M_ACTIVE, HIDDEN],
                [*lyon, "months_logged", "", "", M_MONTHS, HIDDEN],
                [*lyon, "on_track_share", "", "", M_ON_TRACK, HIDDEN],
                [*lyon, "revenue_change", "", "", M_REVENUE, HIDDEN],
                [*lyon, "logging_after_6", "", "", M_AFTER_6, HIDDEN],
                [*lyon, "logging_after_12", "", "", M_AFTER_12, HIDDEN],
                [*lyon, "without_mentor", "", "", M_MENTOR, HIDDEN],
                [*lyon, "mentors", "", "", M_MENTORS, HIDDEN],
                [*lyon, "comments_per_month", "", "", M_COMMENTS, HIDDEN],
                [*lyon, "quiet_mentors", "", "", M_QUIET, HIDDEN],
            ],
        )
        # One country per cohort here: no section of all a country's cohorts.
        self.assertEqual(text.count("\n"), 21)
        self.assertNotIn("\r", text)

    def test_the_excel_csv_in_french_has_a_bom_semicolons_and_decimal_commas(self) -> None:
        self.charlie.language = "fr"
        self.charlie.save(update_fields=["language"])
        self.client.force_login(self.charlie)
        response = self.client.get(self.csv_url + "?format=excel")
        self.assertEqual(response.status_code, 200)
        self.assertIn('filename="new-roots-2025-Q4-excel.csv"', response["Content-Disposition"])
        text = response.content.decode("utf-8")
        self.assertTrue(text.startswith("\ufeff"))
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
        self.assertEqual(len(rows), 21)
        self.assertEqual(
            rows[0],
            [
                "trimestre",
                "groupe",
                "pays",
                "indicateur",
                "valeur",
                "entreprises comptées",
                "méthode",
                "remarque",
            ],
        )
        on_track = rows[3]
        self.assertEqual(on_track[:6], [QUARTER, "Antwerp", "Belgique", on_track[3], "66,7", "5"])
        self.assertIn("décembre 2025", on_track[6])
        self.assertEqual(rows[4][4:6], ["", ""])
        self.assertIn("moins de 5 entreprises", rows[4][7])

    def test_no_personal_data_in_either_csv(self) -> None:
        self.client.force_login(self.charlie)
        for query in ("", "?format=excel"):
            text = self.client.get(self.csv_url + query).content.decode()
            for business in self.businesses.values():
                self.assertNotIn(business.name, text)
                self.assertNotIn(business.owner.email, text)
                self.assertNotIn(business.owner.name, text)

    def test_a_member_who_leaves_counts_no_more(self) -> None:
        CohortMembership.objects.filter(business=self.businesses["E"]).update(
            left_at=timezone.now()
        )
        self.client.force_login(self.charlie)
        rows = list(csv.reader(io.StringIO(self.client.get(self.csv_url).content.decode())))
        # Four members left in Antwerp: every number of it is hidden now.
        self.assertEqual([row[4] for row in rows[1:8]], [""] * 7)
        self.assertEqual([row[7] for row in rows[1:8]], [HIDDEN] * 7)
        self.assertIn("4 members", self.page())

    def test_the_page_in_french(self) -> None:
        self.charlie.language = "fr"
        self.charlie.save(update_fields=["language"])
        html = self.page()
        self.assertIn('<html lang="fr"', html)
        self.assertIn("66,7\u00a0%", html)
        self.assertIn("5 sur 5", html)
        self.assertIn("T4 2025", html)
        self.assertIn("décembre 2025", indicator(html, 1, "active"))
        self.assertIn("moins de 5 entreprises", indicator(html, 2, "active"))

    def test_the_page_in_arabic(self) -> None:
        self.charlie.language = "ar"
        self.charlie.save(update_fields=["language"])
        html = self.page()
        self.assertIn('<html lang="ar" dir="rtl"', html)
        self.assertNotIn("Active", html)
        self.assertNotIn("Months logged", html)
        self.assertIn("66,7", indicator(html, 1, "on_track_share"))


class FunderReportAccessTests(BaseTestCase):
    """Charlie coordinates; Alice's business is a named member; Bob mentors it."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = make_programme(cls.charlie)
        cohort = Cohort.objects.create(programme=cls.programme, name="Antwerp", country="be")
        business = make_business(cls.alice)
        CohortMembership.objects.create(cohort=cohort, business=business, consent="named")
        make_mentor(business, cls.bob)
        cls.other = User.objects.create_user("other@example.org", "x" * 12)
        make_programme(cls.other, "Elsewhere")
        cls.stranger = User.objects.create_user("stranger@example.org", "x" * 12)
        cls.latest = last_complete_quarter(last_complete_month())
        args = [cls.programme.pk, cls.latest.label]
        cls.urls = [
            reverse("metrics:funder_report", args=args),
            reverse("metrics:funder_report_csv", args=args),
            reverse("metrics:funder_report_latest", args=[cls.programme.pk]),
        ]

    def test_only_a_coordinator_of_this_programme_gets_in(self) -> None:
        for url in self.urls:
            self.client.force_login(self.charlie)
            self.assertIn(self.client.get(url).status_code, (200, 302), url)
            for user in (self.other, self.bob, self.alice, self.stranger):
                self.client.force_login(user)
                self.assertEqual(self.client.get(url).status_code, 404, (url, user))
            self.client.logout()
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertTrue(response.url.startswith(reverse("accounts:login")), url)

    def test_the_picker_without_a_quarter_opens_the_last_complete_one(self) -> None:
        self.client.force_login(self.charlie)
        response = self.client.get(self.urls[2])
        self.assertRedirects(response, self.urls[0])

    def test_the_picker_sends_to_the_chosen_quarter(self) -> None:
        self.client.force_login(self.charlie)
        earlier = self.latest.previous().label
        response = self.client.get(self.urls[2], {"quarter": earlier})
        self.assertRedirects(
            response, reverse("metrics:funder_report", args=[self.programme.pk, earlier])
        )

    def test_the_picker_lists_complete_quarters_from_the_programme_start(self) -> None:
        self.client.force_login(self.charlie)
        html = self.client.get(self.urls[0]).content.decode()
        # The programme starts in January 2025.
        self.assertIn('<option value="2025-Q1">Q1 2025</option>', html)
        self.assertNotIn('value="2024-Q4"', html)
        self.assertIn(f'<option value="{self.latest.label}" selected>', html)
        self.assertNotIn(f'value="{self.latest.next().label}"', html)

    def test_a_malformed_or_future_quarter_is_404(self) -> None:
        self.client.force_login(self.charlie)
        future = self.latest.next().label  # the current quarter, not complete yet
        base = f"/programmes/{self.programme.pk}/report/"
        for path in (
            f"{base}{future}/",
            f"{base}{future}.csv",
            f"{base}2025-Q5/",
            f"{base}2025-Q0.csv",
            f"{base}0001-Q1/",
            f"{base}25-Q1/",
            f"{base}2025-q1/",
        ):
            self.assertEqual(self.client.get(path).status_code, 404, path)
        for value in (future, "2025-Q5", "garbage", "0001-Q1", "2025", "\x00"):
            response = self.client.get(base, {"quarter": value})
            self.assertEqual(response.status_code, 404, value)

    def test_a_programme_without_cohorts_says_so(self) -> None:
        empty = make_programme(self.charlie, "Just Started")
        self.client.force_login(self.charlie)
        url = reverse("metrics:funder_report", args=[empty.pk, self.latest.label])
        html = self.client.get(url).content.decode()
        self.assertIn("No cohort yet.", html)
        self.assertNotIn('id="funder-summary"', html)
        csv_url = reverse("metrics:funder_report_csv", args=[empty.pk, self.latest.label])
        text = self.client.get(csv_url).content.decode()
        self.assertEqual(text, "quarter,cohort,country,indicator,value,businesses,method,note\n")

    def test_the_dashboard_links_to_the_report(self) -> None:
        self.client.force_login(self.charlie)
        html = self.client.get(reverse("metrics:programme", args=[self.programme.pk])).content
        self.assertIn(f'href="{self.urls[2]}"'.encode(), html)


class FunderReportQueryTests(BaseTestCase):
    def add_members(self, cohort: Cohort, count: int, last: int) -> None:
        for _index in range(count):
            number = CohortMembership.objects.count()
            member(cohort, f"Q{number} Shop", months(date(2025, 1, 1), date(2025, last, 1), 900))

    def test_the_page_and_the_csv_cost_the_same_queries_for_2_and_20_businesses(self) -> None:
        programme = make_programme(self.charlie)
        urls = [
            reverse("metrics:funder_report", args=[programme.pk, QUARTER]),
            reverse("metrics:funder_report_csv", args=[programme.pk, QUARTER]),
            reverse("metrics:funder_report_csv", args=[programme.pk, QUARTER]) + "?format=excel",
        ]
        self.client.force_login(self.charlie)
        first = Cohort.objects.create(programme=programme, name="Antwerp", country="be")
        self.add_members(first, 2, last=2)
        for url in urls:
            with self.assertNumQueries(QUERIES):
                self.assertEqual(self.client.get(url).status_code, 200)
        # Ten times the businesses, another cohort, six times the months.
        self.add_members(first, 8, last=12)
        second = Cohort.objects.create(programme=programme, name="Lyon", country="fr")
        self.add_members(second, 10, last=12)
        for url in urls:
            with self.assertNumQueries(QUERIES):
                self.assertEqual(self.client.get(url).status_code, 200)


class FunderPureTests(SimpleTestCase):
    def test_the_last_complete_quarter(self) -> None:
        # November is the middle of Q4: Q3 is the last complete one; December completes Q4.
        self.assertEqual(last_complete_quarter(date(2026, 11, 1)).label, "2026-Q3")
        self.assertEqual(last_complete_quarter(date(2026, 12, 1)).label, "2026-Q4")
        self.assertEqual(last_complete_quarter(date(2026, 1, 1)).label, "2025-Q4")

    def test_the_picker_offers_complete_quarters_from_the_start_newest_first(self) -> None:
        labels = [q.label for q in quarter_choices(date(2025, 2, 1), date(2025, 11, 1))]
        self.assertEqual(labels, ["2025-Q3", "2025-Q2", "2025-Q1"])
        # A programme that starts later still offers the last complete quarter.
        labels = [q.label for q in quarter_choices(date(2027, 1, 1), date(2025, 11, 1))]
        self.assertEqual(labels, ["2025-Q3"])

    def test_every_cell_of_the_cohort_indicators_has_a_line(self) -> None:
        """A new Cell in CohortIndicators or its mentor activity fails here until INDICATORS
        gives it a line."""
        cells = {f.name for f in fields(CohortIndicators) if f.type in ("Cell", Cell)}
        cells |= {f.name for f in fields(MentorActivity) if f.type in ("Cell", Cell)}
        self.assertEqual({indicator.key for indicator in INDICATORS}, cells)
        self.assertEqual(len(INDICATORS), len(cells))

    def test_a_hidden_cell_has_no_value_and_no_count_only_its_reason(self) -> None:
        indicator = INDICATORS[0]
        shown = Cell(3, 5, 5)
        hidden = Cell(3, 4, 4)
        months = {"last": "December 2025", "previous": "November 2025", "year_earlier": ""}
        with translation.override("en"):
            cell = report_cell(indicator, SimpleNamespace(active=shown), months)
            self.assertEqual((cell.value, cell.businesses, cell.text), (3, 5, "3 of 5"))
            self.assertEqual((cell.counted, cell.reason), ("5 businesses counted", ""))
            cell = report_cell(indicator, SimpleNamespace(active=hidden), months)
        self.assertEqual(
            (cell.value, cell.businesses, cell.text, cell.counted), (None, None, "", "")
        )
        self.assertEqual(cell.reason, HIDDEN)
        self.assertIn("(November 2025 or December 2025)", cell.method)


class CountrySectionTests(BaseTestCase):
    """Two Belgian cohorts of three: each hidden alone, shown together as Belgium's."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = make_programme(cls.charlie)
        ghent = Cohort.objects.create(programme=cls.programme, name="Ghent", country="be")
        liege = Cohort.objects.create(programme=cls.programme, name="Liège", country="be")
        names = ["Anise", "Basil", "Clove", "Dill", "Elder", "Fennel"]
        for index, name in enumerate(names):
            # Every one logged October to December 2025: active, 3 months each.
            business = member(
                ghent if index < 3 else liege,
                f"{name} Shop",
                months(date(2025, 10, 1), date(2025, 12, 1), 1000),
            )
            if index < 5:  # Bob mentors five of the six, and wrote nothing
                make_mentor(business, cls.bob)

    def test_the_country_counts_both_cohorts_and_its_mentor(self) -> None:
        self.client.force_login(self.charlie)
        url = reverse("metrics:funder_report_csv", args=[self.programme.pk, QUARTER])
        rows = list(csv.reader(io.StringIO(self.client.get(url).content.decode())))
        cells = {(row[1], row[3]): row[4:6] for row in rows[1:]}
        self.assertEqual(cells["Ghent", "active"], ["", ""])  # 3 businesses: hidden
        self.assertEqual(cells["All cohorts in Belgium", "active"], ["6", "6"])
        self.assertEqual(cells["All cohorts in Belgium", "months_logged"], ["18", "6"])  # 6 × 3
        # One mentor, over the five businesses he mentors; no comment, so quiet: 1 of 1.
        self.assertEqual(cells["All cohorts in Belgium", "mentors"], ["1", "5"])
        self.assertEqual(cells["All cohorts in Belgium", "comments_per_month"], ["0", "5"])
        self.assertEqual(cells["All cohorts in Belgium", "quiet_mentors"], ["1", "5"])
        self.assertEqual(cells["All cohorts in Belgium", "without_mentor"], ["1", "6"])
