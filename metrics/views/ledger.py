"""Importing a sales ledger into monthly figures."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from metrics.access import business_view
from metrics.engine import FileFormatError, parse_month
from metrics.engine.csvio import DERIVED_FIGURES
from metrics.forms_months import LedgerForm, file_errors
from metrics.models import Business
from metrics.parsing import Ledger, check_ledger, figures_from_json, figures_to_json
from metrics.selectors import business_engine
from metrics.services import REASON_LEDGER, SaveSummary
from metrics.views.common import business_context, current_month
from metrics.views.imports import PREVIEW_TEMPLATE, confirm_import, stash_upload, stashed_upload

SESSION_LEDGER = "ledger_import:{business}"


def _payload(ledger: Ledger, *, sheet: bool) -> dict[str, Any]:
    """What is kept until the confirmation: the derived figures, never the sales themselves."""
    return {
        "figures": figures_to_json(ledger.figures),
        "lines": {f"{month:%Y-%m}": line for month, line in ledger.month_lines.items()},
        "sales": ledger.sales,
        "first_day": ledger.first_day.isoformat(),
        "last_day": ledger.last_day.isoformat(),
        "sheet": sheet,
    }


def _done(summary: SaveSummary) -> str:
    text = _(
        "The sales ledger is imported: %(created)d new values and %(changed)d changed values "
        "are saved."
    ) % {"created": summary.created, "changed": summary.changed}
    if summary.kept:
        text += " " + _("%(kept)d values you had entered are kept.") % {"kept": summary.kept}
    return text


@business_view(write=True)
def ledger_import(request: HttpRequest, business: Business) -> HttpResponse:
    engine = business_engine(business)
    form = LedgerForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        figures=engine.figures,
        last_month=current_month(),
    )
    if request.method == "POST" and form.is_valid() and form.ledger is not None:
        key = SESSION_LEDGER.format(business=business.pk)
        token = stash_upload(request, key, _payload(form.ledger, sheet=form.sheet))
        return redirect("metrics:ledger_preview", business.pk, token)
    context = {
        **business_context(request, business, "months"),
        "form": form,
        "derived": [engine.figures[code] for code in DERIVED_FIGURES],
    }
    return render(request, "metrics/months/ledger.html", context)


@business_view(write=True)
def ledger_preview(request: HttpRequest, business: Business, token: str) -> HttpResponse:
    key = SESSION_LEDGER.format(business=business.pk)
    stash = stashed_upload(request, key, token)
    if stash is None:
        messages.warning(request, _("That upload is no longer available. Upload the file again."))
        return redirect("metrics:ledger_import", business.pk)
    engine = business_engine(business)
    figures = figures_from_json(stash["figures"])
    lines = {parse_month(label): line for label, line in stash["lines"].items()}
    context: dict[str, Any] = {
        **business_context(request, business, "months"),
        "upload_url": reverse("metrics:ledger_import", args=[business.pk]),
        "ledger": {
            "sales": stash["sales"],
            "first_day": date.fromisoformat(stash["first_day"]),
            "last_day": date.fromisoformat(stash["last_day"]),
        },
    }
    try:
        # Checked again: the month that was in the future may still be, the figures may be gone.
        check_ledger(figures, engine.figures, last_month=current_month(), month_lines=lines)
    except FileFormatError as error:
        context.update(has_errors=True, problems=file_errors(error, sheet=stash["sheet"]))
        return render(request, PREVIEW_TEMPLATE, context)
    return confirm_import(
        request,
        business,
        figures=figures,
        engine=engine,
        key=key,
        reason=REASON_LEDGER,
        choose_overwrite=True,
        done=_done,
        context=context,
    )


urlpatterns: list[URLPattern] = [
    path("b/<int:business_id>/import/ledger/", ledger_import, name="ledger_import"),
    path("b/<int:business_id>/import/ledger/<str:token>/", ledger_preview, name="ledger_preview"),
]
