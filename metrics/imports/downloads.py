"""Templates to download from the import pages: the columns to fill in, in the user's language."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from metrics.access import BusinessAccess, business_view
from metrics.businesses.selectors import business_engine, tracked_codes
from metrics.engine import Engine, add_months
from metrics.formatting import current_language
from metrics.models.business import Business
from metrics.months.selectors import needed_figures
from metrics.pages import current_month
from metrics.reports.spreadsheet import excel_csv, figures_template, ledger_template
from metrics.reports.views import csv_response, file_stem

# The months a figures template has rows for, up to the month in progress.
TEMPLATE_MONTHS = 3


def template_figures(business: Business, engine: Engine) -> list[str]:
    """The figures the tracked KPIs need and the business's own; every figure before a choice."""
    needed = set(needed_figures(engine, tracked_codes(business)))
    if not needed:
        return list(engine.figures)
    own = {figure.code for figure in business.custom_figures.all()}
    return [code for code in engine.figures if code in needed | own]


@require_safe
@business_view()
def figures_import_template(request: HttpRequest, access: BusinessAccess) -> HttpResponse:
    business = access.business
    engine = business_engine(business)
    last = current_month()
    months = [add_months(last, shift) for shift in range(1 - TEMPLATE_MONTHS, 1)]
    rows = figures_template(template_figures(business, engine), engine.figures, months)
    return csv_response(
        excel_csv(rows, current_language()), f"{file_stem(business)}-figures-template.csv"
    )


@require_safe
@business_view()
def ledger_import_template(request: HttpRequest, access: BusinessAccess) -> HttpResponse:
    text = excel_csv(ledger_template(), current_language())
    return csv_response(text, f"{file_stem(access.business)}-sales-template.csv")
