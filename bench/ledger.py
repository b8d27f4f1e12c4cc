"""Benchmark: sales lists of 1, 5 and 10 MB from upload to preview, with and without a task queue.

Run from the project folder:

    .venv/bin/python bench/ledger.py [--sizes 1 5 10] [--runs 3]

It writes a shop's sales as CSV files of about 1, 5 and 10 MiB (some 37,000 sales a MiB) into a
temporary folder, builds a temporary SQLite database, and goes through the real pages with
Django's test client, logged in, with production settings, in two set-ups:

- **queue** (production: the ``django-tasks`` database backend and ``manage.py db_worker``).
  The queue is Django's ``DummyBackend``, which keeps what is enqueued, and the worker's part is
  ``read_stored_upload.call(...)`` in this process, timed on its own. A file over
  ``LEDGER_TASK_BYTES`` (1 MiB) is answered with the "Reading your file" page; a smaller one is
  read in the request. Timed: the upload POST (the answer the person waits for), the task, the
  GET that finds the reading and goes on to the preview, the preview, the confirmation.
- **inline** (the embedded default: ``ImmediateBackend``). The task runs inside the upload POST,
  so the POST costs the reading too.

Each step's wall-clock and CPU time (``time.process_time``: the machine is shared, so the CPU
time is the fairer measure), medians of ``--runs`` runs (and the slowest); then one more run
under ``tracemalloc`` for each step's peak of memory allocated beyond what it started with.
Targets (issue 13): the upload answered in ≤ 2 s and ≤ 256 MB more memory; the task's reading
too, if at all possible. PASS or FAIL on CPU time and memory.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 2.0
TARGET_MEGABYTES = 256
CUSTOMERS = 4000
YEAR = 2024
MIB = 1024 * 1024


def sales(seed: int = 7) -> Iterator[tuple[date, str, float, int | None]]:
    """A shop's year, over and over: busier in December, regulars and passers-by."""
    rng = random.Random(seed)
    weights = [8, 7, 8, 8, 9, 9, 10, 9, 8, 8, 9, 12]
    while True:
        months = sorted(rng.choices(range(1, 13), weights=weights, k=10_000))
        for month in months:
            day = date(YEAR, month, rng.randint(1, 28))
            customer = (
                f"C{rng.randint(1, CUSTOMERS):05d}"
                if rng.random() < 0.8
                else f"P{rng.randint(1, 10**6)}"
            )
            amount = rng.randint(150, 25000) / 100
            quantity = rng.randint(1, 6) if rng.random() < 0.9 else None
            yield day, customer, amount, quantity


def write_csv(path: Path, size: int) -> int:
    """A sales list of just under ``size`` bytes; returns how many sales it has."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["date", "customer", "amount", "quantity"])
        for day, customer, amount, quantity in sales():
            if handle.tell() > size - 40:
                break
            writer.writerow([day.isoformat(), customer, f"{amount:.2f}", quantity or ""])
            count += 1
    return count


def _configure(database_url: str) -> None:
    """Production-like settings, read by config/settings.py from the environment."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "false"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(48)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ["LOG_REQUESTS"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(BASE_DIR))
    # Whitenoise looks for collected static files, which pages without assets do not need.
    warnings.filterwarnings("ignore", message="No directory at")
    import logging

    import django

    django.setup()
    # The task framework logs each task's start and end; the timings are the output here.
    logging.getLogger("django.tasks").setLevel(logging.WARNING)


@dataclass
class Step:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    megabytes: float = 0.0


@dataclass
class Run:
    steps: dict[str, Step] = field(default_factory=dict)
    answer: str = ""
    entries: int = 0

    def step(self, name: str) -> Step:
        return self.steps.setdefault(name, Step())


def _timed(run: Run, name: str, traced: bool, action: Callable[[], Any]) -> Any:
    """Run ``action`` as step ``name``: its times, or (``traced``) its peak of memory."""
    step = run.step(name)
    if traced:
        tracemalloc.start()
        result = action()
        step.megabytes = tracemalloc.get_traced_memory()[1] / MIB
        tracemalloc.stop()
        return result
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    step.wall.append(time.perf_counter() - wall)
    step.cpu.append(time.process_time() - cpu)
    return result


def _expect(response: TestResponse, status: int, what: str) -> TestResponse:
    if response.status_code != status:
        raise SystemExit(f"{what} answered {response.status_code}: {response.content[-2000:]!r}")
    return response


