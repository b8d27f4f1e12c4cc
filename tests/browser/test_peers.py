"""Peers like me on a 360-px phone in Arabic: it fits, reads right to left and passes axe."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Browser, expect

from accounts.models import User
from metrics.management.commands.load_demo import ENTREPRENEUR
from metrics.models.business import Business
from metrics.pages import last_complete_month
from metrics.programmes.services import cohort_create, membership_join
from tests.browser.conftest import PHONE, axe_violations
from tests.metrics.peers.factories import peers_of
from tests.metrics.programmes.helpers import make_programme

WIDTH = "() => document.documentElement.scrollWidth"


def _samira_among_peers(language: str) -> tuple[Business, str]:
    """The demo's entrepreneur in a programme with ten food businesses of Belgium."""
    call_command("load_demo", stdout=io.StringIO())
    owner = User.objects.get(email=ENTREPRENEUR)
    owner.language = language
    owner.save(update_fields=["language"])
    business = Business.objects.get(owner=owner)
    business.sector = "food"
    business.save(update_fields=["sector"])
    coordinator = User.objects.create_user("coordinator@example.org", "x" * 12)
    cohort, _token = cohort_create(
        programme=make_programme(coordinator), name="Antwerp", country="be"
    )
    membership_join(cohort=cohort, business=business, consent="aggregate")
    # Ten peers with 1 to 10 orders over 100 visitors last month: conversion 1 % to 10 %.
    peers_of(business, cohort, last_complete_month(), range(1, 11))
    client = Client()
    client.force_login(owner)
    return business, client.cookies[settings.SESSION_COOKIE_NAME].value


def test_the_block_fits_a_phone_in_arabic_and_the_best_quarter_is_on_the_left(
    browser: Browser, live_server, transactional_db
) -> None:
    business, session = _samira_among_peers("ar")
    context = browser.new_context(viewport=PHONE, locale="ar", base_url=live_server.url)
    url = live_server.url
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])
    page = context.new_page()
    page.goto(f"/b/{business.pk}/kpi/conversion_rate/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    block = page.locator("#peers")
    expect(block).to_contain_text("بين 10 مشاريع مماثلة في برنامج New Roots")
    expect(block.locator(".peer-quarter-own")).to_have_count(1)
    expect(block.locator("dl.peer-numbers dt")).to_have_count(5)
    assert page.evaluate(WIDTH) <= PHONE["width"]
    # Right to left, the bar runs from the weakest quarter (right) to the best (left).
    weakest = block.locator(".peer-quarter-weakest").bounding_box()
    best = block.locator(".peer-quarter-best").bounding_box()
    assert weakest and best
    assert best["x"] < weakest["x"]
    assert best["x"] >= 0 and weakest["x"] + weakest["width"] <= PHONE["width"]
    assert axe_violations(page, exclude=".kpi-chart .svg-container") == []
    context.close()


def test_the_block_reads_without_javascript(
    browser: Browser, live_server, transactional_db
) -> None:
    business, session = _samira_among_peers("en")
    context = browser.new_context(
        viewport=PHONE, locale="en-GB", base_url=live_server.url, java_script_enabled=False
    )
    url = live_server.url
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])
    page = context.new_page()
    page.goto(f"/b/{business.pk}/")
    page.locator(f'a[href^="/b/{business.pk}/kpi/conversion_rate/"]').click()
    block = page.locator("#peers")
    expect(block).to_contain_text("of 10 similar businesses in New Roots")
    expect(block.locator("dl.peer-numbers")).to_contain_text("Median")
    assert page.evaluate(WIDTH) <= PHONE["width"]
    context.close()
