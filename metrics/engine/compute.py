"""Figures in, KPI results out: aggregation over periods, dependency order, evaluation."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DecimalException,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from types import MappingProxyType
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from metrics.engine.catalogue import FIGURES, KPIS, Aggregation, FigureDef, KpiDef
from metrics.engine.formula import (
    RESERVED,
    Call,
    Chain,
    FigureRef,
    Formula,
    FormulaError,
    KpiRef,
    Months,
    Negate,
    Node,
    Number,
    Previous,
    parse,
)
from metrics.engine.periods import Period
from metrics.engine.results import KpiResult, Reason, ReasonKind
from metrics.engine.text import lazy_format

# 28 significant digits, as Decimal's default, but set here so no caller's context leaks in.
DECIMAL_CONTEXT = Context(
    prec=28,
    rounding=ROUND_HALF_EVEN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)

CODE_RE = re.compile(r"[a-z][a-z0-9_]{0,49}")

_EMPTY: Mapping[str, Decimal] = MappingProxyType({})


class CatalogueError(ValueError):
    """A figure or KPI definition that cannot be used (bad code, clash, unknown code)."""

    def __init__(self, message: Promise | str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class CycleError(FormulaError):
    """KPIs that depend on each other in a circle; ``cycle`` lists them, first one repeated last."""

    def __init__(self, cycle: Sequence[str]) -> None:
        self.cycle = tuple(cycle)
        super().__init__(
            lazy_format(
                _("These KPIs depend on each other in a circle: %(cycle)s"),
                {"cycle": " → ".join(self.cycle)},
            )
        )


class MonthlyFigures(Mapping[date, Mapping[str, Decimal]]):
    """Immutable figures per month (the first day); a figure that was not entered is absent."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[date, Mapping[str, Decimal | int | None]] | None = None):
        rows: dict[date, dict[str, Decimal]] = {}
        for month, values in (data or {}).items():
            if isinstance(month, datetime) or not isinstance(month, date) or month.day != 1:
                raise ValueError(f"Months must be dates on the first day, not {month!r}")
            row: dict[str, Decimal] = {}
            for code, value in values.items():
                if value is None:
                    continue
                if isinstance(value, bool) or not isinstance(value, int | Decimal):
                    raise TypeError(f"Figure {code} must be a Decimal or an int, not {value!r}")
                number = Decimal(value)
                if not number.is_finite():
                    raise ValueError(f"Figure {code} must be a finite number, not {value!r}")
                row[code] = number
            rows[month] = row
        self._data = dict(sorted(rows.items()))

    def __getitem__(self, month: date) -> Mapping[str, Decimal]:
        return MappingProxyType(self._data[month])

    def __iter__(self) -> Iterator[date]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"MonthlyFigures({self._data!r})"

    @property
    def first_month(self) -> date | None:
        """The earliest month in the data, or None when there is none."""
        return next(iter(self._data), None)

    @property
    def last_month(self) -> date | None:
        """The latest month in the data, or None when there is none."""
        return next(reversed(self._data), None)

    def value(self, month: date, code: str) -> Decimal | None:
        """One figure for one month, or None when it is missing."""
        return self._data.get(month, _EMPTY).get(code)

    def codes(self) -> set[str]:
        """Every figure code that has at least one value."""
        return {code for row in self._data.values() for code in row}


class _NotAvailable(Exception):
    __slots__ = ("reason",)

    def __init__(self, reason: Reason) -> None:
        self.reason = reason


Evaluator = Callable[["_Frame"], Decimal]


class _Frame:
    """What a formula sees while it runs for one period."""

    __slots__ = ("figures", "months", "period", "reasons", "run", "values")

    def __init__(self, run: _Run, period: Period, figures: Mapping[str, Decimal]) -> None:
        self.run = run
        self.period = period
        self.figures = figures
        self.months = Decimal(period.months)
        self.values: dict[str, Decimal] = {}
        self.reasons: dict[str, Reason] = {}


