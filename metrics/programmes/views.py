"""Programme pages: the coordinator's dashboard and cohorts, and the entrepreneur's consent."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.countries import COUNTRY_CHOICES
from accounts.http import AuthenticatedRequest
from accounts.throttle import rate_limited, refused
from metrics.access import BusinessAccess, business_view
from metrics.engine import Period, PeriodError, PeriodKind, parse_period_label
from metrics.formatting import current_language
from metrics.models.business import Business
from metrics.models.programmes import CohortMembership, Consent
from metrics.pages import business_context, last_complete_month
from metrics.programmes.charts import groups_charts, months_chart
from metrics.programmes.forms import (
    CohortForm,
    ConsentForm,
    CoordinatorInviteForm,
    FunderQuarterForm,
    JoinForm,
)
from metrics.programmes.funder import build_funder_report, excel_rows, funder_csv, quarter_choices
from metrics.programmes.indicators import MIN_BUSINESSES, QUIET_DAYS
from metrics.programmes.selectors import (
    active_memberships,
    cohort_for_coordinator,
    coordinated_programmes,
    pending_proposals,
    pool_entries,
    programme_for_coordinator,
    programme_overview,
)
from metrics.programmes.services import (
    cohort_create,
    cohort_for_token,
    cohort_new_link,
    coordinator_accept,
    coordinator_invitation_for_token,
    coordinator_invitation_send,
    coordinator_invite,
    membership_change,
    membership_join,
    membership_leave,
)
from metrics.reports.spreadsheet import excel_csv
from metrics.reports.views import csv_response

SESSION_LINK = "cohort_link:{cohort}"
COUNTRY_NAMES = dict(COUNTRY_CHOICES)


def _show_link_once(request: HttpRequest, cohort_id: int, token: str) -> None:
    """Keep the new link for the next view of the dashboard only: it is never stored in clear."""
    link = request.build_absolute_uri(reverse("metrics:cohort_join", args=[token]))
    request.session[SESSION_LINK.format(cohort=cohort_id)] = link


@require_safe
@login_required
def programme_list(request: AuthenticatedRequest) -> HttpResponse:
    programmes = list(coordinated_programmes(request.user))
    pools = list(pool_entries(request.user))
    context = {"programmes": programmes, "pools": pools}
    return render(request, "metrics/programmes/list.html", context)


@require_safe
@login_required
def programme_dashboard(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = programme_for_coordinator(request.user, programme_id)
    month = last_complete_month()
    report = programme_overview(programme, month)
    links = {
        cohort.cohort.pk: request.session.pop(SESSION_LINK.format(cohort=cohort.cohort.pk), None)
        for cohort in report.cohorts
    }
    countries = [
        (country, str(COUNTRY_NAMES.get(country.country, country.country)))
        for country in report.countries
    ]
    context = {
        "programme": programme,
        "reports": [
            (
                cohort,
                links[cohort.cohort.pk],
                months_chart(cohort.indicators, f"cohort-{cohort.cohort.pk}", cohort.cohort.name),
            )
            for cohort in report.cohorts
        ],
        "country_reports": [
            (country, name, months_chart(country.indicators, f"country-{country.country}", name))
            for country, name in countries
        ],
        "compared": groups_charts(
            [(cohort.cohort.name, cohort.indicators) for cohort in report.cohorts], "cohorts"
        )
        if report.cohorts
        else (),
        "month": month,
        "minimum": MIN_BUSINESSES,
        "quiet_days": QUIET_DAYS,
    }
    return render(request, "metrics/programmes/dashboard.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def cohort_new(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = programme_for_coordinator(request.user, programme_id)
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cohort, token = cohort_create(programme=programme, **form.cleaned_data)
        _show_link_once(request, cohort.pk, token)
        messages.success(request, _("The cohort is created. Share its link below."))
        return redirect(reverse("metrics:programme", args=[programme.pk]) + f"#cohort-{cohort.pk}")
    return render(
        request, "metrics/programmes/cohort_form.html", {"programme": programme, "form": form}
    )


@require_POST
@login_required
def cohort_link(request: AuthenticatedRequest, programme_id: int, cohort_id: int) -> HttpResponse:
    """A new joining link; the old one stops working, members already in stay in."""
    cohort = cohort_for_coordinator(request.user, programme_id, cohort_id)
    _show_link_once(request, cohort.pk, cohort_new_link(cohort=cohort))
    return redirect(reverse("metrics:programme", args=[programme_id]) + f"#cohort-{cohort.pk}")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@rate_limited("invitation")
def coordinator_new(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = programme_for_coordinator(request.user, programme_id)
    form = CoordinatorInviteForm(request.POST or None)
    if request.method == "POST" and not refused(request, form) and form.is_valid():
        try:
            invitation, token = coordinator_invite(
                programme=programme, email=form.cleaned_data["email"], invited_by=request.user
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            if coordinator_invitation_send(invitation=invitation, token=token):
                messages.success(request, _("The invitation is sent. It works once, for 14 days."))
            else:
                messages.warning(request, _("The email could not be sent. Try again later."))
            return redirect("metrics:programme", programme.pk)
    return render(
        request, "metrics/programmes/coordinator_form.html", {"programme": programme, "form": form}
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def coordinator_accept_view(request: AuthenticatedRequest, token: str) -> HttpResponse:
    """The token is the credential: whoever is logged in and holds it becomes a coordinator."""
    invitation = coordinator_invitation_for_token(token)
    if invitation is None:
        raise Http404
    if request.method == "POST":
        try:
            coordinator_accept(invitation=invitation, user=request.user)
        except ValidationError:
            raise Http404 from None
        messages.success(
            request, _("You now coordinate %(name)s.") % {"name": invitation.programme}
        )
        return redirect("metrics:programme", invitation.programme_id)
    return render(request, "metrics/programmes/coordinator_accept.html", {"invitation": invitation})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def cohort_join(request: AuthenticatedRequest, token: str) -> HttpResponse:
    """What the programme will see, in the reader's language, then the choice and the join."""
    cohort = cohort_for_token(token)
    if cohort is None:
        raise Http404
    businesses = Business.objects.filter(owner=request.user)
    form = JoinForm(request.POST or None, businesses=businesses)
    if request.method == "POST" and form.is_valid():
        business = form.cleaned_data["business"]
        membership_join(cohort=cohort, business=business, consent=form.cleaned_data["consent"])
        messages.success(
            request,
            _("%(business)s is in the cohort %(cohort)s. You can change this at any time here.")
            % {"business": business.name, "cohort": cohort.name},
        )
        return redirect("metrics:business_programmes", business.pk)
    context = {
        "cohort": cohort,
        "form": form,
        "has_business": businesses.exists(),
        "minimum": MIN_BUSINESSES,
    }
    return render(request, "metrics/programmes/join.html", context)


