"""The pure KPI computation core: figures in, KPI values with reasons out.

It knows nothing of HTTP, the database or charts, so the dashboard, the exports, the reports and
the command line all call the same code.

Periods with months missing (this rule extends kpi-reference.md §3, which it overrides where
they differ; issue 12)
---------------------------------------------------------------------------------------------
A quarter or a year is computed from its aggregated figures (§3). When some of its months lack a
figure, a KPI still has a value **so far** where its formula allows it:

1. Each KPI is computed over the months in which *every* figure it uses (directly, through other
   KPIs, or in its guard) is present — the months those figures share. Flows (``sum``) are added
   over those months, ``mean`` figures averaged over them, ``last`` stocks take the last of them
   and ``first`` stocks the first of them; ratios are recomputed from those aggregates, so a
   numerator and a denominator always cover the same months (conversion over January and March
   is the orders of January and March over the visitors of the same two months).
2. ``months`` in a formula is the number of those months, so net burn stays a per-month average
   over the months present, and the runway divides the last cash figure by it.
3. The result carries the months it covers (``KpiResult.months``, None when the whole period is
   covered) and is shown as "2 of 3 months"; files note it as ``partial 2 of 3 months``.
4. A KPI that uses ``previous()`` (revenue growth, or any KPI built on one) compares whole
   periods: over part of a period it is n/a, reason ``partial_period``; and a period compared with
   a previous period that is itself partial is n/a, reason ``incomplete`` (part of a quarter
   against a whole one would read as a fall).
5. A figure present in no month of the period is missing, as before (``missing``, naming the
   first month); figures that are each present in some months but share none leave the KPI n/a
   with ``incomplete: X has 1 of 3 months``, naming the figure with the fewest months.
6. Verdicts (``Target.verdict``): a period total (a flow, ``KpiDef.period_total``) is compared
   with the expected values of the months present added up — two months of a quarterly target
   are two thirds of it, and a ramp adds its values for exactly those months; a rate or a stock
   is not pro-rated: it is compared with the expected value at the last month present.
"""

from __future__ import annotations

from metrics.engine.catalogue import (
    FIGURES,
    KPIS,
    Aggregation,
    Direction,
    Domain,
    FigureDef,
    Guard,
    KpiDef,
    Stage,
    Unit,
)
from metrics.engine.compute import CatalogueError, CycleError, Engine, MonthlyFigures
from metrics.engine.formula import FormulaError, parse
from metrics.engine.periods import (
    Period,
    PeriodError,
    PeriodKind,
    add_months,
    months_between,
    parse_month,
    parse_period_label,
    period_of,
    periods_between,
)
from metrics.engine.results import KpiResult, Reason, ReasonKind
from metrics.engine.targets import Comparison, Projection, Target, Verdict, project

__all__ = [
    "FIGURES",
    "KPIS",
    "Aggregation",
    "CatalogueError",
    "Comparison",
    "CycleError",
    "Direction",
    "Domain",
    "Engine",
    "FigureDef",
    "FormulaError",
    "Guard",
    "KpiDef",
    "KpiResult",
    "MonthlyFigures",
    "Period",
    "PeriodError",
    "PeriodKind",
    "Projection",
    "Reason",
    "ReasonKind",
    "Stage",
    "Target",
    "Unit",
    "Verdict",
    "add_months",
    "months_between",
    "parse",
    "parse_month",
    "parse_period_label",
    "period_of",
    "periods_between",
    "project",
]
