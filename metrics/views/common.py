"""What every page of the business section shows around its content."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.utils import timezone

from metrics.engine.periods import add_months
from metrics.models import Business, Entry


def current_month() -> date:
    today = timezone.localdate()
    return date(today.year, today.month, 1)


def last_complete_month() -> date:
    """The month people are asked to log now: the one before the current month."""
    return add_months(current_month(), -1)


def business_context(request: HttpRequest, business: Business, tab: str) -> dict[str, object]:
    """Tabs, read-only state, and the reminder when last month is not logged (one query)."""
    month = last_complete_month()
    missing = (
        business.can_edit and not Entry.objects.filter(business=business, month=month).exists()
    )
    return {
        "business": business,
        "can_edit": business.can_edit,
        "tab": tab,
        "missing_month": month if missing else None,
    }
