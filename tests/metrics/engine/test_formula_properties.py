"""Property tests: random formulas and figures never raise anything but FormulaError, and agree
with a small reference evaluator over exact fractions, written here independently of the engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.engine import (
    Aggregation,
    Engine,
    FigureDef,
    FormulaError,
    KpiDef,
    MonthlyFigures,
    ReasonKind,
    Unit,
    parse,
    period_of,
)
from metrics.engine.catalogue import Direction, Domain

CODES = ("a", "b", "c", "d")
MONTH = date(2025, 3, 1)
PERIOD = period_of(MONTH, "month")

# -- a tree of our own, rendered to text and evaluated with fractions ------------------------------


@dataclass(frozen=True)
class Tree:
    kind: str  # "num", "fig", "months", "neg", "bin", "call"
    text: str = ""
    children: tuple[Tree, ...] = ()


PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def precedence(tree: Tree) -> int:
    if tree.kind == "bin":
        return PRECEDENCE[tree.text]
    return 3 if tree.kind == "neg" else 4


def render(tree: Tree, parenthesize_all: bool) -> str:
    """Formula text; with minimal parentheses unless told to put them everywhere."""
    kind = tree.kind
    if kind in ("num", "fig"):
        return tree.text
    if kind == "months":
        return "months"
    if kind == "neg":
        inner = render(tree.children[0], parenthesize_all)
        if precedence(tree.children[0]) < 3 or parenthesize_all:
            inner = f"({inner})"
        return f"-{inner}"
    if kind == "call":
        return f"{tree.text}({', '.join(render(c, parenthesize_all) for c in tree.children)})"
    left, right = tree.children
    own = PRECEDENCE[tree.text]
    left_text = render(left, parenthesize_all)
    right_text = render(right, parenthesize_all)
    if parenthesize_all or precedence(left) < own:
        left_text = f"({left_text})"
    # Operators group to the left, so a right operand of equal precedence needs parentheses.
    if parenthesize_all or precedence(right) <= own:
        right_text = f"({right_text})"
    return f"{left_text} {tree.text} {right_text}"


class NotAvailable(Exception):
    def __init__(self, kind: ReasonKind, figure: str | None = None) -> None:
        self.kind = kind
        self.figure = figure


def reference(tree: Tree, values: dict[str, Fraction | None], months: int) -> Fraction:
    """Exact value, left to right; the first missing figure or zero divisor wins."""
    kind = tree.kind
    if kind == "num":
        return Fraction(tree.text)
    if kind == "fig":
        value = values.get(tree.text)
        if value is None:
            raise NotAvailable(ReasonKind.MISSING_FIGURE, tree.text)
        return value
    if kind == "months":
        return Fraction(months)
    if kind == "neg":
        return -reference(tree.children[0], values, months)
    if kind == "call":
        args = [reference(child, values, months) for child in tree.children]
        if tree.text == "abs":
            return abs(args[0])
        return min(args) if tree.text == "min" else max(args)
    left = reference(tree.children[0], values, months)
    right = reference(tree.children[1], values, months)
    if tree.text == "+":
        return left + right
    if tree.text == "-":
        return left - right
    if tree.text == "*":
        return left * right
    if right == 0:
        raise NotAvailable(ReasonKind.ZERO_DENOMINATOR)
    return left / right


def magnitude(tree: Tree, values: dict[str, Fraction | None], months: int) -> Fraction:
    """The value with every term made positive: rounding errors scale with it."""
    kind = tree.kind
    if kind in ("num", "fig", "months"):
        return abs(reference(tree, values, months))
    if kind in ("neg", "call"):
        return max(magnitude(child, values, months) for child in tree.children)
    left = magnitude(tree.children[0], values, months)
    if tree.text in "+-":
        return left + magnitude(tree.children[1], values, months)
    if tree.text == "*":
        return left * magnitude(tree.children[1], values, months)
    return left / abs(reference(tree.children[1], values, months))


def has_division(tree: Tree) -> bool:
    return (tree.kind == "bin" and tree.text == "/") or any(map(has_division, tree.children))


# Up to two integer digits and two decimals, and at most six leaves: every product fits in 28
# significant digits, so formulas without division must agree exactly.
numbers = st.decimals(min_value=0, max_value=99, places=2, allow_nan=False).map(
    lambda value: Tree("num", f"{value:f}")
)
leaves = st.one_of(
    numbers, st.sampled_from(CODES).map(lambda code: Tree("fig", code)), st.just(Tree("months"))
)


def extend(children: st.SearchStrategy[Tree], exact: bool) -> st.SearchStrategy[Tree]:
    operators = ["+", "-", "*"] if exact else ["+", "-", "*", "/"]
    binary = st.tuples(st.sampled_from(operators), children, children).map(
        lambda parts: Tree("bin", parts[0], (parts[1], parts[2]))
    )
    options = [
        binary,
        children.map(lambda child: Tree("neg", "", (child,))),
        children.map(lambda child: Tree("call", "abs", (child,))),
        st.tuples(st.sampled_from(["min", "max"]), st.lists(children, min_size=2, max_size=3)).map(
            lambda parts: Tree("call", parts[0], tuple(parts[1]))
        ),
    ]
    if not exact:
        # Divisors come from the exact grammar, so whether one is zero is the same in both.
        divisors = st.recursive(leaves, lambda inner: extend(inner, exact=True), max_leaves=3)
        options.append(
            st.tuples(children, divisors).map(lambda pair: Tree("bin", "/", pair)),
        )
    return st.one_of(options)


exact_trees = st.recursive(leaves, lambda children: extend(children, exact=True), max_leaves=6)
any_trees = st.recursive(leaves, lambda children: extend(children, exact=False), max_leaves=6)
figure_values = st.one_of(
    st.none(),
    st.just(Decimal(0)),
    st.decimals(min_value=-99, max_value=99, places=2, allow_nan=False, allow_infinity=False),
)
all_values = st.fixed_dictionaries({code: figure_values for code in CODES})


def engine_for(text: str) -> Engine:
    figures = {code: FigureDef(code, code, code, Unit.COUNT, Aggregation.SUM) for code in CODES}
    kpi = KpiDef("x", "x", "x", text, Unit.COUNT, Direction.UP, None, Domain.SALES)
    return Engine(figures, {"x": kpi})


def compute(text: str, values: dict[str, Decimal | None]):  # type: ignore[no-untyped-def]
    data = MonthlyFigures({MONTH: values})
    return engine_for(text).compute(data, PERIOD)["x"]


def fractions_of(values: dict[str, Decimal | None]) -> dict[str, Fraction | None]:
    return {code: None if value is None else Fraction(value) for code, value in values.items()}


def check_against_reference(tree: Tree, values: dict[str, Decimal | None], text: str) -> None:
    result = compute(text, values)
    exact_values = fractions_of(values)
    try:
        expected = reference(tree, exact_values, 1)
    except NotAvailable as not_available:
        assert result.value is None, text
        assert result.reason is not None
        assert result.reason.kind is not_available.kind, text
        if not_available.figure:
            assert result.reason.figure == not_available.figure, text
        return
    assert result.reason is None, (text, result.reason)
    assert result.value is not None
    if has_division(tree):
        tolerance = Fraction(1, 10**20) * (1 + magnitude(tree, exact_values, 1))
        assert abs(Fraction(result.value) - expected) <= tolerance, text
    else:
        assert Fraction(result.value) == expected, text


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(exact_trees, all_values, st.booleans())
def test_formulas_without_division_agree_exactly(
    tree: Tree, values: dict[str, Decimal | None], parenthesize_all: bool
) -> None:
    check_against_reference(tree, values, render(tree, parenthesize_all))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(any_trees, all_values, st.booleans())
def test_formulas_with_division_agree_closely_and_on_every_na(
    tree: Tree, values: dict[str, Decimal | None], parenthesize_all: bool
) -> None:
    check_against_reference(tree, values, render(tree, parenthesize_all))


FORMULA_CHARACTERS = "abcdm_01239+-*/()., \t'\"×.eEx[]:;=%"


@settings(max_examples=500)
@given(st.text(alphabet=FORMULA_CHARACTERS, max_size=60), all_values)
def test_random_formula_text_only_ever_raises_formula_error(
    text: str, values: dict[str, Decimal | None]
) -> None:
    try:
        parse(text, CODES, ())
    except FormulaError as error:
        assert str(error)
        assert error.column is None or 1 <= error.column <= len(text) + 1
        return
    result = compute(text, values)
    assert (result.value is None) != (result.reason is None)


@settings(max_examples=300)
@given(st.text(max_size=600))
def test_any_text_only_ever_raises_formula_error(text: str) -> None:
    try:
        parse(text, CODES, ())
    except FormulaError as error:
        assert str(error)


@settings(max_examples=200)
@given(st.integers(min_value=1, max_value=600), st.sampled_from(["(", "-", "abs(", "-("]))
def test_deep_prefixes_fail_cleanly(count: int, prefix: str) -> None:
    text = prefix * count + "a" + ")" * (count * prefix.count("("))
    try:
        parse(text, CODES, ())
    except FormulaError as error:
        assert str(error)