@require_safe
@business_view(write=True)
def business_programmes(request: AuthenticatedRequest, access: BusinessAccess) -> HttpResponse:
    memberships = list(active_memberships(access.business))
    proposals = pending_proposals(access.business)
    rows = [
        (m, ConsentForm(initial={"consent": m.consent}), proposals.get(m.pk)) for m in memberships
    ]
    context = {
        **business_context(request, access, "programmes"),
        "rows": rows,
        "minimum": MIN_BUSINESSES,
    }
    return render(request, "metrics/programmes/business.html", context)


def _membership(access: BusinessAccess, membership_id: int) -> CohortMembership:
    return get_object_or_404(
        CohortMembership.objects.select_related("cohort"),
        pk=membership_id,
        business=access.business,
        left_at=None,
    )


@require_POST
@business_view(write=True)
def membership_consent(
    request: AuthenticatedRequest, access: BusinessAccess, membership_id: int
) -> HttpResponse:
    membership = _membership(access, membership_id)
    form = ConsentForm(request.POST)
    if form.is_valid():
        membership_change(membership=membership, consent=form.cleaned_data["consent"])
        if membership.consent == Consent.NAMED:
            text = _("%(cohort)s now sees your row, never your figures.")
        else:
            text = _("%(cohort)s now counts you only in its totals.")
        messages.success(request, text % {"cohort": membership.cohort.name})
    return redirect("metrics:business_programmes", access.business.pk)


@require_POST
@business_view(write=True)
def membership_leave_view(
    request: AuthenticatedRequest, access: BusinessAccess, membership_id: int
) -> HttpResponse:
    membership = _membership(access, membership_id)
    membership_leave(membership=membership)
    messages.success(
        request,
        _("You left %(cohort)s: the programme sees nothing more of your business.")
        % {"cohort": membership.cohort.name},
    )
    return redirect("metrics:business_programmes", access.business.pk)


def _complete_quarter(label: str) -> Period:
    """The calendar quarter ``label`` names; 404 for a malformed one or one not yet complete."""
    try:
        quarter = parse_period_label(label)
    except PeriodError:
        raise Http404 from None
    if quarter.kind is not PeriodKind.QUARTER or quarter.end > last_complete_month():
        raise Http404
    return quarter


@require_safe
@login_required
def funder_report_latest(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    """The quarter picker's target: the chosen quarter's report, or the last complete one's."""
    programme = programme_for_coordinator(request.user, programme_id)
    quarters = quarter_choices(programme.start, last_complete_month())
    form = FunderQuarterForm(
        request.GET if "quarter" in request.GET else None, quarters=quarters, initial=quarters[0]
    )
    if form.is_bound and not form.is_valid():
        raise Http404
    label = form.cleaned_data["quarter"] if form.is_bound else quarters[0].label
    return redirect("metrics:funder_report", programme.pk, label)


@require_safe
@login_required
def funder_report(request: AuthenticatedRequest, programme_id: int, quarter: str) -> HttpResponse:
    """Each cohort's indicators for a quarter with the method under each number, to print."""
    programme = programme_for_coordinator(request.user, programme_id)
    period = _complete_quarter(quarter)
    overview = programme_overview(programme, period.end)
    report = build_funder_report(overview.cohorts, period, overview.countries)
    context = {
        "programme": programme,
        "report": report,
        "form": FunderQuarterForm(
            quarters=quarter_choices(programme.start, last_complete_month()), initial=period
        ),
        "made_on": timezone.localdate(),
        "minimum": MIN_BUSINESSES,
    }
    return render(request, "metrics/programmes/funder_report.html", context)


@require_safe
@login_required
def funder_report_csv(
    request: AuthenticatedRequest, programme_id: int, quarter: str
) -> HttpResponse:
    """The report's numbers, one row per cohort and indicator; ``?format=excel`` for Excel."""
    programme = programme_for_coordinator(request.user, programme_id)
    period = _complete_quarter(quarter)
    overview = programme_overview(programme, period.end)
    stem = f"{slugify(programme.name) or 'programme'}-{period.label}"
    if request.GET.get("format") == "excel":
        rows = excel_rows(build_funder_report(overview.cohorts, period, overview.countries))
        return csv_response(excel_csv(rows, current_language()), f"{stem}-excel.csv")
    # The machine-readable file keeps to codes and English, whoever downloads it.
    with translation.override("en"):
        text = funder_csv(build_funder_report(overview.cohorts, period, overview.countries))
    return csv_response(text, f"{stem}.csv")
