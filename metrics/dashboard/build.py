"""The dashboard and the quarterly review, assembled from the engine's results.

Pure: figures, definitions, targets and a period in; cards, chart specifications, tables and the
AARRR funnel out, with every text in the active language. No database and no HTTP.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext

from metrics.dashboard.card_chart import (
    ChartText,
    card_chart,
)
from metrics.dashboard.cards import VERDICT_ICONS, Dashboard, KpiCard, Review, TargetInput
from metrics.dashboard.funnel import funnel
from metrics.dashboard.targets import pick_target, target_view
from metrics.dashboard.text import change, so_far_text, value_text
from metrics.engine import (
    KPIS,
    Engine,
    KpiDef,
    KpiResult,
    MonthlyFigures,
    Period,
    PeriodKind,
    Verdict,
    add_months,
    period_of,
)
from metrics.formatting import period_name, period_span

# How far back a chart looks, in periods of the dashboard's kind: thirteen months reach back to
# the same month a year earlier, which the card compares with.
CHART_WINDOW = {PeriodKind.MONTH: 13, PeriodKind.QUARTER: 8, PeriodKind.YEAR: 5}


# The months a projection looks back on (the engine uses the last 6 of them).
PROJECTION_MONTHS = 6


def chart_periods(period: Period, first_month: date | None) -> list[Period]:
    """The periods a chart shows: up to ``CHART_WINDOW`` of them, ending with ``period``."""
    periods = [period]
    while len(periods) < CHART_WINDOW[period.kind]:
        earlier = periods[-1].previous()
        if first_month is None or earlier.end < first_month:
            break
        periods.append(earlier)
    return periods[::-1]


def figures_window(period: Period, first_month: date | None, *, charts: bool = True) -> date:
    """The first month a dashboard of ``period`` reads (it reads up to ``period.end``).

    It covers the chart's periods, the previous period and the same period a year earlier, the
    months of the projection, and one period more before each of them for ``previous()``.
    """
    periods = chart_periods(period, first_month) if charts else [period]
    return min(
        periods[0].previous().start,
        period.year_earlier().previous().start,
        add_months(period.end, -PROJECTION_MONTHS),
    )


def projection_end(period: Period, last_month: date | None) -> date:
    """The month a projection starts from: the period's end, or its last month with data."""
    if last_month is not None and period.start <= last_month < period.end:
        return last_month
    return period.end


def projection_months(end: date) -> list[Period]:
    """The month periods whose values feed a projection made at ``end``."""
    return [
        period_of(add_months(end, -offset), PeriodKind.MONTH)
        for offset in range(PROJECTION_MONTHS - 1, -1, -1)
    ]


def _reason_text(result: KpiResult, names: Mapping[str, str]) -> str:
    return result.reason.message(names) if result.reason is not None else ""


def figure_names(engine: Engine) -> dict[str, str]:
    """Figure codes to their names in the active language, for reasons."""
    return {code: str(figure.name) for code, figure in engine.figures.items()}


def _periods_to_compute(period: Period, periods: Iterable[Period], as_of: date) -> list[Period]:
    wanted = {period, period.previous(), period.year_earlier(), *periods}
    wanted.update(projection_months(as_of))
    return sorted(wanted)


def _monthly_values(
    results: Mapping[Period, Mapping[str, KpiResult]], as_of: date, code: str
) -> list[tuple[date, Decimal]]:
    values = []
    for month in projection_months(as_of):
        value = results[month][code].value
        if value is not None:
            values.append((month.start, value))
    return values


def _counts(cards: Sequence[KpiCard]) -> tuple[tuple[str, str, str, int], ...]:
    counts = []
    for verdict in Verdict:
        number = sum(1 for card in cards if card.verdict is verdict)
        if number:
            counts.append((verdict.value, VERDICT_ICONS[verdict.value], verdict.label, number))
    without = sum(1 for card in cards if card.verdict is None)
    if without:
        counts.append(("none", VERDICT_ICONS["none"], gettext("No target"), without))
    return tuple(counts)


@dataclass(frozen=True, slots=True)
class _Frame:
    """What every card of one dashboard is computed against."""

    period: Period
    periods: list[Period]  # the chart's
    as_of: date
    results: Mapping[Period, Mapping[str, KpiResult]]
    currency: str
    charts: bool
    text: ChartText
    names: Mapping[str, str]  # the figures' names, for the reasons


