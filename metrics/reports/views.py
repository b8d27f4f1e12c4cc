"""The lender report and the CSV exports."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from metrics.access import BusinessAccess, business_view
from metrics.businesses.selectors import (
    business_engine,
    business_targets,
    target_rule,
    tracked_codes,
)
from metrics.dashboard.cards import TargetInput
from metrics.dashboard.picker import review_quarter
from metrics.dashboard.selectors import entry_span, window_figures
from metrics.engine import (
    Period,
    PeriodError,
    PeriodKind,
    parse_month,
    parse_period_label,
)
from metrics.formatting import current_language, period_name
from metrics.models.business import Business
from metrics.models.comments import Comment
from metrics.models.reviews import QuarterlyReview
from metrics.months.selectors import needed_figures
from metrics.pages import business_context, last_complete_month
from metrics.reports.build import build_report, reflection_quarters, report_periods, report_window
from metrics.reports.exports import exported_figures, exported_results, figures_csv, results_csv
from metrics.reports.forms import ReportForm
from metrics.reports.spreadsheet import excel_csv, figures_rows, results_rows


def csv_response(text: str, filename: str) -> HttpResponse:
    return HttpResponse(
        text,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


def _for_excel(request: HttpRequest) -> bool:
    """``?format=excel``: separators and names of the reader's language, for Excel to open."""
    return request.GET.get("format") == "excel"


def file_stem(business: Business) -> str:
    return slugify(business.name) or f"business-{business.pk}"


@require_safe
@business_view()
def export_figures(request: HttpRequest, access: BusinessAccess) -> HttpResponse:
    business = access.business
    engine = business_engine(business)
    needed = needed_figures(engine, tracked_codes(business))
    if _for_excel(request):
        data, codes = exported_figures(business, engine, needed)
        text = excel_csv(figures_rows(data, codes, engine.figures), current_language())
        return csv_response(text, f"{file_stem(business)}-figures-excel.csv")
    text = figures_csv(business, engine, needed)
    return csv_response(text, f"{file_stem(business)}-figures.csv")


@require_safe
@business_view()
def export_kpis(request: HttpRequest, access: BusinessAccess) -> HttpResponse:
    business = access.business
    kind = request.GET.get("period", PeriodKind.MONTH.value)
    if kind not in {member.value for member in PeriodKind}:
        return HttpResponseBadRequest(_("The period must be month, quarter or year."))
    engine = business_engine(business)
    everything = request.GET.get("all") == "1"
    codes = list(engine.kpis) if everything else tracked_codes(business)
    codes = [code for code in codes if code in engine.kpis]
    suffix = "-all" if everything else ""
    if _for_excel(request):
        series = exported_results(business, engine, codes, PeriodKind(kind))
        names = {code: str(engine.kpis[code].name) for code in codes}
        text = excel_csv(results_rows(series, names), current_language())
        return csv_response(text, f"{file_stem(business)}-kpis-{kind}{suffix}-excel.csv")
    text = results_csv(business, engine, codes, PeriodKind(kind))
    return csv_response(text, f"{file_stem(business)}-kpis-{kind}{suffix}.csv")


def _reflections(business: Business, period: Period) -> list[dict[str, str]]:
    """The owner's written reflections on the quarters of ``period`` (one query)."""
    reviews = (
        QuarterlyReview.objects.filter(business=business, quarter__in=reflection_quarters(period))
        .exclude(reflection="")
        .order_by("quarter")
    )
    return [
        {
            "quarter": period_name(parse_period_label(review.quarter, business.fy_start)),
            "text": review.reflection,
        }
        for review in reviews
    ]


def _comment_month(business: Business, comment: Comment) -> date | None:
    """The month a comment is about: its month, its quarter's first month, or its period's."""
    label = comment.subject if comment.on != Comment.On.KPI else comment.period
    if not label:
        return None
    try:
        if comment.on == Comment.On.MONTH:
            return parse_month(label)
        return parse_period_label(label, business.fy_start).start
    except PeriodError:
        return None


def mentor_comments(business: Business, period: Period) -> list[dict[str, Any]]:
    """What mentors wrote about the months, KPIs and reviews of ``period``, oldest first."""
    comments = (
        Comment.objects.filter(business=business)
        .exclude(author_id=business.owner_id)
        .select_related("author")
        .order_by("created", "pk")
    )
    shown = []
    for comment in comments:
        month = _comment_month(business, comment)
        if month is not None and period.contains(month):
            shown.append(
                {
                    "author": comment.author.get_full_name(),
                    "written": comment.created,
                    "body": comment.body,
                }
            )
    return shown


@business_view()
@require_safe
def report(request: HttpRequest, access: BusinessAccess) -> HttpResponse:
    business = access.business
    first_month, last_month = entry_span(business)
    latest = last_complete_month()
    default = review_quarter(
        business.fy_start, first_month=first_month, last_month=last_month, fallback=latest
    )
    form = ReportForm(
        request.GET if "period" in request.GET else None,
        periods=report_periods(first_month, last_month or latest, business.fy_start),
        fy_start=business.fy_start,
        default=default,
    )
    valid = form.is_bound and form.is_valid()
    period = form.cleaned_data["period"] if valid else default
    show_reflection = valid and form.cleaned_data["reflection"]
    show_comments = valid and form.cleaned_data["comments"]
    engine = business_engine(business)
    codes = [code for code in tracked_codes(business) if code in engine.kpis]
    figures = window_figures(
        business,
        first=report_window(period, first_month),
        last=period.end,
        codes=engine.figures_needed(codes) if codes else [],
    )
    targets = [
        TargetInput(target_rule(target), target.goal.title if target.goal else "")
        for target in business_targets(business)
    ]
    context = {
        **business_context(request, access, "report"),
        "form": form,
        "report": build_report(
            engine=engine,
            figures=figures,
            codes=codes,
            targets=targets,
            period=period,
            currency=business.currency,
            first_month=first_month,
        ),
        "has_figures": first_month is not None,
        "made_on": timezone.localdate(),
        "show_reflection": show_reflection,
        "reflections": _reflections(business, period) if show_reflection else [],
        "show_comments": show_comments,
        "mentor_comments": mentor_comments(business, period) if show_comments else [],
    }
    return render(request, "metrics/report/report.html", context)
