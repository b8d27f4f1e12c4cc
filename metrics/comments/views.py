"""A thread on its own page, the list of every comment, and changing or deleting one."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.http import AuthenticatedRequest
from accounts.throttle import rate_limited, refused
from metrics.access import BusinessAccess, business_view, get_business_for_user
from metrics.businesses.selectors import business_engine
from metrics.comments.forms import CommentForm
from metrics.comments.labels import kpi_names, thread_title
from metrics.comments.places import comment_place, thread_page
from metrics.comments.services import comment_create, comment_delete, comment_edit
from metrics.comments.threads import business_comments, parse_period, parse_subject, thread
from metrics.models.comments import Comment
from metrics.pages import business_context

On = Comment.On
TABS = {On.MONTH: "months", On.KPI: "dashboard", On.REVIEW: "review"}


def _comment_page(
    request: AuthenticatedRequest, business_id: int, on: str, text: str
) -> HttpResponse:
    """A thread on its own page (GET); a new comment in it (POST), by the owner or a mentor.

    Mentors may post here, so the access check is the read one, whatever the method.
    """
    access = get_business_for_user(request.user, business_id, write=False)
    business = access.business
    subject = parse_subject(business, on, text)
    engine = business_engine(business) if on == On.KPI else None
    if subject is None or (engine is not None and subject not in engine.kpis):
        raise Http404
    period = parse_period(business, request.POST.get("period") or request.GET.get("period", ""))
    form = CommentForm(request.POST or None)
    if request.method == "POST" and not refused(request, form, "body") and form.is_valid():
        comment = comment_create(
            business=business,
            author=request.user,
            on=on,
            subject=subject,
            body=form.cleaned_data["body"],
            period=period,
        )
        messages.success(request, _("Your comment is posted."))
        return redirect(comment_place(comment))
    shown = thread(business=business, user=request.user, on=on, subject=subject, period=period)
    context = {
        **business_context(request, access.after_reading(shown.new_count), TABS[On(on)]),
        "thread": shown,
        "title": thread_title(business, on, subject, kpi_names(engine) if engine else {}),
        "comment_form": form,
        "back": thread_page(business.pk, on, subject, period),
        "has_errors": bool(form.errors),
    }
    return render(request, "metrics/comments/thread_page.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@rate_limited("comment")
def month_comments(request: AuthenticatedRequest, business_id: int, month: date) -> HttpResponse:
    return _comment_page(request, business_id, On.MONTH, f"{month:%Y-%m}")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@rate_limited("comment")
def kpi_comments(request: AuthenticatedRequest, business_id: int, kpi: str) -> HttpResponse:
    return _comment_page(request, business_id, On.KPI, kpi)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@rate_limited("comment")
def review_comments(request: AuthenticatedRequest, business_id: int, quarter: str) -> HttpResponse:
    return _comment_page(request, business_id, On.REVIEW, quarter)


@require_POST
@login_required
def comment_edit_view(
    request: AuthenticatedRequest, business_id: int, comment_id: int
) -> HttpResponse:
    """Authors change their own words; nobody else's."""
    access = get_business_for_user(request.user, business_id, write=False)
    comment = get_object_or_404(Comment, pk=comment_id, business=access.business)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        comment_edit(comment=comment, body=form.cleaned_data["body"])
        messages.success(request, _("Your comment is changed."))
        return redirect(comment_place(comment))
    context = {
        **business_context(request, access, "comments"),
        "comment": comment,
        "comment_form": form,
        "has_errors": True,
    }
    return render(request, "metrics/comments/edit.html", context)


@require_POST
@login_required
def comment_delete_view(
    request: AuthenticatedRequest, business_id: int, comment_id: int
) -> HttpResponse:
    """The owner deletes any comment on the business; an author deletes their own."""
    access = get_business_for_user(request.user, business_id, write=False)
    comment = get_object_or_404(Comment, pk=comment_id, business=access.business)
    if not (access.can_edit or comment.author_id == request.user.pk):
        raise PermissionDenied
    place = comment_place(comment).partition("#")[0]
    comment_delete(comment=comment)
    messages.success(request, _("The comment is deleted."))
    return redirect(place)


@require_safe
@business_view()
def comments(request: AuthenticatedRequest, access: BusinessAccess) -> HttpResponse:
    """Every comment on the business, newest first, each with a link to where it belongs."""
    names = kpi_names(business_engine(access.business))
    items = business_comments(business=access.business, user=request.user, kpi_names=names)
    read = sum(1 for item in items if item.is_new)
    context = {
        **business_context(request, access.after_reading(read), "comments"),
        "comments": items,
    }
    return render(request, "metrics/comments/list.html", context)
