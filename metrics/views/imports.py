"""What the figures-file and the sales-ledger imports share: the upload kept in the session
under a random token, the preview month by month, and the all-or-nothing confirmation."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from metrics.engine import Engine, MonthlyFigures
from metrics.forms_months import ConfirmForm, format_figure, overwrite_field
from metrics.models import Business
from metrics.selectors_months import ImportPreview, import_preview
from metrics.services import SaveSummary, entries_import

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
