"""Project-wide pytest set-up."""

from __future__ import annotations

from collections.abc import Iterator

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

    # Real hashing is slow by design; tests only need passwords to round-trip.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # With REDIS_URL (make test-postgres) the caches are Redis, but sessions stay in the
    # database: the query-count tests count the session's query. Sessions on Redis
    # (cached_db) are tested in tests/deploy/test_redis.py.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
