"""Error reports to Sentry, when SENTRY_DSN is set, with no personal data in them.

Why so strict: the people here are refugees and newcomers; their names, addresses and
business figures must not leave for a third party with a stack trace. Sentry's own switches
(``data_collection``, every category off) keep out IPs, cookies, headers, bodies, query strings,
SQL values and local variables; ``scrub_event`` also takes out what code may put into an
exception message or a log line, keeping only the user's id.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# What the request part of an event may keep: no body, cookies, query string or headers.
_REQUEST_KEEP = {"url", "method"}
_CRUMB_KEEP = ("timestamp", "type", "category", "level")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Keys whose values are always personal or secret, wherever they appear in an event.
EXTRA_DENYLIST = ["email", "name", "body", "subject", "to", "recipient", "figures", "value"]


def _scrub(value: Any) -> Any:
    """Every string in ``value`` with its email addresses replaced."""
    if isinstance(value, str):
        return _EMAIL.sub("[email]", value)
    if isinstance(value, list):
        return [_scrub(item) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    return value


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Sentry's ``before_send``: the event with nothing that names or reaches a person."""
    user = event.get("user") or {}
    event["user"] = {"id": user["id"]} if "id" in user else {}
    if "request" in event:
        event["request"] = {
            key: value for key, value in event["request"].items() if key in _REQUEST_KEEP
        }
    event.pop("server_name", None)
    # Breadcrumbs keep what happened, not with what: an SQL statement's or a cache command's
    # text can hold a session key (the cached sessions' cache keys) or a person's values.
    crumbs = event.get("breadcrumbs") or {}
    if crumbs.get("values"):
        crumbs["values"] = [
            {key: crumb[key] for key in _CRUMB_KEEP if key in crumb} for crumb in crumbs["values"]
        ]
    return _scrub(event)


def before_send() -> Callable[[dict[str, Any], dict[str, Any] | None], dict[str, Any]]:
    """``scrub_event`` after Sentry's own scrubber with the keys above added to its denylist.

    Sentry skips ``event_scrubber`` once ``data_collection`` is given, so it runs here.
    """
    from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber

    scrubber = EventScrubber(denylist=DEFAULT_DENYLIST + EXTRA_DENYLIST, recursive=True)

    def scrub(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
        scrubber.scrub_event(event)  # type: ignore[arg-type]  # Sentry's Event is this dict
        return scrub_event(event, hint)

    return scrub


def init_sentry(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> None:
    """Start reporting; called from the settings only when SENTRY_DSN is set."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.redis import RedisIntegration

    scrub = before_send()
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration()],
        # Its spans and breadcrumbs carry cache keys, and a cached session's key is a secret.
        disabled_integrations=[RedisIntegration()],
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "off"}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
            "gen_ai": {"inputs": False, "outputs": False},
        },
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub,  # type: ignore[arg-type]  # Sentry's Event is a TypedDict of
        before_send_transaction=scrub,  # type: ignore[arg-type]  # the same dict
        traces_sample_rate=traces_sample_rate,
    )
