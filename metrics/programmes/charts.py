"""The programme dashboard's charts and the tables that say the same in numbers.

Plotly specifications from the indicators, drawn in the browser by the same script as the
entrepreneur's cards; the table under each is what a reader without JavaScript gets. A number
hidden below ``MIN_BUSINESSES`` is never charted: its bar is left out and its table cell says
why. No database, no HTTP.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext, ngettext

from metrics.dashboard.cards import Table, TableRow
from metrics.dashboard.charts import Series, kpi_chart, number
from metrics.dashboard.text import axis_format_for
from metrics.engine import PeriodKind, Unit, period_of
from metrics.formatting import current_language, format_number, format_percent, period_names
from metrics.programmes.indicators import MIN_BUSINESSES, Cell, CohortIndicators

BAR_COLOUR = "#0b5a4a"  # 4.5:1 on white, as the cards' lines


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart's specification, the id of its JSON in the page, its label and its table."""

    id: str
    spec: dict[str, Any] | None  # None: nothing may be drawn; the table says why
    label: str
    table: Table
    bars: bool = False  # as tall as its bars, not as a line chart
    hidden: bool = False  # every number hidden: no table of "hidden" either


def hidden_text() -> str:
    return ngettext(
        "hidden: fewer than %(counter)s business",
        "hidden: fewer than %(counter)s businesses",
        MIN_BUSINESSES,
    ) % {"counter": MIN_BUSINESSES}


def _bars(
    labels: Sequence[str], values: Sequence[Decimal], texts: Sequence[str], unit: Unit
) -> dict[str, Any]:
    """Horizontal bars, one per label, first on top, with each value written on its bar."""
    axis = axis_format_for(current_language(), unit, "EUR")
    layout: dict[str, Any] = {
        "height": 60 + 44 * len(labels),
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "separators": axis.separators,
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "dragmode": False,
        "hovermode": "closest",
        "showlegend": False,
        "xaxis": {
            "ticksuffix": axis.suffix,
            "tickformat": axis.tick_format,
            "fixedrange": True,
            "automargin": True,
            "rangemode": "tozero",
            "gridcolor": "#e3e3e3",
            **({"range": [0, 100]} if unit is Unit.PERCENT else {}),
            # A count of a few businesses steps by whole ones: never a tick at 0.5.
            **({"dtick": 1} if unit is Unit.COUNT and max(values, default=0) <= 6 else {}),
        },
        "yaxis": {
            "type": "category",
            "categoryorder": "array",
            "categoryarray": list(labels),
            "autorange": "reversed",
            "fixedrange": True,
            "automargin": True,
        },
    }
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "x": [number(value, 1) for value in values],
            "y": list(labels),
            "text": list(texts),
            "textposition": "auto",
            "hoverinfo": "y+text",
            "marker": {"color": BAR_COLOUR},
            "insidetextfont": {"color": "#ffffff"},
            "outsidetextfont": {"color": "#212529"},
        }
    ]
    return {"data": data, "layout": layout}


def groups_charts(
    groups: Sequence[tuple[str, CohortIndicators]], prefix: str
) -> tuple[Chart, Chart]:
    """Active members, and the share of tracked KPIs on track, per cohort (or country)."""
    shown = [(name, ind) for name, ind in groups if not ind.active.hidden]
    active = Table(
        caption=gettext("Active members per group: logged one of the last two months"),
        corner=gettext("Group"),
        headers=(gettext("Active"), gettext("Members")),
        rows=tuple(
            TableRow(
                name,
                (hidden_text(), hidden_text())
                if ind.active.hidden
                else (format_number(int(ind.active.value)), format_number(ind.members)),
            )
            for name, ind in groups
        ),
    )
    active_spec = None
    if shown:
        active_spec = _bars(
            [name for name, _ind in shown],
            [Decimal(ind.active.value) for _name, ind in shown],
            [
                gettext("%(active)s of %(members)s")
                % {
                    "active": format_number(int(ind.active.value)),
                    "members": format_number(ind.members),
                }
                for _name, ind in shown
            ],
            Unit.COUNT,
        )
    judged = [(name, ind.on_track_share) for name, ind in groups if not ind.on_track_share.hidden]
    on_track = Table(
        caption=gettext("Tracked KPIs on track last month, per group"),
        corner=gettext("Group"),
        headers=(gettext("On track"), gettext("Businesses with a verdict")),
        rows=tuple(TableRow(name, _share_cells(ind.on_track_share)) for name, ind in groups),
    )
    on_track_spec = None
    if judged:
        on_track_spec = _bars(
            [name for name, _cell in judged],
            [Decimal(cell.value) for _name, cell in judged],
            [format_percent(Decimal(cell.value)) for _name, cell in judged],
            Unit.PERCENT,
        )
    return (
        Chart(
            f"{prefix}-active",
            active_spec,
            gettext(
                "Bar chart of active members per group; the numbers are in the table below it."
            ),
            active,
            bars=True,
            hidden=active_spec is None,
        ),
        Chart(
            f"{prefix}-on-track",
            on_track_spec,
            gettext(
                "Bar chart of the share of tracked KPIs on track per group; the numbers are in "
                "the table below it."
            ),
            on_track,
            bars=True,
            hidden=on_track_spec is None,
        ),
    )


