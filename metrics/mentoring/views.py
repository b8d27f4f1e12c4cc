"""Mentors: invitations, access and its end, the mentee overview."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.http import AuthenticatedRequest
from accounts.throttle import rate_limited, refused
from metrics.access import BusinessAccess, business_view, get_business_for_user
from metrics.mentoring.forms import InviteForm
from metrics.mentoring.invitations import (
    InvitationError,
    active_mentorships,
    invitation_accept,
    invitation_cancel,
    invitation_check_user,
    invitation_create,
    invitation_for_token,
    invitation_path,
    invitation_send,
    mentorship_events,
    mentorship_revoke,
    pending_invitations,
)
from metrics.mentoring.overview import SORTS, mentee_rows
from metrics.models.business import Business
from metrics.models.mentoring import Invitation, Mentorship
from metrics.pages import business_context, last_complete_month

SESSION_LINK = "mentor_invitation_link:{business}"


def _show_link_once(request: HttpRequest, business: Business, token: str) -> None:
    """Keep the new link until the owner's next view of the page; it is never stored in clear."""
    link = request.build_absolute_uri(invitation_path(token))
    request.session[SESSION_LINK.format(business=business.pk)] = link


@business_view(write=True)
@rate_limited("invitation")
def mentors(request: AuthenticatedRequest, access: BusinessAccess) -> HttpResponse:
    business = access.business
    form = InviteForm(request.POST or None)
    if request.method == "POST" and not refused(request, form) and form.is_valid():
        try:
            invitation, token = invitation_create(
                business=business, invited_by=request.user, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            if invitation_send(invitation=invitation, token=token):
                messages.success(
                    request,
                    _("The invitation is sent to %(email)s. It works once, for 14 days.")
                    % {"email": invitation.email},
                )
            else:
                _show_link_once(request, business, token)
                messages.warning(
                    request,
                    _(
                        "The email could not be sent. Copy the link below and send it to "
                        "your mentor yourself."
                    ),
                )
            return redirect("metrics:mentors", business.pk)
    context = {
        **business_context(request, access, "mentors"),
        "form": form,
        "link": request.session.pop(SESSION_LINK.format(business=business.pk), None),
        "pending": list(pending_invitations(business)),
        "active": list(active_mentorships(business)),
        "events": list(mentorship_events(business)),
    }
    return render(request, "metrics/mentors/mentors.html", context)


@require_POST
@business_view(write=True)
@rate_limited("invitation", form=False)
def invite_link(request: AuthenticatedRequest, access: BusinessAccess) -> HttpResponse:
    business = access.business
    _invitation, token = invitation_create(business=business, invited_by=request.user)
    _show_link_once(request, business, token)
    return redirect(reverse("metrics:mentors", args=[business.pk]) + "#invitation-link")


@require_POST
@business_view(write=True)
def invitation_cancel_view(
    request: AuthenticatedRequest, access: BusinessAccess, invitation_id: int
) -> HttpResponse:
    business = access.business
    invitation = get_object_or_404(Invitation, pk=invitation_id, business=business)
    if invitation_cancel(invitation=invitation):
        messages.success(request, _("The invitation is cancelled: its link no longer works."))
    else:
        messages.info(request, _("That invitation was no longer waiting to be accepted."))
    return redirect("metrics:mentors", business.pk)


@require_POST
@business_view(write=True)
def mentorship_revoke_view(
    request: AuthenticatedRequest, access: BusinessAccess, mentorship_id: int
) -> HttpResponse:
    business = access.business
    mentorship = get_object_or_404(
        Mentorship.objects.select_related("mentor"), pk=mentorship_id, business=business
    )
    if mentorship_revoke(mentorship=mentorship, by=request.user):
        messages.success(
            request,
            _("%(mentor)s can no longer see %(business)s.")
            % {"mentor": mentorship.mentor.get_full_name(), "business": business.name},
        )
    else:
        messages.info(request, _("That mentor's access had already ended."))
    return redirect("metrics:mentors", business.pk)


PROBLEM_STATUS = {
    InvitationError.UNKNOWN: 404,
    InvitationError.EXPIRED: 410,
    InvitationError.USED: 410,
    InvitationError.CANCELLED: 410,
    InvitationError.OWN_BUSINESS: 409,
    InvitationError.ALREADY_MENTOR: 409,
}


def _invitation_problem(request: HttpRequest, problem: InvitationError) -> HttpResponse:
    business = problem.invitation.business if problem.invitation else None
    mentors_it = (
        business is not None
        and request.user.is_authenticated
        and Mentorship.objects.filter(
            business=business, mentor=request.user, revoked_at__isnull=True
        ).exists()
    )
    context = {"problem": problem, "dashboard": business if mentors_it else None}
    return render(
        request,
        "metrics/mentors/invitation_problem.html",
        context,
        status=PROBLEM_STATUS[problem.code],
    )


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone holding the link may read whose invitation it is; accepting needs an account."""
    try:
        invitation = invitation_for_token(token)
        if request.user.is_authenticated:
            invitation_check_user(invitation, request.user)
    except InvitationError as problem:
        return _invitation_problem(request, problem)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            mentorship = invitation_accept(token=token, user=request.user)
        except InvitationError as problem:
            return _invitation_problem(request, problem)
        messages.success(
            request,
            _("You now mentor %(business)s. It is on your list below.")
            % {"business": mentorship.business.name},
        )
        return redirect("metrics:mentor_home")
    return render(request, "metrics/mentors/invitation.html", {"invitation": invitation})


@require_safe
@login_required
def mentor_home(request: AuthenticatedRequest) -> HttpResponse:
    sort = request.GET.get("sort", "name")
    sort = sort if sort in SORTS else "name"
    rows = mentee_rows(request.user, last_complete=last_complete_month(), sort=sort)
    return render(
        request, "metrics/mentors/home.html", {"rows": rows, "sort": sort, "sorts": SORTS}
    )


@require_POST
@login_required
def mentorship_leave(request: AuthenticatedRequest, business_id: int) -> HttpResponse:
    """A mentor ends their own access; the owner's record of access shows that they did."""
    business = get_business_for_user(request.user, business_id, write=False).business
    mentorship = (
        Mentorship.objects.filter(business=business, mentor=request.user, revoked_at__isnull=True)
        .select_related("business", "mentor")
        .first()
    )
    if mentorship is None:
        # Only the owner gets this far without an active mentorship.
        messages.info(request, _("You own this business: there is no mentor access to end."))
        return redirect("metrics:dashboard", business.pk)
    if mentorship_revoke(mentorship=mentorship, by=request.user):
        messages.success(
            request,
            _("You no longer mentor %(business)s: it is off your list.")
            % {"business": business.name},
        )
    return redirect("metrics:mentor_home")
