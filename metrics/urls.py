"""The business section's URLs: each feature package lists its own, and this only gathers them."""

from metrics.businesses.urls import urlpatterns as businesses
from metrics.comments.urls import urlpatterns as comments
from metrics.dashboard.urls import urlpatterns as dashboard
from metrics.imports.urls import urlpatterns as imports
from metrics.matching.urls import urlpatterns as matching
from metrics.mentoring.urls import urlpatterns as mentoring
from metrics.months.urls import urlpatterns as months
from metrics.onboarding.urls import urlpatterns as onboarding
from metrics.programmes.urls import urlpatterns as programmes
from metrics.reports.urls import urlpatterns as reports

app_name = "metrics"

urlpatterns = [
    *businesses,
    *onboarding,
    *imports,
    *months,
    *dashboard,
    *mentoring,
    *comments,
    *reports,
    *programmes,
    *matching,
]
