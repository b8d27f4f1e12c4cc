"""The quarterly funder report: the cohorts' indicators for one quarter, each with its method.

Pure assembly, like metrics.reports.build: the cohorts' indicators and a quarter in, the
report's rows in the active language out, for the page and for the CSV files. It reads no
database and knows nothing of HTTP.

``INDICATORS`` is the one list of what the report shows: adding an indicator of
``CohortIndicators`` to the page and to both CSV files is one line there.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from operator import attrgetter
from typing import cast

from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from metrics.engine import Period, PeriodKind, add_months, period_of, periods_between
from metrics.files.cells import format_decimal
from metrics.formatting import format_number, format_percent, month_name, period_name, period_span
from metrics.programmes.indicators import MIN_BUSINESSES, Cell, CohortIndicators, NamedRow
from metrics.programmes.selectors import CohortReport, CountryReport
from metrics.reports.spreadsheet import Value


class Kind(StrEnum):
    """How a cell reads: ``5 of 6``, a plain count, or a percentage."""

    OF = "of"
    COUNT = "count"
    PERCENT = "percent"


@dataclass(frozen=True, slots=True)
class Indicator:
    """One line of the report: what it is called, how it is worked out, where its cell is."""

    key: str
    label: Promise
    # Plain words, with %(last)s, %(previous)s and %(year_earlier)s for the months it reads.
    method: Promise
    cell: Callable[[CohortIndicators], Cell]
    kind: Kind


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "active",
        _("Active"),
        _(
            "Businesses that logged a month in the last 60 days of the quarter "
            "(%(previous)s or %(last)s), out of all members."
        ),
        attrgetter("active"),
        Kind.OF,
    ),
    Indicator(
        "months_logged",
        _("Months logged"),
        _("Every month with figures, added up over all members, up to %(last)s."),
        attrgetter("months_logged"),
        Kind.COUNT,
    ),
    Indicator(
        "on_track_share",
        _("Tracked KPIs on track"),
        _(
            "Of the tracked KPIs that had a target and a verdict in %(last)s, the share on "
            "track; over the businesses with at least one such verdict."
        ),
        attrgetter("on_track_share"),
        Kind.PERCENT,
    ),
    Indicator(
        "revenue_change",
        _("Median change in revenue on a year"),
        _(
            "Each business's revenue in %(last)s against %(year_earlier)s, as a change in per "
            "cent; the middle one of these changes (the median), so that no one business "
            "weighs more. Businesses without revenue in both months are left out."
        ),
        attrgetter("revenue_change"),
        Kind.PERCENT,
    ),
    Indicator(
        "logging_after_6",
        _("Still logging after 6 months"),
        _(
            "Of the businesses whose first month logged is at least 6 months before "
            "%(last)s, those that logged a month 6 months or more after their first."
        ),
        attrgetter("logging_after_6"),
        Kind.OF,
    ),
    Indicator(
        "logging_after_12",
        _("Still logging after 12 months"),
        _(
            "Of the businesses whose first month logged is at least 12 months before "
            "%(last)s, those that logged a month 12 months or more after their first."
        ),
        attrgetter("logging_after_12"),
        Kind.OF,
    ),
    Indicator(
        "without_mentor",
        _("Without a mentor"),
        _("Members who have no mentor today, out of all members."),
        attrgetter("without_mentor"),
        Kind.OF,
    ),
    Indicator(
        "mentors",
        _("Mentors"),
        _(
            "People who mentor at least one member today, counted once each; hidden when "
            "they mentor fewer than 5 of the members."
        ),
        lambda indicators: _mentoring(indicators, "mentors"),
        Kind.COUNT,
    ),
    Indicator(
        "comments_per_month",
        _("Mentors' comments a month"),
        _(
            "Comments the members' mentors wrote on their figures, KPIs and reviews, per month "
            "on average over the 12 months up to %(last)s."
        ),
        lambda indicators: _mentoring(indicators, "comments_per_month"),
        Kind.COUNT,
    ),
    Indicator(
        "quiet_mentors",
        _("Mentors without a comment in 60 days"),
        _("Of those mentors, the ones who wrote no comment in the 60 days up to %(last)s."),
        lambda indicators: _mentoring(indicators, "quiet_mentors"),
        Kind.OF,
    ),
)


def _mentoring(indicators: CohortIndicators, name: str) -> Cell:
    """A mentor-activity cell; with no activity worked out, a cell over no business (hidden)."""
    if indicators.mentoring is None:
        return Cell(0, 0)
    return cast(Cell, getattr(indicators.mentoring, name))


@dataclass(frozen=True, slots=True)
class ReportCell:
    """One number of one cohort, ready to read: hidden cells have no value, only a reason."""

    key: str
    label: str
    method: str
    kind: Kind
    value: Decimal | None  # None when hidden
    businesses: int | None  # None when hidden: how many it covers is itself an aggregate
    text: str  # "4 of 5", "59", "60.0%", or "" when hidden
    counted: str  # "5 businesses counted", or ""
    reason: str  # why it is hidden, or ""


@dataclass(frozen=True, slots=True)
class ReportCohort:
    name: str
    country: str
    country_name: str
    members: int
    members_text: str
    cells: tuple[ReportCell, ...]
    named: tuple[NamedRow, ...]


@dataclass(frozen=True, slots=True)
class FunderReport:
    quarter: Period
    title: str
    span: str
    as_of: date
    cohorts: tuple[ReportCohort, ...]
    # The first page's table: one row per indicator, one cell per cohort.
    summary: tuple[tuple[str, tuple[ReportCell, ...]], ...]


def quarter_choices(start: date, last_complete: date) -> list[Period]:
    """The complete quarters from the programme's start to ``last_complete``, newest first.

    A programme that starts later still offers the last complete quarter, the default.
    """
    latest = last_complete_quarter(last_complete)
    first = min(start, latest.start)
    return periods_between(first, latest.end, PeriodKind.QUARTER)[::-1]


def last_complete_quarter(last_complete: date) -> Period:
    """The newest quarter whose months are all complete by ``last_complete``."""
    quarter = period_of(last_complete, PeriodKind.QUARTER)
    return quarter if quarter.end == last_complete else quarter.previous()


def hidden_reason() -> str:
    """Why a cell has no value: the dashboard's words, so both read the same."""
    return ngettext(
        "hidden: fewer than %(counter)s business",
        "hidden: fewer than %(counter)s businesses",
        MIN_BUSINESSES,
    ) % {"counter": MIN_BUSINESSES}


