"""The dashboard and the quarterly review, assembled from the engine's results.

Pure: figures, definitions, targets and a period in; cards, chart specifications, tables and the
AARRR funnel out, with every text in the active language. No database and no HTTP.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext, ngettext, pgettext

from metrics.charts import AxisFormat, Series, funnel_chart, kpi_chart
from metrics.engine import (
    FIGURES,
    KPIS,
    Comparison,
    Direction,
    Domain,
    Engine,
    KpiDef,
    KpiResult,
    MonthlyFigures,
    Period,
    PeriodError,
    PeriodKind,
    Projection,
    Unit,
    Verdict,
    add_months,
    parse_period_label,
    period_of,
    project,
)
from metrics.engine import Target as TargetRule
from metrics.formatting import format_money, format_number, format_percent

# How far back a chart looks, in periods of the dashboard's kind: thirteen months reach back to
# the same month a year earlier, which the card compares with.
CHART_WINDOW = {PeriodKind.MONTH: 13, PeriodKind.QUARTER: 8, PeriodKind.YEAR: 5}
# How far ahead a projection is drawn at most, in months.
PROJECTION_HORIZON = 36
# The months a projection looks back on (the engine uses the last 6 of them).
PROJECTION_MONTHS = 6

FUNNEL_STEPS = ("visitors", "leads", "new_customers", "returning_customers", "referrals")

# Shown beside each verdict's words, so that the chip never relies on colour alone.
VERDICT_ICONS = {"on_track": "✓", "close": "≈", "behind": "!", "no_data": "?", "none": "–"}


@dataclass(frozen=True, slots=True)
class TargetInput:
    """A stored target as the dashboard needs it: the engine's rule and its goal's title."""

    rule: TargetRule
    goal: str = ""


@dataclass(frozen=True, slots=True)
class Change:
    """A KPI against another period: an arrow and a whole sentence that says better or worse."""

    against: Period
    arrow: str
    tone: str  # better, worse, same or none
    text: str


@dataclass(frozen=True, slots=True)
class TableRow:
    header: str
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """The numbers of a chart, for screen readers and for browsers without JavaScript."""

    caption: str
    corner: str
    headers: tuple[str, ...]
    rows: tuple[TableRow, ...]


@dataclass(frozen=True, slots=True)
class TargetView:
    """One target seen from one period: what was expected, the verdict, and the projection."""

    kpi: str
    kpi_name: str
    builtin: bool
    goal: str
    rule: TargetRule
    summary: str
    expected: Decimal | None
    expected_text: str
    actual_text: str
    verdict: Verdict | None
    projection: Projection | None
    projection_text: str

    @property
    def verdict_value(self) -> str:
        return self.verdict.value if self.verdict else "none"

    @property
    def icon(self) -> str:
        return VERDICT_ICONS[self.verdict_value]


@dataclass(frozen=True, slots=True)
class KpiCard:
    """Everything the dashboard shows for one tracked KPI."""

    code: str
    name: str
    description: str
    builtin: bool
    unit: Unit
    direction: Direction
    value: Decimal | None
    value_text: str
    reason: str
    changes: tuple[Change, ...]
    target: TargetView | None
    chart: dict[str, Any] | None
    table: Table | None

    @property
    def chart_id(self) -> str:
        return f"chart-{self.code}"

    @property
    def chart_label(self) -> str:
        return gettext("Chart of %(kpi)s; the same numbers are in the table below it.") % {
            "kpi": self.name
        }

    @property
    def verdict(self) -> Verdict | None:
        return self.target.verdict if self.target else None


@dataclass(frozen=True, slots=True)
class FunnelStep:
    code: str
    name: str
    value: Decimal
    value_text: str
    share_text: str


@dataclass(frozen=True, slots=True)
class Funnel:
    """The AARRR steps that have data for the period, and the names of those that do not."""

    steps: tuple[FunnelStep, ...]
    missing: tuple[str, ...]
    chart: dict[str, Any] | None
    table: Table | None


@dataclass(frozen=True, slots=True)
class Dashboard:
    period: Period
    title: str
    span: str
    cards: tuple[KpiCard, ...]
    funnel: Funnel | None
    counts: tuple[tuple[str, str, str, int], ...]  # (verdict value, icon, label, count)


@dataclass(frozen=True, slots=True)
class Review:
    dashboard: Dashboard
    targets: tuple[TargetView, ...]


# -- periods, written for people ---------------------------------------------------------------


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


def period_short(period: Period) -> str:
    """A short label for a chart's axis: "Mar 2025", "Q1 2025" or "2025"."""
    return _period_names(period, _language())[1]


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


