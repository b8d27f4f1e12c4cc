"""What a dashboard is made of: plain frozen records, ready for a template."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext

from metrics.engine import (
    Direction,
    Period,
    Projection,
    Unit,
    Verdict,
)
from metrics.engine import Target as TargetRule

# Shown beside each verdict's words, so that the chip never relies on colour alone.
VERDICT_ICONS = {"on_track": "✓", "close": "≈", "behind": "!", "no_data": "?", "none": "–"}


class VerdictMarks:
    """The verdict's name for CSS and its icon, for any record with a ``verdict`` field."""

    __slots__ = ()

    if TYPE_CHECKING:  # a field or a property of each record; nothing at run time

        @property
        def verdict(self) -> Verdict | None: ...

    @property
    def verdict_value(self) -> str:
        return self.verdict.value if self.verdict else "none"

    @property
    def icon(self) -> str:
        return VERDICT_ICONS[self.verdict_value]


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
    # The signed difference alone, for a table cell: "+€300.00 (+25.0%)", "No change", or "".
    amount: str = ""


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
class TargetView(VerdictMarks):
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


@dataclass(frozen=True, slots=True)
class KpiCard(VerdictMarks):
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
    # "So far: 2 of 3 months" when the value covers part of the period (the engine's rule).
    coverage: str = ""

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