def _text(value: Decimal, cell: Cell, kind: Kind) -> str:
    if kind is Kind.PERCENT:
        return format_percent(value)
    if kind is Kind.OF:
        return gettext("%(value)s of %(total)s") % {
            "value": format_number(value),
            "total": format_number(cell.of if cell.of is not None else cell.businesses),
        }
    return format_number(value)


def report_cell(
    indicator: Indicator, indicators: CohortIndicators, months: dict[str, str]
) -> ReportCell:
    """An indicator's cell for one cohort, with its method for the quarter's months."""
    cell = indicator.cell(indicators)
    method = str(indicator.method) % months
    if cell.hidden:
        return ReportCell(
            key=indicator.key,
            label=str(indicator.label),
            method=method,
            kind=indicator.kind,
            value=None,
            businesses=None,
            text="",
            counted="",
            reason=hidden_reason(),
        )
    value = Decimal(cell.value)
    counted = ngettext(
        "%(count)s business counted", "%(count)s businesses counted", cell.businesses
    ) % {"count": format_number(cell.businesses)}
    return ReportCell(
        key=indicator.key,
        label=str(indicator.label),
        method=method,
        kind=indicator.kind,
        value=value,
        businesses=cell.businesses,
        text=_text(value, cell, indicator.kind),
        counted=counted,
        reason="",
    )


def build_funder_report(
    reports: Sequence[CohortReport], quarter: Period, countries: Sequence[CountryReport] = ()
) -> FunderReport:
    """Every cohort's indicators for ``quarter``, as of its last month, with their methods;
    then, where a country has more than one cohort, the same for all its cohorts together."""
    last = quarter.end
    months = {
        "last": month_name(last),
        "previous": month_name(add_months(last, -1)),
        "year_earlier": month_name(add_months(last, -12)),
    }
    cohorts = tuple(
        ReportCohort(
            name=report.cohort.name,
            country=report.cohort.country,
            country_name=str(report.cohort.get_country_display()),
            members=report.indicators.members,
            members_text=format_number(report.indicators.members),
            cells=tuple(
                report_cell(indicator, report.indicators, months) for indicator in INDICATORS
            ),
            named=tuple(report.indicators.named),
        )
        for report in reports
    )
    cohorts += tuple(
        ReportCohort(
            name=gettext("All cohorts in %(country)s") % {"country": _country_name(country)},
            country=country.country,
            country_name=_country_name(country),
            members=country.indicators.members,
            members_text=format_number(country.indicators.members),
            cells=tuple(
                report_cell(indicator, country.indicators, months) for indicator in INDICATORS
            ),
            named=(),  # each member's row is in its own cohort's section
        )
        for country in countries
        if len(country.cohorts) > 1
    )
    summary = tuple(
        (str(indicator.label), tuple(cohort.cells[index] for cohort in cohorts))
        for index, indicator in enumerate(INDICATORS)
    )
    return FunderReport(
        quarter=quarter,
        title=period_name(quarter),
        span=period_span(quarter),
        as_of=last,
        cohorts=cohorts,
        summary=summary,
    )


def _country_name(country: CountryReport) -> str:
    return str(country.cohorts[0].get_country_display())


def excel_rows(report: FunderReport) -> list[list[Value]]:
    """One row per cohort and indicator, in the active language, for ``excel_csv``."""
    rows: list[list[Value]] = [
        [
            pgettext("file column", "quarter"),
            pgettext("file column", "cohort"),
            pgettext("file column", "country"),
            pgettext("file column", "indicator"),
            pgettext("file column", "value"),
            pgettext("file column", "businesses counted"),
            pgettext("file column", "method"),
            pgettext("file column", "note"),
        ]
    ]
    for cohort in report.cohorts:
        for cell in cohort.cells:
            rows.append(
                [
                    report.quarter.label,
                    cohort.name,
                    cohort.country_name,
                    cell.label,
                    cell.value,
                    None if cell.businesses is None else Decimal(cell.businesses),
                    cell.method,
                    cell.reason,
                ]
            )
    return rows


def funder_csv(report: FunderReport) -> str:
    """The machine-readable file: comma, decimal point, codes; build ``report`` in English."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(
        ["quarter", "cohort", "country", "indicator", "value", "businesses", "method", "note"]
    )
    for cohort in report.cohorts:
        for cell in cohort.cells:
            writer.writerow(
                [
                    report.quarter.label,
                    cohort.name,
                    cohort.country,
                    cell.key,
                    "" if cell.value is None else format_decimal(cell.value),
                    "" if cell.businesses is None else cell.businesses,
                    cell.method,
                    cell.reason,
                ]
            )
    return output.getvalue()
