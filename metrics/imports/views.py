"""Figures files: upload, preview, confirm; and the upload steps the sales list shares."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.throttle import rate_limited, refused
from metrics.access import BusinessAccess, business_view
from metrics.businesses.selectors import business_engine
from metrics.engine import Engine, MonthlyFigures, parse_month
from metrics.files.cells import FileFormatError
from metrics.imports.forms import (
    ConfirmForm,
    ImportForm,
    LedgerForm,
    SeparatorForm,
    file_errors,
    overwrite_field,
)
from metrics.imports.mapping import Kind, remembered_mappings, upload_wait
from metrics.imports.reading import (
    check_figures,
    figures_from_json,
    lines_from_json,
)
from metrics.imports.selectors import ImportPreview, import_preview
from metrics.imports.stored import stored_upload_keep
from metrics.models.business import Business
from metrics.months.forms import format_figure
from metrics.months.services import (
    REASON_IMPORT,
    SaveSummary,
    entries_import,
)
from metrics.pages import business_context, current_month


@dataclass(frozen=True, slots=True)
class Upload:
    """One of the two uploads: its form, where its columns are chosen, where it is previewed."""

    kind: str
    form_class: type[ImportForm] | type[LedgerForm]
    session_key: str
    columns: str
    preview: str


SESSION_IMPORT = "figures_import:{business}"
SESSION_LEDGER = "ledger_import:{business}"
FIGURES_UPLOAD = Upload(
    Kind.FIGURES,
    ImportForm,
    SESSION_IMPORT,
    "metrics:import_columns",
    "metrics:import_preview",
)
LEDGER_UPLOAD = Upload(
    Kind.LEDGER,
    LedgerForm,
    SESSION_LEDGER,
    "metrics:ledger_columns",
    "metrics:ledger_preview",
)


def upload_page(
    request: HttpRequest,
    access: BusinessAccess,
    upload: Upload,
    *,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The upload form of either kind: refused over the rate limit, else read and sent on."""
    business = access.business
    posted = request.method == "POST"
    form = upload.form_class(
        request.POST if posted else None,
        request.FILES if posted else None,
        figures=business_engine(business).figures,
        last_month=current_month(),
        mappings=remembered_mappings(business, upload.kind) if posted else {},
    )
    if posted and not refused(request, form) and form.is_valid():
        response = upload_accepted(request, business, form, upload)
        if response is not None:
            return response
    page = {**business_context(request, access, "months"), **context, "form": form}
    return render(request, template, page)


def upload_accepted(
    request: HttpRequest, business: Business, form: ImportForm | LedgerForm, upload: Upload
) -> HttpResponse | None:
    """Where a valid upload goes: the mapping step when its columns are unknown, the reading
    page when a task reads it, else the preview (None when there is nothing to show)."""
    if form.needs_mapping is not None:
        token = upload_wait(
            business,
            upload.kind,
            raw=form.raw,
            name=form.cleaned_data["file"].name,
            decimal=form.cleaned_data["decimal"],
        )
        return redirect(upload.columns, business.pk, token)
    if isinstance(form, LedgerForm) and form.deferred:
        kept = stored_upload_keep(
            business=business,
            raw=form.raw,
            name=form.cleaned_data["file"].name,
            decimal=form.cleaned_data["decimal"],
            language=get_language(),
        )
        return redirect("metrics:ledger_reading", business.pk, kept.token)
    # What was read (both readings when the separator is in doubt), never the file.
    payload = form.payload()
    if payload is None:
        return None
    token = stash_upload(request, upload.session_key.format(business=business.pk), payload)
    return redirect(upload.preview, business.pk, token)


@business_view(write=True)
@rate_limited("upload")
def figures_import(request: HttpRequest, access: BusinessAccess) -> HttpResponse:
    return upload_page(
        request, access, FIGURES_UPLOAD, template="metrics/months/import.html", context={}
    )


@business_view(write=True)
def figures_import_preview(
    request: HttpRequest, access: BusinessAccess, token: str
) -> HttpResponse:
    business = access.business
    key = SESSION_IMPORT.format(business=business.pk)
    stash = stashed_upload(request, key, token)
    if stash is None:
        messages.warning(request, _("That upload is no longer available. Upload the file again."))
        return redirect("metrics:import", business.pk)
    engine = business_engine(business)
    context: dict[str, Any] = {
        **business_context(request, access, "months"),
        "token": token,
        "upload_url": reverse("metrics:import", args=[business.pk]),
    }
    if "choices" in stash:
        return _separator_step(request, business, token, stash, context)
    problems = stash.get("problems")
    figures = figures_from_json(stash.get("figures", {}))
    if problems is None:
        try:
            # Checked again: a month may still be in the future, a figure may be gone.
            check_figures(
                figures,
                engine.figures,
                last_month=current_month(),
                lines=lines_from_json(stash["lines"]),
            )
        except FileFormatError as error:
            problems = file_errors(error, sheet=stash["sheet"])
    if problems:
        context.update(has_errors=True, problems=problems)
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


