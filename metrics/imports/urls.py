from django.urls import path

from metrics.imports.views import (
    figures_import,
    figures_import_preview,
    ledger_import,
    ledger_preview,
)

urlpatterns = [
    # Before the figures preview: import/ledger/ would otherwise be read as a figures-file token.
    path("b/<int:business_id>/import/ledger/", ledger_import, name="ledger_import"),
    path("b/<int:business_id>/import/ledger/<str:token>/", ledger_preview, name="ledger_preview"),
    path("b/<int:business_id>/import/", figures_import, name="import"),
    path(
        "b/<int:business_id>/import/<str:token>/",
        figures_import_preview,
        name="import_preview",
    ),
]
