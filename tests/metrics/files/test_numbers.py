"""One number reader: the month form and the files read the same text to the same number."""

from __future__ import annotations

from decimal import Decimal

import pytest

from metrics.engine import FIGURES
from metrics.files.cells import FileFormatError
from metrics.files.csv import read_figures_csv
from metrics.files.ledger import read_transactions_csv
from metrics.files.numbers import NumberError, Shape, parse_decimal, scan
from tests.metrics.engine.factories import month

SEPARATOR = {"en": "point", "fr": "comma"}


def read_cell(cell: str, language: str) -> Decimal | None:
    """The cash_end of a one-cell figures file read with the language's decimal separator."""
    text = f"month;cash_end\n2025-01;{cell}\n"
    try:
        data, _warnings = read_figures_csv(text, list(FIGURES), SEPARATOR[language])  # type: ignore[arg-type]
    except FileFormatError:
        return None
    return data.value(month(2025, 1), "cash_end")


def type_in_form(text: str, language: str) -> Decimal | None:
    try:
        return parse_decimal(text, language)
    except NumberError:
        return None


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "1234", "1234"),
        ("en", "-12", "-12"),
        ("en", "\u22125", "-5"),
        ("en", "+5", "5"),
        ("en", "1'234", "1234"),
        ("en", "1\u2019234.5", "1234.5"),
        ("en", "1,234", "1234"),
        ("en", "1,234,567.89", "1234567.89"),
        ("en", "1\u00a0234.5", "1234.5"),
        ("en", "-€5.5", "-5.5"),
        ("en", ".5", "0.5"),
        ("en", "\u0661\u0662\u0663\u066b\u0665", "123.5"),
        ("fr", "1,234", "1.234"),
        ("fr", "1.234,56", "1234.56"),
        ("fr", "1\u202f234,5\u00a0€", "1234.5"),
        ("fr", "\u22121 234,5", "-1234.5"),
        ("fr", "0,123", "0.123"),
        ("fr", "1.234.567", "1234567"),
        ("en", "12abc", None),
        ("en", "1,2,3", None),
        ("en", "--5", None),
        ("en", "1e5", None),
        ("fr", "12 34", None),
    ],
)
def test_the_form_and_a_file_read_alike(language: str, text: str, expected: str | None) -> None:
    want = None if expected is None else Decimal(expected)
    assert type_in_form(text, language) == want
    assert read_cell(text, language) == want


def test_a_file_reads_signs_and_apostrophes_as_the_form_does() -> None:
    text = "month,cash_end,revenue,visitors\n2025-01,\u22125,+5,1'234\n"
    data, warnings = read_figures_csv(text, list(FIGURES))
    assert warnings == []
    assert data[month(2025, 1)] == {
        "cash_end": parse_decimal("\u22125", "en"),
        "revenue": parse_decimal("+5", "en"),
        "visitors": parse_decimal("1'234", "en"),
    }
    assert data[month(2025, 1)] == {
        "cash_end": Decimal(-5),
        "revenue": Decimal(5),
        "visitors": Decimal(1234),
    }


def test_a_ledger_reads_the_same_numbers() -> None:
    sales = read_transactions_csv("date,customer,amount\n2025-01-05,alice,1'234.5\n")
    assert sales[0].amount == Decimal("1234.5")


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("1 234", Shape.WHOLE),
        ("1,5", Shape.COMMA),
        ("1,234,567", Shape.POINT),
        ("1.234.567", Shape.COMMA),
        ("1.234", Shape.AMBIGUOUS),
        ("0.234", Shape.POINT),
        ("1234,567", Shape.COMMA),
        ("\u0661\u066b\u0665", Shape.ARABIC),
    ],
)
def test_what_a_number_says_about_the_decimal_separator(text: str, shape: Shape) -> None:
    assert scan(text).shape is shape


def test_an_arabic_decimal_separator_settles_nothing_for_the_rest_of_the_file() -> None:
    data, _warnings = read_figures_csv(
        "month;revenue;orders\n2025-01;١٢٣٫٥;1,234\n", list(FIGURES), "comma"
    )
    assert data[month(2025, 1)] == {"revenue": Decimal("123.5"), "orders": Decimal("1.234")}
