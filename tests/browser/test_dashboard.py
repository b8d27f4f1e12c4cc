"""The demo entrepreneur reads her dashboard and her quarterly review in a real browser."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.models import User
from metrics.management.commands.load_demo import ENTREPRENEUR, PASSWORD
from metrics.models.business import Business
from tests.browser.conftest import BASE_DIR, DESKTOP, axe_violations, screenshot

README_SCREENSHOT = BASE_DIR / "docs" / "dashboard.png"


def _demo(language: str) -> Business:
    call_command("load_demo", stdout=io.StringIO())
    User.objects.filter(email=ENTREPRENEUR).update(language=language)
    return Business.objects.get(owner__email=ENTREPRENEUR)


def _log_in(page: Page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(ENTREPRENEUR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def _draw_every_chart(page: Page) -> None:
    """Charts are drawn as they come near the screen: scroll through the page once."""
    height = page.evaluate("document.body.scrollHeight")
    for top in range(0, height + 600, 600):
        page.evaluate(f"window.scrollTo(0, {top})")
        page.wait_for_timeout(50)
    expect(page.locator(".kpi-chart:not(.chart-drawn)")).to_have_count(0)
    page.evaluate("window.scrollTo(0, 0)")


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_demo_entrepreneur_reads_her_dashboard(page: Page, language: str) -> None:
    business = _demo(language)
    _log_in(page)
    page.goto(f"/b/{business.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", language)

    revenue = page.locator(".kpi-card").filter(has=page.locator("[data-chart='chart-revenue']"))
    chart = revenue.locator(".kpi-chart")
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    # Actual values, the target ramp (dotted) and the projection (dashed).
    expect(chart.locator(".scatterlayer .trace")).to_have_count(3)
    expect(chart.locator(".legend .traces")).to_have_count(3)
    dashes = chart.locator(".scatterlayer .trace .js-line").evaluate_all(
        "lines => lines.map(line => line.style.strokeDasharray)"
    )
    assert dashes[0] in ("", "none") and all(dash not in ("", "none") for dash in dashes[1:])
    # Drawn, the chart folds its table away; the table is still there for screen readers.
    expect(revenue.locator("details.chart-table")).not_to_have_attribute("open", "")
    expect(revenue.locator("table caption")).to_have_count(1)

    # The revenue target is behind in the demo, with a text chip and a link to what to try.
    chip = revenue.locator(".verdict")
    expect(chip).to_have_class("verdict verdict-behind")
    expect(chip).not_to_be_empty()
    expect(revenue.locator("a[href$='#what-to-try']")).to_have_count(1)
    expect(page.locator(".kpi-card .verdict.verdict-on_track").first).to_be_visible()

    _draw_every_chart(page)
    expect(page.locator("[data-chart='chart-funnel'] svg.main-svg").first).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, f"dashboard-{language}")

    # The quarter: a plain link, like previous and next.
    page.locator(".period-kinds a").nth(1).click()
    expect(page).to_have_url(re.compile(r"\?period=\d{4}-Q[1-4]$"))
    expect(page.locator(".period-kinds a").nth(1)).to_have_attribute("aria-current", "page")
    expect(page.locator("[data-chart='chart-revenue'] svg.main-svg").first).to_be_visible()

    page.goto(f"/b/{business.pk}/review/")
    # The quarter as each language names it: T3 2026 in French, Q3 2026 in Dutch.
    mark = {"fr": "T", "nl": "Q"}.get(language, "Q")
    expect(page.locator("h1")).to_contain_text(re.compile(rf"{mark}[1-4] \d{{4}}"))
    expect(page.locator(".review-targets .verdict").first).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, f"review-{language}")


def test_the_dashboard_works_without_javascript(browser, live_server, transactional_db) -> None:
    business = _demo("en")
    context = browser.new_context(
        viewport=DESKTOP, locale="en-GB", base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    try:
        _log_in(page)
        page.goto(f"/b/{business.pk}/")
        expect(page.locator(".kpi-card").first).to_be_visible()
        expect(page.locator("svg.main-svg")).to_have_count(0)
        # Without charts, the tables stay open and carry the numbers.
        table = page.locator(".kpi-card table").first
        expect(table).to_be_visible()
        expect(table.locator("tbody tr").first).to_be_visible()
        page.locator("#period-select").select_option(index=1)
        page.get_by_role("button", name="Show").click()
        expect(page.locator("#period-select option[selected]")).to_have_count(1)
    finally:
        context.close()


def test_the_english_dashboard_for_the_readme(page: Page) -> None:
    business = _demo("en")
    _log_in(page)
    page.goto(f"/b/{business.pk}/")
    expect(page.locator("[data-chart='chart-revenue'] svg.main-svg").first).to_be_visible()
    _draw_every_chart(page)
    assert axe_violations(page) == []
    screenshot(page, "dashboard-en")
    Path(README_SCREENSHOT).parent.mkdir(exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.evaluate("window.scrollTo(0, 0)")
    # The top of the page down to the first row of charts.
    page.screenshot(
        path=str(README_SCREENSHOT),
        full_page=True,
        clip={"x": 0, "y": 0, "width": DESKTOP["width"], "height": 1400},
    )
