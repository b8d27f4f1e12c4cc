"""Email through the task queue: the page answers at once, a failed send is retried, never lost.

These tests queue in the database (django-tasks-db, as in production), run the real worker
command, and talk SMTP to a real server (aiosmtpd) that is down until the test starts it.
"""

from __future__ import annotations

import logging
import socket
import time

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from config.mail import queue_email, retry_delay
from metrics.models import Comment
from tests.base import PASSWORD
from tests.deploy.smtp import MailServer
from tests.metrics.factories import make_business, make_mentor

pytestmark = [pytest.mark.django_db(transaction=True)]

MARCH = "2024-03"


def run_worker() -> None:
    """Everything due in the queue, by the worker command production runs."""
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0
    )


def make_due() -> None:
    """Bring the next attempts forward, instead of waiting for the back-off."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


@pytest.fixture
def owner_and_mentor() -> tuple[User, User]:
    alice = User.objects.create_user("alice@example.org", PASSWORD, name="Alice Haddad")
    bob = User.objects.create_user("bob@example.org", PASSWORD, name="Bob Janssens")
    business = make_business(alice)
    make_mentor(business, bob)
    return alice, bob


@pytest.mark.usefixtures("database_tasks", "smtp_settings")
def test_a_comment_is_saved_at_once_and_its_notice_sent_when_the_mail_server_is_back(
    owner_and_mentor: tuple[User, User], mail_server: MailServer, caplog: pytest.LogCaptureFixture
) -> None:
    alice, _bob = owner_and_mentor
    business = alice.businesses.get()
    client = Client()
    client.force_login(alice)

    started = time.perf_counter()
    response = client.post(
        reverse("metrics:month_comments", args=[business.pk, MARCH]), {"body": "Slow month."}
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 302
    assert elapsed < 1.0, f"saving the comment took {elapsed:.2f} s"
    assert Comment.objects.get().body == "Slow month."
    assert DBTaskResult.objects.get().status == "READY"

    # The mail server is down: the attempt fails, is logged, and the next one is queued.
    with caplog.at_level(logging.WARNING, logger="config.mail"):
        run_worker()
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.args_kwargs["kwargs"]["attempt"] == 2
    assert "trying again" in caplog.text
    assert "bob@example.org" not in caplog.text
    assert Comment.objects.count() == 1

    mail_server.start()
    make_due()
    run_worker()
    (message,) = mail_server.messages
    assert message["To"] == "bob@example.org"
    assert "Slow month." in message.get_payload(decode=True).decode()
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1
    assert not DBTaskResult.objects.filter(status="READY").exists()


@pytest.mark.usefixtures("database_tasks", "smtp_settings")
def test_a_mail_server_that_never_answers_costs_the_worker_the_time_out_not_the_page(
    smtp_port: int,
) -> None:
    """A server that accepts the connection and then says nothing: EMAIL_TIMEOUT ends it."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", smtp_port))
    silent.listen()
    try:
        queue_email(to="dana@example.org", subject="Hello", body="Hi", kind="test")
        started = time.perf_counter()
        run_worker()
        elapsed = time.perf_counter() - started
    finally:
        silent.close()
    assert 1.5 < elapsed < 10, f"the attempt took {elapsed:.1f} s, not the 2 s time-out"
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # the next attempt


@pytest.mark.usefixtures("database_tasks", "smtp_settings")
def test_after_the_last_attempt_it_is_logged_as_an_error_and_kept_as_failed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with override_settings(EMAIL_RETRY_ATTEMPTS=3):
        queue_email(to="dana@example.org", subject="Hello", body="Hi", kind="invitation")
        with caplog.at_level(logging.WARNING, logger="config.mail"):
            for _attempt in range(3):
                make_due()
                run_worker()
    assert DBTaskResult.objects.filter(status="FAILED").count() == 3
    assert not DBTaskResult.objects.filter(status="READY").exists()
    errors = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert [record.getMessage() for record in errors] == [
        "The invitation email was not sent after 3 attempt(s) (ConnectionRefusedError); giving up."
    ]


def test_the_wait_doubles_up_to_its_ceiling() -> None:
    with override_settings(EMAIL_RETRY_DELAY=60.0, EMAIL_RETRY_MAX_DELAY=3600.0):
        waits = [retry_delay(attempt).total_seconds() for attempt in range(1, 9)]
    assert waits == [60, 120, 240, 480, 960, 1920, 3600, 3600]


@pytest.mark.usefixtures("database_tasks")
def test_the_email_is_queued_in_the_same_transaction_as_the_write(
    owner_and_mentor: tuple[User, User],
) -> None:
    """A write that fails after queueing its email takes the email back with it."""
    from django.db import transaction

    from metrics.comments.services import comment_create

    alice, _bob = owner_and_mentor
    business = alice.businesses.get()
    with pytest.raises(RuntimeError), transaction.atomic():
        comment_create(business=business, author=alice, on="month", subject=MARCH, body="Hi")
        assert DBTaskResult.objects.count() == 1
        raise RuntimeError("the rest of the write failed")
    assert not Comment.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.usefixtures("database_tasks", "smtp_settings")
def test_password_reset_goes_through_the_queue(mail_server: MailServer) -> None:
    User.objects.create_user("alice@example.org", PASSWORD)
    response = Client().post(reverse("accounts:password_reset"), {"email": "alice@example.org"})
    assert response.status_code == 302
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "config.mail.deliver_email"
    assert queued.args_kwargs["kwargs"]["kind"] == "password_reset"
    mail_server.start()
    run_worker()
    (message,) = mail_server.messages
    assert message["To"] == "alice@example.org"
    assert "/accounts/password-reset/" in message.get_payload(decode=True).decode()
