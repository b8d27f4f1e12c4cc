"""Big sales lists: kept in the database and read by a task, so the upload is answered at once.

Reading ten megabytes of sales takes seconds; a request should not. An upload over
``settings.LEDGER_TASK_BYTES`` is checked up to its header in the request (a header the app does
not know goes to the column-mapping step first), kept as a ``StoredUpload``, and read by
``read_stored_upload`` through Django's tasks framework: in the request itself with the
``ImmediateBackend`` of the embedded default, by ``manage.py db_worker`` in production. The
person waits on a page that refreshes itself until the reading is there.

What is kept is bounded: one upload per business (a new one replaces it), at most
``MAX_LEDGER_BYTES``, its bytes emptied once read, the row removed when the preview opens,
on cancel, or ``STORED_UPLOAD_SECONDS`` after the upload, whatever the task did.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.tasks import task
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from metrics.businesses.selectors import business_engine
from metrics.imports.forms import LedgerForm
from metrics.imports.mapping import Kind, remembered_mappings
from metrics.models.business import Business
from metrics.models.imports import StoredUpload
from metrics.pages import current_month

logger = logging.getLogger(__name__)

State = StoredUpload.State


def _expired() -> QuerySet[StoredUpload]:
    since = timezone.now() - timedelta(seconds=settings.STORED_UPLOAD_SECONDS)
    return StoredUpload.objects.filter(created__lt=since)


def stored_uploads_forget_expired() -> int:
    """Remove every kept upload past ``STORED_UPLOAD_SECONDS``; the scheduler calls it hourly.

    Uploads are also removed when the next one arrives or their page is opened, but a person
    who never comes back must not leave their sales list in the database.
    """
    return _expired().delete()[0]


def stored_upload_keep(
    *, business: Business, raw: bytes, name: str, decimal: str, language: str
) -> StoredUpload:
    """Keep an upload for ``read_stored_upload`` and queue it; returns the kept upload.

    The business's earlier kept upload, and every expired one, go first.
    """
    _expired().delete()
    StoredUpload.objects.filter(business=business).delete()
    upload = StoredUpload.objects.create(
        business=business,
        token=secrets.token_urlsafe(16),
        name=name[:255],
        size=len(raw),
        raw=raw,
        decimal=decimal,
        language=language,
        state=State.WAITING,
    )
    read_stored_upload.enqueue(upload_id=upload.pk)
    return upload


def stored_upload(business: Business, token: str) -> StoredUpload | None:
    """The business's kept upload under ``token``, unless it expired (then it is removed)."""
    upload = StoredUpload.objects.filter(business=business, token=token).first()
    if upload is None:
        return None
    if _expired().filter(pk=upload.pk).delete()[0]:
        return None
    return upload


@task()
def read_stored_upload(*, upload_id: int) -> str:
    """Read a kept sales list as the upload form reads it; keep the result, drop the bytes.

    Whatever goes wrong ends in the failed state with a message, so the waiting page never
    waits for ever.
    """
    upload = StoredUpload.objects.select_related("business").filter(pk=upload_id).first()
    if upload is None or upload.state != State.WAITING:
        return "gone"
    business = upload.business
    try:
        with translation.override(upload.language):
            form = LedgerForm(
                {"decimal": upload.decimal},
                MultiValueDict({"file": [SimpleUploadedFile(upload.name, bytes(upload.raw))]}),
                figures=business_engine(business).figures,
                last_month=current_month(),
                mappings=remembered_mappings(business, Kind.LEDGER),
                defer=False,
            )
            payload = form.payload() if form.is_valid() else None
            if payload is not None:
                upload.state, upload.result = State.READY, payload
            else:
                problems = [str(error) for error in form.errors.get("file", [])]
                if form.needs_mapping is not None:
                    problems = [_("The columns of this file are no longer known. Upload it again.")]
                upload.state, upload.result = State.FAILED, {"problems": problems}
    except Exception:
        logger.exception("A stored upload could not be read.")
        with translation.override(upload.language):
            problems = [_("The file could not be read. Upload it again.")]
        upload.state, upload.result = State.FAILED, {"problems": problems}
    # An update, not a save: the owner may have cancelled (or replaced) it in the meantime.
    StoredUpload.objects.filter(pk=upload.pk).update(
        state=upload.state, result=upload.result, raw=b""
    )
    return str(upload.state)
