"""Targets for a KPI: the expected value per month or period, a verdict, and a projection."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from metrics.engine.evaluate import DECIMAL_CONTEXT
from metrics.engine.periods import Period, add_months, months_between
from metrics.engine.results import KpiResult
from metrics.engine.text import LabelledEnum
from metrics.engine.text import gettext_lazy as _

PROJECTION_WINDOW = 6
PROJECTION_MINIMUM = 3


class Comparison(LabelledEnum):
    AT_LEAST = "at_least", _("At least")
    AT_MOST = "at_most", _("At most")


class Verdict(LabelledEnum):
    ON_TRACK = "on_track", _("On track")
    CLOSE = "close", _("Close")
    BEHIND = "behind", _("Behind")
    NO_DATA = "no_data", _("No data")


@dataclass(frozen=True, slots=True)
class Target:
    """At least or at most ``value`` for a KPI from ``first_month`` to ``deadline`` (months).

    With a ``baseline``, the expected value ramps linearly from the baseline at the first month
    to ``value`` at the deadline; without one, ``value`` is expected in every month.
    """

    kpi: str
    comparison: Comparison
    value: Decimal
    first_month: date
    deadline: date
    baseline: Decimal | None = None
    tolerance: Decimal = Decimal("0.10")

    def __post_init__(self) -> None:
        if self.first_month.day != 1 or self.deadline.day != 1:
            raise ValueError("A target's months must be dates on the first day")
        if self.deadline < self.first_month:
            raise ValueError("A target's deadline cannot be before its first month")
        if self.tolerance < 0:
            raise ValueError("A target's tolerance cannot be negative")

    def meets(self, actual: Decimal, expected: Decimal) -> bool:
        """Whether ``actual`` meets ``expected`` in this target's direction."""
        if self.comparison is Comparison.AT_LEAST:
            return actual >= expected
        return actual <= expected

    def expected(self, month: date) -> Decimal:
        """The value expected in ``month``, clamped to the first month and the deadline."""
        if self.baseline is None:
            return self.value
        span = months_between(self.first_month, self.deadline)
        if span == 0:
            return self.value
        elapsed = min(max(months_between(self.first_month, month), 0), span)
        with localcontext(DECIMAL_CONTEXT):
            return self.baseline + (self.value - self.baseline) * elapsed / span

    def overlaps(self, period: Period) -> bool:
        """Whether the period shares at least one month with the target's span."""
        return period.start <= self.deadline and period.end >= self.first_month

    def expected_for_period(
        self, period: Period, period_total: bool, months: Sequence[date] | None = None
    ) -> Decimal | None:
        """What the period should reach; None outside the target's span.

        A total (a flow such as revenue) expects the monthly expected values added up; a rate or
        a stock expects the value of its last month. ``months`` are the months a value "so far"
        covers: a total then expects only those months' worth (pro-rated: two months of a flat
        quarterly target are 2/3 of it, and a ramp adds the values of the months present), and
        a rate or a stock the ramp's value at the last of them, not pro-rated.
        """
        if not self.overlaps(period):
            return None
        covered = period.month_list() if months is None else list(months)
        if not period_total:
            return self.expected(covered[-1])
        with localcontext(DECIMAL_CONTEXT):
            return sum((self.expected(month) for month in covered), Decimal(0))

    def verdict(self, actual: KpiResult, period: Period, period_total: bool) -> Verdict | None:
        """On track, close (within the tolerance), behind or no data; None outside the span.

        A value "so far" is judged against the expected value of the months it covers.
        """
        expected = self.expected_for_period(period, period_total, actual.months)
        if expected is None:
            return None
        if actual.value is None:
            return Verdict.NO_DATA
        if self.meets(actual.value, expected):
            return Verdict.ON_TRACK
        with localcontext(DECIMAL_CONTEXT):
            miss = abs(actual.value - expected)
            allowed = self.tolerance * abs(expected)
        return Verdict.CLOSE if miss <= allowed else Verdict.BEHIND


@dataclass(frozen=True, slots=True)
class Projection:
    """Where the recent trend leads: the value at the deadline, and when it meets the target."""

    value_at_deadline: Decimal
    meets_target: bool
    reach_month: date | None
    slope: Decimal
    points: tuple[tuple[date, Decimal], ...]


def project(
    target: Target, monthly_values: list[tuple[date, Decimal]], as_of: date
) -> Projection | None:
    """Extend the least-squares line of the last 6 monthly values (at least 3) up to ``as_of``.

    The regression runs in Decimal with 28 significant digits, on month numbers counted from the
    last value, so that no float rounding decides whether a target is reached.
    """
    # A later entry for the same month replaces an earlier one.
    by_month = {date(month.year, month.month, 1): value for month, value in monthly_values}
    recent = sorted((month, value) for month, value in by_month.items() if month <= as_of)
    recent = recent[-PROJECTION_WINDOW:]
    if len(recent) < PROJECTION_MINIMUM:
        return None
    last_month = recent[-1][0]
    xs = [months_between(last_month, month) for month, _value in recent]
    ys = [value for _month, value in recent]
    count = len(recent)
    with localcontext(DECIMAL_CONTEXT):
        sum_x = sum(xs)
        sum_y = sum(ys, Decimal(0))
        sum_xx = sum(x * x for x in xs)
        sum_xy = sum((x * y for x, y in zip(xs, ys, strict=True)), Decimal(0))
        # Distinct months make this positive.
        spread = count * sum_xx - sum_x * sum_x
        slope = (count * sum_xy - sum_x * sum_y) / spread
        intercept = (sum_y - slope * sum_x) / count

        def line(month: date) -> Decimal:
            return intercept + slope * months_between(last_month, month)

        value_at_deadline = line(target.deadline)
        reach_month = None
        month = add_months(last_month, 1)
        while month <= target.deadline:
            if target.meets(line(month), target.value):
                reach_month = month
                break
            month = add_months(month, 1)
        end = max(last_month, target.deadline)
        points = tuple(
            (add_months(recent[0][0], offset), line(add_months(recent[0][0], offset)))
            for offset in range(months_between(recent[0][0], end) + 1)
        )
    return Projection(
        value_at_deadline=value_at_deadline,
        meets_target=target.meets(value_at_deadline, target.value),
        reach_month=reach_month,
        slope=slope,
        points=points,
    )
