"""The entrepreneur's month, end to end: set up, choose KPIs, set a target, log, read."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from metrics.engine.periods import add_months
from metrics.models.business import Business, TrackedKpi
from metrics.models.entries import Entry
from metrics.models.goals import Target
from metrics.pages import last_complete_month
from tests.base import PASSWORD
from tests.browser.conftest import axe_violations, screenshot

# The decimal comma is typed as a French or Dutch speaker would.
REVENUE = {"fr": "1 250,50", "nl": "1.250,50"}
# Last month's revenue of 1,100 as each language writes money.
SHOWN = {"fr": "1\u00a0100,00\u00a0€", "nl": "€\u00a01.100,00"}


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_new_entrepreneur_sets_up_logs_three_months_and_reads_the_dashboard(
    page: Page, language: str
) -> None:
    User.objects.create_user(
        "yonas@example.org", PASSWORD, language=language, country="be", region="wallonia"
    )
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("yonas@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)

    # Set up the business on the full form (the guided start has its own test): country and
    # region come from the flag.
    page.goto("/b/new/")
    expect(page.locator("#id_country")).to_have_value("be")
    expect(page.locator("#id_region")).to_have_value("wallonia")
    page.locator("#id_name").fill("Yonas Vélos")
    page.locator("#id_sells").fill("Bike repairs")
    page.locator("main form button[type=submit]").click()
    business = Business.objects.get(owner__email="yonas@example.org")
    assert (business.country, business.region, business.currency) == ("be", "wallonia", "EUR")
    assert axe_violations(page) == []
    screenshot(page, f"kpi-chooser-{language}")

    # Choose two KPIs, with a reason for one: the suggestions come ticked, so untick them first.
    ticked = page.locator("input[name=kpi]:checked")
    for code in [ticked.nth(i).get_attribute("value") for i in range(ticked.count())]:
        page.locator(f"#kpi-{code}").uncheck()
    page.locator("#kpi-revenue").check()
    page.locator("#kpi-conversion_rate").check()
    page.locator("#why-revenue").fill("Pour me verser un salaire")
    page.locator("main form button[type=submit]").first.click()
    assert set(TrackedKpi.objects.filter(business=business).values_list("kpi", flat=True)) == {
        "revenue",
        "conversion_rate",
    }

    # A target: at least 1,000 of revenue a month, from three months ago.
    last = last_complete_month()
    first = add_months(last, -2)
    page.goto(f"/b/{business.pk}/targets/new/")
    page.locator("#id_kpi").select_option("revenue")
    page.locator("#id_value").fill("1000")
    page.locator("#id_first_month").fill(first.strftime("%Y-%m"))
    page.locator("#id_deadline").fill(add_months(last, 6).strftime("%Y-%m"))
    page.locator("main form button[type=submit]").click()
    assert Target.objects.get(business=business).first_month == first
    assert axe_violations(page) == []

    # Three months: one with a decimal comma, one with a blank (orders not known).
    months = [first, add_months(first, 1), last]
    values = [
        {"visitors": "400", "orders": "40", "revenue": REVENUE[language]},
        {"visitors": "380", "orders": "", "revenue": "990"},
        {"visitors": "500", "orders": "60", "revenue": "1100"},
    ]
    for month, figures in zip(months, values, strict=True):
        page.goto(f"/b/{business.pk}/months/{month:%Y-%m}/")
        for code, text in figures.items():
            field = page.locator(f"#id_{code}")
            expect(field).to_have_attribute("inputmode", "decimal")
            field.fill(text)
        page.locator("button[name=then][value=months]").click()
        expect(page.locator(".alert-success, [role=status]").first).to_be_visible()
    stored = {
        (entry.month, entry.figure): entry.value
        for entry in Entry.objects.filter(business=business)
    }
    assert stored[(first, "revenue")] == pytest.approx(1250.5)
    assert (months[1], "orders") not in stored
    assert stored[(last, "orders")] == 60

    # The dashboard: a drawn chart with the target line, and a verdict for last month.
    page.goto(f"/b/{business.pk}/")
    revenue_card = page.locator("article.kpi-card", has=page.locator("#kpi-revenue"))
    expect(revenue_card.locator(".kpi-chart svg.main-svg").first).to_be_visible()
    # 1,100 ≥ 1,000 expected: on track.
    expect(revenue_card.locator(".verdict-on_track")).to_be_visible()
    # The legend names the actual values and the target line.
    assert revenue_card.locator(".legendtext").count() >= 2
    expect(revenue_card.locator(".kpi-value")).to_have_text(SHOWN[language])
    assert axe_violations(page) == []
    screenshot(page, f"entrepreneur-dashboard-{language}")


def test_the_dashboard_fits_a_phone_screen(browser, live_server, transactional_db) -> None:
    from io import StringIO

    from django.core.management import call_command

    from metrics.management.commands.load_demo import ENTREPRENEUR
    from metrics.management.commands.load_demo import PASSWORD as DEMO_PASSWORD

    call_command("load_demo", stdout=StringIO())
    context = browser.new_context(viewport={"width": 360, "height": 780}, base_url=live_server.url)
    phone = context.new_page()
    phone.goto("/accounts/login/")
    phone.locator("#id_username").fill(ENTREPRENEUR)
    phone.locator("#id_password").fill(DEMO_PASSWORD)
    phone.locator("main form button[type=submit]").click()
    phone.goto("/b/")
    # Charts are drawn as they come near the screen: scroll through the whole page.
    for _ in range(30):
        phone.mouse.wheel(0, 600)
        phone.wait_for_timeout(50)
    expect(phone.locator(".kpi-chart svg.main-svg").first).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 360


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_set_up_pages_have_no_serious_accessibility_problems(page: Page, language: str) -> None:
    owner = User.objects.create_user("amal@example.org", PASSWORD, language=language, country="fr")
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(owner.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto("/b/new/")
    assert axe_violations(page) == [], "business form"
    # An empty form: the error summary must be accessible too.
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    assert axe_violations(page) == [], "business form with errors"
    business = Business.objects.create(
        owner=owner, name="Amal", country="fr", sells="Food", channel="online"
    )
    for path in (
        f"/b/{business.pk}/settings/",
        f"/b/{business.pk}/kpis/new/",
        f"/b/{business.pk}/figures/new/",
        f"/b/{business.pk}/goals/",
        f"/b/{business.pk}/goals/new/",
    ):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert axe_violations(page) == [], path
    screenshot(page, f"goal-form-{language}")
