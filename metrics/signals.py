"""Single saves and deletions of a dashboard's rows change the business's revision.

Bulk writes do it in ``BusinessDataQuerySet``. A deletion started by such a queryset is left
to it, and one that removes the whole business (or its owner) needs nothing.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.signals import post_delete, post_save

from metrics.models.business import Business, BusinessDataQuerySet, businesses_touch

# The models whose manager is a BusinessDataQuerySet: one declaration in models.py.
DASHBOARD_ROWS = tuple(
    model
    for model in apps.get_app_config("metrics").get_models()
    if isinstance(model._default_manager.all(), BusinessDataQuerySet)
)


def _saved(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    businesses_touch([instance.business_id])


def _deleted(sender: type[models.Model], instance: Any, origin: Any = None, **kwargs: Any) -> None:
    if isinstance(origin, BusinessDataQuerySet):
        return
    model = origin.model if isinstance(origin, models.QuerySet) else type(origin)
    if issubclass(model, Business | get_user_model()):
        return
    businesses_touch([instance.business_id])


def connect() -> None:
    for model in DASHBOARD_ROWS:
        post_save.connect(_saved, sender=model, dispatch_uid=f"touch-saved-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"touch-deleted-{model.__name__}")
