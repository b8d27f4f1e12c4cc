"""A mentor is invited by link, signs up, reads and comments; the owner revokes; access ends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from metrics.engine import add_months
from metrics.models.business import Business, TrackedKpi
from metrics.models.comments import Comment
from metrics.models.entries import Entry
from metrics.models.goals import Target
from metrics.models.mentoring import Mentorship
from metrics.pages import last_complete_month
from tests.base import PASSWORD
from tests.browser.conftest import DESKTOP, axe_violations, finish_signup, screenshot


def _owner_with_business() -> Business:
    owner = User.objects.create_user(
        "amal@example.org", PASSWORD, name="Amal Haddad", country="be", region="flanders"
    )
    business = Business.objects.create(
        owner=owner, name="Amal's Kitchen", country="be", region="flanders", sells="Food"
    )
    for position, code in enumerate(("revenue", "conversion_rate")):
        TrackedKpi.objects.create(business=business, kpi=code, position=position)
    last = last_complete_month()
    Entry.objects.bulk_create(
        Entry(business=business, month=add_months(last, -offset), figure=code, value=value)
        for offset in range(6)
        for code, value in (("revenue", Decimal(900)), ("visitors", 80), ("orders", 8))
    )
    Target.objects.create(
        business=business,
        kpi="revenue",
        value=Decimal(1200),
        first_month=date(2024, 1, 1),
        deadline=date(2030, 12, 1),
    )
    return business


def _log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.fixture
def mentor_page(browser: Browser, live_server) -> Iterator[Page]:
    """A second person at another computer; its 404 at the end is expected, not an error."""
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", base_url=live_server.url)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_a_mentor_joins_by_link_comments_and_loses_access_when_revoked(
    page: Page, mentor_page: Page
) -> None:
    business = _owner_with_business()
    dashboard = f"/b/{business.pk}/"

    # The entrepreneur makes an invitation link.
    _log_in(page, "amal@example.org")
    page.goto(f"/b/{business.pk}/mentors/")
    page.get_by_role("button", name="Make an invitation link").click()
    link = page.locator("#invitation-link-field").input_value()
    assert "/mentor/invitations/" in link
    assert axe_violations(page) == []

    # The mentor opens it, signs up on the way, and comes back to accept.
    mentor = mentor_page
    mentor.goto(link)
    expect(mentor.locator("h1")).to_contain_text("An invitation to mentor Amal's Kitchen")
    assert axe_violations(mentor) == []
    screenshot(mentor, "mentor-invitation")
    mentor.get_by_role("link", name="Create an account").click()
    mentor.locator("#id_name").fill("Marc Peeters")
    mentor.locator("#id_email").fill("marc@example.org")
    mentor.locator("main form button[type=submit]").click()
    finish_signup(mentor, PASSWORD)
    expect(mentor.get_by_role("button", name="Accept the invitation")).to_be_visible()
    assert mentor.url == link
    mentor.get_by_role("button", name="Accept the invitation").click()

    # The mentor's home lists the mentee with its verdicts.
    expect(mentor.locator("h1")).to_have_text("Your mentees")
    row = mentor.locator("tr.mentee-row")
    expect(row).to_have_count(1)
    expect(row.locator("th a")).to_have_text("Amal's Kitchen")
    expect(row.locator(".verdict-behind")).to_contain_text("1")
    assert axe_violations(mentor) == []
    screenshot(mentor, "mentor-home")

    # The dashboard opens read-only; the mentor comments on the revenue card.
    row.locator("th a").click()
    expect(mentor.locator(".business-header")).to_contain_text("Read only")
    card = mentor.locator("article.kpi-card", has=mentor.locator("#kpi-revenue"))
    card.locator("details.kpi-comments > summary").click()
    card.get_by_label("Your comment").fill("Try a lunch menu on weekdays?")
    card.get_by_role("button", name="Post the comment").click()
    expect(mentor.locator(".alert-success")).to_contain_text("Your comment is posted.")
    card = mentor.locator("article.kpi-card", has=mentor.locator("#kpi-revenue"))
    expect(card.locator(".comment-body")).to_have_text("Try a lunch menu on weekdays?")
    assert axe_violations(mentor) == []
    screenshot(mentor, "mentor-dashboard")
    comment = Comment.objects.get()
    assert (comment.on, comment.subject, comment.author.email) == (
        "kpi",
        "revenue",
        "marc@example.org",
    )

    # The owner sees the count of unread comments in the tabs, then the comment marked new.
    page.goto(f"/b/{business.pk}/months/")
    expect(page.locator(".business-tabs .unread-badge")).to_have_text("1 unread")
    page.goto(dashboard)
    # This page shows it, so the tabs no longer count it.
    expect(page.locator(".business-tabs .unread-badge")).to_have_count(0)
    card = page.locator("article.kpi-card", has=page.locator("#kpi-revenue"))
    expect(card.locator("details.kpi-comments")).to_have_attribute("open", "")
    expect(card.locator(".comment-new .comment-body")).to_have_text("Try a lunch menu on weekdays?")
    expect(card.locator(".comment-new-mark")).to_have_text("New")
    screenshot(page, "owner-sees-comment")
    page.reload()
    card = page.locator("article.kpi-card", has=page.locator("#kpi-revenue"))
    expect(card.locator(".comment-new-mark")).to_have_count(0)

    # The owner revokes; the mentor's very next request is not found.
    page.goto(f"/b/{business.pk}/mentors/")
    page.get_by_role("button", name="Stop sharing with Marc Peeters").click()
    expect(page.locator(".alert-success")).to_contain_text("can no longer see")
    assert Mentorship.objects.get().revoked_at is not None
    response = mentor.goto(dashboard)
    assert response is not None and response.status == 404
    expect(mentor.locator("h1")).to_have_text("Page not found")
    mentor.goto("/mentor/")
    expect(mentor.locator("tr.mentee-row")).to_have_count(0)
    assert axe_violations(mentor) == []
