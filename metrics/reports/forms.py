"""The report's choices: which quarter or year, and what to add to it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.inputs import Form
from metrics.engine import Period, PeriodError, PeriodKind, parse_period_label
from metrics.formatting import period_name


class ReportForm(Form):
    """Sent with GET, so a report is a link that can be bookmarked or shared."""

    period = forms.CharField(label=gettext_lazy("Quarter or year"), max_length=20)
    reflection = forms.BooleanField(
        label=gettext_lazy("Add my quarterly reflections"), required=False
    )
    comments = forms.BooleanField(label=gettext_lazy("Add my mentors' comments"), required=False)

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        periods: Sequence[Period],
        fy_start: int,
        default: Period,
    ) -> None:
        super().__init__(data, initial={"period": default.label})
        self.fy_start = fy_start
        choices = [(period.label, period_name(period)) for period in periods]
        if default.label not in {label for label, _name in choices}:
            choices.insert(0, (default.label, period_name(default)))
        self.fields["period"].widget = forms.Select(choices=choices, attrs={"class": "form-select"})

    def clean_period(self) -> Period:
        text = self.cleaned_data["period"]
        try:
            period = parse_period_label(text, self.fy_start)
        except PeriodError:
            period = None
        if period is None or period.kind is PeriodKind.MONTH:
            raise forms.ValidationError(
                _("Choose a quarter (such as 2025-Q1) or a year (such as 2025).")
            )
        return period
