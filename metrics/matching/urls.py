from django.urls import path

from metrics.matching.views import (
    matching,
    pool,
    pool_accept,
    pool_entry,
    pool_leave_view,
    proposal_accept_view,
    proposal_decline_view,
    proposal_new,
)

urlpatterns = [
    path("programmes/<int:programme_id>/pool/", pool, name="pool"),
    path("programmes/<int:programme_id>/pool/mine/", pool_entry, name="pool_entry"),
    path("programmes/<int:programme_id>/pool/leave/", pool_leave_view, name="pool_leave"),
    path("programmes/pool/<str:token>/", pool_accept, name="pool_accept"),
    path("programmes/<int:programme_id>/matching/", matching, name="matching"),
    path(
        "programmes/<int:programme_id>/matching/<int:membership_id>/propose/",
        proposal_new,
        name="proposal_new",
    ),
    path(
        "b/<int:business_id>/programmes/proposals/<int:proposal_id>/accept/",
        proposal_accept_view,
        name="proposal_accept",
    ),
    path(
        "b/<int:business_id>/programmes/proposals/<int:proposal_id>/decline/",
        proposal_decline_view,
        name="proposal_decline",
    ),
]
