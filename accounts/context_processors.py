"""Everything the header's switchers need, on every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from accounts.countries import COUNTRIES, REGIONS_BY_CODE


def preferences(request: HttpRequest) -> dict[str, object]:
    country = getattr(request, "country", None)
    region_code = getattr(request, "region", "")
    return {
        "product_name": settings.PRODUCT_NAME,
        "countries": COUNTRIES,
        "current_country": country,
        "current_region": REGIONS_BY_CODE.get(region_code),
        "language_choices": settings.LANGUAGES,
    }
