"""Redis as production uses it: the shared cache, the dashboard's kept cards and the sessions.

Each test starts a private redis-server and builds the settings the way config/settings.py
does from REDIS_URL.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date

import pytest
import redis
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import User
from config.env import redis_database
from metrics.dashboard import cache as board_cache
from tests.base import PASSWORD
from tests.deploy.services import BASE_DIR, RedisServer
from tests.metrics.factories import add_entries, make_business, track

pytestmark = pytest.mark.django_db


def redis_caches(url: str) -> dict[str, dict[str, object]]:
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "kpi",
            "OPTIONS": options,
        },
        "dashboard": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_database(url, offset=1),
            "KEY_PREFIX": "board",
            "OPTIONS": options,
        },
    }


@pytest.fixture
def on_redis(redis_server: RedisServer) -> Iterator[RedisServer]:
    with override_settings(
        CACHES=redis_caches(redis_server.url),
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
    ):
        yield redis_server


@pytest.fixture
def alice() -> User:
    user = User.objects.create_user("alice@example.org", PASSWORD, name="Alice")
    business = make_business(user)
    track(business, "revenue")
    add_entries(business, date(2024, 1, 1), 3, {"revenue": 1000, "orders": 50})
    return user


def _keys(server: RedisServer, database: int) -> list[bytes]:
    return redis.Redis(port=server.port, db=database).keys("*")


def test_the_settings_use_redis_for_caches_and_sessions_when_redis_url_is_set() -> None:
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.CACHES['dashboard']['LOCATION'], "
        "s.SESSION_ENGINE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "REDIS_URL": "redis://cache.internal:6379/2",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache.internal:6379/3",
        "django.contrib.sessions.backends.cached_db",
    ], result.stderr


def test_the_dashboard_keeps_its_cards_in_redis_and_forgetting_them_keeps_the_rest(
    on_redis: RedisServer, alice: User
) -> None:
    client = Client()
    client.force_login(alice)
    url = reverse("metrics:dashboard", args=[alice.businesses.get().pk])
    assert client.get(url, {"period": "2024-03"}).status_code == 200
    assert len(_keys(on_redis, 1)) == 1  # the kept board, in its own database
    caches["default"].set("counter", 1)
    sessions_before = _keys(on_redis, 0)
    board_cache.clear()
    assert _keys(on_redis, 1) == []
    assert _keys(on_redis, 0) == sessions_before  # sessions and counters untouched
    assert client.get(url, {"period": "2024-03"}).status_code == 200


def test_sessions_outlive_a_redis_restart_and_requests_fail_only_while_it_is_down(
    on_redis: RedisServer, alice: User
) -> None:
    client = Client(raise_request_exception=False)
    client.post(reverse("accounts:login"), {"username": alice.email, "password": PASSWORD})
    profile = reverse("accounts:profile")
    assert client.get(profile).status_code == 200

    on_redis.stop()
    # While it is down: "try again in a minute", as for the database, never a server error.
    down = client.get(profile)
    assert down.status_code == 503
    assert down["Retry-After"] == "60"
    on_redis.start()  # empty: it keeps nothing on disk

    response = client.get(profile)
    assert response.status_code == 200  # still logged in: the session came from the database
    assert "alice@example.org" in response.content.decode()
