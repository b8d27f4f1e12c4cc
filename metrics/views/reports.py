"""The report for a bank, a lender or a mentor."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_safe

from metrics.access import business_view
from metrics.dashboard import TargetInput, period_name, review_quarter
from metrics.engine import Period, PeriodError, parse_month, parse_period_label
from metrics.forms_report import ReportForm
from metrics.models import Business, Comment, QuarterlyReview
from metrics.report import build_report, reflection_quarters, report_periods, report_window
from metrics.selectors import business_engine, business_targets, target_rule, tracked_codes
from metrics.selectors_dashboard import entry_span, window_figures
from metrics.views.common import business_context, last_complete_month


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
def report(request: HttpRequest, business: Business) -> HttpResponse:
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
        **business_context(request, business, "report"),
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


urlpatterns: list[URLPattern] = [
    path("b/<int:business_id>/report/", report, name="report"),
]
