"""What an import would change, month by month, before it is confirmed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from metrics.businesses.selectors import business_figures
from metrics.engine import MonthlyFigures
from metrics.models.business import Business


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
