"""Forms for logging a month's figures, and for uploading a figures file or a sales ledger."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from metrics.engine import FigureDef, FileFormatError, Row, Unit, csv_rows, decode_csv_bytes
from metrics.engine.sheets import looks_like_xlsx, sheet_rows
from metrics.formatting import CURRENCY_SYMBOLS, format_money, format_number
from metrics.parsing import (
    AmbiguousSeparatorError,
    Ledger,
    NumberError,
    can_be_negative,
    format_for_input,
    parse_decimal,
    read_figures_upload,
    read_ledger_upload,
    value_problem,
)

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# A figures file has a row per month or per value: far fewer than this.
MAX_FIGURES_ROWS = 20_000
# A year of a busy till is about 100,000 sales; ten megabytes hold several such years.
MAX_LEDGER_BYTES = 10 * 1024 * 1024
MAX_LEDGER_ROWS = 1_000_000
MAX_LISTED_ERRORS = 25
NOTE_PREFIX = "note-"
OVERWRITE_PREFIX = "overwrite-"
UPLOAD_ACCEPT = (
    ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)


def format_figure(value: Decimal, unit: Unit, currency: str) -> str:
    """A stored value for reading: money with its symbol, other numbers with their decimals."""
    if unit is Unit.MONEY:
        return format_money(value, currency)
    exponent = value.normalize().as_tuple().exponent
    places = min(4, max(0, -exponent)) if isinstance(exponent, int) else 0
    return format_number(value, places)


def unit_text(unit: Unit, currency: str) -> str:
    """What goes beside an input: the currency symbol, or the unit when it helps."""
    if unit is Unit.MONEY:
        return CURRENCY_SYMBOLS.get(currency, currency)
    if unit is Unit.PERCENT:
        return "%"
    if unit is Unit.DAYS:
        return _("days")
    if unit is Unit.MONTHS:
        return _("months")
    return ""


def other_values(
    stored: Mapping[str, tuple[Decimal, str]],
    asked: Collection[str],
    figures: Mapping[str, FigureDef],
    currency: str,
) -> list[dict[str, str]]:
    """Stored values the month form does not ask for, ready to show (they are kept as they are)."""
    rows = []
    for code, (value, note) in stored.items():
        if code in asked:
            continue
        figure = figures.get(code)
        rows.append(
            {
                "name": str(figure.name) if figure else code,
                "value": format_figure(value, figure.unit if figure else Unit.COUNT, currency),
                "note": note,
            }
        )
    return rows


_GROUPS: list[tuple[str, frozenset[Unit]]] = [
    ("counts", frozenset({Unit.COUNT})),
    ("money", frozenset({Unit.MONEY})),
    ("other", frozenset({Unit.DAYS, Unit.RANK, Unit.SCORE, Unit.PERCENT, Unit.RATIO, Unit.MONTHS})),
]


def group_heading(group: str, currency: str) -> str:
    if group == "counts":
        return _("Customers, sales and other counts")
    if group == "money":
        return _("Money (%(symbol)s)") % {"symbol": CURRENCY_SYMBOLS.get(currency, currency)}
    return _("Days, scores and positions")


class FigureField(forms.CharField):
    """A figure typed as text: a decimal comma or point, in the user's language; blank is None."""

    def __init__(self, *, figure: FigureDef, language: str | None = None, **kwargs: Any) -> None:
        self.figure = figure
        self.language = language
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        label = str(self.label or self.figure.name)
        try:
            number = parse_decimal(text, self.language, label)
        except NumberError as error:
            raise forms.ValidationError(error.message, code="invalid") from None
        problem = value_problem(self.figure, number, label)
        if problem:
            raise forms.ValidationError(problem, code="not_allowed")
        return number


@dataclass(frozen=True, slots=True)
class FigureRow:
    """One figure on the month page, with everything shown around its input."""

    figure: FigureDef
    field: forms.BoundField
    note: forms.BoundField
    unit: str
    previous: str | None
    current: str | None
    current_note: str
    signed: bool


@dataclass(frozen=True, slots=True)
class FigureGroup:
    key: str
    heading: str
    rows: list[FigureRow]


