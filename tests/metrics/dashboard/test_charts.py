"""Chart specifications: plain JSON that plotly accepts, with the right traces and numbers."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from django.utils import translation

from metrics.dashboard.build import build_dashboard
from metrics.dashboard.cards import TargetInput
from metrics.dashboard.charts import AxisFormat, Series, funnel_chart, kpi_chart, number
from metrics.dashboard.funnel import funnel
from metrics.dashboard.text import axis_format
from metrics.engine import Comparison, Engine, MonthlyFigures, PeriodKind, Unit, period_of
from metrics.engine import Target as TargetRule


def _month(number: int, year: int = 2025) -> date:
    return date(year, number, 1)


def _figures(rows: dict[date, dict[str, int]]) -> MonthlyFigures:
    return MonthlyFigures(
        {
            month: {code: Decimal(value) for code, value in row.items()}
            for month, row in rows.items()
        }
    )


RISING = {_month(m): {"revenue": 1000 + 500 * m} for m in range(1, 5)}
RAMP = TargetRule(
    kpi="revenue",
    comparison=Comparison.AT_LEAST,
    value=Decimal(4000),
    first_month=_month(1),
    deadline=_month(7),
    baseline=Decimal(1000),
)


def _revenue_card(period_kind: PeriodKind = PeriodKind.MONTH, month: date | None = None):
    month = month or _month(4)
    board = build_dashboard(
        engine=Engine.catalogue(),
        figures=_figures(RISING),
        codes=["revenue"],
        targets=[TargetInput(RAMP)],
        period=period_of(month, period_kind),
        currency="EUR",
    )
    return board.cards[0]


def _trace(spec: dict, name: str) -> dict:
    return next(trace for trace in spec["data"] if trace["name"] == name)


def test_a_kpi_chart_has_actual_target_and_projection_traces() -> None:
    spec = kpi_chart(
        labels=["Jan", "Feb", "Mar"],
        actual=Series("Actual", [Decimal("1.005"), None, Decimal(3)]),
        target=Series("Target", [Decimal(2), Decimal(2), Decimal(2)]),
        projection=Series("Projection", [None, Decimal("2.5"), Decimal("3.5")]),
        axis=AxisFormat(separators=",.", prefix="€\u00a0"),
    )
    assert [trace["name"] for trace in spec["data"]] == ["Actual", "Target", "Projection"]
    actual, target, projection = spec["data"]
    assert actual["y"] == [1.0, None, 3.0]  # Decimals become short floats; gaps stay gaps
    assert target["line"]["dash"] == "dot"
    assert projection["line"]["dash"] == "dash"
    assert spec["layout"]["separators"] == ",."
    assert spec["layout"]["yaxis"]["tickprefix"] == "€\u00a0"
    assert spec["layout"]["xaxis"]["categoryarray"] == ["Jan", "Feb", "Mar"]
    assert spec["layout"]["dragmode"] is False
    json.dumps(spec)  # plain JSON, no Decimals or lazy strings


def test_a_chart_refuses_series_of_the_wrong_length() -> None:
    with pytest.raises(ValueError):
        kpi_chart(
            labels=["Jan", "Feb"],
            actual=Series("Actual", [Decimal(1)]),
            axis=AxisFormat(),
        )


def test_number_rounds_and_keeps_gaps() -> None:
    assert number(Decimal("2847.0588235")) == 2847.06
    assert number(None) is None


def test_the_target_ramp_uses_the_expected_values() -> None:
    card = _revenue_card()
    spec = card.chart
    labels = spec["layout"]["xaxis"]["categoryarray"]
    # January to April with data, then May to the July deadline projected.
    assert labels == [
        "Jan 2025",
        "Feb 2025",
        "Mar 2025",
        "Apr 2025",
        "May 2025",
        "Jun 2025",
        "Jul 2025",
    ]
    assert _trace(spec, "Actual")["y"] == [1500.0, 2000.0, 2500.0, 3000.0, None, None, None]
    target = _trace(spec, "Target (rising or falling evenly)")
    expected = [float(RAMP.expected(_month(m))) for m in range(1, 8)]
    assert target["y"] == [round(value, 2) for value in expected]
    assert target["y"][0] == 1000.0 and target["y"][-1] == 4000.0


def test_the_projection_follows_the_engines_points() -> None:
    card = _revenue_card()
    projection = _trace(card.chart, "Projection at this pace")
    points = dict(card.target.projection.points)
    assert projection["y"] == [float(points[_month(m)]) for m in range(1, 8)]
    assert projection["y"][-1] == 4500.0  # +500 a month from 3,000 in April
    assert card.target.projection_text == "At this pace you reach €4,000.00 in June 2025."
    rows = {row.header: row.cells for row in card.table.rows}
    assert rows["July 2025"] == ("", "€4,000.00", "€4,500.00")
    assert rows["April 2025"][0] == "€3,000.00"
    assert card.table.headers == (
        "Actual",
        "Target (rising or falling evenly)",
        "Projection at this pace",
    )


def test_a_quarter_chart_adds_up_totals_per_quarter() -> None:
    card = _revenue_card(PeriodKind.QUARTER, _month(1))
    spec = card.chart
    assert spec["layout"]["xaxis"]["categoryarray"] == ["Q1 2025", "Q2 2025", "Q3 2025"]
    assert _trace(spec, "Actual")["y"] == [6000.0, None, None]
    target = _trace(spec, "Target (rising or falling evenly)")
    # Revenue is a period total: three months of the ramp (1,000, 1,500, 2,000) make 4,500.
    assert target["y"][0] == 4500.0
    quarters = [period_of(_month(m), PeriodKind.QUARTER) for m in (1, 4, 7)]
    assert target["y"] == [float(RAMP.expected_for_period(q, True)) for q in quarters]


def test_a_chart_without_target_has_only_the_actual_values() -> None:
    board = build_dashboard(
        engine=Engine.catalogue(),
        figures=_figures(RISING),
        codes=["revenue"],
        targets=[],
        period=period_of(_month(4), PeriodKind.MONTH),
        currency="EUR",
    )
    spec = board.cards[0].chart
    assert [trace["name"] for trace in spec["data"]] == ["Actual"]
    assert board.cards[0].table.headers == ("Actual",)


def test_axes_follow_the_language() -> None:
    with translation.override("fr"):
        money = axis_format(Unit.MONEY, "EUR")
        percent = axis_format(Unit.PERCENT, "EUR")
    assert money.separators == ",\u00a0"
    assert (money.prefix, money.suffix) == ("", "\u00a0€")
    assert percent.suffix == "\u00a0%"
    with translation.override("en"):
        money = axis_format(Unit.MONEY, "GBP")
    assert (money.separators, money.prefix, money.suffix) == (".,", "£", "")
    with translation.override("nl"):
        money = axis_format(Unit.MONEY, "EUR")
    assert (money.separators, money.prefix) == (",.", "€\u00a0")


def test_month_labels_are_in_the_users_language() -> None:
    with translation.override("fr"):
        card = _revenue_card()
    # CLDR's short names: "févr." and "juil.", never "Fév" or the ambiguous "Jui".
    assert card.chart["layout"]["xaxis"]["categoryarray"][1] == "févr. 2025"
    assert card.table.rows[0].header == "janvier 2025"


def test_the_funnel_chart_is_a_bar_chart_widest_on_top() -> None:
    spec = funnel_chart(
        steps=[("Visitors", Decimal(500)), ("Leads", Decimal(40))],
        texts=["500", "40"],
        axis=AxisFormat(),
    )
    bar = spec["data"][0]
    assert (bar["type"], bar["orientation"]) == ("bar", "h")
    assert bar["y"] == ["Visitors", "Leads"]
    assert spec["layout"]["yaxis"]["autorange"] == "reversed"


def _specs() -> list[dict]:
    card = _revenue_card()
    quarter = _revenue_card(PeriodKind.QUARTER, _month(1))
    shop = funnel(
        _figures({_month(2): {"visitors": 500, "leads": 40, "new_customers": 10}}),
        period_of(_month(2), PeriodKind.MONTH),
    )
    with translation.override("fr"):
        french = _revenue_card()
    return [card.chart, quarter.chart, shop.chart, french.chart]


@pytest.mark.parametrize("index", range(4))
def test_plotly_accepts_the_specifications(index: int) -> None:
    spec = _specs()[index]
    # Both raise on any property plotly does not know or any value it does not accept.
    figure = go.Figure(spec)
    assert len(figure.data) == len(spec["data"])
    again = pio.from_json(json.dumps(spec))
    assert again.layout.separators == spec["layout"]["separators"]
