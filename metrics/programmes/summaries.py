"""The per-business monthly summaries the programme dashboard reads: redone on write, rebuilt
in bulk by ``manage.py rebuild_summaries`` and the demo loader."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch, Q

from metrics.businesses.selectors import business_engine, engine_for, target_rule
from metrics.dashboard.build import month_verdicts
from metrics.dashboard.cards import TargetInput
from metrics.engine import Engine, MonthlyFigures, Verdict
from metrics.models.business import Business, CustomFigure, CustomKpi, TrackedKpi
from metrics.models.entries import Entry
from metrics.models.goals import Target
from metrics.models.summaries import BusinessMonth, LoggedMonths, Span

# Businesses summarised together when rebuilding: one read of their rows per chunk.
CHUNK = 250


def _summaries(
    business_id: int,
    engine: Engine,
    codes: Sequence[str],
    targets: Sequence[Target],
    figures: MonthlyFigures,
    months: Sequence[date],
) -> list[BusinessMonth]:
    """The summary rows of ``months`` from the business's figures and definitions."""
    verdicts = month_verdicts(
        engine=engine,
        figures=figures,
        codes=codes,
        targets=[TargetInput(target_rule(target), "") for target in targets],
        months=months,
    )
    return [
        BusinessMonth(
            business_id=business_id,
            month=month,
            revenue=figures.get(month, {}).get("revenue"),
            on_track=verdicts[month][Verdict.ON_TRACK],
            close=verdicts[month][Verdict.CLOSE],
            behind=verdicts[month][Verdict.BEHIND],
        )
        for month in months
    ]


def _businesses(ids: Sequence[int]) -> list[Business]:
    """The businesses with what judging their months needs, in five queries."""
    return list(
        Business.objects.filter(pk__in=ids).prefetch_related(
            "custom_figures",
            "custom_kpis",
            "tracked_kpis",
            Prefetch("targets", queryset=Target.objects.order_by()),
        )
    )


def _figures(ids: Sequence[int]) -> dict[int, MonthlyFigures]:
    rows: dict[int, dict[date, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    entries = Entry.objects.filter(business_id__in=ids).order_by()
    for business_id, month, figure, value in entries.values_list(
        "business_id", "month", "figure", "value"
    ):
        rows[business_id][month][figure] = value
    return {pk: MonthlyFigures(dict(months)) for pk, months in rows.items()}


def _in_span(month: date, span: Span) -> bool:
    return (span[0] is None or month >= span[0]) and (span[1] is None or month <= span[1])


def _logged(business_id: int, figures: MonthlyFigures) -> LoggedMonths | None:
    months = list(figures)
    if not months:
        return None
    return LoggedMonths(
        business_id=business_id, first=months[0], last=months[-1], count=len(months)
    )


def summaries_refresh(business_id: int, span: Span) -> None:
    """Summarise again the months of ``span`` that the business logged, and drop those it no
    longer has: eight queries (its definitions, its entries, a delete and two upserts)."""
    engine = engine_for(
        list(CustomFigure.objects.filter(business_id=business_id)),
        list(CustomKpi.objects.filter(business_id=business_id)),
    )
    codes = list(TrackedKpi.objects.filter(business_id=business_id).values_list("kpi", flat=True))
    targets = list(Target.objects.filter(business_id=business_id).order_by())
    figures = _figures([business_id]).get(business_id, MonthlyFigures({}))
    months = [month for month in figures if _in_span(month, span)]
    in_span = Q()
    if span[0] is not None:
        in_span &= Q(month__gte=span[0])
    if span[1] is not None:
        in_span &= Q(month__lte=span[1])
    with transaction.atomic(savepoint=False):
        BusinessMonth.objects.filter(in_span, business_id=business_id).exclude(
            month__in=months
        ).delete()
        BusinessMonth.objects.bulk_create(
            _summaries(business_id, engine, codes, targets, figures, months),
            update_conflicts=True,
            unique_fields=["business", "month"],
            update_fields=["revenue", "on_track", "close", "behind"],
        )
        logged = _logged(business_id, figures)
        if logged is None:
            LoggedMonths.objects.filter(business_id=business_id).delete()
        else:
            LoggedMonths.objects.bulk_create(
                [logged],
                update_conflicts=True,
                unique_fields=["business"],
                update_fields=["first", "last", "count"],
            )


def summaries_rebuild(business_ids: Iterable[int] | None = None) -> int:
    """Summarise every month of these businesses (all when None) anew; the rows written."""
    ids = list(
        Business.objects.order_by("pk").values_list("pk", flat=True)
        if business_ids is None
        else business_ids
    )
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        figures = _figures(chunk)
        rows = [
            row
            for business in _businesses(chunk)
            for row in _summaries(
                business.pk,
                business_engine(business),
                [tracked.kpi for tracked in business.tracked_kpis.all()],
                list(business.targets.all()),
                figures.get(business.pk, MonthlyFigures({})),
                list(figures.get(business.pk, {})),
            )
        ]
        logged = [_logged(pk, figures[pk]) for pk in chunk if pk in figures]
        with transaction.atomic():
            BusinessMonth.objects.filter(business_id__in=chunk).delete()
            BusinessMonth.objects.bulk_create(rows, batch_size=2000)
            LoggedMonths.objects.filter(business_id__in=chunk).delete()
            LoggedMonths.objects.bulk_create([row for row in logged if row is not None])
        written += len(rows)
    return written
