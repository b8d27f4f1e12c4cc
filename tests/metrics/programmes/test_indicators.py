"""The cohort indicators from plain member data, against numbers worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.test import SimpleTestCase

from metrics.programmes.indicators import Cell, Member, cohort_indicators, distinct_members

LAST = date(2026, 3, 1)  # the last complete month

BASE = Member(
    business_id=0,
    name="",
    named=False,
    first_month=date(2025, 3, 1),
    last_month=LAST,
    months_logged=13,
    has_mentor=True,
    on_track=1,
    close=0,
    behind=0,
    revenue=None,
    revenue_year_earlier=None,
)


def member(pk: int, **fields: object) -> Member:
    fields.setdefault("name", f"Business {pk}")
    return replace(BASE, business_id=pk, **fields)  # type: ignore[arg-type]


class CellTests(SimpleTestCase):
    def test_it_hides_a_number_over_fewer_than_five_businesses(self) -> None:
        self.assertTrue(Cell(3, 4).hidden)
        self.assertFalse(Cell(3, 5).hidden)


class CohortIndicatorsTests(SimpleTestCase):
    def test_the_median_revenue_change_of_five_businesses(self) -> None:
        # 800 → 1200 is +50 %, 1000 → 1100 +10 %, 1000 → 950 −5 %, 500 → 600 +20 %,
        # 400 → 400 0 %; sorted −5, 0, 10, 20, 50: the median is +10 %. A base of 0 is left out.
        pairs = [(1200, 800), (1100, 1000), (950, 1000), (600, 500), (400, 400), (300, 0)]
        members = [
            member(pk, revenue=Decimal(now), revenue_year_earlier=Decimal(then))
            for pk, (now, then) in enumerate(pairs)
        ]
        cell = cohort_indicators(members, LAST).revenue_change
        self.assertEqual((cell.value, cell.businesses, cell.hidden), (Decimal("10.0"), 5, False))

    def test_an_even_number_of_changes_takes_the_middle_two(self) -> None:
        # +10 %, +20 %, +30 %, +40 %, +50 %, +60 %: the median is (30 + 40) ÷ 2 = 35 %.
        members = [
            member(pk, revenue=Decimal(100 + 10 * pk), revenue_year_earlier=Decimal(100))
            for pk in range(1, 7)
        ]
        self.assertEqual(cohort_indicators(members, LAST).revenue_change.value, Decimal("35.0"))

    def test_the_share_on_track_counts_kpis_of_businesses_with_a_verdict(self) -> None:
        # 2 + 1 + 0 + 1 + 0 = 4 on track of 3 + 1 + 2 + 2 + 1 = 9 judged: 44.4 %; the sixth
        # business has no verdict and is not among the 5 businesses.
        verdicts = [(2, 1, 0), (1, 0, 0), (0, 1, 1), (1, 0, 1), (0, 0, 1), (0, 0, 0)]
        members = [
            member(pk, on_track=on, close=close, behind=behind)
            for pk, (on, close, behind) in enumerate(verdicts)
        ]
        cell = cohort_indicators(members, LAST).on_track_share
        self.assertEqual((cell.value, cell.businesses), (Decimal("44.4"), 5))

    def test_active_logging_after_and_mentors(self) -> None:
        members = [
            member(1),  # logged March: active; started 12 months before: still logging
            member(2, last_month=date(2026, 2, 1), has_mentor=False),  # February: active
            member(3, last_month=date(2026, 1, 1)),  # January: not active, but after 6 yes
            member(4, first_month=date(2025, 9, 1), last_month=date(2025, 12, 1)),  # stopped
            member(5, first_month=date(2025, 10, 1), has_mentor=False),  # too recent for 6
            member(6, first_month=None, last_month=None, months_logged=0, has_mentor=False),
        ]
        result = cohort_indicators(members, LAST)
        self.assertEqual((result.active.value, result.active.of), (3, 6))
        self.assertEqual(result.months_logged.value, 13 * 5)
        # Started by September 2025: 1, 2, 3, 4; logged at least 6 months later: 1, 2, 3.
        self.assertEqual((result.logging_after_6.value, result.logging_after_6.of), (3, 4))
        self.assertTrue(result.logging_after_6.hidden)
        # Started by March 2025: 1, 2, 3 (hidden); a month logged in March 2026 or later: 1.
        self.assertEqual((result.logging_after_12.value, result.logging_after_12.of), (1, 3))
        self.assertEqual((result.without_mentor.value, result.without_mentor.of), (3, 6))

    def test_named_rows_only_for_those_who_chose_it_and_never_figures(self) -> None:
        members = [
            member(1, named=True, name="zara", revenue=Decimal(5)),
            member(2),
            member(3, named=True, name="Amal", last_month=date(2026, 1, 1), behind=2),
        ]
        rows = cohort_indicators(members, LAST).named
        self.assertEqual([row.name for row in rows], ["Amal", "zara"])
        self.assertEqual((rows[0].behind, rows[0].stale), (2, True))
        self.assertFalse(rows[1].stale)
        self.assertFalse(hasattr(rows[1], "revenue"))

    def test_an_empty_cohort_hides_everything(self) -> None:
        result = cohort_indicators([], LAST)
        cells = [result.active, result.on_track_share, result.revenue_change, result.months_logged]
        self.assertTrue(all(cell.hidden for cell in cells))


class MentorActivityTests(SimpleTestCase):
    """The last complete month is March 2026: the recent months run from April 2025, and a
    mentor is quiet without a comment since 31 January 2026 (1 April less 60 days)."""

    def members(self) -> list[Member]:
        return [
            member(
                1,
                mentors=((10, True),),
                mentor_comments=((date(2026, 1, 1), 1), (date(2026, 3, 1), 3)),
            ),
            member(2, mentors=((10, False),), mentor_comments=((date(2025, 6, 1), 2),)),
            member(3, mentors=((11, False),)),
            member(4, mentors=((12, True), (11, False)), mentor_comments=((date(2026, 2, 1), 4),)),
            member(5, mentors=((13, False),), mentor_comments=((date(2025, 4, 1), 2),)),
            member(6, has_mentor=False),
        ]

    def test_mentors_their_comments_and_the_quiet_ones(self) -> None:
        activity = cohort_indicators(self.members(), LAST).mentoring
        assert activity is not None
        # Mentors 10, 11, 12, 13 of businesses 1 to 5.
        self.assertEqual((activity.mentors.value, activity.mentors.businesses), (4, 5))
        # 1 + 3 + 2 + 4 + 2 = 12 comments over 12 months: 1.0 a month.
        self.assertEqual(activity.comments_per_month.value, Decimal("1.0"))
        by_month = dict(activity.comments_by_month)
        self.assertEqual(len(by_month), 12)
        self.assertEqual(min(by_month), date(2025, 4, 1))
        self.assertEqual(
            {month: count for month, count in by_month.items() if count},
            {
                date(2025, 4, 1): 2,
                date(2025, 6, 1): 2,
                date(2026, 1, 1): 1,
                date(2026, 2, 1): 4,
                date(2026, 3, 1): 3,
            },
        )
        # 10 spoke to business 1 and 12 to business 4; 11 (to neither 3 nor 4) and 13 did not.
        cell = activity.quiet_mentors
        self.assertEqual((cell.value, cell.of, cell.hidden), (2, 4, False))

    def test_four_mentored_businesses_hide_every_mentor_number(self) -> None:
        members = [m for m in self.members() if m.business_id != 5]
        activity = cohort_indicators(members, LAST).mentoring
        assert activity is not None
        cells = [activity.mentors, activity.comments_per_month, activity.quiet_mentors]
        self.assertEqual([cell.businesses for cell in cells], [4, 4, 4])
        self.assertTrue(all(cell.hidden for cell in cells))

    def test_months_logged_per_month_and_one_business_in_two_cohorts_counts_once(self) -> None:
        march, february = date(2026, 3, 1), date(2026, 2, 1)
        members = [
            member(1, recent_months=frozenset({march, february})),
            member(2, recent_months=frozenset({march})),
            member(1, recent_months=frozenset({march, february})),  # the same, in another cohort
        ]
        result = cohort_indicators(distinct_members(members), LAST)
        self.assertEqual(result.members, 2)
        counts = {count.month: count.businesses for count in result.logged_by_month}
        self.assertEqual((counts[march], counts[february], counts[date(2026, 1, 1)]), (2, 1, 0))
        self.assertEqual(len(counts), 12)
