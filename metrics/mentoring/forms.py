"""Forms for inviting a mentor and for comments."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.inputs import Form

COMMENT_MAX = 2000


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


class CommentForm(Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX}),
        error_messages={
            "required": _("Write your comment first."),
            "max_length": _(
                "Keep your comment to %(limit_value)d characters or fewer (it has %(show_value)d)."
            ),
        },
    )
