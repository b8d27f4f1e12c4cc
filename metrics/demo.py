"""Plausible demo data: a home-made food business in Antwerp, with seasonal months, and the
members of a demo programme with a few months each."""

from __future__ import annotations

import random
from dataclasses import dataclass
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


@dataclass(frozen=True)
class DemoMember:
    """One entrepreneur of the demo programme and the business they joined it with."""

    email: str
    name: str
    language: str
    business: str
    sells: str
    sector: str
    cohort: str  # "be" (Antwerp) or "fr" (Lyon)
    consent: str  # "aggregate" or "named"
    revenue: int  # a typical month, in euros
    months: int  # how many months they have logged, up to last month


# Samira (the demo entrepreneur) is the twelfth, in Antwerp, named, with Marc as her mentor.
# Who|language|business|what it sells|sector|cohort|consent|€ in a month|months logged
_MEMBERS = """
Yonas Tesfaye|en|Yonas Bikes|Bike repairs, second-hand bikes|building|be|named|1800|9
Farah Rahimi|nl|Farah's Tailoring|Alterations, made-to-measure|crafts|be|named|1400|7
Oksana Melnyk|uk|Oksana Web Studio|Websites for small shops|digital|be|aggregate|2600|8
Karim Haddad|ar|Karim's Grocery|Middle-Eastern groceries|retail|be|aggregate|3900|10
Amina Yusuf|fr|Amina Braids|Hair braiding|beauty|be|named|1200|5
Hamid Noori|fr|Hamid Transport|Van deliveries for small firms|transport|fr|named|3100|9
Lina Aziz|ar|Lina's Pastries|Syrian pastries for cafés|food|fr|named|2200|6
Dawit Haile|en|Dawit Cleaning|Office cleaning|services|fr|aggregate|2800|8
Iryna Bondar|uk|Iryna Childcare|Childminding at home|care|fr|named|1600|4
Mariam Sadiq|ar|Mariam Henna|Henna for weddings and events|beauty|fr|aggregate|900|6
Youssef Benali|fr|Youssef Renovation|Painting and small repairs|building|fr|aggregate|3400|7
"""


def _member(line: str) -> DemoMember:
    name, language, business, sells, sector, cohort, consent, revenue, months = (
        cell.strip() for cell in line.split("|")
    )
    email = f"{name.split()[0].lower()}@demo.example"
    return DemoMember(
        email, name, language, business, sells, sector, cohort, consent, int(revenue), int(months)
    )


DEMO_MEMBERS = [_member(line) for line in _MEMBERS.strip().splitlines()]


def member_figures(
    member: DemoMember, last_month: date, seed: int
) -> dict[date, dict[str, Decimal]]:
    """A few plausible months for a programme member: revenue growing a little, with noise."""
    rng = random.Random(seed)
    figures: dict[date, dict[str, Decimal]] = {}
    first = add_months(last_month, -(member.months - 1))
    for index in range(member.months):
        month = add_months(first, index)
        revenue = member.revenue * (1 + 0.02 * index) * rng.uniform(0.88, 1.1)
        orders = max(5, int(revenue / rng.uniform(35, 60)))
        figures[month] = {
            "revenue": _money(revenue),
            "orders": Decimal(orders),
            "visitors": Decimal(int(orders * rng.uniform(3, 6))),
            "cost_of_sales": _money(revenue * rng.uniform(0.3, 0.45)),
            "operating_costs": _money(member.revenue * rng.uniform(0.35, 0.5)),
        }
    return figures
