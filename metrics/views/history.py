"""The history of a month's figures, and restoring a previous value."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metrics.access import business_view
from metrics.engine import FigureDef, PeriodError, Unit, parse_month
from metrics.forms_months import format_figure
from metrics.models import Business, Entry
from metrics.selectors import business_engine
from metrics.selectors_history import CREATED, DELETED, EntryChange, month_history
from metrics.selectors_months import month_entries
from metrics.services import (
    REASON_FORM,
    REASON_IMPORT,
    REASON_LEDGER,
    REASON_RESTORE,
    entry_restore,
)
from metrics.views.common import business_context

REASONS = {
    REASON_FORM: gettext_lazy("Month page"),
    REASON_IMPORT: gettext_lazy("Figures file"),
    REASON_LEDGER: gettext_lazy("Sales ledger"),
    REASON_RESTORE: gettext_lazy("Restored from the history"),
}


class RestoreForm(forms.Form):
    restore = forms.IntegerField(min_value=1)


def _month_or_404(text: str) -> date:
    try:
        return parse_month(text)
    except PeriodError:
        raise Http404 from None


def _value_text(value: Decimal | None, figure: FigureDef | None, currency: str) -> str:
    if value is None:
        return ""
    return format_figure(value, figure.unit if figure else Unit.COUNT, currency)


def _who(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


def history_rows(
    changes: Sequence[EntryChange],
    *,
    figures: Mapping[str, FigureDef],
    current: Mapping[str, tuple[Decimal, str]],
    currency: str,
) -> list[dict[str, Any]]:
    """Each change, ready to show; ``restorable`` when its earlier state is not today's."""
    rows = []
    for change in changes:
        figure = figures.get(change.figure)
        now = current.get(change.figure)
        before = (change.before, change.before_note) if change.before is not None else None
        rows.append(
            {
                "id": change.id,
                "code": change.figure,
                "figure": str(figure.name) if figure else change.figure,
                "kind": {CREATED: "created", DELETED: "deleted"}.get(change.kind, "changed"),
                "when": change.when,
                "who": _who(change.user),
                "reason": str(REASONS.get(change.reason, change.reason)),
                "before": _value_text(change.before, figure, currency),
                "before_note": change.before_note,
                "after": _value_text(change.after, figure, currency),
                "after_note": change.after_note,
                "restorable": before != now,
            }
        )
    return rows


@business_view()
def month_history_view(request: HttpRequest, business: Business, month: str) -> HttpResponse:
    when = _month_or_404(month)
    if request.method == "POST":
        form = RestoreForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest()
        try:
            summary = entry_restore(
                business=business,
                month=when,
                change_id=form.cleaned_data["restore"],
                user=request.user,
            )
        except Entry.DoesNotExist:
            raise Http404 from None
        if summary.created or summary.changed or summary.deleted:
            messages.success(request, _("The previous value is restored."))
        else:
            messages.info(request, _("Nothing to restore: the value is already that."))
        return redirect("metrics:month_history", business.pk, f"{when:%Y-%m}")
    engine = business_engine(business)
    stored = month_entries(business, [when])[when]
    rows = history_rows(
        month_history(business, when),
        figures=engine.figures,
        current={code: (entry.value, entry.note) for code, entry in stored.items()},
        currency=business.currency,
    )
    context = {
        **business_context(request, business, "months"),
        "month": when,
        "month_name": date_format(when, "YEAR_MONTH_FORMAT"),
        "rows": rows,
    }
    return render(request, "metrics/months/history.html", context)


urlpatterns: list[URLPattern] = [
    path(
        "b/<int:business_id>/months/<str:month>/history/",
        month_history_view,
        name="month_history",
    ),
]
