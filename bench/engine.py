"""Benchmark: every catalogue KPI over 36 months, 12 quarters and 3 years, median of many runs.

Run from the project folder: ``.venv/bin/python bench/engine.py``. It needs no database.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

TARGET_MS = 10.0
REPETITIONS = 50
MONTHS = 36


def plausible_figures(first: date, months: int, seed: int = 2025) -> dict[date, dict[str, Decimal]]:
    """Figures of a small shop that grows a little every month, with some noise."""
    from metrics.engine import add_months

    rng = random.Random(seed)
    customers = 80
    cash = Decimal(12000)
    data: dict[date, dict[str, Decimal]] = {}
    for index in range(months):
        month = add_months(first, index)
        growth = 1 + index / 40
        visitors = int(1500 * growth * rng.uniform(0.8, 1.2))
        orders = int(visitors * rng.uniform(0.02, 0.05))
        new = max(1, int(orders * rng.uniform(0.2, 0.4)))
        lost = int(customers * rng.uniform(0.02, 0.08))
        start, customers = customers, customers + new - lost
        revenue = Decimal(orders) * Decimal(rng.randint(2500, 4500)) / 100
        cost_of_sales = (revenue * Decimal("0.45")).quantize(Decimal("0.01"))
        marketing, sales = Decimal(rng.randint(200, 400)), Decimal(rng.randint(50, 150))
        operating = marketing + sales + Decimal(rng.randint(900, 1300))
        cash_in = revenue
        cash_out = cost_of_sales + operating
        cash += cash_in - cash_out
        delivered = rng.randint(400, 600)
        respondents = rng.randint(20, 40)
        promoters = rng.randint(5, 20)
        data[month] = {
            "visitors": Decimal(visitors),
            "leads": Decimal(rng.randint(20, 60)),
            "intro_calls": Decimal(rng.randint(5, 20)),
            "new_customers": Decimal(new),
            "customers_start": Decimal(start),
            "customers_end": Decimal(customers),
            "customers_lost": Decimal(lost),
            "referrals": Decimal(rng.randint(0, new)),
            "orders": Decimal(orders),
            "units_sold": Decimal(orders * rng.randint(1, 3)),
            "units_returned": Decimal(rng.randint(0, 5)),
            "revenue": revenue,
            "recurring_revenue": Decimal(rng.randint(300, 600)),
            "cost_of_sales": cost_of_sales,
            "operating_costs": operating,
            "marketing_spend": marketing,
            "sales_spend": sales,
            "ad_spend": marketing / 2,
            "ad_revenue": revenue / 4,
            "ad_impressions": Decimal(rng.randint(5000, 20000)),
            "ad_clicks": Decimal(rng.randint(50, 400)),
            "cash_in": cash_in,
            "cash_out": cash_out,
            "cash_end": cash,
            "emails_delivered": Decimal(delivered),
            "emails_opened": Decimal(int(delivered * rng.uniform(0.15, 0.35))),
            "emails_clicked": Decimal(int(delivered * rng.uniform(0.01, 0.05))),
            "subscribers_new": Decimal(rng.randint(5, 40)),
            "subscribers_lost": Decimal(rng.randint(0, 10)),
            "followers_new": Decimal(rng.randint(10, 80)),
            "posts": Decimal(rng.randint(4, 20)),
            "interactions": Decimal(rng.randint(50, 500)),
            "csat_responses": Decimal(respondents),
            "csat_satisfied": Decimal(rng.randint(10, respondents)),
            "nps_promoters": Decimal(promoters),
            "nps_passives": Decimal(rng.randint(2, 10)),
            "nps_detractors": Decimal(rng.randint(0, 8)),
            "deals_closed": Decimal(rng.randint(1, 8)),
            "sales_cycle_days": Decimal(rng.randint(20, 200)),
            "search_position": Decimal(rng.randint(3, 30)),
            "employee_satisfaction": Decimal(rng.randint(60, 90)) / 10,
        }
    return data


def main() -> None:
    """Time one full run (months, quarters and years together) and print the median."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from metrics.engine import Engine, MonthlyFigures, PeriodKind, add_months, periods_between

    first = date(2023, 1, 1)
    last = add_months(first, MONTHS - 1)
    data = MonthlyFigures(plausible_figures(first, MONTHS))
    engine = Engine.catalogue()
    kinds = [PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR]
    series = {kind: periods_between(first, last, kind) for kind in kinds}
    assert [len(series[kind]) for kind in kinds] == [36, 12, 3]

    timings = []
    for _ in range(REPETITIONS):
        started = time.perf_counter()
        for kind in kinds:
            engine.compute_series(data, series[kind])
        timings.append((time.perf_counter() - started) * 1000)

    results = sum(len(series[kind]) for kind in kinds) * len(engine.kpis)
    print(f"{results} KPI values per run, {REPETITIONS} runs")
    print(f"median: {statistics.median(timings):.2f} ms (min {min(timings):.2f} ms)")
    print(f"target: <= {TARGET_MS:.0f} ms on a 2-core machine")


if __name__ == "__main__":
    main()
