"""A programme with a pool of mentors, and members to match, for the matching tests."""

from __future__ import annotations

from accounts.models import User
from metrics.models.business import Business
from metrics.models.matching import PoolMentor
from metrics.models.programmes import Cohort, CohortMembership, Programme
from tests.metrics.factories import make_business


def pool_mentor(
    programme: Programme,
    email: str,
    languages: str,
    sectors: str,
    country: str = "be",
    capacity: int = 2,
    active: bool = True,
) -> PoolMentor:
    name = email.split("@")[0].title()
    user = User.objects.create_user(email, "x" * 12, name=name)
    return PoolMentor.objects.create(
        programme=programme,
        user=user,
        languages=languages.split(),
        sectors=sectors.split(),
        country=country,
        capacity=capacity,
        active=active,
    )


def member(
    cohort: Cohort,
    name: str,
    *,
    consent: str = "named",
    language: str = "ar",
    sector: str = "food",
    country: str = "be",
) -> Business:
    owner = User.objects.create_user(
        f"{name.lower()}@example.org", "x" * 12, name=f"{name} Owner", language=language
    )
    business = make_business(owner, name=name, sector=sector, country=country)
    CohortMembership.objects.create(cohort=cohort, business=business, consent=consent)
    return business
