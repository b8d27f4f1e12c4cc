"""The dashboard's rendered cards, kept between requests.

Everything a dashboard shows apart from its comments follows from the business's rows, the
period, the reader's language and right to edit, and the month people log now. The key holds
all of these: the rows through ``Business.revision``, which every write to them replaces with
a new random token (see ``metrics.models.business_write`` and ``metrics.signals``). A
changed business therefore never meets its old cards: they are simply no longer asked for and
age out of the cache. When ``RenderedBoard`` or the fragments change shape, raise the cache's
``VERSION`` in the settings, so that no process reads boards of the old shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import cast

from django.core.cache import caches
from django.utils.safestring import SafeString

from metrics.models.business import Business

CACHE_ALIAS = "dashboard"


@dataclass(frozen=True, slots=True)
class RenderedCard:
    code: str
    name: str
    html: SafeString  # the card's content above its comments


@dataclass(frozen=True, slots=True)
class RenderedBoard:
    """A dashboard without its comments, as HTML fragments and the few facts the page needs."""

    period_label: str
    title: str
    span: str
    first_month: date | None
    last_month: date | None
    picker: SafeString
    counts: SafeString
    cards: tuple[RenderedCard, ...]
    funnel: SafeString


def board_key(
    business: Business, *, period: str, latest: date, language: str, can_edit: bool
) -> str:
    """``period`` is the label asked for, or empty for the default period."""
    return ":".join(
        (
            "board",
            str(business.pk),
            business.revision,
            language,
            "edit" if can_edit else "read",
            period or "-",
            f"{latest:%Y-%m}",
        )
    )


def cached_board(key: str, build: Callable[[], RenderedBoard]) -> RenderedBoard:
    """The board kept under ``key``, or a new one built and kept."""
    board = cast(RenderedBoard, caches[CACHE_ALIAS].get_or_set(key, build))
    return board


def clear() -> None:
    """Forget every kept board (the development server does it when a template changes)."""
    caches[CACHE_ALIAS].clear()
