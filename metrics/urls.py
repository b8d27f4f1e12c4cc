from metrics.views import business, dashboard, months

app_name = "metrics"

urlpatterns = [*business.urlpatterns, *months.urlpatterns, *dashboard.urlpatterns]
