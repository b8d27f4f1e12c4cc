"""Numbers, money and percentages in the reader's language."""

from __future__ import annotations

from decimal import Decimal

import pytest

from metrics.formatting import format_money, format_number, format_percent

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
