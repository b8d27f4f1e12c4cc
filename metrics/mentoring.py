"""Mentors: invitations with consent, the record of access, and the mentor's overview.

Services (writes) are named ``<entity>_<action>``; the rest are selectors (reads).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from metrics.comments import unread_comments_count
from metrics.dashboard import TargetInput, build_dashboard, figures_window
from metrics.engine import MonthlyFigures, PeriodKind, Verdict, add_months, period_of
from metrics.models import (
    Business,
    Entry,
    Invitation,
    Mentorship,
    MentorshipEvent,
    Target,
)
from metrics.notify import send_email, site_url
from metrics.selectors import business_engine, target_rule

INVITATION_DAYS = 14
TOKEN_BYTES = 32


# -- tokens ------------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    """What is stored for a token: its SHA-256, so a copy of the database opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_path(token: str) -> str:
    return reverse("metrics:invitation_accept", args=[token])


# -- invitations -------------------------------------------------------------------------------


class InvitationError(Exception):
    """Why an invitation link cannot be used, as a code and a sentence for people."""

    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    CANCELLED = "cancelled"
    OWN_BUSINESS = "own_business"
    ALREADY_MENTOR = "already_mentor"

    def __init__(self, code: str, invitation: Invitation | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.invitation = invitation

    @property
    def message(self) -> str:
        messages = {
            self.UNKNOWN: _(
                "This invitation link does not work. Check that you copied all of it, or ask "
                "for a new invitation."
            ),
            self.EXPIRED: _(
                "This invitation has expired: invitations work for 14 days. Ask the "
                "entrepreneur for a new one."
            ),
            self.USED: _(
                "This invitation has already been used: each invitation works once. Ask the "
                "entrepreneur for a new one if you need it."
            ),
            self.CANCELLED: _(
                "This invitation was cancelled by the entrepreneur who sent it. Ask them for a "
                "new one if you need it."
            ),
            self.OWN_BUSINESS: _(
                "This invitation is for your own business. Send the link to your mentor: they "
                "accept it from their own account."
            ),
            self.ALREADY_MENTOR: _("You already mentor this business."),
        }
        return messages[self.code]


def invitation_state(invitation: Invitation, now: Any = None) -> str:
    """pending, accepted, cancelled or expired."""
    now = now or timezone.now()
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.cancelled_at is not None:
        return "cancelled"
    if invitation.expires <= now:
        return "expired"
    return "pending"


def _active_mentor_emails(business: Business) -> set[str]:
    return {
        email.lower()
        for email in Mentorship.objects.filter(
            business=business, revoked_at__isnull=True
        ).values_list("mentor__email", flat=True)
    }


def invitation_create(
    *, business: Business, invited_by: User, email: str = ""
) -> tuple[Invitation, str]:
    """A new invitation and its token (the only time the token exists in clear).

    With an email address, an earlier pending invitation to the same address is cancelled:
    inviting again sends a fresh link.
    """
    email = email.strip().lower()
    if email:
        if email == business.owner.email.lower():
            raise ValidationError(
                _("This is your own email address. Invite your mentor's address instead."),
                code="own_email",
            )
        if email in _active_mentor_emails(business):
            raise ValidationError(
                _("%(email)s already mentors this business.") % {"email": email},
                code="already_mentor",
            )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = timezone.now()
    with transaction.atomic():
        if email:
            pending_invitations(business).filter(email=email).update(cancelled_at=now)
        invitation = Invitation.objects.create(
            business=business,
            invited_by=invited_by,
            email=email,
            token_hash=token_hash(token),
            expires=now + timedelta(days=INVITATION_DAYS),
        )
    return invitation, token


def invitation_language(invitation: Invitation) -> str:
    """The invitee's language when they have an account, else the inviter's."""
    invitee = User.objects.filter(email__iexact=invitation.email).only("language").first()
    return invitee.language if invitee else invitation.invited_by.language


def invitation_send(*, invitation: Invitation, token: str) -> bool:
    """Email the invitation link; False when the email could not be sent."""
    return send_email(
        to=invitation.email,
        language=invitation_language(invitation),
        template="mentor_invitation",
        context={
            "business": invitation.business,
            "inviter": invitation.invited_by,
            "link": site_url(invitation_path(token)),
            "expires": invitation.expires,
        },
    )


def invitation_for_token(token: str) -> Invitation:
    """The invitation a link names, if it can still be accepted; else an InvitationError."""
    invitation = (
        Invitation.objects.filter(token_hash=token_hash(token))
        .select_related("business__owner", "invited_by")
        .first()
    )
    if invitation is None:
        raise InvitationError(InvitationError.UNKNOWN)
    state = invitation_state(invitation)
    if state == "accepted":
        raise InvitationError(InvitationError.USED, invitation)
    if state == "cancelled":
        raise InvitationError(InvitationError.CANCELLED, invitation)
    if state == "expired":
        raise InvitationError(InvitationError.EXPIRED, invitation)
    return invitation


def invitation_check_user(invitation: Invitation, user: User) -> None:
    """Refuse the owner, and a mentor who already has access."""
    if invitation.business.owner_id == user.pk:
        raise InvitationError(InvitationError.OWN_BUSINESS, invitation)
    if Mentorship.objects.filter(
        business=invitation.business, mentor=user, revoked_at__isnull=True
    ).exists():
        raise InvitationError(InvitationError.ALREADY_MENTOR, invitation)


def invitation_accept(*, token: str, user: User) -> Mentorship:
    """Turn a valid invitation into access for ``user``, once, and record the grant."""
    with transaction.atomic():
        found = invitation_for_token(token)
        # Locked and read again, so that two people following one link cannot both get in.
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("business__owner", "invited_by")
            .get(pk=found.pk)
        )
        if invitation.accepted_at is not None:
            raise InvitationError(InvitationError.USED, invitation)
        if invitation.cancelled_at is not None:
            raise InvitationError(InvitationError.CANCELLED, invitation)
        invitation_check_user(invitation, user)
        now = timezone.now()
        invitation.accepted_at = now
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        mentorship = Mentorship.objects.create(business=invitation.business, mentor=user)
        MentorshipEvent.objects.create(
            business=invitation.business,
            mentorship=mentorship,
            kind=MentorshipEvent.Kind.GRANTED,
            mentor=user,
            mentor_name=_person(user),
            actor=invitation.invited_by,
            actor_name=_person(invitation.invited_by),
        )
    return mentorship


