"""The formula parser: what it accepts, what it refuses, and where it says the problem is."""

from __future__ import annotations

from decimal import Decimal

import pytest

from metrics.engine import FIGURES, KPIS, FormulaError, parse
from metrics.engine.formula import (
    MAX_DEPTH,
    MAX_LENGTH,
    Call,
    Chain,
    FigureRef,
    KpiRef,
    Months,
    Negate,
    Number,
    Previous,
)
from metrics.engine.text import Message


def parse_catalogue(text: str):  # type: ignore[no-untyped-def]
    return parse(text, FIGURES, KPIS)


def error_of(text: str) -> FormulaError:
    with pytest.raises(FormulaError) as caught:
        parse_catalogue(text)
    return caught.value


# -- accepted ----------------------------------------------------------------------------------


def test_dependencies_are_collected() -> None:
    formula = parse_catalogue("(revenue - previous(revenue)) / previous(revenue) * 100")
    assert formula.figures == {"revenue"}
    assert formula.kpis == set()
    assert formula.previous_figures == {"revenue"}
    assert formula.previous == {"revenue"}


def test_a_code_that_is_a_figure_and_a_kpi_means_the_figure() -> None:
    formula = parse_catalogue("revenue")
    assert formula.root == FigureRef("revenue", 1)
    assert formula.kpis == set()


def test_kpis_and_previous_kpis() -> None:
    formula = parse_catalogue("customer_lifetime_value / cac - previous(cac)")
    assert formula.kpis == {"customer_lifetime_value", "cac"}
    assert formula.previous_kpis == {"cac"}
    assert formula.figures == set()


def test_previous_alone_is_not_a_use_in_the_current_period() -> None:
    formula = parse_catalogue("previous(revenue)")
    assert formula.figures == set()
    assert formula.root == Previous("revenue", False, 1)


def test_tree_of_a_small_formula() -> None:
    formula = parse_catalogue("-orders / visitors * 100 + max(1, months)")
    root = formula.root
    assert isinstance(root, Chain)
    product = root.first
    assert isinstance(product, Chain)
    assert product.first == Negate(FigureRef("orders", 2), 1)
    assert [(step.op, step.node) for step in product.rest] == [
        ("/", FigureRef("visitors", 11)),
        ("*", Number(Decimal(100), 22)),
    ]
    assert root.rest[0].op == "+"
    assert root.rest[0].node == Call("max", (Number(Decimal(1), 32), Months(35)), 28)


def test_denominator_source_is_kept_for_messages() -> None:
    formula = parse_catalogue("revenue / ( orders\n  + visitors )")
    assert isinstance(formula.root, Chain)
    assert formula.root.rest[0].source == "orders + visitors"


def test_kpi_reference_node() -> None:
    assert parse_catalogue("cac").root == KpiRef("cac", 1)


@pytest.mark.parametrize(
    "text",
    [
        "revenue/orders",
        "  revenue\t/\norders  ",
        "0.5 * revenue",
        "000.25",
        "min(revenue, orders, visitors)",
        "abs(-revenue)",
        "--revenue",
        "months",
        "1" * 30,
        "(" * MAX_DEPTH + "revenue" + ")" * MAX_DEPTH,
        "-" * MAX_DEPTH + "revenue",
        "+".join(["revenue"] * 62),  # 62 * 8 - 1 = 495 characters
    ],
)
def test_accepted(text: str) -> None:
    parse_catalogue(text)


def test_exactly_the_maximum_length_is_accepted() -> None:
    text = "1+" * 249 + "10"
    assert len(text) == MAX_LENGTH
    parse_catalogue(text)


# -- refused, with the right message and column ---------------------------------------------------

