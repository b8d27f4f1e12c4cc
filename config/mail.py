"""Every email leaves through one task, so that a slow or absent mail server never holds a page.

Why a task: the request only records the message (with the database backend, in the same
transaction as the write that caused it), and a worker talks to the mail server. A failed
attempt is logged and tried again later with a growing delay; after the last attempt the task
is left as failed in the queue's table and logged as an error, so nothing is lost silently.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import TaskResultStatus, task
from django.utils import timezone

logger = logging.getLogger(__name__)


def retry_delay(attempt: int) -> timedelta:
    """The wait after failed attempt number ``attempt`` (1, 2, …): doubling, with a ceiling."""
    seconds = settings.EMAIL_RETRY_DELAY * 2 ** (attempt - 1)
    return timedelta(seconds=min(seconds, settings.EMAIL_RETRY_MAX_DELAY))


@task()
def deliver_email(*, to: str, subject: str, body: str, kind: str, attempt: int = 1) -> str:
    """Send one plain-text email; on failure, queue the next attempt, then fail this one.

    ``kind`` names the email in the logs instead of its address, which is personal data.
    """
    try:
        EmailMessage(subject, body, None, [to]).send()
    except Exception as error:
        backend = deliver_email.get_backend()
        if attempt < settings.EMAIL_RETRY_ATTEMPTS and backend.supports_defer:
            delay = retry_delay(attempt)
            deliver_email.using(run_after=timezone.now() + delay).enqueue(
                to=to, subject=subject, body=body, kind=kind, attempt=attempt + 1
            )
            logger.warning(
                "The %s email was not sent (attempt %d: %s); trying again in %d s.",
                kind,
                attempt,
                type(error).__name__,
                delay.total_seconds(),
            )
        else:
            logger.error(
                "The %s email was not sent after %d attempt(s) (%s); giving up.",
                kind,
                attempt,
                type(error).__name__,
            )
        raise
    if attempt > 1:
        logger.info("The %s email was sent at attempt %d.", kind, attempt)
    return "sent"


def queue_email(*, to: str, subject: str, body: str, kind: str) -> bool:
    """Hand one email to the task queue; False only when it is known to have failed.

    With the in-process backend (the embedded default) the email is sent now, and a failure
    shows at once; with a queue it is sent, and retried if need be, by a worker.
    """
    result = deliver_email.enqueue(to=to, subject=subject, body=body, kind=kind)
    return result.status != TaskResultStatus.FAILED
