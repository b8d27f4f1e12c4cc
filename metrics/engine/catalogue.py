"""The built-in figures and KPIs (kpi-reference.md §1 and §2), in the contract's order."""

from __future__ import annotations

from dataclasses import dataclass

from metrics.engine.results import ReasonKind
from metrics.engine.text import LabelledEnum, Message, pgettext_lazy
from metrics.engine.text import gettext_lazy as _

__all__ = [
    "FIGURES",
    "KPIS",
    "Aggregation",
    "Direction",
    "Domain",
    "FigureDef",
    "Guard",
    "KpiDef",
    "Stage",
    "Unit",
]


class Unit(LabelledEnum):
    COUNT = "count", _("Count")
    MONEY = "money", _("Money")
    PERCENT = "percent", _("Percent")
    DAYS = "days", _("Days")
    RANK = "rank", _("Rank")
    SCORE = "score", _("Score")
    RATIO = "ratio", _("Ratio")
    MONTHS = "months", _("Months")


class Aggregation(LabelledEnum):
    SUM = "sum", _("Sum of the months")
    LAST = "last", _("Value of the last month")
    FIRST = "first", _("Value of the first month")
    MEAN = "mean", _("Average of the months")


class Direction(LabelledEnum):
    UP = "up", _("Higher is better")
    DOWN = "down", _("Lower is better")


class Stage(LabelledEnum):
    ACQUISITION = "acquisition", pgettext_lazy("AARRR stage", "Acquisition")
    ACTIVATION = "activation", pgettext_lazy("AARRR stage", "Activation")
    RETENTION = "retention", pgettext_lazy("AARRR stage", "Retention")
    REFERRAL = "referral", pgettext_lazy("AARRR stage", "Referral")
    REVENUE = "revenue", pgettext_lazy("AARRR stage", "Revenue")


class Domain(LabelledEnum):
    MARKETING = "marketing", _("Marketing")
    SALES = "sales", _("Sales")
    PRODUCTION = "production", _("Production")
    CUSTOMER_SERVICE = "customer_service", _("Customer service")
    PEOPLE = "people", _("People")
    FINANCE = "finance", _("Finance")


@dataclass(frozen=True, slots=True)
class FigureDef:
    """A number entered per month, and how months roll up into a quarter or a year."""

    code: str
    name: Message | str
    description: Message | str
    unit: Unit
    aggregation: Aggregation


@dataclass(frozen=True, slots=True)
class Guard:
    """A second formula: the KPI is n/a with ``reason`` when the guard's value is zero or less."""

    formula: str
    reason: ReasonKind


@dataclass(frozen=True, slots=True)
class KpiDef:
    """An indicator computed from figures (and other KPIs) by a formula."""

    code: str
    name: Message | str
    description: Message | str
    formula: str
    unit: Unit
    direction: Direction
    stage: Stage | None
    domain: Domain
    period_total: bool = False
    guard: Guard | None = None


C, M, P, D = Unit.COUNT, Unit.MONEY, Unit.PERCENT, Unit.DAYS
RANK, SCORE, RATIO, MONTHS = Unit.RANK, Unit.SCORE, Unit.RATIO, Unit.MONTHS
SUM, LAST, FIRST, MEAN = Aggregation.SUM, Aggregation.LAST, Aggregation.FIRST, Aggregation.MEAN
UP, DOWN = Direction.UP, Direction.DOWN
ACQ, ACT, RET = Stage.ACQUISITION, Stage.ACTIVATION, Stage.RETENTION
REF, REV = Stage.REFERRAL, Stage.REVENUE
MKT, SAL, PRO = Domain.MARKETING, Domain.SALES, Domain.PRODUCTION
CUS, PEO, FIN = Domain.CUSTOMER_SERVICE, Domain.PEOPLE, Domain.FINANCE

