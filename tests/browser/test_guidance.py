"""A reader follows the guidance in a real browser: flag, region, language, right to left."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from guidance.models import GuidePage
from tests.browser.conftest import axe_violations, screenshot

REGISTER = "/guidance/topic/register/"


@pytest.fixture(autouse=True)
def _content(transactional_db) -> None:
    """Live-server tests run on a flushed database: load the shipped pages again."""
    call_command("load_guidance", verbosity=0)


def _switcher(page: Page, number: int):
    switcher = page.locator("details.switcher").nth(number)
    switcher.locator("summary").click()
    return switcher


def _choose_language(page: Page, code: str) -> None:
    _switcher(page, 0).locator(f'button[name="language"][value="{code}"]').click()


def _choose_country(page: Page, code: str) -> None:
    _switcher(page, 1).locator(f'button[name="country"][value="{code}"]').click()


def _choose_region(page: Page, code: str) -> None:
    _switcher(page, 1).locator(f'button[name="region"][value="{code}"]').click()


def _title(slug: str, language: str) -> str:
    return getattr(GuidePage.objects.get(slug=slug), f"title_{language}")


def test_a_reader_moves_from_the_uk_to_flanders_in_dutch_then_reads_arabic(page: Page) -> None:
    page.goto("/guidance/")
    _choose_country(page, "gb")
    expect(page.locator("#country-title")).to_contain_text("United Kingdom")
    expect(page.get_by_role("link", name=_title("gb-register", "en"))).to_be_visible()
    assert axe_violations(page) == [], "index"
    screenshot(page, "guidance-index-en")

    page.goto(REGISTER)
    expect(page.locator("h1")).to_have_text(_title("gb-register", "en"))

    _choose_language(page, "nl")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("article")).to_have_attribute("lang", "nl")
    expect(page.locator("h1")).to_have_text(_title("gb-register", "nl"))

    # The flag switch keeps the topic: the Belgian registration page.
    _choose_country(page, "be")
    expect(page).to_have_url(re.compile(f"{REGISTER}$"))
    expect(page.locator("h1")).to_have_text(_title("be-register", "nl"))
    _choose_region(page, "flanders")
    expect(page.locator("details.switcher").nth(1).locator("summary")).to_contain_text("·")
    expect(page.locator("h1")).to_have_text(_title("be-register", "nl"))
    expect(page.locator("#check")).to_be_visible()
    assert axe_violations(page) == [], "register page in Dutch"
    screenshot(page, "guidance-register-be-nl")

    page.goto("/guidance/topic/permits/")
    expect(page.locator("h1")).to_have_text(_title("be-permits-flanders", "nl"))
    expect(page.locator("[data-page-place]")).to_be_visible()

    page.goto(REGISTER)
    _choose_language(page, "ar")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("article")).to_have_attribute("lang", "ar")
    expect(page.locator("article")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text(_title("be-register", "ar"))
    expect(page.locator("[data-fallback-notice]")).to_have_count(0)
    assert axe_violations(page) == [], "register page in Arabic"
    screenshot(page, "guidance-register-be-ar")

    # A page without its Ukrainian text: the English page, with a notice in Ukrainian.
    GuidePage.objects.filter(slug="be-register").update(body_uk="")
    _choose_language(page, "uk")
    expect(page.locator("article")).to_have_attribute("lang", "en")
    expect(page.locator("article")).to_have_attribute("dir", "ltr")
    expect(page.locator("h1")).to_have_text(_title("be-register", "en"))
    notice = page.locator("[data-fallback-notice]")
    expect(notice).to_be_visible()
    for code in ("en", "fr", "nl", "ar"):
        expect(notice.locator(f'button[name="language"][value="{code}"]')).to_be_visible()
    expect(notice.locator('button[value="uk"]')).to_have_count(0)
    assert axe_violations(page) == [], "register page, Ukrainian fallback"

    # A language button in the notice goes back to the same page, in French.
    notice.locator('button[value="fr"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text(_title("be-register", "fr"))


def test_the_pages_work_without_javascript_at_360_px(browser, live_server) -> None:
    context = browser.new_context(
        viewport={"width": 360, "height": 780}, base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto("/guidance/")
        page.get_by_label("Search the guidance").fill("conversion")
        page.get_by_role("button", name="Search", exact=True).click()
        expect(page.locator("[data-search-results]")).to_contain_text(
            _title("kpi-conversion-rate", "en")
        )
        page.goto("/guidance/kpi/conversion_rate/#what-to-try")
        expect(page.locator("#what-to-try")).to_be_visible()
        screenshot(page, "guidance-kpi-en")

        urls = ["/guidance/", "/guidance/topic/kpis/"]
        urls += [p.get_absolute_url() for p in GuidePage.objects.order_by("slug")]
        too_wide = {}
        for url in urls:
            page.goto(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                too_wide[url] = width
        assert too_wide == {}, "these pages scroll sideways at 360 px"
    finally:
        context.close()


def test_the_guidance_pages_have_no_serious_accessibility_problems(page: Page) -> None:
    for path, name in (
        ("/guidance/", "index-noflag"),
        ("/guidance/topic/kpis/", "kpis"),
        ("/guidance/choosing-metrics/", "choosing-metrics"),
        ("/guidance/?q=zzzz", "search-empty"),
        ("/guidance/topic/permits/", "permits-noflag"),
    ):
        page.goto(path)
        assert axe_violations(page) == [], path
        screenshot(page, f"guidance-{name}")
    page.goto("/guidance/")
    _choose_country(page, "be")
    page.goto("/guidance/topic/permits/")
    assert axe_violations(page) == [], "permits, Belgium without a region"
    screenshot(page, "guidance-permits-be")
