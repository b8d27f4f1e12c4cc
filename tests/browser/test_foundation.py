"""A new visitor's first steps, in a real browser: switchers, sign-up, log-in, accessibility."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.base import PASSWORD
from tests.browser.conftest import axe_violations, finish_signup, screenshot


def _choose_language(page: Page, native_name: str) -> None:
    page.locator("details.switcher").first.locator("summary").click()
    page.get_by_role("button", name=native_name, exact=True).click()


def _choose_country(page: Page, country: str, region: str | None = None) -> None:
    switcher = page.locator("details.switcher").nth(1)
    switcher.locator("summary").click()
    switcher.get_by_role("button", name=country).click()
    if region:
        switcher = page.locator("details.switcher").nth(1)
        switcher.locator("summary").click()
        switcher.get_by_role("button", name=region).click()


def test_a_new_visitor_chooses_french_and_wallonia_then_signs_up(page: Page) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    _choose_language(page, "Français")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    _choose_country(page, "Belgique", "Wallonie")
    expect(page.locator("details.switcher").nth(1).locator("summary")).to_contain_text(
        "Belgique · Wallonie"
    )

    page.get_by_role("link", name="Créer un compte gratuit").click()
    page.get_by_label("Votre nom").fill("Amina")
    page.get_by_label("Adresse e-mail").fill("amina@example.org")
    page.get_by_role("button", name="Continuer").click()
    finish_signup(page, PASSWORD)
    expect(page.get_by_role("status")).to_contain_text("Bienvenue")

    user = User.objects.get(email="amina@example.org")
    assert (user.language, user.country, user.region) == ("fr", "be", "wallonia")

    page.get_by_role("button", name="Se déconnecter").click()
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Email address").fill("amina@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # The profile brings the choices back on a browser that had forgotten them.
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("details.switcher").nth(1).locator("summary")).to_contain_text(
        "Belgique · Wallonie"
    )


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_shared_pages_have_no_serious_accessibility_problems(page: Page, language: str) -> None:
    User.objects.create_user("reader@example.org", PASSWORD, language=language)
    page.goto("/")
    if language == "ar":
        _choose_language(page, "العربية")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
    for path, name in (
        ("/", "home"),
        ("/accounts/signup/", "signup"),
        ("/accounts/login/", "login"),
    ):
        page.goto(path)
        assert axe_violations(page) == [], path
        screenshot(page, f"{name}-{language}")

    page.goto("/accounts/login/")
    page.locator("#id_username").fill("reader@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.goto("/accounts/profile/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert axe_violations(page) == [], "profile"
    screenshot(page, f"profile-{language}")


def test_the_error_summary_links_to_the_field(page: Page) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Your name").fill("Someone")
    page.get_by_label("Email address").fill("someone@")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("Error: Create an account – Newcomer KPI")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_email")).to_be_focused()
    expect(page.get_by_label("Email address")).to_have_value("someone@")
    expect(page.get_by_label("Your name")).to_have_value("Someone")
    screenshot(page, "signup-error-en")
