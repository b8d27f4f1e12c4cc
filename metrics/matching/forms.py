"""Mentor matching's forms: an invitation to the pool, a mentor's offer, a proposal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.countries import COUNTRY_CHOICES
from accounts.inputs import Form
from metrics.models.business import Sector
from metrics.models.matching import MAX_CAPACITY, PoolMentor


class PoolInviteForm(Form):
    email = forms.EmailField(
        label=_("Email address of the mentor"),
        max_length=254,
        help_text=_("We send them a link that works once, for 14 days."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class PoolOfferForm(Form):
    """What a mentor offers the programme; the coordinators match mentees by it."""

    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors you know"),
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one sector.")},
    )
    country = forms.ChoiceField(label=_("Country where you mentor"), choices=COUNTRY_CHOICES)
    capacity = forms.IntegerField(
        label=_("How many mentees at most, at the same time?"),
        min_value=1,
        max_value=MAX_CAPACITY,
        initial=2,
    )


class PoolEntryForm(PoolOfferForm):
    active = forms.BooleanField(
        label=_("I take new mentees"),
        required=False,
        help_text=_("Untick it for a pause: your mentees keep you, and no one new is proposed."),
    )


class ProposalForm(Form):
    mentor = forms.ModelChoiceField(
        label=_("Mentor"), queryset=PoolMentor.objects.none(), widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, pool: QuerySet[PoolMentor], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mentor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = pool
