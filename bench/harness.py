"""What the page benchmarks share: a throwaway database, production-like settings, a floor page.

``bench/dashboard.py`` and ``bench/programme.py`` time pages against the same floor: a page
behind ``login_required`` that extends ``base.html`` with one heading and nothing else.
"""

from __future__ import annotations

import os
import secrets
import sys
import types
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent


def postgres_urls(url: str, name: str) -> tuple[str, str]:
    """The server's maintenance database URL, and the URL of the database ``name`` on it."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), urlunsplit(parts._replace(path=f"/{name}"))


def postgres(maintenance_url: str, statement: str) -> None:
    """Run one statement (CREATE or DROP DATABASE) outside a transaction."""
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        connection.execute(statement)


def configure(database_url: str) -> None:
    """Production-like settings, read by config/settings.py from the environment."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "false"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(48)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.setdefault("LOG_REQUESTS", "false")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def floor_urlconf() -> str:
    """The project's URLs plus the floor page, as a module Django can import by name."""
    from django.contrib.auth.decorators import login_required
    from django.http import HttpRequest, HttpResponse
    from django.template import engines
    from django.urls import include, path

    template = engines["django"].from_string(
        '{% extends "base.html" %}{% block content %}<h1>Floor</h1>{% endblock %}'
    )

    @login_required
    def floor(request: HttpRequest) -> HttpResponse:
        return HttpResponse(template.render({}, request))

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]  # a module made here, at run time
        path("bench/floor/", floor, name="bench_floor"),
        path("", include("config.urls")),
    ]
    sys.modules[module.__name__] = module
    return module.__name__