NO_CALLS = "Functions other than min, max, abs and previous are not allowed (column {})"
ONE_CODE = "previous() takes one figure or KPI code, as in previous(revenue) (column 1)"
UNKNOWN = "Unknown figure or KPI “{}” at column {} — did you mean “{}”?"
TOO_DEEP = "Too deeply nested: at most 20 levels (column {})"


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("revnue", UNKNOWN.format("revnue", 1, "revenue"), 1),
        ("revenue / ordrs", UNKNOWN.format("ordrs", 11, "orders"), 11),
        ("Revenue", UNKNOWN.format("Revenue", 1, "revenue"), 1),
        ("xyzzy", "Unknown figure or KPI “xyzzy” at column 1", 1),
        ("__import__", "Unknown figure or KPI “__import__” at column 1", 1),
        ("revenue + ()", "Unexpected “)” at column 12", 12),
        ("revenue + (orders))", "Unexpected “)” at column 19", 19),
        ("+revenue", "Unexpected “+” at column 1", 1),
        ("revenue,orders", "Unexpected “,” at column 8", 8),
        ("revenue // 2", "Unexpected “/” at column 10", 10),
        ("revenue +", "The formula ends too early (column 10)", 10),
        ("(revenue", "Missing “)” to close the “(” at column 1", 1),
        ("min(revenue, orders", "Missing “)” to close the “(” at column 4", 4),
        ("revenue orders", "An operator (+ - * /) is missing before “orders” at column 9", 9),
        ("(revenue 2)", "An operator (+ - * /) is missing before “2” at column 10", 10),
        ("revenue if orders else 1", "An operator (+ - * /) is missing before “if” at column 9", 9),
        ("open(revenue)", NO_CALLS.format(1), 1),
        ("__import__(os)", NO_CALLS.format(1), 1),
        ("months(3)", NO_CALLS.format(1), 1),
        ("1 + revenue(2)", NO_CALLS.format(5), 5),
        ("min", "“min” must be followed by “(” (column 1)", 1),
        ("previous + 1", "“previous” must be followed by “(” (column 1)", 1),
        ("min(revenue)", "min() needs at least two values (column 1)", 1),
        ("2 * max(revenue)", "max() needs at least two values (column 5)", 5),
        ("abs(revenue, orders)", "abs() takes exactly one value (column 1)", 1),
        ("previous(revenue + 1)", ONE_CODE, 1),
        ("previous(previous(revenue))", ONE_CODE, 1),
        ("previous(months)", ONE_CODE, 1),
        ("previous()", ONE_CODE, 1),
        ("previous(2)", ONE_CODE, 1),
        ("previous(revnue)", UNKNOWN.format("revnue", 10, "revenue"), 10),
        ("revenue.real", "Attribute access is not allowed (column 8)", 8),
        ("revenue.__class__.__mro__", "Attribute access is not allowed (column 8)", 8),
        ("().__class__", "Attribute access is not allowed (column 3)", 3),
        ("revenue ** 2", "“**” is not allowed (column 9)", 9),
        ("9**9**9", "“**” is not allowed (column 2)", 2),
        ("1e999999", "Exponents such as “1e999999” are not allowed (column 1)", 1),
        ("2E5 * revenue", "Exponents such as “2E5” are not allowed (column 1)", 1),
        ("2x", "Unexpected “2x” at column 1", 1),
        ("1" * 31, "Numbers may have at most 30 characters (column 1)", 1),
        ("1.2.3", "Malformed number at column 1", 1),
        ("revenue * 1.", "Malformed number at column 11", 11),
        (".5", "Write a digit before the decimal point, as in 0.5 (column 1)", 1),
        ("'revenue'", "Text in quotes is not allowed (column 1)", 1),
        ('revenue + "1"', "Text in quotes is not allowed (column 11)", 11),
        ("__import__('os')", "Text in quotes is not allowed (column 12)", 12),
        ("“revenue”", "Text in quotes is not allowed (column 1)", 1),
        ("revenue × 100", "Use “*” instead of “×” (column 9)", 9),
        ("revenue − cost_of_sales", "Use “-” instead of “−” (column 9)", 9),
        ("revenue ÷ orders", "Use “/” instead of “÷” (column 9)", 9),
        ("r\u0435venue", "Unexpected character “\u0435” (U+0435) at column 2", 2),
        ("\uff52evenue", "Unexpected character “\uff52” (U+FF52) at column 1", 1),
        ("revenue\u200b", "Unexpected character U+200B at column 8", 8),
        ("revenue\u00a0+ 1", "Unexpected character U+00A0 at column 8", 8),
        ("revenue\x00", "Unexpected character U+0000 at column 8", 8),
        ("revenue[0]", "Unexpected character “[” at column 8", 8),
        ("[x for x in revenue]", "Unexpected character “[” at column 1", 1),
        ("{1: 2}", "Unexpected character “{” at column 1", 1),
        ("lambda: 1", "Unexpected character “:” at column 7", 7),
        ("revenue; orders", "Unexpected character “;” at column 8", 8),
        ("orders % 2", "Unexpected character “%” at column 8", 8),
        ("revenue == 1", "Unexpected character “=” at column 9", 9),
        ("revenue @ orders", "Unexpected character “@” at column 9", 9),
        ("(" * 21 + "revenue" + ")" * 21, TOO_DEEP.format(21), 21),
        ("-" * 21 + "revenue", TOO_DEEP.format(21), 21),
        ("abs(" * 21 + "revenue" + ")" * 21, TOO_DEEP.format(81), 81),
        ("-(" * 11 + "revenue" + ")" * 11, TOO_DEEP.format(21), 21),
    ],
)  # fmt: skip
def test_refused(text: str, message: str, column: int) -> None:
    error = error_of(text)
    assert str(error) == message
    assert error.column == column


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty(text: str) -> None:
    error = error_of(text)
    assert str(error) == "The formula is empty"
    assert error.column is None


@pytest.mark.parametrize(
    "text",
    [
        "x" * 10_000,
        "(" * 5000 + "revenue" + ")" * 5000,
        "-" * 10_000 + "1",
        "1" * 501,
        "1+" * 250 + "1",
    ],
)
def test_longer_than_500_characters(text: str) -> None:
    error = error_of(text)
    assert str(error) == "The formula is longer than 500 characters"
    assert error.column == 501


def test_deep_nesting_within_the_length_limit_fails_cleanly() -> None:
    # 250 opening parentheses fit in 500 characters; the parser stops at level 21.
    error = error_of("(" * 250 + ")" * 250)
    assert error.column == 21
    error = error_of("-(" * 166 + "1" + ")" * 166)
    assert "Too deeply nested" in str(error)


def test_a_long_unknown_name_is_quoted_in_part() -> None:
    error = error_of("x" * 500)
    assert str(error) == f"Unknown figure or KPI “{'x' * 40}…” at column 1"


def test_not_a_string() -> None:
    with pytest.raises(FormulaError):
        parse(None, FIGURES, KPIS)  # type: ignore[arg-type]


def test_messages_are_lazy_so_they_follow_the_active_language() -> None:
    assert isinstance(error_of("revnue").message, Message)
    assert isinstance(error_of("").message, Message)


def test_only_the_given_codes_are_known() -> None:
    parse("a + b", {"a", "b"}, set())
    with pytest.raises(FormulaError, match="Unknown figure or KPI “revenue”"):
        parse("revenue", {"a", "b"}, set())
