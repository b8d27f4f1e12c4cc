"""Sign-up in two steps, so that the page never tells whether an address has an account.

The form asks for a name and an address and always answers "check your email". A new address
gets a signed link to choose a password; the account exists only once its mailbox owner has
followed it. A known address gets a note to its owner instead (as GOV.UK services do), with the
links to log in or reset the password.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core import signing
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from config.mail import queue_email

logger = logging.getLogger(__name__)

SALT = "accounts.signup"
LINK_MAX_AGE = 24 * 60 * 60  # seconds: one day to open the link


@dataclass(frozen=True)
class Applicant:
    """Who asked for an account, as carried by the link."""

    email: str
    name: str
    next: str


def signup_token(applicant: Applicant) -> str:
    return signing.dumps(
        {"email": applicant.email, "name": applicant.name, "next": applicant.next}, salt=SALT
    )


def applicant_for(token: str) -> Applicant | None:
    """The applicant of a link still valid, or None for a forged, changed or old one."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    return Applicant(email=data["email"], name=data["name"], next=data["next"])


def send_account_email(to: str, template: str, context: dict[str, object]) -> None:
    """One e-mail of ``templates/accounts/email/``, in the active language, through the task
    queue like every other; never raises."""
    subject = " ".join(render_to_string(f"accounts/email/{template}_subject.txt").split())
    body = render_to_string(f"accounts/email/{template}.txt", context)
    try:
        queue_email(to=to, subject=subject, body=body, kind=template)
    except Exception:
        # Logged, not shown: the page must look the same whichever email was due.
        logger.exception("Could not send the %s email", template)


def signup_request(request: HttpRequest, applicant: Applicant) -> None:
    """Send the link to a new address, or the owner's note to a known one."""
    owner = User.objects.filter(email=applicant.email).first()
    if owner is None:
        path = reverse("accounts:signup_confirm", args=[signup_token(applicant)])
        send_account_email(
            applicant.email,
            "signup_link",
            {"link": request.build_absolute_uri(path), "hours": LINK_MAX_AGE // 3600},
        )
        return
    with translation.override(owner.language):
        send_account_email(
            owner.email,
            "signup_existing",
            {
                "login": request.build_absolute_uri(reverse("accounts:login")),
                "reset": request.build_absolute_uri(reverse("accounts:password_reset")),
            },
        )
