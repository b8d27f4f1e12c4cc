"""Health endpoints, the JSON request log and Sentry reports without personal data."""

from __future__ import annotations

import gzip
import json
import logging
import logging.config
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import Client, override_settings
from django.urls import path

from accounts.models import User
from config.logs import logging_config
from config.sentry import before_send, scrub_event
from tests.base import PASSWORD
from tests.deploy.services import free_port

pytestmark = pytest.mark.django_db

DOWN_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    },
    "dashboard": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}


def test_healthz_answers_without_touching_the_database_whatever_the_host() -> None:
    response = Client(HTTP_HOST="10.0.0.7:8000").get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_checks_each_part_within_fifty_milliseconds() -> None:
    client = Client(HTTP_HOST="10.0.0.7:8000")
    client.get("/readyz")  # the first call opens the connections
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        response = client.get("/readyz")
        timings.append((time.perf_counter() - started) * 1000)
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "task_queue": "ok"}
    assert max(timings) <= 50, timings


@override_settings(CACHES=DOWN_REDIS)
def test_readyz_says_which_part_is_down_and_nothing_more() -> None:
    started = time.perf_counter()
    response = Client().get("/readyz")
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] in {"error: ConnectionError", "error: no answer in time"}
    assert elapsed <= 50, elapsed


def test_readyz_checks_the_queue_table_with_the_database_backend(database_tasks: None) -> None:
    response = Client().get("/readyz")
    assert response.json()["checks"]["task_queue"] == "ok"


def test_each_request_is_one_json_line_with_its_id_user_status_and_duration(
    caplog: pytest.LogCaptureFixture,
) -> None:
    user = User.objects.create_user("alice@example.org", PASSWORD, name="Alice")
    client = Client()
    client.force_login(user)
    caplog.set_level(logging.INFO, logger="config.requests")
    response = client.get("/accounts/profile/", HTTP_X_REQUEST_ID="proxy-1234")
    (record,) = [r for r in caplog.records if r.name == "config.requests"]
    assert response["X-Request-ID"] == "proxy-1234"
    formatter = logging.config.dictConfigClass(  # type: ignore[attr-defined]
        logging_config(json=True, level="INFO", requests=True)
    ).configure_formatter(
        logging_config(json=True, level="INFO", requests=True)["formatters"]["main"]
    )
    line = json.loads(formatter.format(record))
    assert line["request_id"] == "proxy-1234"
    assert line["user_id"] == user.pk
    assert line["status"] == 200
    assert line["method"] == "GET"
    assert line["path"] == "/accounts/profile/"
    assert line["duration_ms"] > 0
    assert line["level"] == "INFO"
    assert "alice@example.org" not in formatter.format(record)


def test_a_request_id_that_is_not_plain_is_replaced(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="config.requests")
    response = Client().get("/", HTTP_X_REQUEST_ID="evil\nline")
    assert len(response["X-Request-ID"]) == 32
    assert response["X-Request-ID"] != "evil\nline"


def test_the_scrubber_keeps_only_the_user_id_and_no_address() -> None:
    event = {
        "user": {"id": "7", "email": "alice@example.org", "ip_address": "10.1.2.3"},
        "request": {
            "url": "https://kpi.example.org/b/3/",
            "method": "POST",
            "data": {"body": "call me"},
            "cookies": {"sessionid": "abc"},
            "headers": {"Cookie": "sessionid=abc"},
            "query_string": "email=alice@example.org",
        },
        "exception": {"values": [{"value": "no invite for bob@example.org"}]},
        "server_name": "web-1",
        "breadcrumbs": {
            "values": [{"category": "redis", "message": "GET sessions:abc", "data": {"k": 1}}]
        },
    }
    scrubbed = scrub_event(event)
    assert scrubbed["user"] == {"id": "7"}
    assert scrubbed["request"] == {"url": "https://kpi.example.org/b/3/", "method": "POST"}
    assert scrubbed["exception"]["values"][0]["value"] == "no invite for [email]"
    assert "server_name" not in scrubbed
    assert scrubbed["breadcrumbs"]["values"] == [{"category": "redis"}]


def test_sentrys_denylist_runs_too() -> None:
    # Sentry ignores its event_scrubber option beside data_collection: before_send runs it.
    event = {"extra": {"name": "Alice Haddad", "figures": {"revenue": "900"}, "step": "save"}}
    scrubbed = before_send()(event, None)
    # Sentry marks a removed value, and sends it as "[Filtered]".
    assert scrubbed["extra"]["name"].value == "[Filtered]"
    assert scrubbed["extra"]["figures"].value == "[Filtered]"
    assert scrubbed["extra"]["step"] == "save"


class _Collector(BaseHTTPRequestHandler):
    """A stand-in for Sentry's ingest endpoint on 127.0.0.1: keeps every envelope."""

    received: list[bytes] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            import brotli  # type: ignore[import-not-found]

            body = brotli.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def sentry_collector() -> Iterator[tuple[str, list[bytes]]]:
    import sentry_sdk

    port = free_port()
    server = HTTPServer(("127.0.0.1", port), _Collector)
    _Collector.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://public@127.0.0.1:{port}/1", _Collector.received
    sentry_sdk.get_client().close()
    sentry_sdk.init(dsn=None)
    server.shutdown()


def _failing_view(request: object) -> None:
    raise ValueError("no mentor named bob@example.org for alice@example.org")


urlpatterns = [path("boom/", _failing_view)]


@override_settings(ROOT_URLCONF=__name__)
def test_an_error_reaches_sentry_without_personal_data(
    sentry_collector: tuple[str, list[bytes]],
) -> None:
    import sentry_sdk

    from config.sentry import init_sentry

    dsn, received = sentry_collector
    init_sentry(dsn=dsn, environment="test", release="", traces_sample_rate=0.0)
    user = User.objects.create_user("alice@example.org", PASSWORD, name="Alice Haddad")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.post("/boom/?email=alice@example.org", {"note": "Alice's figures"})
    assert response.status_code == 500
    sentry_sdk.flush(timeout=5)
    assert received, "no event reached the collector"
    envelope = b"".join(received).decode()
    assert "ValueError" in envelope
    assert "no mentor named [email] for [email]" in envelope
    for personal in ("alice@example.org", "bob@example.org", "Alice Haddad", "Alice's figures"):
        assert personal not in envelope
    assert client.cookies["sessionid"].value not in envelope
