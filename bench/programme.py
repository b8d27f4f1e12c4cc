"""Benchmark: a programme dashboard over 5,000 businesses × 24 months, on PostgreSQL.

Run from the project folder (PostgreSQL on 127.0.0.1:5432, user postgres, trust):

    .venv/bin/python bench/programme.py
    .venv/bin/python bench/programme.py --database-url postgres://postgres@127.0.0.1:5432/ \\
        --businesses 5000 --months 24 --runs 7

It creates a throwaway database (``kpi_bench_programme`` unless ``--database-name`` says
otherwise) on the server of the URL, dropped at the end, and fills it with bulk inserts: one
programme, cohorts in three countries, 5,000 businesses, each with four figures a month for
24 months (some of those still logging also the current month), three tracked KPIs and two
targets, 250 mentors for 60 % of them with comments on
their mentees, and then the per-business monthly summaries (``manage.py rebuild_summaries``'s
code). Then, with Django's test client, logged in as the coordinator, with production settings
(DEBUG off, over HTTPS), it times (medians, interleaved):

- the programme dashboard, read from the monthly summaries: the target is ≤ 300 ms, with the
  same number of queries as for a handful of businesses (the tests pin that number);
- the floor: a bench-only ``login_required`` page extending ``base.html`` with one heading,
  the cheapest logged-in page, as in ``bench/dashboard.py``;
- the alternatives, without HTTP: (a) the same per-business numbers aggregated straight from
  the entries in the database (months logged, first and last month, the revenues, the recent
  months) — everything but the verdicts, which the database cannot compute since the KPI
  formulas live in the Python engine; (b) the verdicts as the dashboard did before the
  summaries, a dashboard built per member, on a sample, scaled up to every business;
- the cost of the upkeep: one month saved through ``entries_save_month``, with and without the
  summary of the business redone in its transaction.
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from bench.harness import configure, floor_urlconf, postgres, postgres_urls  # noqa: E402

TARGET_MS = 300.0
COUNTRIES = {"be": 3, "fr": 3, "nl": 2}  # cohorts per country
MENTORS = 250
MENTORED_SHARE = 0.6
NAMED_SHARE = 0.1
CURRENT_SHARE = 0.2  # the chance that one logging to the end logged the current month too
TRACKED = ["revenue", "revenue_growth", "average_order_value"]
SAMPLE = 200  # businesses whose dashboards are built to time the old way


def _month_figures(rng: random.Random, index: int, size: float) -> dict[str, Decimal]:
    growth = 1 + index / 40
    orders = int(100 * size * growth * rng.uniform(0.8, 1.2)) + 1
    revenue = (Decimal(orders) * Decimal(rng.randint(2000, 4000)) / 100).quantize(Decimal("0.01"))
    return {
        "revenue": revenue,
        "orders": Decimal(orders),
        "cost_of_sales": (revenue * Decimal("0.45")).quantize(Decimal("0.01")),
        "new_customers": Decimal(max(1, orders // 4)),
    }


def _fill(businesses: int, months: int) -> tuple[int, int]:
    """The data set, in bulk; the coordinator's user id and the programme's id."""
    from django.utils import timezone

    from accounts.models import User
    from metrics.engine import add_months
    from metrics.models import (
        Business,
        Cohort,
        CohortMembership,
        Comment,
        Coordinator,
        Entry,
        Mentorship,
        Programme,
        Target,
        TrackedKpi,
    )
    from metrics.pages import last_complete_month

    rng = random.Random(16)
    last = last_complete_month()
    first = add_months(last, -(months - 1))
    unusable = "!"  # no password: nobody logs in as these, and hashing 5,000 would take minutes
    coordinator = User.objects.create_user(
        "coordinator@bench.example", secrets.token_urlsafe(16), name="Coordinator"
    )
    owners = User.objects.bulk_create(
        User(email=f"owner{i}@bench.example", name=f"Owner {i}", password=unusable)
        for i in range(businesses)
    )
    mentors = User.objects.bulk_create(
        User(email=f"mentor{i}@bench.example", name=f"Mentor {i}", password=unusable)
        for i in range(MENTORS)
    )
    countries = [c for c, n in COUNTRIES.items() for _ in range(n)]
    owned = Business.objects.bulk_create(
        Business(
            owner=owner,
            name=f"Business {i}",
            country=countries[i % len(countries)],
            sells="Things",
        )
        for i, owner in enumerate(owners)
    )
    programme = Programme.objects.create(
        name="Bench programme", countries=list(COUNTRIES), languages=["en"], start=first
    )
    Coordinator.objects.create(programme=programme, user=coordinator)
    cohorts = Cohort.objects.bulk_create(
        Cohort(programme=programme, name=f"{country.upper()} {i}", country=country)
        for i, country in enumerate(countries)
    )
    CohortMembership.objects.bulk_create(
        CohortMembership(
            cohort=cohorts[i % len(cohorts)],
            business=business,
            consent="named" if rng.random() < NAMED_SHARE else "aggregate",
        )
        for i, business in enumerate(owned)
    )
    TrackedKpi.objects.bulk_create(
        (
            TrackedKpi(business=business, kpi=code, position=position)
            for business in owned
            for position, code in enumerate(TRACKED)
        ),
        batch_size=5000,
    )
    Target.objects.bulk_create(
        (
            target
            for business in owned
            for target in (
                Target(
                    business=business,
                    kpi="revenue",
                    value=Decimal(rng.randint(2500, 4500)),
                    first_month=first,
                    deadline=add_months(last, 6),
                ),
                Target(
                    business=business,
                    kpi="revenue_growth",
                    value=Decimal(2),
                    first_month=add_months(first, 12),
                    deadline=add_months(last, 6),
                ),
            )
        ),
        batch_size=5000,
    )

    def entries() -> object:
        for business in owned:
            # Most log every month; some start late, some stop early.
            start = rng.choice([0, 0, 0, 0, 3, 8])
            stop = months - rng.choice([0, 0, 0, 0, 0, 1, 4])
            size = rng.uniform(0.5, 1.5)
            # Some have logged the current month already, after the last complete one.
            current = stop == months and rng.random() < CURRENT_SHARE
            for index in range(start, stop + current):
                month = add_months(first, index)
                for code, value in _month_figures(rng, index, size).items():
                    yield Entry(business=business, figure=code, month=month, value=value)

    batch: list[Entry] = []
    for entry in entries():  # type: ignore[attr-defined]  # a generator
        batch.append(entry)
        if len(batch) == 20000:
            Entry.objects.bulk_create(batch)
            batch = []
    Entry.objects.bulk_create(batch)
    mentored = rng.sample(owned, int(businesses * MENTORED_SHARE))
    Mentorship.objects.bulk_create(
        Mentorship(business=business, mentor=mentors[i % MENTORS])
        for i, business in enumerate(mentored)
    )
    now = timezone.now()
    Comment.objects.bulk_create(
        (
            Comment(
                business=business,
                author=mentors[i % MENTORS],
                on="month",
                subject="2026-01",
                body="Well done.",
            )
            for i, business in enumerate(mentored)
            for _ in range(rng.randint(0, 8))
        ),
        batch_size=5000,
    )
    # Spread the comments over the last year (``created`` is set on insert).
    comments = list(Comment.objects.values_list("pk", flat=True))
    Comment.objects.bulk_update(
        [Comment(pk=pk, created=now - timedelta(days=rng.randint(0, 365))) for pk in comments],
        ["created"],
        batch_size=5000,
    )
    return coordinator.pk, programme.pk


def _median_ms(timings: list[float]) -> float:
    return statistics.median(timings) * 1000


def _time(get: Callable[[], object], runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        get()
        timings.append(time.perf_counter() - started)
    return timings


def _from_entries(programme_id: int, last: date) -> int:
    """Alternative (a): the per-business numbers but the verdicts, straight from the entries."""
    from django.db.models import Count, Max, Min, Q

    from metrics.engine import add_months
    from metrics.models import CohortMembership, Entry
    from metrics.programmes.indicators import recent_months

    members = CohortMembership.objects.filter(
        cohort__programme_id=programme_id, left_at=None
    ).values("business_id")
    recent = {
        f"m{index}": Count("month", distinct=True, filter=Q(month=month))
        for index, month in enumerate(recent_months(last))
    }
    rows = list(
        Entry.objects.filter(business_id__in=members)
        .order_by()
        .values("business_id")
        .annotate(
            first=Min("month"),
            last=Max("month"),
            months=Count("month", distinct=True),
            revenue_now=Max("value", filter=Q(figure="revenue", month=last)),
            revenue_then=Max("value", filter=Q(figure="revenue", month=add_months(last, -12))),
            **recent,
        )
    )
    return len(rows)


def _from_summaries(programme_id: int, last: date) -> int:
    """What the page reads of the summaries: the same per-business numbers, and the verdicts."""
    from metrics.models import CohortMembership
    from metrics.programmes.selectors import _summaries

    members = CohortMembership.objects.filter(
        cohort__programme_id=programme_id, left_at=None
    ).values("business_id")
    return len(_summaries(members, last))


def _dashboards_per_member(programme_id: int, last: date, sample: int) -> int:
    """Alternative (b): the verdicts as the dashboard built them before, one board per member."""
    from django.db.models import Prefetch

    from metrics.businesses.selectors import business_engine, business_figures, target_rule
    from metrics.dashboard.build import build_dashboard
    from metrics.dashboard.cards import TargetInput
    from metrics.engine import PeriodKind, period_of
    from metrics.models import Business, Target

    businesses = Business.objects.filter(
        cohort_memberships__cohort__programme_id=programme_id
    ).prefetch_related(
        "custom_figures",
        "custom_kpis",
        "tracked_kpis",
        Prefetch("targets", queryset=Target.objects.select_related("goal")),
    )[:sample]
    boards = 0
    for business in businesses:
        build_dashboard(
            engine=business_engine(business),
            figures=business_figures(business),
            codes=[tracked.kpi for tracked in business.tracked_kpis.all()],
            targets=[TargetInput(target_rule(t), "") for t in business.targets.all()],
            period=period_of(last, PeriodKind.MONTH, business.fy_start),
            currency=business.currency,
            charts=False,
        )
        boards += 1
    return boards


def _save_cost(runs: int) -> tuple[float, float]:
    """One month saved with the summaries redone, and without (the refresher unset)."""
    from metrics.models import Business
    from metrics.models import summaries as summary_models
    from metrics.months.services import entries_save_month
    from metrics.pages import last_complete_month

    business = Business.objects.select_related("owner").order_by("pk").first()
    assert business is not None
    month = last_complete_month()
    values = [Decimal(1000 + i) for i in range(runs * 2 + 2)]

    def save() -> None:
        entries_save_month(
            business=business, month=month, values={"revenue": values.pop()}, user=business.owner
        )

    with_upkeep = _time(save, runs)
    kept = list(summary_models._refresh)
    summary_models._refresh.clear()
    try:
        without = _time(save, runs)
    finally:
        summary_models._refresh[:] = kept
    return _median_ms(with_upkeep), _median_ms(without)


def _run(options: argparse.Namespace, label: str) -> bool:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from accounts.models import User
    from metrics.models import BusinessMonth, Comment, Entry
    from metrics.pages import last_complete_month
    from metrics.programmes.summaries import summaries_rebuild

    urlconf = floor_urlconf()
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(ROOT_URLCONF=urlconf, STORAGES=storages):
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        coordinator_id, programme_id = _fill(options.businesses, options.months)
        filled = time.perf_counter() - started
        started = time.perf_counter()
        summaries = summaries_rebuild()
        summarised = time.perf_counter() - started
        # As autovacuum leaves a table some time after a bulk load: statistics and visibility.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        client = Client()
        client.force_login(User.objects.get(pk=coordinator_id))
        dashboard_url = f"/programmes/{programme_id}/"

        def fetch(url: str) -> Callable[[], bytes]:
            def get() -> bytes:
                response = client.get(url, secure=True)
                if response.status_code != 200:
                    raise SystemExit(f"{url} answered {response.status_code}")
                return response.content

            return get

        pages = {"dashboard": fetch(dashboard_url), "floor": fetch("/bench/floor/")}
        for get in pages.values():
            for _ in range(2):
                get()
        timings: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(options.runs):
            for name, get in pages.items():
                started = time.perf_counter()
                get()
                timings[name].append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as queries:
            html = pages["dashboard"]().decode()
        last = last_complete_month()
        entries_ms = _median_ms(_time(lambda: _from_entries(programme_id, last), options.runs))
        summaries_ms = _median_ms(_time(lambda: _from_summaries(programme_id, last), options.runs))
        sample = min(SAMPLE, options.businesses)
        boards_s = min(_time(lambda: _dashboards_per_member(programme_id, last, sample), 1))
        save_ms, save_without_ms = _save_cost(options.runs)
        counts = (Entry.objects.count(), BusinessMonth.objects.count(), Comment.objects.count())

    dashboard_ms = _median_ms(timings["dashboard"])
    floor_ms = _median_ms(timings["floor"])
    boards_ms = boards_s * 1000 * options.businesses / sample
    checks = [(f"programme dashboard ≤ {TARGET_MS:.0f} ms", dashboard_ms <= TARGET_MS)]
    print(
        f"Programme dashboard benchmark on {label}: {options.businesses} businesses × "
        f"{options.months} months, {sum(COUNTRIES.values())} cohorts in {len(COUNTRIES)} countries"
    )
    print(
        f"  data set: {counts[0]} entries, {counts[2]} comments, built in {filled:.1f} s; "
        f"{summaries} monthly summaries rebuilt in {summarised:.1f} s"
    )
    print(f"  runs: {options.runs} of each page, interleaved, after 2 warm-up requests each")
    print(f"  dashboard median: {dashboard_ms:8.1f} ms  (from the monthly summaries)")
    print(f"  floor median:     {floor_ms:8.1f} ms  (login_required page extending base.html)")
    print(f"  ratio:            {dashboard_ms / floor_ms:8.1f} ×")
    print(f"  dashboard SQL queries: {len(queries)}; page {len(html) / 1000:.0f} KB")
    print("  the alternatives, without HTTP:")
    print(
        f"    (a) from the entries in the database: {entries_ms:8.1f} ms for every number but "
        "the verdicts, which SQL cannot compute (KPI formulas are the Python engine's)"
    )
    print(
        f"        the same numbers and the verdicts from the summaries: {summaries_ms:8.1f} ms "
        "(the page's three queries of them)"
    )
    print(
        f"    (b) a dashboard per member for the verdicts: {boards_ms:8.0f} ms for "
        f"{options.businesses} (timed on {sample}: {boards_s * 1000:.0f} ms)"
    )
    print(
        f"  upkeep: a month saved in {save_ms:.1f} ms with its summaries redone, "
        f"{save_without_ms:.1f} ms without (median of {options.runs})"
    )
    for text, passed in checks:
        print(f"  {'PASS' if passed else 'FAIL'}  {text}")
    return all(passed for _text, passed in checks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/",
        help="the PostgreSQL server (default: %(default)s)",
    )
    parser.add_argument(
        "--database-name",
        default="kpi_bench_programme",
        help="the throwaway database created there and dropped (default: %(default)s)",
    )
    parser.add_argument("--businesses", type=int, default=5000)
    parser.add_argument("--months", type=int, default=24, help="13 or more")
    parser.add_argument("--runs", type=int, default=7, help="timed requests per page")
    options = parser.parse_args()
    # A year-on-year change and the growth target (from month 13) need more than a year.
    if options.months < 13:
        parser.error("--months must be 13 or more: the indicators compare with a year earlier")
    if options.businesses < 1 or options.runs < 1:
        parser.error("--businesses and --runs must be 1 or more")
    maintenance, bench_url = postgres_urls(options.database_url, options.database_name)
    postgres(maintenance, f"DROP DATABASE IF EXISTS {options.database_name}")
    postgres(maintenance, f"CREATE DATABASE {options.database_name}")
    try:
        configure(bench_url)
        passed = _run(options, f"PostgreSQL ({options.database_name})")
    finally:
        from django.db import connections

        connections.close_all()
        postgres(maintenance, f"DROP DATABASE IF EXISTS {options.database_name}")
    if not passed:
        sys.exit(1)


if __name__ == "__main__":
    main()
