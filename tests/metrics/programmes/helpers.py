"""A programme with one cohort of six businesses, whose indicators are worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from accounts.models import User
from metrics.engine.periods import add_months
from metrics.models.business import Business
from metrics.models.entries import Entry
from metrics.models.goals import Target
from metrics.models.programmes import Cohort, CohortMembership, Coordinator, Programme
from metrics.pages import last_complete_month
from metrics.programmes.summaries import summaries_rebuild
from tests.metrics.factories import make_business, make_mentor, track


def make_programme(coordinator: User, name: str = "New Roots") -> Programme:
    programme = Programme.objects.create(
        name=name, countries=["be", "fr"], languages=["fr", "ar"], start=date(2025, 1, 1)
    )
    Coordinator.objects.create(programme=programme, user=coordinator)
    return programme


def add_revenue(business: Business, revenue: dict[int, int]) -> None:
    """Revenue by month, as an offset from the last complete month (0 is that month)."""
    last = last_complete_month()
    Entry.objects.bulk_create(
        Entry(business=business, figure="revenue", month=add_months(last, offset), value=value)
        for offset, value in revenue.items()
    )
    # Bulk writes send no signals: the summaries the dashboard reads are rebuilt by hand.
    summaries_rebuild([business.pk])


def member_business(cohort: Cohort, name: str, consent: str = "aggregate") -> Business:
    owner = User.objects.create_user(f"{name.lower()}@example.org", "x" * 12, name=name)
    business = make_business(owner, name=name)
    track(business, "revenue")
    last = last_complete_month()
    # At least €1,000 a month: 1,000 or more is on track, 900 to 999 close, under 900 behind.
    Target.objects.create(
        business=business,
        kpi="revenue",
        value=Decimal(1000),
        first_month=add_months(last, -24),
        deadline=add_months(last, 12),
    )
    CohortMembership.objects.create(cohort=cohort, business=business, consent=consent)
    return business


def six_businesses(cohort: Cohort, mentor: User) -> dict[str, Business]:
    """The cohort of the tests, with the month offsets each business logged.

    A, B, C, D: 13 months, from 12 months ago to last month; revenue a year ago → last month:
      A 800 → 1,200 (+50 %, on track), B 1,000 → 1,100 (+10 %, on track),
      C 1,000 → 950 (−5 %, close), D 500 → 600 (+20 %, behind).
    E: 4 months, from 6 months ago to 3 months ago (stopped), 700 a month; named.
    F: the last 2 months, 2,000 a month (on track).
    B is named too. A and B have a mentor; C's mentor left.
    """
    businesses = {}
    pairs = {"A": (800, 1200), "B": (1000, 1100), "C": (1000, 950), "D": (500, 600)}
    for name, (then, now) in pairs.items():
        business = member_business(cohort, name, "named" if name == "B" else "aggregate")
        add_revenue(business, {-12: then, **dict.fromkeys(range(-11, 0), 1000), 0: now})
        businesses[name] = business
    businesses["E"] = member_business(cohort, "E", "named")
    add_revenue(businesses["E"], dict.fromkeys(range(-6, -2), 700))
    businesses["F"] = member_business(cohort, "F")
    add_revenue(businesses["F"], {-1: 2000, 0: 2000})
    make_mentor(businesses["A"], mentor)
    make_mentor(businesses["B"], mentor)
    make_mentor(businesses["C"], mentor, revoked=True)
    return businesses
