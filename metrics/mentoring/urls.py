from django.urls import path

from metrics.mentoring.views import (
    comment_delete_view,
    comment_edit_view,
    comments,
    invitation_accept_view,
    invitation_cancel_view,
    invite_link,
    kpi_comments,
    mentor_home,
    mentors,
    mentorship_leave,
    mentorship_revoke_view,
    month_comments,
    review_comments,
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
    path("b/<int:business_id>/comments/", comments, name="comments"),
    path(
        "b/<int:business_id>/months/<month:month>/comments/",
        month_comments,
        name="month_comments",
    ),
    path("b/<int:business_id>/kpis/<str:kpi>/comments/", kpi_comments, name="kpi_comments"),
    path(
        "b/<int:business_id>/review/<quarter:quarter>/comments/",
        review_comments,
        name="review_comments",
    ),
    path(
        "b/<int:business_id>/comments/<int:comment_id>/edit/",
        comment_edit_view,
        name="comment_edit",
    ),
    path(
        "b/<int:business_id>/comments/<int:comment_id>/delete/",
        comment_delete_view,
        name="comment_delete",
    ),
]
