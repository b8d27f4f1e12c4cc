"""Numbers, money, percentages and periods written the way the reader's language writes them.

Values stay Decimals everywhere else; rounding happens here, for display only.
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, translation
from django.utils.translation import gettext, ngettext

from metrics.engine import Period, PeriodKind, Unit, period_of

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


def _fiscal_year(period: Period) -> str:
    year = period.fiscal_year
    if period.fy_start == 1:
        return str(year)
    return f"{year}/{(year + 1) % 100:02d}"


def _quarter_number(period: Period) -> int:
    return (period.start.month - period.fy_start) % 12 // 3 + 1


def current_language() -> str:
    return translation.get_language() or "en"


@functools.lru_cache(maxsize=4096)
def period_names(period: Period, language: str) -> tuple[str, str]:
    """A period's name and short name in one language; dates are slow to format, so cached."""
    if period.kind is PeriodKind.MONTH:
        return (
            formats.date_format(period.start, "YEAR_MONTH_FORMAT"),
            formats.date_format(period.start, "M Y"),
        )
    if period.kind is PeriodKind.QUARTER:
        name = gettext("Q%(number)d %(year)s") % {
            "number": _quarter_number(period),
            "year": _fiscal_year(period),
        }
        return name, name
    return _fiscal_year(period), _fiscal_year(period)


def period_name(period: Period) -> str:
    """ "March 2025", "Q1 2025" or "2025" (a financial year: "2025/26")."""
    return period_names(period, current_language())[0]


def period_span(period: Period) -> str:
    """The months a quarter or a year covers; empty for a month."""
    if period.kind is PeriodKind.MONTH:
        return ""
    return gettext("%(first)s to %(last)s") % {
        "first": month_name(period.start),
        "last": month_name(period.end),
    }


def month_name(month: date) -> str:
    """ "March 2025", in the active language."""
    return period_name(period_of(month, PeriodKind.MONTH))


_STEPS = {places: Decimal(1).scaleb(-places) for places in range(6)}


class Numbers:
    """metrics.formatting's output for one language and currency, without its per-call cost.

    formatting.py switches the language for every number; a dashboard writes a thousand of
    them, so the separators and the symbol's place are read once here, from formatting.py's
    own output, and then applied with plain string formatting.
    """

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self._grouping = formats.get_format("NUMBER_GROUPING")
        self._simple = self._grouping in (0, 3)
        self._separators = str.maketrans(
            {
                ",": str(formats.get_format("THOUSAND_SEPARATOR")),
                ".": str(formats.get_format("DECIMAL_SEPARATOR")),
            }
        )
        one = format_number(Decimal(1), 2)
        self._money = format_money(Decimal(1), currency).partition(one)[::2]
        self._negative_money = format_money(Decimal(-1), currency).partition(one)[::2]
        self._percent = format_percent(Decimal(1)).partition(format_number(Decimal(1), 1))[2]

    def number(self, value: Decimal, places: int = 0) -> str:
        """Like ``format_number``: grouped, rounded half up, with a true minus sign."""
        if not self._simple:
            return format_number(value, places)
        rounded = value.quantize(_STEPS[places], rounding=ROUND_HALF_UP)
        pattern = f",.{places}f" if self._grouping else f".{places}f"
        text = format(abs(rounded), pattern).translate(self._separators)
        return "\u2212" + text if rounded < 0 else text

    def money(self, value: Decimal) -> str:
        """Like ``format_money``: two decimals, the symbol where the language puts it."""
        negative = value < 0 and value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) != 0
        prefix, suffix = self._negative_money if negative else self._money
        return prefix + self.number(abs(value), 2) + suffix

    def percent(self, value: Decimal, places: int = 1) -> str:
        """Like ``format_percent``: one decimal and the language's percent sign."""
        return self.number(value, places) + self._percent

    def value(self, value: Decimal, unit: Unit) -> str:
        """A KPI value: money, 1-decimal percent, 2-decimal ratio, counts, days, months."""
        if unit is Unit.MONEY:
            return self.money(value)
        if unit is Unit.PERCENT:
            return self.percent(value)
        if unit is Unit.RATIO:
            return self.number(value, 2)
        text = self.number(value, 0 if value == value.to_integral_value() else 1)
        if unit is Unit.DAYS:
            return ngettext("%(number)s day", "%(number)s days", plural_count(value)) % {
                "number": text
            }
        if unit is Unit.MONTHS:
            return ngettext("%(number)s month", "%(number)s months", plural_count(value)) % {
                "number": text
            }
        return text


@functools.lru_cache(maxsize=64)
def numbers_for(language: str, currency: str) -> Numbers:
    with translation.override(language):
        return Numbers(currency)


def numbers(currency: str) -> Numbers:
    """The number formats of the active language, for one currency."""
    return numbers_for(current_language(), currency)


def plural_count(value: Decimal) -> int:
    """The count that picks a plural form; a number with decimals reads as plural (1.5 days)."""
    size = abs(value)
    return int(size) if size == size.to_integral_value() else 2


def format_value(value: Decimal, unit: Unit, currency: str) -> str:
    """A KPI value in the active language: money, 1-decimal percent, 2-decimal ratio, counts…"""
    return numbers(currency).value(value, unit)
