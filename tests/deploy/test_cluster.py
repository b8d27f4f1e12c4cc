"""Two app servers on one PostgreSQL and one Redis, as a programme would deploy them.

Everything runs in processes of its own, on free ports of 127.0.0.1: a private PostgreSQL
cluster and redis-server (so that restarting them touches nobody else), two gunicorn servers
with the production settings, task workers and schedulers, and a real SMTP server. The same
code, for 60 s, is ``bench/cluster.py``; here the runs are shorter to keep CI quick.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator

import pytest

from bench.cluster import (
    Client,
    Stack,
    check,
    cross_server_check,
    csrf_token,
    restart_run,
    shell_json,
    start_stack,
    stop_stack,
    write_months,
)
from tests.deploy.services import BASE_DIR, Gunicorn, free_port
from tests.deploy.smtp import MailServer

pytestmark = pytest.mark.cluster

WRITERS = 50
STEADY_SECONDS = 15
RESTART_SECONDS = 20
OUTAGE_SECONDS = 3

MENTOR_SCRIPT = """
import json
from accounts.models import User
from metrics.models import Business, Mentorship
business = Business.objects.get(pk={business})
mentor = User.objects.create_user("mentor@example.org", None, name="Marc")
Mentorship.objects.create(business=business, mentor=mentor)
print(json.dumps(mentor.pk))
"""

COUNT_SCRIPT = """
import json
from metrics.models import Comment, ReminderSent
print(json.dumps([Comment.objects.count(), ReminderSent.objects.count()]))
"""


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    running = start_stack(workers=2, writers=WRITERS)
    yield running
    stop_stack(running)


def _start(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _mail_env(stack: Stack, port: int) -> dict[str, str]:
    return {
        **stack.env,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_TIMEOUT": "2",
        "EMAIL_RETRY_DELAY": "1",
    }


def _wait_for(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


def test_a_month_saved_through_one_server_is_on_the_dashboard_of_the_other(stack: Stack) -> None:
    assert cross_server_check(stack)


def test_fifty_writers_across_both_servers_lose_and_duplicate_nothing(stack: Stack) -> None:
    saves = write_months(stack, seconds=STEADY_SECONDS, first_index=1)
    report = check(stack, saves, seconds=STEADY_SECONDS, first_index=1)
    print("\n".join(report.lines(f"{WRITERS} writers, {STEADY_SECONDS} s:")))
    assert report.problems == []
    assert report.errors == 0
    assert report.confirmed >= WRITERS * 2


def test_restarting_postgresql_then_redis_costs_errors_only_while_each_is_down(
    stack: Stack,
) -> None:
    pids = [server.process.pid for server in stack.servers if server.process]
    saves, down = restart_run(
        stack, seconds=RESTART_SECONDS, outage=OUTAGE_SECONDS, first_index=450
    )
    report = check(stack, saves, seconds=RESTART_SECONDS, down=down, first_index=450)
    print("\n".join(report.lines(f"restarts, {RESTART_SECONDS} s:")))
    assert report.problems == []  # no half-saved month, no error outside an outage
    assert report.errors > 0  # the outages did happen while people were writing
    after = [save for save in saves if save.started > down[-1][1] + 1 and save.status == 302]
    assert after, "no save went through after the last outage"
    # How many went through depends on the machine's speed; that both servers serve a saved
    # month again, without a restart of their own, does not.
    # 123,456 ÷ 321 orders = 384.598…: a value the first check did not leave on the card.
    recovered = cross_server_check(stack, revenue=123456, shown="€384.60")
    assert recovered, "the servers did not recover by themselves"
    assert pids == [server.process.pid for server in stack.servers if server.process]


def test_a_comment_is_saved_at_once_with_the_mail_server_down_and_sent_when_it_returns(
    stack: Stack,
) -> None:
    port = free_port()
    mail = MailServer(port)
    env = _mail_env(stack, port)
    person = stack.writers[0]
    shell_json(stack.env, MENTOR_SCRIPT.format(business=person["business"]))
    worker = _start(env, "db_worker", "--interval", "0.2", "--no-reload", "--no-startup-delay")
    try:
        # A server of its own, whose emails go by SMTP to the mail server that is down.
        server = Gunicorn(env, workers=1)
        server.start()
        try:
            client = Client(server.url, str(person["session"]))
            path = str(person["month_url"]).replace("1950-01", "2024-03") + "comments/"
            token = csrf_token(client, path, deadline=time.monotonic() + 30)
            started = time.monotonic()
            status, _page = client.request(
                "POST", path, {"csrfmiddlewaretoken": token or "", "body": "Slow month."}
            )
            elapsed = time.monotonic() - started
        finally:
            server.stop()
        assert status == 302
        assert elapsed < 1.0, f"saving the comment took {elapsed:.2f} s"
        time.sleep(2)  # the worker tries, fails and queues the next attempt
        assert mail.messages == []
        mail.start()
        assert _wait_for(lambda: len(mail.messages) == 1, 30), "the notice was never sent"
        assert mail.messages[0]["To"] == "mentor@example.org"
    finally:
        worker.terminate()
        worker.communicate(timeout=30)
        mail.stop()


def test_two_schedulers_and_two_workers_at_once_send_each_reminder_once(stack: Stack) -> None:
    port = free_port()
    mail = MailServer(port)
    mail.start()
    env = _mail_env(stack, port)
    try:
        schedulers = [_start(env, "send_reminders", "--today", "2027-01-06") for _ in range(2)]
        outputs = [process.communicate(timeout=120) for process in schedulers]
        assert all(process.returncode == 0 for process in schedulers), outputs
        workers = [
            _start(env, "db_worker", "--batch", "--no-reload", "--no-startup-delay")
            for _ in range(2)
        ]
        for process in workers:
            process.communicate(timeout=120)
        recipients = Counter(message["To"] for message in mail.messages)
    finally:
        mail.stop()
    owners = {f"writer{number}@example.org" for number in range(WRITERS)}
    assert set(recipients) == owners
    assert set(recipients.values()) == {1}
    assert shell_json(stack.env, COUNT_SCRIPT)[1] == WRITERS
