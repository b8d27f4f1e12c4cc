"""``/healthz`` and ``/readyz`` for the proxy and the orchestrator.

Why a middleware, first in the chain: the checks must answer whatever the Host header (the
orchestrator calls the container by its own address), over plain HTTP behind the proxy, without
a session, a redirect or a log line every few seconds. They say only "ok" or which part failed,
never anything about the people using the site.

- ``/healthz``: the process answers. Nothing else is touched, so a database outage does not get
  every app server restarted.
- ``/readyz``: the database, the shared cache and the task queue answer; 503 when one does not,
  so that the proxy sends requests elsewhere.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    cache = caches["default"]
    cache.set("readyz", "ok", 10)
    if cache.get("readyz") != "ok":
        raise RuntimeError("the cache did not keep a value")


def _task_queue() -> None:
    if settings.TASKS_BACKEND != "database":
        return  # tasks run in the process itself
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(status="READY").only("id").first()


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "cache": _cache,
    "task_queue": _task_queue,
}


def readiness() -> tuple[bool, dict[str, str]]:
    """Each part's state ("ok" or the kind of error) and whether all are ok."""
    states: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:
            states[name] = f"error: {type(error).__name__}"
        else:
            states[name] = "ok"
    return all(state == "ok" for state in states.values()), states


class HealthCheckMiddleware:
    """Answer the two health paths before any other middleware runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            return _no_store(JsonResponse({"status": "ok"}))
        if request.path == "/readyz":
            started = time.perf_counter()
            ready, states = readiness()
            body = {
                "status": "ok" if ready else "unavailable",
                "checks": states,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            }
            return _no_store(JsonResponse(body, status=200 if ready else 503))
        return self.get_response(request)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response
