"""Figures in, KPI results out: the engine that checks the definitions, orders and runs them.

The pieces live beside it: ``figures`` (the input and its roll-up into periods), ``evaluate``
(formula trees into closures), ``order`` (dependency order and cycles) and ``run`` (one
computation over periods).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from decimal import localcontext
from types import MappingProxyType
from typing import Any

from metrics.engine.catalogue import FIGURES, KPIS, FigureDef, KpiDef
from metrics.engine.evaluate import DECIMAL_CONTEXT, Evaluator, compile_node
from metrics.engine.figures import MonthlyFigures
from metrics.engine.formula import RESERVED, Formula, FormulaError, parse
from metrics.engine.order import CycleError, dependency_order, needed_by
from metrics.engine.periods import Period
from metrics.engine.results import KpiResult, Reason
from metrics.engine.run import Run, Step
from metrics.engine.text import Message, lazy_format
from metrics.engine.text import gettext_lazy as _

# Also importable from here, where they were first defined.
__all__ = [
    "DECIMAL_CONTEXT",
    "CatalogueError",
    "CycleError",
    "Engine",
    "MonthlyFigures",
]

CODE_RE = re.compile(r"[a-z][a-z0-9_]{0,49}")


class CatalogueError(ValueError):
    """A figure or KPI definition that cannot be used (bad code, clash, unknown code)."""

    def __init__(self, message: Message | str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


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
        definitions: list[tuple[str, FigureDef | KpiDef]] = [
            *self.figures.items(),
            *self.kpis.items(),
        ]
        for code, definition in definitions:
            _check_code(code, definition.code)
        reuse = _reuse or {}
        self._parsed: dict[str, tuple[KpiDef, Formula, Formula | None]] = {}
        for code, kpi in self.kpis.items():
            if code in reuse and reuse[code][0] is kpi:
                self._parsed[code] = reuse[code]
            else:
                self._parsed[code] = (kpi, self._parse(code, kpi.formula), self._parse_guard(kpi))
        self._order = dependency_order(self.kpis, self._same_period_kpis)
        self._compiled = {code: self._compile(code) for code in self._order}
        self._aggregations = [(code, figure.aggregation) for code, figure in self.figures.items()]
        self._plans: dict[frozenset[str] | None, tuple[Step, ...]] = {}
        self._whole_only = self._comparing_kpis()
        self._figure_closures: dict[str, tuple[str, ...]] = {}
        self._kpi_closures: dict[str, frozenset[str]] = {}

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
        plan = self._plan(None if codes is None else frozenset(wanted))
        run = Run(
            data,
            plan,
            self._aggregations,
            self._figure_closure,
            self._kpi_closure,
            self._whole_only,
        )
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

    def _kpis_used(self, code: str) -> list[str]:
        """The KPIs a KPI uses, in this period or the previous one."""
        _kpi, formula, guard = self._parsed[code]
        used = formula.kpis | formula.previous_kpis
        if guard:
            used |= guard.kpis | guard.previous_kpis
        return sorted(used)

    def _compile(self, code: str) -> Step:
        kpi, formula, guard = self._parsed[code]
        if guard is not None and kpi.guard is not None:
            check: Evaluator | None = compile_node(guard.root)
            guard_reason: Reason | None = Reason(kpi.guard.reason)
        else:
            check, guard_reason = None, None
        return (code, compile_node(formula.root), check, guard_reason)

    def _plan(self, codes: frozenset[str] | None) -> tuple[Step, ...]:
        plan = self._plans.get(codes)
        if plan is None:
            needed = set(self.kpis) if codes is None else needed_by(codes, self._kpis_used)
            plan = tuple(self._compiled[code] for code in self._order if code in needed)
            self._plans[codes] = plan
        return plan

    def _figure_closure(self, code: str) -> tuple[str, ...]:
        closure = self._figure_closures.get(code)
        if closure is None:
            closure = self._figure_closures[code] = tuple(self.figures_needed([code]))
        return closure

    def _kpi_closure(self, code: str) -> frozenset[str]:
        """The KPIs ``code`` needs in the same period, itself included."""
        closure = self._kpi_closures.get(code)
        if closure is None:
            closure = self._kpi_closures[code] = frozenset(
                needed_by([code], self._same_period_kpis)
            )
        return closure

    def _comparing_kpis(self) -> frozenset[str]:
        """The KPIs that use ``previous()``, directly or through a KPI of the same period:
        they compare whole periods, so they have no value "so far" (see the module rule)."""
        comparing: set[str] = set()
        for code in self._order:  # dependencies first
            _kpi, formula, guard = self._parsed[code]
            uses = [formula] if guard is None else [formula, guard]
            if any(parsed.previous_figures or parsed.previous_kpis for parsed in uses) or any(
                used in comparing for used in self._same_period_kpis(code)
            ):
                comparing.add(code)
        return frozenset(comparing)


@functools.cache
def _catalogue_engine() -> Engine:
    return Engine(FIGURES, KPIS)


def _by_code(definitions: Mapping[str, Any] | Iterable[Any]) -> dict[str, Any]:
    if isinstance(definitions, Mapping):
        return dict(definitions)
    listed: Iterable[Any] = definitions  # not a Mapping here, whatever the union says
    return {definition.code: definition for definition in listed}


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
