"""A formula tree turned into nested closures, once, so running it is plain function calls."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import ROUND_HALF_EVEN, Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from typing import Protocol

from metrics.engine.formula import tree
from metrics.engine.periods import Period
from metrics.engine.results import Reason, ReasonKind

# 28 significant digits, as Decimal's default, but set here so no caller's context leaks in.
DECIMAL_CONTEXT = Context(
    prec=28,
    rounding=ROUND_HALF_EVEN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)


class NotAvailable(Exception):
    """Raised inside a formula when a value is missing; the KPI is n/a for ``reason``."""

    __slots__ = ("reason",)

    def __init__(self, reason: Reason) -> None:
        self.reason = reason


class Lookups(Protocol):
    """What a formula asks of the computation around it."""

    def figure_reason(self, period: Period, code: str) -> Reason: ...

    def previous_value(self, period: Period, code: str, is_kpi: bool) -> Decimal: ...


class Frame:
    """What a formula sees while it runs for one period."""

    __slots__ = ("covered", "figures", "months", "period", "reasons", "run", "values")

    def __init__(
        self,
        run: Lookups,
        period: Period,
        figures: Mapping[str, Decimal],
        months: int | None = None,
    ) -> None:
        self.run = run
        self.period = period
        self.figures = figures
        # ``months`` in a formula is the number of months its figures cover: fewer than the
        # period's when the value is one "so far" (net burn per month over the months present).
        self.months = Decimal(period.months if months is None else months)
        self.values: dict[str, Decimal] = {}
        self.reasons: dict[str, Reason] = {}
        # The months behind each value that covers only part of the period.
        self.covered: dict[str, tuple[date, ...]] = {}


Evaluator = Callable[[Frame], Decimal]


def compile_node(node: tree.Node) -> Evaluator:
    """The evaluator of a formula tree (or of one of its nodes)."""
    if isinstance(node, tree.Number):
        constant = node.value
        return lambda frame: constant
    if isinstance(node, tree.Months):
        return lambda frame: frame.months
    if isinstance(node, tree.FigureRef):
        return _figure(node.code)
    if isinstance(node, tree.KpiRef):
        return _kpi(node.code)
    if isinstance(node, tree.Previous):
        code, is_kpi = node.code, node.is_kpi
        return lambda frame: frame.run.previous_value(frame.period, code, is_kpi)
    if isinstance(node, tree.Negate):
        inner = compile_node(node.operand)
        return lambda frame: -inner(frame)
    if isinstance(node, tree.Call):
        args = [compile_node(arg) for arg in node.args]
        if node.name == "abs":
            only = args[0]
            return lambda frame: abs(only(frame))
        pick = min if node.name == "min" else max
        return lambda frame: pick([arg(frame) for arg in args])
    assert isinstance(node, tree.Chain)
    return _compile_chain(node)


def _figure(code: str) -> Evaluator:
    def figure(frame: Frame) -> Decimal:
        try:
            return frame.figures[code]
        except KeyError:
            raise NotAvailable(frame.run.figure_reason(frame.period, code)) from None

    return figure


def _kpi(code: str) -> Evaluator:
    def kpi(frame: Frame) -> Decimal:
        try:
            return frame.values[code]
        except KeyError:
            raise NotAvailable(frame.reasons[code]) from None

    return kpi


# Longer chains run in a loop, so that a sum of hundreds of terms cannot nest closures deeply.
_FOLD_LIMIT = 8


def _compile_chain(node: tree.Chain) -> Evaluator:
    first = compile_node(node.first)
    steps = [
        (step.op, compile_node(step.node), Reason(ReasonKind.ZERO_DENOMINATOR, source=step.source))
        for step in node.rest
    ]
    if len(steps) > _FOLD_LIMIT:
        return _chain_loop(first, steps)
    evaluator = first
    for op, right, zero in steps:
        evaluator = _binary(op, evaluator, right, zero)
    return evaluator


def _binary(op: str, left: Evaluator, right: Evaluator, zero: Reason) -> Evaluator:
    if op == "/":

        def divide(frame: Frame) -> Decimal:
            numerator = left(frame)
            denominator = right(frame)
            if not denominator:
                raise NotAvailable(zero)
            return numerator / denominator

        return divide
    if op == "*":
        return lambda frame: left(frame) * right(frame)
    if op == "+":
        return lambda frame: left(frame) + right(frame)
    return lambda frame: left(frame) - right(frame)


def _chain_loop(first: Evaluator, steps: list[tuple[str, Evaluator, Reason]]) -> Evaluator:
    def chain(frame: Frame) -> Decimal:
        value = first(frame)
        for op, right, zero in steps:
            operand = right(frame)
            if op == "+":
                value += operand
            elif op == "-":
                value -= operand
            elif op == "*":
                value *= operand
            elif not operand:
                raise NotAvailable(zero)
            else:
                value /= operand
        return value

    return chain
