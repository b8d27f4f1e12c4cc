"""Targets: expected values, verdicts and projections, worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from metrics.engine import (
    Comparison,
    KpiResult,
    Reason,
    ReasonKind,
    Target,
    Verdict,
    add_months,
    period_of,
    project,
)
from tests.metrics.engine.factories import month, month_period, quarter

# From 1000 in January to 1600 in July 2025: 100 more every month.
RAMP = Target(
    kpi="revenue",
    comparison=Comparison.AT_LEAST,
    value=Decimal(1600),
    first_month=month(2025, 1),
    deadline=month(2025, 7),
    baseline=Decimal(1000),
)
FLAT = Target("churn_rate", Comparison.AT_MOST, Decimal(5), month(2025, 1), month(2025, 12))


def result(value: str | None, period=None) -> KpiResult:  # type: ignore[no-untyped-def]
    period = period or month_period(2025, 3)
    if value is None:
        return KpiResult("x", period, None, Reason(ReasonKind.NO_PREVIOUS))
    return KpiResult("x", period, Decimal(value))


def test_without_a_baseline_every_month_expects_the_value() -> None:
    assert FLAT.expected(month(2025, 1)) == 5
    assert FLAT.expected(month(2025, 7)) == 5
    assert FLAT.expected(month(2030, 1)) == 5


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        (month(2025, 1), 1000),
        (month(2025, 2), 1100),
        (month(2025, 4), 1300),  # 1000 + 600 * 3 / 6
        (month(2025, 7), 1600),
        (month(2024, 11), 1000),  # before the first month: clamped
        (month(2025, 9), 1600),  # after the deadline: clamped
    ],
)
def test_linear_ramp(first: date, expected: int) -> None:
    assert RAMP.expected(first) == expected


def test_ramp_to_a_lower_value() -> None:
    target = Target(
        "churn_rate", Comparison.AT_MOST, Decimal(4), month(2025, 1), month(2025, 4), Decimal(10)
    )
    assert [target.expected(month(2025, n)) for n in range(1, 5)] == [10, 8, 6, 4]


def test_ramp_with_a_fractional_step() -> None:
    target = Target(
        "x", Comparison.AT_LEAST, Decimal(1), month(2025, 1), month(2025, 4), Decimal(0)
    )
    assert target.expected(month(2025, 2)) == Decimal(1) / 3


def test_ramp_over_a_single_month_is_the_value() -> None:
    target = Target(
        "x", Comparison.AT_LEAST, Decimal(7), month(2025, 1), month(2025, 1), Decimal(1)
    )
    assert target.expected(month(2025, 1)) == 7


def test_expected_for_a_period_total_sums_the_months() -> None:
    # April, May and June: 1300 + 1400 + 1500.
    assert RAMP.expected_for_period(quarter(2025, 2), period_total=True) == 4200
    # July is the deadline; August and September clamp to it: 3 * 1600.
    assert RAMP.expected_for_period(quarter(2025, 3), period_total=True) == 4800
    # The year: 1000 + 1100 + … + 1600 = 9100 for January to July, then 5 * 1600 = 8000.
    year = period_of(month(2025, 1), "year")
    assert RAMP.expected_for_period(year, period_total=True) == 17100


def test_expected_for_other_kpis_is_the_last_months_value() -> None:
    assert RAMP.expected_for_period(quarter(2025, 2), period_total=False) == 1500  # June
    assert RAMP.expected_for_period(quarter(2025, 3), period_total=False) == 1600  # clamped
    assert RAMP.expected_for_period(month_period(2025, 3), period_total=False) == 1200


def test_periods_outside_the_span_have_no_expected_value_or_verdict() -> None:
    assert RAMP.expected_for_period(quarter(2024, 4), period_total=True) is None
    assert RAMP.expected_for_period(quarter(2025, 4), period_total=False) is None
    assert RAMP.verdict(result("5000"), quarter(2024, 4), period_total=True) is None
    assert RAMP.verdict(result(None), month_period(2025, 8), period_total=False) is None


@pytest.mark.parametrize(
    ("actual", "verdict"),
    [
        ("1200", Verdict.ON_TRACK),  # expected in March: 1200
        ("1500", Verdict.ON_TRACK),
        ("1080", Verdict.CLOSE),  # misses by 120: exactly 10 % of 1200
        ("1100", Verdict.CLOSE),
        ("1079.99", Verdict.BEHIND),
        ("0", Verdict.BEHIND),
        (None, Verdict.NO_DATA),
    ],
)
def test_verdict_at_least(actual: str | None, verdict: Verdict) -> None:
    assert RAMP.verdict(result(actual), month_period(2025, 3), period_total=True) is verdict


@pytest.mark.parametrize(
    ("actual", "verdict"),
    [
        ("5", Verdict.ON_TRACK),
        ("3.2", Verdict.ON_TRACK),
        ("5.5", Verdict.CLOSE),  # exactly 10 % above 5
        ("5.51", Verdict.BEHIND),
        (None, Verdict.NO_DATA),
    ],
)
def test_verdict_at_most(actual: str | None, verdict: Verdict) -> None:
    assert FLAT.verdict(result(actual), month_period(2025, 3), period_total=False) is verdict


def test_verdict_for_a_quarter_of_a_period_total_kpi() -> None:
    # Expected over April–June: 4200; 10 % of it is 420.
    q2 = quarter(2025, 2)
    assert RAMP.verdict(result("4200", q2), q2, period_total=True) is Verdict.ON_TRACK
    assert RAMP.verdict(result("3780", q2), q2, period_total=True) is Verdict.CLOSE
    assert RAMP.verdict(result("3779", q2), q2, period_total=True) is Verdict.BEHIND


def test_verdict_with_a_negative_expected_value() -> None:
    target = Target(
        "net_income", Comparison.AT_LEAST, Decimal(-100), month(2025, 1), month(2025, 6)
    )
    period = month_period(2025, 2)
    assert target.verdict(result("-110", period), period, False) is Verdict.CLOSE  # 10 of 100
    assert target.verdict(result("-111", period), period, False) is Verdict.BEHIND


def test_zero_tolerance() -> None:
    target = Target(
        "x", Comparison.AT_LEAST, Decimal(10), month(2025, 1), month(2025, 6), tolerance=Decimal(0)
    )
    period = month_period(2025, 2)
    assert target.verdict(result("9.99", period), period, False) is Verdict.BEHIND
    assert target.verdict(result("10", period), period, False) is Verdict.ON_TRACK


def test_verdict_labels() -> None:
    assert [verdict.label for verdict in Verdict] == ["On track", "Close", "Behind", "No data"]
    assert Comparison.AT_MOST.label == "At most"


@pytest.mark.parametrize(
    ("first", "deadline", "tolerance"),
    [
        (month(2025, 5), month(2025, 4), Decimal("0.1")),
        (date(2025, 1, 2), month(2025, 4), Decimal("0.1")),
        (month(2025, 1), month(2025, 4), Decimal("-0.1")),
    ],
)
def test_impossible_targets(first: date, deadline: date, tolerance: Decimal) -> None:
    with pytest.raises(ValueError):
        Target("x", Comparison.AT_LEAST, Decimal(1), first, deadline, tolerance=tolerance)


# -- projections -------------------------------------------------------------------------------

GOAL = Target("revenue", Comparison.AT_LEAST, Decimal(150), month(2025, 1), month(2025, 12))


JANUARY = month(2025, 1)


def values(*numbers: int, start: date = JANUARY) -> list[tuple[date, Decimal]]:
    return [(add_months(start, index), Decimal(number)) for index, number in enumerate(numbers)]


def test_projection_needs_three_values() -> None:
    assert project(GOAL, values(100, 110), as_of=month(2025, 2)) is None
    assert project(GOAL, [], as_of=month(2025, 2)) is None


def test_projection_of_a_perfect_line() -> None:
    projection = project(GOAL, values(100, 110, 120), as_of=month(2025, 3))
    assert projection is not None
    # 10 more each month: April 130, May 140, June 150 meets the target.
    assert projection.slope == 10
    assert projection.reach_month == month(2025, 6)
    # December is 9 months after March: 120 + 90.
    assert projection.value_at_deadline == 210
    assert projection.meets_target
    assert len(projection.points) == 12
    assert projection.points[0] == (month(2025, 1), Decimal(100))
    assert projection.points[-1] == (month(2025, 12), Decimal(210))


def test_projection_of_a_trend_going_the_wrong_way() -> None:
    projection = project(GOAL, values(120, 110, 100), as_of=month(2025, 3))
    assert projection is not None
    assert projection.reach_month is None
    assert not projection.meets_target
    assert projection.value_at_deadline == 10  # 100 - 9 * 10


def test_projection_of_a_scattered_trend() -> None:
    # y = 1, 3, 2 at x = -2, -1, 0: slope = ((-1)(-1) + 0 + (1)(0)) / (1 + 0 + 1) = 0.5;
    # the line at x = 0 is 2 - 0.5 * (-1) = 2.5, so 3.0 in one month, 4.0 in three.
    target = Target("x", Comparison.AT_LEAST, Decimal(4), month(2025, 1), month(2025, 7))
    projection = project(target, values(1, 3, 2), as_of=month(2025, 3))
    assert projection is not None
    assert projection.slope == Decimal("0.5")
    assert projection.reach_month == month(2025, 6)
    assert projection.value_at_deadline == Decimal("4.5")  # 2.5 + 0.5 * 4
    assert projection.meets_target


def test_projection_for_an_at_most_target() -> None:
    # Churn falling by one point a month: 8, 7, 6; April 5, May 4 meets "at most 4".
    target = Target("churn_rate", Comparison.AT_MOST, Decimal(4), month(2025, 1), month(2025, 12))
    projection = project(target, values(8, 7, 6), as_of=month(2025, 3))
    assert projection is not None
    assert projection.reach_month == month(2025, 5)
    assert projection.meets_target


def test_projection_uses_only_the_last_six_values_up_to_as_of() -> None:
    history = values(900, -900, 900, 100, 110, 120, 130, 140, 150, 5000)
    # as_of September: the last six are April–September, a perfect line of 10 a month.
    projection = project(GOAL, history, as_of=month(2025, 9))
    assert projection is not None
    assert projection.slope == 10
    assert projection.points[0] == (month(2025, 4), Decimal(100))
    # The last value (September, 150) already meets the target; the search starts after it.
    assert projection.reach_month == month(2025, 10)


def test_projection_when_the_deadline_has_passed() -> None:
    projection = project(GOAL, values(100, 110, 120, start=month(2026, 1)), as_of=month(2026, 3))
    assert projection is not None
    assert projection.reach_month is None
    assert projection.value_at_deadline == 90  # December 2025: 3 months before, 120 - 30
    assert not projection.meets_target


def test_projection_ignores_values_out_of_order_and_keeps_the_last_per_month() -> None:
    history = [*reversed(values(100, 110, 120)), (month(2025, 3), Decimal(120))]
    projection = project(GOAL, history, as_of=month(2025, 3))
    assert projection is not None
    assert projection.slope == 10


def test_a_quarter_of_churn_is_held_to_the_monthly_targets_added_up() -> None:
    from metrics.engine import KPIS, Engine, MonthlyFigures, period_of

    months = [date(2025, 4, 1), date(2025, 5, 1), date(2025, 6, 1)]
    figures = MonthlyFigures(
        {
            month: {"customers_start": Decimal(start), "customers_lost": Decimal(lost)}
            for month, start, lost in zip(months, (100, 95, 90), (7, 6, 8), strict=True)
        }
    )
    quarter = period_of(months[0], "quarter")
    # Lost 7 + 6 + 8 = 21 of the 100 customers at the start of the quarter: 21 %.
    result = Engine.catalogue().compute(figures, quarter, ["churn_rate"])["churn_rate"]
    assert result.value == 21
    rule = Target(
        kpi="churn_rate",
        comparison=Comparison.AT_MOST,
        value=Decimal(8),
        first_month=date(2025, 1, 1),
        deadline=date(2025, 12, 1),
    )
    # At most 8 % a month is at most 24 % over three months: 21 % is on track.
    assert rule.expected_for_period(quarter, KPIS["churn_rate"].period_total) == 24
    assert rule.verdict(result, quarter, KPIS["churn_rate"].period_total) is Verdict.ON_TRACK
