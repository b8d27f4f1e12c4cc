"""Text people send, checked in one place: no control characters, nothing longer than a limit.

PostgreSQL cannot store a NUL byte and answers a query that contains one with an error, so a
NUL typed into any field or query parameter was a 500. Every form of the project is built on
``Form`` or ``ModelForm`` here (``TextInputsMixin`` for Django's own forms); a view that reads a
parameter without a form (the guidance search ``q``) asks ``text_problem`` the same question.
Control characters other than tab and newline have no place in what people type either; tab and
newline are allowed where a field has several lines.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _

# A field that sets no limit of its own: a note or a message, never a book.
MAX_TEXT_LENGTH = 10_000


# C0 controls and DEL, but tab, newline and carriage return (a browser sends lines as CR LF).
_MULTILINE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ONE_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_CHARACTERS = _ONE_LINE_CONTROL


def text_problem(
    text: str, label: str, *, multiline: bool = False, max_length: int | None = None
) -> str | None:
    """What is wrong with ``text`` for a field called ``label``, in a sentence; None if fine."""
    limit = max_length or MAX_TEXT_LENGTH
    if len(text) > limit:
        return _("%(label)s can be at most %(limit)d characters long; it has %(count)d.") % {
            "label": label,
            "limit": limit,
            "count": len(text),
        }
    found = (_MULTILINE_CONTROL if multiline else _ONE_LINE_CONTROL).search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return _(
            "%(label)s contains a NUL character, which cannot be saved. Remove it and try again."
        ) % {"label": label}
    if found.group() in "\t\r\n":
        return _("%(label)s must be on one line. Remove the line breaks and tabs.") % {
            "label": label
        }
    return _(
        "%(label)s contains an invisible control character (%(code)s), which cannot be saved. "
        "Remove it and try again."
    ) % {"label": label, "code": f"U+{ord(found.group()):04X}"}


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str)]
    return []


class TextInputsMixin:
    """Refuse a control character or an over-long value in any field, with a plain message.

    The check reads what was sent, before the field turned it into a number or a date, and its
    message replaces the field's own: it is the one thing to fix first. What was typed stays in
    the form, so the page shows it again.
    """

    fields: dict[str, forms.Field]
    data: Any
    files: Any
    is_bound: bool
    _errors: Any
    cleaned_data: dict[str, Any]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        if not self.is_bound:
            return
        for name, field in self.fields.items():
            if isinstance(field, forms.FileField):
                continue
            widget = field.widget
            sent = widget.value_from_datadict(self.data, self.files, self.add_prefix(name))  # type: ignore[attr-defined]
            multiline = isinstance(widget, forms.Textarea)
            limit = getattr(field, "max_length", None)
            for text in _texts(sent):
                if limit and len(text) > limit:
                    break  # the field says so itself, naming its own limit
                problem = text_problem(text, str(field.label or name), multiline=multiline)
                if problem:
                    self._errors[name] = self.error_class([problem])  # type: ignore[attr-defined]
                    self.cleaned_data.pop(name, None)
                    break


class Form(TextInputsMixin, forms.Form):
    """The base of every plain form of the project."""


class ModelForm(TextInputsMixin, forms.ModelForm):
    """The base of every model form of the project."""
