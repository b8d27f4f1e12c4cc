"""Reads for "peers like me": a business's programmes, its peers there, and their KPI values.

Peers are the other businesses with an active membership (any consent: aggregate and named
both allow totals) in a cohort of a programme the business is itself an active member of,
with the same country and the same sector. A member who left, or whose account is deleted,
is no one's peer from then on. Three queries whatever the number of peers or programmes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from metrics.engine import KPIS, Engine, MonthlyFigures, Period, Unit
from metrics.models.business import Business
from metrics.models.entries import Entry
from metrics.models.programmes import CohortMembership, Programme
from metrics.peers.quartiles import Comparison, compare, whole_value


@dataclass(frozen=True, slots=True)
class ProgrammePeers:
    """The comparison of one KPI in one programme the business belongs to."""

    programme: Programme
    comparison: Comparison


def member_programmes(business: Business) -> list[Programme]:
    """The programmes in which the business is an active member of a cohort (one query)."""
    return list(
        Programme.objects.filter(
            cohorts__memberships__business=business, cohorts__memberships__left_at=None
        ).distinct()
    )


def _peers(business: Business, programmes: list[Programme], money: bool) -> dict[int, set[int]]:
    """Each programme's peers of ``business``, as business ids (one query)."""
    memberships = CohortMembership.objects.filter(
        left_at=None,
        cohort__programme__in=programmes,
        business__country=business.country,
        business__sector=business.sector,
    ).exclude(business=business)
    if money:  # amounts in another currency do not compare
        memberships = memberships.filter(business__currency=business.currency)
    peers: dict[int, set[int]] = defaultdict(set)
    for programme_id, business_id in memberships.order_by().values_list(
        "cohort__programme_id", "business_id"
    ):
        peers[programme_id].add(business_id)
    return peers


def _figures(
    business_ids: set[int], first: date, last: date, codes: list[str]
) -> dict[int, MonthlyFigures]:
    """The figures ``codes`` of every business named, from ``first`` to ``last`` (one query)."""
    rows: dict[int, dict[date, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    entries = Entry.objects.filter(
        business_id__in=business_ids, month__gte=first, month__lte=last, figure__in=codes
    ).order_by()
    for business_id, month, figure, value in entries.values_list(
        "business_id", "month", "figure", "value"
    ):
        rows[business_id][month][figure] = value
    return {pk: MonthlyFigures(months) for pk, months in rows.items()}


def peer_values(
    business_ids: set[int], code: str, period: Period, engine: Engine
) -> dict[int, Decimal | None]:
    """Each business's value of the built-in KPI ``code`` over the whole ``period``."""
    if not business_ids:
        return {}
    needed = engine.figures_needed([code])
    figures = _figures(business_ids, period.previous().start, period.end, needed)
    empty = MonthlyFigures({})
    return {
        pk: whole_value(engine.compute(figures.get(pk, empty), period, [code])[code])
        for pk in business_ids
    }


def kpi_among_peers(
    business: Business,
    programmes: list[Programme],
    code: str,
    period: Period,
    own: Decimal | None,
) -> list[ProgrammePeers]:
    """The business's value ``own`` of a built-in KPI among its peers, per programme.

    The caller checks that the business has a sector and that ``code`` is built in.
    """
    kpi = KPIS[code]
    peers = _peers(business, programmes, money=kpi.unit is Unit.MONEY)
    engine = Engine.catalogue()
    values = peer_values(set().union(*peers.values()), code, period, engine)
    return [
        ProgrammePeers(
            programme,
            compare(own, [values[pk] for pk in peers.get(programme.pk, ())], kpi.direction),
        )
        for programme in programmes
    ]
