"""Single saves and deletions of a dashboard's rows change the business's revision.

Bulk writes do it in ``BusinessDataQuerySet``; a deletion that a queryset started, or that
removes the whole business, is left to the queryset or needs nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save

from metrics.models import (
    Business,
    CustomFigure,
    CustomKpi,
    Entry,
    Goal,
    Target,
    TrackedKpi,
    businesses_touch,
)

DASHBOARD_ROWS = (CustomFigure, CustomKpi, Entry, Goal, Target, TrackedKpi)


def _saved(sender: type[models.Model], instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:  # fixtures load rows as they are
        businesses_touch([instance.business_id])


def _deleted(sender: type[models.Model], instance: Any, origin: Any = None, **kwargs: Any) -> None:
    if isinstance(origin, models.QuerySet | Business):
        return
    businesses_touch([instance.business_id])


def connect() -> None:
    for model in DASHBOARD_ROWS:
        post_save.connect(_saved, sender=model, dispatch_uid=f"touch-saved-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"touch-deleted-{model.__name__}")
