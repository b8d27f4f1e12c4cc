"""Reading a business's months: which are logged, which are due, and their entries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.db.models import Count, Q

from metrics.engine import Engine, add_months
from metrics.models.business import Business
from metrics.models.entries import Entry


class MonthState(StrEnum):
    COMPLETE = "complete"
    PARTIAL = "partial"
    EMPTY = "empty"


@dataclass(frozen=True, slots=True)
class MonthStatus:
    """How much of one month is logged: ``entered`` of the ``needed`` figures; ``stored`` in all."""

    month: date
    entered: int
    needed: int
    stored: int

    @property
    def state(self) -> MonthState:
        if self.needed:
            if self.entered >= self.needed:
                return MonthState.COMPLETE
            return MonthState.PARTIAL if self.entered else MonthState.EMPTY
        return MonthState.COMPLETE if self.stored else MonthState.EMPTY


def needed_figures(engine: Engine, tracked: Iterable[str]) -> list[str]:
    """The figures the tracked KPIs need, in catalogue order; unknown KPIs are skipped."""
    codes = [code for code in tracked if code in engine.kpis]
    return engine.figures_needed(codes) if codes else []


def months_newest_first(first: date, last: date) -> list[date]:
    """Every month from ``last`` back to ``first``, both included."""
    months = []
    month = last
    while month >= first:
        months.append(month)
        month = add_months(month, -1)
    return months


def month_statuses(
    business: Business, needed: Sequence[str], *, last: date, current: date
) -> list[MonthStatus]:
    """Every month from the first entry (or ``last``) to ``last``, newest first, in one query.

    The current month is listed too once something is logged for it.
    """
    rows = (
        Entry.objects.filter(business=business, month__lte=current)
        .values("month")
        .annotate(stored=Count("pk"), entered=Count("pk", filter=Q(figure__in=list(needed))))
        .order_by()
    )
    counts = {row["month"]: (row["entered"], row["stored"]) for row in rows}
    first = min([*counts, last])
    newest = max([*counts, last])
    statuses = []
    for month in months_newest_first(first, newest):
        entered, stored = counts.get(month, (0, 0))
        statuses.append(MonthStatus(month, entered, len(needed), stored))
    return statuses


def month_entries(business: Business, months: Iterable[date]) -> dict[date, dict[str, Entry]]:
    """The entries of the given months, by month and figure code, in one query."""
    entries: dict[date, dict[str, Entry]] = {month: {} for month in months}
    for entry in Entry.objects.filter(business=business, month__in=list(entries)):
        entries[entry.month][entry.figure] = entry
    return entries
