"""Template filters that format Decimals in the active language."""

from __future__ import annotations

from decimal import Decimal

from django import template

from metrics.formatting import format_money, format_number, format_percent

register = template.Library()


@register.filter
def money(value: Decimal | None, currency: str = "EUR") -> str:
    return "" if value is None else format_money(value, currency)


@register.filter
def number(value: Decimal | None, places: int = 0) -> str:
    return "" if value is None else format_number(value, int(places))


@register.filter
def percent(value: Decimal | None) -> str:
    return "" if value is None else format_percent(value)