# (code, unit, aggregation): kpi-reference.md §1, in its order.
_FIGURE_TABLE = [
    ("visitors", C, SUM),
    ("leads", C, SUM),
    ("intro_calls", C, SUM),
    ("new_customers", C, SUM),
    ("customers_start", C, FIRST),
    ("customers_end", C, LAST),
    ("customers_lost", C, SUM),
    ("referrals", C, SUM),
    ("orders", C, SUM),
    ("units_sold", C, SUM),
    ("units_returned", C, SUM),
    ("revenue", M, SUM),
    ("recurring_revenue", M, LAST),
    ("cost_of_sales", M, SUM),
    ("operating_costs", M, SUM),
    ("marketing_spend", M, SUM),
    ("sales_spend", M, SUM),
    ("ad_spend", M, SUM),
    ("ad_revenue", M, SUM),
    ("ad_impressions", C, SUM),
    ("ad_clicks", C, SUM),
    ("cash_in", M, SUM),
    ("cash_out", M, SUM),
    ("cash_end", M, LAST),
    ("emails_delivered", C, SUM),
    ("emails_opened", C, SUM),
    ("emails_clicked", C, SUM),
    ("subscribers_new", C, SUM),
    ("subscribers_lost", C, SUM),
    ("followers_new", C, SUM),
    ("posts", C, SUM),
    ("interactions", C, SUM),
    ("csat_responses", C, SUM),
    ("csat_satisfied", C, SUM),
    ("nps_promoters", C, SUM),
    ("nps_passives", C, SUM),
    ("nps_detractors", C, SUM),
    ("deals_closed", C, SUM),
    ("sales_cycle_days", D, SUM),
    ("search_position", RANK, MEAN),
    ("employee_satisfaction", SCORE, MEAN),
]

_FIGURE_TEXT = {
    "visitors": (_("Visitors"), _("Different people who visited your website or shop.")),
    "leads": (
        _("Leads"),
        _("People who showed interest: an enquiry, a booked call, a place on a waiting list."),
    ),
    "intro_calls": (_("Intro calls"), _("First or sales conversations that you held.")),
    "new_customers": (_("New customers"), _("Customers who bought from you for the first time.")),
    "customers_start": (
        _("Customers at the start"),
        _("Customers you had at the start of the month."),
    ),
    "customers_end": (_("Customers at the end"), _("Customers you had at the end of the month.")),
    "customers_lost": (_("Customers lost"), _("Customers who stopped buying from you.")),
    "referrals": (
        _("Referrals"),
        _("New customers who came because someone recommended you."),
    ),
    "orders": (_("Orders"), _("Sales, orders or purchases.")),
    "units_sold": (_("Products sold"), _("How many products you sold.")),
    "units_returned": (_("Products returned"), _("How many products customers sent back.")),
    "revenue": (_("Revenue"), _("Money received from sales.")),
    "recurring_revenue": (
        _("Recurring revenue"),
        _("Subscription money you receive every month, as it stands at the end of the month."),
    ),
    "cost_of_sales": (
        _("Cost of sales"),
        _("Costs that grow with your sales: materials, stock you bought, delivery."),
    ),
    "operating_costs": (
        _("Operating costs"),
        _("All your other costs: rent, wages, tools, insurance, marketing and sales."),
    ),
    "marketing_spend": (
        _("Marketing spend"),
        _("Money spent on marketing (part of operating costs)."),
    ),
    "sales_spend": (_("Sales spend"), _("Money spent on selling (part of operating costs).")),
    "ad_spend": (_("Advertising spend"), _("Money spent on adverts (part of marketing spend).")),
    "ad_revenue": (
        _("Advertising revenue"),
        _("Revenue from sales that your adverts brought in."),
    ),
    "ad_impressions": (_("Ad views"), _("How many times one of your adverts was shown.")),
    "ad_clicks": (_("Ad clicks"), _("How many times people clicked on one of your adverts.")),
    "cash_in": (_("Cash in"), _("Money that came into your accounts.")),
    "cash_out": (_("Cash out"), _("Money that went out of your accounts.")),
    "cash_end": (_("Cash at the end"), _("Money in the bank at the end of the month.")),
    "emails_delivered": (_("Emails delivered"), _("Newsletter emails that reached an inbox.")),
    "emails_opened": (
        _("Emails opened"),
        _("People who opened a newsletter email, each counted once."),
    ),
    "emails_clicked": (
        _("Emails clicked"),
        _("People who clicked a link in a newsletter email, each counted once."),
    ),
    "subscribers_new": (_("New subscribers"), _("People who signed up for your newsletter.")),
    "subscribers_lost": (_("Unsubscribes"), _("People who stopped your newsletter.")),
    "followers_new": (_("New followers"), _("New followers on social media.")),
    "posts": (_("Posts"), _("Social-media posts that you published.")),
    "interactions": (_("Interactions"), _("Likes, shares and comments on your posts.")),
    "csat_responses": (_("Survey answers"), _("Answers to your customer satisfaction survey.")),
    "csat_satisfied": (
        _("Satisfied answers"),
        _("Survey answers of 4 or 5 on a scale from 1 to 5."),
    ),
    "nps_promoters": (
        _("Promoters"),
        _("Answers of 9 or 10 to “Would you recommend us?” (scale 0 to 10)."),
    ),
    "nps_passives": (_("Passives"), _("Answers of 7 or 8 to “Would you recommend us?”.")),
    "nps_detractors": (_("Detractors"), _("Answers of 0 to 6 to “Would you recommend us?”.")),
    "deals_closed": (_("Deals closed"), _("Deals that you won.")),
    "sales_cycle_days": (
        _("Sales cycle days"),
        _("Days from first contact to closing, added up over the deals closed."),
    ),
    "search_position": (
        _("Search position"),
        _("Your place in search results for your main keyword (1 is the top)."),
    ),
    "employee_satisfaction": (
        _("Staff satisfaction"),
        _("Average score of your staff survey, from 0 to 10."),
    ),
}

