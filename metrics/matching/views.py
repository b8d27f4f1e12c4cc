"""Mentor matching: the coordinator's pool and proposals, the mentor's offer, the owner's answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.http import AuthenticatedRequest
from accounts.throttle import rate_limited, refused
from metrics.access import BusinessAccess, business_view
from metrics.matching.forms import PoolEntryForm, PoolInviteForm, PoolOfferForm, ProposalForm
from metrics.matching.selectors import (
    matching_rows,
    membership_for_coordinator,
    pool_entry_for_user,
    pool_with_load,
)
from metrics.matching.services import (
    pool_entry_update,
    pool_invitation_for_token,
    pool_invitation_send,
    pool_invite,
    pool_join,
    pool_leave,
    proposal_accept,
    proposal_create,
    proposal_decline,
    proposal_send,
)
from metrics.models.matching import Proposal
from metrics.programmes.selectors import programme_for_coordinator


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@rate_limited("invitation")
def pool(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    """The pool as the coordinators see it, and the form to invite a mentor into it."""
    programme = programme_for_coordinator(request.user, programme_id)
    form = PoolInviteForm(request.POST or None)
    if request.method == "POST" and not refused(request, form) and form.is_valid():
        try:
            invitation, token = pool_invite(
                programme=programme, email=form.cleaned_data["email"], invited_by=request.user
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            if pool_invitation_send(invitation=invitation, token=token):
                messages.success(request, _("The invitation is sent. It works once, for 14 days."))
            else:
                messages.warning(request, _("The email could not be sent. Try again later."))
            return redirect("metrics:pool", programme.pk)
    context = {"programme": programme, "form": form, "pool": list(pool_with_load(programme))}
    return render(request, "metrics/matching/pool.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def pool_accept(request: AuthenticatedRequest, token: str) -> HttpResponse:
    """The token is the credential: whoever holds it joins the pool, saying what they offer."""
    invitation = pool_invitation_for_token(token)
    if invitation is None:
        raise Http404
    initial = {"languages": [request.user.language], "country": request.user.country or None}
    form = PoolOfferForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pool_join(invitation=invitation, user=request.user, **form.cleaned_data)
        except ValidationError:
            raise Http404 from None
        messages.success(
            request,
            _("You are in the mentor pool of %(name)s. You can change your offer here.")
            % {"name": invitation.programme.name},
        )
        return redirect("metrics:pool_entry", invitation.programme_id)
    context = {"invitation": invitation, "form": form}
    return render(request, "metrics/matching/pool_accept.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def pool_entry(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    """A mentor's own offer to a programme, to change or pause."""
    entry = pool_entry_for_user(request.user, programme_id)
    initial = {
        "languages": entry.languages,
        "sectors": entry.sectors,
        "country": entry.country,
        "capacity": entry.capacity,
        "active": entry.active,
    }
    form = PoolEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        pool_entry_update(entry=entry, **form.cleaned_data)
        messages.success(request, _("Your offer is saved."))
        return redirect("metrics:pool_entry", programme_id)
    return render(request, "metrics/matching/pool_entry.html", {"entry": entry, "form": form})


@require_POST
@login_required
def pool_leave_view(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    entry = pool_entry_for_user(request.user, programme_id)
    pool_leave(entry=entry)
    messages.success(
        request,
        _("You left the mentor pool of %(name)s. Your mentees keep you as their mentor.")
        % {"name": entry.programme.name},
    )
    return redirect("metrics:programmes")


@require_safe
@login_required
def matching(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = programme_for_coordinator(request.user, programme_id)
    context = {"programme": programme, "rows": matching_rows(programme)}
    return render(request, "metrics/matching/matching.html", context)


@require_POST
@login_required
@rate_limited("invitation", form=False)
def proposal_new(
    request: AuthenticatedRequest, programme_id: int, membership_id: int
) -> HttpResponse:
    """Propose a pool mentor to a named member; they hear of it by email and on their page."""
    membership = membership_for_coordinator(request.user, programme_id, membership_id)
    form = ProposalForm(request.POST, pool=membership.cohort.programme.pool.all())
    if not form.is_valid():
        messages.error(request, _("Choose a mentor from the pool."))
        return redirect("metrics:matching", programme_id)
    try:
        proposal = proposal_create(
            membership=membership, mentor=form.cleaned_data["mentor"], proposed_by=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("metrics:matching", programme_id)
    if not proposal_send(proposal=proposal):
        messages.warning(request, _("The email could not be sent; the proposal is on their page."))
    messages.success(
        request,
        _("%(mentor)s is proposed to %(business)s.")
        % {"mentor": proposal.mentor.user.get_full_name(), "business": membership.business.name},
    )
    return redirect("metrics:matching", programme_id)


def _proposal(access: BusinessAccess, proposal_id: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related("mentor__user", "membership__business"),
        pk=proposal_id,
        membership__business=access.business,
        membership__left_at=None,
        state=Proposal.State.PENDING,
    )


@require_POST
@business_view(write=True)
def proposal_accept_view(
    request: AuthenticatedRequest, access: BusinessAccess, proposal_id: int
) -> HttpResponse:
    proposal = _proposal(access, proposal_id)
    try:
        proposal_accept(proposal=proposal, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _(
                "%(mentor)s is now your mentor: they see your dashboard, read-only. You can end "
                "this at any time on the Mentors page."
            )
            % {"mentor": proposal.mentor.user.get_full_name()},
        )
    return redirect("metrics:business_programmes", access.business.pk)


@require_POST
@business_view(write=True)
def proposal_decline_view(
    request: AuthenticatedRequest, access: BusinessAccess, proposal_id: int
) -> HttpResponse:
    proposal = _proposal(access, proposal_id)
    proposal_decline(proposal=proposal)
    messages.success(
        request, _("You declined the proposal. The programme sees that you did, never why.")
    )
    return redirect("metrics:business_programmes", access.business.pk)
