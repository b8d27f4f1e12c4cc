"""Setting a business up: its profile, the KPIs it tracks, its own formulas, goals and targets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.countries import currency_for
from accounts.http import AuthenticatedRequest
from accounts.inputs import text_problem
from metrics.access import BusinessAccess, business_view
from metrics.businesses.advice import reasons_for
from metrics.businesses.forms import (
    BusinessForm,
    CustomFigureForm,
    CustomKpiForm,
    GoalForm,
    TargetForm,
)
from metrics.businesses.selectors import (
    business_engine,
    business_figures,
    chooser_rows,
    goals_with_targets,
    tracked_codes,
)
from metrics.businesses.services import tracked_kpis_choose
from metrics.engine import Engine, period_of
from metrics.models.business import Business, StartStep
from metrics.models.goals import Goal, Target
from metrics.pages import business_context, last_complete_month


@login_required
def business_list(request: AuthenticatedRequest) -> HttpResponse:
    businesses = list(request.user.businesses.all())
    if not businesses:
        # A mentor who runs no business of their own starts from their mentees.
        if request.user.mentorships.filter(revoked_at__isnull=True).exists():
            return redirect("metrics:mentor_home")
        return redirect("metrics:start")
    if len(businesses) == 1 and "all" not in request.GET:
        if businesses[0].start_step != StartStep.DONE:
            return redirect("metrics:start")  # resumes the guided start where it was left
        return redirect("metrics:dashboard", businesses[0].pk)
    return render(request, "metrics/business_list.html", {"businesses": businesses})


@login_required
def business_create(request: HttpRequest) -> HttpResponse:
    country = getattr(request, "country", None)
    initial = {
        "country": country.code if country else "",
        "region": getattr(request, "region", ""),
        "currency": currency_for(country.code if country else None),
    }
    form = BusinessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        business = form.save(commit=False)
        business.owner = request.user
        business.save()
        messages.success(request, _("Your business is set up. Now choose the KPIs to follow."))
        return redirect("metrics:kpis", business.pk)
    return render(request, "metrics/business_form.html", {"form": form, "creating": True})


@business_view(write=True)
def business_edit(request: HttpRequest, access: BusinessAccess) -> HttpResponse:
    business = access.business
    form = BusinessForm(request.POST or None, instance=business)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("metrics:dashboard", business.pk)
    context = business_context(request, access, "settings")
    return render(request, "metrics/business_form.html", {**context, "form": form})


@business_view()
def kpi_choose(request: HttpRequest, access: BusinessAccess) -> HttpResponse:
    """Choose the KPIs to follow and write down why: the suggested ones first, the rest by
    AARRR stage and domain behind "show more"."""
    business = access.business
    engine = business_engine(business)
    whys = {t.kpi: t.why for t in business.tracked_kpis.all() if t.kpi in engine.kpis}
    error = None
    ticked = typed = None
    if request.method == "POST":
        ticked = [code for code in request.POST.getlist("kpi") if code in engine.kpis]
        posted = [(code, request.POST.get(f"why_{code}", "")) for code in ticked]
        error = (
            _why_problem(request, ticked, engine)
            if ticked
            else _("Choose at least one KPI to follow.")
        )
        if not error:
            tracked_kpis_choose(business=business, chosen=posted)
            messages.success(request, _("Your KPIs are saved."))
            return redirect("metrics:dashboard", business.pk)
        typed = {code: request.POST.get(f"why_{code}", "") for code in engine.kpis}
    first, groups = chooser_rows(
        engine, whys=whys, reasons=reasons_for(business.channel), ticked=ticked, typed=typed
    )
    context = business_context(request, access, "kpis")
    return render(
        request,
        "metrics/kpi_choose.html",
        {
            **context,
            "first": first,
            "groups": groups,
            "followed": [row for row in first if row.code in whys],
            "tracked_count": len(whys),
            "custom_figures": business.custom_figures.all(),
            "error": error,
            "has_errors": bool(error),
        },
    )


WHY_MAX_LENGTH = 1000


def _why_problem(request: HttpRequest, chosen: list[str], engine: Engine) -> str | None:
    """What is wrong with a "why I track this" note, naming its KPI; None when all are fine."""
    for code in chosen:
        label = _("Why I track %(kpi)s") % {"kpi": engine.kpis[code].name}
        text = request.POST.get(f"why_{code}", "")
        problem = text_problem(text, label, multiline=True, max_length=WHY_MAX_LENGTH)
        if problem:
            return problem
    return None


@business_view(write=True)
def custom_kpi_create(request: HttpRequest, access: BusinessAccess) -> HttpResponse:
    """Define a KPI of one's own; the formula is checked and previewed on the data entered."""
    business = access.business
    figures = list(business.custom_figures.all())
    kpis = list(business.custom_kpis.all())
    form = CustomKpiForm(request.POST or None, business=business, figures=figures, kpis=kpis)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "save" in request.POST:
            kpi = form.save(commit=False)
            kpi.business = business
            kpi.save()
            messages.success(request, _("Your KPI is saved. Tick it below to follow it."))
            return redirect("metrics:kpis", business.pk)
        preview = _preview(business, form)
    context = business_context(request, access, "kpis")
    return render(
        request, "metrics/custom_kpi_form.html", {**context, "form": form, "preview": preview}
    )


