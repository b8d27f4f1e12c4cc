"""The AARRR funnel: visitors to leads to customers to referrals, as far as known."""

from __future__ import annotations

import functools
from decimal import Decimal

from django.utils.translation import gettext

from metrics.dashboard.cards import Funnel, FunnelStep, Table, TableRow
from metrics.dashboard.charts import funnel_chart
from metrics.dashboard.text import axis_format
from metrics.engine import (
    FIGURES,
    Direction,
    Domain,
    Engine,
    KpiDef,
    MonthlyFigures,
    Period,
    Unit,
)
from metrics.formatting import format_value, numbers, period_name

FUNNEL_STEPS = ("visitors", "leads", "new_customers", "returning_customers", "referrals")


def funnel_figures() -> list[str]:
    """The figures the AARRR funnel reads."""
    return _funnel_engine().figures_needed()


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
