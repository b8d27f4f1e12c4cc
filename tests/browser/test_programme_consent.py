"""A newcomer joins a cohort, changes what the programme sees, leaves; and accepts a mentor.

On a 360-px phone, in French and in Arabic (right to left), with axe on every page and no
page wider than the screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, expect

from accounts.models import User
from metrics.models.business import Business
from metrics.models.matching import PoolMentor, Proposal
from metrics.models.mentoring import Mentorship
from metrics.models.programmes import CohortMembership, Coordinator, Programme
from metrics.programmes.services import cohort_create
from tests.base import PASSWORD
from tests.browser.conftest import PHONE, axe_violations

WIDTH = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def phone(browser: Browser, live_server) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, locale="en-GB", base_url=live_server.url)
    context.set_default_timeout(10_000)
    yield context
    context.close()


def _as(context: BrowserContext, base_url: str, user: User) -> Page:
    """A page logged in as ``user``, in their language."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.clear_cookies()
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": user.language, "url": base_url},
        ]
    )
    return context.pages[0] if context.pages else context.new_page()


def _fits_and_passes_axe(page: Page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert page.evaluate(WIDTH), f"{page.url} is wider than the phone"
    assert axe_violations(page) == [], page.url


def _people(language: str) -> tuple[Programme, User, Business]:
    programme = Programme.objects.create(
        name="New Ground", countries=["be", "fr"], languages=["fr", "ar"], start=date(2025, 1, 1)
    )
    coordinator = User.objects.create_user("ines@example.org", PASSWORD, language=language)
    Coordinator.objects.create(programme=programme, user=coordinator)
    owner = User.objects.create_user(
        "lina@example.org", PASSWORD, name="Lina Aziz", language=language, country="fr"
    )
    business = Business.objects.create(
        owner=owner, name="Lina's Pastries", country="fr", sells="Pastries", sector="food"
    )
    return programme, owner, business


# What the French and Arabic pages say, to know each page is really in that language.
TEXT = {
    "fr": {"join": "Rejoindre", "named": "voit maintenant votre ligne", "left": "Vous avez quitté"},
    "ar": {"join": "انضمّ إلى", "named": "ترى الآن سطرك", "left": "غادرت"},
}


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_joining_changing_and_leaving_a_cohort(
    phone: BrowserContext, live_server, transactional_db, language: str
) -> None:
    programme, owner, business = _people(language)
    cohort, token = cohort_create(programme=programme, name="Lyon", country="fr")
    page = _as(phone, live_server.url, owner)

    # She follows the cohort's link and reads what the programme will see, in her language.
    page.goto(f"/programmes/join/{token}/")
    expect(page.locator("h1")).to_contain_text(TEXT[language]["join"])
    expect(page.locator("dl.what-they-see dt")).to_have_count(2)
    _fits_and_passes_axe(page, language)

    # Totals only is already chosen: she joins with it.
    expect(page.locator("input[value=aggregate]")).to_be_checked()
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text(cohort.name)
    membership = CohortMembership.objects.get(business=business)
    assert (membership.consent, membership.left_at) == ("aggregate", None)
    _fits_and_passes_axe(page, language)

    # She lets the coordinators see her row.
    page.locator("input[value=named]").check()
    page.locator("form[action$='/consent/'] button").click()
    expect(page.locator(".alert-success")).to_contain_text(TEXT[language]["named"])
    membership.refresh_from_db()
    assert membership.consent == "named"

    # She leaves: the programme sees nothing more of her.
    page.locator("form[action$='/leave/'] button").click()
    expect(page.locator(".alert-success")).to_contain_text(TEXT[language]["left"])
    expect(page.locator("section.membership")).to_have_count(0)
    membership.refresh_from_db()
    assert membership.left_at is not None
    _fits_and_passes_axe(page, language)


def test_a_coordinator_proposes_a_mentor_and_the_entrepreneur_accepts(
    phone: BrowserContext, live_server, transactional_db
) -> None:
    language = "ar"
    programme, owner, business = _people(language)
    cohort, _token = cohort_create(programme=programme, name="Lyon", country="fr")
    CohortMembership.objects.create(cohort=cohort, business=business, consent="named")
    nadia = User.objects.create_user("nadia@example.org", PASSWORD, name="Nadia Belkacem")
    entry = PoolMentor.objects.create(
        programme=programme, user=nadia, languages=["ar", "fr"], sectors=["food"], country="fr"
    )

    # The coordinator sees Lina's business with Nadia first, and proposes her.
    page = _as(phone, live_server.url, programme.coordinators.get().user)
    page.goto(f"/programmes/{programme.pk}/matching/")
    row = page.locator("section.match-row")
    expect(row.locator("h2")).to_contain_text("Lina's Pastries")
    expect(row.locator("li.suggestion strong").first).to_have_text("Nadia Belkacem")
    _fits_and_passes_axe(page, language)
    row.locator("li.suggestion button").first.click()
    expect(page.locator(".proposal-waiting")).to_contain_text("Nadia Belkacem")
    proposal = Proposal.objects.get()
    assert (proposal.mentor, proposal.state) == (entry, "pending")

    # Lina reads who Nadia is and what a mentor sees, and accepts.
    page = _as(phone, live_server.url, owner)
    page.goto(f"/b/{business.pk}/programmes/")
    expect(page.locator(".proposal .mentor-name")).to_have_text("Nadia Belkacem")
    expect(page.locator(".proposal dd").nth(1)).to_have_text("العربية, Français")
    _fits_and_passes_axe(page, language)
    page.locator("form[action$='/accept/'] button").click()
    expect(page.locator(".alert-success")).to_contain_text("Nadia Belkacem")
    expect(page.locator(".proposal")).to_have_count(0)
    mentorship = Mentorship.objects.get(business=business, revoked_at=None)
    assert mentorship.mentor == nadia

    # Nadia is on the Mentors page like any mentor invited by link, and can be removed there.
    page.goto(f"/b/{business.pk}/mentors/")
    expect(page.locator("main")).to_contain_text("Nadia Belkacem")
    _fits_and_passes_axe(page, language)
