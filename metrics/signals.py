"""Saves and deletions of a dashboard's rows outside the services renew the business's revision.

The services write inside ``business_write``, which renews it once for the whole write; these
receivers cover everything else that saves a single row, such as the admin. Deleting a whole
business (or its owner) needs nothing: its cards are no longer asked for.

The same saves and deletions mark the months of the business's summaries they can change: an
entry its month and every later one (KPIs look back at earlier months, never ahead), a target
the months of its span before and after, a KPI followed or defined, or a figure defined, all.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from metrics.models import (
    Business,
    CustomFigure,
    CustomKpi,
    Entry,
    Goal,
    Target,
    TrackedKpi,
    businesses_touch,
    in_business_write,
)
from metrics.models.summaries import Span, summary_stale

# The rows a dashboard's cards are built from.
DASHBOARD_ROWS: tuple[type[models.Model], ...] = (
    CustomFigure,
    CustomKpi,
    TrackedKpi,
    Entry,
    Goal,
    Target,
)


def _touch(business_id: int) -> None:
    if not in_business_write(business_id):
        businesses_touch([business_id])


def _span(instance: Any) -> Span:
    """The months of a business's summaries that this row can change."""
    if isinstance(instance, Entry):
        return instance.month, None
    if isinstance(instance, Target):
        first, last = instance.first_month, instance.deadline
        before: Span | None = getattr(instance, "_span_before", None)
        if before is not None and before[0] is not None and before[1] is not None:
            first, last = min(first, before[0]), max(last, before[1])
        return first, last
    return None, None


def _saved(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    _touch(instance.business_id)
    if sender is not Goal:  # a goal's title judges nothing
        summary_stale(instance.business_id, *_span(instance))


def _target_saving(sender: type[models.Model], instance: Target, **kwargs: Any) -> None:
    """Keep the span a changed target had, since the months it leaves change too."""
    if instance.pk is not None:
        instance._span_before = (  # type: ignore[attr-defined]  # read by _span
            Target.objects.filter(pk=instance.pk).values_list("first_month", "deadline").first()
        )


def _deleted(sender: type[models.Model], instance: Any, origin: Any = None, **kwargs: Any) -> None:
    model = origin.model if isinstance(origin, models.QuerySet) else type(origin)
    if issubclass(model, Business | get_user_model()):
        return
    _touch(instance.business_id)
    if sender is not Goal:
        summary_stale(instance.business_id, *_span(instance))


def connect() -> None:
    for model in DASHBOARD_ROWS:
        post_save.connect(_saved, sender=model, dispatch_uid=f"touch-saved-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"touch-deleted-{model.__name__}")
    pre_save.connect(_target_saving, sender=Target, dispatch_uid="target-span-before")
