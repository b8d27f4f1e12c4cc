"""Benchmark: the dashboard of one business (12 KPIs × 36 months) against a floor page.

Run from the project folder:

    .venv/bin/python bench/dashboard.py
    .venv/bin/python bench/dashboard.py --database-url postgres://postgres@127.0.0.1:5432/
    .venv/bin/python bench/dashboard.py --cache redis   # the kept cards in a private Redis

It builds a fresh database (a temporary SQLite file, or a throwaway PostgreSQL database named
``kpi_bench`` on the server of the URL, dropped at the end), fills one business, then times with
Django's test client, logged in and with production settings (DEBUG off, over HTTPS):

- the dashboard (default period: the latest month, 12 cards with charts and tables, the funnel),
  as people see it on every visit but the first after a change: its cards kept from the
  previous visit (``metrics/dashboard/cache.py``). The target is checked against this time;
- the same dashboard with its cards built anew (the kept cards are dropped before each
  request, outside the timing), as on the first visit after a change. It is printed beside
  the target, not checked against it;
- the floor: a bench-only page added through a URLconf override, behind ``login_required``,
  that renders a template extending ``base.html`` with one heading and nothing else. The
  target (dashboard ≤ 4 × floor) is checked against it. For comparison it also times the
  profile page (``accounts:profile``, a real logged-in page with a form), without a target.

It prints the median times and their ratio, the dashboard's SQL query count, and the bytes a
first visit transfers (the HTML plus every script, style sheet and image it loads, each
gzip-compressed the way whitenoise compresses static files) and a repeat visit (the HTML
only: in production, static files carry hashed names and are cached for a year).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from accounts.models import User

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from bench.harness import configure, floor_urlconf, postgres, postgres_urls  # noqa: E402

BENCH_DATABASE = "kpi_bench"
MONTHS = 36
KPIS = [
    "revenue",
    "gross_margin",
    "net_income",
    "average_order_value",
    "conversion_rate",
    "churn_rate",
    "retention_rate",
    "cac",
    "csat",
    "email_open_rate",
    "nps",
    "runway_months",
]
TARGET_RATIO = 4.0
TARGET_QUERIES = 12
TARGET_FIRST_KB = 500
TARGET_REPEAT_KB = 30

ASSET_RE = re.compile(
    r"<(?:script[^>]*\ssrc|link[^>]*\shref|img[^>]*\ssrc)=\"(?P<url>[^\"]+)\"", re.IGNORECASE
)
CSS_URL_RE = re.compile(r"url\(\s*['\"]?(?P<url>[^'\")]+)['\"]?\s*\)")


def _fill() -> tuple[User, int]:
    """One owner, one business, 12 tracked KPIs, 3 targets, every figure for 36 months."""
    from accounts.models import User
    from bench.engine import plausible_figures  # a small shop, with some noise
    from metrics.engine import add_months
    from metrics.models.business import Business, TrackedKpi
    from metrics.models.entries import Entry
    from metrics.models.goals import Target
    from metrics.pages import last_complete_month

    last = last_complete_month()
    first = add_months(last, -(MONTHS - 1))
    user = User.objects.create_user(
        "bench@example.org", secrets.token_urlsafe(16), name="Bench", language="en"
    )
    business = Business.objects.create(
        owner=user, name="Bench shop", country="be", region="flanders", sells="Things"
    )
    Entry.objects.bulk_create(
        Entry(business=business, figure=code, month=month, value=value)
        for month, values in plausible_figures(first, MONTHS).items()
        for code, value in values.items()
    )
    TrackedKpi.objects.bulk_create(
        TrackedKpi(business=business, kpi=code, position=index) for index, code in enumerate(KPIS)
    )
    start = date(last.year, 1, 1)
    for kpi, value, baseline in (("revenue", 6000, 3000), ("csat", 70, None), ("cac", 20, None)):
        Target.objects.create(
            business=business,
            kpi=kpi,
            comparison="at_most" if kpi == "cac" else "at_least",
            value=Decimal(value),
            baseline=None if baseline is None else Decimal(baseline),
            first_month=start,
            deadline=add_months(start, 17),
        )
    return user, business.pk


def _gzip_size(name: str, data: bytes) -> int:
    """What whitenoise serves to a browser that accepts gzip."""
    from whitenoise.compress import Compressor

    compressor = Compressor(use_brotli=False, quiet=True)
    if not compressor.should_compress(name):
        return len(data)
    compressed = compressor.compress_gzip(data)
    if compressor.is_compressed_effectively("Gzip", name, len(data), compressed):
        return len(compressed)
    return len(data)


def _assets(html: str) -> dict[str, int]:
    """Every static file the page loads (and the files its style sheets load), compressed."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    sizes: dict[str, int] = {}
    pending = [match["url"] for match in ASSET_RE.finditer(html)]
    while pending:
        url = pending.pop()
        if url.startswith("data:") or url in sizes or not url.startswith(settings.STATIC_URL):
            continue
        name = urlsplit(url).path[len(settings.STATIC_URL) :]
        found = finders.find(name)
        if not found:
            raise SystemExit(f"The page loads {url}, which is not a static file.")
        data = Path(found).read_bytes()
        sizes[url] = _gzip_size(name, data)
        if name.endswith(".css"):
            for match in CSS_URL_RE.finditer(data.decode("utf-8", "replace")):
                reference = match["url"]
                if not reference.startswith(("data:", "#", "http:", "https:")):
                    pending.append(
                        settings.STATIC_URL + str(Path(name).parent / reference.split("?")[0])
                    )
    return sizes


