"""One row per business and logged month: what the programme dashboard reads, kept on write.

The programme dashboard sums thousands of businesses; building each one's dashboard on every
request would take seconds. Every write that can change a month's verdicts marks the months it
reaches (``summary_stale``); the marks are redone once, at the end of the write's transaction
(see ``business_write``), or at once for a single save outside one.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from metrics.models.business import (
    Business,
    in_business_write,
    on_business_write_end,
    validate_first_of_month,
)

# A span of months to redo: (first, last), either None for "no bound".
Span = tuple[date | None, date | None]


class BusinessMonth(models.Model):
    """A month a business logged: its revenue and how its tracked KPIs stood against targets."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="month_summaries")
    month = models.DateField(_("month"), validators=[validate_first_of_month])
    revenue = models.DecimalField(_("revenue"), max_digits=18, decimal_places=4, null=True)
    on_track = models.PositiveSmallIntegerField(_("on track"), default=0)
    close = models.PositiveSmallIntegerField(_("close"), default=0)
    behind = models.PositiveSmallIntegerField(_("behind"), default=0)

    class Meta:
        verbose_name = _("month summary")
        verbose_name_plural = _("month summaries")
        ordering = ["business", "month"]
        constraints = [
            models.UniqueConstraint(fields=["business", "month"], name="business_month_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="business_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.business_id} {self.month:%Y-%m}"


class LoggedMonths(models.Model):
    """Which months a business logged, in short: kept with its ``BusinessMonth`` rows, so that
    the programme dashboard reads only the recent rows, however long the history."""

    business = models.OneToOneField(
        Business, on_delete=models.CASCADE, primary_key=True, related_name="logged_months"
    )
    first = models.DateField(_("first month logged"))
    last = models.DateField(_("last month logged"))
    count = models.PositiveIntegerField(_("months logged"))

    class Meta:
        verbose_name = _("months logged")
        verbose_name_plural = _("months logged")

    def __str__(self) -> str:
        return f"{self.business_id} {self.first:%Y-%m}–{self.last:%Y-%m} ({self.count})"


# Months waiting to be redone, per business, while a ``business_write`` is under way.
_stale: ContextVar[dict[int, Span] | None] = ContextVar("summaries_stale", default=None)

# Redoes the summaries of one business over a span; set by the app once it is ready, since the
# engine and the business's definitions it needs live above the models.
_refresh: list[Callable[[int, Span], None]] = []


def summaries_refresher(refresh: Callable[[int, Span], None]) -> None:
    _refresh[:] = [refresh]


def _join(a: Span, b: Span) -> Span:
    first = None if a[0] is None or b[0] is None else min(a[0], b[0])
    last = None if a[1] is None or b[1] is None else max(a[1], b[1])
    return first, last


def summary_stale(business_id: int, first: date | None = None, last: date | None = None) -> None:
    """The months from ``first`` to ``last`` (None: unbounded) of a business may have changed.

    Inside a ``business_write`` for it they are redone once when the write ends; otherwise now.
    """
    if not _refresh:
        return
    if in_business_write(business_id):
        stale = _stale.get()
        if stale is None:
            stale = {}
            _stale.set(stale)
        stale[business_id] = (
            _join(stale[business_id], (first, last)) if business_id in stale else (first, last)
        )
        return
    _refresh[0](business_id, (first, last))


def summaries_flush(business_id: int) -> None:
    """Redo what the write that is ending marked for this business (called by business_write)."""
    stale = _stale.get()
    if stale and business_id in stale and _refresh:
        _refresh[0](business_id, stale.pop(business_id))


def summaries_forget(business_id: int) -> None:
    """A write that failed: its marks go with it."""
    stale = _stale.get()
    if stale:
        stale.pop(business_id, None)


def _write_ended(business_id: int, went_through: bool) -> None:
    if went_through:
        summaries_flush(business_id)
    else:
        summaries_forget(business_id)


on_business_write_end(_write_ended)
