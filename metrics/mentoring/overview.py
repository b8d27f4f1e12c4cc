"""A mentor's overview of their mentees: who logged, who is behind, unread comments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import OuterRef, Prefetch, Q, Subquery

from accounts.models import User
from metrics.businesses.selectors import business_engine, target_rule
from metrics.dashboard.build import build_dashboard, figures_window
from metrics.dashboard.cards import TargetInput
from metrics.engine import MonthlyFigures, PeriodKind, Verdict, add_months, period_of
from metrics.models.business import Business
from metrics.models.comments import unread_comments_count
from metrics.models.entries import Entry
from metrics.models.goals import Target
from metrics.models.mentoring import Mentorship


@dataclass(frozen=True, slots=True)
class MenteeRow:
    """One mentee on the mentor's home page."""

    business: Business
    last_month: date | None
    on_track: int
    close: int
    behind: int
    unread: int
    quiet: bool  # no figures for the last two months that should be logged


SORTS = ("name", "last_month", "behind", "unread")


def _sort_key(sort: str) -> Callable[[MenteeRow], tuple[Any, ...]]:
    if sort == "last_month":
        # Those who have not logged for longest first: they may need a call.
        return lambda row: (row.last_month or date.min, row.business.name.lower())
    if sort == "behind":
        return lambda row: (-row.behind, -row.close, row.business.name.lower())
    if sort == "unread":
        return lambda row: (-row.unread, row.business.name.lower())
    return lambda row: (row.business.name.lower(), row.business.pk)


def _window_entries(windows: dict[int, tuple[date, date]]) -> dict[int, MonthlyFigures]:
    """Every business's figures within its own window, in one query."""
    rows: dict[int, dict[date, dict[str, Any]]] = {pk: {} for pk in windows}
    if not windows:
        return {}
    condition = Q()
    for pk, (first, last) in windows.items():
        condition |= Q(business_id=pk, month__gte=first, month__lte=last)
    entries = Entry.objects.filter(condition).order_by()
    for business_id, month, figure, value in entries.values_list(
        "business_id", "month", "figure", "value"
    ):
        rows[business_id].setdefault(month, {})[figure] = value
    return {pk: MonthlyFigures(months) for pk, months in rows.items()}


def mentee_rows(user: User, *, last_complete: date, sort: str = "name") -> list[MenteeRow]:
    """Every business ``user`` mentors now, with its latest month's verdicts.

    A fixed number of queries for any number of mentees: the mentorships with their
    businesses, last month logged and unread count; the businesses' own figures, own KPIs,
    tracked KPIs and targets; and every business's window of entries.
    """
    last_logged = Entry.objects.filter(business=OuterRef("business")).order_by("-month")
    mentorships = list(
        Mentorship.objects.filter(mentor=user, revoked_at__isnull=True)
        .select_related("business__owner")
        .annotate(
            last_month=Subquery(last_logged.values("month")[:1]),
            unread=unread_comments_count(user, OuterRef("business")),
        )
        .prefetch_related(
            "business__custom_figures",
            "business__custom_kpis",
            "business__tracked_kpis",
            Prefetch("business__targets", queryset=Target.objects.select_related("goal")),
        )
    )
    windows = {}
    for mentorship in mentorships:
        if mentorship.last_month is not None:
            period = period_of(mentorship.last_month, PeriodKind.MONTH)
            windows[mentorship.business_id] = (
                figures_window(period, None, charts=False),
                mentorship.last_month,
            )
    figures = _window_entries(windows)
    quiet_before = add_months(last_complete, -1)
    rows = []
    for mentorship in mentorships:
        business = mentorship.business
        counts = {verdict: 0 for verdict in Verdict}
        if mentorship.last_month is not None:
            counts.update(_verdict_counts(business, figures[business.pk], mentorship.last_month))
        rows.append(
            MenteeRow(
                business=business,
                last_month=mentorship.last_month,
                on_track=counts[Verdict.ON_TRACK],
                close=counts[Verdict.CLOSE],
                behind=counts[Verdict.BEHIND],
                unread=mentorship.unread,
                quiet=mentorship.last_month is None or mentorship.last_month < quiet_before,
            )
        )
    rows.sort(key=_sort_key(sort if sort in SORTS else "name"))
    return rows


def _verdict_counts(business: Business, figures: MonthlyFigures, month: date) -> dict:
    """How many tracked KPIs are on track, close, behind (or without data) in ``month``."""
    engine = business_engine(business)
    codes = [tracked.kpi for tracked in business.tracked_kpis.all()]
    targets = [
        TargetInput(target_rule(target), target.goal.title if target.goal else "")
        for target in business.targets.all()
    ]
    board = build_dashboard(
        engine=engine,
        figures=figures,
        codes=codes,
        targets=targets,
        period=period_of(month, PeriodKind.MONTH, business.fy_start),
        currency=business.currency,
        charts=False,
    )
    counts: dict[Verdict, int] = {}
    for card in board.cards:
        if card.verdict is not None:
            counts[card.verdict] = counts.get(card.verdict, 0) + 1
    return counts