def _one(path: Path, run: Run, *, queue: bool, traced: bool, number: int) -> None:
    """One upload through the pages, from the POST of the file to the confirmation."""
    from django.test import Client

    from accounts.models import User
    from metrics.imports.stored import read_stored_upload
    from metrics.models.business import Business
    from metrics.models.entries import Entry
    from metrics.models.imports import StoredUpload

    user = User.objects.get(email="bench@example.org")
    client = Client()
    client.force_login(user)
    business = Business.objects.create(
        owner=user, name=f"Bench {path.stem} {number}", country="be", sells="Food"
    )

    def post() -> TestResponse:
        with path.open("rb") as handle:
            return client.post(
                f"/b/{business.pk}/import/ledger/",
                {"file": handle, "decimal": "detect"},
                secure=True,
            )

    response = _expect(_timed(run, "upload (POST, the answer)", traced, post), 302, "The upload")
    location = response["Location"]
    if "/reading/" in location:
        run.answer = "the Reading your file page"
        if queue:
            upload = StoredUpload.objects.get(business=business)
            state = _timed(
                run,
                "task (the worker's reading)",
                traced,
                lambda: read_stored_upload.call(upload_id=upload.pk),
            )
            if state != "ready":
                raise SystemExit(f"The task ended {state}: {StoredUpload.objects.get().result}")
        reading = _timed(
            run, "reading page → preview", traced, lambda: client.get(location, secure=True)
        )
        location = _expect(reading, 302, "The reading page")["Location"]
    else:
        run.answer = "the preview (read in the request)"
    page = _timed(run, "preview (GET)", traced, lambda: client.get(location, secure=True))
    text = _expect(page, 200, "The preview").content.decode()
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', text)[1]  # type: ignore[index]  # a miss fails loudly
    confirmed = _timed(
        run,
        "confirm (write 12 months)",
        traced,
        lambda: client.post(location, {"fingerprint": fingerprint}, secure=True),
    )
    _expect(confirmed, 302, "The confirmation")
    run.entries = Entry.objects.filter(business=business).count()


def _line(name: str, step: Step) -> str:
    if not step.wall:
        return f"    {name:30} peak +{step.megabytes:6.1f} MB"
    return (
        f"    {name:30} wall {statistics.median(step.wall):5.2f} s (slowest "
        f"{max(step.wall):5.2f})   CPU {statistics.median(step.cpu):5.2f} s (slowest "
        f"{max(step.cpu):5.2f})   peak +{step.megabytes:6.1f} MB"
    )


def _within(step: Step | None) -> bool:
    if step is None:
        return True
    return max(step.cpu) <= TARGET_SECONDS and step.megabytes <= TARGET_MEGABYTES


def _run(folder: Path, sizes: list[int], runs: int) -> bool:
    from django.core.management import call_command
    from django.test.utils import override_settings

    from accounts.models import User

    # Hashed static names need collectstatic; they change nothing in the timings.
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    backends = {
        "queue": "django.tasks.backends.dummy.DummyBackend",
        "inline": "django.tasks.backends.immediate.ImmediateBackend",
    }
    # The upload rate limit counts every POST of the same person: out of the way here.
    limits = {"upload": {"user": "100000/h", "ip": "100000/h"}}
    passed = True
    with override_settings(STORAGES=storages, RATE_LIMITS=limits):
        call_command("migrate", verbosity=0)
        User.objects.create_user("bench@example.org", "bench-password", name="Bench")
        from django.conf import settings

        print(
            f"Sales-ledger benchmark: {runs} runs per file and set-up, then one under tracemalloc;"
            f" LEDGER_TASK_BYTES = {settings.LEDGER_TASK_BYTES:,}"
        )
        number = 0
        for megabytes in sizes:
            path = folder / f"sales-{megabytes}mb.csv"
            count = write_csv(path, megabytes * MIB)
            print(f"  {path.stat().st_size / MIB:.1f} MiB CSV, {count:,} sales:")
            for setup, backend in backends.items():
                run = Run()
                with override_settings(TASKS={"default": {"BACKEND": backend}}):
                    for index in range(runs + 1):
                        number += 1
                        _one(path, run, queue=setup == "queue", traced=index == runs, number=number)
                print(f"   {setup}: the upload is answered with {run.answer}")
                for name, step in run.steps.items():
                    print(_line(name, step))
                answer_ok = _within(run.steps["upload (POST, the answer)"])
                task_ok = _within(run.steps.get("task (the worker's reading)"))
                if setup == "queue":
                    passed = passed and answer_ok
                    print(
                        f"    {'PASS' if answer_ok else 'FAIL'}  answer ≤ {TARGET_SECONDS:.0f} s"
                        f" CPU and ≤ {TARGET_MEGABYTES} MB;  task {'within' if task_ok else 'over'}"
                        f" the same budget;  {run.entries} entries written"
                    )
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 5, 10], help="MiB per file")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per file and set-up")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kpi-ledger-bench-") as name:
        folder = Path(name)
        _configure(f"sqlite:///{folder / 'bench.sqlite3'}")
        passed = _run(folder, options.sizes, options.runs)
        from django.db import connections

        connections.close_all()
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
