"""No change at display precision, and a value axis with a minimum span (issue 12)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import translation

from metrics.dashboard.build import build_dashboard
from metrics.dashboard.charts import value_range
from metrics.dashboard.text import axis_format, change
from metrics.engine import Direction, Engine, MonthlyFigures, PeriodKind, Unit, period_of

JANUARY = period_of(date(2025, 1, 1), PeriodKind.MONTH)


def _change(current: str, other: str, unit: Unit, direction: Direction = Direction.UP):
    with translation.override("en"):
        return change(
            Decimal(current),
            Decimal(other),
            against=JANUARY,
            unit=unit,
            direction=direction,
            currency="EUR",
        )


def test_a_difference_that_rounds_to_zero_is_no_change_in_the_neutral_tone() -> None:
    # 12.04 % and 12.0 % are both shown as 12.0 %: no "down 0.0 percentage points … worse".
    for current, other, unit in (
        ("12.04", "12", Unit.PERCENT),
        ("11.96", "12", Unit.PERCENT),
        ("10.004", "10", Unit.MONEY),
        ("0", "0", Unit.COUNT),
    ):
        result = _change(current, other, unit, Direction.DOWN)
        assert (result.arrow, result.tone, result.amount) == ("→", "same", "No change"), current
        assert result.text == "The same as in January 2025."


def test_a_change_is_measured_between_the_values_as_shown() -> None:
    # 12.06 % is shown as 12.1 %: 0.1 percentage point up, better for a rate that should rise.
    result = _change("12.06", "12", Unit.PERCENT)
    assert (result.arrow, result.tone) == ("↑", "better")
    assert result.text == "Up 0.1 percentage points compared with January 2025: better."
    assert result.amount == "+0.1 percentage points"
    # Money: 1,250 against 1,000 is +250.00, +25.0 %.
    money = _change("1250", "1000", Unit.MONEY)
    assert money.amount == "+€250.00 (+25.0%)"


def test_a_total_over_part_of_a_period_is_not_compared() -> None:
    with translation.override("en"):
        result = change(
            Decimal(2400),
            Decimal(3000),
            against=JANUARY,
            unit=Unit.MONEY,
            direction=Direction.UP,
            currency="EUR",
            comparable=False,
        )
    assert (result.arrow, result.tone, result.amount) == ("", "none", "")
    assert result.text.startswith("Not compared with January 2025")


def test_values_close_together_get_the_minimum_span() -> None:
    # Largest 5.02: 10 % is 0.502, below the 1-point floor, so the span is 1 around the middle
    # 5.0: 4.5 to 5.5, then 5 % of the span (0.05) of room on each side.
    assert value_range([5.02, 5.0, 4.98], 1.0) == [4.45, 5.55]
    # Revenue 999 to 1,001: the span is 10 % of 1,001 = 100.1 around 1,000, plus 5.005 each side.
    assert value_range([1000.0, 1001.0, 999.0, None], 10.0) == [944.945, 1055.055]
    # All zero: the floor from zero up, not below it (but for the room).
    assert value_range([0.0, 0.0], 1.0) == [-0.05, 1.05]
    # Negative values stay below zero: −2 and −2.1 with a floor of 10 → −10 to 0.
    assert value_range([-2.0, -2.1], 10.0) == [-10.5, 0.5]


def test_values_far_enough_apart_keep_plotlys_own_axis() -> None:
    assert value_range([1000.0, 1500.0], 10.0) is None  # 500 apart > 150
    assert value_range([None, None], 1.0) is None


def test_the_chart_of_a_flat_rate_has_a_fixed_axis_of_at_least_one_point() -> None:
    rows = {
        date(2025, number, 1): {"orders": Decimal(50), "visitors": Decimal(1000)}
        for number in range(1, 4)
    }
    # March has 50.2 orders' worth: 5.02 %; January and February 5 %.
    rows[date(2025, 3, 1)] = {"orders": Decimal("50.2"), "visitors": Decimal(1000)}
    with translation.override("en"):
        board = build_dashboard(
            engine=Engine.catalogue(),
            figures=MonthlyFigures(rows),
            codes=["conversion_rate"],
            targets=[],
            period=period_of(date(2025, 3, 1), PeriodKind.MONTH),
            currency="EUR",
        )
    axis = board.cards[0].chart["layout"]["yaxis"]
    # Values 5, 5, 5.02: middle 5.01, span 1 → 4.51 to 5.51, with 0.05 room each side.
    assert axis["range"] == [4.46, 5.56]
    assert axis["autorange"] is False
    # The change that the chart would have made look like a cliff is a tiny rise.
    assert board.cards[0].changes[0].tone == "same"  # 5.02 % is shown as 5.0 %


def test_the_unit_sets_the_floor() -> None:
    with translation.override("en"):
        assert axis_format(Unit.PERCENT, "EUR").min_span == 1.0
        assert axis_format(Unit.MONEY, "EUR").min_span == 10.0
        assert axis_format(Unit.RATIO, "EUR").min_span == 0.1
        assert axis_format(Unit.COUNT, "EUR").min_span == 1.0
