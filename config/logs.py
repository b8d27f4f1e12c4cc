"""Logs as one JSON object a line, and one line for every request.

Why: several app servers and workers write to the same collector; JSON lines can be searched
by field (a request id across the proxy and the app, a user id, slow requests) without parsing
prose. Only ids go in, never names, addresses or figures.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("config.requests")

REQUEST_ID_HEADER = "X-Request-ID"
# A request id from the proxy is kept only if it is short and plain, so that a client cannot
# write arbitrary text into the logs.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def logging_config(*, json: bool, level: str, requests: bool) -> dict[str, Any]:
    """The LOGGING setting: JSON lines for production, plain text on a laptop.

    ``requests`` turns the line per request on (production) or off (a laptop, where runserver
    prints its own, and benchmarks).
    """
    formatter = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
        if json
        else {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "main"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "config.requests": {"level": "INFO" if requests else "WARNING"},
            # Retries and give-ups of emails, and each task's start and end.
            "config.mail": {"level": "INFO"},
            "django.tasks": {"level": "INFO" if json else "WARNING"},
        },
    }


def request_id(request: HttpRequest) -> str:
    """The proxy's request id when it sent a sensible one, else a new one."""
    given = request.headers.get(REQUEST_ID_HEADER, "")
    return given if _VALID_REQUEST_ID.match(given) else uuid.uuid4().hex


class RequestLogMiddleware:
    """Log each request once it is answered: id, user id, method, path, status, duration."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request.request_id = request_id(request)  # type: ignore[attr-defined]
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        response[REQUEST_ID_HEADER] = request.request_id  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request.request_id,  # type: ignore[attr-defined]
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response
