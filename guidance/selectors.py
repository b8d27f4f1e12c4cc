"""Read the guide pages a reader needs; every function costs a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from accounts.countries import Country
from guidance.models import (
    COUNTRY_TOPICS,
    FALLBACK_LANGUAGE,
    PAGE_LANGUAGES,
    GuidePage,
    PageText,
    Topic,
)

SEARCH_MAX_LENGTH = 100


@dataclass(frozen=True)
class PageEntry:
    """A page in a list: its title and summary in the language they are shown in."""

    page: GuidePage
    text: PageText


@dataclass(frozen=True)
class TopicChoice:
    """What the topic address shows for the reader's country and region."""

    page: GuidePage | None
    regional: list[GuidePage]


def entries(pages: Iterable[GuidePage], language: str) -> list[PageEntry]:
    """Pair each page with its title and summary in the reader's language."""
    return [PageEntry(page, page.heading(language)) for page in pages]


def country_entries(country: Country, region: str, language: str) -> list[PageEntry]:
    """The country's pages in topic order, narrowed to the region when one is chosen."""
    pages = GuidePage.objects.listing().filter(country=country.code)
    if region:
        pages = pages.filter(region__in=["", region])
    rank = {topic: number for number, topic in enumerate(COUNTRY_TOPICS)}
    ordered = sorted(pages, key=lambda page: (rank.get(page.topic, len(rank)), page.order))
    return entries(ordered, language)


def search(query: str, language: str, country: Country | None, region: str) -> list[GuidePage]:
    """Pages whose title or summary, in the reader's language, holds the words of the query."""
    shown = language if language in PAGE_LANGUAGES else FALLBACK_LANGUAGE
    pages = GuidePage.objects.listing()
    if country is not None:
        pages = pages.for_place(country.code, region)
    for word in query.split()[:10]:
        pages = pages.filter(
            Q(**{f"title_{shown}__icontains": word}) | Q(**{f"summary_{shown}__icontains": word})
        )
    return list(pages[:50])


def page_by_slug(slug: str) -> GuidePage | None:
    """The page with this slug and its sources, or None."""
    return GuidePage.objects.with_sources().filter(slug=slug).first()


def page_for_kpi(code: str) -> GuidePage | None:
    """The KPI page that explains this catalogue code (a page naming it first wins)."""
    candidates = GuidePage.objects.filter(topic=Topic.KPIS).values_list("pk", "order", "kpis")
    ranked = sorted(
        (kpis.index(code), order, pk)
        for pk, order, kpis in candidates
        if isinstance(kpis, list) and code in kpis
    )
    if not ranked:
        return None
    return GuidePage.objects.with_sources().filter(pk=ranked[0][2]).first()


def shared_pages(*topics: str) -> list[GuidePage]:
    """The pages for everyone on these topics (in this topic order), without their bodies."""
    pages = GuidePage.objects.listing().filter(topic__in=topics, country="")
    rank = {topic: number for number, topic in enumerate(topics)}
    return sorted(pages, key=lambda page: (rank[page.topic], page.order, page.slug))


def choose_topic_page(topic: str, country: Country, region: str) -> TopicChoice:
    """The region's page if one exists, else the national one, else the regional pages."""
    pages = list(GuidePage.objects.with_sources().filter(topic=topic, country=country.code))
    national = [page for page in pages if not page.region]
    regional = [page for page in pages if page.region]
    own = [page for page in regional if page.region == region]
    if own:
        return TopicChoice(own[0], [])
    if national:
        return TopicChoice(national[0], [])
    return TopicChoice(None, regional)
