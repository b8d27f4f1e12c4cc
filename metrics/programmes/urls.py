from django.urls import path

from metrics.programmes.views import (
    business_programmes,
    cohort_join,
    cohort_link,
    cohort_new,
    coordinator_accept_view,
    coordinator_new,
    funder_report,
    funder_report_csv,
    funder_report_latest,
    membership_consent,
    membership_leave_view,
    programme_dashboard,
    programme_list,
)

urlpatterns = [
    path("programmes/", programme_list, name="programmes"),
    path("programmes/<int:programme_id>/", programme_dashboard, name="programme"),
    path("programmes/<int:programme_id>/cohorts/new/", cohort_new, name="cohort_new"),
    path(
        "programmes/<int:programme_id>/report/", funder_report_latest, name="funder_report_latest"
    ),
    path(
        "programmes/<int:programme_id>/report/<quarter:quarter>/",
        funder_report,
        name="funder_report",
    ),
    path(
        "programmes/<int:programme_id>/report/<quarter:quarter>.csv",
        funder_report_csv,
        name="funder_report_csv",
    ),
    path(
        "programmes/<int:programme_id>/cohorts/<int:cohort_id>/link/",
        cohort_link,
        name="cohort_link",
    ),
    path(
        "programmes/<int:programme_id>/coordinators/new/",
        coordinator_new,
        name="coordinator_new",
    ),
    path(
        "programmes/coordinators/<str:token>/", coordinator_accept_view, name="coordinator_accept"
    ),
    path("programmes/join/<str:token>/", cohort_join, name="cohort_join"),
    path("b/<int:business_id>/programmes/", business_programmes, name="business_programmes"),
    path(
        "b/<int:business_id>/programmes/<int:membership_id>/consent/",
        membership_consent,
        name="membership_consent",
    ),
    path(
        "b/<int:business_id>/programmes/<int:membership_id>/leave/",
        membership_leave_view,
        name="membership_leave",
    ),
]
