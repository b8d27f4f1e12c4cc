"""Every catalogue KPI against values worked out by hand, over months, quarters and years."""

from __future__ import annotations

from decimal import Decimal

import pytest

from metrics.engine import (
    FIGURES,
    KPIS,
    Aggregation,
    CatalogueError,
    CycleError,
    Engine,
    FigureDef,
    FormulaError,
    Guard,
    KpiDef,
    MonthlyFigures,
    PeriodKind,
    ReasonKind,
    Unit,
    period_of,
    periods_between,
)
from metrics.engine.catalogue import Direction, Domain
from metrics.engine.results import RESULT_LIMIT, Reason
from tests.metrics.engine.factories import (
    SHOP_MONTH,
    figures,
    month,
    month_period,
    quarter,
)

ENGINE = Engine.catalogue()

# SHOP_MONTH in February 2025, with January's revenue at 1600 for the growth.
EXPECTED_SHOP_MONTH = {
    "visitors": "1000",
    "leads": "40",
    "ad_ctr": "1.5",  # 300 / 20000 * 100
    "cpa": "25",  # 500 / 20
    "cac": "50",  # (600 + 400) / 20
    "subscriber_growth": "22",  # 30 - 8
    "followers_new": "45",
    "search_position": "7",
    "conversion_rate": "5",  # 50 / 1000 * 100
    "lead_conversion_rate": "50",  # 20 / 40 * 100
    "new_customers": "20",
    "avg_sales_cycle_days": "42",  # 168 / 4: six weeks
    "retention_rate": "80",  # (100 - 20) / 100 * 100
    "churn_rate": "20",  # 20 / 100 * 100
    "return_rate": "10",  # 10 / 100 * 100
    "email_open_rate": "30",  # 150 / 500 * 100: a good open rate
    "email_click_rate": "5",  # 25 / 500 * 100
    "csat": "80",  # 32 / 40 * 100
    "engagement_per_post": "30",  # 360 / 12
    "referral_rate": "25",  # 5 / 20 * 100
    "nps": "40",  # (30 - 10) / (30 + 10 + 10) * 100
    "revenue": "2000",
    "revenue_growth": "25",  # (2000 - 1600) / 1600 * 100
    "average_order_value": "40",  # 2000 / 50
    "revenue_per_customer": "20",  # 2000 / 100
    "gross_margin": "60",  # (2000 - 800) / 2000 * 100
    "net_income": "300",  # 2000 - 800 - 900
    "net_margin": "15",  # 300 / 2000 * 100
    "break_even_revenue": "1500",  # 900 / ((2000 - 800) / 2000) = 900 / 0.6
    "mrr": "500",
    "customer_lifetime_value": "100",  # (2000 / 100) / (20 / 100) = 20 / 0.2
    "ltv_to_cac": "2",  # 100 / 50
    "roas": "3",  # 1500 / 500
    "marketing_roi": "200",  # (1500 - 500) / 500 * 100
    "net_burn": "500",  # (2300 - 1800) / 1
    "runway_months": "12",  # 6000 / ((2300 - 1800) / 1)
    "employee_satisfaction": "8",
}


def shop_data() -> MonthlyFigures:
    return figures({month(2025, 1): {"revenue": 1600}, month(2025, 2): SHOP_MONTH})


def test_the_expectations_cover_every_catalogue_kpi() -> None:
    assert list(EXPECTED_SHOP_MONTH) == list(KPIS)


@pytest.mark.parametrize("code", list(EXPECTED_SHOP_MONTH))
def test_every_catalogue_kpi_on_a_month(code: str) -> None:
    result = ENGINE.compute(shop_data(), month_period(2025, 2))[code]

    assert result.reason is None
    assert result.value == Decimal(EXPECTED_SHOP_MONTH[code])
    assert result.code == code
    assert result.period == month_period(2025, 2)
    assert not result.is_na


# -- domain.md's worked examples -----------------------------------------------------------------


def one_month(**values: int) -> dict[str, object]:
    return ENGINE.compute(figures({month(2025, 3): values}), month_period(2025, 3))


def value(results: dict[str, object], code: str) -> Decimal | None:
    return results[code].value  # type: ignore[attr-defined]


def test_conversion_rate_50_visitors_5_purchases_is_10_percent() -> None:
    assert value(one_month(visitors=50, orders=5), "conversion_rate") == 10  # 5 / 50 * 100


