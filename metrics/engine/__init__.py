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
from metrics.engine.csvio import (
    FileFormatError,
    InputError,
    Row,
    Transaction,
    csv_rows,
    decode_csv_bytes,
    derive_figures,
    format_decimal,
    read_figures_csv,
    read_figures_rows,
    read_transactions_csv,
    read_transactions_rows,
    write_figures_csv,
    write_results_csv,
)
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
    "FileFormatError",
    "FormulaError",
    "Guard",
    "InputError",
    "KpiDef",
    "KpiResult",
    "MonthlyFigures",
    "Period",
    "PeriodError",
    "PeriodKind",
    "Projection",
    "Reason",
    "ReasonKind",
    "Row",
    "Stage",
    "Target",
    "Transaction",
    "Unit",
    "Verdict",
    "add_months",
    "csv_rows",
    "decode_csv_bytes",
    "derive_figures",
    "format_decimal",
    "months_between",
    "parse",
    "parse_month",
    "parse_period_label",
    "period_of",
    "periods_between",
    "project",
    "read_figures_csv",
    "read_figures_rows",
    "read_transactions_csv",
    "read_transactions_rows",
    "write_figures_csv",
    "write_results_csv",
]
