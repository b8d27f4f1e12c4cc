from django.urls import path

from metrics.mentoring.views import (
    invitation_accept_view,
    invitation_cancel_view,
    invite_link,
    mentor_home,
    mentors,
    mentorship_leave,
    mentorship_revoke_view,
)

urlpatterns = [
    path("mentor/", mentor_home, name="mentor_home"),
    path("mentor/invitations/<str:token>/", invitation_accept_view, name="invitation_accept"),
    path("b/<int:business_id>/mentoring/leave/", mentorship_leave, name="mentorship_leave"),
    path("b/<int:business_id>/mentors/", mentors, name="mentors"),
    path("b/<int:business_id>/mentors/link/", invite_link, name="invite_link"),
    path(
        "b/<int:business_id>/mentors/invitations/<int:invitation_id>/cancel/",
        invitation_cancel_view,
        name="invitation_cancel",
    ),
    path(
        "b/<int:business_id>/mentors/<int:mentorship_id>/revoke/",
        mentorship_revoke_view,
        name="mentorship_revoke",
    ),
]
