"""Reads of the programme layer, each in a fixed number of queries whatever the cohort sizes.

The dashboard reads the per-business monthly summaries (``BusinessMonth``), kept up to date on
write, never the entries: judging thousands of businesses' KPIs per request would take seconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db import connections
from django.db.models import Case, Count, Exists, Max, Min, OuterRef, Q, QuerySet, Sum, Value, When
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from metrics.engine import add_months
from metrics.models.business import Business
from metrics.models.comments import Comment
from metrics.models.matching import PoolMentor, Proposal
from metrics.models.mentoring import Mentorship
from metrics.models.programmes import Cohort, CohortMembership, Consent, Programme
from metrics.models.summaries import BusinessMonth, LoggedMonths
from metrics.programmes.indicators import (
    CohortIndicators,
    Member,
    cohort_indicators,
    distinct_members,
    quiet_since,
    recent_months,
)


def programme_for_coordinator(user: User, programme_id: int) -> Programme:
    """The programme if ``user`` coordinates it; 404 for everyone else, who may not know it."""
    programme = Programme.objects.filter(pk=programme_id, coordinators__user=user).first()
    if programme is None:
        raise Http404
    return programme


def cohort_for_coordinator(user: User, programme_id: int, cohort_id: int) -> Cohort:
    cohort = (
        Cohort.objects.filter(
            pk=cohort_id, programme_id=programme_id, programme__coordinators__user=user
        )
        .select_related("programme")
        .first()
    )
    if cohort is None:
        raise Http404
    return cohort


def coordinated_programmes(user: User) -> QuerySet[Programme]:
    return Programme.objects.filter(coordinators__user=user)


def active_memberships(business: Business) -> QuerySet[CohortMembership]:
    return CohortMembership.objects.filter(business=business, left_at=None).select_related(
        "cohort__programme"
    )


def pending_proposals(business: Business) -> dict[int, Proposal]:
    """The mentor proposed in each cohort the business is in, by membership, if one waits."""
    proposals = Proposal.objects.filter(
        membership__business=business, membership__left_at=None, state=Proposal.State.PENDING
    ).select_related("mentor__user")
    return {proposal.membership_id: proposal for proposal in proposals}


def pool_entries(user: User) -> QuerySet[PoolMentor]:
    """The pools the user mentors in, for their list of programmes."""
    return PoolMentor.objects.filter(user=user).select_related("programme")


def _plain_rows(queryset: QuerySet[Any]) -> list[dict[str, Any]]:
    """The rows of a ``values()`` query as the database driver returns them.

    Over thousands of rows Django's per-value converters cost more than the query itself; the
    callers convert the few values that need it (SQLite gives dates as text, and numbers for
    decimals), through ``_month`` and ``_decimal``.
    """
    query = queryset.query
    names = [*query.values_select, *query.annotation_select]
    sql, params = query.get_compiler(using=queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _month(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _decimal(value: Any) -> Decimal | None:
    return value if value is None or isinstance(value, Decimal) else Decimal(str(value))


def _summaries(member_ids: Any, last_complete: date) -> dict[int, dict[str, Any]]:
    """Per member, from its summaries in three queries, each the same whatever the sizes.

    Its rows of the last 13 months, grouped: that month's verdicts and revenue, the revenue a
    year before, the recent months it logged (as the bits of one number). Its first and last
    month logged and how many, from ``LoggedMonths``; but for the members who logged a month
    after ``last_complete`` (the current month, or anything after a past quarter), counted
    from their rows up to it, so that nothing logged later counts.
    """
    year_earlier = add_months(last_complete, -12)
    recent = Sum(
        Case(
            *(
                When(month=month, then=Value(1 << index))
                for index, month in enumerate(recent_months(last_complete))
            ),
            default=Value(0),
        )
    )
    rows = (
        BusinessMonth.objects.filter(
            business_id__in=member_ids, month__gte=year_earlier, month__lte=last_complete
        )
        .order_by()
        .values("business_id")
        .annotate(
            revenue_now=Max("revenue", filter=Q(month=last_complete)),
            revenue_then=Max("revenue", filter=Q(month=year_earlier)),
            on_track_now=Max("on_track", filter=Q(month=last_complete)),
            close_now=Max("close", filter=Q(month=last_complete)),
            behind_now=Max("behind", filter=Q(month=last_complete)),
            recent=recent,
        )
    )
    found: dict[int, dict[str, Any]] = {row["business_id"]: row for row in _plain_rows(rows)}
    logged = LoggedMonths.objects.filter(
        business_id__in=member_ids, last__lte=last_complete
    ).values("business_id", "first", "last", "count")
    later = (
        BusinessMonth.objects.filter(
            business_id__in=member_ids,
            business__logged_months__last__gt=last_complete,
            month__lte=last_complete,
        )
        .order_by()
        .values("business_id")
        .annotate(first=Min("month"), last=Max("month"), count=Count("pk"))
    )
    for row in (*_plain_rows(logged), *_plain_rows(later)):
        found.setdefault(row["business_id"], {}).update(row)
    return found


def _mentors(member_ids: Any) -> dict[int, list[int]]:
    """Each member's active mentors, in one query."""
    mentors: dict[int, list[int]] = defaultdict(list)
    for business_id, mentor_id in (
        Mentorship.objects.filter(business_id__in=member_ids, revoked_at=None)
        .order_by()
        .values_list("business_id", "mentor_id")
    ):
        mentors[business_id].append(mentor_id)
    return mentors


def _moment(month: date) -> datetime:
    """The start of a month in the active time zone."""
    return timezone.make_aware(datetime.combine(month, datetime.min.time()))


