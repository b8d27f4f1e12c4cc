"""The programme dashboard's cells and named members' rows, written in Python.

A cohort of thousands may have hundreds of named rows; a template loop over them costs more
than reading the whole programme, so these tags write them with plain string joins. Every text
is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import date_format, localize
from django.utils.html import format_html, json_script
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from metrics.programmes.charts import Chart
from metrics.programmes.indicators import MIN_BUSINESSES, Cell, NamedRow
from metrics.templatetags.dashboard_tables import numbers_table

register = template.Library()


@register.simple_tag
def named_rows(rows: Sequence[NamedRow]) -> SafeString:
    """One ``<tr>`` per member: name, last month logged (and a flag when stale), verdicts."""
    nothing = escape(gettext("Nothing yet"))
    stale = (
        '<br><span class="badge text-bg-warning stale-flag">'
        f"{escape(gettext('No figures for 2 months'))}</span>"
    )
    verdicts = gettext("%(on_track)s on track, %(close)s close, %(behind)s behind")
    months: dict[object, str] = {}
    html = []
    for row in rows:
        if row.last_month is None:
            last = nothing
        else:
            if row.last_month not in months:
                months[row.last_month] = escape(date_format(row.last_month, "YEAR_MONTH_FORMAT"))
            last = months[row.last_month]
        counts = verdicts % {"on_track": row.on_track, "close": row.close, "behind": row.behind}
        html.append(
            f'<tr class="named-row"><th scope="row">{escape(row.name)}</th>'
            f"<td>{last}{stale if row.stale else ''}</td><td>{escape(counts)}</td></tr>"
        )
    return mark_safe("".join(html))  # every text above is escaped


@register.simple_tag
def indicator_cell(cell: Cell, kind: str) -> SafeString:
    """One indicator's text, or why it is hidden: "5 of 6", "60 % (5 businesses)", "58".

    A tag rather than an included template: a programme page has a dozen tables of a dozen
    cells, and the include's translation blocks cost more than the numbers behind them.
    """
    if cell.hidden:
        hidden = ngettext(
            "hidden: fewer than %(counter)s business",
            "hidden: fewer than %(counter)s businesses",
            MIN_BUSINESSES,
        ) % {"counter": MIN_BUSINESSES}
        return format_html('<span class="text-body-secondary suppressed">{}</span>', hidden)
    if kind == "of":
        text = gettext("%(value)s of %(total)s") % {
            "value": localize(cell.value),
            "total": localize(cell.of),
        }
    elif kind == "percent":
        text = ngettext(
            "%(value)s %% (%(counter)s business)",
            "%(value)s %% (%(counter)s businesses)",
            cell.businesses,
        ) % {"value": floatformat(cell.value, "-1"), "counter": localize(cell.businesses)}
    elif kind == "decimal":
        text = floatformat(cell.value, "-1")
    else:
        text = str(localize(cell.value))
    return format_html("{}", text)


@register.simple_tag
def programme_chart(chart: Chart, level: int = 4) -> SafeString:
    """A chart's heading, its drawing area and JSON (unless its numbers are hidden), and its
    table, which is what a reader without JavaScript gets."""
    if chart.spec is None:
        drawing = format_html(
            '<p class="small text-body-secondary">{}</p>',
            ngettext(
                "Not drawn: its numbers cover fewer than %(counter)s business.",
                "Not drawn: its numbers cover fewer than %(counter)s businesses.",
                MIN_BUSINESSES,
            )
            % {"counter": MIN_BUSINESSES},
        )
    else:
        drawing = format_html(
            '<div class="kpi-chart{}" data-chart="{}" role="img" aria-label="{}"></div>{}',
            " bar-chart" if chart.bars else "",
            chart.id,
            chart.label,
            json_script(chart.spec, chart.id),
        )
    table = format_html(
        '<details class="chart-table" open data-chart-table><summary>{}</summary>{}</details>',
        gettext("The numbers as a table"),
        numbers_table(chart.table),
    )
    return format_html(
        '<div class="programme-chart mb-3"><h{} class="h6">{}</h{}>{}{}</div>',
        level,
        chart.table.caption,
        level,
        drawing,
        "" if chart.hidden else table,
    )
