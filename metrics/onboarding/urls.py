from django.urls import path

from metrics.onboarding.views import (
    start,
    start_business,
    start_channel,
    start_kpis,
    start_month,
    start_target,
)

# Under /b/ like every page of a business: private, never stored by a cache.
urlpatterns = [
    path("b/start/", start, name="start"),
    path("b/start/business/", start_business, name="start_business"),
    path("b/<int:business_id>/start/selling/", start_channel, name="start_channel"),
    path("b/<int:business_id>/start/kpis/", start_kpis, name="start_kpis"),
    path("b/<int:business_id>/start/target/", start_target, name="start_target"),
    path("b/<int:business_id>/start/month/", start_month, name="start_month"),
]
