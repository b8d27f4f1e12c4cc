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

    unit, write = kpi.unit, text.numbers.value

    def cell(value: Decimal | None) -> str:
        return "" if value is None else write(value, unit)

    headers = [text.actual]
    if expected is not None:
        headers.append(target_name)
    if projected is not None:
        headers.append(text.projection)
    rows = []
    for index, (name, _short) in enumerate(names):
        if index < len(periods):
            value = actual[index]
            cells = [text.not_available if value is None else write(value, unit)]
            cells[0] = with_coverage(cells[0], results[periods[index]][code], text.currency)
        else:
            cells = [""]
        if expected is not None:
            cells.append(cell(expected[index]))
        if projected is not None:
            cells.append(cell(projected[index]))
        rows.append(TableRow(name, tuple(cells)))
    caption = gettext("%(kpi)s: the numbers of the chart") % {"kpi": str(kpi.name)}
    return chart, Table(caption, text.corner, tuple(headers), tuple(rows))