def test_conversion_rate_1000_visitors_50_buyers_is_5_percent() -> None:
    assert value(one_month(visitors=1000, orders=50), "conversion_rate") == 5  # 50 / 1000 * 100


def test_cpa_500_on_ads_for_5_customers_is_100() -> None:
    assert value(one_month(ad_spend=500, new_customers=5), "cpa") == 100  # 500 / 5


def test_cpa_1000_for_20_customers_is_50() -> None:
    assert value(one_month(ad_spend=1000, new_customers=20), "cpa") == 50  # 1000 / 20


def test_return_rate_100_sold_10_returned_is_10_percent() -> None:
    assert value(one_month(units_sold=100, units_returned=10), "return_rate") == 10


def test_csat_eight_of_ten_satisfied_is_80_percent() -> None:
    # 8 of every 10 answers are 4 or 5: 8 / 10 * 100.
    assert value(one_month(csat_responses=10, csat_satisfied=8), "csat") == 80


def test_email_open_rate_average_and_good() -> None:
    assert value(one_month(emails_delivered=1000, emails_opened=200), "email_open_rate") == 20
    assert value(one_month(emails_delivered=1000, emails_opened=300), "email_open_rate") == 30


def test_sales_cycle_of_six_weeks() -> None:
    # Three deals that took 35, 42 and 49 days: 126 / 3 = 42 days, six weeks.
    assert value(one_month(deals_closed=3, sales_cycle_days=126), "avg_sales_cycle_days") == 42


def test_retention_and_churn_formulas() -> None:
    results = one_month(customers_start=200, customers_end=210, new_customers=30, customers_lost=20)
    assert value(results, "retention_rate") == 90  # (210 - 30) / 200 * 100
    assert value(results, "churn_rate") == 10  # 20 / 200 * 100


def test_cac_is_sales_and_marketing_spend_per_new_customer() -> None:
    results = one_month(marketing_spend=1500, sales_spend=500, new_customers=40)
    assert value(results, "cac") == 50  # (1500 + 500) / 40


def test_lifetime_value_of_500_per_customer() -> None:
    # 100 euros per customer in the month, 20 % churn a month: 100 / 0.2 = 500.
    results = one_month(revenue=5000, customers_end=50, customers_start=50, customers_lost=10)
    assert value(results, "customer_lifetime_value") == 500


def test_division_results_keep_decimal_precision() -> None:
    results = one_month(visitors=3, orders=1)
    # 1 / 3 * 100 with 28 significant digits, rounded only for display.
    assert value(results, "conversion_rate") == Decimal("33.33333333333333333333333333")


# -- quarters and years from aggregated figures ---------------------------------------------------

Q1_2025 = {
    month(2024, 10): {"revenue": 1000},
    month(2024, 11): {"revenue": 1000},
    month(2024, 12): {"revenue": 1200},
    month(2025, 1): {
        "visitors": 50,
        "orders": 5,
        "customers_start": 100,
        "customers_end": 95,
        "new_customers": 5,
        "customers_lost": 10,
        "search_position": 7,
        "cash_in": 1000,
        "cash_out": 1500,
        "cash_end": 9000,
        "revenue": 500,
    },
    month(2025, 2): {
        "visitors": 1000,
        "orders": 50,
        "customers_start": 95,
        "customers_end": 98,
        "new_customers": 8,
        "customers_lost": 5,
        "search_position": 8,
        "cash_in": 1200,
        "cash_out": 1400,
        "cash_end": 8800,
        "revenue": 2000,
    },
    month(2025, 3): {
        "visitors": 950,
        "orders": 95,
        "customers_start": 98,
        "customers_end": 104,
        "new_customers": 10,
        "customers_lost": 4,
        "search_position": 12,
        "cash_in": 1100,
        "cash_out": 1600,
        "cash_end": 8300,
        "revenue": 1900,
    },
}


def test_quarter_uses_aggregated_figures_not_the_average_of_monthly_kpis() -> None:
    data = figures(Q1_2025)
    monthly = ENGINE.compute_series(
        data, periods_between(month(2025, 1), month(2025, 3), "month"), ["conversion_rate"]
    )
    rates = [results["conversion_rate"].value for results in monthly.values()]
    assert rates == [10, 5, 10]  # 5/50, 50/1000, 95/950
    # Averaging those would give 8.33; the quarter is (5 + 50 + 95) / (50 + 1000 + 950) = 7.5 %.
    result = ENGINE.compute(data, quarter(2025, 1), ["conversion_rate"])["conversion_rate"]
    assert result.value == Decimal("7.5")
    assert sum(rates) / 3 != result.value


