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
from concurrent.futures import ThreadPoolExecutor, TimeoutError

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


# /readyz answers within this many seconds whatever is down: Redis's client retries a refused
# connection with back-off (good for requests, too slow for a health check), so the cache is
# asked in a thread of its own and counted as down when it has not answered in time.
BUDGET_SECONDS = 0.03
_EXECUTOR = ThreadPoolExecutor(max_workers=2, thread_name_prefix="readyz")


def _state(check: Callable[[], None]) -> str:
    try:
        check()
    except Exception as error:
        return f"error: {type(error).__name__}"
    return "ok"


def readiness() -> tuple[bool, dict[str, str]]:
    """Each part's state ("ok" or the kind of error) and whether all are ok."""
    started = time.perf_counter()
    cache = _EXECUTOR.submit(_state, _cache)
    states = {"database": _state(_database), "task_queue": _state(_task_queue)}
    remaining = BUDGET_SECONDS - (time.perf_counter() - started)
    try:
        states["cache"] = cache.result(timeout=max(remaining, 0.001))
    except TimeoutError:
        states["cache"] = "error: no answer in time"
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
