"""The period picker: which months, quarters and years a reader can jump to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import pgettext

from metrics.engine import (
    Period,
    PeriodError,
    PeriodKind,
    parse_period_label,
    period_of,
)
from metrics.formatting import period_name

PICKER_OPTIONS = 60


@dataclass(frozen=True, slots=True)
class PeriodLink:
    """A period as a query value (its label) and as a name people read."""

    label: str
    name: str
    current: bool = False


@dataclass(frozen=True, slots=True)
class Picker:
    period: Period
    kinds: tuple[tuple[str, str, PeriodLink], ...]  # (kind, translated kind, where it leads)
    previous: PeriodLink | None
    next: PeriodLink | None
    options: tuple[PeriodLink, ...]


def readable_period(text: str | None, fy_start: int) -> Period | None:
    """The period a query names (``YYYY-MM``, ``YYYY-Qn``, ``YYYY``), or None."""
    if not text:
        return None
    try:
        return parse_period_label(text[:20], fy_start)
    except PeriodError:
        return None


def _link(period: Period, current: Period | None = None) -> PeriodLink:
    return PeriodLink(period.label, period_name(period), period == current)


def _kind_target(period: Period, kind: PeriodKind, first: date | None, last: date | None) -> Period:
    """Where switching to ``kind`` leads: the matching period, complete when one is known."""
    anchor = period.end
    if last is not None and period.start <= last < period.end:
        anchor = last
    target = period_of(anchor, kind, period.fy_start)
    earlier = target.previous()
    if last is not None and target.end > last and first is not None and earlier.start >= first:
        return earlier
    return target


def period_picker(
    period: Period, *, first_month: date | None, last_month: date | None, latest: date
) -> Picker:
    """Kinds, previous and next, and the periods to jump to, within the months with data.

    ``latest`` is the last month one may move to even without data (the month to log now).
    """
    end = max(last_month, latest) if last_month else latest
    kind_labels = {
        PeriodKind.MONTH: pgettext("period kind", "Month"),
        PeriodKind.QUARTER: pgettext("period kind", "Quarter"),
        PeriodKind.YEAR: pgettext("period kind", "Year"),
    }
    kinds = tuple(
        (
            kind.value,
            kind_labels[kind],
            _link(
                period
                if kind is period.kind
                else _kind_target(period, kind, first_month, last_month)
            ),
        )
        for kind in PeriodKind
    )
    earlier, later = period.previous(), period.next()
    previous = _link(earlier) if first_month is not None and earlier.end >= first_month else None
    following = _link(later) if later.start <= end else None
    options: list[PeriodLink] = []
    if first_month is not None:
        option = period_of(end, period.kind, period.fy_start)
        while option.end >= first_month and len(options) < PICKER_OPTIONS:
            options.append(_link(option, period))
            option = option.previous()
    return Picker(period, kinds, previous, following, tuple(options))


def review_quarter(
    fy_start: int, *, first_month: date | None, last_month: date | None, fallback: date
) -> Period:
    """The quarter to review by default: the last one with data in all its months, if any."""
    if first_month is None or last_month is None:
        return period_of(fallback, PeriodKind.QUARTER, fy_start)
    quarter = period_of(last_month, PeriodKind.QUARTER, fy_start)
    earlier = quarter.previous()
    if quarter.end != last_month and earlier.start >= first_month:
        return earlier
    return quarter
