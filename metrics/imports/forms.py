"""Upload forms for figures files and sales ledgers, and the confirmation form."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from accounts.inputs import Form
from metrics.engine import FigureDef, MonthlyFigures
from metrics.files.cells import FileFormatError, Row
from metrics.files.csv import csv_rows, decode_csv_bytes, iter_csv_rows
from metrics.files.file_numbers import DecimalSeparator
from metrics.files.headers import (
    NeedsMapping,
    headers_signature,
    prepare_figures_rows,
    prepare_ledger_rows,
)
from metrics.files.xlsx import looks_like_xlsx, sheet_rows
from metrics.imports.reading import (
    AmbiguousSeparatorError,
    Ledger,
    figure_lines,
    figures_to_json,
    lines_to_json,
    read_figures_upload,
    read_ledger_upload,
)

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


# A figures file has a row per month or per value: far fewer than this.
MAX_FIGURES_ROWS = 20_000


# A year of a busy till is about 100,000 sales; ten megabytes hold several such years.
MAX_LEDGER_BYTES = 10 * 1024 * 1024


MAX_LEDGER_ROWS = 1_000_000


MAX_LISTED_ERRORS = 25


OVERWRITE_PREFIX = "overwrite-"


UPLOAD_ACCEPT = (
    ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)


DECIMAL_CHOICES = [
    ("detect", gettext_lazy("Find out from the file")),
    ("point", gettext_lazy("Decimal point, as in 1234.50")),
    ("comma", gettext_lazy("Decimal comma, as in 1234,50")),
]


class _UploadForm(Form):
    """A file to read and the decimal separator it uses; subclasses name the file field."""

    decimal = forms.ChoiceField(
        label=gettext_lazy("Decimal separator in the file"),
        choices=DECIMAL_CHOICES,
        initial="detect",
        widget=forms.RadioSelect,
    )
    field_order = ["file", "decimal"]

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        files: MultiValueDict[str, UploadedFile] | None = None,
        *,
        figures: Mapping[str, FigureDef],
        last_month: date,
        mappings: Mapping[str, list[str]] | None = None,
    ) -> None:
        super().__init__(data, files)
        self.known_figures = figures
        self.last_month = last_month
        # The business's remembered column mappings, by header signature.
        self.mappings = mappings or {}
        # Set when the header row is not known: the columns must be mapped first.
        self.needs_mapping: NeedsMapping | None = None
        self.raw = b""

    def mapping_for(self, needs: NeedsMapping) -> list[str] | None:
        """The remembered mapping of this header row, if the business has one."""
        return self.mappings.get(headers_signature(needs.names))


class ImportForm(_UploadForm):
    """A figures file and its decimal separator; cleaning reads and checks the whole file."""

    file = forms.FileField(
        label=gettext_lazy("Figures file (CSV)"),
        help_text=gettext_lazy(
            "One row per month (month,revenue,visitors,…) or one row per value "
            "(month,figure,value). Comma or semicolon separated, at most 2 MB."
        ),
        widget=forms.FileInput(attrs={"accept": UPLOAD_ACCEPT, "class": "form-control"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The file's rows: a CSV file's lines, or the first sheet of an Excel workbook; once
        # cleaned, with the canonical header and months (metrics.files.headers).
        self.rows: list[Row] = []
        self.sheet = False  # whether the file is an Excel workbook
        self.ambiguous: AmbiguousSeparatorError | None = None

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        check_size(upload, MAX_UPLOAD_BYTES)
        # Kept only while the columns may still have to be chosen (the mapping step).
        raw = self.raw = upload.read()
        self.sheet = looks_like_xlsx(raw)
        try:
            if self.sheet:
                self.rows = list(sheet_rows(raw, max_rows=MAX_FIGURES_ROWS))
            else:
                self.rows = csv_rows(decode_csv_bytes(raw))
        except FileFormatError as error:
            raise forms.ValidationError(file_errors(error, sheet=self.sheet)) from None
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.errors:
            return cleaned
        choice = cleaned.get("decimal")
        cleaned["figures"] = None
        try:
            self.rows = self._prepared()
            if self.needs_mapping:
                return cleaned
            cleaned["figures"] = self._read(None if choice == "detect" else choice)
        except AmbiguousSeparatorError as error:
            # Not a mistake in the file: the next page asks which separator it uses.
            self.ambiguous = error
            cleaned["figures"] = None
        except FileFormatError as error:
            self.add_error("file", file_errors(error, sheet=self.sheet))
        # The rows are read; the file itself is not kept.
        self.raw = b""
        return cleaned

    def _read(self, decimal: DecimalSeparator | None) -> MonthlyFigures:
        return read_figures_upload(
            self.rows, self.known_figures, last_month=self.last_month, decimal=decimal
        )

    def payload(self) -> dict[str, Any]:
        """What is kept until the confirmation: the figures read, never the file itself.

        When the decimal separator is in doubt, the file is read both ways now, so the answer
        picks one reading; a reading with problems keeps only its messages.
        """
        kept: dict[str, Any] = {
            "sheet": self.sheet,
            "lines": lines_to_json(figure_lines(self.rows)),
        }
        figures = self.cleaned_data.get("figures")
        if figures is not None:
            kept["figures"] = figures_to_json(figures)
            return kept
        assert self.ambiguous is not None
        choices: dict[str, Any] = {}
        for separator in ("point", "comma"):
            try:
                choices[separator] = {"figures": figures_to_json(self._read(separator))}
            except FileFormatError as error:
                choices[separator] = {"problems": file_errors(error, sheet=self.sheet)}
        example = self.ambiguous.example
        kept["choices"] = choices
        kept["doubts"] = [str(problem) for problem in self.ambiguous.errors]
        kept["example"] = (
            None
            if example is None
            else {
                "month": f"{example.month:%Y-%m}",
                "code": example.code,
                "with_point": str(example.with_point),
                "with_comma": str(example.with_comma),
            }
        )
        return kept

    def _prepared(self) -> list[Row]:
        """The rows read, with the header recognised or mapped; [] when it must be mapped."""
        rows = self.rows
        language = get_language()
        try:
            return prepare_figures_rows(rows, self.known_figures, language=language)
        except NeedsMapping as needs:
            mapping = self.mapping_for(needs)
            if mapping is None:
                self.needs_mapping = needs
                return []
            return prepare_figures_rows(
                rows, self.known_figures, language=language, mapping=mapping
            )


def check_size(upload: UploadedFile, limit: int) -> None:
    """Refuse a file over ``limit`` bytes, saying how big it is."""
    if upload.size is not None and upload.size > limit:
        raise forms.ValidationError(
            _("The file is %(size)s; it can be at most %(limit)s. Split it into years.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )


def file_errors(error: FileFormatError, *, sheet: bool = False) -> list[str]:
    """A file's problems line by line (row by row in a sheet), the first few when many."""
    if sheet:
        messages = [
            _("Row %(row)d: %(message)s") % {"row": problem.line, "message": problem.message}
            for problem in error.errors[:MAX_LISTED_ERRORS]
        ]
    else:
        messages = [str(problem) for problem in error.errors[:MAX_LISTED_ERRORS]]
    more = len(error.errors) + error.more - MAX_LISTED_ERRORS
    if more > 0:
        messages.append(
            ngettext("… and %(count)d more problem.", "… and %(count)d more problems.", more)
            % {"count": more}
        )
    return messages


