"""Project-wide pytest set-up."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.utils import translation
from hypothesis import settings as hypothesis_settings

# Properties, not timings: a loaded CI machine must not fail an example for taking 200 ms.
# Speed is measured by the scripts in bench/.
hypothesis_settings.register_profile("project", deadline=None)
hypothesis_settings.load_profile("project")


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """Each test starts in English, whatever an earlier test activated."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Rate-limit counts live in the default cache: each test starts with none."""
    caches["default"].clear()
    yield


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    _redis_databases_per_worker(settings)

    # Real hashing is slow by design; tests only need passwords to round-trip.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # With REDIS_URL (make test-postgres) the caches are Redis, but sessions stay in the
    # database: the query-count tests count the session's query. Sessions on Redis
    # (cached_db) are tested in tests/deploy/test_redis.py.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


def _redis_databases_per_worker(settings: Any) -> None:
    """Give each xdist worker Redis databases of its own, so the PostgreSQL run can use two.

    Tests clear the caches (a FLUSHDB on Redis): two workers on one database would wipe each
    other's rate-limit counts and kept cards in the middle of a test. Worker ``gwN`` moves each
    Redis cache ``2 * N`` databases on (a cache and the dashboard's, side by side).
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return
    from config.env import redis_database

    offset = 2 * int(worker[2:])
    for cache in settings.CACHES.values():
        if cache["BACKEND"].endswith("RedisCache") and offset:
            cache["LOCATION"] = redis_database(cache["LOCATION"], offset=offset)