FIGURES: dict[str, FigureDef] = {
    code: FigureDef(code, *_FIGURE_TEXT[code], unit, aggregation)
    for code, unit, aggregation in _FIGURE_TABLE
}

# (code, formula, unit, direction, stage, domain): kpi-reference.md §2, in its order.
_KPI_TABLE = [
    ("visitors", "visitors", C, UP, ACQ, MKT),
    ("leads", "leads", C, UP, ACQ, SAL),
    ("ad_ctr", "ad_clicks / ad_impressions * 100", P, UP, ACQ, MKT),
    ("cpa", "ad_spend / new_customers", M, DOWN, ACQ, MKT),
    ("cac", "(marketing_spend + sales_spend) / new_customers", M, DOWN, ACQ, MKT),
    ("subscriber_growth", "subscribers_new - subscribers_lost", C, UP, ACQ, MKT),
    ("followers_new", "followers_new", C, UP, ACQ, MKT),
    ("search_position", "search_position", RANK, DOWN, ACQ, MKT),
    ("conversion_rate", "orders / visitors * 100", P, UP, ACT, SAL),
    ("lead_conversion_rate", "new_customers / leads * 100", P, UP, ACT, SAL),
    ("new_customers", "new_customers", C, UP, ACT, SAL),
    ("avg_sales_cycle_days", "sales_cycle_days / deals_closed", D, DOWN, ACT, SAL),
    (
        "retention_rate",
        "(customers_end - new_customers) / customers_start * 100",
        P,
        UP,
        RET,
        CUS,
    ),
    ("churn_rate", "customers_lost / customers_start * 100", P, DOWN, RET, CUS),
    ("return_rate", "units_returned / units_sold * 100", P, DOWN, RET, PRO),
    ("email_open_rate", "emails_opened / emails_delivered * 100", P, UP, RET, MKT),
    ("email_click_rate", "emails_clicked / emails_delivered * 100", P, UP, RET, MKT),
    ("csat", "csat_satisfied / csat_responses * 100", P, UP, RET, CUS),
    ("engagement_per_post", "interactions / posts", C, UP, REF, MKT),
    ("referral_rate", "referrals / new_customers * 100", P, UP, REF, MKT),
    (
        "nps",
        "(nps_promoters - nps_detractors) / (nps_promoters + nps_passives + nps_detractors) * 100",
        SCORE,
        UP,
        REF,
        CUS,
    ),
    ("revenue", "revenue", M, UP, REV, FIN),
    (
        "revenue_growth",
        "(revenue - previous(revenue)) / previous(revenue) * 100",
        P,
        UP,
        REV,
        FIN,
    ),
    ("average_order_value", "revenue / orders", M, UP, REV, SAL),
    ("revenue_per_customer", "revenue / customers_end", M, UP, REV, SAL),
    ("gross_margin", "(revenue - cost_of_sales) / revenue * 100", P, UP, REV, FIN),
    ("net_income", "revenue - cost_of_sales - operating_costs", M, UP, REV, FIN),
    (
        "net_margin",
        "(revenue - cost_of_sales - operating_costs) / revenue * 100",
        P,
        UP,
        REV,
        FIN,
    ),
    (
        "break_even_revenue",
        "operating_costs / ((revenue - cost_of_sales) / revenue)",
        M,
        DOWN,
        REV,
        FIN,
    ),
    ("mrr", "recurring_revenue", M, UP, REV, FIN),
    (
        "customer_lifetime_value",
        "(revenue / customers_end) / (customers_lost / customers_start)",
        M,
        UP,
        REV,
        FIN,
    ),
    ("ltv_to_cac", "customer_lifetime_value / cac", RATIO, UP, REV, FIN),
    ("roas", "ad_revenue / ad_spend", RATIO, UP, REV, MKT),
    ("marketing_roi", "(ad_revenue - ad_spend) / ad_spend * 100", P, UP, REV, MKT),
    ("net_burn", "(cash_out - cash_in) / months", M, DOWN, REV, FIN),
    ("runway_months", "cash_end / ((cash_out - cash_in) / months)", MONTHS, UP, REV, FIN),
    ("employee_satisfaction", "employee_satisfaction", SCORE, UP, None, PEO),
]

