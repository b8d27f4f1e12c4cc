from django.urls import path

from metrics.months.views import month_edit, month_history_view, month_list

urlpatterns = [
    path("b/<int:business_id>/months/", month_list, name="months"),
    path("b/<int:business_id>/months/<month:month>/", month_edit, name="month"),
    path(
        "b/<int:business_id>/months/<month:month>/history/",
        month_history_view,
        name="month_history",
    ),
]
