"""Numbers, money and percentages in the reader's language."""

from __future__ import annotations

from decimal import Decimal

import pytest

from metrics.dashboard.text import axis_format_for
from metrics.engine import Unit
from metrics.files.numbers import parse_decimal
from metrics.formatting import (
    currency_symbol,
    format_money,
    format_number,
    format_percent,
    numbers_for,
)
from metrics.models import Currency

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "€1,234.56"),
        ("fr", f"1{NBSP}234,56{NBSP}€"),
        ("nl", f"€{NBSP}1.234,56"),
        ("uk", f"1{NBSP}234,56{NBSP}€"),
    ],
)
def test_money_in_each_language(language: str, expected: str) -> None:
    assert format_money(Decimal("1234.555"), "EUR", language) == expected


def test_pounds_and_negative_amounts() -> None:
    assert format_money(Decimal("-250.5"), "GBP", "en") == "\u2212£250.50"
    assert format_money(Decimal("-250.5"), "EUR", "fr") == f"\u2212250,50{NBSP}€"


def test_percentages_round_to_one_decimal() -> None:
    assert format_percent(Decimal("1234.46"), "fr") == f"1{NBSP}234,5{NBSP}%"
    assert format_percent(Decimal("12.25"), "en") == "12.3%"
    assert format_percent(Decimal("10"), "nl") == "10,0%"


def test_numbers_group_thousands() -> None:
    assert format_number(Decimal("1234567"), 0, "en") == "1,234,567"
    assert format_number(Decimal("1234567"), 0, "nl") == "1.234.567"


def test_arabic_groups_thousands_with_western_digits() -> None:
    # CLDR's Arabic with the digits 0-9 (ar_TN): a decimal comma and a point between thousands.
    assert format_money(Decimal("-1234.5"), "EUR", "ar") == f"\u22121.234,50{NBSP}€"
    assert format_number(Decimal("1234567"), 0, "ar") == "1.234.567"
    assert format_percent(Decimal("1234.46"), "ar") == "1.234,5%"


def test_the_chart_axes_follow_the_formatter() -> None:
    axis = axis_format_for("ar", Unit.MONEY, "EUR")
    assert (axis.separators, axis.suffix, axis.tick_format) == (",.", f"{NBSP}€", ",")
    axis = axis_format_for("nl", Unit.MONEY, "GBP")
    assert (axis.separators, axis.prefix) == (",.", f"£{NBSP}")


def test_other_groupings_come_from_cldr() -> None:
    assert numbers_for("hi").number(Decimal("1234567.5"), 1) == "12,34,567.5"


@pytest.mark.parametrize("language", ["en", "fr", "nl", "uk", "ar"])
def test_the_reader_reads_back_what_the_formatter_writes(language: str) -> None:
    for value in (Decimal("-1234567.89"), Decimal("1234.5"), Decimal("0.05")):
        assert parse_decimal(format_number(value, 2, language), language) == value
        assert parse_decimal(format_money(value, "GBP", language), language) == value


def test_the_currency_choices_name_the_symbols_the_formatter_writes() -> None:
    for currency in Currency:
        assert f"({currency_symbol(currency.value)})" in str(currency.label)


@pytest.mark.parametrize("language", ["en", "fr", "nl", "ar", "uk"])
@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("Infinity"), "≥"),
        (Decimal("-Infinity"), "≤"),
        (Decimal("NaN"), "—"),
        (Decimal("1E+999999"), "≥"),
        (Decimal("-1E+999999"), "≤"),
        (Decimal(10) ** 15, "≥"),
    ],
)
def test_the_formatter_never_raises_nor_writes_a_million_digits(
    language: str, value: Decimal, shown: str
) -> None:
    numbers = numbers_for(language, "EUR")
    written = [
        numbers.number(value, 2),
        numbers.money(value),
        numbers.percent(value),
        *(numbers.value(value, unit) for unit in Unit),
    ]
    for text in written:
        assert shown in text
        assert len(text) < 40


def test_the_largest_figure_is_written_in_full() -> None:
    assert format_number(Decimal("-99999999999999.9"), 1, "en") == "−99,999,999,999,999.9"
