"""Numbers, money, percentages and periods written the way the reader's language writes them.

Values stay Decimals everywhere else; rounding happens here, for display only. The decimal and
group symbols, the grouping, where the currency symbol goes and the percent pattern come from
CLDR (through Babel), read once per language and currency into a ``Numbers``; after that every
number is plain string work, for the dashboard writes a thousand of them per page.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import NumberPattern, get_currency_symbol
from django.utils import translation
from django.utils.translation import gettext, ngettext

from metrics.engine import Period, PeriodKind, Unit, period_of

NBSP = "\u00a0"
MINUS = "\u2212"

# The CLDR locale whose number data a language follows, where it is not the language itself.
# Arabic: the app writes the digits 0-9 in Arabic, as people type them and as they read them in
# the countries they live in. The Arabic locales of CLDR that write 0-9 by default are those of
# the Maghreb (ar_DZ, ar_MA, ar_TN, all alike): they group thousands with a point and separate
# decimals with a comma, the decimal comma that Arabic pages have always shown here (so the
# month form still reads "1,234" in Arabic as before) and that France, Belgium and the
# Netherlands use. Plain "ar" with 0-9 would switch the decimal separator to a point.
_CLDR_LOCALE = {"ar": "ar_TN"}

# Where this app writes differently from CLDR, on purpose:
# - a true minus sign (U+2212) in every language, where CLDR has a hyphen-minus (and an LRM
#   before it in Arabic): the app has always written "−", and the number reader reads both;
# - French groups thousands with a no-break space (U+00A0), as it always did here, where CLDR
#   has a narrow one (U+202F): pages, reports and the tests that pin them keep their text;
# - no bidirectional marks (CLDR puts RLM/LRM around Arabic money, signs and "%"): the page sets
#   dir="rtl" itself, and the same text goes to Plotly, where invisible marks would show;
# - the currency symbol is CLDR's language-neutral one (€, £) in every language, where CLDR's
#   per-language symbols would write "£GB" in French, "UK£" in Arabic, "EUR" in Ukrainian: the
#   app has always written € and £, as its currency choices ("Euro (€)") say.
_GROUP_SYMBOL = {"fr": NBSP}
_NO_BIDI_MARKS = str.maketrans("", "", "\u200e\u200f\u061c")


def currency_symbol(currency: str) -> str:
    """The symbol of a currency code, the same in every language: € for EUR, £ for GBP."""
    return get_currency_symbol(currency, "root")


def _language(language: str | None) -> str:
    return (language or translation.get_language() or "en").split("-")[0]


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(_CLDR_LOCALE.get(language, language))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@dataclass(frozen=True, slots=True)
class Affixes:
    """What goes before and after the digits, for a positive and for a negative value."""

    prefix: str
    suffix: str
    negative_prefix: str
    negative_suffix: str

    @classmethod
    def of(cls, pattern: NumberPattern, currency: str, percent: str) -> Affixes:
        def fill(text: str) -> str:
            text = text.translate(_NO_BIDI_MARKS)
            return text.replace("¤", currency).replace("-", MINUS).replace("%", percent)

        prefix, negative_prefix = pattern.prefix
        suffix, negative_suffix = pattern.suffix
        return cls(fill(prefix), fill(suffix), fill(negative_prefix), fill(negative_suffix))


@functools.cache
def _step(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def _grouped(whole: str, primary: int, secondary: int, group: str) -> str:
    """Digits grouped as CLDR says: 12,34,567 for (3, 2) as in Hindi."""
    head, parts = whole[:-primary], [whole[-primary:]]
    while head:
        head, part = head[:-secondary], head[-secondary:]
        parts.insert(0, part)
    return group.join(parts)


# From here on a number is written as "≥ 10^15" rather than in digits; the engine makes such a
# KPI n/a (metrics.engine.results.RESULT_LIMIT), so only a value that bypassed it gets here.
WRITTEN_LIMIT = Decimal(10) ** 15


def _too_large(value: Decimal, affixes: Affixes) -> str:
    if value.is_nan():
        return "—"
    if value < 0:
        return f"≤ {affixes.negative_prefix}10^15{affixes.negative_suffix}"
    return f"≥ {affixes.prefix}10^15{affixes.suffix}"


class Numbers:
    """Numbers, money and percentages in one language, for one currency.

    Everything that depends on the language is read from CLDR once, here; ``numbers_for``
    keeps one per language and currency.
    """

    def __init__(self, language: str, currency: str) -> None:
        locale = _locale(language)
        symbols = locale.number_symbols["latn"]
        self.currency = currency
        self.decimal = symbols["decimal"]
        self.group = _GROUP_SYMBOL.get(language, symbols["group"])
        decimal_pattern = locale.decimal_formats[None]
        primary, secondary = decimal_pattern.grouping
        # Babel says 1000 for a pattern without grouping.
        self.grouped = primary < 1000
        self._plain_grouping = (primary, secondary) == (3, 3)
        self._grouping = (primary, secondary)
        self._separators = str.maketrans({",": self.group, ".": self.decimal})
        percent = symbols["percentSign"].translate(_NO_BIDI_MARKS)
        symbol = currency_symbol(currency)
        self.number_affixes = Affixes.of(decimal_pattern, symbol, percent)
        self.money_affixes = Affixes.of(locale.currency_formats["standard"], symbol, percent)
        self.percent_affixes = Affixes.of(locale.percent_formats[None], symbol, percent)

    def _digits(self, value: Decimal, places: int) -> tuple[bool, str]:
        """Whether the rounded value is below zero, and its digits without sign."""
        rounded = value.quantize(_step(places), rounding=ROUND_HALF_UP)
        if self._plain_grouping:
            return rounded < 0, format(abs(rounded), f",.{places}f").translate(self._separators)
        whole, _point, decimals = format(abs(rounded), f".{places}f").partition(".")
        if self.grouped and len(whole) > self._grouping[0]:
            whole = _grouped(whole, *self._grouping, self.group)
        return rounded < 0, f"{whole}{self.decimal}{decimals}" if decimals else whole

    def _write(self, value: Decimal, places: int, affixes: Affixes) -> str:
        if not value.is_finite() or abs(value) >= WRITTEN_LIMIT:
            # Never raise, never write a million digits: what the engine calls too large.
            return _too_large(value, affixes)
        negative, digits = self._digits(value, places)
        if negative:
            return affixes.negative_prefix + digits + affixes.negative_suffix
        return affixes.prefix + digits + affixes.suffix

    def number(self, value: Decimal, places: int = 0) -> str:
        """Grouped, rounded half up to ``places``, with a true minus sign: −1,234.5."""
        return self._write(value, places, self.number_affixes)

    def money(self, value: Decimal) -> str:
        """Two decimals and the currency symbol where the language puts it: € 1.234,56."""
        return self._write(value, 2, self.money_affixes)

    def percent(self, value: Decimal, places: int = 1) -> str:
        """A percentage (12.5 is 12.5 %) with the language's percent pattern: 12,5 %."""
        return self._write(value, places, self.percent_affixes)

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
def numbers_for(language: str, currency: str = "EUR") -> Numbers:
    """The number formats of a language, for one currency."""
    return Numbers(_language(language), currency)


