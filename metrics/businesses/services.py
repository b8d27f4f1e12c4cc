"""Writes of the business set-up: the KPIs a business follows, with why."""

from __future__ import annotations

from collections.abc import Sequence

from metrics.models.business import Business, TrackedKpi, business_write

WHY_MAX = 1000


def tracked_kpis_choose(*, business: Business, chosen: Sequence[tuple[str, str]]) -> None:
    """Follow exactly the ``(code, why)`` pairs, in their order; the other KPIs are dropped.

    Shared by the KPI chooser and the guided start, so both keep the same order and notes.
    """
    codes = [code for code, _why in chosen]
    with business_write(business):
        business.tracked_kpis.exclude(kpi__in=codes).delete()
        for position, (code, why) in enumerate(chosen):
            TrackedKpi.objects.update_or_create(
                business=business,
                kpi=code,
                defaults={"why": why.strip()[:WHY_MAX], "position": position},
            )