class MonthForm(forms.Form):
    """One text input per figure the tracked KPIs need, and an optional note for each."""

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        figures: Sequence[FigureDef],
        currency: str,
        stored: Mapping[str, tuple[Decimal, str]] | None = None,
        previous: Mapping[str, Decimal] | None = None,
        language: str | None = None,
    ) -> None:
        stored = stored or {}
        initial: dict[str, str] = {}
        for code, (value, note) in stored.items():
            initial[code] = format_for_input(value, language)
            initial[NOTE_PREFIX + code] = note
        super().__init__(data, initial=initial)
        self.figures = list(figures)
        self.currency = currency
        self.previous = previous or {}
        self.stored = stored
        for figure in self.figures:
            signed = can_be_negative(figure)
            self.fields[figure.code] = FigureField(
                figure=figure,
                language=language,
                label=str(figure.name),
                help_text=str(figure.description),
                widget=forms.TextInput(
                    attrs={
                        # A phone's decimal keypad has no minus key: signed figures get letters.
                        "inputmode": "text" if signed else "decimal",
                        "autocomplete": "off",
                        "spellcheck": "false",
                        "class": "form-control figure-input",
                        "aria-describedby": f"hint-{figure.code}",
                    }
                ),
            )
            self.fields[NOTE_PREFIX + figure.code] = forms.CharField(
                label=_("Note on %(figure)s") % {"figure": figure.name},
                required=False,
                max_length=300,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for figure in self.figures:
            note_name = NOTE_PREFIX + figure.code
            if (
                cleaned.get(note_name)
                and figure.code not in self.errors
                and cleaned.get(figure.code) is None
            ):
                self.add_error(
                    note_name,
                    _("A note needs a value: enter %(figure)s, or clear the note.")
                    % {"figure": figure.name},
                )
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        # Point each input with a problem at its message, and mark it for the eye.
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                described = attrs.get("aria-describedby", "")
                attrs["aria-describedby"] = f"error-{name} {described}".strip()
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()

    def values(self) -> dict[str, Decimal | None]:
        """Every asked figure: its value, or None when left blank (to delete what is stored)."""
        return {figure.code: self.cleaned_data.get(figure.code) for figure in self.figures}

    def notes(self) -> dict[str, str]:
        return {
            figure.code: self.cleaned_data.get(NOTE_PREFIX + figure.code, "")
            for figure in self.figures
        }

    def groups(self) -> list[FigureGroup]:
        """The figures in groups of like units, in catalogue order within each group."""
        groups = []
        for key, units in _GROUPS:
            rows = [
                FigureRow(
                    figure=figure,
                    field=self[figure.code],
                    note=self[NOTE_PREFIX + figure.code],
                    unit=unit_text(figure.unit, self.currency),
                    previous=format_figure(self.previous[figure.code], figure.unit, self.currency)
                    if figure.code in self.previous
                    else None,
                    current=format_figure(self.stored[figure.code][0], figure.unit, self.currency)
                    if figure.code in self.stored
                    else None,
                    current_note=self.stored[figure.code][1] if figure.code in self.stored else "",
                    signed=can_be_negative(figure),
                )
                for figure in self.figures
                if figure.unit in units
            ]
            if rows:
                groups.append(FigureGroup(key, group_heading(key, self.currency), rows))
        return groups


class MonthChoiceForm(forms.Form):
    """Go to any month, for example one before the first month logged."""

    month = forms.CharField(
        label=gettext_lazy("Month"),
        help_text=gettext_lazy("Year and month, for example 2025-03."),
        max_length=7,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "YYYY-MM"}),
    )


DECIMAL_CHOICES = [
    ("detect", gettext_lazy("Find out from the file")),
    ("point", gettext_lazy("Decimal point, as in 1234.50")),
    ("comma", gettext_lazy("Decimal comma, as in 1234,50")),
]


class _UploadForm(forms.Form):
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
        files: Mapping[str, Any] | None = None,
        *,
        figures: Mapping[str, FigureDef],
        last_month: date,
    ) -> None:
        super().__init__(data, files)
        self.known_figures = figures
        self.last_month = last_month


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
        self.text = ""
        # The rows of the first sheet, when the file is an Excel workbook.
        self.sheet: list[Row] | None = None
        self.ambiguous: AmbiguousSeparatorError | None = None

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        check_size(upload, MAX_UPLOAD_BYTES)
        raw = upload.read()
        try:
            if looks_like_xlsx(raw):
                self.sheet = list(sheet_rows(raw, max_rows=MAX_FIGURES_ROWS))
            else:
                self.text = decode_csv_bytes(raw)
        except FileFormatError as error:
            raise forms.ValidationError(file_errors(error, sheet=looks_like_xlsx(raw))) from None
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        choice = cleaned.get("decimal")
        try:
            cleaned["figures"] = read_figures_upload(
                self.sheet if self.sheet is not None else self.text,
                self.known_figures,
                last_month=self.last_month,
                decimal=None if choice == "detect" else choice,
            )
        except AmbiguousSeparatorError as error:
            # Not a mistake in the file: the next page asks which separator it uses.
            self.ambiguous = error
            cleaned["figures"] = None
        except FileFormatError as error:
            self.add_error("file", file_errors(error, sheet=self.sheet is not None))
        return cleaned


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
    more = len(error.errors) - MAX_LISTED_ERRORS
    if more > 0:
        messages.append(
            ngettext("… and %(count)d more problem.", "… and %(count)d more problems.", more)
            % {"count": more}
        )
    return messages


class SeparatorForm(forms.Form):
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.raw = b""
        self.sheet = False  # whether the file is an Excel workbook
        self.ledger: Ledger | None = None

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        check_size(upload, MAX_LEDGER_BYTES)
        self.raw = upload.read()
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        choice = cleaned.get("decimal")
        self.sheet = looks_like_xlsx(self.raw)
        try:
            rows: Iterable[Row] = (
                sheet_rows(self.raw, max_rows=MAX_LEDGER_ROWS)
                if self.sheet
                else csv_rows(decode_csv_bytes(self.raw))
            )
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


class ConfirmForm(forms.Form):
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