PREVIEW_TEMPLATE = "metrics/months/import_preview.html"


def stash_upload(request: HttpRequest, key: str, payload: dict[str, Any]) -> str:
    """Keep what an upload gave until it is confirmed (one per key); returns its token."""
    token = secrets.token_urlsafe(16)
    request.session[key] = {**payload, "token": token}
    return token


def stashed_upload(request: HttpRequest, key: str, token: str) -> dict[str, Any] | None:
    """The kept upload, if ``token`` is the one it was kept under."""
    stash = request.session.get(key)
    if not isinstance(stash, dict) or not secrets.compare_digest(
        str(stash.get("token", "")), token
    ):
        return None
    return stash


def preview_months(
    preview: ImportPreview, engine: Engine, currency: str, confirm: ConfirmForm | None = None
) -> list[dict[str, Any]]:
    """Each month of a preview as rows to show: new first, then changed, then the same.

    A month that ``confirm`` asks about carries its overwrite box.
    """
    asked = set(confirm.conflicts) if confirm is not None else set()
    months = []
    for month in preview.months:
        rows = []
        for kind, changes in (
            ("new", month.new),
            ("changed", month.changed),
            ("unchanged", month.unchanged),
        ):
            for change in changes:
                figure = engine.figures[change.code]
                rows.append(
                    {
                        "kind": kind,
                        "code": change.code,
                        "name": figure.name,
                        "old": None
                        if change.old is None
                        else format_figure(change.old, figure.unit, currency),
                        "new": format_figure(change.new, figure.unit, currency),
                    }
                )
        months.append(
            {
                "month": month.month,
                "open": month.has_changes,
                "new": len(month.new),
                "changed": len(month.changed),
                "unchanged": len(month.unchanged),
                "rows": rows,
                "overwrite": confirm[overwrite_field(month.month)]
                if confirm is not None and month.month in asked
                else None,
            }
        )
    return months


def confirm_import(
    request: HttpRequest,
    business: Business,
    *,
    figures: MonthlyFigures,
    engine: Engine,
    key: str,
    reason: str,
    choose_overwrite: bool,
    done: Callable[[SaveSummary], str],
    context: dict[str, Any],
) -> HttpResponse:
    """Show what importing ``figures`` would do, or do it when the person confirms.

    The confirmation holds only if the stored figures are still those the person saw. With
    ``choose_overwrite``, each month whose stored values differ has a box to overwrite them;
    unticked, they are kept.
    """
    preview = import_preview(business, figures)
    conflicts = [month.month for month in preview.months if month.changed]
    conflicts = conflicts if choose_overwrite else []
    if request.method == "POST" and "fingerprint" in request.POST:
        confirm = ConfirmForm(request.POST, conflicts=conflicts)
        if confirm.is_valid() and confirm.cleaned_data["fingerprint"] == preview.fingerprint:
            summary = entries_import(
                business=business,
                figures=figures,
                user=request.user,
                reason=reason,
                keep=confirm.kept_months(),
            )
            del request.session[key]
            messages.success(request, done(summary))
            return redirect("metrics:months", business.pk)
        messages.warning(
            request,
            _("The stored figures changed after you saw this preview. Check it again."),
        )
    confirm = ConfirmForm(initial={"fingerprint": preview.fingerprint}, conflicts=conflicts)
    context.update(
        preview=preview,
        preview_months=preview_months(preview, engine, business.currency, confirm),
        confirm=confirm,
        choose_overwrite=bool(conflicts),
    )
    return render(request, PREVIEW_TEMPLATE, context)


def _separator_step(
    request: HttpRequest,
    business: Business,
    token: str,
    stash: dict[str, Any],
    context: dict[str, Any],
) -> HttpResponse:
    """Ask which decimal separator the file uses; the answer keeps one of the two readings."""
    separator = SeparatorForm(request.POST if "decimal" in request.POST else None)
    if separator.is_valid():
        # The file was read both ways at upload; the answer keeps one reading.
        stash.update(stash.pop("choices")[separator.cleaned_data["decimal"]])
        request.session.modified = True
        return redirect("metrics:import_preview", business.pk, token)
    example = stash["example"]
    context.update(
        form=separator,
        ambiguous={"errors": stash["doubts"]},
        example=None
        if example is None
        else {
            "month": parse_month(example["month"]),
            "code": example["code"],
            "with_point": Decimal(example["with_point"]),
            "with_comma": Decimal(example["with_comma"]),
        },
    )
    return render(request, "metrics/months/import_separator.html", context)
