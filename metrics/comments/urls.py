from django.urls import path

from metrics.comments.views import (
    comment_delete_view,
    comment_edit_view,
    comments,
    kpi_comments,
    month_comments,
    review_comments,
)

urlpatterns = [
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