def test_quarter_aggregations_first_last_sum_and_mean() -> None:
    results = ENGINE.compute(figures(Q1_2025), quarter(2025, 1))
    # Churn: lost in the quarter / customers at its start = (10 + 5 + 4) / 100 * 100.
    assert results["churn_rate"].value == 19
    # Retention: (customers at the end of March - new in the quarter) / start = (104 - 23) / 100.
    assert results["retention_rate"].value == 81
    # Search position is a level: the mean of 7, 8 and 12.
    assert results["search_position"].value == 9
    assert results["revenue"].value == 4400  # 500 + 2000 + 1900
    # Net burn per month: (4500 - 3300) / 3 = 400; runway: cash at the end of March / 400.
    assert results["net_burn"].value == 400
    assert results["runway_months"].value == Decimal("20.75")  # 8300 / 400
    # Growth against the quarter before: (4400 - 3200) / 3200 * 100.
    assert results["revenue_growth"].value == Decimal("37.5")


def test_year_sums_flows_and_takes_stocks_at_its_ends() -> None:
    rows = {
        month(2025, number): {
            "revenue": 100 * number,
            "customers_start": 10 * number,
            "customers_end": 12 + number,
            "customers_lost": 1,
            "visitors": 100,
            "orders": number,
        }
        for number in range(1, 13)
    }
    results = ENGINE.compute(figures(rows), period_of(month(2025, 6), PeriodKind.YEAR))
    assert results["revenue"].value == 7800  # 100 * (1 + 2 + … + 12) = 100 * 78
    assert results["conversion_rate"].value == Decimal("6.5")  # 78 / 1200 * 100
    assert results["revenue_per_customer"].value == 325  # 7800 / customers at the end (24)
    assert results["visitors"].value == 1200
    assert results["churn_rate"].value == 120  # 12 lost / customers at the start of January (10)


def test_financial_year_starting_in_april() -> None:
    rows = {month(2024, 3): {"revenue": 99999}, month(2025, 4): {"revenue": 99999}}
    for offset in range(12):
        first = month(2024, 4 + offset) if offset < 9 else month(2025, offset - 8)
        rows[first] = {"revenue": 100, "cost_of_sales": 40}
    data = figures(rows)

    year = period_of(month(2025, 2), PeriodKind.YEAR, fy_start=4)
    assert year.label == "2024"
    assert (year.start, year.end) == (month(2024, 4), month(2025, 3))
    results = ENGINE.compute(data, year, ["revenue", "gross_margin"])
    assert results["revenue"].value == 1200  # April 2024 to March 2025, 12 * 100
    assert results["gross_margin"].value == 60  # (1200 - 480) / 1200 * 100

    fiscal_q4 = period_of(month(2025, 2), PeriodKind.QUARTER, fy_start=4)
    assert fiscal_q4.label == "2024-Q4"
    assert ENGINE.compute(data, fiscal_q4, ["revenue"])["revenue"].value == 300
    fiscal_q1 = period_of(month(2025, 5), PeriodKind.QUARTER, fy_start=4)
    assert fiscal_q1.label == "2025-Q1"
    # April 2025 has revenue; May and June were not entered: the quarter so far is April's.
    revenue = ENGINE.compute(data, fiscal_q1, ["revenue"])["revenue"]
    assert revenue.value == 99999
    assert revenue.months == (month(2025, 4),)


# -- n/a and its reasons -------------------------------------------------------------------------


def test_missing_figure_names_the_figure_and_the_month() -> None:
    result = ENGINE.compute(figures({month(2025, 3): {"visitors": 10}}), month_period(2025, 3))
    reason = result["conversion_rate"].reason
    assert result["conversion_rate"].value is None
    assert result["conversion_rate"].is_na
    assert reason is not None
    assert (reason.kind, reason.figure, reason.month) == (
        ReasonKind.MISSING_FIGURE,
        "orders",
        month(2025, 3),
    )


def test_missing_is_not_zero() -> None:
    data = figures({month(2025, 3): {"revenue": 100}})
    result = ENGINE.compute(data, month_period(2025, 3), ["net_income"])["net_income"]
    assert result.value is None
    assert result.reason is not None
    assert result.reason.figure == "cost_of_sales"


