"""The cohort indicators from plain data about each member: no database, no HTTP.

Every number over businesses says how many it covers, and is hidden below ``MIN_BUSINESSES``
so that no one member's figures can be read out of a small total. Money is summarised by
medians, which one unusual business cannot drag.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from metrics.disclosure import MIN_BUSINESSES
from metrics.engine.periods import add_months

# The months the charts and the mentors' comments look back on, ending with the last complete.
RECENT_MONTHS = 12
# A mentor is quiet without a comment in this many days before the end of the last month.
QUIET_DAYS = 60


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
    # Which of the ``RECENT_MONTHS`` up to the last complete month it logged.
    recent_months: frozenset[date] = frozenset()
    # Its active mentors, each with whether they commented on it in the last ``QUIET_DAYS``.
    mentors: tuple[tuple[int, bool], ...] = ()
    # Its mentors' comments on it per month, over the recent months.
    mentor_comments: tuple[tuple[date, int], ...] = ()


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
class MentorActivity:
    """What the members' mentors did: never shown for fewer than 5 mentored businesses."""

    mentors: Cell  # distinct active mentors, over the businesses they mentor
    comments_per_month: Cell  # the average over the recent months
    comments_by_month: tuple[tuple[date, int], ...]  # for the chart; hidden with the cell
    quiet_mentors: Cell  # of ``mentors``, those without a comment in ``QUIET_DAYS``


@dataclass(frozen=True, slots=True)
class MonthCount:
    month: date
    businesses: int


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
    # Added for the dashboard's mentors and charts; readers of the fields above need not know.
    mentoring: MentorActivity | None = None
    # How many members logged each recent month; hidden with ``months_logged``.
    logged_by_month: tuple[MonthCount, ...] = ()


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
    latest_start = add_months(last_complete, -months)
    eligible = [m for m in members if m.first_month is not None and m.first_month <= latest_start]
    later: dict[date, date] = {}  # first month → the month it must reach; members share a few
    still = 0
    for m in eligible:
        first = m.first_month
        assert first is not None
        if first not in later:
            later[first] = add_months(first, months)
        still += m.last_month is not None and m.last_month >= later[first]
    return Cell(still, len(eligible), len(eligible))


def recent_months(last_complete: date) -> list[date]:
    """The ``RECENT_MONTHS`` months that end with ``last_complete``, oldest first."""
    return [add_months(last_complete, offset) for offset in range(1 - RECENT_MONTHS, 1)]


def quiet_since(last_complete: date) -> datetime:
    """The start of the ``QUIET_DAYS`` that end with the last complete month (naive)."""
    return datetime.combine(add_months(last_complete, 1), datetime.min.time()) - timedelta(
        days=QUIET_DAYS
    )


def _mentor_activity(members: Sequence[Member], last_complete: date) -> MentorActivity:
    """Mentors of the members, their comments per month, and those quiet for 60 days.

    A mentor of several members counts once, and is quiet only without a comment on any.
    """
    mentored = [m for m in members if m.mentors]
    spoke: dict[int, bool] = {}
    for member in mentored:
        for mentor, recent in member.mentors:
            spoke[mentor] = spoke.get(mentor, False) or recent
    quiet = sum(1 for recent in spoke.values() if not recent)
    by_month = dict.fromkeys(recent_months(last_complete), 0)
    for member in mentored:
        for month, count in member.mentor_comments:
            if month in by_month:
                by_month[month] += count
    total = sum(by_month.values())
    average = (Decimal(total) / RECENT_MONTHS).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return MentorActivity(
        mentors=Cell(len(spoke), len(mentored)),
        comments_per_month=Cell(average, len(mentored)),
        comments_by_month=tuple(by_month.items()),
        quiet_mentors=Cell(quiet, len(mentored), len(spoke)),
    )


def _logged_by_month(members: Sequence[Member], last_complete: date) -> tuple[MonthCount, ...]:
    # Members share a few sets of recent months: count the sets, then the months in each.
    sets = Counter(m.recent_months for m in members)
    by_month: Counter[date] = Counter()
    for months, count in sets.items():
        for month in months:
            by_month[month] += count
    return tuple(MonthCount(month, by_month[month]) for month in recent_months(last_complete))


def distinct_members(members: Iterable[Member]) -> list[Member]:
    """Each business once, for totals over several cohorts (a business may be in two)."""
    seen: dict[int, Member] = {}
    for member in members:
        seen.setdefault(member.business_id, member)
    return list(seen.values())


def cohort_indicators(members: Sequence[Member], last_complete: date) -> CohortIndicators:
    """The programme dashboard's numbers for one cohort, as of ``last_complete`` month."""
    count = len(members)
    since = add_months(last_complete, -1)  # as in ``is_active``, worked out once
    active = sum(1 for m in members if m.last_month is not None and m.last_month >= since)
    named = [
        NamedRow(
            name=m.name,
            last_month=m.last_month,
            on_track=m.on_track,
            close=m.close,
            behind=m.behind,
            stale=m.last_month is None or m.last_month < since,
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
        mentoring=_mentor_activity(members, last_complete),
        logged_by_month=_logged_by_month(members, last_complete),
    )
