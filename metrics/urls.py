from metrics.views import business, dashboard, history, ledger, mentors, months, reports

app_name = "metrics"

urlpatterns = [
    *business.urlpatterns,
    # Before months: b/<id>/import/ledger/ would otherwise be read as a figures-file token.
    *ledger.urlpatterns,
    *months.urlpatterns,
    *dashboard.urlpatterns,
    *mentors.urlpatterns,
    *reports.urlpatterns,
    *history.urlpatterns,
]
