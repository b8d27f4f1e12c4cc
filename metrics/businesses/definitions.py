"""Changing and deleting a business's own figures and KPIs.

A definition that another one uses cannot go: the page names what uses it. Deleting a KPI also
stops following it and deletes its targets; deleting a figure keeps the values entered for it,
which show on each month's page and come back if a figure with the same code is added again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from metrics.access import BusinessAccess, business_view
from metrics.businesses.forms import CustomFigureEditForm, CustomKpiEditForm
from metrics.businesses.views import _preview
from metrics.engine import FIGURES, KPIS, FormulaError, parse
from metrics.models.business import Business, CustomFigure, CustomKpi, business_write
from metrics.models.entries import Entry
from metrics.models.goals import Target
from metrics.pages import business_context


def _used_by(business: Business, code: str) -> list[CustomKpi]:
    """The business's own KPIs whose formula uses ``code`` (a figure or a KPI)."""
    others = list(business.custom_kpis.exclude(code=code))
    figures = {*FIGURES, *business.custom_figures.values_list("code", flat=True)}
    kpis = {*KPIS, code, *(kpi.code for kpi in others)}
    users = []
    for kpi in others:
        try:
            parsed = parse(kpi.formula, figures, kpis)
        except FormulaError:
            continue  # a formula that no longer works uses nothing
        if code in parsed.figures or code in parsed.kpis:
            users.append(kpi)
    return users


@business_view(write=True)
def custom_kpi_edit(request: HttpRequest, access: BusinessAccess, custom_kpi: str) -> HttpResponse:
    business = access.business
    kpi = get_object_or_404(CustomKpi, business=business, code=custom_kpi)
    form = CustomKpiEditForm(
        request.POST or None,
        instance=kpi,
        business=business,
        figures=list(business.custom_figures.all()),
        kpis=list(business.custom_kpis.all()),
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        if "save" in request.POST:
            with business_write(business):
                form.save()
            messages.success(request, _("Your KPI is saved."))
            return redirect("metrics:kpis", business.pk)
        preview = _preview(business, form)
    context = business_context(request, access, "kpis")
    return render(
        request,
        "metrics/custom_kpi_form.html",
        {**context, "form": form, "preview": preview, "editing": kpi},
    )


@business_view(write=True)
def custom_figure_edit(
    request: HttpRequest, access: BusinessAccess, custom_figure: str
) -> HttpResponse:
    business = access.business
    figure = get_object_or_404(CustomFigure, business=business, code=custom_figure)
    form = CustomFigureEditForm(request.POST or None, instance=figure, business=business)
    if request.method == "POST" and form.is_valid():
        with business_write(business):
            form.save()
        messages.success(request, _("Your figure is saved."))
        return redirect("metrics:kpis", business.pk)
    context = business_context(request, access, "kpis")
    return render(
        request, "metrics/custom_figure_form.html", {**context, "form": form, "editing": figure}
    )


@dataclass(frozen=True, slots=True)
class Deletion:
    """What deleting a definition would do, shown before it is done."""

    kind: str  # "kpi" or "figure"
    name: str
    code: str
    used_by: list[CustomKpi]
    tracked: bool = False
    targets: int = 0
    entries: int = 0


@business_view(write=True)
def custom_kpi_delete(
    request: HttpRequest, access: BusinessAccess, custom_kpi: str
) -> HttpResponse:
    business = access.business
    kpi = get_object_or_404(CustomKpi, business=business, code=custom_kpi)
    deletion = Deletion(
        kind="kpi",
        name=kpi.name,
        code=kpi.code,
        used_by=_used_by(business, kpi.code),
        tracked=business.tracked_kpis.filter(kpi=kpi.code).exists(),
        targets=Target.objects.filter(business=business, kpi=kpi.code).count(),
    )
    if request.method == "POST" and not deletion.used_by:
        with business_write(business):
            business.tracked_kpis.filter(kpi=kpi.code).delete()
            Target.objects.filter(business=business, kpi=kpi.code).delete()
            kpi.delete()
        text = _("The KPI “%(name)s” is deleted.") % {"name": kpi.name}
        if deletion.tracked:
            text += " " + _("It is no longer on your dashboard.")
        messages.success(request, text)
        return redirect("metrics:kpis", business.pk)
    return _confirm(request, access, deletion)


@business_view(write=True)
def custom_figure_delete(
    request: HttpRequest, access: BusinessAccess, custom_figure: str
) -> HttpResponse:
    business = access.business
    figure = get_object_or_404(CustomFigure, business=business, code=custom_figure)
    deletion = Deletion(
        kind="figure",
        name=figure.name,
        code=figure.code,
        used_by=_used_by(business, figure.code),
        entries=Entry.objects.filter(business=business, figure=figure.code).count(),
    )
    if request.method == "POST" and not deletion.used_by:
        with business_write(business):
            figure.delete()
        messages.success(
            request,
            _("The figure “%(name)s” is deleted. The values you entered for it are kept.")
            % {"name": figure.name},
        )
        return redirect("metrics:kpis", business.pk)
    return _confirm(request, access, deletion)


def _confirm(request: HttpRequest, access: BusinessAccess, deletion: Deletion) -> HttpResponse:
    """The confirmation page; a refusal (with what uses the definition) when it cannot go."""
    context = business_context(request, access, "kpis")
    return render(request, "metrics/custom_delete.html", {**context, "deletion": deletion})
