"""Small builders for business data in tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from metrics.engine.periods import add_months
from metrics.models.business import Business, TrackedKpi
from metrics.models.entries import Entry
from metrics.models.mentoring import Mentorship


def make_business(owner: User, **fields: object) -> Business:
    values = {
        "name": "Amal's Kitchen",
        "country": "be",
        "region": "flanders",
        "currency": "EUR",
        "sells": "Home-made food",
        "channel": "shop",
    }
    values.update(fields)
    return Business.objects.create(owner=owner, **values)


def track(business: Business, *codes: str) -> None:
    TrackedKpi.objects.bulk_create(
        TrackedKpi(business=business, kpi=code, position=index) for index, code in enumerate(codes)
    )


def add_entries(business: Business, first: date, months: int, figures: dict[str, int]) -> None:
    Entry.objects.bulk_create(
        Entry(business=business, figure=code, month=add_months(first, index), value=Decimal(value))
        for index in range(months)
        for code, value in figures.items()
    )


def make_mentor(business: Business, mentor: User, *, revoked: bool = False) -> Mentorship:
    return Mentorship.objects.create(
        business=business, mentor=mentor, revoked_at=timezone.now() if revoked else None
    )
