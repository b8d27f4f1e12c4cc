"""Project-wide pytest set-up."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """Each test starts in English, whatever an earlier test activated."""
    with translation.override("en"):
        yield


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Real hashing is slow by design; tests only need passwords to round-trip.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