def test_missing_in_every_month_of_a_quarter_names_the_first_month() -> None:
    data = figures({month(2025, number): {"visitors": 10} for number in (1, 2, 3)})
    reason = ENGINE.compute(data, quarter(2025, 1), ["conversion_rate"])["conversion_rate"].reason
    assert reason is not None
    assert (reason.kind, reason.figure, reason.month) == (
        ReasonKind.MISSING_FIGURE,
        "orders",
        month(2025, 1),
    )


def test_a_quarter_with_a_figure_missing_in_one_month_is_computed_over_the_shared_months() -> None:
    # Changed on purpose (issue 12): this quarter was n/a, "incomplete: orders 2 of 3 months".
    data = figures(
        {
            month(2025, 1): {"visitors": 10, "orders": 1},
            month(2025, 2): {"visitors": 10},
            month(2025, 3): {"visitors": 10, "orders": 1},
        }
    )
    result = ENGINE.compute(data, quarter(2025, 1), ["conversion_rate"])["conversion_rate"]
    # Orders are in January and March only, so visitors count for those months too:
    # (1 + 1) / (10 + 10) * 100 = 10, not (1 + 1) / 30 * 100.
    assert result.value == 10
    assert result.months == (month(2025, 1), month(2025, 3))
    assert result.is_partial


def test_a_quarter_whose_figures_share_no_month_says_which_is_incomplete() -> None:
    data = figures({month(2025, 1): {"visitors": 10}, month(2025, 2): {"orders": 1}})
    reason = ENGINE.compute(data, quarter(2025, 1), ["conversion_rate"])["conversion_rate"].reason
    assert reason is not None
    assert (reason.kind, reason.figure, reason.present, reason.needed, reason.month) == (
        ReasonKind.INCOMPLETE,
        "visitors",
        1,
        3,
        month(2025, 2),
    )


def test_a_month_without_any_entry_leaves_the_quarter_so_far() -> None:
    # Changed on purpose (issue 12): this was n/a, "incomplete: 2 of 3 months".
    data = figures({month(2025, 1): {"revenue": 1}, month(2025, 3): {"revenue": 1}})
    result = ENGINE.compute(data, quarter(2025, 1), ["revenue"])["revenue"]
    assert result.value == 2  # 1 + 1
    assert result.months == (month(2025, 1), month(2025, 3))


def test_first_missing_figure_from_the_left_is_reported() -> None:
    data = figures({month(2025, 3): {}})
    reason = ENGINE.compute(data, month_period(2025, 3), ["cac"])["cac"].reason
    assert reason is not None
    assert reason.figure == "marketing_spend"


def test_zero_denominator_names_the_denominator() -> None:
    data = figures({month(2025, 3): {"customers_lost": 3, "customers_start": 0}})
    reason = ENGINE.compute(data, month_period(2025, 3), ["churn_rate"])["churn_rate"].reason
    assert reason is not None
    assert (reason.kind, reason.source) == (ReasonKind.ZERO_DENOMINATOR, "customers_start")


def test_zero_denominator_of_a_sum_shows_the_sum() -> None:
    data = figures({month(2025, 3): {"nps_promoters": 0, "nps_passives": 0, "nps_detractors": 0}})
    reason = ENGINE.compute(data, month_period(2025, 3), ["nps"])["nps"].reason
    assert reason is not None
    assert reason.source == "nps_promoters + nps_passives + nps_detractors"


def test_zero_churn_makes_lifetime_value_na_and_ltv_to_cac_inherits_it() -> None:
    values = dict(SHOP_MONTH, customers_lost=0)
    results = ENGINE.compute(figures({month(2025, 2): values}), month_period(2025, 2))
    clv, ratio = results["customer_lifetime_value"], results["ltv_to_cac"]
    assert clv.reason is not None
    assert (clv.reason.kind, clv.reason.source) == (
        ReasonKind.ZERO_DENOMINATOR,
        "customers_lost / customers_start",
    )
    assert ratio.value is None
    assert ratio.reason == clv.reason


def test_ltv_to_cac_is_na_when_cac_is() -> None:
    values = dict(SHOP_MONTH)
    del values["sales_spend"]
    results = ENGINE.compute(figures({month(2025, 2): values}), month_period(2025, 2))
    assert results["customer_lifetime_value"].value == 100
    reason = results["ltv_to_cac"].reason
    assert reason is not None
    assert (reason.kind, reason.figure) == (ReasonKind.MISSING_FIGURE, "sales_spend")