# -- numbers, written for people ---------------------------------------------------------------


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


# -- targets -----------------------------------------------------------------------------------


def pick_target(targets: Sequence[TargetInput], period: Period) -> TargetInput | None:
    """The target that judges a period: of those whose span overlaps it, the earliest deadline."""
    overlapping = [t for t in targets if t.rule.overlaps(period)]
    if not overlapping:
        return None
    return min(overlapping, key=lambda t: (t.rule.deadline, t.rule.first_month))


def _per_month(text: str, kpi: KpiDef) -> str:
    return gettext("%(value)s a month") % {"value": text} if kpi.period_total else text


def target_summary(rule: TargetRule, kpi: KpiDef, currency: str) -> str:
    """The target in one sentence, e.g. "At least €4,000.00 a month by June 2027, rising …"."""
    params = {
        "value": _per_month(format_value(rule.value, kpi.unit, currency), kpi),
        "first": month_name(rule.first_month),
        "deadline": month_name(rule.deadline),
    }
    at_least = rule.comparison is Comparison.AT_LEAST
    if rule.baseline is not None and rule.first_month != rule.deadline:
        params["baseline"] = _per_month(format_value(rule.baseline, kpi.unit, currency), kpi)
        if at_least:
            text = gettext(
                "At least %(value)s by %(deadline)s, moving evenly from %(baseline)s in %(first)s."
            )
        else:
            text = gettext(
                "At most %(value)s by %(deadline)s, moving evenly from %(baseline)s in %(first)s."
            )
    elif at_least:
        text = gettext("At least %(value)s from %(first)s to %(deadline)s.")
    else:
        text = gettext("At most %(value)s from %(first)s to %(deadline)s.")
    return text % params


def projection_sentence(
    rule: TargetRule, projection: Projection | None, kpi: KpiDef, currency: str, as_of: date
) -> str:
    """Where the recent trend leads, or why no projection can be made."""
    if rule.deadline <= as_of:
        return ""
    if projection is None:
        return gettext("At least 3 months of values are needed to tell where this pace leads.")
    params = {
        "value": format_value(rule.value, kpi.unit, currency),
        "deadline": month_name(rule.deadline),
        "projected": format_value(projection.value_at_deadline, kpi.unit, currency),
    }
    at_least = rule.comparison is Comparison.AT_LEAST
    if not projection.meets_target:
        if at_least:
            text = gettext(
                "At this pace you will not reach %(value)s by %(deadline)s: "
                "about %(projected)s then."
            )
        else:
            text = gettext(
                "At this pace you will not get down to %(value)s by %(deadline)s: "
                "about %(projected)s then."
            )
        return text % params
    fitted = dict(projection.points)
    last_month = max(month for month in fitted if month <= as_of)
    if rule.meets(fitted[last_month], rule.value) or projection.reach_month is None:
        return gettext("At this pace you keep to %(value)s until %(deadline)s.") % params
    params["month"] = month_name(projection.reach_month)
    if at_least:
        return gettext("At this pace you reach %(value)s in %(month)s.") % params
    return gettext("At this pace you get down to %(value)s in %(month)s.") % params


def target_view(
    target: TargetInput,
    *,
    kpi: KpiDef,
    result: KpiResult,
    period: Period,
    monthly: Sequence[tuple[date, Decimal]],
    as_of: date,
    currency: str,
) -> TargetView:
    """One target judged for ``period``, with the projection from the months up to ``as_of``."""
    rule = target.rule
    expected = rule.expected_for_period(period, kpi.period_total)
    projection = project(rule, list(monthly), as_of)
    return TargetView(
        kpi=kpi.code,
        kpi_name=str(kpi.name),
        builtin=KPIS.get(kpi.code) is kpi,
        goal=target.goal,
        rule=rule,
        summary=target_summary(rule, kpi, currency),
        expected=expected,
        expected_text=(
            gettext("Expected for %(period)s: %(value)s")
            % {
                "period": period_name(period),
                "value": format_value(expected, kpi.unit, currency),
            }
            if expected is not None
            else ""
        ),
        actual_text=_value_text(result, kpi, currency),
        verdict=rule.verdict(result, period, kpi.period_total),
        projection=projection,
        projection_text=projection_sentence(rule, projection, kpi, currency, as_of),
    )


