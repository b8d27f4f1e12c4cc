"""Quarters and years with months missing: values "so far", worked out by hand (issue 12)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from metrics.engine import (
    Comparison,
    Engine,
    KpiDef,
    KpiResult,
    PeriodKind,
    ReasonKind,
    Target,
    Unit,
    Verdict,
    period_of,
)
from metrics.engine.catalogue import Direction, Domain
from tests.metrics.engine.factories import figures, month, quarter

ENGINE = Engine.catalogue()

# A newcomer who logged January and February 2026 only.
JANUARY = {
    "revenue": 1000,
    "visitors": 400,
    "orders": 20,
    "new_customers": 10,
    "customers_start": 50,
    "customers_end": 55,
    "customers_lost": 5,
    "cash_in": 1000,
    "cash_out": 1600,
    "cash_end": 4400,
}
FEBRUARY = {
    "revenue": 1400,
    "visitors": 600,
    "orders": 40,
    "new_customers": 10,
    "customers_start": 55,
    "customers_end": 62,
    "customers_lost": 3,
    "cash_in": 1400,
    "cash_out": 1800,
    "cash_end": 4000,
}
NEWCOMER = figures({month(2026, 1): JANUARY, month(2026, 2): FEBRUARY})
TWO_MONTHS = (month(2026, 1), month(2026, 2))


def _q1(codes: list[str]) -> dict[str, KpiResult]:
    return ENGINE.compute(NEWCOMER, quarter(2026, 1), codes)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("revenue", Decimal(2400)),  # flow: 1000 + 1400
        # customers_end is `last`: February's 62, so 2400 / 62
        ("revenue_per_customer", Decimal(2400) / Decimal(62)),
        ("conversion_rate", Decimal(6)),  # (20 + 40) / (400 + 600) * 100 = 60 / 1000 * 100
        ("churn_rate", Decimal(16)),  # (5 + 3) lost / 50 at the start (January, `first`) * 100
        ("retention_rate", Decimal(84)),  # (62 at the end, `last`, - 20 new) / 50 * 100
        # ((1600 + 1800) - (1000 + 1400)) / 2 months present = 1000 / 2
        ("net_burn", Decimal(500)),
        ("runway_months", Decimal(8)),  # 4000 (cash at the end of February, `last`) / 500
    ],
)
def test_a_quarter_with_two_months_shows_the_value_so_far(code: str, expected: Decimal) -> None:
    result = _q1([code])[code]
    assert result.value == expected, code
    assert result.months == TWO_MONTHS
    assert result.is_partial


def test_a_year_with_two_months_shows_the_value_so_far() -> None:
    year = period_of(month(2026, 1), PeriodKind.YEAR)
    results = ENGINE.compute(NEWCOMER, year, ["revenue", "churn_rate", "conversion_rate"])
    assert results["revenue"].value == 2400  # 1000 + 1400, 2 of 12 months
    assert results["churn_rate"].value == 16  # 8 / 50 * 100
    assert results["conversion_rate"].value == 6  # 60 / 1000 * 100
    assert all(result.months == TWO_MONTHS for result in results.values())


def test_growth_over_part_of_a_period_is_na_and_says_why() -> None:
    # December 2025 gives the previous quarter some revenue, so "no previous" is not the reason.
    data = figures({month(2025, 12): {"revenue": 900}, month(2026, 1): JANUARY})
    result = ENGINE.compute(data, quarter(2026, 1), ["revenue_growth"])["revenue_growth"]
    assert result.value is None
    assert result.reason is not None
    assert (result.reason.kind, result.reason.present, result.reason.needed) == (
        ReasonKind.PARTIAL_PERIOD,
        1,
        3,
    )


def test_a_whole_quarter_is_not_compared_with_a_partial_one() -> None:
    rows = {month(2026, number): {"revenue": 100} for number in (2, 3, 4, 5, 6)}
    result = ENGINE.compute(figures(rows), quarter(2026, 2), ["revenue_growth"])["revenue_growth"]
    assert result.reason is not None
    assert (result.reason.kind, result.reason.present, result.reason.needed) == (
        ReasonKind.INCOMPLETE,
        2,
        3,
    )


def test_a_kpi_using_a_comparing_kpi_is_na_on_part_of_a_period_too() -> None:
    doubled = KpiDef(
        "growth_doubled",
        "Growth doubled",
        "",
        "revenue_growth * 2",
        Unit.PERCENT,
        Direction.UP,
        None,
        Domain.FINANCE,
    )
    engine = ENGINE.with_custom(kpis=[doubled])
    data = figures({month(2025, 12): {"revenue": 900}, month(2026, 1): JANUARY})
    reason = engine.compute(data, quarter(2026, 1), ["growth_doubled"])["growth_doubled"].reason
    assert reason is not None
    assert reason.kind is ReasonKind.PARTIAL_PERIOD


def test_stocks_take_the_first_and_last_months_present_across_a_gap() -> None:
    data = figures(
        {
            month(2026, 1): {"customers_start": 50, "customers_lost": 5, "customers_end": 55},
            month(2026, 3): {"customers_start": 58, "customers_lost": 2, "customers_end": 61},
        }
    )
    churn = ENGINE.compute(data, quarter(2026, 1), ["churn_rate"])["churn_rate"]
    assert churn.value == 14  # (5 + 2) / 50 (January, the first month present) * 100
    assert churn.months == (month(2026, 1), month(2026, 3))


def test_the_first_month_missing_makes_the_start_the_first_month_present() -> None:
    data = figures(
        {
            month(2026, 2): {"customers_start": 40, "customers_lost": 4},
            month(2026, 3): {"customers_start": 36, "customers_lost": 6},
        }
    )
    churn = ENGINE.compute(data, quarter(2026, 1), ["churn_rate"])["churn_rate"]
    assert churn.value == 25  # (4 + 6) / 40 (February's start) * 100


def test_each_kpi_uses_the_months_its_own_figures_share() -> None:
    # Revenue in all three months; the cost of sales only from March on.
    data = figures(
        {
            month(2026, 1): {"revenue": 1000},
            month(2026, 2): {"revenue": 1000},
            month(2026, 3): {"revenue": 2000, "cost_of_sales": 500},
        }
    )
    results = ENGINE.compute(data, quarter(2026, 1), ["revenue", "gross_margin"])
    assert results["revenue"].value == 4000  # the whole quarter
    assert results["revenue"].months is None
    assert results["gross_margin"].value == 75  # March alone: (2000 - 500) / 2000 * 100
    assert results["gross_margin"].months == (month(2026, 3),)


def test_a_figure_missing_in_every_month_is_still_missing() -> None:
    reason = _q1(["gross_margin"])["gross_margin"].reason
    assert reason is not None
    assert (reason.kind, reason.figure, reason.month) == (
        ReasonKind.MISSING_FIGURE,
        "cost_of_sales",
        month(2026, 1),
    )


# -- verdicts: pro-rated for totals, not for rates and stocks -----------------------------------

FLAT_REVENUE = Target(
    "revenue", Comparison.AT_LEAST, Decimal(1000), month(2026, 1), month(2026, 12)
)
# 1000 in January, 1600 in July: 100 more each month.
RAMP_REVENUE = Target(
    "revenue", Comparison.AT_LEAST, Decimal(1600), month(2026, 1), month(2026, 7), Decimal(1000)
)
# Customers at the end: 50 in January, 110 in July, 10 more each month.
RAMP_CUSTOMERS = Target(
    "customers_end", Comparison.AT_LEAST, Decimal(110), month(2026, 1), month(2026, 7), Decimal(50)
)


def _so_far(value: int) -> KpiResult:
    return KpiResult("x", quarter(2026, 1), Decimal(value), None, TWO_MONTHS)


def test_a_flat_total_target_is_pro_rated_over_the_months_present() -> None:
    # Two months of 1000 a month: 2000 expected, not the quarter's 3000.
    assert FLAT_REVENUE.expected_for_period(quarter(2026, 1), True, TWO_MONTHS) == 2000
    # 2400 meets 2000; against 3000 it would be behind (2400 < 3000 - 300).
    assert FLAT_REVENUE.verdict(_so_far(2400), quarter(2026, 1), True) is Verdict.ON_TRACK
    whole = KpiResult("x", quarter(2026, 1), Decimal(2400))
    assert FLAT_REVENUE.verdict(whole, quarter(2026, 1), True) is Verdict.BEHIND


def test_a_ramp_is_added_up_over_the_months_present() -> None:
    # January 1000 + February 1100 = 2100 (the whole quarter would be 1000 + 1100 + 1200).
    assert RAMP_REVENUE.expected_for_period(quarter(2026, 1), True, TWO_MONTHS) == 2100
    # 2000 misses 2100 by 100, within 10 % (210): close.
    assert RAMP_REVENUE.verdict(_so_far(2000), quarter(2026, 1), True) is Verdict.CLOSE


def test_a_stock_is_judged_at_the_last_month_present_and_not_pro_rated() -> None:
    # February expects 50 + 10 = 60, not 2/3 of anything; 62 meets it.
    assert RAMP_CUSTOMERS.expected_for_period(quarter(2026, 1), False, TWO_MONTHS) == 60
    assert RAMP_CUSTOMERS.verdict(_so_far(62), quarter(2026, 1), False) is Verdict.ON_TRACK
    # Against March's 70 it would have been behind: 62 misses by 8, more than 7.
    whole = KpiResult("x", quarter(2026, 1), Decimal(62))
    assert RAMP_CUSTOMERS.verdict(whole, quarter(2026, 1), False) is Verdict.BEHIND


def test_a_value_so_far_has_a_note_for_files() -> None:
    assert _so_far(1).note() == "partial 2 of 3 months"
    assert KpiResult("x", quarter(2026, 1), Decimal(1)).note() == ""