def test_no_previous_period() -> None:
    data = figures({month(2025, 1): {"revenue": 100}})
    reason = ENGINE.compute(data, month_period(2025, 1), ["revenue_growth"])[
        "revenue_growth"
    ].reason
    assert reason is not None
    assert reason.kind is ReasonKind.NO_PREVIOUS


def test_previous_period_with_entries_but_without_the_figure_is_no_previous() -> None:
    data = figures({month(2025, 1): {"visitors": 5}, month(2025, 2): {"revenue": 100}})
    result = ENGINE.compute(data, month_period(2025, 2), ["revenue_growth"])["revenue_growth"]
    assert result.reason is not None
    assert result.reason.kind is ReasonKind.NO_PREVIOUS


def test_previous_quarter_with_some_months_is_incomplete() -> None:
    rows = {month(2025, number): {"revenue": 100} for number in (1, 2, 3)}
    rows |= {month(2024, 11): {"revenue": 50}, month(2024, 12): {"revenue": 50}}
    result = ENGINE.compute(figures(rows), quarter(2025, 1), ["revenue_growth"])["revenue_growth"]
    reason = result.reason
    assert reason is not None
    assert (reason.kind, reason.figure, reason.present, reason.needed, reason.month) == (
        ReasonKind.INCOMPLETE,
        "revenue",
        2,
        3,
        month(2024, 10),
    )


def test_previous_value_of_zero_makes_growth_na() -> None:
    data = figures({month(2025, 1): {"revenue": 0}, month(2025, 2): {"revenue": 100}})
    reason = ENGINE.compute(data, month_period(2025, 2), ["revenue_growth"])[
        "revenue_growth"
    ].reason
    assert reason is not None
    assert (reason.kind, reason.source) == (ReasonKind.ZERO_DENOMINATOR, "previous(revenue)")


def test_growth_can_be_negative() -> None:
    data = figures({month(2025, 1): {"revenue": 200}, month(2025, 2): {"revenue": 150}})
    result = ENGINE.compute(data, month_period(2025, 2), ["revenue_growth"])["revenue_growth"]
    assert result.value == -25  # (150 - 200) / 200 * 100


def test_no_break_even_at_zero_or_negative_margin() -> None:
    for cost in (1000, 1200):
        data = figures(
            {month(2025, 3): {"revenue": 1000, "cost_of_sales": cost, "operating_costs": 500}}
        )
        result = ENGINE.compute(data, month_period(2025, 3), ["break_even_revenue"])
        reason = result["break_even_revenue"].reason
        assert reason is not None
        assert reason.kind is ReasonKind.NO_BREAK_EVEN


def test_break_even_guard_reports_a_missing_figure_first() -> None:
    data = figures({month(2025, 3): {"revenue": 1000, "operating_costs": 500}})
    result = ENGINE.compute(data, month_period(2025, 3), ["break_even_revenue"])
    reason = result["break_even_revenue"].reason
    assert reason is not None
    assert (reason.kind, reason.figure) == (ReasonKind.MISSING_FIGURE, "cost_of_sales")


def test_not_burning_cash() -> None:
    for cash_in in (2000, 2500):
        data = figures({month(2025, 3): {"cash_in": cash_in, "cash_out": 2000, "cash_end": 5000}})
        results = ENGINE.compute(data, month_period(2025, 3), ["runway_months", "net_burn"])
        reason = results["runway_months"].reason
        assert reason is not None
        assert reason.kind is ReasonKind.NOT_BURNING
        assert results["net_burn"].value == 2000 - cash_in  # 0 or -500: cash grows


def test_values_too_large_for_decimal_are_out_of_range() -> None:
    engine = tiny_engine({"cube": "a * a * a"})
    data = MonthlyFigures({month(2025, 1): {"a": Decimal("1E+400000")}})
    result = engine.compute(data, month_period(2025, 1))["cube"]
    assert result.value is None
    assert result.reason is not None
    assert result.reason.kind is ReasonKind.OUT_OF_RANGE


# -- results shape -------------------------------------------------------------------------------


def test_compute_returns_the_codes_asked_for_in_that_order() -> None:
    results = ENGINE.compute(shop_data(), month_period(2025, 2), ["churn_rate", "cac", "revenue"])
    assert list(results) == ["churn_rate", "cac", "revenue"]


