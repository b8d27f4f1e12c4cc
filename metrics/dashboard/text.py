"""Periods, values and changes written for people, in the active language."""

from __future__ import annotations

import functools
from decimal import Decimal

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
    )


def value_text(result: KpiResult, kpi: KpiDef, currency: str) -> str:
    if result.value is None:
        return gettext("n/a")
    return format_value(result.value, kpi.unit, currency)
