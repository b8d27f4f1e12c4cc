"""The CSV exports of a business's figures and KPI results."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from metrics.businesses.selectors import business_figures
from metrics.engine import Engine, KpiResult, MonthlyFigures, Period, PeriodKind, periods_between
from metrics.files.csv import write_figures_csv, write_results_csv
from metrics.models.business import Business


def exported_figures(
    business: Business, engine: Engine, needed: Iterable[str]
) -> tuple[MonthlyFigures, list[str]]:
    """Every figure with a value and those the tracked KPIs need, in catalogue order."""
    data = business_figures(business)
    codes = [code for code in engine.figures if code in data.codes() or code in set(needed)]
    # Stored values carry four decimals; a file reads better with 1000 than with 1000.0000.
    plain = MonthlyFigures(
        {month: {code: value.normalize() for code, value in data[month].items()} for month in data}
    )
    return plain, codes


def figures_csv(business: Business, engine: Engine, needed: Iterable[str]) -> str:
    """The wide figures file: every figure with a value, and those the tracked KPIs need."""
    return write_figures_csv(*exported_figures(business, engine, needed))


def exported_results(
    business: Business, engine: Engine, codes: Sequence[str], kind: PeriodKind
) -> dict[Period, dict[str, KpiResult]]:
    """The KPI results for every period of ``kind`` that the business's figures touch."""
    data = business_figures(business)
    if data.first_month is None or data.last_month is None or not codes:
        return {}
    periods = periods_between(data.first_month, data.last_month, kind, business.fy_start)
    return engine.compute_series(data, periods, codes)


def results_csv(business: Business, engine: Engine, codes: Sequence[str], kind: PeriodKind) -> str:
    """The KPI results file for every period of ``kind`` that the business's figures touch."""
    return write_results_csv(exported_results(business, engine, codes, kind))
