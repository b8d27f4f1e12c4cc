"""The engine runs in a fresh interpreter with no Django settings, and loads neither Django nor
openpyxl: figures in, the whole catalogue out, in English."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

# Three months of a small shop. Worked out by hand:
# - revenue: Jan 1000, Feb 1200, Mar 1500; Q1 (sum) 3700.
# - gross_margin = (revenue − cost_of_sales) / revenue × 100: Jan (1000 − 400) / 1000 = 60;
#   Q1 (3700 − 1500) / 3700 = 59.459459…
# - revenue_growth: Feb (1200 − 1000) / 1000 = 20; Mar (1500 − 1200) / 1200 = 25; Jan has no
#   previous month.
# - churn_rate = customers_lost / customers_start × 100: Q1 (5 + 3 + 2) / 50 (the first month's
#   start) = 20.
# - retention_rate = (customers_end − new_customers) / customers_start × 100: Q1
#   (70, the last month's end, − 30) / 50 = 80.
SCRIPT = """
import json, sys
from datetime import date
from decimal import Decimal

from metrics.engine import KPIS, Engine, MonthlyFigures, PeriodKind, Unit, period_of

months = {
    date(2025, 1, 1): dict(revenue=1000, cost_of_sales=400, customers_start=50,
                           customers_lost=5, new_customers=10, customers_end=55),
    date(2025, 2, 1): dict(revenue=1200, cost_of_sales=600, customers_start=55,
                           customers_lost=3, new_customers=8, customers_end=60),
    date(2025, 3, 1): dict(revenue=1500, cost_of_sales=500, customers_start=60,
                           customers_lost=2, new_customers=12, customers_end=70),
}
data = MonthlyFigures({m: {k: Decimal(v) for k, v in row.items()} for m, row in months.items()})
periods = [period_of(m, PeriodKind.MONTH) for m in months]
periods.append(period_of(date(2025, 1, 1), PeriodKind.QUARTER))
series = Engine.catalogue().compute_series(data, periods)
out = {
    period.label: {
        code: str(result.value) if result.value is not None else result.reason.message()
        for code, result in results.items()
    }
    for period, results in series.items()
}
print(json.dumps({
    "results": out,
    "complete": all(list(results) == list(KPIS) for results in series.values()),
    "name": str(KPIS["gross_margin"].name),
    "label": Unit.MONEY.label,
    "loaded": sorted(
        name for name in sys.modules if name.split(".")[0] in ("django", "openpyxl")
    ),
}))
"""


@pytest.fixture(scope="module")
def report() -> dict:  # type: ignore[type-arg]
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_the_engine_computes_the_catalogue_without_django(report: dict) -> None:  # type: ignore[type-arg]
    assert report["loaded"] == []
    assert report["complete"]
    values = {
        (label, code): Decimal(report["results"][label][code])
        for label, code in [
            ("2025-01", "revenue"),
            ("2025-Q1", "revenue"),
            ("2025-01", "gross_margin"),
            ("2025-Q1", "gross_margin"),
            ("2025-02", "revenue_growth"),
            ("2025-03", "revenue_growth"),
            ("2025-Q1", "churn_rate"),
            ("2025-Q1", "retention_rate"),
        ]
    }
    assert values == {
        ("2025-01", "revenue"): 1000,
        ("2025-Q1", "revenue"): 3700,
        ("2025-01", "gross_margin"): 60,
        ("2025-Q1", "gross_margin"): Decimal(2200) / Decimal(3700) * 100,
        ("2025-02", "revenue_growth"): 20,
        ("2025-03", "revenue_growth"): 25,
        ("2025-Q1", "churn_rate"): 20,
        ("2025-Q1", "retention_rate"): 80,
    }


def test_without_a_translator_texts_are_english(report: dict) -> None:  # type: ignore[type-arg]
    results = report["results"]
    assert results["2025-01"]["revenue_growth"] == "No previous period to compare with"
    assert results["2025-01"]["cpa"] == "Missing figure: ad_spend for January 2025"
    assert report["name"] == "Gross margin"
    assert report["label"] == "Money"
