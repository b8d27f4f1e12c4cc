"""Writes of the programme layer: coordinators, cohorts and their links, joining and leaving."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from metrics.models.business import Business, businesses_touch
from metrics.models.invitations import new_token, token_hash
from metrics.models.matching import Proposal
from metrics.models.programmes import (
    Cohort,
    CohortMembership,
    Consent,
    Coordinator,
    CoordinatorInvitation,
    Programme,
)
from metrics.notify import invitee_language, send_email, site_url


def coordinator_invite(
    *, programme: Programme, email: str, invited_by: User | None
) -> tuple[CoordinatorInvitation, str]:
    """A new invitation and its token, in clear only here; an earlier pending one is cancelled."""
    email = email.strip().lower()
    if Coordinator.objects.filter(programme=programme, user__email__iexact=email).exists():
        raise ValidationError(
            _("%(email)s already coordinates this programme.") % {"email": email},
            code="already_coordinator",
        )
    invitation = CoordinatorInvitation(programme=programme, email=email, invited_by=invited_by)
    token = invitation.issue_token()
    invitation.save_replacing(programme=programme)
    return invitation, token


def coordinator_invitation_send(*, invitation: CoordinatorInvitation, token: str) -> bool:
    """Email the link in the invitee's language when they have an account, else the inviter's."""
    return send_email(
        to=invitation.email,
        language=invitee_language(invitation.email, invitation.invited_by),
        template="coordinator_invitation",
        context={
            "programme": invitation.programme,
            "link": site_url(reverse("metrics:coordinator_accept", args=[token])),
            "expires": invitation.expires,
        },
    )


def coordinator_invitation_for_token(token: str) -> CoordinatorInvitation | None:
    """The pending, unexpired invitation a link names, or None."""
    return CoordinatorInvitation.pending_for_token(token).select_related("programme").first()


def coordinator_accept(*, invitation: CoordinatorInvitation, user: User) -> Coordinator:
    """Make ``user`` a coordinator, once: the invitation is used up whoever follows it."""
    with transaction.atomic():
        if not invitation.use_up():
            raise ValidationError(_("This invitation has already been used."), code="used")
        coordinator, _created = Coordinator.objects.get_or_create(
            programme=invitation.programme, user=user
        )
    return coordinator


def cohort_create(*, programme: Programme, name: str, country: str) -> tuple[Cohort, str]:
    """A new cohort and the token of its joining link (shown once, then only its hash)."""
    cohort = Cohort(programme=programme, name=name, country=country)
    token = cohort_new_link(cohort=cohort)
    return cohort, token


def cohort_new_link(*, cohort: Cohort) -> str:
    """Replace the cohort's joining link: the old one stops working at once."""
    token = new_token()
    cohort.link_hash = token_hash(token)
    cohort.save()
    return token


def cohort_for_token(token: str) -> Cohort | None:
    return Cohort.objects.filter(link_hash=token_hash(token)).select_related("programme").first()


def membership_join(*, cohort: Cohort, business: Business, consent: str) -> CohortMembership:
    """Join (or, already a member, change the level): one active membership per cohort."""
    consent = Consent(consent)
    active = CohortMembership.objects.filter(cohort=cohort, business=business, left_at=None)
    if active.update(consent=consent):
        return active.get()
    try:
        with transaction.atomic():
            membership = CohortMembership.objects.create(
                cohort=cohort, business=business, consent=consent
            )
            # The dashboard's cards now offer a comparison with similar businesses.
            businesses_touch([business.pk])
            return membership
    except IntegrityError:  # two joins at once: the other one made it
        return active.get()


def membership_change(*, membership: CohortMembership, consent: str) -> None:
    """Change the level; back to totals only, a mentor proposed by name is withdrawn."""
    with transaction.atomic():
        membership.consent = Consent(consent)
        membership.save(update_fields=["consent"])
        if membership.consent != Consent.NAMED:
            _withdraw_proposals(membership)


def membership_leave(*, membership: CohortMembership) -> bool:
    """Leave now: from this moment the programme counts nothing of the business."""
    with transaction.atomic():
        left = CohortMembership.objects.filter(pk=membership.pk, left_at=None).update(
            left_at=timezone.now()
        )
        _withdraw_proposals(membership)
        if left:  # the dashboard's cards stop offering a comparison with similar businesses
            businesses_touch([membership.business_id])
    return bool(left)


def _withdraw_proposals(membership: CohortMembership) -> None:
    Proposal.objects.filter(membership=membership, state=Proposal.State.PENDING).update(
        state=Proposal.State.WITHDRAWN, answered_at=timezone.now()
    )