def _mentor_comments(member_ids: Any, last_complete: date) -> dict[tuple[int, int], MentorComments]:
    """How many comments each active mentor wrote on each member in each recent month, and
    whether any in the last ``QUIET_DAYS``; one grouped query, with no dates to convert."""
    months = recent_months(last_complete)
    bounds = [_moment(month) for month in [*months, add_months(last_complete, 1)]]
    quiet = timezone.make_aware(quiet_since(last_complete))
    mentor = Mentorship.objects.filter(
        business=OuterRef("business"), mentor=OuterRef("author"), revoked_at=None
    )
    per_month = {
        f"m{index}": Count(
            "pk", filter=Q(created__gte=bounds[index], created__lt=bounds[index + 1])
        )
        for index in range(len(months))
    }
    rows = (
        Comment.objects.filter(business_id__in=member_ids, created__gte=bounds[0])
        .filter(created__lt=bounds[-1])
        .filter(Exists(mentor))
        .order_by()
        .values("business_id", "author_id")
        .annotate(recent=Count("pk", filter=Q(created__gte=quiet)), **per_month)
    )
    found: dict[tuple[int, int], MentorComments] = {}
    for row in _plain_rows(rows):
        found[row["business_id"], row["author_id"]] = MentorComments(
            by_month=tuple(
                (month, row[f"m{index}"]) for index, month in enumerate(months) if row[f"m{index}"]
            ),
            recent=row["recent"] > 0,
        )
    return found


@dataclass(frozen=True, slots=True)
class MentorComments:
    by_month: tuple[tuple[date, int], ...]
    recent: bool  # one at least in the last ``QUIET_DAYS``


NO_COMMENTS = MentorComments((), False)


@dataclass(frozen=True, slots=True)
class CohortReport:
    cohort: Cohort
    indicators: CohortIndicators


@dataclass(frozen=True, slots=True)
class CountryReport:
    """The cohorts of one country together, each business counted once."""

    country: str
    cohorts: list[Cohort]
    indicators: CohortIndicators


@dataclass(frozen=True, slots=True)
class ProgrammeReport:
    cohorts: list[CohortReport]
    countries: list[CountryReport]


@lru_cache(maxsize=256)
def _recent(mask: int, months: tuple[date, ...]) -> frozenset[date]:
    """The months whose bits are set; most members share a handful of masks."""
    return frozenset(month for index, month in enumerate(months) if mask >> index & 1)


NAMED = Consent.NAMED.value


def _member(
    membership: Mapping[str, Any],
    summary: Mapping[str, Any],
    mentors: list[int],
    comments: dict[tuple[int, int], MentorComments],
    months: tuple[date, ...],
) -> Member:
    """One member's record; called for thousands, so it does no more than it must."""
    business_id = membership["business_id"]
    recent: tuple[tuple[int, bool], ...] = ()
    mentor_comments: tuple[tuple[date, int], ...] = ()
    if mentors:
        per_month: dict[date, int] = defaultdict(int)
        spoke = []
        for mentor in mentors:
            written = comments.get((business_id, mentor), NO_COMMENTS)
            for month, count in written.by_month:
                per_month[month] += count
            spoke.append((mentor, written.recent))
        recent, mentor_comments = tuple(spoke), tuple(sorted(per_month.items()))
    get = summary.get
    return Member(
        business_id,
        membership["business__name"],
        membership["consent"] == NAMED,
        _month(get("first")),
        _month(get("last")),
        get("count", 0),
        bool(mentors),
        get("on_track_now") or 0,
        get("close_now") or 0,
        get("behind_now") or 0,
        _decimal(get("revenue_now")),
        _decimal(get("revenue_then")),
        _recent(int(get("recent") or 0), months),
        recent,
        mentor_comments,
    )


def programme_overview(programme: Programme, last_complete: date) -> ProgrammeReport:
    """Every cohort's indicators, and each country's, as of ``last_complete``, in seven queries
    for any number of businesses, cohorts and months.

    Cohorts; active memberships with their businesses' names; the members' summaries (three,
    see ``_summaries``); their active mentors; and those mentors' comments on them, grouped by
    month.
    """
    cohorts = list(Cohort.objects.filter(programme=programme))
    active = CohortMembership.objects.filter(cohort__programme=programme, left_at=None)
    memberships = list(
        active.order_by("cohort_id", "business_id").values(
            "cohort_id", "business_id", "business__name", "consent"
        )
    )
    member_ids = active.values("business_id")
    summaries = _summaries(member_ids, last_complete)
    mentors = _mentors(member_ids)
    comments = _mentor_comments(member_ids, last_complete)
    months = tuple(recent_months(last_complete))
    members: dict[int, list[Member]] = defaultdict(list)
    for membership in memberships:
        business_id = membership["business_id"]
        members[membership["cohort_id"]].append(
            _member(
                membership, summaries.get(business_id, {}), mentors[business_id], comments, months
            )
        )
    by_country: dict[str, list[Cohort]] = defaultdict(list)
    for cohort in cohorts:
        by_country[cohort.country].append(cohort)
    countries = [
        CountryReport(
            country,
            grouped,
            cohort_indicators(
                distinct_members(m for cohort in grouped for m in members[cohort.pk]),
                last_complete,
            ),
        )
        for country, grouped in sorted(by_country.items())
    ]
    return ProgrammeReport(
        cohorts=[
            CohortReport(cohort, cohort_indicators(members[cohort.pk], last_complete))
            for cohort in cohorts
        ],
        countries=countries,
    )


def programme_report(programme: Programme, last_complete: date) -> list[CohortReport]:
    """Each cohort's indicators as of ``last_complete`` (see ``programme_overview``)."""
    return programme_overview(programme, last_complete).cohorts


def cohort_member_count(cohort: Cohort) -> int:
    return CohortMembership.objects.filter(cohort=cohort, left_at=None).count()
