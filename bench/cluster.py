"""Benchmark and proof: two app servers on one PostgreSQL and one Redis, under concurrent writers.

Run from the project folder (about two minutes; only 127.0.0.1 is ever contacted):

    .venv/bin/python bench/cluster.py                 # 50 writers for 60 s, then the restarts
    .venv/bin/python bench/cluster.py --seconds 15    # shorter

It starts a private PostgreSQL cluster (initdb in a temporary folder), a private redis-server
and two gunicorn servers with the production settings, all on free local ports, and stops them
at the end. Then:

1. a steady run: N writers, each its own entrepreneur, save month after month through both
   servers in turn (a month is several figures, saved in one transaction);
2. a restart run: the same, while PostgreSQL is stopped for a few seconds and started again,
   and then Redis.

After each run it reads the database and checks that every month a server confirmed is there
with exactly the figures sent, that no month is there half-saved or twice, and that every
error happened while PostgreSQL or Redis was down. It prints the throughput and the p50/p95
time of a save. ``tests/deploy/test_cluster.py`` runs the same code for fewer seconds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from tests.deploy.services import (  # noqa: E402
    Gunicorn,
    PostgresCluster,
    RedisServer,
    manage,
    production_env,
)

FIGURES = ("revenue", "orders")
# Months from 1950 on: about 900 of them in the past, so that each save is a month of its own.
FIRST_MONTH = date(1950, 1, 1)
STEADY_FIRST, RESTART_FIRST, LAST = 1, 450, 900
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

SETUP_SCRIPT = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.conf import settings
from django.urls import reverse
from importlib import import_module
from accounts.models import User
from metrics.models import Business, TrackedKpi

store_class = import_module(settings.SESSION_ENGINE).SessionStore
writers = []
for number in range({count}):
    user = User(email=f"writer{{number}}@example.org", name=f"Writer {{number}}")
    user.set_unusable_password()
    user.save()
    business = Business.objects.create(
        owner=user, name=f"Shop {{number}}", country="be", region="flanders", currency="EUR",
        sells="Food", channel="shop",
    )
    TrackedKpi.objects.create(business=business, kpi="average_order_value", position=0)
    session = store_class()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    writers.append({{
        "session": session.session_key,
        "business": business.pk,
        "month_url": reverse("metrics:month", args=[business.pk, "1950-01"]),
        "dashboard_url": reverse("metrics:dashboard", args=[business.pk]),
    }})
print(json.dumps(writers))
"""

DUMP_SCRIPT = """
import json
from metrics.models import Entry
rows = list(Entry.objects.values_list("business_id", "month", "figure", "value"))
print(json.dumps([[b, m.isoformat(), f, str(v)] for b, m, f, v in rows]))
"""


@dataclass
class Save:
    """One attempt to save a month: when, how long, and what the server said."""

    business: int
    month: str
    values: dict[str, str]
    started: float
    ended: float
    status: int  # 0 when the connection itself failed


@dataclass
class Stack:
    """The running servers and the people who write through them."""

    pg: PostgresCluster
    redis: RedisServer
    servers: list[Gunicorn]
    env: dict[str, str]
    static: Path
    writers: list[dict[str, object]] = field(default_factory=list)


def month_label(index: int) -> str:
    year, month = divmod(FIRST_MONTH.month - 1 + index, 12)
    return f"{FIRST_MONTH.year + year}-{month + 1:02d}"


