"""KPI results: a value, or n/a with a reason that can be shown to a person or written to a file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from metrics.engine.periods import Period
from metrics.engine.text import gettext, month_text, ngettext


class ReasonKind(StrEnum):
    MISSING_FIGURE = "missing_figure"
    INCOMPLETE = "incomplete"
    ZERO_DENOMINATOR = "zero_denominator"
    NO_PREVIOUS = "no_previous"
    NO_BREAK_EVEN = "no_break_even"
    NOT_BURNING = "not_burning"
    # A KPI that compares whole periods (it uses previous()) over a period with months missing.
    PARTIAL_PERIOD = "partial_period"
    # Not in the contract: a result too large to show (RESULT_LIMIT) is a clean n/a.
    OUT_OF_RANGE = "out_of_range"


# A KPI whose value is this large or larger, either way, is n/a "too large to show". Figures are
# below 10^14 (the Entry.value column), so a sane KPI is too: a ratio of two figures, a sum of a
# year, a price times a count. What reaches 10^15 is a formula that squares or multiplies figures
# or is a constant like 999999999999999999999999999999; written out it fills a page, a chart or a
# CSV cell (990,420 characters) and tells nobody anything.
RESULT_LIMIT = Decimal(10) ** 15


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a KPI has no value: the kind, and the details that make it specific."""

    kind: ReasonKind
    figure: str | None = None
    month: date | None = None
    present: int | None = None
    needed: int | None = None
    source: str | None = None

    def message(self, names: Mapping[str, str] | None = None) -> str:
        """A plain-language sentence in the active language; ``names`` may map codes to labels.

        Translated now, through the translator the engine was given (English by default).
        """
        figure = (names or {}).get(self.figure or "", self.figure)
        kind = self.kind
        if kind is ReasonKind.MISSING_FIGURE:
            month = month_text(self.month) if self.month else "?"
            return gettext("Missing figure: %(figure)s for %(month)s") % {
                "figure": figure,
                "month": month,
            }
        if kind is ReasonKind.INCOMPLETE:
            return ngettext(
                "Incomplete: %(figure)s has %(present)d of %(needed)d month",
                "Incomplete: %(figure)s has %(present)d of %(needed)d months",
                self.needed or 0,
            ) % {"figure": figure, "present": self.present or 0, "needed": self.needed or 0}
        if kind is ReasonKind.ZERO_DENOMINATOR:
            return gettext("Cannot divide by zero: %(source)s is 0") % {"source": self.source}
        if kind is ReasonKind.NO_PREVIOUS:
            return gettext("No previous period to compare with")
        if kind is ReasonKind.PARTIAL_PERIOD:
            return ngettext(
                "Not computed on part of a period: it compares whole periods, and %(present)d of "
                "%(needed)d month has figures so far",
                "Not computed on part of a period: it compares whole periods, and %(present)d of "
                "%(needed)d months have figures so far",
                self.needed or 0,
            ) % {"present": self.present or 0, "needed": self.needed or 0}
        if kind is ReasonKind.NO_BREAK_EVEN:
            return gettext("No break-even at this margin")
        if kind is ReasonKind.NOT_BURNING:
            return gettext("Not burning cash")
        return gettext("Too large to show")

    def note(self) -> str:
        """A short, stable English note for files, e.g. ``missing revenue 2025-03``."""
        kind = self.kind
        if kind is ReasonKind.MISSING_FIGURE:
            month = f"{self.month:%Y-%m}" if self.month else "?"
            return f"missing {self.figure} {month}"
        if kind is ReasonKind.INCOMPLETE:
            return f"incomplete {self.figure} {self.present} of {self.needed} months"
        if kind is ReasonKind.ZERO_DENOMINATOR:
            return f"zero denominator {self.source}"
        if kind is ReasonKind.PARTIAL_PERIOD:
            return f"partial period {self.present} of {self.needed} months"
        return _NOTES[kind]


_NOTES = {
    ReasonKind.NO_PREVIOUS: "no previous period",
    ReasonKind.NO_BREAK_EVEN: "no break-even at this margin",
    ReasonKind.NOT_BURNING: "not burning cash",
    ReasonKind.OUT_OF_RANGE: "too large to show",
}


# A named tuple rather than a dataclass: thousands are made per computation and it is faster.
class KpiResult(NamedTuple):
    """The value of one KPI over one period, or n/a with the reason."""

    code: str
    period: Period
    value: Decimal | None
    reason: Reason | None = None
    #: The months a value covers when that is fewer than the period's (a value "so far");
    #: None when it covers the whole period or there is no value.
    months: tuple[date, ...] | None = None

    @property
    def is_na(self) -> bool:
        """Whether the KPI has no value for this period."""
        return self.value is None

    @property
    def is_partial(self) -> bool:
        """Whether the value covers only some months of its period (see the engine's rule)."""
        return self.months is not None

    def note(self) -> str:
        """The file note: the reason when n/a, ``partial 2 of 3 months`` for a value so far."""
        if self.reason is not None:
            return self.reason.note()
        if self.months is not None:
            return f"partial {len(self.months)} of {self.period.months} months"
        return ""
