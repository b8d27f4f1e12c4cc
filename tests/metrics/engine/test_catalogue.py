"""The catalogue matches kpi-reference.md §1 and §2 exactly, and reads well."""

from __future__ import annotations

import pytest
from django.utils.translation import override

from metrics.engine import (
    FIGURES,
    KPIS,
    Aggregation,
    Direction,
    Domain,
    Engine,
    ReasonKind,
    Stage,
    Unit,
    parse,
)
from metrics.engine.text import Message

# The contract's tables, copied by hand: code | unit | aggregation.
FIGURE_TABLE = """
visitors | count | sum
leads | count | sum
intro_calls | count | sum
new_customers | count | sum
customers_start | count | first
customers_end | count | last
customers_lost | count | sum
referrals | count | sum
orders | count | sum
units_sold | count | sum
units_returned | count | sum
revenue | money | sum
recurring_revenue | money | last
cost_of_sales | money | sum
operating_costs | money | sum
marketing_spend | money | sum
sales_spend | money | sum
ad_spend | money | sum
ad_revenue | money | sum
ad_impressions | count | sum
ad_clicks | count | sum
cash_in | money | sum
cash_out | money | sum
cash_end | money | last
emails_delivered | count | sum
emails_opened | count | sum
emails_clicked | count | sum
subscribers_new | count | sum
subscribers_lost | count | sum
followers_new | count | sum
posts | count | sum
interactions | count | sum
csat_responses | count | sum
csat_satisfied | count | sum
nps_promoters | count | sum
nps_passives | count | sum
nps_detractors | count | sum
deals_closed | count | sum
sales_cycle_days | days | sum
search_position | rank | mean
employee_satisfaction | score | mean
"""

# code | formula (with the contract's × and −) | unit | direction | stage | domain
KPI_TABLE = """
visitors | visitors | count | ↑ | acquisition | marketing
leads | leads | count | ↑ | acquisition | sales
ad_ctr | ad_clicks / ad_impressions × 100 | % | ↑ | acquisition | marketing
cpa | ad_spend / new_customers | money | ↓ | acquisition | marketing
cac | (marketing_spend + sales_spend) / new_customers | money | ↓ | acquisition | marketing
subscriber_growth | subscribers_new − subscribers_lost | count | ↑ | acquisition | marketing
followers_new | followers_new | count | ↑ | acquisition | marketing
search_position | search_position | rank | ↓ | acquisition | marketing
conversion_rate | orders / visitors × 100 | % | ↑ | activation | sales
lead_conversion_rate | new_customers / leads × 100 | % | ↑ | activation | sales
new_customers | new_customers | count | ↑ | activation | sales
avg_sales_cycle_days | sales_cycle_days / deals_closed | days | ↓ | activation | sales
retention_rate | (customers_end − new_customers) / customers_start × 100 | % | ↑ | retention | customer service
churn_rate | customers_lost / customers_start × 100 | % | ↓ | retention | customer service
return_rate | units_returned / units_sold × 100 | % | ↓ | retention | production
email_open_rate | emails_opened / emails_delivered × 100 | % | ↑ | retention | marketing
email_click_rate | emails_clicked / emails_delivered × 100 | % | ↑ | retention | marketing
csat | csat_satisfied / csat_responses × 100 | % | ↑ | retention | customer service
engagement_per_post | interactions / posts | count | ↑ | referral | marketing
referral_rate | referrals / new_customers × 100 | % | ↑ | referral | marketing
nps | (nps_promoters − nps_detractors) / (nps_promoters + nps_passives + nps_detractors) × 100 | score | ↑ | referral | customer service
revenue | revenue | money | ↑ | revenue | finance
revenue_growth | (revenue − previous(revenue)) / previous(revenue) × 100 | % | ↑ | revenue | finance
average_order_value | revenue / orders | money | ↑ | revenue | sales
revenue_per_customer | revenue / customers_end | money | ↑ | revenue | sales
gross_margin | (revenue − cost_of_sales) / revenue × 100 | % | ↑ | revenue | finance
net_income | revenue − cost_of_sales − operating_costs | money | ↑ | revenue | finance
net_margin | (revenue − cost_of_sales − operating_costs) / revenue × 100 | % | ↑ | revenue | finance
break_even_revenue | operating_costs / ((revenue − cost_of_sales) / revenue) | money | ↓ | revenue | finance
mrr | recurring_revenue | money | ↑ | revenue | finance
customer_lifetime_value | (revenue / customers_end) / (customers_lost / customers_start) | money | ↑ | revenue | finance
ltv_to_cac | customer_lifetime_value / cac | ratio | ↑ | revenue | finance
roas | ad_revenue / ad_spend | ratio | ↑ | revenue | marketing
marketing_roi | (ad_revenue − ad_spend) / ad_spend × 100 | % | ↑ | revenue | marketing
net_burn | (cash_out − cash_in) / months | money | ↓ | revenue | finance
runway_months | cash_end / ((cash_out − cash_in) / months) | months | ↑ | revenue | finance
employee_satisfaction | employee_satisfaction | score | ↑ | — | people
"""  # noqa: E501


