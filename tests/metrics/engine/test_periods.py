"""Months, quarters and years, with calendar and financial years."""

from __future__ import annotations

from datetime import date

import pytest

from metrics.engine import (
    Period,
    PeriodError,
    PeriodKind,
    add_months,
    months_between,
    parse_month,
    parse_period_label,
    period_of,
    periods_between,
)
from tests.metrics.engine.factories import month


def test_month_period() -> None:
    period = period_of(date(2025, 3, 17), PeriodKind.MONTH)
    assert period == Period(PeriodKind.MONTH, month(2025, 3), 1)
    assert (period.label, period.end, period.month_list()) == (
        "2025-03",
        month(2025, 3),
        [month(2025, 3)],
    )
    assert period.previous().label == "2025-02"
    assert period.next().label == "2025-04"
    assert period.year_earlier().label == "2024-03"


def test_calendar_quarter() -> None:
    period = period_of(month(2025, 8), "quarter")
    assert period.label == "2025-Q3"
    assert period.month_list() == [month(2025, 7), month(2025, 8), month(2025, 9)]
    assert period.end == month(2025, 9)
    assert period.previous().label == "2025-Q2"
    assert period_of(month(2025, 1), "quarter").previous().label == "2024-Q4"
    assert period.year_earlier().label == "2024-Q3"


def test_calendar_year() -> None:
    period = period_of(month(2025, 8), "year")
    assert (period.label, period.start, period.end, period.months) == (
        "2025",
        month(2025, 1),
        month(2025, 12),
        12,
    )
    assert period.previous().label == "2024"


@pytest.mark.parametrize(
    ("first", "fy_start", "label", "start", "end"),
    [
        (month(2025, 4), 4, "2025-Q1", month(2025, 4), month(2025, 6)),
        (month(2025, 6), 4, "2025-Q1", month(2025, 4), month(2025, 6)),
        (month(2025, 12), 4, "2025-Q3", month(2025, 10), month(2025, 12)),
        (month(2026, 1), 4, "2025-Q4", month(2026, 1), month(2026, 3)),
        (month(2026, 3), 4, "2025-Q4", month(2026, 1), month(2026, 3)),
        (month(2025, 11), 11, "2025-Q1", month(2025, 11), month(2026, 1)),
        (month(2026, 1), 11, "2025-Q1", month(2025, 11), month(2026, 1)),
        (month(2026, 2), 11, "2025-Q2", month(2026, 2), month(2026, 4)),
        (month(2025, 10), 11, "2024-Q4", month(2025, 8), month(2025, 10)),
    ],
)
def test_fiscal_quarters(first: date, fy_start: int, label: str, start: date, end: date) -> None:
    period = period_of(first, "quarter", fy_start)
    assert (period.label, period.start, period.end) == (label, start, end)
    assert parse_period_label(label, fy_start) == period


@pytest.mark.parametrize(
    ("first", "fy_start", "label", "start"),
    [
        (month(2025, 4), 4, "2025", month(2025, 4)),
        (month(2026, 3), 4, "2025", month(2025, 4)),
        (month(2025, 3), 4, "2024", month(2024, 4)),
        (month(2025, 7), 7, "2025", month(2025, 7)),
        (month(2025, 1), 12, "2024", month(2024, 12)),
    ],
)
def test_fiscal_years_bear_the_year_they_start_in(
    first: date, fy_start: int, label: str, start: date
) -> None:
    period = period_of(first, PeriodKind.YEAR, fy_start)
    assert (period.label, period.start, period.end) == (label, start, add_months(start, 11))
    assert parse_period_label(label, fy_start) == period


def test_fiscal_year_previous_and_quarters_follow_on() -> None:
    year = period_of(month(2025, 5), "year", 4)
    assert year.previous() == period_of(month(2024, 5), "year", 4)
    quarter = period_of(month(2025, 5), "quarter", 4)
    assert quarter.previous().label == "2024-Q4"
    assert quarter.next().label == "2025-Q2"


def test_the_financial_year_does_not_change_a_month() -> None:
    assert period_of(month(2025, 5), "month", 4) == period_of(month(2025, 5), "month")


def test_periods_between_touches_every_period_in_order() -> None:
    months = periods_between(date(2025, 1, 15), month(2025, 3), "month")
    assert [period.label for period in months] == ["2025-01", "2025-02", "2025-03"]
    quarters = periods_between(month(2025, 2), month(2025, 7), "quarter")
    assert [period.label for period in quarters] == ["2025-Q1", "2025-Q2", "2025-Q3"]
    fiscal = periods_between(month(2025, 2), month(2025, 5), "quarter", fy_start=4)
    assert [period.label for period in fiscal] == ["2024-Q4", "2025-Q1"]
    years = periods_between(month(2023, 12), month(2025, 1), "year")
    assert [period.label for period in years] == ["2023", "2024", "2025"]
    assert periods_between(month(2025, 3), month(2025, 1), "month") == []


def test_periods_are_ordered_and_hashable() -> None:
    periods = periods_between(month(2024, 1), month(2025, 12), "quarter")
    assert sorted(reversed(periods)) == periods
    assert len(set(periods + periods)) == 8
    assert period_of(month(2025, 1), "month") < period_of(month(2025, 2), "month")
    assert period_of(month(2025, 2), "month") >= period_of(month(2025, 1), "quarter")
    assert str(periods[0]) == "2024-Q1"


def test_contains() -> None:
    quarter = period_of(month(2025, 5), "quarter")
    assert quarter.contains(date(2025, 6, 30))
    assert not quarter.contains(month(2025, 7))


def test_month_arithmetic() -> None:
    assert add_months(month(2025, 11), 3) == month(2026, 2)
    assert add_months(month(2025, 1), -1) == month(2024, 12)
    assert months_between(month(2024, 11), month(2025, 2)) == 3
    assert months_between(month(2025, 2), month(2024, 11)) == -3


@pytest.mark.parametrize(
    ("kind", "start", "months", "fy_start"),
    [
        (PeriodKind.MONTH, date(2025, 1, 2), 1, 1),
        (PeriodKind.MONTH, month(2025, 1), 3, 1),
        (PeriodKind.QUARTER, month(2025, 2), 3, 1),
        (PeriodKind.YEAR, month(2025, 1), 12, 4),
        (PeriodKind.YEAR, month(2025, 1), 12, 13),
    ],
)
def test_impossible_periods(kind: PeriodKind, start: date, months: int, fy_start: int) -> None:
    with pytest.raises(PeriodError):
        Period(kind, start, months, fy_start)


def test_parse_month() -> None:
    assert parse_month("2025-03") == month(2025, 3)
    assert parse_month(" 2025-12 ") == month(2025, 12)


@pytest.mark.parametrize("text", ["2025-13", "2025-00", "2025-3", "25-03", "2025/03", "", "March"])
def test_parse_month_refuses_with_a_clear_message(text: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_month(text)
    assert str(caught.value) == (
        f"“{text}” is not a month; write it as YYYY-MM, for example 2025-03"
    )


def test_parse_month_refuses_unlikely_years() -> None:
    with pytest.raises(PeriodError, match="year outside 1900–2999"):
        parse_month("0001-01")


@pytest.mark.parametrize("label", ["2025-03", "2025-Q2", "2025"])
def test_parse_period_label_round_trips(label: str) -> None:
    assert parse_period_label(label).label == label


@pytest.mark.parametrize("label", ["2025-Q5", "2025-Q0", "Q1", "2025-W3", "", "2025-13"])
def test_parse_period_label_refuses(label: str) -> None:
    with pytest.raises(PeriodError):
        parse_period_label(label)


@pytest.mark.parametrize("fy_start", [0, 13, -1])
def test_financial_year_must_start_in_a_real_month(fy_start: int) -> None:
    with pytest.raises(PeriodError, match="must be 1 to 12"):
        period_of(month(2025, 1), "year", fy_start)
