"""A KPI card's chart and the table under it: actual values, the target, the projection."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext, pgettext

from metrics.dashboard.cards import Table, TableRow, TargetView
from metrics.dashboard.charts import Series, kpi_chart
from metrics.dashboard.targets import with_coverage
from metrics.dashboard.text import axis_format_for
from metrics.engine import (
    KpiDef,
    KpiResult,
    Period,
    PeriodKind,
    add_months,
)
from metrics.formatting import current_language, numbers_for, period_names

# How far ahead a projection is drawn at most, in months.
PROJECTION_HORIZON = 36


def _future_periods(last: Period, until: date) -> list[Period]:
    horizon = add_months(last.end, PROJECTION_HORIZON)
    periods = []
    following = last.next()
    while following.start <= min(until, horizon):
        periods.append(following)
        following = following.next()
    return periods


def _projected_value(points: Mapping[date, Decimal], period: Period, total: bool) -> Decimal | None:
    months = period.month_list()
    if not all(month in points for month in months):
        return None
    if total:
        return sum((points[month] for month in months), Decimal(0))
    return points[period.end]


class ChartText:
    """What every chart of one dashboard shares: the language, its numbers and its words."""

    def __init__(self, currency: str, kind: PeriodKind) -> None:
        self.language = current_language()
        self.numbers = numbers_for(self.language, currency)
        self.currency = currency
        self.actual = gettext("Actual")
        self.target = gettext("Target")
        self.ramp = gettext("Target (rising or falling evenly)")
        self.projection = gettext("Projection at this pace")
        self.not_available = gettext("n/a")
        self.corner = {
            PeriodKind.MONTH: pgettext("period kind", "Month"),
            PeriodKind.QUARTER: pgettext("period kind", "Quarter"),
            PeriodKind.YEAR: pgettext("period kind", "Year"),
        }[kind]

    def names(self, period: Period) -> tuple[str, str]:
        return period_names(period, self.language)


def card_chart(
    *,
    kpi: KpiDef,
    period: Period,
    periods: list[Period],
    results: Mapping[Period, Mapping[str, KpiResult]],
    target: TargetView | None,
    text: ChartText,
) -> tuple[dict[str, Any], Table]:
    code = kpi.code
    future: list[Period] = []
    points: dict[date, Decimal] = {}
    if target is not None and target.projection is not None:
        points = dict(target.projection.points)
        future = _future_periods(period, target.rule.deadline)
    shown = periods + future
    names = [text.names(p) for p in shown]
    actual = [results[p][code].value for p in periods] + [None] * len(future)
    expected: list[Decimal | None] | None = None
    projected: list[Decimal | None] | None = None
    if target is not None:
        # A period with a value so far expects the months it covers, as its verdict does.
        expected = [
            target.rule.expected_for_period(
                p, kpi.period_total, results[p][code].months if p in results else None
            )
            for p in shown
        ]
        if not any(value is not None for value in expected):
            expected = None
        if points:
            projected = [_projected_value(points, p, kpi.period_total) for p in shown]
    target_name = (
        text.ramp if target is not None and target.rule.baseline is not None else text.target
    )
    chart = kpi_chart(
        labels=[short for _name, short in names],
        actual=Series(text.actual, actual),
        target=Series(target_name, expected) if expected is not None else None,
        projection=Series(text.projection, projected) if projected is not None else None,
        axis=axis_format_for(text.language, kpi.unit, text.currency),
    )
    columns = [(target_name, expected), (text.projection, projected)]
    measured = [results[p][code] for p in periods]
    return chart, _chart_table(kpi, text, names, measured, columns)


def _chart_table(
    kpi: KpiDef,
    text: ChartText,
    names: list[tuple[str, str]],
    actual: list[KpiResult],
    columns: list[tuple[str, list[Decimal | None] | None]],
) -> Table:
    """The chart's numbers as a table: a row per period, the actual results, then each line the
    chart draws (``None`` for a line it leaves out); future periods have no actual value."""
    unit, write = kpi.unit, text.numbers.value
    shown = [(name, values) for name, values in columns if values is not None]

    def cell(value: Decimal | None) -> str:
        return "" if value is None else write(value, unit)

    rows = []
    for index, (name, _short) in enumerate(names):
        if index < len(actual):
            value = actual[index].value
            cells = [text.not_available if value is None else write(value, unit)]
            cells[0] = with_coverage(cells[0], actual[index], text.currency)
        else:
            cells = [""]
        cells.extend(cell(values[index]) for _name, values in shown)
        rows.append(TableRow(name, tuple(cells)))
    caption = gettext("%(kpi)s: the numbers of the chart") % {"kpi": str(kpi.name)}
    headers = (text.actual, *(name for name, _values in shown))
    return Table(caption, text.corner, headers, tuple(rows))
