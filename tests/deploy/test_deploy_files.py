"""The files that deploy the app: read, since no container engine runs here."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.deploy.services import BASE_DIR


def _entrypoint(env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **env, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    return subprocess.run(
        ["sh", "docker-entrypoint.sh", *command],
        cwd=BASE_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_with_migrate_on_start_false_the_entrypoint_leaves_the_schema_alone(
    tmp_path: Path,
) -> None:
    database = tmp_path / "fresh.sqlite3"
    result = _entrypoint(
        {"DATABASE_URL": f"sqlite:///{database}", "MIGRATE_ON_START": "false"}, "echo", "worker"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "worker"
    tables = {row[0] for row in sqlite3.connect(database).execute("select name from sqlite_master")}
    assert "accounts_user" not in tables


def test_every_variable_the_compose_file_reads_is_in_the_example_env() -> None:
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    example = (BASE_DIR / ".env.example").read_text()
    named = set(re.findall(r"\$\{(\w+)", compose))
    assert named == {"POSTGRES_PASSWORD", "SITE_DOMAIN"}
    for name in named:
        assert re.search(rf"^{name}=", example, re.MULTILINE), name


def test_the_compose_file_runs_every_part_from_the_same_image() -> None:
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    for service in ("db", "redis", "migrate", "web", "worker", "scheduler", "proxy"):
        assert re.search(rf"^  {service}:$", compose, re.MULTILINE), service
    assert 'command: ["python", "manage.py", "db_worker"' in compose
    assert "python manage.py send_reminders;" in compose
    assert "python manage.py forget_stored_uploads;" in compose
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in compose
    assert "REDIS_URL: redis://redis:6379/0" in compose


def test_the_proxy_compresses_and_checks_readiness() -> None:
    caddyfile = (BASE_DIR / "Caddyfile").read_text()
    assert re.search(r"^\s*encode zstd gzip$", caddyfile, re.MULTILINE)
    assert "health_uri /readyz" in caddyfile


def test_the_image_installs_the_hashed_lock_and_starts_gunicorn_from_its_config() -> None:
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert "pip install --no-cache-dir --require-hashes -r requirements.lock" in dockerfile
    assert '"gunicorn", "--config", "config/gunicorn.py"' in dockerfile
    lock = (BASE_DIR / "requirements.lock").read_text()
    packages = re.findall(r"^([a-z0-9-]+)==", lock, re.MULTILINE)
    assert {"django", "redis", "django-tasks-db", "sentry-sdk", "gunicorn"} <= set(packages)
    assert not {"pytest", "django-debug-toolbar", "ruff"} & set(packages)
    hashed = re.findall(r"^([a-z0-9-]+)==[^\n]*\\\n\s+--hash=sha256:", lock, re.MULTILINE)
    assert hashed == packages


def test_gunicorn_takes_its_worker_count_from_the_environment() -> None:
    script = "import runpy; print(runpy.run_path('config/gunicorn.py')['workers'])"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env={**os.environ, "WEB_CONCURRENCY": "7"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "7", result.stderr
