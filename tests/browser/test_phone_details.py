"""Small things a newcomer meets on a phone: the flag menu, charts without JavaScript, the table
toggle, and the words a mentor reads."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from metrics.management.commands.load_demo import ENTREPRENEUR, MENTOR
from metrics.models.business import Business
from tests.browser.conftest import DESKTOP, PHONE


def _demo_session(user_email: str, language: str) -> tuple[Business, str]:
    call_command("load_demo", stdout=io.StringIO())
    user = User.objects.get(email=user_email)
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return Business.objects.get(owner__email=ENTREPRENEUR), client.cookies[
        settings.SESSION_COOKIE_NAME
    ].value


def _open(browser: Browser, base_url: str, session: str, *, javascript: bool = True) -> Page:
    context = browser.new_context(
        viewport=PHONE, locale="en-GB", base_url=base_url, java_script_enabled=javascript
    )
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
    return context.new_page()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_after_belgium_the_netherlands_can_still_be_chosen(page: Page, size: dict) -> None:
    page.set_viewport_size(size)
    page.goto("/guidance/")
    country = page.locator("details.switcher").nth(1)
    country.locator("summary").click()
    country.locator('button[name="country"][value="be"]').click()
    expect(country.locator("summary")).to_contain_text("Belgium")
    country.locator("summary").click()
    # Both lists are in view, one under the other: the regions do not cover the countries.
    regions = country.locator('button[name="region"]')
    expect(regions.first).to_be_visible()
    netherlands = country.locator('button[name="country"][value="nl"]')
    countries_box = netherlands.bounding_box()
    regions_box = regions.first.bounding_box()
    assert countries_box and regions_box
    assert regions_box["y"] >= countries_box["y"] + countries_box["height"]
    # A real click, which Playwright makes only if the button itself receives it.
    netherlands.click(timeout=3000)
    expect(page.locator("details.switcher").nth(1).locator("summary")).to_contain_text(
        "Netherlands"
    )


def test_without_javascript_a_chart_leaves_no_blank_box_and_the_table_shows(
    browser: Browser, live_server, transactional_db
) -> None:
    business, session = _demo_session(ENTREPRENEUR, "fr")
    page = _open(browser, live_server.url, session, javascript=False)
    page.goto(f"/b/{business.pk}/")
    charts = page.locator(".kpi-chart")
    assert charts.count() > 3
    heights = charts.evaluate_all("boxes => boxes.map(box => box.getBoundingClientRect().height)")
    assert heights == [0] * len(heights)
    table = page.locator(".kpi-card details.chart-table").first
    expect(table.locator("table")).to_be_visible()
    page.context.close()


def test_the_table_toggle_has_a_marker_and_opens_like_a_button(
    browser: Browser, live_server, transactional_db
) -> None:
    business, session = _demo_session(ENTREPRENEUR, "ar")
    for javascript in (True, False):
        page = _open(browser, live_server.url, session, javascript=javascript)
        page.goto(f"/b/{business.pk}/")
        card = page.locator(".kpi-card").filter(has=page.locator("[data-chart='chart-revenue']"))
        details = card.locator("details.chart-table")
        summary = details.locator("summary")
        if javascript:
            expect(card.locator(".kpi-chart.chart-drawn")).to_have_count(1)
        else:
            expect(details).to_have_attribute("open", "")
        marker = "summary => getComputedStyle(summary, '::before').content"
        style = summary.evaluate("summary => getComputedStyle(summary).textDecorationLine")
        assert style == "underline"
        was_open = details.evaluate("details => details.open")
        # Right to left, a closed table's marker points to the left, where the text goes.
        assert summary.evaluate(marker) == ('"▾"' if was_open else '"◂"')
        summary.focus()
        page.keyboard.press("Enter")
        assert details.evaluate("details => details.open") is not was_open
        assert summary.evaluate(marker) == ('"◂"' if was_open else '"▾"')
        page.context.close()


def test_a_mentor_reads_the_kpis_of_his_mentee_in_the_third_person(
    browser: Browser, live_server, transactional_db
) -> None:
    business, session = _demo_session(MENTOR, "en")
    page = _open(browser, live_server.url, session)
    page.goto(f"/b/{business.pk}/kpis/")
    expect(page.locator("h1")).to_have_text(f"The KPIs of {business.name}")
    expect(page.locator("main")).to_contain_text("KPIs for this business")
    expect(page.locator("main")).not_to_contain_text("You follow")
    expect(page.locator("main")).not_to_contain_text("Choose your KPIs")
    page.context.close()


def test_the_current_business_tab_is_in_sight_on_a_phone(
    browser: Browser, live_server, transactional_db
) -> None:
    # Ten tabs scroll sideways on a 360-px phone; the report's is the sixth, off the screen
    # until the strip is scrolled to it. Each label stays on one line.
    business, session = _demo_session(ENTREPRENEUR, "fr")
    page = _open(browser, live_server.url, session)
    page.goto(f"/b/{business.pk}/report/")
    tab = page.locator(".business-tabs .nav-link.active")
    expect(tab).to_have_text("Rapport")
    box = tab.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    first = page.locator(".business-tabs .nav-link").first.bounding_box()
    assert first is not None and first["height"] < 60  # "Tableau de bord" on one line
    assert page.evaluate("window.scrollY") == 0  # the page itself did not move
    page.context.close()
