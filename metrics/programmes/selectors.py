"""Reads of the programme layer, each in a fixed number of queries whatever the cohort sizes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, QuerySet
from django.http import Http404

from accounts.models import User
from metrics.businesses.selectors import business_engine, target_rule
from metrics.dashboard.build import build_dashboard, figures_window
from metrics.dashboard.cards import TargetInput
from metrics.engine import MonthlyFigures, PeriodKind, Verdict, add_months, period_of
from metrics.models.business import Business
from metrics.models.entries import Entry
from metrics.models.goals import Target
from metrics.models.matching import PoolMentor, Proposal
from metrics.models.mentoring import Mentorship
from metrics.models.programmes import Cohort, CohortMembership, Consent, Programme
from metrics.programmes.indicators import CohortIndicators, Member, cohort_indicators


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


def _verdicts(business: Business, figures: MonthlyFigures, month: date) -> dict[Verdict, int]:
    """How many of the business's tracked KPIs are on track, close or behind in ``month``."""
    board = build_dashboard(
        engine=business_engine(business),
        figures=figures,
        codes=[tracked.kpi for tracked in business.tracked_kpis.all()],
        targets=[
            TargetInput(target_rule(target), target.goal.title if target.goal else "")
            for target in business.targets.all()
        ],
        period=period_of(month, PeriodKind.MONTH, business.fy_start),
        currency=business.currency,
        charts=False,
    )
    counts = dict.fromkeys(Verdict, 0)
    for card in board.cards:
        if card.verdict is not None:
            counts[card.verdict] += 1
    return counts


def _logging_stats(member_ids: Any, last: date) -> dict[int, dict[str, Any]]:
    """First and last month logged and months logged up to ``last``, in one grouped query.

    Bounded, so that a past quarter's report counts nothing logged after it.
    """
    rows = (
        Entry.objects.filter(business_id__in=member_ids, month__lte=last)
        .order_by()
        .values("business_id")
        .annotate(first=Min("month"), last=Max("month"), months=Count("month", distinct=True))
    )
    return {row["business_id"]: dict(row) for row in rows}


def _figures(member_ids: Any, first: date, last: date) -> dict[int, MonthlyFigures]:
    """Every member's figures from ``first`` to ``last``, in one query."""
    months: dict[int, dict[date, dict[str, Any]]] = defaultdict(dict)
    entries = Entry.objects.filter(
        business_id__in=member_ids, month__gte=first, month__lte=last
    ).order_by()
    for business_id, month, figure, value in entries.values_list(
        "business_id", "month", "figure", "value"
    ):
        months[business_id].setdefault(month, {})[figure] = value
    empty = MonthlyFigures({})
    return defaultdict(lambda: empty, {pk: MonthlyFigures(rows) for pk, rows in months.items()})


@dataclass(frozen=True, slots=True)
class CohortReport:
    cohort: Cohort
    indicators: CohortIndicators


def programme_report(programme: Programme, last_complete: date) -> list[CohortReport]:
    """Each cohort's indicators as of ``last_complete``: eight queries for any data size.

    Cohorts; active memberships with their businesses and whether each has a mentor; the
    businesses' own figures, own KPIs, tracked KPIs and targets; the months each logged; and
    the members' figures over the window the month's verdicts and the year's change need.
    """
    cohorts = list(Cohort.objects.filter(programme=programme))
    has_mentor = Mentorship.objects.filter(business=OuterRef("business"), revoked_at=None)
    memberships = list(
        CohortMembership.objects.filter(cohort__programme=programme, left_at=None)
        .select_related("business")
        .annotate(has_mentor=Exists(has_mentor))
        .prefetch_related(
            "business__custom_figures",
            "business__custom_kpis",
            "business__tracked_kpis",
            Prefetch("business__targets", queryset=Target.objects.select_related("goal")),
        )
    )
    member_ids = CohortMembership.objects.filter(cohort__programme=programme, left_at=None).values(
        "business_id"
    )
    stats = _logging_stats(member_ids, last_complete)
    period = period_of(last_complete, PeriodKind.MONTH)
    first = min(figures_window(period, None, charts=False), add_months(last_complete, -12))
    figures = _figures(member_ids, first, last_complete)
    members: dict[int, list[Member]] = defaultdict(list)
    for membership in memberships:
        business = membership.business
        own = figures[business.pk]
        logged = stats.get(business.pk, {})
        verdicts = _verdicts(business, own, last_complete)
        members[membership.cohort_id].append(
            Member(
                business_id=business.pk,
                name=business.name,
                named=membership.consent == Consent.NAMED,
                first_month=logged.get("first"),
                last_month=logged.get("last"),
                months_logged=logged.get("months", 0),
                has_mentor=membership.has_mentor,
                on_track=verdicts[Verdict.ON_TRACK],
                close=verdicts[Verdict.CLOSE],
                behind=verdicts[Verdict.BEHIND],
                revenue=_revenue(own, last_complete),
                revenue_year_earlier=_revenue(own, add_months(last_complete, -12)),
            )
        )
    return [
        CohortReport(cohort, cohort_indicators(members[cohort.pk], last_complete))
        for cohort in cohorts
    ]


def _revenue(figures: MonthlyFigures, month: date) -> Decimal | None:
    return figures.get(month, {}).get("revenue")


def cohort_member_count(cohort: Cohort) -> int:
    return CohortMembership.objects.filter(cohort=cohort, left_at=None).count()
