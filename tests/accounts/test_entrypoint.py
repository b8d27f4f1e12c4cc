"""The container's start-up script: wait for the database, migrate, then run the command."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def _run(env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **env, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    return subprocess.run(
        ["sh", "docker-entrypoint.sh", *command],
        cwd=BASE_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_it_migrates_then_runs_the_command(tmp_path: Path) -> None:
    database = tmp_path / "fresh.sqlite3"
    result = _run({"DATABASE_URL": f"sqlite:///{database}"}, "echo", "server started")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("server started")
    tables = {row[0] for row in sqlite3.connect(database).execute("select name from sqlite_master")}
    assert "accounts_user" in tables


def test_it_gives_up_when_the_database_never_answers() -> None:
    result = _run(
        {"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "DB_WAIT_SECONDS": "1"},
        "echo",
        "should not run",
    )
    assert result.returncode != 0
    assert "The database did not answer in time" in result.stderr
    assert "should not run" not in result.stdout