def _compile(node: Node) -> Evaluator:
    """Turn a formula tree into nested closures, once, so evaluation is plain function calls."""
    if isinstance(node, Number):
        constant = node.value
        return lambda frame: constant
    if isinstance(node, Months):
        return lambda frame: frame.months
    if isinstance(node, FigureRef):
        code = node.code

        def figure(frame: _Frame) -> Decimal:
            try:
                return frame.figures[code]
            except KeyError:
                raise _NotAvailable(frame.run.figure_reason(frame.period, code)) from None

        return figure
    if isinstance(node, KpiRef):
        code = node.code

        def kpi(frame: _Frame) -> Decimal:
            try:
                return frame.values[code]
            except KeyError:
                raise _NotAvailable(frame.reasons[code]) from None

        return kpi
    if isinstance(node, Previous):
        code, is_kpi = node.code, node.is_kpi
        return lambda frame: frame.run.previous_value(frame.period, code, is_kpi)
    if isinstance(node, Negate):
        inner = _compile(node.operand)
        return lambda frame: -inner(frame)
    if isinstance(node, Call):
        args = [_compile(arg) for arg in node.args]
        if node.name == "abs":
            only = args[0]
            return lambda frame: abs(only(frame))
        pick = min if node.name == "min" else max
        return lambda frame: pick([arg(frame) for arg in args])
    assert isinstance(node, Chain)
    return _compile_chain(node)


# Longer chains run in a loop, so that a sum of hundreds of terms cannot nest closures deeply.
_FOLD_LIMIT = 8


