"""The programme layer's forms: a cohort, a coordinator's invitation, joining and consent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.countries import COUNTRY_CHOICES
from accounts.inputs import Form
from metrics.engine import Period
from metrics.formatting import period_name
from metrics.models.business import Business
from metrics.models.programmes import Consent


class CohortForm(Form):
    name = forms.CharField(label=_("Name of the cohort"), max_length=120)
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRY_CHOICES)


class CoordinatorInviteForm(Form):
    email = forms.EmailField(
        label=_("Email address of the new coordinator"),
        max_length=254,
        help_text=_("We send them a link that works once, for 14 days."),
    )


class ConsentForm(Form):
    """What the programme may see; the more private choice comes first and is preselected."""

    consent = forms.ChoiceField(
        label=_("What may the programme see?"),
        choices=Consent.choices,
        initial=Consent.AGGREGATE,
        widget=forms.RadioSelect,
    )


class JoinForm(ConsentForm):
    business = forms.ModelChoiceField(
        label=_("Which business joins?"), queryset=Business.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, businesses: QuerySet[Business], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["business"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = businesses
        self.order_fields(["business", "consent"])


class FunderQuarterForm(Form):
    """The funder report's quarter, sent with GET so that a report is a link to share."""

    quarter = forms.ChoiceField(label=_("Quarter"))

    def __init__(self, data: Any = None, *, quarters: Sequence[Period], initial: Period) -> None:
        super().__init__(data, initial={"quarter": initial.label})
        choices = [(quarter.label, period_name(quarter)) for quarter in quarters]
        if initial.label not in {label for label, _name in choices}:
            choices.insert(0, (initial.label, period_name(initial)))
        field = self.fields["quarter"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        field.widget.attrs["class"] = "form-select"
