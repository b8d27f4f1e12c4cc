"""What a comment or a thread is about, as words in the active language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext

from metrics.engine import PeriodError, parse_month, parse_period_label
from metrics.formatting import month_name, period_name
from metrics.models.business import Business
from metrics.models.comments import Comment

On = Comment.On


def kpi_names(engine: Any) -> dict[str, str]:
    """Each KPI's name in the active language, by code."""
    return {code: str(kpi.name) for code, kpi in engine.kpis.items()}


def period_text(business: Business, label: str) -> str:
    try:
        return period_name(parse_period_label(label, business.fy_start))
    except PeriodError:
        return label


def _subject_text(business: Business, on: str, subject: str) -> str:
    """A month's or a quarter's name in the active language."""
    if on == On.MONTH:
        try:
            return month_name(parse_month(subject))
        except PeriodError:
            return subject
    return period_text(business, subject)


def comment_where(
    comment: Comment, kpi_names: Mapping[str, str], business: Business | None = None
) -> str:
    """What a comment is about, as a label: "Figures for March 2026", "Revenue"…

    A caller that already holds the comment's business passes it and saves a query.
    """
    business = business or comment.business
    if comment.on == On.MONTH:
        subject = _subject_text(business, comment.on, comment.subject)
        return gettext("Figures for %(month)s") % {"month": subject}
    if comment.on == On.REVIEW:
        subject = _subject_text(business, comment.on, comment.subject)
        return gettext("Quarterly review for %(quarter)s") % {"quarter": subject}
    kpi = kpi_names.get(comment.subject, comment.subject)
    if comment.period:
        return gettext("%(kpi)s in %(period)s") % {
            "kpi": kpi,
            "period": period_text(business, comment.period),
        }
    return kpi


def thread_title(business: Business, on: str, subject: str, kpi_names: Mapping[str, str]) -> str:
    """The heading of a thread's own page, as a whole sentence per kind of thread."""
    if on == On.MONTH:
        return gettext("Comments on the figures for %(month)s") % {
            "month": _subject_text(business, on, subject)
        }
    if on == On.REVIEW:
        return gettext("Comments on the quarterly review for %(quarter)s") % {
            "quarter": _subject_text(business, on, subject)
        }
    return gettext("Comments on %(kpi)s") % {"kpi": kpi_names.get(subject, subject)}
