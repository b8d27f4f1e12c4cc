"""Forms for setting up a business: its profile, its own figures and KPIs, goals and targets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.countries import currency_for, region_belongs
from accounts.inputs import ModelForm
from metrics.businesses.selectors import engine_for
from metrics.engine import CatalogueError, Engine, FormulaError
from metrics.engine.periods import PeriodError, parse_month
from metrics.files.numbers import NumberError, parse_decimal
from metrics.models.business import Business, CustomFigure, CustomKpi
from metrics.models.goals import Goal, Target


class DecimalInput(forms.CharField):
    """A text field for numbers that accepts a decimal comma; phones show a number keyboard."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # parsed, not str
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return None
        try:
            return parse_decimal(text)
        except NumberError as error:
            if error.code == "too_large":
                raise forms.ValidationError(
                    _("This number is too large."), code="too_large"
                ) from None
            raise forms.ValidationError(
                _("Enter a number, for example 1250 or 12,5."), code="invalid"
            ) from None


class MonthInput(forms.CharField):
    """A month typed as YYYY-MM (a native month picker where the browser has one)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"})
        )
        kwargs.setdefault("help_text", _("Year and month, for example 2026-01."))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%Y-%m") if isinstance(value, date) else value

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]  # parsed, not str
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return None
        try:
            return parse_month(text)
        except PeriodError:
            raise forms.ValidationError(
                _("Enter a month as year-month, for example 2026-01."), code="invalid"
            ) from None


class BusinessForm(ModelForm):
    class Meta:
        model = Business
        fields = ["name", "sells", "sector", "channel", "country", "region", "currency", "fy_start"]
        widgets = {"channel": forms.RadioSelect}
        help_texts = {
            "region": _("Only for Belgium: the rules for some trades differ by region."),
            "fy_start": _("Most businesses start in January."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].required = False

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not region_belongs(data.get("country", ""), data.get("region", "")):
            self.add_error("region", _("This region is not in the country you chose."))
        if not data.get("currency") and data.get("country"):
            data["currency"] = currency_for(data["country"])
        return data


class CustomFigureForm(ModelForm):
    class Meta:
        model = CustomFigure
        fields = ["code", "name", "description", "unit", "aggregation"]

    def __init__(self, *args: Any, business: Business, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.business = business

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        taken = set(self.business.custom_figures.values_list("code", flat=True)) | set(
            self.business.custom_kpis.values_list("code", flat=True)
        )
        if code in taken:
            raise forms.ValidationError(_("Your business already uses this code."))
        return code


class CustomKpiForm(ModelForm):
    """A KPI of one's own; the formula is checked against every figure and KPI known here."""

    class Meta:
        model = CustomKpi
        fields = ["code", "name", "description", "formula", "unit", "direction", "domain"]
        widgets = {"formula": forms.TextInput(attrs={"spellcheck": "false", "dir": "ltr"})}
        help_texts = {
            "formula": _(
                "Use figure and KPI codes, numbers, + − × ÷ written as + - * /, brackets, "
                "previous(code), months, min, max and abs. Example: revenue / orders"
            )
        }

    def __init__(
        self,
        *args: Any,
        business: Business,
        figures: list[CustomFigure],
        kpis: list[CustomKpi],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.business = business
        self.custom_figures = figures
        self.custom_kpis = [k for k in kpis if k.pk != self.instance.pk]
        self.engine: Engine | None = None

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        taken = {f.code for f in self.custom_figures} | {k.code for k in self.custom_kpis}
        if code in taken:
            raise forms.ValidationError(_("Your business already uses this code."))
        return code

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        candidate = CustomKpi(business=self.business, **{f: data.get(f) for f in self.Meta.fields})
        try:
            self.engine = engine_for(
                self.custom_figures, [*self.custom_kpis, candidate], strict=True
            )
        except (FormulaError, CatalogueError) as error:
            self.add_error("formula", str(error))
        return data


class GoalForm(ModelForm):
    deadline = MonthInput(label=_("Deadline"))

    class Meta:
        model = Goal
        fields = ["title", "deadline", "description"]
        help_texts = {"title": _("Where you want to be, e.g. €3,000 revenue a month by December.")}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class TargetForm(ModelForm):
    value = DecimalInput(label=_("Target value"))
    baseline = DecimalInput(
        label=_("Starting value (optional)"),
        required=False,
        help_text=_("If you give one, the expected value moves evenly from it to the target."),
    )
    tolerance = DecimalInput(
        label=_("Tolerance in %"),
        initial="10",
        help_text=_("How far from the target still counts as close. 10 is usual."),
    )
    first_month = MonthInput(label=_("First month"))
    deadline = MonthInput(label=_("Deadline"))

    class Meta:
        model = Target
        fields = ["kpi", "goal", "comparison", "value", "first_month", "deadline", "baseline"]
        widgets = {"comparison": forms.RadioSelect}

    def __init__(self, *args: Any, business: Business, kpi_choices: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kpi"] = forms.ChoiceField(label=_("KPI"), choices=kpi_choices)
        cast(forms.ModelChoiceField, self.fields["goal"]).queryset = business.goals.all()
        self.fields["goal"].required = False
        if self.instance.pk:
            self.initial["tolerance"] = str(self.instance.tolerance * 100).rstrip("0").rstrip(".")

    def clean_tolerance(self) -> Decimal:
        value = self.cleaned_data["tolerance"]
        if value is None or value < 0 or value > 100:
            raise forms.ValidationError(_("Enter a percentage between 0 and 100."))
        return value / 100

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        first, deadline = data.get("first_month"), data.get("deadline")
        if first and deadline and deadline < first:
            self.add_error("deadline", _("The deadline must be on or after the first month."))
        return data

    def save(self, commit: bool = True) -> Target:
        target = super().save(commit=False)
        target.tolerance = self.cleaned_data["tolerance"]
        if commit:
            target.save()
        return target


class CustomFigureEditForm(CustomFigureForm):
    """A figure of one's own, changed: its code stays, for formulas and entries use it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].disabled = True
        self.fields["code"].help_text = _("The code cannot change: formulas and entries use it.")

    def clean_code(self) -> str:
        return self.instance.code


class CustomKpiEditForm(CustomKpiForm):
    """A KPI of one's own, changed: its code stays, for other formulas and targets use it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].disabled = True
        self.fields["code"].help_text = _(
            "The code cannot change: other formulas and targets use it."
        )

    def clean_code(self) -> str:
        return self.instance.code
