from django.urls import path

from metrics.imports.columns import figures_columns, ledger_columns
from metrics.imports.downloads import figures_import_template, ledger_import_template
from metrics.imports.ledger_views import ledger_import, ledger_preview, ledger_reading
from metrics.imports.views import figures_import, figures_import_preview

urlpatterns = [
    path(
        "b/<int:business_id>/import/ledger/columns/<token:token>/",
        ledger_columns,
        name="ledger_columns",
    ),
    path(
        "b/<int:business_id>/import/columns/<token:token>/", figures_columns, name="import_columns"
    ),
    path(
        "b/<int:business_id>/import/ledger/template.csv",
        ledger_import_template,
        name="ledger_template",
    ),
    path(
        "b/<int:business_id>/import/template.csv", figures_import_template, name="import_template"
    ),
    path(
        "b/<int:business_id>/import/ledger/reading/<token:token>/",
        ledger_reading,
        name="ledger_reading",
    ),
    path("b/<int:business_id>/import/ledger/", ledger_import, name="ledger_import"),
    path("b/<int:business_id>/import/ledger/<token:token>/", ledger_preview, name="ledger_preview"),
    path("b/<int:business_id>/import/", figures_import, name="import"),
    path(
        "b/<int:business_id>/import/<token:token>/",
        figures_import_preview,
        name="import_preview",
    ),
]
