"""Every shipped page, in every language: it renders with its sources and dates, its links lead
somewhere real, and no two countries share a title. The database holds what the data migration
loaded from guidance/content/."""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from guidance.models import PAGE_LANGUAGES, GuidePage
from guidance.rendering import render_markdown

LANGUAGES = ("en", "fr", "nl", "ar", "uk")
_HREF = re.compile(r'<a href="([^"]+)"')
_ID = re.compile(r' id="([^"]+)"')


def _client(language: str) -> Client:
    client = Client()
    client.post(reverse("accounts:set_language"), {"language": language, "next": "/"})
    return client


def test_the_pages_are_written_in_five_languages() -> None:
    assert PAGE_LANGUAGES == LANGUAGES


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_renders_in_the_language_with_sources_and_checked_dates(
    language: str,
) -> None:
    client = _client(language)
    problems: dict[str, str] = {}
    for page in GuidePage.objects.order_by("slug"):
        response = client.get(page.get_absolute_url())
        if response.status_code != 200:
            problems[page.slug] = f"status {response.status_code}"
            continue
        html = response.content.decode()
        if f'<article class="guide" lang="{language}"' not in html:
            problems[page.slug] = f"not written in {language} (fallback)"
        elif "<ul data-sources>" not in html:
            problems[page.slug] = "no source"
        else:
            sources = html.split("<ul data-sources>", 1)[1].split("</ul>", 1)[0]
            if sources.count("<li>") != sources.count("<time datetime="):
                problems[page.slug] = "a source without its checked date"
            elif 'data-page-checked><time datetime="' not in html:
                problems[page.slug] = "no checked date for the page"
    assert problems == {}


@pytest.mark.django_db
def test_no_two_countries_share_a_title_in_any_language() -> None:
    shared: dict[str, list[str]] = {}
    for language in LANGUAGES:
        countries: dict[str, set[str]] = defaultdict(set)
        slugs: dict[str, list[str]] = defaultdict(list)
        for page in GuidePage.objects.exclude(country=""):
            title = page.localized("title", language).strip().casefold()
            if title:
                countries[title].add(page.country)
                slugs[title].append(page.slug)
        for title, found in countries.items():
            if len(found) > 1:
                shared[f"{language}: {title}"] = sorted(slugs[title])
    assert shared == {}


def _anchors(page: GuidePage, language: str) -> set[str]:
    return set(_ID.findall(render_markdown(page.localized("body", language))))


def broken_internal_links() -> list[str]:
    """Each internal link of every page, in every language, that leads nowhere."""
    pages = {page.slug: page for page in GuidePage.objects.all()}
    broken: list[str] = []
    for page in pages.values():
        base = page.get_absolute_url()
        for language in LANGUAGES:
            body = page.localized("body", language)
            if "guide:" in body.replace("](guide:", ""):
                broken.append(f"{page.slug} ({language}): an unresolved guide: link")
            for href in _HREF.findall(render_markdown(body)):
                if urlsplit(href).scheme in ("http", "https", "mailto"):
                    continue
                url = urlsplit(urljoin(base, href))
                try:
                    match = resolve(url.path)
                except Resolver404:
                    broken.append(f"{page.slug} ({language}): {href} resolves to nothing")
                    continue
                target = page
                if match.view_name == "guidance:page":
                    target = pages.get(match.kwargs["slug"])
                    if target is None:
                        broken.append(f"{page.slug} ({language}): {href} names no page")
                        continue
                elif url.fragment:
                    broken.append(f"{page.slug} ({language}): {href} is not a guide page")
                    continue
                if url.fragment and url.fragment not in _anchors(target, language):
                    broken.append(f"{page.slug} ({language}): {href} has no such anchor")
    return broken


@pytest.mark.django_db
def test_every_internal_link_leads_to_a_page_and_an_anchor_that_exist() -> None:
    assert broken_internal_links() == []


@pytest.mark.django_db
def test_the_link_check_finds_a_broken_link_and_a_missing_anchor() -> None:
    GuidePage.objects.filter(slug="choosing-metrics").update(
        body_uk="[a](guide:no-such-page) [b](guide:choosing-metrics#no-such-anchor) [c](#x)"
    )
    found = [line for line in broken_internal_links() if line.startswith("choosing-metrics (uk)")]
    assert found == [
        "choosing-metrics (uk): /guidance/no-such-page/ names no page",
        "choosing-metrics (uk): /guidance/choosing-metrics/#no-such-anchor has no such anchor",
        "choosing-metrics (uk): #x has no such anchor",
    ]
