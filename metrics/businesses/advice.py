"""Which KPIs suit a business, by how it sells."""

from __future__ import annotations

SUGGESTIONS: dict[str, tuple[str, ...]] = {
    # A shop or stall: footfall, how many buy, basket size, margin, happy regulars.
    "shop": (
        "visitors",
        "conversion_rate",
        "average_order_value",
        "revenue",
        "gross_margin",
        "net_income",
        "csat",
        "referral_rate",
    ),
    # An online shop: the same funnel, plus returns and the cost of winning customers.
    "online": (
        "visitors",
        "conversion_rate",
        "average_order_value",
        "return_rate",
        "cac",
        "revenue",
        "gross_margin",
        "email_open_rate",
    ),
    # Services: leads that turn into clients, how long that takes, and word of mouth.
    "services": (
        "leads",
        "lead_conversion_rate",
        "avg_sales_cycle_days",
        "new_customers",
        "revenue",
        "net_income",
        "csat",
        "referral_rate",
    ),
    # Subscriptions: recurring revenue, customers lost, and what a customer is worth.
    "subscription": (
        "mrr",
        "churn_rate",
        "retention_rate",
        "new_customers",
        "cac",
        "customer_lifetime_value",
        "ltv_to_cac",
        "net_burn",
    ),
}


def advice_for(channel: str) -> tuple[str, ...]:
    """The KPI codes suggested for a way of selling (an unknown way gets the shop's)."""
    return SUGGESTIONS.get(channel, SUGGESTIONS["shop"])
