"""Plain-text emails in the recipient's language, with links that work outside the site."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

logger = logging.getLogger(__name__)


def site_url(path: str) -> str:
    """An absolute link to ``path`` on the site, from the SITE_URL setting."""
    return settings.SITE_URL.rstrip("/") + path


def absolute(viewname: str, *args: object) -> str:
    return site_url(reverse(viewname, args=args))


def render_email(template: str, language: str, context: Mapping[str, object]) -> tuple[str, str]:
    """The subject and body of ``templates/emails/<template>_subject.txt`` and ``.txt``."""
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", dict(context))
        body = render_to_string(f"emails/{template}.txt", dict(context))
    return " ".join(subject.split()), body


def send_email(*, to: str, language: str, template: str, context: Mapping[str, object]) -> bool:
    """Send one email; a failure is logged rather than raised, and reported as False.

    The write that caused the email is already saved: a mail server that is down must not
    turn it into an error page.
    """
    subject, body = render_email(template, language, context)
    try:
        EmailMessage(subject, body, None, [to]).send()
    except Exception:
        logger.exception("Could not send the %s email to %s", template, to)
        return False
    return True
