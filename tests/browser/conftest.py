"""Playwright in Debian's Chromium against pytest-django's live server, with axe-core."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

BASE_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_SOURCE = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = BASE_DIR / "artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests
# themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed for the browser tests and is not at {CHROMIUM}.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server, transactional_db) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    # The console says a resource failed, not which one: name it.
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} for {response.url} on {response.frame.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None
        ),
    )
    yield page
    context.close()
    assert not errors, f"The browser reported errors: {errors}"


def axe_violations(
    page: Page, impacts: tuple[str, ...] = ("serious", "critical"), exclude: str = ""
) -> list[str]:
    """Run axe-core on the current page (less ``exclude``), describe the violations."""
    if not AXE_SOURCE.exists():
        pytest.fail("axe-core is missing: run npm ci.")
    # Evaluated through the DevTools protocol, so the page's CSP does not block it.
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (exclude) => await axe.run(exclude ? {exclude: [[exclude]]} : document,"
        " {resultTypes: ['violations']})",
        exclude,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def screenshot(page: Page, name: str) -> None:
    """Save full-page screenshots at phone and desktop widths under artifacts/ (git ignores it)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for label, size in (("360", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size(size)
        # Charts re-lay themselves out on the window's resize event.
        page.evaluate("window.dispatchEvent(new Event('resize'))")
        page.wait_for_timeout(400)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    if original:
        page.set_viewport_size(original)


def finish_signup(page: Page, password: str) -> None:
    """Sign-up's second step, as a person does it: open the e-mailed link, choose a password."""
    from django.core import mail

    message = mail.outbox[-1]
    path = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert path is not None, message.body
    page.goto(path.group(1))
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
