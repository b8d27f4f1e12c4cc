"""Persistent connections are checked before reuse; their age comes from the environment."""

from __future__ import annotations

from django.conf import settings

from tests.accounts.test_settings import _start

PRINT = "from django.conf import settings as s; d = s.DATABASES['default']; " + (
    "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], s.TRUSTED_PROXY_COUNT)"
)


def test_connections_are_health_checked() -> None:
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_the_defaults_keep_connections_a_minute_and_trust_no_proxy() -> None:
    result = _start({}, "shell", "-v", "0", "-c", PRINT)
    assert result.stdout.split() == ["60", "True", "0"], result.stderr


def test_the_environment_sets_both() -> None:
    result = _start(
        {"CONN_MAX_AGE": "0", "TRUSTED_PROXY_COUNT": "2"}, "shell", "-v", "0", "-c", PRINT
    )
    assert result.stdout.split() == ["0", "True", "2"], result.stderr


def test_a_negative_proxy_count_stops_the_start() -> None:
    result = _start({"TRUSTED_PROXY_COUNT": "-1"})
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be 0 or more" in result.stderr
