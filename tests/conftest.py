"""Project-wide pytest set-up."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English, whatever an earlier test activated."""
    with translation.override("en"):
        yield


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Real hashing is slow by design; tests only need passwords to round-trip.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # With REDIS_URL (make test-postgres) the caches are Redis, but sessions stay in the
    # database: the query-count tests count the session's query. Sessions on Redis
    # (cached_db) are tested in tests/deploy/test_redis.py.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