class Client:
    """A logged-in person talking HTTP/1.1 to one app server, without following redirects."""

    def __init__(self, base_url: str, session: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.cookies = {"sessionid": session}
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        encoded = None
        if body is not None:
            from urllib.parse import urlencode

            encoded = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.connection.request(method, path, body=encoded, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
            except (ConnectionError, http.client.HTTPException, TimeoutError, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 1 or method != "GET":
                    return 0, ""
                continue
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, text
        return 0, ""


def start_stack(*, workers: int, writers: int) -> Stack:
    """PostgreSQL, Redis, the schema, the writers' accounts, two app servers."""
    pg, redis = PostgresCluster(), RedisServer()
    static = Path(tempfile.mkdtemp(prefix="kpi-static-"))
    env = production_env(DATABASE_URL=pg.url("kpi"), REDIS_URL=redis.url, STATIC_ROOT=str(static))
    stack = Stack(pg=pg, redis=redis, servers=[], env=env, static=static)
    try:
        pg.start()
        redis.start()
        pg.create_database("kpi")
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        stack.writers = shell_json(env, SETUP_SCRIPT.format(count=writers))
        for _number in range(2):
            stack.servers.append(Gunicorn(env, workers=workers))
            stack.servers[-1].start()
    except BaseException:
        stop_stack(stack)
        raise
    return stack


def shell_json(env: dict[str, str], script: str) -> Any:
    """The JSON a ``manage.py shell`` script printed on its last line."""
    return json.loads(manage(env, "shell", "-c", script).stdout.strip().splitlines()[-1])


def stop_stack(stack: Stack) -> None:
    for server in stack.servers:
        server.stop()
    stack.redis.close()
    stack.pg.close()
    shutil.rmtree(stack.static, ignore_errors=True)


def csrf_token(client: Client, path: str, *, deadline: float) -> str | None:
    while time.monotonic() < deadline:
        status, page = client.request("GET", path)
        match = CSRF_INPUT.search(page) if status == 200 else None
        if match:
            return match.group(1)
        time.sleep(0.2)
    return None


def write_months(
    stack: Stack, *, seconds: float, first_index: int, events: list[tuple[float, str]] | None = None
) -> list[Save]:
    """Every writer saves months first_index, first_index + 1, … until ``seconds`` are over."""
    saves: list[Save] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def writer(number: int, person: dict[str, object]) -> None:
        clients = [Client(server.url, str(person["session"])) for server in stack.servers]
        month_path = str(person["month_url"]).replace("1950-01", "{month}")
        tokens = [
            csrf_token(client, month_path.format(month=month_label(0)), deadline=deadline)
            for client in clients
        ]
        index = first_index
        while time.monotonic() < deadline and index < first_index + (LAST - RESTART_FIRST):
            which = index % 2
            label = month_label(index)
            values = {"revenue": str(1000 + number * 1000 + index), "orders": str(10 + index)}
            started = time.monotonic()
            status, _page = clients[which].request(
                "POST",
                month_path.format(month=label),
                {"csrfmiddlewaretoken": tokens[which] or "", **values},
            )
            ended = time.monotonic()
            with lock:
                saves.append(
                    Save(int(str(person["business"])), label, values, started, ended, status)
                )
            index += 1
            if status != 302:
                time.sleep(0.05)  # an error page: do not spin

    threads = [
        threading.Thread(target=writer, args=(number, person), daemon=True)
        for number, person in enumerate(stack.writers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return saves


def stored_months(stack: Stack) -> dict[tuple[int, str], dict[str, str]]:
    """What the database holds: (business, 'YYYY-MM') → {figure: value}."""
    rows = shell_json(stack.env, DUMP_SCRIPT)
    months: dict[tuple[int, str], dict[str, str]] = {}
    for business, month, figure, value in rows:
        key = (business, month[:7])
        if figure in months.setdefault(key, {}):
            raise AssertionError(f"{figure} of {key} is stored twice")
        months[key][figure] = str(int(float(value)))
    return months


@dataclass
class Report:
    saves: int
    confirmed: int
    errors: int
    seconds: float
    throughput: float
    p50_ms: float
    p95_ms: float
    problems: list[str]
    statuses: dict[int, int] = field(default_factory=dict)

    def lines(self, title: str) -> list[str]:
        return [
            f"{title}",
            f"  saves tried {self.saves}, confirmed {self.confirmed}, errors {self.errors}",
            "  answers: "
            + ", ".join(
                f"{count} × {status or 'no answer'}"
                for status, count in sorted(self.statuses.items())
            ),
            f"  throughput {self.throughput:.1f} confirmed saves/s over {self.seconds:.0f} s",
            f"  save time p50 {self.p50_ms:.0f} ms, p95 {self.p95_ms:.0f} ms",
            f"  problems: {len(self.problems)}" + "".join(f"\n    {p}" for p in self.problems[:10]),
        ]


def check(
    stack: Stack,
    saves: list[Save],
    *,
    seconds: float,
    down: list[tuple[float, float]] = (),  # type: ignore[assignment]
    grace: float = 1.0,
    first_index: int = 0,
) -> Report:
    """Compare what the servers confirmed with what the database holds.

    Months before ``first_index`` belong to an earlier run and are not looked at.
    """
    stored = stored_months(stack)
    problems: list[str] = []
    attempted = {(save.business, save.month) for save in saves}
    for save in saves:
        held = stored.get((save.business, save.month))
        if save.status == 302:
            if held != save.values:
                problems.append(f"confirmed {save.month} of {save.business} is {held}")
        elif save.status == 503:  # "try again in a minute", with what was typed kept
            if held is not None and held != save.values:
                problems.append(f"failed {save.month} of {save.business} is half-saved: {held}")
            in_window = any(
                start - grace <= save.ended and save.started <= end + grace for start, end in down
            )
            if not in_window:
                problems.append(f"error {save.status} at {save.started:.1f} outside any outage")
        else:  # a 500, or no answer at all, is never acceptable, outage or not
            problems.append(f"status {save.status or 'no answer'} for {save.month}")
    for key in stored:
        if month_label(first_index) <= key[1] < month_label(LAST) and key not in attempted:
            problems.append(f"{key} is stored but was never sent")
    confirmed = [save for save in saves if save.status == 302]
    times = sorted((save.ended - save.started) * 1000 for save in confirmed) or [0.0]
    quantiles = statistics.quantiles(times, n=20) if len(times) > 1 else [times[0]] * 19
    statuses: dict[int, int] = {}
    for save in saves:
        statuses[save.status] = statuses.get(save.status, 0) + 1
    return Report(
        statuses=statuses,
        saves=len(saves),
        confirmed=len(confirmed),
        errors=len(saves) - len(confirmed),
        seconds=seconds,
        throughput=len(confirmed) / seconds,
        p50_ms=statistics.median(times),
        p95_ms=quantiles[18],
        problems=problems,
    )


def restart_run(
    stack: Stack, *, seconds: float, outage: float, first_index: int
) -> tuple[list[Save], list[tuple[float, float]]]:
    """Writers for ``seconds``; PostgreSQL down after a fifth of it, Redis a fifth later."""
    down: list[tuple[float, float]] = []
    saves: list[Save] = []

    def load() -> None:
        saves.extend(write_months(stack, seconds=seconds, first_index=first_index))

    writers = threading.Thread(target=load)
    writers.start()
    for server in (stack.pg, stack.redis):
        time.sleep(seconds / 5)
        began = time.monotonic()
        server.stop()
        time.sleep(outage)
        server.start()
        down.append((began, time.monotonic()))
    writers.join()
    return saves, down


def cross_server_check(stack: Stack, revenue: int = 987654, shown: str = "€3,076.80") -> bool:
    """A month saved through one server is on the dashboard the other serves next.

    ``shown`` is the average order value the card then shows: ``revenue`` ÷ 321 orders. Each
    check of one stack needs a revenue of its own, or the value is there before the save.
    """
    person = stack.writers[0]
    label = month_label(LAST)
    first, second = (Client(server.url, str(person["session"])) for server in stack.servers)
    dashboard = f"{person['dashboard_url']}?period={label}"
    status, before = second.request("GET", dashboard)  # the other server keeps this board
    month_path = str(person["month_url"]).replace("1950-01", label)
    token = csrf_token(first, month_path, deadline=time.monotonic() + 30)
    status, _page = first.request(
        "POST",
        month_path,
        {"csrfmiddlewaretoken": token or "", "revenue": str(revenue), "orders": "321"},
    )
    after_status, after = second.request("GET", dashboard)
    return status == 302 and after_status == 200 and shown not in before and shown in after


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--outage", type=float, default=3, help="seconds each server is down")
    args = parser.parse_args()

    stack = start_stack(workers=args.workers, writers=args.writers)
    try:
        pids = [server.process.pid for server in stack.servers if server.process]
        fresh = cross_server_check(stack)
        steady = write_months(stack, seconds=args.seconds, first_index=STEADY_FIRST)
        report = check(stack, steady, seconds=args.seconds, first_index=STEADY_FIRST)
        print(
            f"{args.writers} writers, 2 gunicorn servers × {args.workers} workers, "
            "PostgreSQL and Redis on 127.0.0.1"
        )
        print(f"A month saved through one server is on the other's next dashboard: {fresh}")
        print("\n".join(report.lines(f"Steady run, {args.seconds:.0f} s:")))
        saves, down = restart_run(
            stack, seconds=args.seconds, outage=args.outage, first_index=RESTART_FIRST
        )
        restart = check(stack, saves, seconds=args.seconds, down=down, first_index=RESTART_FIRST)
        print(
            "\n".join(
                restart.lines(
                    f"Restart run, {args.seconds:.0f} s, PostgreSQL then Redis down "
                    f"{args.outage:.0f} s each:"
                )
            )
        )
        after = [s for s in saves if s.started > down[-1][1] + 1.0 and s.status == 302]
        same = pids == [server.process.pid for server in stack.servers if server.process]
        print(f"  confirmed saves after the last restart: {len(after)}")
        print(f"  the app servers kept running throughout (same processes): {same}")
        failed = report.problems or restart.problems or not after or not same or not fresh
    finally:
        stop_stack(stack)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
