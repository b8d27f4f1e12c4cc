"""Small builders for engine tests."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from metrics.engine import MonthlyFigures, Period, PeriodKind, period_of


def month(year: int, number: int) -> date:
    """The first day of a month."""
    return date(year, number, 1)


def figures(rows: Mapping[date, Mapping[str, int | str | Decimal]]) -> MonthlyFigures:
    """MonthlyFigures from ints and decimal strings."""
    return MonthlyFigures(
        {
            first: {code: Decimal(str(value)) for code, value in values.items()}
            for first, values in rows.items()
        }
    )


def month_period(year: int, number: int) -> Period:
    """The period of one month."""
    return period_of(month(year, number), PeriodKind.MONTH)


def quarter(year: int, number: int, fy_start: int = 1) -> Period:
    """The calendar (or fiscal) quarter ``number`` of ``year``."""
    from metrics.engine import parse_period_label

    return parse_period_label(f"{year}-Q{number}", fy_start)


# One month of a small shop; every catalogue figure has a round value so KPIs work out by hand.
SHOP_MONTH: dict[str, int] = {
    "visitors": 1000,
    "leads": 40,
    "intro_calls": 10,
    "new_customers": 20,
    "customers_start": 100,
    "customers_end": 100,
    "customers_lost": 20,
    "referrals": 5,
    "orders": 50,
    "units_sold": 100,
    "units_returned": 10,
    "revenue": 2000,
    "recurring_revenue": 500,
    "cost_of_sales": 800,
    "operating_costs": 900,
    "marketing_spend": 600,
    "sales_spend": 400,
    "ad_spend": 500,
    "ad_revenue": 1500,
    "ad_impressions": 20000,
    "ad_clicks": 300,
    "cash_in": 1800,
    "cash_out": 2300,
    "cash_end": 6000,
    "emails_delivered": 500,
    "emails_opened": 150,
    "emails_clicked": 25,
    "subscribers_new": 30,
    "subscribers_lost": 8,
    "followers_new": 45,
    "posts": 12,
    "interactions": 360,
    "csat_responses": 40,
    "csat_satisfied": 32,
    "nps_promoters": 30,
    "nps_passives": 10,
    "nps_detractors": 10,
    "deals_closed": 4,
    "sales_cycle_days": 168,
    "search_position": 7,
    "employee_satisfaction": 8,
}