def table(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.split("|")] for line in text.strip().splitlines()]


def test_figures_match_the_contract_in_its_order() -> None:
    rows = table(FIGURE_TABLE)
    assert list(FIGURES) == [code for code, _unit, _aggregation in rows]
    for code, unit, aggregation in rows:
        figure = FIGURES[code]
        assert figure.code == code
        assert (figure.unit, figure.aggregation) == (Unit(unit), Aggregation(aggregation))


def test_kpis_match_the_contract_in_its_order() -> None:
    rows = table(KPI_TABLE)
    assert list(KPIS) == [row[0] for row in rows]
    for code, formula, unit, direction, stage, domain in rows:
        kpi = KPIS[code]
        assert kpi.code == code
        assert kpi.formula == formula.replace("×", "*").replace("−", "-"), code
        assert kpi.unit == Unit("percent" if unit == "%" else unit)
        assert kpi.direction == (Direction.UP if direction == "↑" else Direction.DOWN)
        assert kpi.stage == (None if stage == "—" else Stage(stage))
        assert kpi.domain == Domain(domain.replace(" ", "_"))


def test_period_totals_are_the_kpis_that_grow_with_the_period() -> None:
    totals = {code for code, kpi in KPIS.items() if kpi.period_total}
    assert totals == {
        "visitors",
        "leads",
        "subscriber_growth",
        "followers_new",
        "new_customers",
        "revenue",
        "revenue_per_customer",
        "net_income",
        "break_even_revenue",
        "churn_rate",
    }


def test_guards() -> None:
    guarded = {code: kpi.guard for code, kpi in KPIS.items() if kpi.guard}
    assert set(guarded) == {"break_even_revenue", "runway_months"}
    assert guarded["break_even_revenue"].formula == "revenue - cost_of_sales"  # type: ignore[union-attr]
    assert guarded["break_even_revenue"].reason is ReasonKind.NO_BREAK_EVEN  # type: ignore[union-attr]
    assert guarded["runway_months"].formula == "cash_out - cash_in"  # type: ignore[union-attr]
    assert guarded["runway_months"].reason is ReasonKind.NOT_BURNING  # type: ignore[union-attr]


def test_every_formula_and_guard_parses_and_the_catalogue_has_no_cycle() -> None:
    for kpi in KPIS.values():
        parse(kpi.formula, FIGURES, KPIS)
        if kpi.guard:
            parse(kpi.guard.formula, FIGURES, KPIS)
    assert list(Engine.catalogue().kpis) == list(KPIS)


@pytest.mark.parametrize("definition", [*FIGURES.values(), *KPIS.values()], ids=str)
def test_names_and_descriptions_are_translatable_single_lines(definition: object) -> None:
    for text in (definition.name, definition.description):  # type: ignore[attr-defined]
        assert isinstance(text, Message)
        plain = str(text)
        assert plain.strip() == plain
        assert plain
        assert "\n" not in plain
        assert len(plain) <= 240


@pytest.mark.parametrize(
    ("code", "acronym"),
    [
        ("ad_ctr", "CTR"),
        ("cpa", "CPA"),
        ("cac", "CAC"),
        ("csat", "CSAT"),
        ("nps", "NPS"),
        ("mrr", "MRR"),
        ("roas", "ROAS"),
        ("marketing_roi", "ROI"),
        ("ltv_to_cac", "LTV"),
        ("customer_lifetime_value", "CLV"),
    ],
)
def test_acronyms_are_explained(code: str, acronym: str) -> None:
    name = str(KPIS[code].name)
    assert acronym in name
    assert "(" in name


def test_lifetime_value_says_it_is_per_period_length() -> None:
    assert "per period length" in str(KPIS["customer_lifetime_value"].description)


def test_employee_satisfaction_has_no_aarrr_stage() -> None:
    assert [code for code, kpi in KPIS.items() if kpi.stage is None] == ["employee_satisfaction"]


def test_enums_have_translated_labels_and_choices() -> None:
    with override("en"):
        assert Unit.MONEY.label == "Money"
        assert Direction.DOWN.label == "Lower is better"
        assert Stage.REVENUE.label == "Revenue"
        assert Domain.CUSTOMER_SERVICE.label == "Customer service"
        assert Aggregation.MEAN.label == "Average of the months"
    assert [value for value, _label in Unit.choices()] == [
        "count",
        "money",
        "percent",
        "days",
        "rank",
        "score",
        "ratio",
        "months",
    ]
    assert Unit("money") is Unit.MONEY
    assert Unit.MONEY == "money"
    for enum in (Unit, Aggregation, Direction, Stage, Domain):
        for member in enum:
            assert member.label
