"""Writes of mentor matching: the pool and its invitations, proposals and their answers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from metrics.mentoring.invitations import InvitationError, invitation_accept, invitation_create
from metrics.models.business import Business
from metrics.models.matching import PoolInvitation, PoolMentor, Proposal
from metrics.models.mentoring import Mentorship
from metrics.models.programmes import CohortMembership, Consent, Programme
from metrics.notify import invitee_language, send_email, site_url


def pool_invite(
    *, programme: Programme, email: str, invited_by: User | None
) -> tuple[PoolInvitation, str]:
    """A new invitation to the pool and its token; an earlier pending one to the address goes."""
    email = email.strip().lower()
    if PoolMentor.objects.filter(programme=programme, user__email__iexact=email).exists():
        raise ValidationError(
            _("%(email)s is already in this programme's mentor pool.") % {"email": email},
            code="already_in_pool",
        )
    invitation = PoolInvitation(programme=programme, email=email, invited_by=invited_by)
    token = invitation.issue_token()
    invitation.save_replacing(programme=programme)
    return invitation, token


def pool_invitation_send(*, invitation: PoolInvitation, token: str) -> bool:
    """Email the link in the invitee's language when they have an account, else the inviter's."""
    return send_email(
        to=invitation.email,
        language=invitee_language(invitation.email, invitation.invited_by),
        template="pool_invitation",
        context={
            "programme": invitation.programme,
            "link": site_url(reverse("metrics:pool_accept", args=[token])),
            "expires": invitation.expires,
        },
    )


def pool_invitation_for_token(token: str) -> PoolInvitation | None:
    return PoolInvitation.pending_for_token(token).select_related("programme").first()


def pool_join(
    *,
    invitation: PoolInvitation,
    user: User,
    languages: list[str],
    sectors: list[str],
    country: str,
    capacity: int,
) -> PoolMentor:
    """Put ``user`` in the pool with what they offer; the invitation is used up."""
    with transaction.atomic():
        if not invitation.use_up():
            raise ValidationError(_("This invitation has already been used."), code="used")
        entry, _created = PoolMentor.objects.update_or_create(
            programme=invitation.programme,
            user=user,
            defaults={
                "languages": languages,
                "sectors": sectors,
                "country": country,
                "capacity": capacity,
                "active": True,
            },
        )
    return entry


def pool_entry_update(
    *,
    entry: PoolMentor,
    languages: list[str],
    sectors: list[str],
    country: str,
    capacity: int,
    active: bool,
) -> PoolMentor:
    entry.languages = languages
    entry.sectors = sectors
    entry.country = country
    entry.capacity = capacity
    entry.active = active
    entry.full_clean()
    entry.save()
    return entry


def pool_leave(*, entry: PoolMentor) -> None:
    """Leave the pool: proposals still waiting go with the entry; mentees keep their mentor."""
    entry.delete()


def proposal_create(
    *, membership: CohortMembership, mentor: PoolMentor, proposed_by: User
) -> Proposal:
    """Propose ``mentor`` to a member who chose to be named; one waiting proposal at a time."""
    if membership.left_at is not None or membership.consent != Consent.NAMED:
        raise ValidationError(_("This member cannot be proposed a mentor."), code="not_named")
    if mentor.programme_id != membership.cohort.programme_id:
        raise ValidationError(_("Choose a mentor from this programme's pool."), code="pool")
    business = membership.business
    if (
        mentor.user_id == business.owner_id
        or Mentorship.objects.filter(business=business, revoked_at=None).exists()
    ):
        raise ValidationError(_("This business already has a mentor."), code="has_mentor")
    try:
        with transaction.atomic():
            return Proposal.objects.create(
                membership=membership, mentor=mentor, proposed_by=proposed_by
            )
    except IntegrityError:
        raise ValidationError(
            _("A proposal to this member is already waiting for an answer."), code="waiting"
        ) from None


def proposal_send(*, proposal: Proposal) -> bool:
    """Tell the entrepreneur, in their language, where to read the proposal and answer it."""
    business = proposal.membership.business
    return send_email(
        to=business.owner.email,
        language=business.owner.language,
        template="mentor_proposal",
        context={
            "programme": proposal.membership.cohort.programme,
            "business": business,
            "link": site_url(reverse("metrics:business_programmes", args=[business.pk])),
        },
    )


def _answer(proposal: Proposal, state: str) -> bool:
    """Record the answer, once: False when the proposal was no longer waiting."""
    return bool(
        Proposal.objects.filter(pk=proposal.pk, state=Proposal.State.PENDING).update(
            state=state, answered_at=timezone.now()
        )
    )


def proposal_accept(*, proposal: Proposal, by: User) -> Mentorship:
    """The owner accepts: an invitation from them, accepted for the mentor, as if by link.

    The access is then the same as any mentor's: recorded in the business's record of access,
    and revoked on the Mentors page like any other.
    """
    business = proposal.membership.business
    mentor = proposal.mentor.user
    with transaction.atomic():
        if not _answer(proposal, Proposal.State.ACCEPTED):
            raise ValidationError(_("This proposal is no longer waiting."), code="answered")
        try:
            _invitation, token = invitation_create(
                business=business, invited_by=by, email=mentor.email
            )
            mentorship = invitation_accept(token=token, user=mentor)
        except (ValidationError, InvitationError):
            raise ValidationError(
                _("This mentor already mentors your business."), code="already_mentor"
            ) from None
        proposals_withdraw(business=business)  # those made in its other cohorts
    return mentorship


def proposal_decline(*, proposal: Proposal) -> bool:
    """The owner declines; no reason is asked, and the coordinator sees only that."""
    return _answer(proposal, Proposal.State.DECLINED)


def proposals_withdraw(*, business: Business) -> int:
    """Withdraw the proposals still waiting for ``business``, for instance when it gets a mentor."""
    return Proposal.objects.filter(
        membership__business=business, state=Proposal.State.PENDING
    ).update(state=Proposal.State.WITHDRAWN, answered_at=timezone.now())
