"""Saves and deletions of a dashboard's rows outside the services renew the business's revision.

The services write inside ``business_write``, which renews it once for the whole write; these
receivers cover everything else that saves a single row, such as the admin. Deleting a whole
business (or its owner) needs nothing: its cards are no longer asked for.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
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
    in_business_write,
)

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


def _saved(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    _touch(instance.business_id)


def _deleted(sender: type[models.Model], instance: Any, origin: Any = None, **kwargs: Any) -> None:
    model = origin.model if isinstance(origin, models.QuerySet) else type(origin)
    if issubclass(model, Business | get_user_model()):
        return
    _touch(instance.business_id)


def connect() -> None:
    for model in DASHBOARD_ROWS:
        post_save.connect(_saved, sender=model, dispatch_uid=f"touch-saved-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"touch-deleted-{model.__name__}")
