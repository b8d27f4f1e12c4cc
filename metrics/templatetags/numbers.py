"""Template filters that format Decimals in the active language."""

from __future__ import annotations

from decimal import Decimal

from django import template

from metrics.formatting import format_number

register = template.Library()


@register.filter
def number(value: Decimal | None, places: int = 0) -> str:
    return "" if value is None else format_number(value, int(places))
