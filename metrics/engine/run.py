"""One computation: the aggregated figures and the results of every period it touched."""

from __future__ import annotations

from collections.abc import Callable, Mapping
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


class Run:
    """Runs a plan over periods of one business's figures, each period once."""

    def __init__(
        self,
        data: MonthlyFigures,
        plan: tuple[Step, ...],
        aggregations: list[tuple[str, Aggregation]],
        figures_needed: Callable[[str], frozenset[str]],
    ) -> None:
        self.data = data.rows
        self.plan = plan
        self.aggregations = aggregations
        self.figures_needed = figures_needed
        self.figures: dict[Period, Mapping[str, Decimal]] = {}
        self.frames: dict[Period, Frame] = {}
        self.results: dict[Period, dict[str, KpiResult]] = {}
        self.closures: dict[str, frozenset[str]] = {}

    def figures_for(self, period: Period) -> Mapping[str, Decimal]:
        """The period's figures, aggregated; a figure missing in any month is left out."""
        figures = self.figures.get(period)
        if figures is not None:
            return figures
        if period.months == 1:
            figures = self.data.get(period.start, EMPTY)
        else:
            months = period.month_list()
            if all(month in self.data for month in months):
                rows = [self.data[month] for month in months]
                figures = aggregate(self.aggregations, rows)
            else:
                # A month without any entry leaves every figure incomplete.
                figures = EMPTY
        self.figures[period] = figures
        return figures

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
        needed = self.closures.get(code)
        if needed is None:
            needed = self.closures[code] = self.figures_needed(code)
        if needed and not any(
            figure in self.data.get(month, EMPTY)
            for month in before.month_list()
            for figure in needed
        ):
            raise NotAvailable(_NO_PREVIOUS)
        frame = self.frames.get(before) or self._evaluate_back_to(before)
        try:
            return frame.values[code]
        except KeyError:
            raise NotAvailable(frame.reasons[code]) from None

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
