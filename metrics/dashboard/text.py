"""Periods, values and changes written for people, in the active language."""

from __future__ import annotations

import functools
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, translation
from django.utils.translation import gettext, ngettext

from metrics.dashboard.cards import Change
from metrics.dashboard.charts import AxisFormat
from metrics.engine import (
    Direction,
    KpiDef,
    KpiResult,
    Period,
    PeriodKind,
    Unit,
    period_of,
)
from metrics.formatting import format_money, format_number, format_percent


def _fiscal_year(period: Period) -> str:
    year = period.fiscal_year
    if period.fy_start == 1:
        return str(year)
    return f"{year}/{(year + 1) % 100:02d}"


def _quarter_number(period: Period) -> int:
    return (period.start.month - period.fy_start) % 12 // 3 + 1


def _language() -> str:
    return translation.get_language() or "en"


@functools.lru_cache(maxsize=4096)
def _period_names(period: Period, language: str) -> tuple[str, str]:
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
    return _period_names(period, _language())[0]


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
            return ngettext("%(number)s day", "%(number)s days", _plural_count(value)) % {
                "number": text
            }
        if unit is Unit.MONTHS:
            return ngettext("%(number)s month", "%(number)s months", _plural_count(value)) % {
                "number": text
            }
        return text


@functools.lru_cache(maxsize=64)
def _numbers_for(language: str, currency: str) -> Numbers:
    with translation.override(language):
        return Numbers(currency)


def numbers(currency: str) -> Numbers:
    """The number formats of the active language, for one currency."""
    return _numbers_for(_language(), currency)


def _plural_count(value: Decimal) -> int:
    """The count that picks a plural form; a number with decimals reads as plural (1.5 days)."""
    size = abs(value)
    return int(size) if size == size.to_integral_value() else 2


def format_value(value: Decimal, unit: Unit, currency: str) -> str:
    """A KPI value in the active language: money, 1-decimal percent, 2-decimal ratio, counts…"""
    return numbers(currency).value(value, unit)


def _difference_text(delta: Decimal, base: Decimal, unit: Unit, currency: str) -> str:
    size = abs(delta)
    formatter = numbers(currency)
    if unit is Unit.PERCENT:
        return ngettext(
            "%(number)s percentage point", "%(number)s percentage points", _plural_count(size)
        ) % {"number": formatter.number(size, 1)}
    text = formatter.value(size, unit)
    if not base:
        return text
    relative = delta / abs(base) * 100
    sign = "+" if relative > 0 else "\u2212"
    return gettext("%(amount)s (%(relative)s)") % {
        "amount": text,
        "relative": sign + formatter.percent(abs(relative)),
    }


_CHANGE_SENTENCES = {
    (True, True): lambda: gettext("Up %(amount)s compared with %(period)s: better."),
    (True, False): lambda: gettext("Up %(amount)s compared with %(period)s: worse."),
    (False, True): lambda: gettext("Down %(amount)s compared with %(period)s: better."),
    (False, False): lambda: gettext("Down %(amount)s compared with %(period)s: worse."),
}


def change(
    current: Decimal | None,
    other: Decimal | None,
    *,
    against: Period,
    unit: Unit,
    direction: Direction,
    currency: str,
) -> Change:
    """How ``current`` compares with the value of another period, in the KPI's direction."""
    name = period_name(against)
    if current is None:
        return Change(against, "", "none", "")
    if other is None:
        text = gettext("No value for %(period)s to compare with.") % {"period": name}
        return Change(against, "", "none", text)
    delta = current - other
    if not delta:
        return Change(
            against, "→", "same", gettext("The same as in %(period)s.") % {"period": name}
        )
    up = delta > 0
    better = up == (direction is Direction.UP)
    text = _CHANGE_SENTENCES[up, better]() % {
        "amount": _difference_text(delta, other, unit, currency),
        "period": name,
    }
    return Change(against, "↑" if up else "↓", "better" if better else "worse", text)


def axis_format(unit: Unit, currency: str) -> AxisFormat:
    """Plotly's separators, prefix and suffix, copied from how the language writes the unit."""
    return _axis_format(_language(), unit, currency)


@functools.lru_cache(maxsize=256)
def _axis_format(language: str, unit: Unit, currency: str) -> AxisFormat:
    with translation.override(language):
        return _read_axis_format(unit, currency)


def _read_axis_format(unit: Unit, currency: str) -> AxisFormat:
    decimal = str(formats.get_format("DECIMAL_SEPARATOR"))
    thousands = str(formats.get_format("THOUSAND_SEPARATOR"))
    grouping = "," if formats.get_format("NUMBER_GROUPING") else ""
    prefix = suffix = ""
    if unit is Unit.MONEY:
        prefix, _number, suffix = format_money(Decimal(0), currency).partition(
            format_number(Decimal(0), 2)
        )
        hover = f"{grouping}.2f"
    elif unit is Unit.PERCENT:
        _number, _sep, suffix = format_percent(Decimal(0)).partition(format_number(Decimal(0), 1))
        hover = f"{grouping}.1f"
    elif unit is Unit.RATIO:
        hover = f"{grouping}.2f"
    else:
        hover = f"{grouping}.1~f"
    return AxisFormat(
        separators=decimal + thousands,
        prefix=prefix,
        suffix=suffix,
        tick_format=grouping or "~g",
        hover_format=hover,
    )


def value_text(result: KpiResult, kpi: KpiDef, currency: str) -> str:
    if result.value is None:
        return gettext("n/a")
    return format_value(result.value, kpi.unit, currency)
