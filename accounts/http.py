"""Request types for annotations: what the middleware and `login_required` promise a view.

Only for type checking: at run time every request is Django's own; these name the attributes
`UserPreferencesMiddleware` sets and the user that `login_required` guarantees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from accounts.countries import Country
    from accounts.models import User


class VisitorRequest(HttpRequest):
    """A request that went through `UserPreferencesMiddleware`."""

    country: Country | None
    region: str


class AuthenticatedRequest(VisitorRequest):
    """A request in a view behind `login_required`: the user is logged in."""

    user: User
