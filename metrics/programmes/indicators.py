"""The cohort indicators from plain data about each member: no database, no HTTP.

Every number over businesses says how many it covers, and is hidden below ``MIN_BUSINESSES``
so that no one member's figures can be read out of a small total. Money is summarised by
medians, which one unusual business cannot drag.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from metrics.disclosure import MIN_BUSINESSES
from metrics.engine.periods import add_months


@dataclass(frozen=True, slots=True)
class Member:
    """What the programme may use of one business in a cohort."""

    business_id: int
    name: str
    named: bool
    first_month: date | None
    last_month: date | None
    months_logged: int
    has_mentor: bool
    on_track: int  # tracked KPIs by verdict in the last complete month
    close: int
    behind: int
    revenue: Decimal | None  # in the last complete month
    revenue_year_earlier: Decimal | None


@dataclass(frozen=True, slots=True)
class Cell:
    """One number over ``businesses`` businesses; ``of`` is its denominator when it is a count."""

    value: Decimal | int
    businesses: int
    of: int | None = None

    @property
    def hidden(self) -> bool:
        return self.businesses < MIN_BUSINESSES


@dataclass(frozen=True, slots=True)
class NamedRow:
    """A member who chose to be named: where they stand, never their figures."""

    name: str
    last_month: date | None
    on_track: int
    close: int
    behind: int
    stale: bool


@dataclass(frozen=True, slots=True)
class CohortIndicators:
    members: int
    active: Cell
    months_logged: Cell
    on_track_share: Cell
    revenue_change: Cell
    logging_after_6: Cell
    logging_after_12: Cell
    without_mentor: Cell
    named: list[NamedRow]


def is_active(member: Member, last_complete: date) -> bool:
    """Logged one of the last two complete months: a month that ended in the last 60 days."""
    return member.last_month is not None and member.last_month >= add_months(last_complete, -1)


def _percent(part: Decimal | int, whole: Decimal | int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _on_track_share(members: Sequence[Member]) -> Cell:
    """On-track KPIs over KPIs with a verdict, among businesses with at least one verdict."""
    judged = [m for m in members if m.on_track + m.close + m.behind]
    verdicts = sum(m.on_track + m.close + m.behind for m in judged)
    on_track = sum(m.on_track for m in judged)
    return Cell(_percent(on_track, verdicts) if verdicts else Decimal(0), len(judged))


def _revenue_change(members: Sequence[Member]) -> Cell:
    """The median of each business's change in revenue against the same month a year earlier."""
    changes = [
        _percent(m.revenue - m.revenue_year_earlier, m.revenue_year_earlier)
        for m in members
        if m.revenue is not None and m.revenue_year_earlier  # a base of 0 has no change in %
    ]
    value = Decimal(median(changes)).quantize(Decimal("0.1"), ROUND_HALF_UP) if changes else 0
    return Cell(value, len(changes))


def _logging_after(members: Sequence[Member], months: int, last_complete: date) -> Cell:
    """Of the businesses that started at least ``months`` ago, those with a month logged since."""
    eligible = [
        m
        for m in members
        if m.first_month is not None and add_months(m.first_month, months) <= last_complete
    ]
    still = [
        m
        for m in eligible
        if m.first_month and m.last_month and m.last_month >= add_months(m.first_month, months)
    ]
    return Cell(len(still), len(eligible), len(eligible))


def cohort_indicators(members: Sequence[Member], last_complete: date) -> CohortIndicators:
    """The programme dashboard's numbers for one cohort, as of ``last_complete`` month."""
    count = len(members)
    active = sum(1 for m in members if is_active(m, last_complete))
    named = [
        NamedRow(
            name=m.name,
            last_month=m.last_month,
            on_track=m.on_track,
            close=m.close,
            behind=m.behind,
            stale=not is_active(m, last_complete),
        )
        for m in sorted(members, key=lambda m: (m.name.lower(), m.business_id))
        if m.named
    ]
    return CohortIndicators(
        members=count,
        active=Cell(active, count, count),
        months_logged=Cell(sum(m.months_logged for m in members), count),
        on_track_share=_on_track_share(members),
        revenue_change=_revenue_change(members),
        logging_after_6=_logging_after(members, 6, last_complete),
        logging_after_12=_logging_after(members, 12, last_complete),
        without_mentor=Cell(sum(1 for m in members if not m.has_mentor), count, count),
        named=named,
    )
