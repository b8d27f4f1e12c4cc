"""The form for inviting a mentor."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.inputs import Form


class InviteForm(Form):
    email = forms.EmailField(
        label=_("Your mentor's email address"),
        max_length=254,
        help_text=_("We send them a link that works once, for 14 days."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": _("Enter your mentor's email address."),
            "invalid": _("Enter an email address like name@example.org."),
        },
    )
