"""Project-wide pytest set-up."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English, whatever an earlier test activated."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counts live in the default cache: each test starts with none."""
    caches["default"].clear()
    yield


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Real hashing is slow by design; tests only need passwords to round-trip.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
