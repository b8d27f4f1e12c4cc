"""Logging months and uploading a figures file in a real browser, in French and in Dutch."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from metrics.engine import add_months
from metrics.models.business import Business, TrackedKpi
from metrics.models.entries import Entry
from metrics.pages import last_complete_month
from tests.base import PASSWORD
from tests.browser.conftest import axe_violations, screenshot

GOOD_FILE = b"month;revenue;visitors;orders\n2024-01;1.234,50;950;160\n2024-02;980,5;;120\n"
BAD_FILE = b"month,revenue,visitors,orders\n2024-01,1000,950,160\n2024-02,12O0,900,150\n"


def _owner_with_business() -> Business:
    user = User.objects.create_user("amal@example.org", PASSWORD, name="Amal")
    business = Business.objects.create(
        owner=user, name="Amal's Kitchen", country="be", region="flanders", sells="Food"
    )
    # conversion_rate needs visitors and orders; revenue needs revenue.
    TrackedKpi.objects.create(business=business, kpi="conversion_rate", position=0)
    TrackedKpi.objects.create(business=business, kpi="revenue", position=1)
    return business


def _log_in_and_choose(page: Page, language: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("amal@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    switcher = page.locator("details.switcher").first
    switcher.locator("summary").click()
    switcher.locator(f"button[name=language][value={language}]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def _log_month(page: Page, business: Business, label: str, values: dict[str, str]) -> None:
    page.locator(f"#months a[href='/b/{business.pk}/months/{label}/']").click()
    for code, value in values.items():
        page.locator(f"#id_{code}").fill(value)
    page.locator("button[name=then][value=months]").click()
    expect(page.locator(".messages .alert-success")).to_be_visible()
    expect(page).to_have_url(f"/b/{business.pk}/months/")


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_an_entrepreneur_logs_three_months(page: Page, language: str) -> None:
    business = _owner_with_business()
    _log_in_and_choose(page, language)
    last = last_complete_month()
    months = [add_months(last, -2), add_months(last, -1), last]
    labels = [f"{month:%Y-%m}" for month in months]
    # The oldest month is before anything is logged: open it with the month chooser.
    page.goto(f"/b/{business.pk}/months/")
    page.locator("#id_month").fill(labels[0])
    page.locator(".month-chooser button[type=submit]").click()
    expect(page).to_have_url(f"/b/{business.pk}/months/{labels[0]}/")
    page.locator("#id_visitors").fill("1000")
    page.locator("#id_orders").fill("50")
    page.locator("#id_revenue").fill("1200")
    page.locator("button[name=then][value=months]").click()
    expect(page.locator(".messages .alert-success")).to_be_visible()

    # A decimal comma, and a thousands separator as the language writes it.
    _log_month(
        page, business, labels[1], {"visitors": "1 100", "orders": "55", "revenue": "1234,5"}
    )
    # Orders left blank: not known, so not stored (and never zero).
    _log_month(page, business, labels[2], {"visitors": "900", "revenue": "980,25"})

    rows = page.locator("#months tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_have_attribute("data-month", labels[2])
    expect(rows.nth(0)).to_have_class("month-partial")
    expect(rows.nth(0)).to_contain_text("2")
    expect(rows.nth(1)).to_have_class("month-complete")
    expect(rows.nth(2)).to_have_class("month-complete")
    assert axe_violations(page) == []
    screenshot(page, f"months-list-{language}")

    stored = {
        (f"{entry.month:%Y-%m}", entry.figure): entry.value
        for entry in Entry.objects.filter(business=business)
    }
    assert stored == {
        (labels[0], "visitors"): Decimal(1000),
        (labels[0], "orders"): Decimal(50),
        (labels[0], "revenue"): Decimal(1200),
        (labels[1], "visitors"): Decimal(1100),
        (labels[1], "orders"): Decimal(55),
        (labels[1], "revenue"): Decimal("1234.5"),
        (labels[2], "visitors"): Decimal(900),
        (labels[2], "revenue"): Decimal("980.25"),
    }

    # The month page shows last month's value in the language's format.
    page.locator(f"#months a[href='/b/{business.pk}/months/{labels[2]}/']").click()
    expect(page.locator("#id_revenue")).to_have_value("980,25")
    expect(page.locator("#hint-revenue .last-month")).to_contain_text(
        "1.234,50" if language == "nl" else "1\u00a0234,50"
    )
    assert axe_violations(page) == []
    screenshot(page, f"months-form-{language}")

    # A mistake keeps every typed value, and shows the error summary linked to the field.
    page.locator("#id_orders").fill("-3")
    page.locator("#id_visitors").fill("950")
    page.locator("button[name=then][value=months]").click()
    expect(page.locator(".error-summary a[href='#id_orders']")).to_be_visible()
    expect(page.locator("#id_orders")).to_have_value("-3")
    expect(page.locator("#id_visitors")).to_have_value("950")
    expect(page.locator("#id_orders")).to_have_attribute("aria-invalid", "true")
    assert Entry.objects.get(business=business, month=months[2], figure="visitors").value == 900
    assert axe_violations(page) == []
    screenshot(page, f"months-form-error-{language}")


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_an_entrepreneur_uploads_a_figures_file(page: Page, language: str) -> None:
    business = _owner_with_business()
    _log_in_and_choose(page, language)
    page.goto(f"/b/{business.pk}/import/")
    assert axe_violations(page) == []
    screenshot(page, f"months-import-{language}")

    page.locator("#id_file").set_input_files(
        files=[{"name": "figures.csv", "mimeType": "text/csv", "buffer": BAD_FILE}]
    )
    page.locator(".import-form button[type=submit]").click()
    problems = page.locator(".error-summary li")
    expect(problems).to_have_count(1)
    expect(problems.first).to_contain_text("3")
    expect(problems.first).to_contain_text("12O0")
    assert not Entry.objects.exists()
    assert axe_violations(page) == []
    screenshot(page, f"months-import-error-{language}")

    page.locator("#id_file").set_input_files(
        files=[{"name": "figures.csv", "mimeType": "text/csv", "buffer": GOOD_FILE}]
    )
    page.locator(".import-form button[type=submit]").click()
    expect(page.locator("#confirm-import")).to_be_visible()
    expect(page.locator(".preview-month")).to_have_count(2)
    expect(page.locator("tr.change-new")).to_have_count(5)
    assert not Entry.objects.exists()
    assert axe_violations(page) == []
    screenshot(page, f"months-import-preview-{language}")

    page.locator("#confirm-import").click()
    expect(page).to_have_url(f"/b/{business.pk}/months/")
    expect(page.locator(".messages .alert-success")).to_be_visible()
    assert Entry.objects.filter(business=business).count() == 5
    assert Entry.objects.get(figure="revenue", month__month=1).value == Decimal("1234.5")
