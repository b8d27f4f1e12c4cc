from typing import Any

from django.apps import AppConfig
from django.urls import register_converter
from django.utils.autoreload import file_changed
from django.utils.translation import gettext_lazy as _


def _forget_boards(sender: Any, file_path: Any, **kwargs: Any) -> None:
    """On the development server, a changed template or catalogue shows on the next request."""
    from metrics.dashboard import cache as board_cache

    board_cache.clear()


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = _("Metrics")

    def ready(self) -> None:
        from accounts import personal_data
        from metrics import engine_text, signals
        from metrics.converters import MonthConverter, QuarterConverter, TokenConverter
        from metrics.models.summaries import summaries_refresher
        from metrics.privacy import MetricsData
        from metrics.programmes.summaries import summaries_refresh

        engine_text.install()
        signals.connect()
        summaries_refresher(summaries_refresh)
        register_converter(MonthConverter, "month")
        register_converter(QuarterConverter, "quarter")
        register_converter(TokenConverter, "token")
        personal_data.register(MetricsData())
        file_changed.connect(_forget_boards, dispatch_uid="metrics-forget-boards")
