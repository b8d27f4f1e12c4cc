"""The column-mapping step: for a header row the app does not know, the owner says once which
column is which, before the preview; the choice is kept for the business's next upload.

While the owner chooses, the upload waits in the cache (not in the session, which holds only
small things), under a token, for an hour at most; it is dropped once read.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.core.cache import cache
from django.utils.translation import gettext as _

from accounts.inputs import Form
from metrics.engine import FigureDef
from metrics.files.headers import (
    AMOUNT,
    CUSTOMER,
    DATE,
    IGNORE,
    LEDGER_REQUIRED,
    MONTH,
    ORDER,
    QUANTITY,
    RETURNED,
    NeedsMapping,
    headers_signature,
)
from metrics.models.business import Business
from metrics.models.imports import ImportMapping

Kind = ImportMapping.Kind

# How long an upload waits for its mapping.
WAIT_SECONDS = 60 * 60


def remembered_mappings(business: Business, kind: str) -> dict[str, list[str]]:
    """The business's mappings of one kind, by header signature (one query)."""
    rows = ImportMapping.objects.filter(business=business, kind=kind)
    return {row.headers_signature: list(row.mapping) for row in rows}


def mapping_remember(
    *, business: Business, kind: str, names: Sequence[str], mapping: Sequence[str]
) -> ImportMapping:
    """Keep (or replace) what the columns of this header row hold, for the next upload."""
    remembered, _created = ImportMapping.objects.update_or_create(
        business=business,
        kind=kind,
        headers_signature=headers_signature(names),
        defaults={"headers": list(names), "mapping": list(mapping)},
    )
    return remembered


def _key(business: Business, kind: str, token: str) -> str:
    return f"import-columns:{business.pk}:{kind}:{token}"


def upload_wait(business: Business, kind: str, *, raw: bytes, name: str, decimal: str) -> str:
    """Keep an upload until its columns are mapped; returns its token."""
    token = secrets.token_urlsafe(16)
    payload = {"raw": raw, "name": name, "decimal": decimal}
    cache.set(_key(business, kind, token), payload, WAIT_SECONDS)
    return token


def waiting_upload(business: Business, kind: str, token: str) -> dict[str, Any] | None:
    """The upload kept under ``token``, or None when it expired or never was."""
    payload = cache.get(_key(business, kind, token))
    return payload if isinstance(payload, dict) else None


def upload_done(business: Business, kind: str, token: str) -> None:
    cache.delete(_key(business, kind, token))


def _choices(kind: str, figures: Mapping[str, FigureDef]) -> list[tuple[str, str]]:
    ignore = (IGNORE, _("Ignore this column"))
    if kind == Kind.LEDGER:
        return [
            ignore,
            (DATE, _("Date of the sale")),
            (CUSTOMER, _("Customer (name, number or card)")),
            (AMOUNT, _("Amount of the sale")),
            (QUANTITY, _("Quantity (units sold)")),
            (ORDER, _("Order id (several lines of one order)")),
            (RETURNED, _("Returned (yes when the sale was given back)")),
        ]
    return [ignore, (MONTH, _("Month"))] + [
        (code, str(figure.name)) for code, figure in figures.items()
    ]


class MappingForm(Form):
    """One choice per column of the file, what it was recognised as chosen already."""

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        kind: str,
        needs: NeedsMapping,
        figures: Mapping[str, FigureDef],
    ) -> None:
        super().__init__(data)
        self.kind = kind
        self.names = needs.names
        choices = _choices(kind, figures)
        known = {value for value, _label in choices}
        for index, name in enumerate(needs.names):
            sample = needs.samples[index] if index < len(needs.samples) else ""
            guess = needs.guesses[index] if index < len(needs.guesses) else IGNORE
            field = forms.ChoiceField(
                label=_("Column %(number)d: “%(name)s”")
                % {"number": index + 1, "name": name or "—"},
                help_text=_("First value: %(value)s") % {"value": sample} if sample else "",
                choices=choices,
                required=False,
                initial=guess if guess in known else IGNORE,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[column_field(index)] = field

    def mapping(self) -> list[str]:
        return [
            self.cleaned_data.get(column_field(index), IGNORE) for index in range(len(self.names))
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        chosen = [target for target in self.mapping() if target != IGNORE]
        twice = sorted({target for target in chosen if chosen.count(target) > 1})
        labels = dict(_choices(self.kind, {}))
        for target in twice:
            self.add_error(None, _("Two columns are “%(what)s”; choose one.") % {
                "what": labels.get(target, target)
            })  # fmt: skip
        if self.kind == Kind.LEDGER:
            for target in LEDGER_REQUIRED:
                if target not in chosen:
                    self.add_error(None, _missing(target))
        else:
            if MONTH not in chosen:
                self.add_error(None, _("Choose the column with the month."))
            if not [target for target in chosen if target != MONTH]:
                self.add_error(None, _("Choose at least one column with a figure."))
        return cleaned


def _missing(target: str) -> str:
    if target == DATE:
        return _("Choose the column with the date of the sale.")
    if target == CUSTOMER:
        return _("Choose the column with the customer.")
    return _("Choose the column with the amount.")


def column_field(index: int) -> str:
    return f"column-{index}"
