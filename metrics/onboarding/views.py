"""The guided start: from a new account to a first dashboard, one question a page.

Every step can be skipped (the "Skip this step" button saves nothing of the page) and the step
reached is stored on the business, so ``start`` resumes where the owner left off.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedRequest
from accounts.middleware import SESSION_COUNTRY, SESSION_REGION
from metrics.access import BusinessAccess, business_view
from metrics.businesses.services import tracked_kpis_choose
from metrics.models.business import Business, StartStep
from metrics.months.forms import MonthForm
from metrics.months.services import entries_save_month
from metrics.onboarding.forms import ChannelForm, StartBusinessForm, StarterKpisForm
from metrics.onboarding.selectors import first_month, kpi_step_rows, month_figures, target_form
from metrics.onboarding.services import (
    PAGES,
    business_in_start,
    business_start,
    first_target_save,
    start_step_reach,
    step_after,
    step_number,
)
from metrics.pages import business_context

STEP_URLS = {
    StartStep.CHANNEL: "metrics:start_channel",
    StartStep.KPIS: "metrics:start_kpis",
    StartStep.TARGET: "metrics:start_target",
    StartStep.MONTH: "metrics:start_month",
}


def _go_on(business: Business, step: StartStep) -> HttpResponse:
    """Store that ``step`` is behind us and open the next page (the dashboard at the end)."""
    following = step_after(step)
    start_step_reach(business=business, step=following)
    if following is StartStep.DONE:
        return redirect("metrics:dashboard", business.pk)
    return redirect(STEP_URLS[following], business.pk)


def _page(
    request: HttpRequest, access: BusinessAccess, step: StartStep, context: dict
) -> HttpResponse:
    context = {
        **business_context(request, access, "start"),
        "step": step_number(step),
        "pages": PAGES,
        **context,
    }
    return render(request, f"metrics/onboarding/{step.value}.html", context)


@login_required
def start(request: AuthenticatedRequest) -> HttpResponse:
    """Resume the guided start where it was left, or begin it for a user with no business."""
    business = business_in_start(request.user)
    if business is not None:
        return redirect(STEP_URLS[StartStep(business.start_step)], business.pk)
    if request.user.businesses.exists():
        return redirect("metrics:business_list")
    return redirect("metrics:start_business")


@login_required
def start_business(request: AuthenticatedRequest) -> HttpResponse:
    """Step 1: the business's name, country and region; the flag fills them in."""
    country = getattr(request, "country", None)
    initial = {"country": country.code if country else "", "region": getattr(request, "region", "")}
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and "skip" in data and not data.get("name", "").strip():
        data["name"] = _("My business")
    form = StartBusinessForm(data, initial=initial)
    if data is not None and form.is_valid():
        business = business_start(owner=request.user, **form.cleaned_data)
        request.session[SESSION_COUNTRY] = business.country
        request.session[SESSION_REGION] = business.region
        return redirect(STEP_URLS[StartStep.CHANNEL], business.pk)
    context = {"form": form, "step": 1, "pages": PAGES}
    return render(request, "metrics/onboarding/business.html", context)


@business_view(write=True)
def start_channel(request: HttpRequest, access: BusinessAccess) -> HttpResponse:
    """Step 2: how the business sells, which decides the starter KPIs."""
    business = access.business
    form = ChannelForm(request.POST or None, instance=business)
    if "skip" in request.POST:
        return _go_on(business, StartStep.CHANNEL)
    if request.method == "POST" and form.is_valid():
        form.save()
        return _go_on(business, StartStep.CHANNEL)
    return _page(request, access, StartStep.CHANNEL, {"form": form})


@business_view(write=True)
def start_kpis(request: HttpRequest, access: BusinessAccess) -> HttpResponse:
    """Step 3: the starter set for how the business sells, ticked, each with why."""
    business = access.business
    if "skip" in request.POST:
        return _go_on(business, StartStep.KPIS)
    rows, choices, whys, ticked = kpi_step_rows(business)
    form = StarterKpisForm(request.POST or None, choices=choices, whys=whys, ticked=ticked)
    if request.method == "POST" and form.is_valid():
        tracked_kpis_choose(business=business, chosen=form.chosen())
        return _go_on(business, StartStep.KPIS)
    rows = [{**row, "why": form[f"why_{row['code']}"]} for row in rows]
    return _page(request, access, StartStep.KPIS, {"form": form, "rows": rows})


@business_view(write=True)
def start_target(request: HttpRequest, access: BusinessAccess) -> HttpResponse:
    """Step 4: one target, with an example value to start from."""
    business = access.business
    if "skip" in request.POST:
        return _go_on(business, StartStep.TARGET)
    first = first_month()
    form, examples = target_form(business, request.POST or None)
    if form is not None and request.method == "POST" and form.is_valid():
        first_target_save(
            business=business,
            kpi=form.cleaned_data["kpi"],
            value=form.cleaned_data["value"],
            first=first,
        )
        return _go_on(business, StartStep.TARGET)
    context = {"form": form, "examples": examples, "first_month": first}
    return _page(request, access, StartStep.TARGET, context)


@business_view(write=True)
def start_month(request: HttpRequest, access: BusinessAccess) -> HttpResponse:
    """Step 5: last month's figures, only those the chosen KPIs need; then the dashboard."""
    business = access.business
    if "skip" in request.POST:
        return _go_on(business, StartStep.MONTH)
    month = first_month()
    form = MonthForm(
        request.POST or None,
        figures=month_figures(business),
        currency=business.currency,
        language=translation.get_language(),
    )
    if request.method == "POST" and form.is_valid():
        entries_save_month(
            business=business, month=month, values=form.values(), notes={}, user=request.user
        )
        messages.success(
            request,
            _("The figures for %(month)s are saved. Here is your dashboard.")
            % {"month": date_format(month, "YEAR_MONTH_FORMAT")},
        )
        return _go_on(business, StartStep.MONTH)
    context = {"form": form, "groups": form.groups(), "month": month}
    return _page(request, access, StartStep.MONTH, context)
