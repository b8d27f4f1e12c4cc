"""The one way views reach a business: owners may change it, active mentors may only read it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from metrics.models.business import Business
from metrics.models.comments import unread_comments_sql
from metrics.models.mentoring import Mentorship


@dataclass(frozen=True, slots=True)
class BusinessAccess:
    """A business as one reader may use it."""

    business: Business
    can_edit: bool
    unread_comments: int  # for the tabs' badge

    def after_reading(self, count: int) -> BusinessAccess:
        """The same access once the page has shown ``count`` of the unread comments."""
        if not count:
            return self
        return replace(self, unread_comments=max(0, self.unread_comments - count))


def get_business_for_user(user: Any, business_id: int, *, write: bool = False) -> BusinessAccess:
    """The business and the user's rights to it; 404 for strangers, 403 for a mentor's write.

    The same query counts the comments the user has not read yet, for the tabs' badge.
    """
    business = (
        Business.objects.select_related("owner")
        .filter(pk=business_id)
        .annotate(unread_comments=unread_comments_sql(user))
        .first()
    )
    if business is None:
        raise Http404
    access = BusinessAccess(
        business=business,
        can_edit=business.owner_id == user.pk,
        unread_comments=business.unread_comments,
    )
    if access.can_edit:
        return access
    # Checked on every request, so a revocation takes effect on the mentor's next page.
    active = Mentorship.objects.filter(business=business, mentor=user, revoked_at__isnull=True)
    if not active.exists():
        raise Http404
    if write:
        raise PermissionDenied
    return access


def business_view(*, write: bool = False) -> Callable:
    """Decorate a view taking ``business_id``: it then receives the checked ``BusinessAccess``.

    ``write=True`` refuses mentors on every method; ``write=False`` lets mentors read (GET,
    HEAD) and refuses their POSTs.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(
            request: HttpRequest, business_id: int, *args: Any, **kwargs: Any
        ) -> HttpResponse:
            needs_write = write or request.method not in ("GET", "HEAD")
            access = get_business_for_user(request.user, business_id, write=needs_write)
            return view(request, access, *args, **kwargs)

        return wrapper

    return decorator
