"""Typed readers for settings that come from environment variables.

Each reader fails loudly, naming the variable, so a bad deployment stops at start-up
instead of misbehaving later.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    """Return the variable as text, or the default; fail when neither exists."""
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no switch such as DEBUG=true or DEBUG=0."""
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"The environment variable {name} must be true or false (1/0, yes/no, on/off), "
        f"not {value!r}."
    )


def env_int(name: str, default: int) -> int:
    """Read a whole number such as EMAIL_PORT=587."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a whole number, not {value!r}."
        ) from None


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list such as ALLOWED_HOSTS=example.org,www.example.org."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_float(name: str, default: float) -> float:
    """Read a number of seconds such as EMAIL_RETRY_DELAY=60 or 0.5."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a number, not {value!r}."
        ) from None


def env_choice(name: str, choices: list[str], default: str) -> str:
    """Read one of a few words, such as TASKS_BACKEND=database."""
    value = os.environ.get(name, default).strip().lower() or default
    if value not in choices:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be one of {', '.join(choices)}, not {value!r}."
        )
    return value


def redis_database(url: str, *, offset: int) -> str:
    """The same Redis server as ``url``, ``offset`` databases further on.

    Why: one REDIS_URL configures the whole deployment, yet a cache that is cleared as a
    whole (the dashboard's) must not take the sessions and counters with it.
    """
    parts = urlsplit(url)
    try:
        current = int(parts.path.strip("/") or 0)
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable REDIS_URL must end in a database number, not {url!r}."
        ) from None
    return urlunsplit(parts._replace(path=f"/{current + offset}"))
