"""The tables under the dashboard's charts, written in one pass.

A dashboard has a dozen tables of up to 60 rows; a template loop over their cells costs more
than the rest of the page, so this tag writes them with plain string joins. Every text is
escaped here.
"""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from metrics.dashboard.cards import Table

register = template.Library()


@register.simple_tag
def numbers_table(table: Table) -> SafeString:
    """An accessible table: a caption, column headers and row headers with their scope."""
    caption = escape(table.caption)
    head = "".join(f'<th scope="col">{escape(header)}</th>' for header in table.headers)
    body = "".join(
        f'<tr><th scope="row">{escape(row.header)}</th>'
        + "".join(f"<td>{escape(cell)}</td>" for cell in row.cells)
        + "</tr>"
        for row in table.rows
    )
    return mark_safe(  # every text above is escaped
        f'<div class="table-responsive" tabindex="0" role="group" aria-label="{caption}">'
        f'<table class="table table-sm numbers-table mb-0"><caption>{caption}</caption>'
        f'<thead><tr><th scope="col">{escape(table.corner)}</th>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )
