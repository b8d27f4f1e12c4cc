"""Fixtures for the production set-up: a queue in the database, a real mail server, Redis."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from asgiref.local import Local
from django.tasks import task_backends
from django.test import override_settings

from tests.deploy.services import RedisServer, free_port
from tests.deploy.smtp import MailServer


def _forget_task_backends() -> None:
    """Django keeps the task backends it built; a changed TASKS setting needs new ones."""
    task_backends.__dict__.pop("settings", None)
    task_backends._settings = None
    task_backends._connections = Local(task_backends.thread_critical)


@pytest.fixture
def database_tasks() -> Iterator[None]:
    """Tasks queued in the database, as in production, for a worker to run."""
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
        TASKS_BACKEND="database",
    ):
        _forget_task_backends()
        yield
    _forget_task_backends()


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def mail_server(smtp_port: int) -> Iterator[MailServer]:
    """A real SMTP server on ``smtp_port``, not started: the test starts it when it wants."""
    server = MailServer(smtp_port)
    yield server
    server.stop()


@pytest.fixture
def smtp_settings(smtp_port: int) -> Iterator[None]:
    """Mail goes by SMTP to ``smtp_port`` with a short time-out; the next attempt a minute later."""
    with override_settings(
        MAILERS={
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": smtp_port, "use_tls": False, "timeout": 2},
            }
        },
        EMAIL_RETRY_DELAY=60.0,
    ):
        yield


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A private redis-server, started; the test may stop and start it."""
    server = RedisServer()
    server.start()
    yield server
    server.close()
