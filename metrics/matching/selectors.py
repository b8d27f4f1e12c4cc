"""Reads of mentor matching, each in a fixed number of queries whatever the pool's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import User
from metrics.matching.ranking import Candidate, Mentee, Suggestion, rank_mentors
from metrics.models.matching import PoolMentor, Proposal
from metrics.models.mentoring import Mentorship
from metrics.models.programmes import CohortMembership, Consent, Programme


def _count(queryset: QuerySet, group: str) -> Coalesce:
    """A correlated count, as a subquery: no join that would multiply the rows."""
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class Load(TypedDict):
    mentees: int  # active mentorships, in any business
    waiting: int  # proposals of this pool entry still waiting for an answer


# A pool entry with its counts; for mypy only, as the alias cannot be built at run time.
if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    LoadedMentor = WithAnnotations[PoolMentor, Load]


def pool_with_load(programme: Programme) -> QuerySet[LoadedMentor]:
    """The pool, each mentor with ``mentees`` (active, anywhere) and ``waiting`` proposals."""
    mentees = Mentorship.objects.filter(mentor=OuterRef("user"), revoked_at=None)
    waiting = Proposal.objects.filter(mentor=OuterRef("pk"), state=Proposal.State.PENDING)
    return (
        PoolMentor.objects.filter(programme=programme)
        .select_related("user")
        .annotate(mentees=_count(mentees, "mentor"), waiting=_count(waiting, "mentor"))
        .order_by("user__name", "user__email", "pk")
    )


def pool_entry_for_user(user: User, programme_id: int) -> PoolMentor:
    """The user's own entry in a programme's pool; 404 for anyone not in it."""
    entry = (
        PoolMentor.objects.filter(programme_id=programme_id, user=user)
        .select_related("programme")
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def candidate(entry: LoadedMentor) -> Candidate:
    """A pool entry (from ``pool_with_load``) as the ranking sees it."""
    return Candidate(
        id=entry.pk,
        languages=frozenset(entry.languages),
        sectors=frozenset(entry.sectors),
        country=entry.country,
        capacity=entry.capacity,
        taken=entry.mentees + entry.waiting,
        active=entry.active,
    )


@dataclass
class MatchRow:
    """A named member without a mentor, what was proposed to them, and who would fit."""

    membership: CohortMembership
    waiting: Proposal | None = None
    declined: list[PoolMentor] = field(default_factory=list)
    suggestions: list[tuple[PoolMentor, Suggestion]] = field(default_factory=list)


def matching_rows(programme: Programme) -> list[MatchRow]:
    """Named members with no mentor, each with suggestions: three queries for any size.

    Members who chose totals only are never read here, not even to be counted by name.
    """
    has_mentor = Mentorship.objects.filter(business=OuterRef("business"), revoked_at=None)
    memberships = list(
        CohortMembership.objects.filter(
            cohort__programme=programme, left_at=None, consent=Consent.NAMED
        )
        .exclude(Exists(has_mentor))
        .select_related("business__owner", "cohort")
        .order_by("cohort__name", "business__name", "pk")
    )
    pool = list(pool_with_load(programme))
    by_id = {entry.pk: entry for entry in pool}
    rows = {membership.pk: MatchRow(membership) for membership in memberships}
    declined: dict[int, set[int]] = defaultdict(set)
    proposals = Proposal.objects.filter(
        membership__in=[m.pk for m in memberships],
        state__in=[Proposal.State.PENDING, Proposal.State.DECLINED],
    ).order_by("created", "pk")
    for proposal in proposals:
        row = rows[proposal.membership_id]
        entry = by_id.get(proposal.mentor_id)
        if proposal.state == Proposal.State.PENDING:
            proposal.mentor = entry  # type: ignore[assignment]  # the same row, already read
            row.waiting = proposal
        elif entry is not None and entry.pk not in declined[row.membership.pk]:
            declined[row.membership.pk].add(entry.pk)
            row.declined.append(entry)
    for row in rows.values():
        if row.waiting is not None:
            continue
        business = row.membership.business
        mentee = Mentee(business.owner.language, business.sector, business.country)
        open_to = [
            candidate(entry)
            for entry in pool
            if entry.pk not in declined[row.membership.pk] and entry.user_id != business.owner_id
        ]
        row.suggestions = [(by_id[s.mentor_id], s) for s in rank_mentors(mentee, open_to)]
    return list(rows.values())


def membership_for_coordinator(
    user: User, programme_id: int, membership_id: int
) -> CohortMembership:
    """A named, present member of a programme the user coordinates; 404 otherwise."""
    membership = (
        CohortMembership.objects.filter(
            pk=membership_id,
            cohort__programme_id=programme_id,
            cohort__programme__coordinators__user=user,
            left_at=None,
            consent=Consent.NAMED,
        )
        .select_related("business__owner", "cohort__programme")
        .first()
    )
    if membership is None:
        raise Http404
    return membership
