"""Plausible demo data: a home-made food business in Antwerp, with seasonal months."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from metrics.engine.periods import add_months

DEMO_KPIS = [
    ("revenue", "It tells me whether the business can pay me a salary."),
    ("gross_margin", "Ingredients got more expensive; I want to see if my prices still work."),
    ("net_income", "What is left for me after all costs."),
    ("average_order_value", "Catering orders are bigger than stall sales."),
    ("conversion_rate", "How many people at the stall actually buy."),
    ("churn_rate", "Regular customers are the heart of the business."),
    ("cac", "Flyers and Instagram ads cost money: are they worth it?"),
    ("csat", "Happy customers come back and tell their friends."),
]

# Busy in summer (markets) and December (catering), quiet in January and February.
_SEASON = {1: 0.70, 2: 0.75, 3: 0.90, 4: 1.0, 5: 1.10, 6: 1.20, 7: 1.25, 8: 1.20, 9: 1.05,
           10: 0.95, 11: 1.0, 12: 1.35}  # fmt: skip


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def demo_figures(
    last_month: date, months: int = 24, seed: int = 7
) -> dict[date, dict[str, Decimal]]:
    """Return ``months`` months of figures ending with ``last_month``, growing slowly."""
    rng = random.Random(seed)
    first = add_months(last_month, -(months - 1))
    figures: dict[date, dict[str, Decimal]] = {}
    customers = 60
    cash = 2500.0
    for index in range(months):
        month = add_months(first, index)
        season = _SEASON[month.month]
        growth = 1 + index * 0.012
        visitors = int(900 * season * growth * rng.uniform(0.92, 1.08))
        orders = int(visitors * rng.uniform(0.16, 0.2))
        order_value = 13.5 * rng.uniform(0.95, 1.06) * (1.1 if month.month == 12 else 1)
        revenue = orders * order_value
        cost_of_sales = revenue * rng.uniform(0.36, 0.42)
        marketing = 120 + rng.choice([0, 0, 60, 150])
        sales = 40.0
        operating = 1100 + marketing + sales + rng.uniform(-40, 60)
        new_customers = max(4, int(orders * rng.uniform(0.05, 0.08)))
        lost = max(1, int(customers * rng.uniform(0.04, 0.09)))
        start = customers
        customers = start + new_customers - lost
        responses = rng.randint(18, 30)
        satisfied = int(responses * rng.uniform(0.8, 0.93))
        cash_in = revenue * rng.uniform(0.97, 1.0)
        cash_out = cost_of_sales + operating
        cash += cash_in - cash_out
        figures[month] = {
            "visitors": Decimal(visitors),
            "orders": Decimal(orders),
            "revenue": _money(revenue),
            "cost_of_sales": _money(cost_of_sales),
            "operating_costs": _money(operating),
            "marketing_spend": _money(marketing),
            "sales_spend": _money(sales),
            "new_customers": Decimal(new_customers),
            "customers_start": Decimal(start),
            "customers_end": Decimal(customers),
            "customers_lost": Decimal(lost),
            "referrals": Decimal(rng.randint(1, max(1, new_customers // 2))),
            "csat_responses": Decimal(responses),
            "csat_satisfied": Decimal(satisfied),
            "cash_in": _money(cash_in),
            "cash_out": _money(cash_out),
            "cash_end": _money(cash),
        }
    return figures
