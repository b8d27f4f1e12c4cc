"""What every page of the business section shows around its content."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.utils import timezone

from metrics.access import BusinessAccess
from metrics.engine.periods import add_months
from metrics.models.entries import Entry


def current_month() -> date:
    today = timezone.localdate()
    return date(today.year, today.month, 1)


def last_complete_month() -> date:
    """The month people are asked to log now: the one before the current month."""
    return add_months(current_month(), -1)


_UNKNOWN = date.min


def business_context(
    request: HttpRequest, access: BusinessAccess, tab: str, *, last_logged: date | None = _UNKNOWN
) -> dict[str, object]:
    """Tabs, read-only state, unread badge, and the reminder when last month is not logged.

    A page that already knows the last month logged passes it as ``last_logged`` and saves
    the query. A page that shows comments passes the access ``after_reading`` them.
    """
    business = access.business
    month = last_complete_month()
    if not access.can_edit:
        missing = False
    elif last_logged is _UNKNOWN:
        missing = not Entry.objects.filter(business=business, month=month).exists()
    else:
        missing = last_logged is None or last_logged < month
    return {
        "business": business,
        "can_edit": access.can_edit,
        "unread_comments": access.unread_comments,
        "tab": tab,
        "missing_month": month if missing else None,
    }
