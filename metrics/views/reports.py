"""The report for a bank, a lender or a mentor."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
