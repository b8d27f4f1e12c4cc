"""Which KPIs suit a business, by how it sells: the starter sets, their reasons and examples.

The rule every starter set keeps (tests/metrics/businesses/test_advice.py checks it):

- 5 to 8 KPIs, all from the catalogue: few enough to act on (the material's "5 to 10 in all"),
  leaving room for one or two of the owner's own;
- one or more KPIs in each AARRR stage but Referral (Acquisition, Activation, Retention,
  Revenue), since a gap there hides where customers are lost; Referral may be absent, because
  word of mouth is hard to count for a young business;
- at most 3 KPIs in one stage and at most 3 in one business domain (the "2 or 3 per domain"
  rule of thumb), so that money does not crowd out the customer.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True, slots=True)
class Starter:
    """A suggested KPI and, in plain words, why it suits this way of selling."""

    kpi: str
    reason: Promise


STARTERS: dict[str, tuple[Starter, ...]] = {
    "shop": (
        Starter("visitors", _("You sell in a shop: count who comes in to see if people find you.")),
        Starter(
            "conversion_rate",
            _("You sell in a shop: conversion tells you how many visitors buy."),
        ),
        Starter("csat", _("Happy customers come back: a short survey tells you how they feel.")),
        Starter(
            "referral_rate",
            _("Many shop customers come because a friend told them: this counts them."),
        ),
        Starter("average_order_value", _("A bigger basket per customer means more money.")),
        Starter("revenue", _("Revenue shows, month by month, how much you sell.")),
        Starter(
            "gross_margin",
            _("Margin tells you what is left of each sale after paying for the goods."),
        ),
    ),
    "online": (
        Starter("visitors", _("You sell online: visitors tell you if people find your shop.")),
        Starter("cac", _("Adverts cost money: this tells you what each new customer costs.")),
        Starter(
            "conversion_rate",
            _("You sell online: conversion tells you how many visitors order."),
        ),
        Starter(
            "return_rate",
            _("Online, customers send products back: returns eat your profit."),
        ),
        Starter(
            "email_open_rate",
            _("Your newsletter brings buyers back if people open it."),
        ),
        Starter("average_order_value", _("A bigger basket per order means more money.")),
        Starter("revenue", _("Revenue shows, month by month, how much you sell.")),
        Starter(
            "gross_margin",
            _("Margin tells you what is left of each sale after the goods and the delivery."),
        ),
    ),
    "services": (
        Starter("leads", _("You sell services: every client starts as someone who asks.")),
        Starter(
            "lead_conversion_rate",
            _("This tells you how many of the people who ask become clients."),
        ),
        Starter(
            "avg_sales_cycle_days",
            _("Services take time to sell: this tells you how long a client takes to say yes."),
        ),
        Starter("csat", _("Satisfied clients come back and hire you again.")),
        Starter("referral_rate", _("Clients often find you through a recommendation.")),
        Starter("revenue", _("Revenue shows, month by month, how much you earn.")),
        Starter("net_income", _("Net income is what is left for you after all the costs.")),
    ),
    "subscription": (
        Starter("cac", _("This tells you what it costs to win one subscriber.")),
        Starter("new_customers", _("New subscribers each month show if you are growing.")),
        Starter(
            "churn_rate",
            _("You sell subscriptions: churn tells you how many subscribers you lose."),
        ),
        Starter("mrr", _("Monthly recurring revenue is the money you can count on each month.")),
        Starter(
            "customer_lifetime_value",
            _("This tells you what one subscriber brings in while they stay."),
        ),
        Starter(
            "ltv_to_cac",
            _("A subscriber should bring in 3 times or more what it costs to win them."),
        ),
    ),
}

# The KPI of the first target the guided start proposes, by way of selling: the one that
# answers "is the business paying its way?" soonest.
FIRST_TARGET: dict[str, str] = {
    "shop": "revenue",
    "online": "revenue",
    "services": "revenue",
    "subscription": "mrr",
}

# A sensible first target for a small new business, as the material's examples give them
# (conversion 5-10 %, CSAT 8 in 10, open rate 30 %, lead time 6 weeks, LTV:CAC of 3 ...).
EXAMPLE_TARGETS: dict[str, Decimal] = {
    "visitors": Decimal(500),
    "conversion_rate": Decimal(10),
    "csat": Decimal(80),
    "referral_rate": Decimal(20),
    "average_order_value": Decimal(25),
    "revenue": Decimal(2000),
    "gross_margin": Decimal(50),
    "cac": Decimal(50),
    "return_rate": Decimal(10),
    "email_open_rate": Decimal(30),
    "leads": Decimal(20),
    "lead_conversion_rate": Decimal(25),
    "avg_sales_cycle_days": Decimal(42),
    "net_income": Decimal(1000),
    "new_customers": Decimal(10),
    "churn_rate": Decimal(5),
    "mrr": Decimal(1000),
    "customer_lifetime_value": Decimal(500),
    "ltv_to_cac": Decimal(3),
}


def starters_for(channel: str) -> tuple[Starter, ...]:
    """The starter set for a way of selling (an unknown way gets the shop's)."""
    return STARTERS.get(channel, STARTERS["shop"])


def advice_for(channel: str) -> tuple[str, ...]:
    """The KPI codes suggested for a way of selling."""
    return tuple(starter.kpi for starter in starters_for(channel))


def reasons_for(channel: str) -> dict[str, str]:
    """Each suggested KPI's reason, in the active language."""
    return {starter.kpi: str(starter.reason) for starter in starters_for(channel)}