def _preview(business: Business, form: CustomKpiForm) -> dict | None:
    """The new KPI's value for the last month logged, or why it has none."""
    data = business_figures(business)
    month = data.last_month or last_complete_month()
    period = period_of(month, "month", business.fy_start)
    assert form.engine is not None  # a valid form has built it
    result = form.engine.compute(data, period, [form.cleaned_data["code"]])[
        form.cleaned_data["code"]
    ]
    return {"period": period, "result": result, "unit": form.cleaned_data["unit"]}


@business_view(write=True)
def custom_figure_create(request: HttpRequest, access: BusinessAccess) -> HttpResponse:
    business = access.business
    form = CustomFigureForm(request.POST or None, business=business)
    if request.method == "POST" and form.is_valid():
        figure = form.save(commit=False)
        figure.business = business
        figure.save()
        messages.success(request, _("Your figure is saved. You can use it in your own KPIs."))
        return redirect("metrics:kpis", business.pk)
    context = business_context(request, access, "kpis")
    return render(request, "metrics/custom_figure_form.html", {**context, "form": form})


@business_view()
def goals(request: HttpRequest, access: BusinessAccess) -> HttpResponse:
    business = access.business
    goal_list, loose = goals_with_targets(business, business_engine(business))
    context = business_context(request, access, "goals")
    return render(
        request,
        "metrics/goals.html",
        {**context, "goals": goal_list, "loose_targets": loose},
    )


@business_view(write=True)
def goal_edit(
    request: HttpRequest, access: BusinessAccess, goal_id: int | None = None
) -> HttpResponse:
    business = access.business
    if goal_id is None and not access.can_edit:
        raise PermissionDenied
    goal = get_object_or_404(Goal, pk=goal_id, business=business) if goal_id else None
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.business = business
        saved.save()
        messages.success(request, _("Your goal is saved. Now set a target for it."))
        return redirect("metrics:goals", business.pk)
    context = business_context(request, access, "goals")
    return render(request, "metrics/goal_form.html", {**context, "form": form, "goal": goal})


def _kpi_choices(business: Business, keep: str | None = None) -> list[tuple[str, str]]:
    """The KPIs the business follows, in its order; ``keep`` (an edited target's KPI) stays
    offered even when it is no longer followed, so the target can still be saved."""
    engine = business_engine(business)
    codes = [code for code in tracked_codes(business) if code in engine.kpis]
    if keep and keep not in codes and keep in engine.kpis:
        codes.append(keep)
    return [(code, str(engine.kpis[code].name)) for code in codes]


@business_view(write=True)
def target_edit(
    request: HttpRequest, access: BusinessAccess, target_id: int | None = None
) -> HttpResponse:
    business = access.business
    if target_id is None and not access.can_edit:
        raise PermissionDenied
    target = get_object_or_404(Target, pk=target_id, business=business) if target_id else None
    initial = {}
    if target is None:
        goal_id = request.GET.get("goal", "")
        initial = {"goal": goal_id if goal_id.isdigit() else None, "tolerance": "10"}
    choices = _kpi_choices(business, target.kpi if target else None)
    form = TargetForm(
        request.POST or None,
        instance=target,
        business=business,
        kpi_choices=choices,
        initial=initial,
    )
    if choices and request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.business = business
        saved.save()
        messages.success(request, _("Your target is saved."))
        return redirect("metrics:goals", business.pk)
    context = business_context(request, access, "goals")
    return render(
        request,
        "metrics/target_form.html",
        {**context, "form": form if choices else None, "target": target},
    )


@require_POST
@business_view(write=True)
def goal_delete(request: HttpRequest, access: BusinessAccess, goal_id: int) -> HttpResponse:
    business = access.business
    get_object_or_404(Goal, pk=goal_id, business=business).delete()
    messages.success(request, _("The goal is deleted. Its targets are kept."))
    return redirect("metrics:goals", business.pk)


@require_POST
@business_view(write=True)
def target_delete(request: HttpRequest, access: BusinessAccess, target_id: int) -> HttpResponse:
    business = access.business
    get_object_or_404(Target, pk=target_id, business=business).delete()
    messages.success(request, _("The target is deleted."))
    return redirect("metrics:goals", business.pk)
