"""Rate limits on what sends e-mail or costs a lot, per person and per client address.

A view is decorated with ``@rate_limited(action)``; its POSTs are counted under the limits in
``settings.RATE_LIMITS[action]``. Over a limit, a view that shows a form refuses it through
``refused(request, form)`` and re-renders it with what was typed; the decorator then answers
429. A view without a form gets the plain "too many" page from the decorator itself.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from accounts.addresses import normalise_email

RETRY_AFTER = 3600  # seconds: the longest window of the limits in settings


def _person(group: str, request: HttpRequest) -> str:
    """The account, or when logged out the normalised address typed in the form."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    typed = request.POST.get("email") or request.POST.get("username") or ""
    return f"email:{normalise_email(typed)}"


def over_limit(request: HttpRequest, action: str) -> bool:
    """Count this POST under each of the action's limits; whether any is now exceeded."""
    rates = settings.RATE_LIMITS[action]
    keys: dict[str, Any] = {"user": _person, "ip": "ip"}
    # Every limit is counted, even when an earlier one is already exceeded.
    results = [
        is_ratelimited(
            request,
            group=f"{action}:{kind}",
            key=keys[kind],
            rate=rate,
            method="POST",
            increment=True,
        )
        for kind, rate in rates.items()
    ]
    return any(results)


def message() -> str:
    """The refusal, in the user's language."""
    return _(
        "You have tried this too many times. Nothing was saved or sent. "
        "Wait an hour, then try again."
    )


def refused(request: HttpRequest, form: forms.BaseForm, field: str | None = None) -> bool:
    """Whether the request is over its limit; if so ``form`` shows why, unvalidated.

    The form is not cleaned, so a refused upload is not read at all; it keeps its data and
    re-renders the values typed. ``field`` puts the message by a field, for a page that shows
    only that field's errors.
    """
    if not getattr(request, "limited", False):
        return False
    form.cleaned_data = {}
    # Marks the form as checked without cleaning it (Django reads `_errors` for `errors`).
    form._errors = ErrorDict()  # type: ignore[attr-defined]  # Django's own cache of errors
    form.add_error(field, forms.ValidationError(message(), code="rate_limited"))
    return True


def rate_limited(action: str, *, form: bool = True) -> Callable:
    """Decorate a view: count its POSTs and answer 429 when one is over the limit.

    ``form=True``: the view itself re-renders its form through ``refused``; the status is then
    set here. ``form=False``: the view is not called and the plain page answers.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            limited = request.method == "POST" and over_limit(request, action)
            request.limited = limited  # type: ignore[attr-defined]  # read by refused()
            if limited and not form:
                return too_many(request)
            response = view(request, *args, **kwargs)
            if limited and response.status_code == 200:
                response.status_code = 429
                response["Retry-After"] = str(RETRY_AFTER)
            return response

        return wrapper

    return decorator


def too_many(request: HttpRequest) -> HttpResponse:
    """The plain refusal page, for a request with no form to show again."""
    response = render(request, "429.html", {"message": message(), "back": request.path}, status=429)
    response["Retry-After"] = str(RETRY_AFTER)
    return response
