"""Reads: a business's figures, its engine (built-in plus its own KPIs) and its targets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from metrics.engine import CatalogueError, Engine, FigureDef, FormulaError, KpiDef, MonthlyFigures
from metrics.engine.catalogue import KPIS, Aggregation, Direction, Domain, Stage, Unit
from metrics.engine.targets import Comparison
from metrics.engine.targets import Target as TargetRule
from metrics.models.business import Business, CustomFigure, CustomKpi
from metrics.models.entries import Entry
from metrics.models.goals import Goal, Target


def figure_def(figure: CustomFigure) -> FigureDef:
    return FigureDef(
        code=figure.code,
        name=figure.name,
        description=figure.description,
        unit=Unit(figure.unit),
        aggregation=Aggregation(figure.aggregation),
    )


def kpi_def(kpi: CustomKpi) -> KpiDef:
    return KpiDef(
        code=kpi.code,
        name=kpi.name,
        description=kpi.description,
        formula=kpi.formula,
        unit=Unit(kpi.unit),
        direction=Direction(kpi.direction),
        stage=None,
        domain=Domain(kpi.domain),
        period_total=kpi.period_total,
    )


def engine_for(
    figures: list[CustomFigure], kpis: list[CustomKpi], *, strict: bool = False
) -> Engine:
    """The catalogue engine, extended with a business's own figures and KPIs when it has any.

    Outside ``strict`` mode a stored KPI whose formula no longer works (a figure it used was
    removed, say) is left out, so the rest of the business's pages keep working.
    """
    engine = Engine.catalogue()
    pending = list(kpis)
    while True:
        if not figures and not pending:
            return engine
        try:
            return engine.with_custom(
                figures=[figure_def(f) for f in figures], kpis=[kpi_def(k) for k in pending]
            )
        except (FormulaError, CatalogueError) as error:
            broken = set(getattr(error, "cycle", ())) | {getattr(error, "kpi", None)}
            remaining = [k for k in pending if k.code not in broken]
            if strict or len(remaining) == len(pending):
                if strict or not pending:
                    raise
                remaining = pending[:-1]
            pending = remaining


def business_engine(business: Business) -> Engine:
    """Two queries (custom figures, custom KPIs), or none when they were prefetched."""
    return engine_for(list(business.custom_figures.all()), list(business.custom_kpis.all()))


def business_figures(
    business: Business,
    *,
    first: date | None = None,
    last: date | None = None,
    codes: Iterable[str] | None = None,
) -> MonthlyFigures:
    """The business's entries (optionally between two months, or only some figures), in one
    query."""
    entries = Entry.objects.filter(business=business).order_by()
    if first is not None:
        entries = entries.filter(month__gte=first)
    if last is not None:
        entries = entries.filter(month__lte=last)
    if codes is not None:
        entries = entries.filter(figure__in=list(codes))
    rows: dict[date, dict[str, Decimal]] = defaultdict(dict)
    for month, figure, value in entries.values_list("month", "figure", "value"):
        rows[month][figure] = value
    return MonthlyFigures(rows)


def target_rule(target: Target) -> TargetRule:
    """The engine's view of a stored target."""
    return TargetRule(
        kpi=target.kpi,
        comparison=Comparison(target.comparison),
        value=target.value,
        first_month=target.first_month,
        deadline=target.deadline,
        baseline=target.baseline,
        tolerance=target.tolerance,
    )


def business_targets(business: Business) -> list[Target]:
    """The targets with their goals, in one query."""
    return list(Target.objects.filter(business=business).select_related("goal"))


def tracked_codes(business: Business) -> list[str]:
    """The KPI codes the business tracks, in display order."""
    return list(business.tracked_kpis.values_list("kpi", flat=True))


@dataclass(frozen=True, slots=True)
class TargetLine:
    """A target on the goals page, with its KPI's name in the active language."""

    target: Target
    kpi_name: str


@dataclass(frozen=True, slots=True)
class GoalTargets:
    goal: Goal
    targets: list[TargetLine]


def goals_with_targets(
    business: Business, engine: Engine
) -> tuple[list[GoalTargets], list[TargetLine]]:
    """Every goal with its targets, and the targets that serve no goal; two queries."""
    by_goal: dict[int | None, list[TargetLine]] = defaultdict(list)
    for target in business.targets.select_related("goal"):
        kpi = engine.kpis.get(target.kpi)
        by_goal[target.goal_id].append(TargetLine(target, str(kpi.name) if kpi else target.kpi))
    goals = [GoalTargets(goal, by_goal.get(goal.pk, [])) for goal in business.goals.all()]
    return goals, by_goal.get(None, [])


@dataclass(frozen=True, slots=True)
class ChooserRow:
    """One KPI on the chooser: ticked or not, its one-line explanation and its note."""

    code: str
    kpi: KpiDef
    custom: bool
    suggested: bool
    ticked: bool
    explanation: str
    why: str


@dataclass(frozen=True, slots=True)
class ChooserGroup:
    """The KPIs of one AARRR stage that are neither followed nor suggested, by domain."""

    stage: str
    label: str
    domains: list[tuple[str, list[ChooserRow]]]
    count: int


def chooser_rows(
    engine: Engine,
    *,
    whys: dict[str, str],
    reasons: dict[str, str],
    ticked: Iterable[str] | None = None,
    typed: dict[str, str] | None = None,
) -> tuple[list[ChooserRow], list[ChooserGroup]]:
    """The KPIs followed and the suggested ones first, then the rest by stage and domain.

    ``whys`` holds the followed KPIs (code to note) in their order and ``reasons`` the
    suggestions for how the business sells. Nothing followed yet: the suggestions come
    ticked, their reasons as notes. A sent form's ``ticked`` and ``typed`` notes win.
    """
    chosen = set(ticked) if ticked is not None else set(whys) or set(reasons)
    fresh = not whys and ticked is None

    def row(code: str) -> ChooserRow:
        kpi = engine.kpis[code]
        reason = reasons.get(code)
        why = whys.get(code, reason if fresh and reason else "")
        if typed is not None:
            why = typed.get(code, "")
        return ChooserRow(
            code=code,
            kpi=kpi,
            custom=code not in KPIS,
            suggested=reason is not None,
            ticked=code in chosen,
            explanation=reason or str(kpi.description),
            why=why,
        )

    first = [code for code in dict.fromkeys([*whys, *reasons]) if code in engine.kpis]
    rest: dict[str, dict[str, list[ChooserRow]]] = defaultdict(lambda: defaultdict(list))
    for code, kpi in engine.kpis.items():
        if code not in first:
            rest[kpi.stage.value if kpi.stage else "other"][kpi.domain.value].append(row(code))
    stages = [(stage.value, str(stage.label)) for stage in Stage] + [("other", _("Other"))]
    groups = []
    for code, label in stages:
        if code not in rest:
            continue
        domains = [
            (str(domain.label), rest[code][domain.value])
            for domain in Domain
            if domain.value in rest[code]
        ]
        count = sum(len(rows) for _label, rows in domains)
        groups.append(ChooserGroup(code, str(label), domains, count))
    return [row(code) for code in first], groups
