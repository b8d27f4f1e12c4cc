"""Applies a visitor's saved language, country and region to each request."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from accounts.countries import country_for, region_belongs
from accounts.http import VisitorRequest

SESSION_COUNTRY = "country"
SESSION_REGION = "region"
_LANGUAGES = {code for code, _name in settings.LANGUAGES}


class UserPreferencesMiddleware:
    """A logged-in user's profile wins over the cookie; visitors keep choices in the session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: VisitorRequest) -> HttpResponse:
        user = request.user
        country_code = request.session.get(SESSION_COUNTRY, "")
        region_code = request.session.get(SESSION_REGION, "")
        if user.is_authenticated:
            if user.language in _LANGUAGES and user.language != request.LANGUAGE_CODE:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            if user.country:
                country_code, region_code = user.country, user.region
        country = country_for(country_code)
        request.country = country
        has_region = country is not None and region_belongs(country.code, region_code)
        request.region = region_code if has_region else ""
        return self.get_response(request)
