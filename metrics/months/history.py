"""Reads for a month's history: every change to its entries, with the value before and after.

The history rows come from django-simple-history (``Entry.history``); every write of the
services leaves one, with the user and the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from django.db.models import QuerySet

from metrics.models.business import Business
from metrics.models.entries import Entry

CREATED, CHANGED, DELETED = "+", "~", "-"


class HistoryRecord(Protocol):
    """What ``entry_changes`` reads of a historical entry."""

    history_id: int
    history_type: str
    history_date: datetime
    history_change_reason: str | None
    figure: str
    value: Decimal
    note: str


@dataclass(frozen=True, slots=True)
class EntryChange:
    """One recorded change of one figure in one month: what it was, what it became, who, when."""

    id: int
    figure: str
    kind: str  # "+" created, "~" changed, "-" deleted
    when: datetime
    user: Any
    reason: str
    before: Decimal | None
    before_note: str
    after: Decimal | None
    after_note: str


def entry_changes(records: Iterable[HistoryRecord]) -> list[EntryChange]:
    """Each record with the figure's state just before it; records come oldest first.

    A figure with no earlier record was not entered before (``before`` is None).
    """
    state: dict[str, tuple[Decimal | None, str]] = {}
    changes = []
    for record in records:
        before, before_note = state.get(record.figure, (None, ""))
        if record.history_type == DELETED:
            after, after_note = None, ""
        else:
            after, after_note = record.value, record.note
        state[record.figure] = (after, after_note)
        changes.append(
            EntryChange(
                id=record.history_id,
                figure=record.figure,
                kind=record.history_type,
                when=record.history_date,
                user=getattr(record, "history_user", None),
                reason=record.history_change_reason or "",
                before=before,
                before_note=before_note,
                after=after,
                after_note=after_note,
            )
        )
    return changes


def _records(business: Business, month: date) -> QuerySet:
    return Entry.history.filter(business_id=business.pk, month=month).order_by(
        "history_date", "history_id"
    )


def month_history(business: Business, month: date) -> list[EntryChange]:
    """Every change to the month's entries, newest first, with who made it (one query)."""
    return entry_changes(_records(business, month).select_related("history_user"))[::-1]


def state_before(
    *, business: Business, month: date, change_id: int
) -> tuple[str, Decimal | None, str] | None:
    """(figure, value, note) just before one change of the month; None if it is not the month's."""
    figure = (
        _records(business, month)
        .filter(history_id=change_id)
        .values_list("figure", flat=True)
        .first()
    )
    if figure is None:
        return None
    for change in entry_changes(_records(business, month).filter(figure=figure)):
        if change.id == change_id:
            return figure, change.before, change.before_note
    return None  # pragma: no cover - the change was found by the first query