def test_compute_without_codes_returns_every_kpi_in_catalogue_order() -> None:
    assert list(ENGINE.compute(shop_data(), month_period(2025, 2))) == list(KPIS)


def test_compute_series_matches_compute_for_each_period() -> None:
    data = figures(Q1_2025)
    periods = periods_between(month(2024, 10), month(2025, 3), "month")
    series = ENGINE.compute_series(data, periods)
    assert list(series) == periods
    for period in periods:
        assert series[period] == ENGINE.compute(data, period)


def test_compute_series_keeps_the_given_period_order() -> None:
    periods = list(reversed(periods_between(month(2024, 10), month(2025, 3), "month")))
    series = ENGINE.compute_series(figures(Q1_2025), periods, ["revenue_growth"])
    assert list(series) == periods
    assert series[month_period(2025, 3)]["revenue_growth"].value == -5  # (1900 - 2000) / 2000


def test_unknown_kpi_code_is_refused() -> None:
    with pytest.raises(CatalogueError, match="Unknown KPI “nope”"):
        ENGINE.compute(shop_data(), month_period(2025, 2), ["nope"])


def test_a_plain_mapping_is_accepted_as_data() -> None:
    results = ENGINE.compute(
        {month(2025, 1): {"visitors": Decimal(50), "orders": 5}},  # type: ignore[arg-type]
        month_period(2025, 1),
        ["conversion_rate"],
    )
    assert results["conversion_rate"].value == 10


def test_catalogue_engine_is_built_once() -> None:
    assert Engine.catalogue() is Engine.catalogue()


def test_figures_needed_follows_kpis_previous_and_guards() -> None:
    assert ENGINE.figures_needed(["ltv_to_cac"]) == [
        "new_customers",
        "customers_start",
        "customers_end",
        "customers_lost",
        "revenue",
        "marketing_spend",
        "sales_spend",
    ]
    assert ENGINE.figures_needed(["revenue_growth"]) == ["revenue"]
    assert ENGINE.figures_needed(["runway_months"]) == ["cash_in", "cash_out", "cash_end"]
    # No built-in KPI uses intro_calls; every other figure serves at least one.
    assert ENGINE.figures_needed() == [code for code in FIGURES if code != "intro_calls"]


# -- monthly figures ---------------------------------------------------------------------------


def test_monthly_figures_are_immutable_and_sorted() -> None:
    data = figures({month(2025, 3): {"revenue": 1}, month(2025, 1): {"revenue": 2}})
    assert list(data) == [month(2025, 1), month(2025, 3)]
    assert (data.first_month, data.last_month) == (month(2025, 1), month(2025, 3))
    assert data.value(month(2025, 1), "revenue") == 2
    assert data.value(month(2025, 2), "revenue") is None
    assert data.codes() == {"revenue"}
    with pytest.raises(TypeError):
        data[month(2025, 1)]["revenue"] = Decimal(5)  # type: ignore[index]


def test_monthly_figures_refuse_floats_days_and_infinity() -> None:
    with pytest.raises(TypeError):
        MonthlyFigures({month(2025, 1): {"revenue": 1.5}})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="first day"):
        MonthlyFigures({month(2025, 1).replace(day=2): {"revenue": 1}})
    with pytest.raises(ValueError, match="finite"):
        MonthlyFigures({month(2025, 1): {"revenue": Decimal("Infinity")}})


def test_none_means_missing() -> None:
    data = MonthlyFigures({month(2025, 1): {"revenue": None, "orders": 2}})
    assert data[month(2025, 1)] == {"orders": Decimal(2)}
    assert MonthlyFigures().first_month is None


# -- custom figures and KPIs, dependencies and cycles --------------------------------------------


def tiny_engine(kpis: dict[str, str], codes: tuple[str, ...] = ("a", "b", "c")) -> Engine:
    figure_defs = {code: FigureDef(code, code, code, Unit.COUNT, Aggregation.SUM) for code in codes}
    kpi_defs = {
        code: KpiDef(code, code, code, formula, Unit.COUNT, Direction.UP, None, Domain.SALES)
        for code, formula in kpis.items()
    }
    return Engine(figure_defs, kpi_defs)


