"""Numbers, money and percentages written the way the reader's language writes them.

Values stay Decimals everywhere else; rounding happens here, for display only.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, translation

NBSP = "\u00a0"
CURRENCY_SYMBOLS = {"EUR": "€", "GBP": "£"}

# Where the currency symbol goes, per language: "before" (€1,234.56), "before_space"
# (€ 1.234,56) or "after_space" (1 234,56 €).
_MONEY_LAYOUT = {"en": "before", "nl": "before_space", "fr": "after_space", "uk": "after_space"}
_PERCENT_SPACE = {"fr": NBSP}


def _language(language: str | None) -> str:
    return (language or translation.get_language() or "en").split("-")[0]


def _rounded(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_number(value: Decimal | int, places: int = 0, language: str | None = None) -> str:
    """Group thousands and use the language's decimal separator, e.g. 1 234,5 in French."""
    with translation.override(_language(language)):
        text = formats.number_format(
            _rounded(Decimal(value), places), places, use_l10n=True, force_grouping=True
        )
    return text.replace("-", "\u2212") if text.startswith("-") else text


def format_money(value: Decimal | int, currency: str, language: str | None = None) -> str:
    """Money with two decimals and the symbol where the language puts it."""
    lang = _language(language)
    number = format_number(abs(Decimal(value)), 2, lang)
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    sign = "\u2212" if Decimal(value) < 0 and _rounded(Decimal(value), 2) != 0 else ""
    layout = _MONEY_LAYOUT.get(lang, "after_space")
    if layout == "before":
        return f"{sign}{symbol}{number}"
    if layout == "before_space":
        return f"{symbol}{NBSP}{sign}{number}"
    return f"{sign}{number}{NBSP}{symbol}"


def format_percent(value: Decimal | int, language: str | None = None, places: int = 1) -> str:
    """A percentage with one decimal, e.g. 12.5% in English and 12,5 % in French."""
    lang = _language(language)
    return f"{format_number(value, places, lang)}{_PERCENT_SPACE.get(lang, '')}%"
