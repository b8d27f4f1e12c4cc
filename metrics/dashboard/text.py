"""Periods, values and changes written for people, in the active language."""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext, ngettext

from metrics.dashboard.cards import Change
from metrics.dashboard.charts import AxisFormat
from metrics.engine import (
    Direction,
    KpiDef,
    KpiResult,
    Period,
    Unit,
)
from metrics.formatting import (
    current_language,
    format_value,
    numbers,
    numbers_for,
    period_name,
    plural_count,
)


def _difference_text(delta: Decimal, base: Decimal, unit: Unit, currency: str) -> str:
    size = abs(delta)
    formatter = numbers(currency)
    if unit is Unit.PERCENT:
        return ngettext(
            "%(number)s percentage point", "%(number)s percentage points", plural_count(size)
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


# The decimals a value of each unit is shown with (counts, days, months: at most one).
DISPLAY_PLACES = {Unit.MONEY: 2, Unit.PERCENT: 1, Unit.RATIO: 2}


def displayed(value: Decimal, unit: Unit) -> Decimal:
    """The value as rounded for display, so that a change nobody can see is no change."""
    try:
        return value.quantize(Decimal(1).scaleb(-DISPLAY_PLACES.get(unit, 1)), ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the context holds: already coarser than that
        return value


def change(
    current: Decimal | None,
    other: Decimal | None,
    *,
    against: Period,
    unit: Unit,
    direction: Direction,
    currency: str,
    comparable: bool = True,
) -> Change:
    """How ``current`` compares with the value of another period, in the KPI's direction.

    Values are compared as shown (2 decimals for money, 1 for percentages), so 12.04 % against
    12.0 % is no change, in the neutral tone, never "down 0.0 … worse". ``comparable`` is False
    for a total over part of a period against another period: the sum of two months against
    three would read as a fall.
    """
    name = period_name(against)
    if current is None:
        return Change(against, "", "none", "")
    if other is None:
        text = gettext("No value for %(period)s to compare with.") % {"period": name}
        return Change(against, "", "none", text)
    if not comparable:
        text = gettext(
            "Not compared with %(period)s: one of the two has figures for only part of its months."
        ) % {"period": name}
        return Change(against, "", "none", text)
    shown = displayed(other, unit)
    delta = displayed(current, unit) - shown
    if not delta:
        return Change(
            against,
            "→",
            "same",
            gettext("The same as in %(period)s.") % {"period": name},
            gettext("No change"),
        )
    up = delta > 0
    better = up == (direction is Direction.UP)
    amount = _difference_text(delta, shown, unit, currency)
    text = _CHANGE_SENTENCES[up, better]() % {"amount": amount, "period": name}
    signed = ("+" if up else "\u2212") + amount
    return Change(against, "↑" if up else "↓", "better" if better else "worse", text, signed)


def coverage_text(result: KpiResult, currency: str) -> str:
    """ "2 of 3 months" for a value that covers part of its period, else ""."""
    if result.months is None or result.value is None:
        return ""
    needed = result.period.months
    formatter = numbers(currency)
    return ngettext(
        "%(present)s of %(needed)s month", "%(present)s of %(needed)s months", needed
    ) % {
        "present": formatter.number(Decimal(len(result.months))),
        "needed": formatter.number(Decimal(needed)),
    }


def so_far_text(result: KpiResult, currency: str) -> str:
    """The label of a value so far, e.g. "So far: 2 of 3 months", or ""."""
    coverage = coverage_text(result, currency)
    return gettext("So far: %(months)s") % {"months": coverage} if coverage else ""


# The smallest value-axis span per unit, for values near zero (charts.value_range): a
# percentage point, ten of a currency, a tenth of a ratio; one of anything counted.
MIN_SPANS = {Unit.PERCENT: 1.0, Unit.MONEY: 10.0, Unit.RATIO: 0.1}


def axis_format(unit: Unit, currency: str) -> AxisFormat:
    """Plotly's separators, prefix and suffix, from the formatter's data for the language."""
    return axis_format_for(current_language(), unit, currency)


@functools.lru_cache(maxsize=256)
def axis_format_for(language: str, unit: Unit, currency: str) -> AxisFormat:
    style = numbers_for(language, currency)
    grouping = "," if style.grouped else ""
    prefix = suffix = ""
    if unit is Unit.MONEY:
        prefix, suffix = style.money_affixes.prefix, style.money_affixes.suffix
        hover = f"{grouping}.2f"
    elif unit is Unit.PERCENT:
        suffix = style.percent_affixes.suffix
        hover = f"{grouping}.1f"
    elif unit is Unit.RATIO:
        hover = f"{grouping}.2f"
    else:
        hover = f"{grouping}.1~f"
    return AxisFormat(
        separators=style.decimal + style.group,
        prefix=prefix,
        suffix=suffix,
        tick_format=grouping or "~g",
        hover_format=hover,
        min_span=MIN_SPANS.get(unit, 1.0),
    )


def value_text(result: KpiResult, kpi: KpiDef, currency: str) -> str:
    if result.value is None:
        return gettext("n/a")
    return format_value(result.value, kpi.unit, currency)
