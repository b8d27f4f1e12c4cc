"""Writes: a month's figures from the form, many months from a file, a value restored.

Every write is all-or-nothing and leaves a history row per changed entry, with who did it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from metrics.engine import MonthlyFigures
from metrics.models.business import Business, business_write
from metrics.models.entries import Entry
from metrics.models.summaries import summary_stale
from metrics.months.history import state_before

REASON_FORM = "month form"


REASON_IMPORT = "figures file"


REASON_LEDGER = "sales ledger import"


REASON_RESTORE = "restored from history"


@dataclass(frozen=True, slots=True)
class SaveSummary:
    """How many entries a write created, changed and deleted, and how many it left as stored."""

    created: int = 0
    changed: int = 0
    deleted: int = 0
    kept: int = 0

    def __add__(self, other: SaveSummary) -> SaveSummary:
        return SaveSummary(
            self.created + other.created,
            self.changed + other.changed,
            self.deleted + other.deleted,
            self.kept + other.kept,
        )


def _check(entry: Entry) -> None:
    # The business is known to exist; leaving it out saves a query per entry.
    entry.full_clean(exclude=["business"], validate_unique=False, validate_constraints=False)


def entries_save_month(
    *,
    business: Business,
    month: date,
    values: Mapping[str, Decimal | None],
    user: Any,
    notes: Mapping[str, str] | None = None,
    reason: str = REASON_FORM,
    keep_stored: bool = False,
) -> SaveSummary:
    """Store one month's figures: a value creates or changes an entry, None deletes it.

    ``notes`` (per figure) replaces the notes of the figures it names; others keep theirs.
    Figures not in ``values`` are left alone; with ``keep_stored``, so are those already stored.
    """
    today = timezone.localdate()
    if month.day != 1 or month > date(today.year, today.month, 1):
        raise ValidationError(_("Figures can be logged for a month once it has started."))
    with business_write(business):
        existing = {
            entry.figure: entry
            for entry in Entry.objects.select_for_update().filter(
                business=business, month=month, figure__in=list(values)
            )
        }
        changes = _month_changes(
            business, month, values, notes or {}, existing, keep_stored=keep_stored
        )
        _write_changes(changes, user=user, reason=reason)
        if changes.created or changes.changed:  # bulk writes send no signals; deletions do
            summary_stale(business.pk, month)
    return SaveSummary(
        len(changes.created), len(changes.changed), len(changes.deleted), changes.kept
    )


@dataclass(slots=True)
class _Changes:
    created: list[Entry] = field(default_factory=list)
    changed: list[Entry] = field(default_factory=list)
    deleted: list[Entry] = field(default_factory=list)
    kept: int = 0  # stored values left as they were, though the write brought others


def _month_changes(
    business: Business,
    month: date,
    values: Mapping[str, Decimal | None],
    notes: Mapping[str, str],
    existing: Mapping[str, Entry],
    *,
    keep_stored: bool,
) -> _Changes:
    """Which entries a month's write creates, changes and deletes; each new state is checked."""
    changes = _Changes()
    for code, value in values.items():
        entry = existing.get(code)
        if keep_stored and entry is not None:
            changes.kept += entry.value != value
            continue
        if value is None:
            if entry is not None:
                changes.deleted.append(entry)
            continue
        note = notes.get(code)
        if entry is None:
            entry = Entry(business=business, figure=code, month=month, value=value)
            entry.note = note or ""
            _check(entry)
            changes.created.append(entry)
        elif entry.value != value or (note is not None and note != entry.note):
            entry.value = value
            if note is not None:
                entry.note = note
            _check(entry)
            changes.changed.append(entry)
    return changes


def _write_changes(changes: _Changes, *, user: Any, reason: str) -> None:
    """Write the changes, each leaving its history row with the user and the reason."""
    if changes.created:
        bulk_create_with_history(
            changes.created, Entry, default_user=user, default_change_reason=reason
        )
    if changes.changed:
        bulk_update_with_history(
            changes.changed,
            Entry,
            ["value", "note"],
            default_user=user,
            default_change_reason=reason,
        )
    for entry in changes.deleted:
        # One by one, so that each deletion leaves its history row with the user.
        entry._history_user = user  # type: ignore[attr-defined]  # read by simple_history
        entry._change_reason = reason  # type: ignore[attr-defined]  # read by simple_history
        entry.delete()


def entries_import(
    *,
    business: Business,
    figures: MonthlyFigures,
    user: Any,
    reason: str = REASON_IMPORT,
    keep: Collection[date] = (),
) -> SaveSummary:
    """Store every value of a figures file, month by month, all or nothing.

    Empty cells are missing values: they leave what is stored for that month alone. In the
    months of ``keep``, values already stored stay as they are; only missing ones are added.
    """
    summary = SaveSummary()
    with business_write(business):
        for month in figures:
            summary += entries_save_month(
                business=business,
                month=month,
                values=dict(figures[month]),
                user=user,
                reason=reason,
                keep_stored=month in keep,
            )
    return summary


def entry_restore(*, business: Business, month: date, change_id: int, user: Any) -> SaveSummary:
    """Set a figure of a month back to what it was before one recorded change.

    When it was not entered before that change, the entry is deleted. Raises
    ``Entry.DoesNotExist`` when the change is not one of this month's.
    """
    before = state_before(business=business, month=month, change_id=change_id)
    if before is None:
        raise Entry.DoesNotExist
    figure, value, note = before
    return entries_save_month(
        business=business,
        month=month,
        values={figure: value},
        notes={figure: note} if value is not None else None,
        user=user,
        reason=REASON_RESTORE,
    )
