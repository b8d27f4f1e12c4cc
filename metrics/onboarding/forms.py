"""The guided start's forms: one question a page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.countries import country_for, region_belongs
from accounts.inputs import Form, ModelForm
from metrics.businesses.forms import DecimalInput
from metrics.models.business import Business


def has_regions(country_code: str | None) -> bool:
    country = country_for(country_code)
    return country is not None and bool(country.regions)


class StartBusinessForm(ModelForm):
    """Name, country, and the region only where the country has regions.

    Without JavaScript the region list cannot appear when the country changes, so it is shown
    for the country the page was drawn with; choosing another country with regions brings the
    page back with the region to choose.
    """

    class Meta:
        model = Business
        fields = ["name", "country", "region"]
        labels = {"name": _("Name of your business")}
        help_texts = {
            "name": _("The name customers know. You can change it later."),
            "region": _("Some rules for trades differ from one region to another."),
        }

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, initial: dict[str, Any], **kwargs: Any
    ) -> None:
        super().__init__(data, initial=initial, **kwargs)
        country = (data or {}).get("country", initial.get("country"))
        if has_regions(country):
            self.fields["region"].required = True
            self.fields["region"].error_messages["required"] = _("Choose your region.")
        else:
            del self.fields["region"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        country = data.get("country", "")
        if "region" not in self.fields:
            data["region"] = ""
            if has_regions(country):
                self.add_error("country", _("This country has regions: choose yours below."))
        elif not region_belongs(country, data.get("region", "")):
            self.add_error("region", _("This region is not in the country you chose."))
        return data


class ChannelForm(ModelForm):
    class Meta:
        model = Business
        fields = ["channel", "sector"]
        labels = {"channel": _("How do you sell?"), "sector": _("What kind of business is it?")}
        help_texts = {"channel": _("Choose the one that brings most of your money.")}
        widgets = {"channel": forms.RadioSelect}


class StarterKpisForm(Form):
    """The starter set, ticked, each with its "why I track this" note."""

    kpis = forms.MultipleChoiceField(
        label=_("KPIs to follow"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one KPI, or skip this step.")},
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        choices: Sequence[tuple[str, str]],
        whys: Mapping[str, str],
        ticked: Sequence[str],
    ) -> None:
        initial: dict[str, Any] = {"kpis": list(ticked)}
        initial.update({f"why_{code}": why for code, why in whys.items()})
        super().__init__(data, initial=initial)
        self.codes = [code for code, _name in choices]
        self.fields["kpis"].choices = list(choices)  # type: ignore[attr-defined]
        for code, name in choices:
            self.fields[f"why_{code}"] = forms.CharField(
                label=_("Why I track %(kpi)s") % {"kpi": name},
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def chosen(self) -> list[tuple[str, str]]:
        """The ticked KPIs in the page's order, each with its note."""
        ticked = set(self.cleaned_data["kpis"])
        return [(code, self.cleaned_data[f"why_{code}"]) for code in self.codes if code in ticked]


class FirstTargetForm(Form):
    kpi = forms.ChoiceField(label=_("KPI"))
    value = DecimalInput(
        label=_("Target value"),
        help_text=_(
            "Where lower is better (costs, customers lost), the KPI should stay at or below it; "
            "otherwise at or above it."
        ),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        choices: Sequence[tuple[str, str]],
        **kw: Any,
    ) -> None:
        super().__init__(data, **kw)
        self.fields["kpi"].choices = list(choices)  # type: ignore[attr-defined]
