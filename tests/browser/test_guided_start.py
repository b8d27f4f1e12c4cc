"""From sign-up to a first dashboard on a 360-px phone, in French and in Arabic (issue 12)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from metrics.models.business import Business, StartStep
from metrics.models.entries import Entry
from metrics.models.goals import Target
from tests.browser.conftest import PHONE, axe_violations

# Looked at by hand before the work is handed in; not kept in the repository.
SHOTS = Path("/tmp/h12-start-shots")

CASES = {
    # language: (country in the flag, region chosen on the business page, way of selling)
    "fr": ("fr", None, "shop"),
    "ar": ("be", "brussels", "services"),
}
# Figures typed on the month page; any other asked figure gets 10.
FIGURES = {"revenue": "1 250,50", "visitors": "400", "orders": "40", "cost_of_sales": "500"}


def _check(page: Page, shot: str | None = None) -> None:
    """Axe finds nothing serious, nothing is wider than the phone, and a screenshot is kept."""
    assert axe_violations(page) == [], page.url
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"
    if shot:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)


def _continue(page: Page) -> None:
    """Send the page's form with its main button and wait for the next page."""
    with page.expect_navigation():
        page.locator("main form button.btn-primary").first.click()


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_newcomer_goes_from_sign_up_to_a_dashboard_on_a_phone(
    browser: Browser, live_server, transactional_db, language: str
) -> None:
    country, region, channel = CASES[language]
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # The language and the flag, then the two-step sign-up: name and address, then the link
    # from the email.
    page.goto("/")
    page.locator("details.switcher").nth(0).locator("summary").click()
    page.locator(f"button[name=language][value={language}]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("details.switcher").nth(1).locator("summary").click()
    page.locator(f"button[name=country][value={country}]").click()
    page.goto("/accounts/signup/")
    page.locator("#id_name").fill("Samira")
    page.locator("#id_email").fill(f"samira-{language}@example.org")
    page.locator("main form button[type=submit]").click()
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.locator("#id_password").fill("tulips in antwerp")
    page.locator("main form button[type=submit]").click()

    # 1. The business: the flag's country is filled in.
    expect(page.locator("#step-count")).to_contain_text("1")
    expect(page.locator("#id_country")).to_have_value(country)
    page.locator("#id_name").fill("Samira Food")
    if region:
        page.locator("#id_region").select_option(region)
    _check(page, f"{language}-1-business")
    _continue(page)
    business = Business.objects.get(owner__email=f"samira-{language}@example.org")
    assert (business.country, business.region) == (country, region or "")

    # 2. How it sells.
    expect(page.locator("h1")).to_be_visible()
    page.locator(f"input[name=channel][value={channel}]").check()
    _check(page, f"{language}-2-selling")
    _continue(page)

    # 3. The starter set, ticked, each with its reason as the note.
    assert 5 <= page.locator("input[name=kpis]:checked").count() <= 8
    first_note = page.locator("main textarea").first.input_value()
    assert first_note, "the note is filled in from the reason"
    _check(page, f"{language}-3-kpis")
    _continue(page)

    # 4. One target, with an example value already there.
    assert page.locator("#id_value").input_value() != ""
    _check(page, f"{language}-4-target")
    _continue(page)

    # 5. The month's figures, only those the KPIs need; a decimal comma is read as such.
    inputs = page.locator("input.figure-input")
    assert inputs.count() >= 3
    for index in range(inputs.count()):
        field = inputs.nth(index)
        code = (field.get_attribute("name") or "").strip()
        field.fill(FIGURES.get(code, "10"))
    _check(page, f"{language}-5-month")
    _continue(page)

    # The dashboard, with a drawn chart, and nothing wider than the phone.
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    for _ in range(20):
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(50)
    expect(page.locator(".kpi-chart svg.main-svg").first).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    _check(page, f"{language}-6-dashboard")
    business.refresh_from_db()
    assert business.start_step == StartStep.DONE
    assert 5 <= business.tracked_kpis.count() <= 8
    assert Target.objects.filter(business=business).count() == 1
    revenue = Entry.objects.get(business=business, figure="revenue")
    assert str(revenue.value.normalize()) == "1250.5"

    # The KPI chooser: the followed ones first, the rest folded by stage.
    page.goto(f"/b/{business.pk}/kpis/")
    assert page.locator("details.kpi-more[open]").count() == 0
    _check(page, f"{language}-7-kpi-chooser")
    page.locator("details.kpi-more summary").first.click()
    _check(page, f"{language}-8-kpi-chooser-open")
    context.close()
    assert not errors, errors
