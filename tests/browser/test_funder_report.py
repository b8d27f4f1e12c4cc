"""In a real browser: the funder report on a 360-px phone in English and Arabic, with axe, its
quarter picker without JavaScript, and its A4 print whose first page is the summary table."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from tests.base import PASSWORD
from tests.browser.conftest import PHONE, axe_violations, screenshot
from tests.browser.test_report import A4_TEXT_HEIGHT, A4_TEXT_WIDTH, _pdf_pages, _plain
from tests.metrics.programmes.helpers import make_programme
from tests.metrics.programmes.test_funder_report import two_cohorts

WIDTH = """() => [document.documentElement.scrollWidth, window.innerWidth]"""


def _coordinator(language: str) -> int:
    """The coordinator of a programme with the two hand-worked cohorts; the programme's id."""
    coordinator = User.objects.create_user(
        "coordinator@example.org", PASSWORD, name="Nadia Coordinator", language=language
    )
    mentor = User.objects.create_user("mentor@example.org", PASSWORD, name="Marc Mentor")
    programme = make_programme(coordinator)
    two_cohorts(programme, mentor)
    return programme.pk


def _log_in(page: Page) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("coordinator@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_funder_report_fits_a_phone_and_prints_its_summary_first(
    page: Page, language: str
) -> None:
    programme = _coordinator(language)
    _log_in(page)
    page.set_viewport_size(PHONE)
    page.goto(f"/programmes/{programme}/")
    page.locator("#funder-report-link").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator(".funder-cohort")).to_have_count(2)

    # The picker is a plain form: choose 2025-Q4 and show it.
    page.locator("#id_quarter").select_option("2025-Q4")
    page.locator("#funder-quarter-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/programmes/{programme}/report/2025-Q4/$"))
    expect(page.locator("#id_quarter")).to_have_value("2025-Q4")
    expect(page.locator("#print-report")).to_be_visible()

    scroll, viewport = page.evaluate(WIDTH)
    assert scroll <= viewport, (scroll, viewport)
    assert axe_violations(page) == []
    screenshot(page, f"funder-report-{language}")

    # On paper: an A4 text width, print styles; no number is cut from its method.
    page.set_viewport_size({"width": A4_TEXT_WIDTH, "height": A4_TEXT_HEIGHT})
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".report-controls")).to_be_hidden()
    styles = page.locator(".funder-indicator").evaluate_all(
        "elements => elements.map(element => getComputedStyle(element).breakInside)"
    )
    assert styles == ["avoid"] * 20  # 2 cohorts × 10 indicators
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    pages = _pdf_pages(pdf, f"funder-report-{language}")
    assert len(pages) >= 2
    # Without spaces, and the bidirectional marks pdftotext puts around right-to-left runs.
    first = re.sub(r"[\s\u202a-\u202e\u2066-\u2069]", "", pages[0])
    with translation.override(language):
        title = _plain(translation.gettext("Summary: every cohort's indicators"))
        hidden = _plain(
            translation.ngettext(
                "hidden: fewer than %(counter)s business",
                "hidden: fewer than %(counter)s businesses",
                5,
            )
            % {"counter": 5}
        )
    assert re.sub(r"\s", "", title) in first
    # Page 1 holds the whole table: the months logged in Antwerp, and Lyon's hidden cells.
    assert "59" in first
    assert re.sub(r"\s", "", hidden) in first
    assert "66.7%" in first or "66,7%" in first  # on track, in the language's notation


def test_the_picker_works_without_javascript(
    browser: Browser, live_server, transactional_db
) -> None:
    programme = _coordinator("en")
    context = browser.new_context(
        java_script_enabled=False, viewport=PHONE, base_url=live_server.url
    )
    page = context.new_page()
    try:
        _log_in(page)
        page.goto(f"/programmes/{programme}/report/")
        expect(page.locator("#print-report")).to_be_hidden()
        expect(page.locator("#print-hint")).to_contain_text("Print command")
        page.locator("#id_quarter").select_option("2025-Q4")
        page.locator("#funder-quarter-form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/report/2025-Q4/$"))
        expect(page.locator("#funder-summary")).to_contain_text("5 of 5")
    finally:
        context.close()
