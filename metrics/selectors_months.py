"""Reads for logging months: which months are complete, a month's entries, import previews, exports.

Each function runs a fixed number of queries, whatever the number of months or KPIs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.db.models import Count, Q

from metrics.engine import (
    Engine,
    MonthlyFigures,
    PeriodKind,
    add_months,
    periods_between,
    write_figures_csv,
    write_results_csv,
)
from metrics.models import Business, Entry
from metrics.selectors import business_figures


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


# ---------------------------------------------------------------------------------------------
# Import previews


@dataclass(frozen=True, slots=True)
class ValueChange:
    """One value of a figures file against what is stored (``old`` is None when nothing is)."""

    code: str
    old: Decimal | None
    new: Decimal


@dataclass(slots=True)
class MonthPreview:
    month: date
    new: list[ValueChange] = field(default_factory=list)
    changed: list[ValueChange] = field(default_factory=list)
    unchanged: list[ValueChange] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.changed)


@dataclass(slots=True)
class ImportPreview:
    """What confirming a figures file would do, month by month."""

    months: list[MonthPreview]
    fingerprint: str

    @property
    def new(self) -> int:
        return sum(len(month.new) for month in self.months)

    @property
    def changed(self) -> int:
        return sum(len(month.changed) for month in self.months)

    @property
    def unchanged(self) -> int:
        return sum(len(month.unchanged) for month in self.months)


def compare_figures(stored: MonthlyFigures, incoming: MonthlyFigures) -> ImportPreview:
    """Sort each incoming value into new, changed or unchanged against the stored figures.

    The fingerprint changes when either side does, so a confirmation can tell that what it
    would write is no longer what the person saw.
    """
    months = []
    digest = hashlib.sha256()
    for month in incoming:
        preview = MonthPreview(month)
        for code, value in sorted(incoming[month].items()):
            old = stored.value(month, code)
            change = ValueChange(code, old, value)
            if old is None:
                preview.new.append(change)
            elif old == value:
                preview.unchanged.append(change)
            else:
                preview.changed.append(change)
            digest.update(f"{month:%Y-%m}|{code}|{old}|{value}\n".encode())
        months.append(preview)
    return ImportPreview(months, digest.hexdigest())


def import_preview(business: Business, incoming: MonthlyFigures) -> ImportPreview:
    """Compare a figures file with what the business has stored for those months (one query)."""
    if not incoming:
        return ImportPreview([], hashlib.sha256().hexdigest())
    stored = business_figures(business, first=incoming.first_month, last=incoming.last_month)
    return compare_figures(stored, incoming)


# ---------------------------------------------------------------------------------------------
# Downloads


def figures_csv(business: Business, engine: Engine, needed: Iterable[str]) -> str:
    """The wide figures file: every figure with a value, and those the tracked KPIs need."""
    data = business_figures(business)
    codes = [code for code in engine.figures if code in data.codes() or code in set(needed)]
    # Stored values carry four decimals; a file reads better with 1000 than with 1000.0000.
    plain = MonthlyFigures(
        {month: {code: value.normalize() for code, value in data[month].items()} for month in data}
    )
    return write_figures_csv(plain, codes)


def results_csv(business: Business, engine: Engine, codes: Sequence[str], kind: PeriodKind) -> str:
    """The KPI results file for every period of ``kind`` that the business's figures touch."""
    data = business_figures(business)
    if data.first_month is None or data.last_month is None or not codes:
        return write_results_csv({})
    periods = periods_between(data.first_month, data.last_month, kind, business.fy_start)
    return write_results_csv(engine.compute_series(data, periods, codes))