def test_kpis_run_in_dependency_order_whatever_the_definition_order() -> None:
    engine = tiny_engine({"top": "middle * 2", "middle": "bottom + 1", "bottom": "a"})
    data = MonthlyFigures({month(2025, 1): {"a": Decimal(4)}})
    results = engine.compute(data, month_period(2025, 1))
    assert [results[code].value for code in ("top", "middle", "bottom")] == [10, 5, 4]


def test_a_cycle_is_refused_with_the_kpis_named() -> None:
    with pytest.raises(CycleError) as caught:
        tiny_engine({"x": "a", "alpha": "beta + 1", "beta": "gamma * 2", "gamma": "alpha - a"})
    assert caught.value.cycle == ("alpha", "beta", "gamma", "alpha")
    assert str(caught.value) == (
        "These KPIs depend on each other in a circle: alpha → beta → gamma → alpha"
    )
    assert isinstance(caught.value, FormulaError)


def test_a_kpi_using_itself_is_a_cycle() -> None:
    with pytest.raises(CycleError, match="a circle: loop → loop"):
        tiny_engine({"loop": "loop + 1"})


def test_a_cycle_through_a_guard_is_refused() -> None:
    figure_defs = {"a": FigureDef("a", "a", "a", Unit.COUNT, Aggregation.SUM)}
    kpis = {
        "p": KpiDef(
            "p", "p", "p", "a", Unit.COUNT, Direction.UP, None, Domain.SALES,
            guard=Guard("q", ReasonKind.NOT_BURNING),
        ),
        "q": KpiDef("q", "q", "q", "p", Unit.COUNT, Direction.UP, None, Domain.SALES),
    }  # fmt: skip
    with pytest.raises(CycleError, match="p → q → p"):
        Engine(figure_defs, kpis)


def test_a_long_chain_of_kpis_does_not_hit_the_recursion_limit() -> None:
    chain = {f"k{index}": f"k{index + 1} + 1" for index in range(3000)}
    chain["k3000"] = "a"
    engine = tiny_engine(chain)
    data = MonthlyFigures({month(2025, 1): {"a": Decimal(0)}})
    assert engine.compute(data, month_period(2025, 1), ["k0"])["k0"].value == 3000


def test_previous_of_a_kpi_is_not_a_cycle_and_is_computed_on_demand() -> None:
    engine = tiny_engine({"share": "a / b * 100", "change": "share - previous(share)"})
    data = MonthlyFigures(
        {
            month(2025, 1): {"a": Decimal(60), "b": Decimal(100)},
            month(2025, 2): {"a": Decimal(50), "b": Decimal(100)},
        }
    )
    assert engine.compute(data, month_period(2025, 2), ["change"])["change"].value == -10
    reason = engine.compute(data, month_period(2025, 1), ["change"])["change"].reason
    assert reason is not None
    assert reason.kind is ReasonKind.NO_PREVIOUS


def test_previous_of_a_na_kpi_gives_its_reason() -> None:
    engine = tiny_engine({"share": "a / b * 100", "change": "share - previous(share)"})
    data = MonthlyFigures(
        {
            month(2025, 1): {"a": Decimal(60), "b": Decimal(0)},
            month(2025, 2): {"a": Decimal(50), "b": Decimal(100)},
        }
    )
    reason = engine.compute(data, month_period(2025, 2), ["change"])["change"].reason
    assert reason is not None
    assert (reason.kind, reason.source) == (ReasonKind.ZERO_DENOMINATOR, "b")


