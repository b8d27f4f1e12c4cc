"""The one form of a comment, new or changed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.inputs import Form

COMMENT_MAX = 2000


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
