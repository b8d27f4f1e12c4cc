"""The sales-list import: upload, the wait while a task reads a big file, preview, confirm.

The figures import and the column mapping share the upload steps in ``views``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.throttle import rate_limited
from metrics.access import BusinessAccess, business_view
from metrics.businesses.selectors import business_engine
from metrics.engine import parse_month
from metrics.files.cells import FileFormatError
from metrics.files.ledger import DERIVED_FIGURES
from metrics.imports.forms import (
    file_errors,
)
from metrics.imports.reading import (
    check_ledger,
    figures_from_json,
)
from metrics.imports.stored import stored_upload
from metrics.imports.views import (
    LEDGER_UPLOAD,
    PREVIEW_TEMPLATE,
    SESSION_LEDGER,
    confirm_import,
    stash_upload,
    stashed_upload,
    upload_page,
)
from metrics.models.imports import StoredUpload
from metrics.months.services import (
    REASON_LEDGER,
    SaveSummary,
)
from metrics.pages import business_context, current_month


def _done(summary: SaveSummary) -> str:
    text = _(
        "The sales ledger is imported: %(created)d new values and %(changed)d changed values "
        "are saved."
    ) % {"created": summary.created, "changed": summary.changed}
    if summary.kept:
        text += " " + _("%(kept)d values you had entered are kept.") % {"kept": summary.kept}
    return text


@business_view(write=True)
@rate_limited("upload")
def ledger_import(request: HttpRequest, access: BusinessAccess) -> HttpResponse:
    figures = business_engine(access.business).figures
    return upload_page(
        request,
        access,
        LEDGER_UPLOAD,
        template="metrics/months/ledger.html",
        context={"derived": [figures[code] for code in DERIVED_FIGURES]},
    )


@business_view(write=True)
def ledger_preview(request: HttpRequest, access: BusinessAccess, token: str) -> HttpResponse:
    business = access.business
    key = SESSION_LEDGER.format(business=business.pk)
    stash = stashed_upload(request, key, token)
    if stash is None:
        messages.warning(request, _("That upload is no longer available. Upload the file again."))
        return redirect("metrics:ledger_import", business.pk)
    engine = business_engine(business)
    figures = figures_from_json(stash["figures"])
    lines = {parse_month(label): line for label, line in stash["lines"].items()}
    context: dict[str, Any] = {
        **business_context(request, access, "months"),
        "upload_url": reverse("metrics:ledger_import", args=[business.pk]),
        "ledger": {
            "sales": stash["sales"],
            "returned": stash.get("returned", 0),
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


# How often the page that waits for a task's reading asks again, in seconds.
READING_REFRESH_SECONDS = 2


@business_view(write=True)
def ledger_reading(request: HttpRequest, access: BusinessAccess, token: str) -> HttpResponse:
    """The wait while a task reads a big sales list: the page refreshes itself (no script
    needed) until the preview is ready, or shows why the file was refused."""
    business = access.business
    upload_url = reverse("metrics:ledger_import", args=[business.pk])
    upload = stored_upload(business, token)
    if upload is None:
        messages.warning(request, _("That upload is no longer available. Upload the file again."))
        return redirect(upload_url)
    if request.method == "POST":
        upload.delete()
        messages.info(request, _("The upload is cancelled; nothing was saved."))
        return redirect(upload_url)
    if upload.state == StoredUpload.State.READY:
        key = SESSION_LEDGER.format(business=business.pk)
        preview_token = stash_upload(request, key, upload.result)
        upload.delete()
        return redirect("metrics:ledger_preview", business.pk, preview_token)
    context: dict[str, Any] = {
        **business_context(request, access, "months"),
        "upload": upload,
        "upload_url": upload_url,
        "refresh": READING_REFRESH_SECONDS,
    }
    if upload.state == StoredUpload.State.FAILED:
        # Shown once: the file is gone, the messages stay on this page.
        upload.delete()
        context.update(has_errors=True, problems=upload.result.get("problems", []))
    return render(request, "metrics/months/ledger_reading.html", context)
