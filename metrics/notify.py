"""Plain-text emails in the recipient's language, with links that work outside the site."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from config.mail import queue_email


def site_url(path: str) -> str:
    """An absolute link to ``path`` on the site, from the SITE_URL setting."""
    return settings.SITE_URL.rstrip("/") + path


def absolute(viewname: str, *args: object) -> str:
    return site_url(reverse(viewname, args=args))


def invitee_language(email: str, inviter: User | None) -> str:
    """The language to invite ``email`` in: theirs when they have an account, else the
    inviter's, else English."""
    invitee = User.objects.filter(email__iexact=email).only("language").first()
    if invitee is not None:
        return invitee.language
    return inviter.language if inviter is not None else "en"


def render_email(template: str, language: str, context: Mapping[str, object]) -> tuple[str, str]:
    """The subject and body of ``templates/emails/<template>_subject.txt`` and ``.txt``."""
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", dict(context))
        body = render_to_string(f"emails/{template}.txt", dict(context))
    return " ".join(subject.split()), body


def send_email(*, to: str, language: str, template: str, context: Mapping[str, object]) -> bool:
    """Queue one email in the recipient's language; False when it is known to have failed.

    The message goes through the task queue (``config.mail``): a queued email is retried by a
    worker until the mail server takes it, and the write that caused it is never undone.
    """
    subject, body = render_email(template, language, context)
    return queue_email(to=to, subject=subject, body=body, kind=template)
