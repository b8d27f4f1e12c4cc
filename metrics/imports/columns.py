"""The column-mapping step's pages: which column is which, once per header row."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from metrics.access import BusinessAccess, business_view
from metrics.businesses.selectors import business_engine
from metrics.files.headers import headers_signature
from metrics.imports.forms import ImportForm, LedgerForm
from metrics.imports.mapping import (
    Kind,
    MappingForm,
    mapping_remember,
    upload_done,
    waiting_upload,
)
from metrics.imports.views import FIGURES_UPLOAD, LEDGER_UPLOAD, upload_accepted
from metrics.pages import business_context, current_month


@business_view(write=True)
def figures_columns(request: HttpRequest, access: BusinessAccess, token: str) -> HttpResponse:
    return _columns(request, access, token, Kind.FIGURES)


@business_view(write=True)
def ledger_columns(request: HttpRequest, access: BusinessAccess, token: str) -> HttpResponse:
    return _columns(request, access, token, Kind.LEDGER)


def _read(
    waiting: dict[str, Any], kind: str, access: BusinessAccess, mappings: dict[str, list[str]]
) -> ImportForm | LedgerForm:
    """The waiting upload read again, as its upload form reads it, with ``mappings``."""
    form_class = ImportForm if kind == Kind.FIGURES else LedgerForm
    upload = SimpleUploadedFile(waiting["name"], waiting["raw"])
    form = form_class(
        {"decimal": waiting["decimal"]},
        MultiValueDict({"file": [upload]}),
        figures=business_engine(access.business).figures,
        last_month=current_month(),
        mappings=mappings,
    )
    form.is_valid()
    return form


def _accepted(request: HttpRequest, access: BusinessAccess, form: Any) -> HttpResponse | None:
    upload = FIGURES_UPLOAD if isinstance(form, ImportForm) else LEDGER_UPLOAD
    return upload_accepted(request, access.business, form, upload)


def _columns(request: HttpRequest, access: BusinessAccess, token: str, kind: str) -> HttpResponse:
    business = access.business
    upload_url = reverse(
        "metrics:import" if kind == Kind.FIGURES else "metrics:ledger_import", args=[business.pk]
    )
    waiting = waiting_upload(business, kind, token)
    if waiting is None:
        messages.warning(request, _("That upload is no longer available. Upload the file again."))
        return redirect(upload_url)
    first = _read(waiting, kind, access, {})
    needs = first.needs_mapping
    if needs is None:
        # Known columns after all (or a file that cannot be read): nothing to map.
        response = _accepted(request, access, first) if first.is_valid() else None
        if response is not None:
            upload_done(business, kind, token)
            return response
        messages.warning(request, _("This file has no columns to choose. Upload it again."))
        return redirect(upload_url)
    form = MappingForm(
        request.POST if request.method == "POST" else None,
        kind=kind,
        needs=needs,
        figures=business_engine(business).figures,
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        mapping_remember(business=business, kind=kind, names=needs.names, mapping=mapping)
        upload = _read(waiting, kind, access, {headers_signature(needs.names): mapping})
        response = _accepted(request, access, upload) if upload.is_valid() else None
        if response is not None:
            upload_done(business, kind, token)
            return response
        problems = [str(error) for error in upload.errors.get("file", [])]
    context = {
        **business_context(request, access, "months"),
        "form": form,
        "problems": problems,
        "upload_url": upload_url,
        "file_name": waiting["name"],
        "ledger": kind == Kind.LEDGER,
    }
    return render(request, "metrics/months/import_columns.html", context)