def numbers(currency: str) -> Numbers:
    """The number formats of the active language, for one currency."""
    return numbers_for(current_language(), currency)


def decimal_symbol(language: str | None = None) -> str:
    """The decimal separator of a language: ``.`` in English, ``,`` in French or Dutch."""
    return numbers_for(_language(language)).decimal


def format_number(value: Decimal | int, places: int = 0, language: str | None = None) -> str:
    """Group thousands and use the language's decimal separator, e.g. 1 234,5 in French."""
    return numbers_for(_language(language)).number(Decimal(value), places)


def format_money(value: Decimal | int, currency: str, language: str | None = None) -> str:
    """Money with two decimals and the symbol where the language puts it."""
    return numbers_for(_language(language), currency).money(Decimal(value))


def format_percent(value: Decimal | int, language: str | None = None, places: int = 1) -> str:
    """A percentage with one decimal, e.g. 12.5% in English and 12,5 % in French."""
    return numbers_for(_language(language)).percent(Decimal(value), places)


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
        # CLDR's stand-alone names: lower case where the language writes them so in a
        # sentence ("за листопад 2026"), and short names that cannot be confused ("juil.").
        # Months come from the language itself: the Tunisian locale the numbers use has
        # Maghreb month names ("جانفي").
        locale = _language(language)
        return (
            format_date(period.start, "LLLL y", locale=locale),
            format_date(period.start, "LLL y", locale=locale),
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
    """ "March 2025" in the active language, as it is written inside a sentence."""
    return period_name(period_of(month, PeriodKind.MONTH))


def plural_count(value: Decimal) -> int:
    """The count that picks a plural form; a number with decimals reads as plural (1.5 days)."""
    size = abs(value)
    if not size.is_finite() or size >= WRITTEN_LIMIT:
        return 2
    return int(size) if size == size.to_integral_value() else 2


def format_value(value: Decimal, unit: Unit, currency: str) -> str:
    """A KPI value in the active language: money, 1-decimal percent, 2-decimal ratio, counts…"""
    return numbers(currency).value(value, unit)
