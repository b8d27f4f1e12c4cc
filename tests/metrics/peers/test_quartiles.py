"""The quartiles of "peers like me" and the quarter a value falls in, worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.test import SimpleTestCase

from metrics.engine import Direction, KpiResult, PeriodKind, period_of
from metrics.peers.quartiles import (
    Comparison,
    Quarter,
    Quartiles,
    Status,
    compare,
    quantile,
    quarter_of,
    quartiles,
    whole_value,
)

D = Decimal
# Sorted: 3, 5, 7, 8, 10, 12, 13, 14, 18, 21 (n = 10, positions 0 to 9).
TEN = [D(v) for v in (3, 7, 8, 5, 12, 14, 21, 13, 18, 10)]
# Position h = (10 - 1) × p:
#   Q1:     h = 2.25 → x[2] + 0.25 × (x[3] - x[2]) = 7 + 0.25 × 1 = 7.25
#   median: h = 4.5  → x[4] + 0.5 × (x[5] - x[4])  = 10 + 0.5 × 2 = 11
#   Q3:     h = 6.75 → x[6] + 0.75 × (x[7] - x[6]) = 13 + 0.75 × 1 = 13.75
TEN_QUARTILES = Quartiles(D("7.25"), D("11"), D("13.75"))


class QuartileTests(SimpleTestCase):
    def test_ten_values_interpolate_between_neighbours(self) -> None:
        self.assertEqual(quartiles(TEN), TEN_QUARTILES)

    def test_eleven_values(self) -> None:
        # Sorted: 3, 5, 7, 8, 10, 12, 13, 14, 16, 18, 21 (n = 11); h = 10 × p:
        #   Q1: h = 2.5 → 7 + 0.5 × (8 - 7) = 7.5;  median: h = 5 → x[5] = 12;
        #   Q3: h = 7.5 → 14 + 0.5 × (16 - 14) = 15
        self.assertEqual(quartiles([*TEN, D(16)]), Quartiles(D("7.5"), D("12"), D("15")))

    def test_decimals_stay_exact(self) -> None:
        # 0.1, 0.2, 0.4, 0.8: Q1 at h = 0.75 → 0.1 + 0.75 × 0.1 = 0.175;
        # median at h = 1.5 → 0.2 + 0.5 × 0.2 = 0.3; Q3 at h = 2.25 → 0.4 + 0.25 × 0.4 = 0.5
        values = [D("0.8"), D("0.1"), D("0.4"), D("0.2")]
        self.assertEqual(quartiles(values), Quartiles(D("0.175"), D("0.3"), D("0.5")))

    def test_one_value_is_every_quartile_and_none_is_refused(self) -> None:
        self.assertEqual(quartiles([D(4)]), Quartiles(D(4), D(4), D(4)))
        self.assertEqual(quantile([D(1), D(9)], D(1)), D(9))
        with self.assertRaises(ValueError):
            quartiles([])


class QuarterTests(SimpleTestCase):
    def test_higher_is_better(self) -> None:
        cases = {
            "14": Quarter.BEST,
            "13.75": Quarter.BEST,  # on Q3: the better quarter
            "13.74": Quarter.BETTER,
            "11": Quarter.BETTER,
            "10.99": Quarter.WEAKER,
            "7.25": Quarter.WEAKER,
            "7.24": Quarter.WEAKEST,
        }
        for value, quarter in cases.items():
            with self.subTest(value):
                self.assertIs(quarter_of(D(value), TEN_QUARTILES, Direction.UP), quarter)

    def test_lower_is_better(self) -> None:
        cases = {
            "3": Quarter.BEST,
            "7.25": Quarter.BEST,  # on Q1: the better quarter
            "7.26": Quarter.BETTER,
            "11": Quarter.BETTER,
            "11.01": Quarter.WEAKER,
            "13.75": Quarter.WEAKER,
            "13.76": Quarter.WEAKEST,
        }
        for value, quarter in cases.items():
            with self.subTest(value):
                self.assertIs(quarter_of(D(value), TEN_QUARTILES, Direction.DOWN), quarter)


class CompareTests(SimpleTestCase):
    def test_ten_peers_with_a_value_are_compared_and_n_a_is_left_out(self) -> None:
        peers = [*TEN, None, None]
        self.assertEqual(
            compare(D(12), peers, Direction.UP),
            Comparison(Status.COMPARED, 10, TEN_QUARTILES, Quarter.BETTER),
        )

    def test_nine_are_too_few_and_their_number_is_said(self) -> None:
        self.assertEqual(
            compare(D(12), [*TEN[:9], None], Direction.UP), Comparison(Status.TOO_FEW, 9)
        )
        self.assertEqual(compare(D(12), TEN[:5], Direction.UP), Comparison(Status.TOO_FEW, 5))

    def test_below_five_even_their_number_is_kept_back(self) -> None:
        for count in (0, 1, 4):
            with self.subTest(count):
                self.assertEqual(
                    compare(D(12), TEN[:count], Direction.UP), Comparison(Status.TOO_FEW, None)
                )

    def test_a_business_without_a_value_sees_the_quartiles_but_no_quarter(self) -> None:
        self.assertEqual(
            compare(None, TEN, Direction.DOWN),
            Comparison(Status.COMPARED, 10, TEN_QUARTILES, None),
        )


class WholeValueTests(SimpleTestCase):
    def test_only_a_value_over_the_whole_period_counts(self) -> None:
        quarter = period_of(date(2026, 1, 1), PeriodKind.QUARTER)
        self.assertEqual(whole_value(KpiResult("revenue", quarter, D(5))), D(5))
        partial = KpiResult("revenue", quarter, D(5), months=(date(2026, 1, 1),))
        self.assertIsNone(whole_value(partial))
        self.assertIsNone(whole_value(KpiResult("revenue", quarter, None)))
        self.assertIsNone(whole_value(None))
