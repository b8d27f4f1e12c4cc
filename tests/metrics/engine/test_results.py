"""Reasons: a sentence for people in their language, a stable note for files."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from metrics.engine import KpiResult, Reason, ReasonKind, period_of
from tests.metrics.engine.factories import month

CASES = [
    (
        Reason(ReasonKind.MISSING_FIGURE, figure="revenue", month=month(2025, 3)),
        "Missing figure: revenue for March 2025",
        "missing revenue 2025-03",
    ),
    (
        Reason(ReasonKind.INCOMPLETE, figure="revenue", month=month(2025, 2), present=2, needed=3),
        "Incomplete: revenue has 2 of 3 months",
        "incomplete revenue 2 of 3 months",
    ),
    (
        Reason(ReasonKind.ZERO_DENOMINATOR, source="customers_start"),
        "Cannot divide by zero: customers_start is 0",
        "zero denominator customers_start",
    ),
    (Reason(ReasonKind.NO_PREVIOUS), "No previous period to compare with", "no previous period"),
    (
        Reason(ReasonKind.NO_BREAK_EVEN),
        "No break-even at this margin",
        "no break-even at this margin",
    ),
    (Reason(ReasonKind.NOT_BURNING), "Not burning cash", "not burning cash"),
    (
        Reason(ReasonKind.PARTIAL_PERIOD, present=2, needed=3),
        "Not computed on part of a period: it compares whole periods, and 2 of 3 months have "
        "figures so far",
        "partial period 2 of 3 months",
    ),
    (Reason(ReasonKind.OUT_OF_RANGE), "Too large to show", "too large to show"),
]


@pytest.mark.parametrize(("reason", "message", "note"), CASES)
def test_message_and_note(reason: Reason, message: str, note: str) -> None:
    with translation.override("en"):
        assert reason.message() == message
    assert reason.note() == note


def test_every_kind_has_a_case() -> None:
    assert {reason.kind for reason, _message, _note in CASES} == set(ReasonKind)


def test_message_can_use_the_figures_names() -> None:
    reason = Reason(ReasonKind.MISSING_FIGURE, figure="revenue", month=month(2025, 3))
    with translation.override("en"):
        assert reason.message({"revenue": "Revenue"}) == "Missing figure: Revenue for March 2025"


def test_the_month_is_written_in_the_active_language() -> None:
    reason = Reason(ReasonKind.MISSING_FIGURE, figure="revenue", month=month(2025, 3))
    with translation.override("fr"):
        assert "mars 2025" in reason.message()
    with translation.override("nl"):
        assert "maart 2025" in reason.message()


def test_the_note_does_not_change_with_the_language() -> None:
    reason = Reason(ReasonKind.MISSING_FIGURE, figure="revenue", month=month(2025, 3))
    with translation.override("fr"):
        assert reason.note() == "missing revenue 2025-03"


def test_kpi_result() -> None:
    period = period_of(month(2025, 3), "month")
    assert not KpiResult("revenue", period, Decimal(5)).is_na
    assert KpiResult("revenue", period, None, Reason(ReasonKind.NO_PREVIOUS)).is_na
