"""The named members' rows of the programme dashboard, written in one pass.

A cohort of thousands may have hundreds of named rows; a template loop over them costs more
than reading the whole programme, so this tag writes them with plain string joins. Every text
is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django import template
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from metrics.programmes.indicators import NamedRow

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
