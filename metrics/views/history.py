"""The history of a month's figures, and restoring a previous value."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