def test_a_kpi_of_its_own_previous_value_over_a_long_history_ends_cleanly() -> None:
    engine = tiny_engine({"running": "previous(running) + a"})
    rows = {month(1950 + index // 12, index % 12 + 1): {"a": Decimal(1)} for index in range(900)}
    data = MonthlyFigures(rows)
    last = month_period(2024, 12)
    result = engine.compute(data, last)["running"]
    # The first month has no previous period, and every later month inherits that.
    assert result.reason is not None
    assert result.reason.kind is ReasonKind.NO_PREVIOUS


def test_months_is_the_number_of_months_of_the_period() -> None:
    engine = tiny_engine({"per_month": "a / months"})
    data = MonthlyFigures({month(2025, n): {"a": Decimal(30)} for n in range(1, 13)})
    assert engine.compute(data, quarter(2025, 2))["per_month"].value == 30  # 90 / 3
    year = period_of(month(2025, 1), "year")
    assert engine.compute(data, year)["per_month"].value == 30  # 360 / 12


def test_min_max_abs_and_unary_minus() -> None:
    engine = tiny_engine({"k": "max(a, b, c) - min(a, b) + abs(-c) * -1"})
    data = MonthlyFigures({month(2025, 1): {"a": Decimal(3), "b": Decimal(-2), "c": Decimal(7)}})
    assert engine.compute(data, month_period(2025, 1))["k"].value == 2  # 7 - (-2) + 7 * -1


def test_custom_figures_and_kpis_join_the_catalogue() -> None:
    catering = FigureDef(
        "revenue_catering", "Catering", "Catering revenue", Unit.MONEY, Aggregation.SUM
    )
    share = KpiDef(
        "catering_share", "Catering share", "Catering as a share of revenue",
        "revenue_catering / revenue * 100", Unit.PERCENT, Direction.UP, None, Domain.SALES,
    )  # fmt: skip
    engine = ENGINE.with_custom(figures=[catering], kpis=[share])
    assert list(engine.kpis)[-1] == "catering_share"
    assert engine.formula("revenue") is ENGINE.formula("revenue")  # parsed once, reused
    data = figures({month(2025, 1): {"revenue": 800, "revenue_catering": 200}})
    results = engine.compute(data, month_period(2025, 1), ["catering_share", "revenue"])
    assert results["catering_share"].value == 25  # 200 / 800 * 100
    assert "catering_share" not in ENGINE.kpis


@pytest.mark.parametrize("code", ["revenue", "cac", "visitors"])
def test_custom_codes_never_clash_with_the_catalogue(code: str) -> None:
    clash = FigureDef(code, "x", "x", Unit.COUNT, Aggregation.SUM)
    with pytest.raises(CatalogueError, match=f"“{code}” is already used"):
        ENGINE.with_custom(figures=[clash])
    kpi = KpiDef(code, "x", "x", "1", Unit.COUNT, Direction.UP, None, Domain.SALES)
    with pytest.raises(CatalogueError, match="already used"):
        ENGINE.with_custom(kpis={code: kpi})


@pytest.mark.parametrize("code", ["months", "min", "previous", "Bad", "a-b", "9lives", ""])
def test_codes_must_be_plain_and_not_words_of_the_language(code: str) -> None:
    figure = FigureDef(code, "x", "x", Unit.COUNT, Aggregation.SUM)
    with pytest.raises(CatalogueError):
        ENGINE.with_custom(figures=[figure])


def test_a_definition_must_be_filed_under_its_own_code() -> None:
    figure = FigureDef("apples", "x", "x", Unit.COUNT, Aggregation.SUM)
    with pytest.raises(CatalogueError, match="has another code"):
        ENGINE.with_custom(figures={"pears": figure})


def test_a_bad_custom_formula_names_the_kpi() -> None:
    kpi = KpiDef("mine", "x", "x", "revnue * 2", Unit.COUNT, Direction.UP, None, Domain.SALES)
    with pytest.raises(FormulaError) as caught:
        ENGINE.with_custom(kpis=[kpi])
    assert caught.value.kpi == "mine"
    assert caught.value.column == 1
    assert str(caught.value) == (
        "In “mine”: Unknown figure or KPI “revnue” at column 1 — did you mean “revenue”?"
    )


def test_a_result_of_ten_to_the_fifteen_or_more_is_too_large_to_show() -> None:
    engine = tiny_engine(
        {
            "huge": "999999999999999999999999999999",
            "square": "a * a",
            "fourth": "square * square",
            "negative": "0 - a * a",
        }
    )
    limit = RESULT_LIMIT
    data = MonthlyFigures({month(2025, 1): {"a": Decimal(31622776)}})  # a² just under 10^15
    results = engine.compute(data, month_period(2025, 1))
    assert results["square"].value == Decimal(31622776) ** 2
    assert results["square"].value < limit
    for code in ("huge", "fourth"):
        reason = results[code].reason
        assert results[code].value is None
        assert reason is not None and reason.kind is ReasonKind.OUT_OF_RANGE
        assert reason.message() == "Too large to show"
    data = MonthlyFigures({month(2025, 1): {"a": Decimal(31622776) + 1}})  # a² just over
    results = engine.compute(data, month_period(2025, 1))
    assert results["square"].reason == Reason(ReasonKind.OUT_OF_RANGE)
    assert results["negative"].reason == Reason(ReasonKind.OUT_OF_RANGE)