def _compile_chain(node: Chain) -> Evaluator:
    first = _compile(node.first)
    steps = [
        (step.op, _compile(step.node), Reason(ReasonKind.ZERO_DENOMINATOR, source=step.source))
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

        def divide(frame: _Frame) -> Decimal:
            numerator = left(frame)
            denominator = right(frame)
            if not denominator:
                raise _NotAvailable(zero)
            return numerator / denominator

        return divide
    if op == "*":
        return lambda frame: left(frame) * right(frame)
    if op == "+":
        return lambda frame: left(frame) + right(frame)
    return lambda frame: left(frame) - right(frame)


def _chain_loop(first: Evaluator, steps: list[tuple[str, Evaluator, Reason]]) -> Evaluator:
    def chain(frame: _Frame) -> Decimal:
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
                raise _NotAvailable(zero)
            else:
                value /= operand
        return value

    return chain


_Step = tuple[str, Evaluator, Evaluator | None, Reason | None]


class Engine:
    """Computes KPIs from monthly figures; build once per set of definitions and reuse."""

    def __init__(
        self,
        figures: Mapping[str, FigureDef],
        kpis: Mapping[str, KpiDef],
        *,
        _reuse: Mapping[str, tuple[KpiDef, Formula, Formula | None]] | None = None,
    ) -> None:
        self.figures: Mapping[str, FigureDef] = MappingProxyType(dict(figures))
        self.kpis: Mapping[str, KpiDef] = MappingProxyType(dict(kpis))
        for code, definition in [*self.figures.items(), *self.kpis.items()]:
            _check_code(code, definition.code)
        reuse = _reuse or {}
        self._parsed: dict[str, tuple[KpiDef, Formula, Formula | None]] = {}
        for code, kpi in self.kpis.items():
            if code in reuse and reuse[code][0] is kpi:
                self._parsed[code] = reuse[code]
            else:
                self._parsed[code] = (kpi, self._parse(code, kpi.formula), self._parse_guard(kpi))
        self._order = self._dependency_order()
        self._compiled: dict[str, _Step] = {}
        for code in self._order:
            kpi, formula, guard = self._parsed[code]
            if guard is not None and kpi.guard is not None:
                check: Evaluator | None = _compile(guard.root)
                guard_reason: Reason | None = Reason(kpi.guard.reason)
            else:
                check, guard_reason = None, None
            self._compiled[code] = (code, _compile(formula.root), check, guard_reason)
        self._aggregations = [(code, figure.aggregation) for code, figure in self.figures.items()]
        self._plans: dict[frozenset[str] | None, tuple[_Step, ...]] = {}

    @classmethod
    def catalogue(cls) -> Engine:
        """The engine of the built-in catalogue, built once."""
        return _catalogue_engine()

    def with_custom(
        self,
        figures: Mapping[str, FigureDef] | Iterable[FigureDef] = (),
        kpis: Mapping[str, KpiDef] | Iterable[KpiDef] = (),
    ) -> Engine:
        """A new engine with a business's own figures and KPIs added; their codes must be new."""
        extra_figures = _by_code(figures)
        extra_kpis = _by_code(kpis)
        for code in [*extra_figures, *extra_kpis]:
            if code in self.figures or code in self.kpis:
                raise CatalogueError(
                    lazy_format(
                        _("The code “%(code)s” is already used by a built-in figure or KPI"),
                        {"code": code},
                    )
                )
        return Engine(
            {**self.figures, **extra_figures},
            {**self.kpis, **extra_kpis},
            _reuse=self._parsed,
        )

    def formula(self, code: str) -> Formula:
        """The parsed formula of a KPI."""
        return self._parsed[code][1]

    def guard(self, code: str) -> Formula | None:
        """The parsed guard formula of a KPI, if it has one."""
        return self._parsed[code][2]

    def figures_needed(self, codes: Iterable[str] | None = None) -> list[str]:
        """Every figure the given KPIs need (directly, through other KPIs or previous periods)."""
        needed: set[str] = set()
        for step in self._plan(None if codes is None else frozenset(codes)):
            _kpi, formula, guard = self._parsed[step[0]]
            for parsed in (formula, guard):
                if parsed is not None:
                    needed |= parsed.figures | parsed.previous_figures
        return [code for code in self.figures if code in needed]

    def compute(
        self, data: MonthlyFigures, period: Period, codes: Iterable[str] | None = None
    ) -> dict[str, KpiResult]:
        """Every KPI (or the ones named) for one period."""
        return self.compute_series(data, [period], codes)[period]

    def compute_series(
        self, data: MonthlyFigures, periods: Iterable[Period], codes: Iterable[str] | None = None
    ) -> dict[Period, dict[str, KpiResult]]:
        """Every KPI (or the ones named) for each period, keyed by period in the order given."""
        wanted = list(self.kpis) if codes is None else list(dict.fromkeys(codes))
        for code in wanted:
            if code not in self.kpis:
                raise CatalogueError(lazy_format(_("Unknown KPI “%(code)s”"), {"code": code}))
        if not isinstance(data, MonthlyFigures):
            data = MonthlyFigures(data)
        periods = list(periods)
        run = _Run(self, data, self._plan(None if codes is None else frozenset(wanted)))
        with localcontext(DECIMAL_CONTEXT):
            # Oldest first, so previous() finds the period before already computed.
            for period in sorted(set(periods)):
                run.evaluate(period)
        series: dict[Period, dict[str, KpiResult]] = {}
        for period in periods:
            results = run.results[period]
            series[period] = {code: results[code] for code in wanted}
        return series

    # -- building ------------------------------------------------------------------------------

    def _parse(self, code: str, text: str) -> Formula:
        try:
            return parse(text, self.figures, self.kpis)
        except FormulaError as error:
            raise FormulaError(error.message, error.column, kpi=code) from None

    def _parse_guard(self, kpi: KpiDef) -> Formula | None:
        return self._parse(kpi.code, kpi.guard.formula) if kpi.guard else None

    def _same_period_kpis(self, code: str) -> list[str]:
        _kpi, formula, guard = self._parsed[code]
        used = formula.kpis | (guard.kpis if guard else frozenset())
        return sorted(used)

    def _previous_kpis(self, code: str) -> list[str]:
        _kpi, formula, guard = self._parsed[code]
        used = formula.previous_kpis | (guard.previous_kpis if guard else frozenset())
        return sorted(used)

    def _dependency_order(self) -> list[str]:
        """KPIs ordered so each comes after the KPIs it uses in the same period."""
        done: set[str] = set()
        order: list[str] = []
        for root in self.kpis:
            if root in done:
                continue
            # Iterative depth-first search: a long chain of KPIs must not hit the recursion limit.
            path = [root]
            on_path = {root}
            stack = [iter(self._same_period_kpis(root))]
            while stack:
                following = next(stack[-1], None)
                if following is None:
                    stack.pop()
                    finished = path.pop()
                    on_path.discard(finished)
                    done.add(finished)
                    order.append(finished)
                elif following in on_path:
                    raise CycleError([*path[path.index(following) :], following])
                elif following not in done:
                    path.append(following)
                    on_path.add(following)
                    stack.append(iter(self._same_period_kpis(following)))
        return order

    def _plan(self, codes: frozenset[str] | None) -> tuple[_Step, ...]:
        plan = self._plans.get(codes)
        if plan is None:
            if codes is None:
                needed = set(self.kpis)
            else:
                needed = set()
                pending = list(codes)
                while pending:
                    code = pending.pop()
                    if code not in needed:
                        needed.add(code)
                        pending += self._same_period_kpis(code) + self._previous_kpis(code)
            plan = tuple(self._compiled[code] for code in self._order if code in needed)
            self._plans[codes] = plan
        return plan

    def _figure_closure(self, code: str) -> frozenset[str]:
        return frozenset(self.figures_needed([code]))


@functools.cache
def _catalogue_engine() -> Engine:
    return Engine(FIGURES, KPIS)


def _by_code(definitions: Mapping[str, Any] | Iterable[Any]) -> dict[str, Any]:
    if isinstance(definitions, Mapping):
        return dict(definitions)
    return {definition.code: definition for definition in definitions}


def _check_code(key: str, code: str) -> None:
    if key != code:
        raise CatalogueError(
            lazy_format(
                _("The definition of “%(key)s” has another code: “%(code)s”"),
                {"key": key, "code": code},
            )
        )
    if not CODE_RE.fullmatch(code):
        raise CatalogueError(
            lazy_format(
                _(
                    "“%(code)s” is not a valid code: use at most 50 lowercase letters a–z, digits "
                    "and _, starting with a letter"
                ),
                {"code": code},
            )
        )
    if code in RESERVED:
        raise CatalogueError(
            lazy_format(
                _("“%(code)s” is a word of the formula language; choose another code"),
                {"code": code},
            )
        )


class _Run:
    """One computation: the aggregated figures and the results of every period it touched."""

    def __init__(self, engine: Engine, data: MonthlyFigures, plan: tuple[_Step, ...]) -> None:
        self.engine = engine
        self.data = data._data
        self.plan = plan
        self.figures: dict[Period, Mapping[str, Decimal]] = {}
        self.frames: dict[Period, _Frame] = {}
        self.results: dict[Period, dict[str, KpiResult]] = {}
        self.closures: dict[str, frozenset[str]] = {}

    def figures_for(self, period: Period) -> Mapping[str, Decimal]:
        """The period's figures, aggregated; a figure missing in any month is left out."""
        figures = self.figures.get(period)
        if figures is not None:
            return figures
        if period.months == 1:
            figures = self.data.get(period.start, _EMPTY)
        else:
            months = period.month_list()
            if all(month in self.data for month in months):
                rows = [self.data[month] for month in months]
                figures = _aggregate(self.engine._aggregations, rows)
            else:
                # A month without any entry leaves every figure incomplete.
                figures = _EMPTY
        self.figures[period] = figures
        return figures

    def figure_reason(self, period: Period, code: str) -> Reason:
        """Why a figure has no value for the period: missing altogether, or in some months."""
        months = period.month_list()
        lacking = [month for month in months if code not in self.data.get(month, _EMPTY)]
        if len(lacking) == len(months):
            return Reason(ReasonKind.MISSING_FIGURE, figure=code, month=lacking[0])
        return Reason(
            ReasonKind.INCOMPLETE,
            figure=code,
            month=lacking[0],
            present=len(months) - len(lacking),
            needed=len(months),
        )

    def has_rows(self, period: Period) -> bool:
        """Whether any month of the period has an entry at all."""
        return any(month in self.data for month in period.month_list())

    def previous_value(self, period: Period, code: str, is_kpi: bool) -> Decimal:
        """A figure or KPI in the period before; no data there at all means no previous period."""
        before = period.previous()
        if not self.has_rows(before):
            raise _NotAvailable(_NO_PREVIOUS)
        if not is_kpi:
            try:
                return self.figures_for(before)[code]
            except KeyError:
                reason = self.figure_reason(before, code)
                if reason.kind is ReasonKind.MISSING_FIGURE:
                    reason = _NO_PREVIOUS
                raise _NotAvailable(reason) from None
        needed = self.closures.get(code)
        if needed is None:
            needed = self.closures[code] = self.engine._figure_closure(code)
        if needed and not any(
            figure in self.data.get(month, _EMPTY)
            for month in before.month_list()
            for figure in needed
        ):
            raise _NotAvailable(_NO_PREVIOUS)
        frame = self.frames.get(before) or self._evaluate_back_to(before)
        try:
            return frame.values[code]
        except KeyError:
            raise _NotAvailable(frame.reasons[code]) from None

    def _evaluate_back_to(self, period: Period) -> _Frame:
        # Oldest first, so each period finds its own previous period already done: no recursion.
        chain = [period]
        earlier = period.previous()
        while earlier not in self.frames and self.has_rows(earlier):
            chain.append(earlier)
            earlier = earlier.previous()
        for step in reversed(chain):
            self.evaluate(step)
        return self.frames[period]

    def evaluate(self, period: Period) -> dict[str, KpiResult]:
        """Every KPI of the plan for one period (once per period)."""
        results = self.results.get(period)
        if results is not None:
            return results
        frame = _Frame(self, period, self.figures_for(period))
        self.frames[period] = frame
        values = frame.values
        reasons = frame.reasons
        results = {}
        for code, evaluate, guard, guard_reason in self.plan:
            try:
                if guard is not None and guard_reason is not None and guard(frame) <= 0:
                    raise _NotAvailable(guard_reason)
                value = evaluate(frame)
            except _NotAvailable as not_available:
                reasons[code] = not_available.reason
                results[code] = KpiResult(code, period, None, not_available.reason)
            except DecimalException:
                reasons[code] = _OUT_OF_RANGE
                results[code] = KpiResult(code, period, None, _OUT_OF_RANGE)
            else:
                values[code] = value
                results[code] = KpiResult(code, period, value, None)
        self.results[period] = results
        return results


_NO_PREVIOUS = Reason(ReasonKind.NO_PREVIOUS)
_OUT_OF_RANGE = Reason(ReasonKind.OUT_OF_RANGE)


def _aggregate(
    aggregations: list[tuple[str, Aggregation]], rows: list[Mapping[str, Decimal]]
) -> dict[str, Decimal]:
    """Roll months up by each figure's aggregation; a figure absent from any month is left out."""
    first, last = rows[0], rows[-1]
    count = Decimal(len(rows))
    figures: dict[str, Decimal] = {}
    for code, aggregation in aggregations:
        try:
            values = [row[code] for row in rows]
        except KeyError:
            continue
        if aggregation is Aggregation.SUM:
            figures[code] = sum(values, Decimal(0))
        elif aggregation is Aggregation.LAST:
            figures[code] = last[code]
        elif aggregation is Aggregation.FIRST:
            figures[code] = first[code]
        else:
            figures[code] = sum(values, Decimal(0)) / count
    return figures
