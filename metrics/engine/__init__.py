"""The pure KPI computation core: figures in, KPI values with reasons out.

It knows nothing of HTTP, the database or charts, so the dashboard, the exports, the reports and
the command line all call the same code.
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
