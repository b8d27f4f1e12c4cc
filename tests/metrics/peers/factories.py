"""Businesses that are peers of another in a cohort: same country and sector, with figures."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from accounts.models import User
from metrics.models.business import Business
from metrics.models.programmes import Cohort, CohortMembership
from tests.metrics.factories import add_entries, make_business


def peer(
    cohort: Cohort,
    name: str,
    orders: int,
    *,
    month: date,
    sector: str = "food",
    country: str = "be",
    currency: str = "EUR",
    consent: str = "aggregate",
) -> Business:
    """A member whose conversion in ``month`` is ``orders`` % (of 100 visitors), with revenue
    of €100 an order."""
    owner = User.objects.create_user(f"{name}@example.org", "x" * 12, name=name)
    region = "flanders" if country == "be" else ""
    business = make_business(
        owner, name=name, sector=sector, country=country, region=region, currency=currency
    )
    add_entries(business, month, 1, {"orders": orders, "visitors": 100, "revenue": orders * 100})
    CohortMembership.objects.create(cohort=cohort, business=business, consent=consent)
    return business


def peers_of(business: Business, cohort: Cohort, month: date, orders: Iterable[int]) -> None:
    """Peers of ``business`` in ``cohort``, one for each number of orders in ``month``."""
    for index, count in enumerate(orders):
        peer(
            cohort,
            f"peer{business.pk}-{index}",
            count,
            month=month,
            sector=business.sector,
            country=business.country,
            currency=business.currency,
        )
