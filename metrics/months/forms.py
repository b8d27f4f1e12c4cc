"""The month form: one field per figure, with its note, grouped as people think of them."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.inputs import Form
from metrics.engine import FigureDef, Unit
from metrics.files.numbers import (
    NumberError,
    can_be_negative,
    format_for_input,
    parse_decimal,
    value_problem,
)
from metrics.formatting import currency_symbol, format_money, format_number


class RestoreForm(Form):
    restore = forms.IntegerField(min_value=1)


NOTE_PREFIX = "note-"


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
        return currency_symbol(currency)
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


def group_heading(group: str, currency: str) -> str:
    if group == "counts":
        return _("Customers, sales and other counts")
    if group == "money":
        return _("Money (%(symbol)s)") % {"symbol": currency_symbol(currency)}
    return _("Days, scores and positions")


_GROUPS: list[tuple[str, frozenset[Unit]]] = [
    ("counts", frozenset({Unit.COUNT})),
    ("money", frozenset({Unit.MONEY})),
    ("other", frozenset({Unit.DAYS, Unit.RANK, Unit.SCORE, Unit.PERCENT, Unit.RATIO, Unit.MONTHS})),
]


class FigureField(forms.CharField):
    """A figure typed as text: a decimal comma or point, in the user's language; blank is None."""

    def __init__(self, *, figure: FigureDef, language: str | None = None, **kwargs: Any) -> None:
        self.figure = figure
        self.language = language
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # parsed, not str
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


class MonthForm(Form):
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
        units = {figure.code: figure.unit for figure in figures}
        for code, (value, note) in stored.items():
            places = 2 if units.get(code) is Unit.MONEY else 0
            initial[code] = format_for_input(value, language, places=places)
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
        super().clean()
        cleaned = self.cleaned_data
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


class MonthChoiceForm(Form):
    """Go to any month, for example one before the first month logged."""

    month = forms.CharField(
        label=gettext_lazy("Month"),
        help_text=gettext_lazy("Year and month, for example 2025-03."),
        max_length=7,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "YYYY-MM"}),
    )
