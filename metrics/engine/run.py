"""One computation: the aggregated figures and the results of every period it touched.

A quarter or a year whose figures lack some months is computed "so far" (the rule is written
in full in the ``metrics.engine`` docstring): each KPI over the months in which every figure it
uses is present, and n/a with a reason where that cannot be done.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, DecimalException

from metrics.engine.catalogue import Aggregation
from metrics.engine.evaluate import Evaluator, Frame, NotAvailable
from metrics.engine.figures import EMPTY, MonthlyFigures, aggregate
from metrics.engine.periods import Period
from metrics.engine.results import RESULT_LIMIT, KpiResult, Reason, ReasonKind

#: One KPI of a plan: its code, its evaluator, and its guard with the guard's reason (or None).
Step = tuple[str, Evaluator, Evaluator | None, Reason | None]

_NO_PREVIOUS = Reason(ReasonKind.NO_PREVIOUS)
_OUT_OF_RANGE = Reason(ReasonKind.OUT_OF_RANGE)
_NO_PARTIAL: Mapping[str, tuple[date, ...]] = {}


class Run:
    """Runs a plan over periods of one business's figures, each period once."""

    def __init__(
        self,
        data: MonthlyFigures,
        plan: tuple[Step, ...],
        aggregations: list[tuple[str, Aggregation]],
        figures_needed: Callable[[str], tuple[str, ...]],
        kpis_needed: Callable[[str], frozenset[str]] = frozenset,
        whole_only: frozenset[str] = frozenset(),
    ) -> None:
        self.data = data.rows
        self.plan = plan
        self.aggregations = aggregations
        self.figures_needed = figures_needed
        # The KPIs a KPI needs in the same period (itself included), and the KPIs that compare
        # with the previous period, directly or through another KPI: never computed "so far".
        self.kpis_needed = kpis_needed
        self.whole_only = whole_only
        self.figures: dict[Period, Mapping[str, Decimal]] = {}
        # Per period: the figures present in some months but not all, and those months.
        self.partial: dict[Period, Mapping[str, tuple[date, ...]]] = {}
        self.frames: dict[Period, Frame] = {}
        self.results: dict[Period, dict[str, KpiResult]] = {}
        self.closures: dict[str, tuple[str, ...]] = {}

    def figures_for(self, period: Period) -> Mapping[str, Decimal]:
        """The period's figures, aggregated; a figure missing in any month is left out.

        Figures present in some months only are noted in ``self.partial`` for the "so far" rule.
        """
        figures = self.figures.get(period)
        if figures is not None:
            return figures
        if period.months == 1:
            figures = self.data.get(period.start, EMPTY)
            partial = _NO_PARTIAL
        else:
            months = period.month_list()
            rows = [self.data[month] for month in months if month in self.data]
            # A month without any entry leaves every figure incomplete.
            figures = aggregate(self.aggregations, rows) if len(rows) == len(months) else EMPTY
            partial = self._partial(months, rows, figures) if rows else _NO_PARTIAL
        self.figures[period] = figures
        self.partial[period] = partial
        return figures

    def _partial(
        self, months: list[date], rows: list[Mapping[str, Decimal]], complete: Mapping[str, Decimal]
    ) -> Mapping[str, tuple[date, ...]]:
        present = set().union(*rows)
        if len(present) == len(complete):
            return _NO_PARTIAL
        return {
            code: tuple(month for month in months if code in self.data.get(month, EMPTY))
            for code, _aggregation in self.aggregations
            if code in present and code not in complete
        }

    def figure_reason(self, period: Period, code: str) -> Reason:
        """Why a figure has no value for the period: missing altogether, or in some months."""
        months = period.month_list()
        lacking = [month for month in months if code not in self.data.get(month, EMPTY)]
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
            raise NotAvailable(_NO_PREVIOUS)
        if not is_kpi:
            try:
                return self.figures_for(before)[code]
            except KeyError:
                reason = self.figure_reason(before, code)
                if reason.kind is ReasonKind.MISSING_FIGURE:
                    reason = _NO_PREVIOUS
                raise NotAvailable(reason) from None
        needed = self._closure(code)
        if needed and not any(
            figure in self.data.get(month, EMPTY)
            for month in before.month_list()
            for figure in needed
        ):
            raise NotAvailable(_NO_PREVIOUS)
        frame = self.frames.get(before) or self._evaluate_back_to(before)
        try:
            value = frame.values[code]
        except KeyError:
            raise NotAvailable(frame.reasons[code]) from None
        if code in frame.covered:
            # Part of a period against a whole one would read as a fall: not compared.
            partial = self.partial[before]
            figure = next(figure for figure in needed if figure in partial)
            raise NotAvailable(self.figure_reason(before, figure))
        return value

    def _evaluate_back_to(self, period: Period) -> Frame:
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
        frame = Frame(self, period, self.figures_for(period))
        self.frames[period] = frame
        partial = self.partial[period]
        if partial:
            results = self._evaluate_partial(frame, partial)
            self.results[period] = results
            return results
        values = frame.values
        reasons = frame.reasons
        results = {}
        for code, evaluate, guard, guard_reason in self.plan:
            try:
                if guard is not None and guard_reason is not None and guard(frame) <= 0:
                    raise NotAvailable(guard_reason)
                value = evaluate(frame)
                if not -RESULT_LIMIT < value < RESULT_LIMIT:
                    raise NotAvailable(_OUT_OF_RANGE)
            except NotAvailable as not_available:
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

    def _evaluate_partial(
        self, frame: Frame, partial: Mapping[str, tuple[date, ...]]
    ) -> dict[str, KpiResult]:
        """A period with figures in some months only: each KPI over the months all of its
        figures share, in a frame of its own; the period's frame keeps the results."""
        period = frame.period
        frames: dict[tuple[date, ...], Frame] = {}
        results: dict[str, KpiResult] = {}
        for step in self.plan:
            code = step[0]
            spans = [
                (figure, partial[figure]) for figure in self._closure(code) if figure in partial
            ]
            if not spans:
                # Its figures are complete (or missing altogether): the whole period.
                _run_step(frame, step)
            else:
                self._so_far(frame, frames, step, spans)
            value = frame.values.get(code)
            if value is None:
                results[code] = KpiResult(code, period, None, frame.reasons[code])
            else:
                results[code] = KpiResult(code, period, value, None, frame.covered.get(code))
        return results

    def _so_far(
        self,
        frame: Frame,
        frames: dict[tuple[date, ...], Frame],
        step: Step,
        spans: list[tuple[str, tuple[date, ...]]],
    ) -> None:
        """One KPI "so far": over the months in which every figure it uses is present."""
        code, period = step[0], frame.period
        common = set(spans[0][1]).intersection(*(months for _figure, months in spans[1:]))
        if not common or code in self.whole_only:
            figure, months = min(spans, key=lambda span: len(span[1]))
            if common:
                # Growth over part of a period against a whole one would mislead: say why.
                reason = Reason(
                    ReasonKind.PARTIAL_PERIOD, present=len(common), needed=period.months
                )
            else:
                # No month holds all of its figures: the one with the fewest months says so.
                reason = self.figure_reason(period, figure)
            frame.reasons[code] = reason
            return
        months = tuple(sorted(common))
        sub = frames.get(months)
        if sub is None:
            rows = [self.data[month] for month in months]
            sub = frames[months] = Frame(
                self, period, aggregate(self.aggregations, rows), len(months)
            )
        needed = self.kpis_needed(code)
        for dependency in self.plan:
            name = dependency[0]
            if name in needed and name not in sub.values and name not in sub.reasons:
                _run_step(sub, dependency)
            if name == code:
                break
        if code in sub.values:
            frame.values[code] = sub.values[code]
            frame.covered[code] = months
        else:
            frame.reasons[code] = sub.reasons[code]

    def _closure(self, code: str) -> tuple[str, ...]:
        needed = self.closures.get(code)
        if needed is None:
            needed = self.closures[code] = self.figures_needed(code)
        return needed


def _run_step(frame: Frame, step: Step) -> None:
    """One KPI in one frame: its value in ``frame.values`` or its reason in ``frame.reasons``."""
    code, evaluate, guard, guard_reason = step
    try:
        if guard is not None and guard_reason is not None and guard(frame) <= 0:
            raise NotAvailable(guard_reason)
        frame.values[code] = evaluate(frame)
    except NotAvailable as not_available:
        frame.reasons[code] = not_available.reason
    except DecimalException:
        frame.reasons[code] = _OUT_OF_RANGE