def invitation_cancel(*, invitation: Invitation) -> bool:
    """Cancel a pending invitation; False when it was no longer pending."""
    if invitation_state(invitation) != "pending":
        return False
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    return True


def mentorship_revoke(*, mentorship: Mentorship, by: User) -> bool:
    """End a mentor's access now and record who did it; False when it had already ended."""
    with transaction.atomic():
        updated = Mentorship.objects.filter(pk=mentorship.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if not updated:
            return False
        MentorshipEvent.objects.create(
            business=mentorship.business,
            mentorship=mentorship,
            kind=MentorshipEvent.Kind.REVOKED,
            mentor=mentorship.mentor,
            mentor_name=_person(mentorship.mentor),
            actor=by,
            actor_name=_person(by),
        )
    return True


def _person(user: User) -> str:
    return f"{user.name} <{user.email}>" if user.name else user.email


# -- selectors for the owner's page ------------------------------------------------------------


def pending_invitations(business: Business) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        business=business,
        accepted_at__isnull=True,
        cancelled_at__isnull=True,
        expires__gt=timezone.now(),
    )


def active_mentorships(business: Business) -> QuerySet[Mentorship]:
    return Mentorship.objects.filter(business=business, revoked_at__isnull=True).select_related(
        "mentor"
    )


def mentorship_events(business: Business) -> QuerySet[MentorshipEvent]:
    return MentorshipEvent.objects.filter(business=business)


# -- the mentor's home -------------------------------------------------------------------------


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


def _sort_key(sort: str):
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