# -- series ------------------------------------------------------------------------------------


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


def funnel_figures() -> list[str]:
    """The figures the AARRR funnel reads."""
    return _funnel_engine().figures_needed()


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


def _value_text(result: KpiResult, kpi: KpiDef, currency: str) -> str:
    if result.value is None:
        return gettext("n/a")
    return format_value(result.value, kpi.unit, currency)


def _reason_text(result: KpiResult, names: Mapping[str, str]) -> str:
    return result.reason.message(names) if result.reason is not None else ""


def figure_names(engine: Engine) -> dict[str, str]:
    """Figure codes to their names in the active language, for reasons."""
    return {code: str(figure.name) for code, figure in engine.figures.items()}


class _ChartText:
    """What every chart of one dashboard shares: the language, its numbers and its words."""

    def __init__(self, currency: str, kind: PeriodKind) -> None:
        self.language = _language()
        self.numbers = _numbers_for(self.language, currency)
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
        return _period_names(period, self.language)


def _kpi_chart(
    *,
    kpi: KpiDef,
    period: Period,
    periods: list[Period],
    results: Mapping[Period, Mapping[str, KpiResult]],
    target: TargetView | None,
    text: _ChartText,
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
        expected = [target.rule.expected_for_period(p, kpi.period_total) for p in shown]
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
        axis=_axis_format(text.language, kpi.unit, text.currency),
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
        else:
            cells = [""]
        if expected is not None:
            cells.append(cell(expected[index]))
        if projected is not None:
            cells.append(cell(projected[index]))
        rows.append(TableRow(name, tuple(cells)))
    caption = gettext("%(kpi)s: the numbers of the chart") % {"kpi": str(kpi.name)}
    return chart, Table(caption, text.corner, tuple(headers), tuple(rows))


# -- the funnel --------------------------------------------------------------------------------


def _funnel_kpi(code: str, formula: str) -> KpiDef:
    return KpiDef(
        code=code,
        name=code,
        description="",
        formula=formula,
        unit=Unit.COUNT,
        direction=Direction.UP,
        stage=None,
        domain=Domain.SALES,
    )


@functools.cache
def _funnel_engine() -> Engine:
    """The catalogue's figures, aggregated by the engine as for any KPI."""
    formulas = {code: code for code in FUNNEL_STEPS}
    formulas["returning_customers"] = "customers_end - new_customers"
    return Engine(FIGURES, {code: _funnel_kpi(code, formulas[code]) for code in FUNNEL_STEPS})


def _funnel_names() -> dict[str, str]:
    return {
        "visitors": gettext("Visitors"),
        "leads": gettext("Leads"),
        "new_customers": gettext("New customers"),
        "returning_customers": gettext("Returning customers"),
        "referrals": gettext("Referrals"),
    }


def funnel(figures: MonthlyFigures, period: Period, *, with_chart: bool = True) -> Funnel:
    """Visitors → leads → new customers → returning customers → referrals, as far as known."""
    results = _funnel_engine().compute(figures, period)
    names = _funnel_names()
    steps: list[FunnelStep] = []
    missing: list[str] = []
    previous: Decimal | None = None
    for code in FUNNEL_STEPS:
        value = results[code].value
        if value is None:
            missing.append(names[code])
            continue
        share = ""
        if previous:
            share = numbers("").percent(value / previous * 100)
        steps.append(
            FunnelStep(code, names[code], value, format_value(value, Unit.COUNT, ""), share)
        )
        previous = value
    chart = table = None
    if steps and with_chart:
        chart = funnel_chart(
            steps=[(step.name, step.value) for step in steps],
            texts=[step.value_text for step in steps],
            axis=axis_format(Unit.COUNT, ""),
        )
        table = Table(
            caption=gettext("The customer funnel for %(period)s") % {"period": period_name(period)},
            corner=gettext("Step"),
            headers=(gettext("Number"), gettext("Share of the step before")),
            rows=tuple(TableRow(step.name, (step.value_text, step.share_text)) for step in steps),
        )
    return Funnel(tuple(steps), tuple(missing), chart, table)


# -- assembly ----------------------------------------------------------------------------------


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
    results = engine.compute_series(figures, _periods_to_compute(period, periods, as_of), codes)
    names = figure_names(engine)
    text = _ChartText(currency, period.kind)
    cards = []
    for code in codes:
        kpi = engine.kpis[code]
        result = results[period][code]
        chosen = pick_target([t for t in targets if t.rule.kpi == code], period)
        target = None
        if chosen is not None:
            target = target_view(
                chosen,
                kpi=kpi,
                result=result,
                period=period,
                monthly=_monthly_values(results, as_of, code),
                as_of=as_of,
                currency=currency,
            )
        chart = table = None
        if charts:
            chart, table = _kpi_chart(
                kpi=kpi,
                period=period,
                periods=periods,
                results=results,
                target=target,
                text=text,
            )
        changes = tuple(
            change(
                result.value,
                results[other][code].value,
                against=other,
                unit=kpi.unit,
                direction=kpi.direction,
                currency=currency,
            )
            for other in (period.previous(), period.year_earlier())
        )
        cards.append(
            KpiCard(
                code=code,
                name=str(kpi.name),
                description=str(kpi.description),
                builtin=KPIS.get(code) is kpi,
                unit=kpi.unit,
                direction=kpi.direction,
                value=result.value,
                value_text=_value_text(result, kpi, currency),
                reason=_reason_text(result, names),
                changes=changes,
                target=target,
                chart=chart,
                table=table,
            )
        )
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


# -- the period picker -------------------------------------------------------------------------

PICKER_OPTIONS = 60


@dataclass(frozen=True, slots=True)
class PeriodLink:
    """A period as a query value (its label) and as a name people read."""

    label: str
    name: str
    current: bool = False


@dataclass(frozen=True, slots=True)
class Picker:
    period: Period
    kinds: tuple[tuple[str, str, PeriodLink], ...]  # (kind, translated kind, where it leads)
    previous: PeriodLink | None
    next: PeriodLink | None
    options: tuple[PeriodLink, ...]


def readable_period(text: str | None, fy_start: int) -> Period | None:
    """The period a query names (``YYYY-MM``, ``YYYY-Qn``, ``YYYY``), or None."""
    if not text:
        return None
    try:
        return parse_period_label(text[:20], fy_start)
    except PeriodError:
        return None


def _link(period: Period, current: Period | None = None) -> PeriodLink:
    return PeriodLink(period.label, period_name(period), period == current)


def _kind_target(period: Period, kind: PeriodKind, first: date | None, last: date | None) -> Period:
    """Where switching to ``kind`` leads: the matching period, complete when one is known."""
    anchor = period.end
    if last is not None and period.start <= last < period.end:
        anchor = last
    target = period_of(anchor, kind, period.fy_start)
    earlier = target.previous()
    if last is not None and target.end > last and first is not None and earlier.start >= first:
        return earlier
    return target


def period_picker(
    period: Period, *, first_month: date | None, last_month: date | None, latest: date
) -> Picker:
    """Kinds, previous and next, and the periods to jump to, within the months with data.

    ``latest`` is the last month one may move to even without data (the month to log now).
    """
    end = max(last_month, latest) if last_month else latest
    kind_labels = {
        PeriodKind.MONTH: pgettext("period kind", "Month"),
        PeriodKind.QUARTER: pgettext("period kind", "Quarter"),
        PeriodKind.YEAR: pgettext("period kind", "Year"),
    }
    kinds = tuple(
        (
            kind.value,
            kind_labels[kind],
            _link(
                period
                if kind is period.kind
                else _kind_target(period, kind, first_month, last_month)
            ),
        )
        for kind in PeriodKind
    )
    earlier, later = period.previous(), period.next()
    previous = _link(earlier) if first_month is not None and earlier.end >= first_month else None
    following = _link(later) if later.start <= end else None
    options: list[PeriodLink] = []
    if first_month is not None:
        option = period_of(end, period.kind, period.fy_start)
        while option.end >= first_month and len(options) < PICKER_OPTIONS:
            options.append(_link(option, period))
            option = option.previous()
    return Picker(period, kinds, previous, following, tuple(options))


def review_quarter(
    fy_start: int, *, first_month: date | None, last_month: date | None, fallback: date
) -> Period:
    """The quarter to review by default: the last one with data in all its months, if any."""
    if first_month is None or last_month is None:
        return period_of(fallback, PeriodKind.QUARTER, fy_start)
    quarter = period_of(last_month, PeriodKind.QUARTER, fy_start)
    earlier = quarter.previous()
    if quarter.end != last_month and earlier.start >= first_month:
        return earlier
    return quarter
