"""The cohort indicators from plain member data, against numbers worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.test import SimpleTestCase

from metrics.programmes.indicators import Cell, Member, cohort_indicators

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