def _without_tokens(html: str) -> str:
    """The page without its CSRF tokens, which are masked afresh on every request."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _median_ms(timings: list[float]) -> float:
    return statistics.median(timings) * 1000


def _run(runs: int, database_label: str) -> bool:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from metrics.dashboard import cache as board_cache

    urlconf = floor_urlconf()
    # The manifest needs collectstatic; hashed names change nothing in the timings.
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(ROOT_URLCONF=urlconf, STORAGES=storages):
        call_command("migrate", verbosity=0)
        user, business_id = _fill()
        client = Client()
        client.force_login(user)
        dashboard_url = f"/b/{business_id}/"
        floor_url = "/bench/floor/"

        def fetch(url: str) -> Callable[[], bytes]:
            def get() -> bytes:
                response = client.get(url, secure=True)
                if response.status_code != 200:
                    raise SystemExit(f"{url} answered {response.status_code}")
                return response.content

            return get

        pages = {
            "dashboard": fetch(dashboard_url),
            "rebuilt": fetch(dashboard_url),
            "floor": fetch(floor_url),
            "profile": fetch("/accounts/profile/"),
        }
        for get in pages.values():
            for _ in range(3):
                get()
        timings: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(runs):
            # Interleaved, so that any drift of the machine touches every page alike.
            for name, get in pages.items():
                if name == "rebuilt":
                    board_cache.clear()
                started = time.perf_counter()
                get()
                timings[name].append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as queries:
            html = pages["dashboard"]().decode()
        board_cache.clear()
        with CaptureQueriesContext(connection) as rebuilt_queries:
            rebuilt_html = pages["rebuilt"]().decode()
        if _without_tokens(rebuilt_html) != _without_tokens(html):
            raise SystemExit("The dashboard with kept cards differs from the one built anew.")

    dashboard_ms = _median_ms(timings["dashboard"])
    rebuilt_ms = _median_ms(timings["rebuilt"])
    floor_ms = _median_ms(timings["floor"])
    profile_ms = _median_ms(timings["profile"])
    ratio = dashboard_ms / floor_ms
    html_bytes = _gzip_size("dashboard.html", html.encode())
    assets = _assets(html)
    first_visit = html_bytes + sum(assets.values())
    checks = [
        ("dashboard ≤ 4 × floor", ratio <= TARGET_RATIO),
        (
            f"≤ {TARGET_QUERIES} queries, cards kept or built anew",
            max(len(queries), len(rebuilt_queries)) <= TARGET_QUERIES,
        ),
        (f"first visit ≤ {TARGET_FIRST_KB} KB", first_visit <= TARGET_FIRST_KB * 1000),
        (f"repeat visit ≤ {TARGET_REPEAT_KB} KB", html_bytes <= TARGET_REPEAT_KB * 1000),
    ]

    print(
        f"Dashboard benchmark on {database_label}: 1 business, {len(KPIS)} KPIs × {MONTHS} months"
    )
    print(f"  runs: {runs} of each page, interleaved, after 3 warm-up requests each")
    print(f"  dashboard median: {dashboard_ms:8.2f} ms  (cards kept from the previous visit)")
    print(f"  floor median:     {floor_ms:8.2f} ms  (login_required page extending base.html)")
    print(f"  ratio:            {ratio:8.2f} ×")
    print(
        f"  rebuilt median:   {rebuilt_ms:8.2f} ms  (first visit after a change: cards built "
        f"anew, {rebuilt_ms / floor_ms:.2f} × the floor, no target)"
    )
    print(
        f"  profile median:   {profile_ms:8.2f} ms  (for comparison: dashboard = "
        f"{dashboard_ms / profile_ms:.2f} × the profile page)"
    )
    print(
        f"  dashboard SQL queries: {len(queries)} (cards kept), "
        f"{len(rebuilt_queries)} (cards built anew)"
    )
    print("  transferred, gzip as whitenoise compresses (KB = 1000 bytes):")
    print(f"    {'HTML':58} {html_bytes / 1000:8.1f} KB  (raw {len(html) / 1000:.1f} KB)")
    for url, size in sorted(assets.items(), key=lambda item: -item[1]):
        print(f"    {url:58} {size / 1000:8.1f} KB")
    print(f"  first visit:  {first_visit / 1000:8.1f} KB")
    print(f"  repeat visit: {html_bytes / 1000:8.1f} KB  (HTML only; static files cached)")
    for label, passed in checks:
        print(f"  {'PASS' if passed else 'FAIL'}  {label}")
    return all(passed for _label, passed in checks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/ "
        f"(a database {BENCH_DATABASE} is created there and dropped); SQLite when left out",
    )
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page")
    parser.add_argument(
        "--cache",
        choices=["locmem", "redis"],
        default="locmem",
        help="where the kept cards live: this process's memory (default), or a private "
        "redis-server started on a free local port, as with REDIS_URL in production",
    )
    options = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if options.cache == "redis":
            sys.path.insert(0, str(BASE_DIR))
            from tests.deploy.services import RedisServer

            server = RedisServer()
            server.start()
            stack.callback(server.close)
            os.environ["REDIS_URL"] = server.url
        _bench(options)


def _bench(options: argparse.Namespace) -> None:
    cache = "Redis" if options.cache == "redis" else "local memory"

    if options.database_url:
        maintenance, bench_url = postgres_urls(options.database_url, BENCH_DATABASE)
        postgres(maintenance, f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        postgres(maintenance, f"CREATE DATABASE {BENCH_DATABASE}")
        try:
            configure(bench_url)
            passed = _run(options.runs, f"PostgreSQL ({BENCH_DATABASE}), cards kept in {cache}")
        finally:
            from django.db import connections

            connections.close_all()
            postgres(maintenance, f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
    else:
        with tempfile.TemporaryDirectory(prefix="kpi-bench-") as folder:
            configure(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
            passed = _run(options.runs, f"SQLite (temporary file), cards kept in {cache}")
            from django.db import connections

            connections.close_all()
    if not passed:
        sys.exit(1)


if __name__ == "__main__":
    main()
