from django.urls import path

from metrics.dashboard.views import dashboard, kpi_page, review, review_latest

urlpatterns = [
    path("b/<int:business_id>/", dashboard, name="dashboard"),
    path("b/<int:business_id>/kpi/<str:kpi>/", kpi_page, name="kpi"),
    path("b/<int:business_id>/review/", review_latest, name="review_latest"),
    path("b/<int:business_id>/review/<quarter:quarter>/", review, name="review"),
]
