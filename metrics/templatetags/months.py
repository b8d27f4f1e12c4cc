"""Month names as they are written inside a sentence, in the active language."""

from __future__ import annotations

from datetime import date

from django import template

from metrics import formatting

register = template.Library()


@register.filter
def month_name(value: date) -> str:
    """ "November 2026"; in Ukrainian "листопад 2026", not "Листопад 2026"."""
    return formatting.month_name(value)
