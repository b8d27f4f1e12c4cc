"""A card's target: which one judges a period, and the sentences that describe it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext

from metrics.dashboard.cards import TargetInput, TargetView
from metrics.dashboard.text import coverage_text, value_text
from metrics.engine import (
    KPIS,
    Comparison,
    KpiDef,
    KpiResult,
    Period,
    Projection,
    project,
)
from metrics.engine import Target as TargetRule
from metrics.formatting import format_value, month_name, period_name


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


def with_coverage(text: str, result: KpiResult, currency: str) -> str:
    """A value's text, with "(2 of 3 months)" after it when it covers part of its period."""
    coverage = coverage_text(result, currency)
    if not coverage:
        return text
    return gettext("%(value)s (%(months)s)") % {"value": text, "months": coverage}


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
    # A value so far is judged against the months it covers (pro-rated for totals).
    expected = rule.expected_for_period(period, kpi.period_total, result.months)
    projection = project(rule, list(monthly), as_of)
    if result.is_partial:
        expected_label = gettext("Expected for %(period)s so far: %(value)s")
    else:
        expected_label = gettext("Expected for %(period)s: %(value)s")
    return TargetView(
        kpi=kpi.code,
        kpi_name=str(kpi.name),
        builtin=KPIS.get(kpi.code) is kpi,
        goal=target.goal,
        rule=rule,
        summary=target_summary(rule, kpi, currency),
        expected=expected,
        expected_text=(
            expected_label
            % {
                "period": period_name(period),
                "value": format_value(expected, kpi.unit, currency),
            }
            if expected is not None
            else ""
        ),
        actual_text=with_coverage(value_text(result, kpi, currency), result, currency),
        verdict=rule.verdict(result, period, kpi.period_total),
        projection=projection,
        projection_text=projection_sentence(rule, projection, kpi, currency, as_of),
    )
