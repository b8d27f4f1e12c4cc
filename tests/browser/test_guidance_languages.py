"""The guidance in Arabic (right to left) and Ukrainian, in a real browser: accessible at phone
and desktop widths, no sideways scrolling, and search and the flag and region switch work."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from guidance.models import GuidePage
from tests.browser.conftest import DESKTOP, PHONE, axe_violations, screenshot

# A sample of every kind of page: index, topic list, search, shared, KPI, each country, a
# Belgian region, and the new topics.
SAMPLE = [
    "/guidance/",
    "/guidance/topic/kpis/",
    "/guidance/choosing-metrics/",
    "/guidance/investors/",
    "/guidance/kpi-conversion-rate/",
    "/guidance/kpi-break-even-revenue/",
    "/guidance/gb-start/",
    "/guidance/gb-tax/",
    "/guidance/fr-papers/",
    "/guidance/fr-food/",
    "/guidance/nl-legal-form/",
    "/guidance/be-start-brussels/",
    "/guidance/be-permits-wallonia/",
    "/guidance/be-side-job/",
]


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
    expect(page.locator("html")).to_have_attribute("lang", code)


def _choose_country(page: Page, code: str) -> None:
    _switcher(page, 1).locator(f'button[name="country"][value="{code}"]').click()


def _choose_region(page: Page, code: str) -> None:
    _switcher(page, 1).locator(f'button[name="region"][value="{code}"]').click()


def _title(slug: str, language: str) -> str:
    return GuidePage.objects.get(slug=slug).localized("title", language)


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("uk", "ltr")])
def test_sample_pages_are_accessible_and_never_scroll_sideways(
    page: Page, language: str, direction: str
) -> None:
    page.goto("/guidance/")
    _choose_language(page, language)
    problems: dict[str, list[str]] = {}
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        for path in SAMPLE:
            page.goto(path)
            where = f"{path} at {size['width']} px"
            expect(page.locator("html")).to_have_attribute("dir", direction)
            if page.locator("article").count():
                # The page is written in the reader's language, not the English fallback.
                expect(page.locator("article")).to_have_attribute("lang", language)
                expect(page.locator("article")).to_have_attribute("dir", direction)
            found = axe_violations(page)
            if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
                found.append("the page scrolls sideways")
            if found:
                problems[where] = found
    screenshot(page, f"guidance-investors-{language}")
    assert problems == {}


@pytest.mark.parametrize("language", ["ar", "uk"])
def test_search_finds_a_page_by_a_word_of_its_title(page: Page, language: str) -> None:
    title = _title("investors", language)
    word = max(title.split(), key=len)
    page.goto("/guidance/")
    _choose_language(page, language)
    page.locator("#guide-q").fill(word)
    page.locator(".guide-search button[type=submit]").click()
    results = page.locator("[data-search-results]")
    expect(results.get_by_role("link", name=title)).to_be_visible()
    assert axe_violations(page) == []


def test_an_arabic_reader_switches_the_flag_and_keeps_the_topic(page: Page) -> None:
    page.goto("/guidance/")
    _choose_language(page, "ar")
    _choose_country(page, "gb")
    expect(page.get_by_role("link", name=_title("gb-start", "ar"))).to_be_visible()
    page.goto("/guidance/topic/start/")
    expect(page.locator("h1")).to_have_text(_title("gb-start", "ar"))
    expect(page.locator("article")).to_have_attribute("dir", "rtl")

    # The flag switch keeps the topic: the Dutch "start here" page, still in Arabic.
    _choose_country(page, "nl")
    expect(page.locator("h1")).to_have_text(_title("nl-start", "ar"))
    expect(page.locator("[data-page-place]")).to_be_visible()
    # A guide: link leads to the page it names.
    page.locator('article a[href="/guidance/nl-register/"]').first.click()
    expect(page.locator("h1")).to_have_text(_title("nl-register", "ar"))
    assert axe_violations(page) == []
    screenshot(page, "guidance-register-nl-ar")


def test_a_ukrainian_reader_chooses_a_belgian_region(page: Page) -> None:
    page.goto("/guidance/")
    _choose_language(page, "uk")
    _choose_country(page, "be")
    page.goto("/guidance/topic/start/")
    # Without a region, the three regional checklists are offered.
    for region in ("flanders", "wallonia", "brussels"):
        expect(page.get_by_role("link", name=_title(f"be-start-{region}", "uk"))).to_be_visible()
    _choose_region(page, "wallonia")
    expect(page.locator("h1")).to_have_text(_title("be-start-wallonia", "uk"))
    _choose_region(page, "flanders")
    expect(page.locator("h1")).to_have_text(_title("be-start-flanders", "uk"))
    expect(page.locator("#check")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "guidance-start-flanders-uk")
