"""The two addresses a request is known by: the e-mail address typed and the client's IP.

Each is worked out here once, so that log-in, sign-up, password reset, the lock-out and the rate
limits all count the same person as the same person.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.http import HttpRequest


def normalise_email(value: str) -> str:
    """The stored form of an address: without surrounding spaces, in lower case.

    ``str.lower`` rather than ``str.casefold``: case-folding turns "ß" into "ss", which names
    another mailbox; lower case only merges spellings that mail servers already treat as one.
    """
    return value.strip().lower()


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The lock-out key django-axes counts failures under: the normalised address."""
    source = credentials if credentials else getattr(request, "POST", {})
    value = source.get(settings.AXES_USERNAME_FORM_FIELD) or ""
    return normalise_email(str(value))


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address, read behind ``TRUSTED_PROXY_COUNT`` proxies.

    Each trusted proxy appends the address it was reached from to ``X-Forwarded-For``, so the
    client is the entry that many places from the end; anything further left was written by the
    client and can be forged. With no trusted proxy, or a header shorter than the chain, the
    connection's own address is the only one that cannot be forged.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part
        ]
        if len(forwarded) >= count:
            found = _valid_ip(forwarded[-count])
            if found is not None:
                return found
    return remote
