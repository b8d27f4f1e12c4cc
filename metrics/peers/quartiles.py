"""Peers like me: where one business's KPI value sits among similar businesses, no database.

Quartiles are computed by linear interpolation between order statistics (the "inclusive"
method: Python's ``statistics.quantiles(method="inclusive")``, Excel's ``QUARTILE.INC``, type 7
of Hyndman and Fan). For the values sorted as x[0] … x[n-1], the quantile p sits at position
h = (n - 1) × p; with i the whole part of h, it is x[i] + (h - i) × (x[i+1] - x[i]).

The business itself is not one of its peers: it is placed among the *other* businesses, and
the counts say how many others had a value. A value that covers only part of the period is
left out like n/a, since a quarter of two months does not compare with a quarter of three.
A comparison needs ``MIN_PEERS`` others with a value; below that nothing is shown, and below
``MIN_BUSINESSES`` not even how many there are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from metrics.disclosure import MIN_BUSINESSES
from metrics.engine import Direction, KpiResult

MIN_PEERS = 10


class Quarter(StrEnum):
    """A quarter of the peers, counted from the best, whichever way the KPI is better."""

    BEST = "best"
    BETTER = "better"  # the better half, not the best quarter
    WEAKER = "weaker"  # the weaker half, not the weakest quarter
    WEAKEST = "weakest"


# The quarters in the order a quartile bar draws them: from the weakest to the best.
BAR_ORDER = (Quarter.WEAKEST, Quarter.WEAKER, Quarter.BETTER, Quarter.BEST)


class Status(StrEnum):
    """Why a comparison is shown, or why not."""

    COMPARED = "compared"
    TOO_FEW = "too_few"


@dataclass(frozen=True, slots=True)
class Quartiles:
    q1: Decimal
    median: Decimal
    q3: Decimal


@dataclass(frozen=True, slots=True)
class Comparison:
    """One KPI of one business against its peers in one programme, for one period."""

    status: Status
    # Peers with a value; None when fewer than MIN_BUSINESSES, which is never said.
    peers: int | None
    quartiles: Quartiles | None = None
    # None when the business itself has no value for the period.
    quarter: Quarter | None = None


def quantile(ordered: Sequence[Decimal], p: Decimal) -> Decimal:
    """The ``p`` quantile (0 to 1) of values sorted in increasing order, by interpolation."""
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * p
    index = int(position)
    fraction = position - index
    if fraction == 0 or index + 1 >= len(ordered):
        return ordered[index]
    return ordered[index] + fraction * (ordered[index + 1] - ordered[index])


def quartiles(values: Iterable[Decimal]) -> Quartiles:
    """Q1, the median and Q3 of at least one value."""
    ordered = sorted(values)
    return Quartiles(
        q1=quantile(ordered, Decimal("0.25")),
        median=quantile(ordered, Decimal("0.5")),
        q3=quantile(ordered, Decimal("0.75")),
    )


def quarter_of(value: Decimal, bounds: Quartiles, direction: Direction) -> Quarter:
    """The quarter ``value`` falls in; a value on a quartile counts in the better quarter."""
    if direction is Direction.DOWN:
        if value <= bounds.q1:
            return Quarter.BEST
        if value <= bounds.median:
            return Quarter.BETTER
        if value <= bounds.q3:
            return Quarter.WEAKER
        return Quarter.WEAKEST
    if value >= bounds.q3:
        return Quarter.BEST
    if value >= bounds.median:
        return Quarter.BETTER
    if value >= bounds.q1:
        return Quarter.WEAKER
    return Quarter.WEAKEST


def whole_value(result: KpiResult | None) -> Decimal | None:
    """A result's value when it covers the whole period; None for n/a or a value so far."""
    if result is None or result.value is None or result.is_partial:
        return None
    return result.value


def compare(
    own: Decimal | None, peers: Iterable[Decimal | None], direction: Direction
) -> Comparison:
    """Place ``own`` among the peers' values; n/a peers (None) are left out and not counted."""
    values = [value for value in peers if value is not None]
    if len(values) < MIN_PEERS:
        return Comparison(Status.TOO_FEW, len(values) if len(values) >= MIN_BUSINESSES else None)
    bounds = quartiles(values)
    quarter = quarter_of(own, bounds, direction) if own is not None else None
    return Comparison(Status.COMPARED, len(values), bounds, quarter)
