"""Reads for the dashboard: the months a business has logged, and only the figures it needs.

A dashboard shows at most a few years around one period and the figures its KPIs use, so it
reads that window instead of every entry the business ever made.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Max, Min

from metrics.businesses.selectors import business_figures
from metrics.engine import MonthlyFigures
from metrics.models.business import Business
from metrics.models.entries import Entry
from metrics.models.programmes import CohortMembership


def entry_span(business: Business) -> tuple[date | None, date | None]:
    """The first and the last month with any entry (one query, on the business-month index)."""
    span = Entry.objects.filter(business=business).aggregate(first=Min("month"), last=Max("month"))
    return span["first"], span["last"]


def window_figures(
    business: Business, *, first: date, last: date, codes: Iterable[str]
) -> MonthlyFigures:
    """The given figures from ``first`` to ``last`` (months), in one query."""
    return business_figures(business, first=first, last=last, codes=codes)


def in_a_programme(business: Business) -> bool:
    """Whether the business is in a cohort now, and so has similar businesses to compare with."""
    return CohortMembership.objects.filter(business=business, left_at=None).exists()
