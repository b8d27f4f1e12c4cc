"""Numbers, money and percentages in the reader's language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext

from metrics.dashboard.text import axis_format_for
from metrics.engine import PeriodKind, Unit, period_of
from metrics.files.numbers import parse_decimal
from metrics.formatting import (
    currency_symbol,
    format_money,
    format_number,
    format_percent,
    month_name,
    numbers_for,
    period_names,
)
from metrics.models import Currency
from metrics.models.business import Business

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


@pytest.mark.parametrize(
    ("language", "june", "july"),
    [
        ("en", "Jun 2026", "Jul 2026"),
        ("fr", "juin 2026", "juil. 2026"),
        ("nl", "jun 2026", "jul 2026"),
        ("uk", "черв. 2026", "лип. 2026"),
        # Arabic month names as most readers know them, not the Maghreb "جوان" / "جويلية".
        ("ar", "يونيو 2026", "يوليو 2026"),
    ],
)
def test_short_month_names_cannot_be_confused(language: str, june: str, july: str) -> None:
    names = [
        period_names(period_of(date(2026, month, 1), PeriodKind.MONTH), language)[1]
        for month in (6, 7)
    ]
    assert names == [june, july]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "November 2026"), ("fr", "novembre 2026"), ("uk", "листопад 2026")],
)
def test_a_month_reads_well_inside_a_sentence(language: str, expected: str) -> None:
    with translation.override(language):
        assert month_name(date(2026, 11, 1)) == expected
        assert gettext("Figures for %(month)s") % {"month": month_name(date(2026, 11, 1))} in (
            f"Figures for {expected}",
            f"Chiffres de {expected}",
            f"Дані за {expected}",
        )


@pytest.mark.parametrize("language", ["fr", "nl", "ar", "uk"])
def test_the_empty_choice_of_a_list_is_translated(language: str) -> None:
    region = Business._meta.get_field("region")
    with translation.override("en"):
        english = str(region.get_choices()[0][1])
    with translation.override(language):
        value, label = region.get_choices()[0]
        label = str(label)
    assert (value, english) == ("", "Choose one")
    assert label not in (english, "- Select an option -", "---------", "")


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
