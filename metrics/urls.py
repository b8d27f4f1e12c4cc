from metrics.views import business, dashboard, history, ledger, mentors, months, reports

app_name = "metrics"

urlpatterns = [
    *business.urlpatterns,
    *months.urlpatterns,
    *dashboard.urlpatterns,
    *mentors.urlpatterns,
    *ledger.urlpatterns,
    *reports.urlpatterns,
    *history.urlpatterns,
]
