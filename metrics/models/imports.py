"""What each column of a business's own spreadsheet holds, remembered for the next upload."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from metrics.models.business import Business


class ImportMapping(models.Model):
    """The columns of one header row, as the owner mapped them once (figures or a sales list).

    ``headers_signature`` tells two header rows apart without case, accents or spacing
    (``metrics.files.headers.headers_signature``); ``mapping`` holds, per column, what it is
    (``month``, a figure code, ``date``, ``amount``…) or "" to ignore it.
    """

    class Kind(models.TextChoices):
        FIGURES = "figures", _("figures file")
        LEDGER = "ledger", _("sales ledger")

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="import_mappings")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    headers_signature = models.CharField(_("header signature"), max_length=64)
    headers = models.JSONField(_("headers"), default=list)
    mapping = models.JSONField(_("mapping"), default=list)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        ordering = ["business", "kind", "-updated"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "kind", "headers_signature"], name="one_mapping_per_header"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {', '.join(self.headers)}"


class StoredUpload(models.Model):
    """A big sales list kept while a task reads it, then what the reading gave until it is seen.

    An upload over ``settings.LEDGER_TASK_BYTES`` is answered at once and read by a task
    (``metrics.imports.stored``). The file's bytes are emptied once read; the row goes when the
    owner opens the preview, cancels, or after ``STORED_UPLOAD_SECONDS``; a business keeps one.
    """

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting to be read")
        READY = "ready", _("read")
        FAILED = "failed", _("could not be read")

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="stored_uploads")
    token = models.CharField(_("token"), max_length=32, unique=True)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    raw = models.BinaryField(_("file"), default=b"")
    decimal = models.CharField(_("decimal separator"), max_length=10)
    language = models.CharField(_("language"), max_length=10)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    # What the preview needs (the derived figures, never the sales), or the problems found.
    result = models.JSONField(_("result"), default=dict)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored upload")
        verbose_name_plural = _("stored uploads")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.state})"
