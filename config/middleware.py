"""Two answers the whole site gives the same way: while the database is away, and on private pages.

``DatabaseUnavailableMiddleware`` turns a lost database or Redis connection into a 503 page in
the user's language with ``Retry-After``, never a 500; ``server_error`` (the project's
``handler500``) does the same when the connection is lost inside another middleware, where no
``process_exception`` sees it. ``PrivatePagesMiddleware`` keeps a business's pages out of every
cache.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.cache import patch_cache_control
from django.views.defaults import server_error as django_server_error
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

RETRY_AFTER = 60  # seconds: a database restart takes a few; the page says "in a minute"
# A restart of PostgreSQL or of Redis (the shared cache, sessions and rate-limit counts): both
# pass in seconds, so both are "try again in a minute", never a server error.
DATABASE_ERRORS = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
# Every page of a business, and a mentor's view of their mentees.
PRIVATE_PREFIXES = ("/b/", "/mentor/", "/programmes/")
_SECRET_FIELDS = ("password", "csrfmiddlewaretoken")


def _typed_fields(request: HttpRequest) -> list[tuple[str, str]]:
    """What a POST carried, to send again: without passwords, which are never written back."""
    if request.method != "POST":
        return []
    try:
        return [
            (name, value)
            for name, values in request.POST.lists()
            if not any(secret in name for secret in _SECRET_FIELDS)
            for value in values
        ]
    except Exception:  # a body that cannot be read is simply not offered back
        return []


def _had_files(request: HttpRequest) -> bool:
    try:
        return bool(request.FILES)
    except Exception:  # as above
        return False


def unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 page; rendered without the request's context, which would query the database."""
    posted = request.method == "POST"
    context = {
        "posted": posted,
        "fields": _typed_fields(request),
        "csrf_token_value": request.POST.get("csrfmiddlewaretoken", "") if posted else "",
        "had_files": posted and _had_files(request),
        "action": request.get_full_path(),
    }
    response = HttpResponse(loader.render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    patch_cache_control(response, private=True, no_store=True)
    return response


class DatabaseUnavailableMiddleware:
    """A view that loses the database answers 503 with the page above."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return unavailable(request)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a lost database anywhere in the stack is a 503, anything else a 500."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return unavailable(request)
    try:
        return django_server_error(request)
    except Exception:  # the error page itself must not fail
        return HttpResponseServerError("Server error")


class PrivatePagesMiddleware:
    """``Cache-Control: private, no-store`` on every page that shows a business's data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(PRIVATE_PREFIXES):
            patch_cache_control(response, private=True, no_store=True)
        return response