class SeparatorForm(Form):
    decimal = forms.ChoiceField(
        label=gettext_lazy("Which decimal separator does the file use?"),
        choices=DECIMAL_CHOICES[1:],
        widget=forms.RadioSelect,
    )


class LedgerForm(_UploadForm):
    """A sales ledger; cleaning reads every sale and derives the monthly figures."""

    file = forms.FileField(
        label=gettext_lazy("Sales ledger (CSV or Excel)"),
        help_text=gettext_lazy(
            "One row per sale with the columns date, customer, amount and, if you have it, "
            "quantity. A CSV file, or the first sheet of an Excel workbook (.xlsx); at most "
            "10 MB."
        ),
        widget=forms.FileInput(attrs={"accept": UPLOAD_ACCEPT, "class": "form-control"}),
    )

    def __init__(self, *args: Any, defer: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sheet = False  # whether the file is an Excel workbook
        self.ledger: Ledger | None = None
        # With ``defer``, a file over settings.LEDGER_TASK_BYTES is only checked up to its
        # header here; ``deferred`` then says a task must read it (metrics.imports.stored).
        self.defer = defer
        self.deferred = False

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        check_size(upload, MAX_LEDGER_BYTES)
        self.raw = upload.read()
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.errors:
            return cleaned
        choice = cleaned.get("decimal")
        self.sheet = looks_like_xlsx(self.raw)
        try:
            if self.defer and len(self.raw) > settings.LEDGER_TASK_BYTES:
                # Only the header now (it may need its columns chosen); the rest in a task.
                self._prepared(header_only=True)
                self.deferred = not self.needs_mapping
                return cleaned
            rows = self._prepared()
            if self.needs_mapping:
                return cleaned
            self.ledger = read_ledger_upload(
                rows,
                self.known_figures,
                last_month=self.last_month,
                decimal=None if choice == "detect" else choice,
            )
        except FileFormatError as error:
            self.add_error("file", file_errors(error, sheet=self.sheet))
        # The rows are read; the derived figures are all that is kept.
        self.raw = b""
        return cleaned

    def payload(self) -> dict[str, Any] | None:
        """What is kept until the confirmation: the derived figures, never the sales themselves."""
        ledger = self.ledger
        if ledger is None:
            return None
        return {
            "figures": figures_to_json(ledger.figures),
            "lines": {f"{month:%Y-%m}": line for month, line in ledger.month_lines.items()},
            "sales": ledger.sales,
            "returned": ledger.returned,
            "first_day": ledger.first_day.isoformat(),
            "last_day": ledger.last_day.isoformat(),
            "sheet": self.sheet,
        }

    def _prepared(self, *, header_only: bool = False) -> Iterable[Row]:
        raw, sheet = self.raw, self.sheet
        text = "" if sheet else decode_csv_bytes(raw)

        def read() -> Iterable[Row]:
            # Row by row, each time: a big file's rows are never all held at once.
            rows = sheet_rows(raw, max_rows=MAX_LEDGER_ROWS) if sheet else iter_csv_rows(text)
            # The header and the first sale tell whether the columns are known.
            return itertools.islice(rows, 2) if header_only else rows

        language = get_language()
        try:
            return prepare_ledger_rows(read, language=language)
        except NeedsMapping as needs:
            mapping = self.mapping_for(needs)
            if mapping is None:
                self.needs_mapping = needs
                return []
            return prepare_ledger_rows(read, language=language, mapping=mapping)


class ConfirmForm(Form):
    """What the person saw in the preview, to check it still holds when they confirm.

    With ``conflicts`` (months where the file differs from what is stored), a box per month
    says whether to overwrite the stored values; unticked, they are kept.
    """

    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        conflicts: Sequence[date] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.conflicts = list(conflicts)
        for month in self.conflicts:
            self.fields[overwrite_field(month)] = forms.BooleanField(
                required=False,
                label=_("Replace the figures I entered for this month with those from the file"),
            )

    def kept_months(self) -> list[date]:
        """The months whose stored values stay, because their box is not ticked."""
        return [
            month for month in self.conflicts if not self.cleaned_data.get(overwrite_field(month))
        ]


def overwrite_field(month: date) -> str:
    return f"{OVERWRITE_PREFIX}{month:%Y-%m}"