def _card(code: str, kpi: KpiDef, targets: Sequence[TargetInput], frame: _Frame) -> KpiCard:
    period, results, currency = frame.period, frame.results, frame.currency
    result = results[period][code]
    chosen = pick_target([t for t in targets if t.rule.kpi == code], period)
    target = None
    if chosen is not None:
        target = target_view(
            chosen,
            kpi=kpi,
            result=result,
            period=period,
            monthly=_monthly_values(results, frame.as_of, code),
            as_of=frame.as_of,
            currency=currency,
        )
    chart = table = None
    if frame.charts:
        chart, table = card_chart(
            kpi=kpi,
            period=period,
            periods=frame.periods,
            results=results,
            target=target,
            text=frame.text,
        )
    changes = tuple(
        change(
            result.value,
            results[other][code].value,
            against=other,
            unit=kpi.unit,
            direction=kpi.direction,
            currency=currency,
            # A total over part of a period is not compared with another period.
            comparable=not kpi.period_total
            or not (result.is_partial or results[other][code].is_partial),
        )
        for other in (period.previous(), period.year_earlier())
    )
    return KpiCard(
        code=code,
        name=str(kpi.name),
        description=str(kpi.description),
        builtin=KPIS.get(code) is kpi,
        unit=kpi.unit,
        direction=kpi.direction,
        value=result.value,
        value_text=value_text(result, kpi, currency),
        reason=_reason_text(result, frame.names),
        changes=changes,
        target=target,
        chart=chart,
        table=table,
        coverage=so_far_text(result, currency),
    )


def build_dashboard(
    *,
    engine: Engine,
    figures: MonthlyFigures,
    codes: Sequence[str],
    targets: Sequence[TargetInput],
    period: Period,
    currency: str,
    charts: bool = True,
    first_month: date | None = None,
) -> Dashboard:
    """A card per tracked KPI (in the order given) for ``period``, and the period's funnel.

    ``first_month`` is the first month with data, when ``figures`` hold only a window.
    """
    codes = [code for code in dict.fromkeys(codes) if code in engine.kpis]
    first_month = first_month or figures.first_month
    periods = chart_periods(period, first_month) if charts else [period]
    as_of = projection_end(period, figures.last_month)
    frame = _Frame(
        period=period,
        periods=periods,
        as_of=as_of,
        results=engine.compute_series(figures, _periods_to_compute(period, periods, as_of), codes),
        currency=currency,
        charts=charts,
        text=ChartText(currency, period.kind),
        names=figure_names(engine),
    )
    cards = [_card(code, engine.kpis[code], targets, frame) for code in codes]
    return Dashboard(
        period=period,
        title=period_name(period),
        span=period_span(period),
        cards=tuple(cards),
        funnel=funnel(figures, period, with_chart=charts),
        counts=_counts(cards),
    )


def build_review(
    *,
    engine: Engine,
    figures: MonthlyFigures,
    codes: Sequence[str],
    targets: Sequence[TargetInput],
    quarter: Period,
    currency: str,
) -> Review:
    """The quarter's value of every tracked KPI, and every target that spans the quarter."""
    dashboard = build_dashboard(
        engine=engine,
        figures=figures,
        codes=codes,
        targets=targets,
        period=quarter,
        currency=currency,
        charts=False,
    )
    order = {code: index for index, code in enumerate(codes)}
    judged = sorted(
        (t for t in targets if t.rule.kpi in engine.kpis and t.rule.overlaps(quarter)),
        key=lambda t: (order.get(t.rule.kpi, len(order)), t.rule.kpi, t.rule.deadline),
    )
    target_codes = list(dict.fromkeys(t.rule.kpi for t in judged))
    as_of = projection_end(quarter, figures.last_month)
    results = engine.compute_series(figures, [quarter, *projection_months(as_of)], target_codes)
    views = tuple(
        target_view(
            target,
            kpi=engine.kpis[target.rule.kpi],
            result=results[quarter][target.rule.kpi],
            period=quarter,
            monthly=_monthly_values(results, as_of, target.rule.kpi),
            as_of=as_of,
            currency=currency,
        )
        for target in judged
    )
    return Review(dashboard=dashboard, targets=views)


def month_verdicts(
    *,
    engine: Engine,
    figures: MonthlyFigures,
    codes: Sequence[str],
    targets: Sequence[TargetInput],
    months: Sequence[date],
) -> dict[date, dict[Verdict, int]]:
    """How many tracked KPIs each month's dashboard judges on track, close, behind or no data.

    The same verdicts as the cards of ``build_dashboard`` for each month, from one run of the
    engine over all the months, without the cards' texts and charts.
    """
    codes = [code for code in dict.fromkeys(codes) if code in engine.kpis]
    periods = [period_of(month, PeriodKind.MONTH) for month in months]
    results = engine.compute_series(figures, periods, codes) if periods and codes else {}
    by_kpi = {code: [t for t in targets if t.rule.kpi == code] for code in codes}
    counts: dict[date, dict[Verdict, int]] = {}
    for period in periods:
        tally = dict.fromkeys(Verdict, 0)
        for code in codes:
            chosen = pick_target(by_kpi[code], period)
            if chosen is None:
                continue
            verdict = chosen.rule.verdict(
                results[period][code], period, engine.kpis[code].period_total
            )
            if verdict is not None:
                tally[verdict] += 1
        counts[period.start] = tally
    return counts
