"""Reads for the guided start: the starter rows, the target's choices, the month's figures."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from metrics.businesses.advice import EXAMPLE_TARGETS, FIRST_TARGET, reasons_for
from metrics.businesses.selectors import business_engine, tracked_codes
from metrics.engine import KPIS, FigureDef
from metrics.files.numbers import format_for_input
from metrics.formatting import format_number
from metrics.models.business import Business
from metrics.months.selectors import needed_figures
from metrics.onboarding.forms import FirstTargetForm
from metrics.pages import last_complete_month


def first_month() -> date:
    """The month the guided start asks figures for, and where its target begins: last month."""
    return last_complete_month()


def kpi_step_rows(
    business: Business,
) -> tuple[list[dict[str, Any]], list[tuple[str, str]], dict[str, str], list[str]]:
    """The starter set (and any KPI already followed), each with its reason and note.

    Returns the rows to show, the form's choices, the notes to prefill and the codes ticked:
    the starter set when nothing is followed yet, else what is followed.
    """
    engine = business_engine(business)
    reasons = reasons_for(business.channel)
    tracked = {t.kpi: t.why for t in business.tracked_kpis.all() if t.kpi in engine.kpis}
    codes = list(dict.fromkeys([*reasons, *tracked]))
    rows: list[dict[str, Any]] = [
        {
            "code": code,
            "kpi": engine.kpis[code],
            "reason": reasons.get(code) or str(engine.kpis[code].description),
            "guide": code in KPIS,  # the catalogue's KPIs have a guide page, one's own do not
        }
        for code in codes
        if code in engine.kpis
    ]
    choices = [(row["code"], str(row["kpi"].name)) for row in rows]
    whys = {code: tracked.get(code) or reasons.get(code, "") for code in codes}
    ticked = list(tracked) if tracked else list(reasons)
    return rows, choices, whys, ticked


def target_form(
    business: Business, data: Mapping[str, Any] | None
) -> tuple[FirstTargetForm | None, list[tuple[str, str]]]:
    """The first target's form over the KPIs followed (None when none is), and the examples.

    The KPI proposed is the way of selling's usual first one when followed, else the first
    followed; its example value is filled in.
    """
    engine = business_engine(business)
    codes = [code for code in tracked_codes(business) if code in engine.kpis]
    if not codes:
        return None, []
    proposed = FIRST_TARGET.get(business.channel, "revenue")
    if proposed not in codes:
        proposed = codes[0]
    choices = [(code, str(engine.kpis[code].name)) for code in codes]
    initial: dict[str, Any] = {"kpi": proposed}
    if proposed in EXAMPLE_TARGETS:
        initial["value"] = format_for_input(EXAMPLE_TARGETS[proposed])
    examples = [
        (str(engine.kpis[code].name), format_number(EXAMPLE_TARGETS[code], 0))
        for code in codes
        if code in EXAMPLE_TARGETS
    ]
    return FirstTargetForm(data, choices=choices, initial=initial), examples


def month_figures(business: Business) -> list[FigureDef]:
    """Only the figures the followed KPIs need, in the month form's order."""
    engine = business_engine(business)
    return [engine.figures[code] for code in needed_figures(engine, tracked_codes(business))]