def _share_cells(cell: Cell) -> tuple[str, str]:
    if cell.hidden:
        return hidden_text(), hidden_text()
    return format_percent(Decimal(cell.value)), format_number(cell.businesses)


def _counts_chart(labels: Sequence[str], name: str, values: Sequence[int]) -> dict[str, Any]:
    """A line of counts over months: its axis starts at zero, so a count never shows halves."""
    spec = kpi_chart(
        labels=labels,
        actual=Series(name, [Decimal(value) for value in values]),
        axis=axis_format_for(current_language(), Unit.COUNT, "EUR"),
    )
    axis = spec["layout"]["yaxis"]
    axis.pop("range", None)
    axis.update(autorange=True, rangemode="tozero", tickformat=",d", hoverformat=",d")
    return spec


def _month_labels(months: Sequence[date]) -> list[str]:
    language = current_language()
    return [period_names(period_of(month, PeriodKind.MONTH), language)[1] for month in months]


def months_chart(
    indicators: CohortIndicators, chart_id: str, group: str
) -> tuple[Chart, Chart | None]:
    """How many members logged each of the last 12 months, and their mentors' comments."""
    months = [count.month for count in indicators.logged_by_month]
    labels = _month_labels(months)
    hidden = indicators.months_logged.hidden
    logged_name = gettext("Members who logged the month")
    values = [count.businesses for count in indicators.logged_by_month]
    logged = Chart(
        f"{chart_id}-logged",
        None if hidden or not months else _counts_chart(labels, logged_name, values),
        gettext(
            "Chart of the members of %(group)s who logged each month; the numbers are in the "
            "table below it."
        )
        % {"group": group},
        Table(
            caption=gettext("Members of %(group)s who logged each month") % {"group": group},
            corner=gettext("Month"),
            headers=(logged_name,),
            rows=tuple(
                TableRow(label, (hidden_text() if hidden else format_number(value),))
                for label, value in zip(labels, values, strict=True)
            ),
        ),
        hidden=hidden,
    )
    mentoring = indicators.mentoring
    if mentoring is None or not mentoring.comments_by_month:
        return logged, None
    hidden = mentoring.comments_per_month.hidden
    comments_name = gettext("Mentors' comments")
    counts = [count for _month, count in mentoring.comments_by_month]
    comment_labels = _month_labels([month for month, _count in mentoring.comments_by_month])
    comments = Chart(
        f"{chart_id}-comments",
        None if hidden else _counts_chart(comment_labels, comments_name, counts),
        gettext(
            "Chart of the mentors' comments on the members of %(group)s each month; the "
            "numbers are in the table below it."
        )
        % {"group": group},
        Table(
            caption=gettext("Mentors' comments on the members of %(group)s each month")
            % {"group": group},
            corner=gettext("Month"),
            headers=(comments_name,),
            rows=tuple(
                TableRow(label, (hidden_text() if hidden else format_number(count),))
                for label, count in zip(comment_labels, counts, strict=True)
            ),
        ),
        hidden=hidden,
    )
    return logged, comments