# Totals over the period: they grow with its length, so a quarter's target is three months' worth.
_PERIOD_TOTALS = frozenset(
    (
        "visitors",
        "leads",
        "subscriber_growth",
        "followers_new",
        "new_customers",
        "revenue",
        "revenue_per_customer",
        "net_income",
        "break_even_revenue",
        # Customers lost pile up over the months while the customers at the start stay put,
        # so a quarter's churn is about three months' churn: targets add up like totals.
        "churn_rate",
    )
)

_GUARDS = {
    "break_even_revenue": Guard("revenue - cost_of_sales", ReasonKind.NO_BREAK_EVEN),
    "runway_months": Guard("cash_out - cash_in", ReasonKind.NOT_BURNING),
}

_KPI_TEXT = {
    "visitors": (
        _("Visitors"),
        _("How many different people visited your website or shop in the period."),
    ),
    "leads": (_("Leads"), _("How many people showed interest in what you sell in the period.")),
    "ad_ctr": (
        _("Ad CTR (click-through rate)"),
        _("Out of every 100 times an advert was shown, how many times someone clicked on it."),
    ),
    "cpa": (
        _("CPA (cost per acquisition)"),
        _("Advertising spend divided by the new customers won in the same period."),
    ),
    "cac": (
        _("CAC (customer acquisition cost)"),
        _("Marketing and sales spend divided by the new customers won in the same period."),
    ),
    "subscriber_growth": (
        _("Subscriber growth"),
        _("New newsletter subscribers minus unsubscribes; below zero means the list shrank."),
    ),
    "followers_new": (
        _("New followers"),
        _("How many new followers you won on social media in the period."),
    ),
    "search_position": (
        _("Search position"),
        _("Your average place in search results over the period's months (1 is the top)."),
    ),
    "conversion_rate": (
        _("Conversion rate"),
        _(
            "Orders for every 100 visitors. It counts orders, not people, "
            "so a customer who orders twice counts twice."
        ),
    ),
    "lead_conversion_rate": (
        _("Lead conversion rate"),
        _(
            "New customers for every 100 leads in the same period; leads from an earlier period "
            "who buy now count too."
        ),
    ),
    "new_customers": (
        _("New customers"),
        _("How many people bought from you for the first time in the period."),
    ),
    "avg_sales_cycle_days": (
        _("Average sales cycle"),
        _("Average days from first contact to a won deal, over the deals closed in the period."),
    ),
    "retention_rate": (
        _("Retention rate"),
        _(
            "Customers you kept: customers at the end minus new customers, for every 100 "
            "customers at the start."
        ),
    ),
    "churn_rate": (
        _("Churn rate"),
        _(
            "Customers lost in the period for every 100 customers at the start of the period. "
            "Over a quarter or a year it adds up the months' losses, so it is compared with "
            "the monthly targets added up."
        ),
    ),
    "return_rate": (
        _("Return rate"),
        _(
            "Products returned for every 100 products sold in the period; returns of earlier "
            "sales count too."
        ),
    ),
    "email_open_rate": (
        _("Email open rate"),
        _("Out of every 100 newsletter emails delivered, how many were opened."),
    ),
    "email_click_rate": (
        _("Email click rate"),
        _("Out of every 100 newsletter emails delivered, how many led to a click."),
    ),
    "csat": (
        _("CSAT (customer satisfaction score)"),
        _("Out of every 100 survey answers, how many were 4 or 5 on a scale from 1 to 5."),
    ),
    "engagement_per_post": (
        _("Engagement per post"),
        _("Average likes, shares and comments for each social-media post."),
    ),
    "referral_rate": (
        _("Referral rate"),
        _("Out of every 100 new customers, how many came through a recommendation."),
    ),
    "nps": (
        _("NPS (Net Promoter Score)"),
        _("Promoters minus detractors, for every 100 answers; from -100 to +100."),
    ),
    "revenue": (_("Revenue"), _("Money received from sales in the period.")),
    "revenue_growth": (
        _("Revenue growth"),
        _(
            "Change in revenue compared with the period of the same length just before, "
            "in percent; none when that revenue was 0."
        ),
    ),
    "average_order_value": (
        _("Average order value"),
        _("Revenue divided by the number of orders."),
    ),
    "revenue_per_customer": (
        _("Revenue per customer"),
        _(
            "Revenue divided by the customers at the end of the period; over a quarter or a year "
            "it adds up, like revenue."
        ),
    ),
    "gross_margin": (
        _("Gross margin"),
        _("What is left of every 100 of revenue after paying the cost of sales."),
    ),
    "net_income": (
        _("Net income"),
        _("Revenue minus the cost of sales and all other costs: what is left for you."),
    ),
    "net_margin": (_("Net margin (net income ratio)"), _("Net income for every 100 of revenue.")),
    "break_even_revenue": (
        _("Break-even revenue"),
        _(
            "The revenue you need in the period to cover your operating costs at your current "
            "gross margin; none when the margin is zero or negative."
        ),
    ),
    "mrr": (
        _("MRR (monthly recurring revenue)"),
        _("Subscription money you receive each month, as it stands at the end of the period."),
    ),
    "customer_lifetime_value": (
        _("Customer lifetime value (CLV)"),
        _(
            "Revenue per customer divided by the churn rate as a fraction: what a customer brings "
            "in while they stay. It is a value per period length, so compare months with months "
            "and quarters with quarters."
        ),
    ),
    "ltv_to_cac": (
        _("LTV to CAC (lifetime value to acquisition cost)"),
        _(
            "Customer lifetime value divided by what it costs to win a customer; "
            "3 or more is usually healthy."
        ),
    ),
    "roas": (_("ROAS (return on ad spend)"), _("Revenue from adverts for each 1 spent on them.")),
    "marketing_roi": (
        _("Marketing ROI (return on investment)"),
        _(
            "Advertising revenue minus advertising spend, for every 100 spent; it uses revenue, "
            "not profit, so it ignores what the products cost you."
        ),
    ),
    "net_burn": (
        _("Net burn (per month)"),
        _(
            "Cash paid out minus cash received, per month on average over the period; below zero "
            "means your cash grew."
        ),
    ),
    "runway_months": (
        _("Runway (months)"),
        _(
            "How many months the cash in the bank lasts at the current net burn; none when you "
            "are not burning cash."
        ),
    ),
    "employee_satisfaction": (
        _("Staff satisfaction"),
        _("Average staff-survey score over the period's months, from 0 to 10."),
    ),
}

KPIS: dict[str, KpiDef] = {
    code: KpiDef(
        code,
        *_KPI_TEXT[code],
        formula=formula,
        unit=unit,
        direction=direction,
        stage=stage,
        domain=domain,
        period_total=code in _PERIOD_TOTALS,
        guard=_GUARDS.get(code),
    )
    for code, formula, unit, direction, stage, domain in _KPI_TABLE
}
