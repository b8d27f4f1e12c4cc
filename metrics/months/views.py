"""The months: the list, the month form, and a month's history with restore."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metrics.access import BusinessAccess, business_view
from metrics.businesses.selectors import business_engine, tracked_codes
from metrics.comments.threads import thread
from metrics.engine import FigureDef, PeriodError, Unit, add_months, parse_month
from metrics.formatting import month_name
from metrics.models.comments import Comment
from metrics.models.entries import Entry
from metrics.months.forms import (
    MonthChoiceForm,
    MonthForm,
    RestoreForm,
    format_figure,
    other_values,
)
from metrics.months.history import CREATED, DELETED, EntryChange, month_history
from metrics.months.selectors import month_entries, month_statuses, needed_figures
from metrics.months.services import (
    REASON_FORM,
    REASON_IMPORT,
    REASON_LEDGER,
    REASON_RESTORE,
    entries_save_month,
    entry_restore,
)
from metrics.pages import business_context, current_month, last_complete_month


def _month_label(month: date) -> str:
    return month_name(month)


@business_view()
def month_list(request: HttpRequest, access: BusinessAccess) -> HttpResponse:
    business = access.business
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
        **business_context(request, access, "months"),
        "statuses": statuses,
        "needed_figures": [engine.figures[code] for code in needed],
        "form": chooser,
    }
    return render(request, "metrics/months/month_list.html", context)


@business_view()
def month_edit(request: HttpRequest, access: BusinessAccess, month: date) -> HttpResponse:
    business = access.business
    when = month
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
    shown = thread(
        business=business, user=request.user, on=Comment.On.MONTH, subject=f"{when:%Y-%m}"
    )
    context = {
        **business_context(request, access.after_reading(shown.new_count), "months"),
        "month": when,
        "previous_month": previous_month,
        "next_month": add_months(when, 1) if when < current_month() else None,
        "form": form,
        "groups": form.groups(),
        "other_values": other_values(stored, needed, engine.figures, business.currency),
        "thread": shown,
    }
    return render(request, "metrics/months/month_form.html", context)


REASONS = {
    REASON_FORM: gettext_lazy("Month page"),
    REASON_IMPORT: gettext_lazy("Figures file"),
    REASON_LEDGER: gettext_lazy("Sales ledger"),
    REASON_RESTORE: gettext_lazy("Restored from the history"),
}


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
def month_history_view(request: HttpRequest, access: BusinessAccess, month: date) -> HttpResponse:
    business = access.business
    when = month
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
    shown = thread(
        business=business, user=request.user, on=Comment.On.MONTH, subject=f"{when:%Y-%m}"
    )
    context = {
        **business_context(request, access.after_reading(shown.new_count), "months"),
        "month": when,
        "month_name": month_name(when),
        "rows": rows,
    }
    return render(request, "metrics/months/history.html", context)
