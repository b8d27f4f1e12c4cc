"""The guided start's writes and its order of steps: what to ask next, and where to resume."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from accounts.countries import currency_for
from accounts.models import User
from metrics.businesses.selectors import business_engine
from metrics.engine import Comparison, Direction, add_months
from metrics.models.business import Business, StartStep
from metrics.models.goals import Target

# The steps after the business itself; the business is step 1 of len(STEPS) + 1 in all
# (DONE is not a page).
STEPS: tuple[StartStep, ...] = (
    StartStep.CHANNEL,
    StartStep.KPIS,
    StartStep.TARGET,
    StartStep.MONTH,
    StartStep.DONE,
)
PAGES = len(STEPS)  # the business page, then every step but DONE

# A target the guided start proposes runs for a year: long enough to see seasons.
TARGET_MONTHS = 12


def step_number(step: StartStep) -> int:
    """The step's place for "Step 2 of 5": the business page is step 1."""
    return STEPS.index(step) + 2


def step_after(step: StartStep) -> StartStep:
    return STEPS[min(STEPS.index(step) + 1, len(STEPS) - 1)]


def start_step_reach(*, business: Business, step: StartStep) -> None:
    """Remember that the guided start got to ``step``; going back to a page never rewinds it."""
    if STEPS.index(step) <= STEPS.index(StartStep(business.start_step)):
        return
    business.start_step = step
    business.save(update_fields=["start_step"])


def business_start(*, owner: User, name: str, country: str, region: str) -> Business:
    """A new business at the start of the guided start; its country also sets the owner's flag."""
    business = Business(
        owner=owner,
        name=name,
        country=country,
        region=region,
        currency=currency_for(country),
        start_step=StartStep.CHANNEL,
    )
    business.full_clean()
    business.save()
    owner.country, owner.region = country, region
    owner.save(update_fields=["country", "region"])
    return business


def business_in_start(owner: User) -> Business | None:
    """The newest business of the owner whose guided start is not over."""
    return owner.businesses.exclude(start_step=StartStep.DONE).order_by("-created", "-pk").first()


def first_target_save(*, business: Business, kpi: str, value: Decimal, first: date) -> Target:
    """A year's target for one KPI: a floor, or a ceiling where lower is better."""
    definition = business_engine(business).kpis[kpi]
    comparison = (
        Comparison.AT_MOST if definition.direction is Direction.DOWN else Comparison.AT_LEAST
    )
    target = Target(
        business=business,
        kpi=kpi,
        comparison=comparison.value,
        value=value,
        first_month=first,
        deadline=add_months(first, TARGET_MONTHS - 1),
    )
    target.full_clean()
    target.save()
    return target
