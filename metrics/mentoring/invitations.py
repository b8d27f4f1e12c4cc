"""Invitations and consent: a mentor sees a business only while its owner allows it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from metrics.models.business import Business
from metrics.models.invitations import token_hash
from metrics.models.mentoring import Invitation, Mentorship, MentorshipEvent
from metrics.notify import invitee_language, send_email, site_url


def invitation_path(token: str) -> str:
    return reverse("metrics:invitation_accept", args=[token])


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
    invitation = Invitation(business=business, invited_by=invited_by, email=email)
    token = invitation.issue_token()
    with transaction.atomic():
        if email:
            pending_invitations(business).filter(email=email).update(cancelled_at=timezone.now())
        invitation.save()
    return invitation, token


def invitation_language(invitation: Invitation) -> str:
    """The invitee's language when they have an account, else the inviter's."""
    return invitee_language(invitation.email, invitation.invited_by)


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
