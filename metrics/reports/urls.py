from django.urls import path

from metrics.reports.views import export_figures, export_kpis, report

urlpatterns = [
    path("b/<int:business_id>/report/", report, name="report"),
    path("b/<int:business_id>/export/figures.csv", export_figures, name="export_figures"),
    path("b/<int:business_id>/export/kpis.csv", export_kpis, name="export_kpis"),
]
