"""Logging a month's figures, and figures files in and out."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from metrics.access import business_view
from metrics.comments import thread
from metrics.engine import (
    FileFormatError,
    PeriodError,
    PeriodKind,
    add_months,
    parse_month,
)
from metrics.engine.sheets import decode_rows, encode_rows
from metrics.forms_months import (
    ImportForm,
    MonthChoiceForm,
    MonthForm,
    SeparatorForm,
    file_errors,
    other_values,
)
from metrics.models import Business, Comment
from metrics.parsing import AmbiguousSeparatorError, read_figures_upload
from metrics.selectors import business_engine, tracked_codes
from metrics.selectors_months import (
    figures_csv,
    month_entries,
    month_statuses,
    needed_figures,
    results_csv,
)
from metrics.services import REASON_IMPORT, SaveSummary, entries_save_month
from metrics.views.common import business_context, current_month, last_complete_month
from metrics.views.imports import PREVIEW_TEMPLATE, confirm_import, stash_upload, stashed_upload

SESSION_IMPORT = "figures_import:{business}"


def _month_or_404(text: str) -> date:
    try:
        return parse_month(text)
    except PeriodError:
        raise Http404 from None


def _month_label(month: date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


@business_view()
def month_list(request: HttpRequest, business: Business) -> HttpResponse:
    chooser = MonthChoiceForm(request.GET if "month" in request.GET else None)
    if chooser.is_bound and chooser.is_valid():
        try:
            chosen = parse_month(chooser.cleaned_data["month"])
        except PeriodError as error:
            chooser.add_error("month", str(error))
        else:
            return redirect("metrics:month", business.pk, f"{chosen:%Y-%m}")
    engine = business_engine(business)
    needed = needed_figures(engine, tracked_codes(business))
    statuses = month_statuses(business, needed, last=last_complete_month(), current=current_month())
    context = {
        **business_context(request, business, "months"),
        "statuses": statuses,
        "needed_figures": [engine.figures[code] for code in needed],
        "form": chooser,
    }
    return render(request, "metrics/months/month_list.html", context)


@business_view()
def month_edit(request: HttpRequest, business: Business, month: str) -> HttpResponse:
    when = _month_or_404(month)
    if when > current_month():
        messages.warning(
            request,
            _("%(month)s has not started yet. You can log its figures once it has.")
            % {"month": _month_label(when)},
        )
        return redirect("metrics:months", business.pk)
    engine = business_engine(business)
    needed = needed_figures(engine, tracked_codes(business))
    previous_month = add_months(when, -1)
    entries = month_entries(business, [previous_month, when])
    stored = {code: (entry.value, entry.note) for code, entry in entries[when].items()}
    form = MonthForm(
        request.POST if request.method == "POST" else None,
        figures=[engine.figures[code] for code in needed],
        currency=business.currency,
        stored=stored,
        previous={code: entry.value for code, entry in entries[previous_month].items()},
        language=translation.get_language(),
    )
    if request.method == "POST" and form.is_valid():
        entries_save_month(
            business=business,
            month=when,
            values=form.values(),
            notes=form.notes(),
            user=request.user,
        )
        messages.success(
            request, _("The figures for %(month)s are saved.") % {"month": _month_label(when)}
        )
        if request.POST.get("then") == "dashboard":
            return redirect("metrics:dashboard", business.pk)
        return redirect("metrics:months", business.pk)
    context = {
        **business_context(request, business, "months"),
        "month": when,
        "previous_month": previous_month,
        "next_month": add_months(when, 1) if when < current_month() else None,
        "form": form,
        "groups": form.groups(),
        "other_values": other_values(stored, needed, engine.figures, business.currency),
        "thread": thread(
            business=business, user=request.user, on=Comment.On.MONTH, subject=f"{when:%Y-%m}"
        ),
    }
    return render(request, "metrics/months/month_form.html", context)


# ---------------------------------------------------------------------------------------------
# Figures files in


@business_view()
def figures_import(request: HttpRequest, business: Business) -> HttpResponse:
    engine = business_engine(business)
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        figures=engine.figures,
        last_month=current_month(),
    )
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["decimal"]
        source = {"sheet": encode_rows(form.sheet)} if form.sheet is not None else {}
        token = stash_upload(
            request,
            SESSION_IMPORT.format(business=business.pk),
            {
                "text": form.text,
                **source,
                "decimal": None if choice == "detect" else choice,
            },
        )
        return redirect("metrics:import_preview", business.pk, token)
    context = {**business_context(request, business, "months"), "form": form}
    return render(request, "metrics/months/import.html", context)


@business_view(write=True)
def figures_import_preview(request: HttpRequest, business: Business, token: str) -> HttpResponse:
    key = SESSION_IMPORT.format(business=business.pk)
    stash = stashed_upload(request, key, token)
    if stash is None:
        messages.warning(request, _("That upload is no longer available. Upload the file again."))
        return redirect("metrics:import", business.pk)
    if request.method == "POST" and "decimal" in request.POST:
        separator = SeparatorForm(request.POST)
        if separator.is_valid():
            stash["decimal"] = separator.cleaned_data["decimal"]
            request.session.modified = True
            return redirect("metrics:import_preview", business.pk, token)
    else:
        separator = SeparatorForm()
    engine = business_engine(business)
    context: dict[str, Any] = {
        **business_context(request, business, "months"),
        "token": token,
        "upload_url": reverse("metrics:import", args=[business.pk]),
    }
    is_sheet = "sheet" in stash
    try:
        figures = read_figures_upload(
            decode_rows(stash["sheet"]) if is_sheet else stash["text"],
            engine.figures,
            last_month=current_month(),
            decimal=stash["decimal"],
        )
    except AmbiguousSeparatorError as error:
        context.update(form=separator, ambiguous=error, example=error.example)
        return render(request, "metrics/months/import_separator.html", context)
    except FileFormatError as error:
        # The file was fine when uploaded; something changed since (a figure deleted, say).
        context.update(has_errors=True, problems=file_errors(error, sheet=is_sheet))
        return render(request, PREVIEW_TEMPLATE, context)
    return confirm_import(
        request,
        business,
        figures=figures,
        engine=engine,
        key=key,
        reason=REASON_IMPORT,
        choose_overwrite=False,
        done=_imported,
        context=context,
    )


def _imported(summary: SaveSummary) -> str:
    return _(
        "The file is imported: %(created)d new values and %(changed)d changed values are saved."
    ) % {"created": summary.created, "changed": summary.changed}


# ---------------------------------------------------------------------------------------------
# Files out


def _csv_response(text: str, filename: str) -> HttpResponse:
    return HttpResponse(
        text,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


def _file_stem(business: Business) -> str:
    return slugify(business.name) or f"business-{business.pk}"


@require_safe
@business_view()
def export_figures(request: HttpRequest, business: Business) -> HttpResponse:
    engine = business_engine(business)
    text = figures_csv(business, engine, needed_figures(engine, tracked_codes(business)))
    return _csv_response(text, f"{_file_stem(business)}-figures.csv")


@require_safe
@business_view()
def export_kpis(request: HttpRequest, business: Business) -> HttpResponse:
    kind = request.GET.get("period", PeriodKind.MONTH.value)
    if kind not in {member.value for member in PeriodKind}:
        return HttpResponseBadRequest(_("The period must be month, quarter or year."))
    engine = business_engine(business)
    everything = request.GET.get("all") == "1"
    codes = list(engine.kpis) if everything else tracked_codes(business)
    codes = [code for code in codes if code in engine.kpis]
    text = results_csv(business, engine, codes, PeriodKind(kind))
    suffix = "-all" if everything else ""
    return _csv_response(text, f"{_file_stem(business)}-kpis-{kind}{suffix}.csv")


urlpatterns = [
    path("b/<int:business_id>/months/", month_list, name="months"),
    path("b/<int:business_id>/months/<str:month>/", month_edit, name="month"),
    path("b/<int:business_id>/import/", figures_import, name="import"),
    path(
        "b/<int:business_id>/import/<str:token>/",
        figures_import_preview,
        name="import_preview",
    ),
    path("b/<int:business_id>/export/figures.csv", export_figures, name="export_figures"),
    path("b/<int:business_id>/export/kpis.csv", export_kpis, name="export_kpis"),
]
