"""The report for a bank, a lender or a mentor: each tracked KPI for one quarter or year.

Pure, like metrics.dashboard, on which it builds: figures, definitions, targets and a period in;
the dashboard's cards (value, target, verdict, chart) and a table of the last four periods out,
with every text in the active language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext

from metrics.dashboard.build import build_dashboard, figures_window
from metrics.dashboard.cards import KpiCard, TargetInput, VerdictMarks
from metrics.dashboard.targets import pick_target, with_coverage
from metrics.engine import (
    Comparison,
    Engine,
    KpiDef,
    KpiResult,
    MonthlyFigures,
    Period,
    PeriodKind,
    Unit,
    Verdict,
    period_of,
    periods_between,
)
from metrics.formatting import format_value, period_name, period_span

TREND_PERIODS = 4


@dataclass(frozen=True, slots=True)
class TrendRow(VerdictMarks):
    """One period of a KPI's trend: its value, what its target expected, and the verdict."""

    period: str
    value: str
    expected: str
    verdict: Verdict | None


@dataclass(frozen=True, slots=True)
class SummaryRow(VerdictMarks):
    """One line of the report's first-page table: a KPI against its target, and on a year."""

    code: str
    name: str
    value: str
    coverage: str  # "So far: 2 of 3 months", or ""
    target: str
    verdict: Verdict | None
    change: str
    change_tone: str
    change_arrow: str


@dataclass(frozen=True, slots=True)
class ReportKpi:
    card: KpiCard
    trend_caption: str
    trend: tuple[TrendRow, ...]


@dataclass(frozen=True, slots=True)
class Report:
    period: Period
    title: str
    span: str
    kpis: tuple[ReportKpi, ...]
    counts: tuple[tuple[str, str, str, int], ...]
    # Every KPI in one table, for the first page: a lender sees the whole picture at once.
    summary: tuple[SummaryRow, ...] = ()


def trend_periods(period: Period, first_month: date | None) -> list[Period]:
    """The period and up to three before it, oldest first; none that ends before the data."""
    periods = [period]
    while len(periods) < TREND_PERIODS:
        earlier = periods[-1].previous()
        if first_month is not None and earlier.end < first_month:
            break
        periods.append(earlier)
    return periods[::-1]


def report_window(period: Period, first_month: date | None) -> date:
    """The first month the report reads (it reads up to ``period.end``)."""
    return min(
        figures_window(period, first_month),
        trend_periods(period, first_month)[0].previous().start,
    )


def report_periods(first_month: date | None, last_month: date, fy_start: int) -> list[Period]:
    """The quarters, then the years, from the first month with data to ``last_month``, newest
    first: the periods a report can be asked for."""
    first = first_month if first_month is not None and first_month <= last_month else last_month
    quarters = periods_between(first, last_month, PeriodKind.QUARTER, fy_start)
    years = periods_between(first, last_month, PeriodKind.YEAR, fy_start)
    return quarters[::-1] + years[::-1]


def reflection_quarters(period: Period) -> list[str]:
    """The labels of the quarters a period covers: itself, or the four of a year."""
    if period.kind is PeriodKind.QUARTER:
        return [period.label]
    return [
        period_of(month, PeriodKind.QUARTER, period.fy_start).label
        for month in period.month_list()[::3]
    ]


def _trend_caption(kpi: KpiDef, period: Period) -> str:
    if period.kind is PeriodKind.YEAR:
        text = gettext("%(kpi)s over the last four years")
    else:
        text = gettext("%(kpi)s over the last four quarters")
    return text % {"kpi": str(kpi.name)}


def _target_text(card: KpiCard, unit: Unit, currency: str) -> str:
    target = card.target
    if target is None or target.expected is None:
        return ""
    value = format_value(target.expected, unit, currency)
    if target.rule.comparison is Comparison.AT_LEAST:
        return gettext("at least %(value)s") % {"value": value}
    return gettext("at most %(value)s") % {"value": value}


def summary_row(card: KpiCard, currency: str) -> SummaryRow:
    """A card in one line: value (so far, if so), what was expected, verdict, change on a year."""
    on_a_year = card.changes[-1]
    return SummaryRow(
        code=card.code,
        name=card.name,
        value=card.value_text,
        coverage=card.coverage,
        target=_target_text(card, card.unit, currency),
        verdict=card.verdict,
        change=on_a_year.amount,
        change_tone=on_a_year.tone,
        change_arrow=on_a_year.arrow,
    )


def _trend(
    kpi: KpiDef,
    periods: Sequence[Period],
    results: Mapping[Period, Mapping[str, KpiResult]],
    targets: Sequence[TargetInput],
    currency: str,
) -> tuple[TrendRow, ...]:
    own = [target for target in targets if target.rule.kpi == kpi.code]
    rows = []
    for period in periods:
        result = results[period][kpi.code]
        chosen = pick_target(own, period)
        expected = verdict = None
        if chosen is not None:
            expected = chosen.rule.expected_for_period(period, kpi.period_total, result.months)
            verdict = chosen.rule.verdict(result, period, kpi.period_total)
        rows.append(
            TrendRow(
                period=period_name(period),
                value=gettext("n/a")
                if result.value is None
                else with_coverage(
                    format_value(result.value, kpi.unit, currency), result, currency
                ),
                expected="" if expected is None else format_value(expected, kpi.unit, currency),
                verdict=verdict,
            )
        )
    return tuple(rows)


def build_report(
    *,
    engine: Engine,
    figures: MonthlyFigures,
    codes: Sequence[str],
    targets: Sequence[TargetInput],
    period: Period,
    currency: str,
    first_month: date | None = None,
) -> Report:
    """The dashboard's card for each tracked KPI in ``period``, with its four-period trend."""
    board = build_dashboard(
        engine=engine,
        figures=figures,
        codes=codes,
        targets=targets,
        period=period,
        currency=currency,
        first_month=first_month,
    )
    periods = trend_periods(period, first_month or figures.first_month)
    shown = [card.code for card in board.cards]
    results = engine.compute_series(figures, periods, shown)
    kpis = tuple(
        ReportKpi(
            card=card,
            trend_caption=_trend_caption(engine.kpis[card.code], period),
            trend=_trend(engine.kpis[card.code], periods, results, targets, currency),
        )
        for card in board.cards
    )
    return Report(
        period=period,
        title=period_name(period),
        span=period_span(period),
        kpis=kpis,
        counts=board.counts,
        summary=tuple(summary_row(card, currency) for card in board.cards),
    )
