"""Months, quarters and years, with a financial year that may start in any month."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from metrics.engine.text import LabelledEnum, Message, lazy_format
from metrics.engine.text import gettext_lazy as _


class PeriodKind(LabelledEnum):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


MONTHS_IN = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}

# Years outside this range are almost certainly typing mistakes in a figures file.
FIRST_YEAR = 1900
LAST_YEAR = 2999


class PeriodError(ValueError):
    """A period or month that cannot be read or does not exist."""

    def __init__(self, message: Message | str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


def add_months(month: date, count: int) -> date:
    """The first day of the month ``count`` months after ``month`` (before, if negative)."""
    year, index = divmod(month.year * 12 + month.month - 1 + count, 12)
    return date(year, index + 1, 1)


def month_index(month: date) -> int:
    """A running month number, so that month differences are plain subtractions."""
    return month.year * 12 + month.month - 1


def months_between(first: date, last: date) -> int:
    """How many months ``last`` is after ``first`` (negative when before)."""
    return month_index(last) - month_index(first)


def _check_fy_start(fy_start: int) -> None:
    if not isinstance(fy_start, int) or not 1 <= fy_start <= 12:
        raise PeriodError(
            lazy_format(
                _("The first month of the financial year must be 1 to 12, not %(value)s"),
                {"value": fy_start},
            )
        )


@dataclass(frozen=True, slots=True, eq=True, order=False)
class Period:
    """A month, a quarter or a year; months are dates on the first day."""

    kind: PeriodKind
    start: date
    months: int
    fy_start: int = 1

    def __post_init__(self) -> None:
        _check_fy_start(self.fy_start)
        if self.start.day != 1:
            raise PeriodError(_("A period must start on the first day of a month"))
        if self.months != MONTHS_IN[self.kind]:
            raise PeriodError(_("This kind of period has another number of months"))
        if self.kind is PeriodKind.MONTH:
            # The financial year does not change a month; keep months equal whatever it is.
            object.__setattr__(self, "fy_start", 1)
        elif (self.start.month - self.fy_start) % self.months:
            raise PeriodError(_("This period does not start where the financial year puts it"))

    def _key(self) -> tuple[date, int, str, int]:
        return (self.start, self.months, self.kind.value, self.fy_start)

    def __lt__(self, other: Period) -> bool:
        return self._key() < other._key()

    def __le__(self, other: Period) -> bool:
        return self._key() <= other._key()

    def __gt__(self, other: Period) -> bool:
        return self._key() > other._key()

    def __ge__(self, other: Period) -> bool:
        return self._key() >= other._key()

    @property
    def end(self) -> date:
        """The last month of the period."""
        return add_months(self.start, self.months - 1)

    def month_list(self) -> list[date]:
        """Every month of the period, in order."""
        return [add_months(self.start, offset) for offset in range(self.months)]

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.kind, add_months(self.start, -self.months), self.months, self.fy_start)

    def next(self) -> Period:
        """The period of the same length just after this one."""
        return Period(self.kind, add_months(self.start, self.months), self.months, self.fy_start)

    def year_earlier(self) -> Period:
        """The same period one year earlier."""
        return Period(self.kind, add_months(self.start, -12), self.months, self.fy_start)

    def contains(self, month: date) -> bool:
        """Whether ``month`` falls in this period."""
        return 0 <= months_between(self.start, month) < self.months

    @property
    def fiscal_year(self) -> int:
        """The calendar year in which this period's financial year starts."""
        return self.start.year if self.start.month >= self.fy_start else self.start.year - 1

    @property
    def label(self) -> str:
        """``YYYY-MM``, ``YYYY-Qn`` or ``YYYY``; a fiscal year bears the year it starts in."""
        if self.kind is PeriodKind.MONTH:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.kind is PeriodKind.QUARTER:
            quarter = (self.start.month - self.fy_start) % 12 // 3 + 1
            return f"{self.fiscal_year:04d}-Q{quarter}"
        return f"{self.start.year:04d}"

    def __str__(self) -> str:
        return self.label


def period_of(month: date, kind: PeriodKind | str, fy_start: int = 1) -> Period:
    """The period of the given kind that contains ``month`` (any day of it)."""
    kind = PeriodKind(kind)
    _check_fy_start(fy_start)
    first = date(month.year, month.month, 1)
    size = MONTHS_IN[kind]
    if kind is PeriodKind.MONTH:
        return Period(kind, first, size)
    offset = (first.month - fy_start) % size
    return Period(kind, add_months(first, -offset), size, fy_start)


def periods_between(
    first_month: date, last_month: date, kind: PeriodKind | str, fy_start: int = 1
) -> list[Period]:
    """Every period of the given kind that touches the months from first to last, in order."""
    periods: list[Period] = []
    if last_month < first_month:
        return periods
    period = period_of(first_month, kind, fy_start)
    while period.start <= last_month:
        periods.append(period)
        period = period.next()
    return periods


_MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
_QUARTER_RE = re.compile(r"(\d{4})-Q([1-4])")
_YEAR_RE = re.compile(r"(\d{4})")


def _check_year(year: int, text: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(
            lazy_format(
                _("“%(text)s” has a year outside %(first)d–%(last)d"),
                {"text": text, "first": FIRST_YEAR, "last": LAST_YEAR},
            )
        )


def parse_month(text: str) -> date:
    """Read ``YYYY-MM`` (for example ``2025-03``) as the first day of that month."""
    cleaned = text.strip()
    match = _MONTH_RE.fullmatch(cleaned)
    if not match or not 1 <= int(match[2]) <= 12:
        raise PeriodError(
            lazy_format(
                _("“%(text)s” is not a month; write it as YYYY-MM, for example 2025-03"),
                {"text": text},
            )
        )
    _check_year(int(match[1]), cleaned)
    return date(int(match[1]), int(match[2]), 1)


def parse_period_label(label: str, fy_start: int = 1) -> Period:
    """Read ``YYYY-MM``, ``YYYY-Qn`` or ``YYYY`` back into a period."""
    _check_fy_start(fy_start)
    cleaned = label.strip()
    if match := _QUARTER_RE.fullmatch(cleaned):
        _check_year(int(match[1]), cleaned)
        start = add_months(date(int(match[1]), fy_start, 1), (int(match[2]) - 1) * 3)
        return Period(PeriodKind.QUARTER, start, 3, fy_start)
    if match := _YEAR_RE.fullmatch(cleaned):
        _check_year(int(match[1]), cleaned)
        return Period(PeriodKind.YEAR, date(int(match[1]), fy_start, 1), 12, fy_start)
    if _MONTH_RE.fullmatch(cleaned):
        return period_of(parse_month(cleaned), PeriodKind.MONTH)
    raise PeriodError(
        lazy_format(
            _("“%(text)s” is not a period; write YYYY-MM, YYYY-Qn or YYYY"), {"text": label}
        )
    )
