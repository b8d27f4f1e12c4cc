"""Plotly chart specifications and the tables that say the same in numbers.

Specifications are plain dicts drawn by plotly.js in the browser; the table under each
chart is what a reader without JavaScript, or with a screen reader, gets instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# Colours with at least 4.5:1 contrast on white; each series also differs by line style.
ACTUAL_COLOUR = "#0b5a4a"


TARGET_COLOUR = "#a03c00"


PROJECTION_COLOUR = "#4d4d4d"


FUNNEL_COLOUR = "#0b5a4a"


CHART_HEIGHT = 280


LEGEND_ROOM = 48


FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


@dataclass(frozen=True, slots=True)
class AxisFormat:
    """How the value axis writes numbers: separators, prefix or suffix, and d3 formats."""

    separators: str = ".,"
    prefix: str = ""
    suffix: str = ""
    tick_format: str = ","
    hover_format: str = ",.2f"
    # The smallest span of the value axis for the unit (see ``value_range``).
    min_span: float = 0.0


@dataclass(frozen=True, slots=True)
class Series:
    """One line of a chart: a translated name and a value (or None) per label."""

    name: str
    values: Sequence[Decimal | None]


def number(value: Decimal | None, places: int = 2) -> float | None:
    """A Decimal as a short JSON number (None stays a gap in the line)."""
    if value is None:
        return None
    return round(float(value), places)


# The value axis spans at least this share of the largest absolute value shown.
MIN_SPAN_SHARE = 0.1
# Room left above and below the values when the span is widened, as a share of the span.
SPAN_PADDING = 0.05


def value_range(values: Sequence[float | None], min_span: float) -> list[float] | None:
    """A fixed value-axis range when the values lie closer together than the minimum span.

    Why: Plotly fits the axis to the data, so 5.02 %, 5.00 %, 4.98 % fill the whole height and
    rounding noise looks like a fall. The axis therefore spans at least 10 % of the largest
    absolute value (a 1 % wobble then moves the line by a tenth of the height at most), and at
    least the unit's floor (``min_span``: 1 percentage point, 10 of money, 1 count …) for values
    near zero. The range is centred on the values, and does not cross zero when they do not.
    None: let Plotly fit the axis as usual.
    """
    shown = [value for value in values if value is not None]
    if not shown:
        return None
    low, high = min(shown), max(shown)
    span = max(MIN_SPAN_SHARE * max(abs(low), abs(high)), min_span)
    if high - low >= span:
        return None
    middle = (low + high) / 2
    bottom, top = middle - span / 2, middle + span / 2
    if low >= 0 > bottom:
        bottom, top = 0.0, span
    elif high <= 0 < top:
        bottom, top = -span, 0.0
    padding = SPAN_PADDING * span
    return [round(bottom - padding, 6), round(top + padding, 6)]


def _axis_layout(axis: AxisFormat) -> dict[str, Any]:
    return {
        "tickprefix": axis.prefix,
        "ticksuffix": axis.suffix,
        "tickformat": axis.tick_format,
        "hoverformat": axis.hover_format,
        "fixedrange": True,
        "automargin": True,
        "zeroline": True,
        "gridcolor": "#e3e3e3",
    }


def _base_layout(axis: AxisFormat) -> dict[str, Any]:
    return {
        "height": CHART_HEIGHT,
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "separators": axis.separators,
        "font": {"family": FONT, "size": 13, "color": "#212529"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        # Touch scrolling on a phone must scroll the page, not pan the chart.
        "dragmode": False,
        "hovermode": "x",
    }


def _line(
    series: Series,
    labels: Sequence[str],
    line: dict[str, Any],
    marker: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One trace; with ``marker``, a line with points that leaves gaps where values are missing."""
    trace: dict[str, Any] = {
        "type": "scatter",
        "mode": "lines+markers" if marker else "lines",
        "name": series.name,
        "x": list(labels),
        "y": [number(value) for value in series.values],
        "line": line,
    }
    if marker:
        trace["marker"] = marker
        trace["connectgaps"] = False
    return trace


def kpi_chart(
    *,
    labels: Sequence[str],
    actual: Series,
    axis: AxisFormat,
    target: Series | None = None,
    projection: Series | None = None,
) -> dict[str, Any]:
    """A line chart of one KPI: actual values, the target line or ramp, the projection."""
    for series in (actual, target, projection):
        if series is not None and len(series.values) != len(labels):
            raise ValueError(f"{series.name}: {len(series.values)} values for {len(labels)} labels")
    actual_line = {"color": ACTUAL_COLOUR, "width": 3}
    data = [_line(actual, labels, actual_line, marker={"color": ACTUAL_COLOUR, "size": 7})]
    if target is not None:
        data.append(_line(target, labels, {"color": TARGET_COLOUR, "width": 2, "dash": "dot"}))
    if projection is not None:
        line = {"color": PROJECTION_COLOUR, "width": 2, "dash": "dash"}
        data.append(_line(projection, labels, line))
    layout = _base_layout(axis)
    layout["showlegend"] = True
    # Above the plot, so that it never runs into the month labels.
    layout["legend"] = {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"}
    # Room above the plot for up to two rows of legend on a phone.
    layout["margin"] = {**layout["margin"], "t": LEGEND_ROOM}
    layout["xaxis"] = {
        "type": "category",
        "categoryorder": "array",
        "categoryarray": list(labels),
        # A few level labels read better than many slanted ones; hovering shows every month.
        "nticks": 6,
        "tickangle": 0,
        "fixedrange": True,
        "automargin": True,
        "showgrid": False,
    }
    layout["yaxis"] = _axis_layout(axis)
    span = value_range([y for trace in data for y in trace["y"]], axis.min_span)
    if span is not None:
        layout["yaxis"]["range"] = span
        layout["yaxis"]["autorange"] = False
    return {"data": data, "layout": layout}


def funnel_chart(
    *, steps: Sequence[tuple[str, Decimal]], axis: AxisFormat, texts: Sequence[str]
) -> dict[str, Any]:
    """Horizontal bars, widest step on top: plotly.js-basic has no funnel trace."""
    if len(texts) != len(steps):
        raise ValueError("One text is needed for every step")
    names = [name for name, _value in steps]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "x": [number(value) for _name, value in steps],
            "y": names,
            "text": list(texts),
            "textposition": "auto",
            "hoverinfo": "y+text",
            "marker": {"color": FUNNEL_COLOUR},
            "insidetextfont": {"color": "#ffffff"},
            "outsidetextfont": {"color": "#212529"},
        }
    ]
    layout = _base_layout(axis)
    layout["height"] = 60 + 44 * len(steps)
    layout["showlegend"] = False
    layout["hovermode"] = "closest"
    layout["xaxis"] = {**_axis_layout(axis), "rangemode": "tozero"}
    layout["yaxis"] = {
        "type": "category",
        "categoryorder": "array",
        "categoryarray": names,
        "autorange": "reversed",
        "fixedrange": True,
        "automargin": True,
    }
    return {"data": data, "layout": layout}
