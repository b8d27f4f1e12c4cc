"""The acceptance test of the content: what a fresh install must hold, from the catalogue.

The expected pages are computed from the KPI catalogue, the countries and the topics, never
from the files, so a missing file fails here. The database holds what the data migration
loaded from guidance/content/.
"""

from __future__ import annotations

import pytest

from accounts.countries import COUNTRIES
from guidance.models import COUNTRY_TOPICS, PAGE_LANGUAGES, GuidePage, Topic
from guidance.rendering import render_markdown
from metrics.engine.catalogue import KPIS

# Topics whose pages are written per region where the country has regions (Belgium).
REGIONAL = (Topic.START, Topic.PERMITS)
KPI_ANCHORS = ("what-it-tells", "how-computed", "example", "good", "what-to-try", "figures")
COUNTRY_PLACES = [
    (country.code, topic.value, region)
    for country in COUNTRIES
    for topic in COUNTRY_TOPICS
    for region in (
        [r.code for r in country.regions] if country.regions and topic in REGIONAL else [""]
    )
]


def _missing_text(page: GuidePage) -> list[str]:
    return [
        f"{field}_{language}"
        for language in PAGE_LANGUAGES
        for field in ("title", "summary", "body")
        if not page.localized(field, language).strip()
    ]


def _missing_anchors(page: GuidePage, anchors: tuple[str, ...]) -> list[str]:
    return [
        f"#{anchor} ({language})"
        for language in PAGE_LANGUAGES
        for anchor in anchors
        if f'id="{anchor}"' not in render_markdown(page.localized("body", language))
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(KPIS))
def test_every_catalogue_kpi_has_a_complete_page(code: str) -> None:
    pages = [
        page for page in GuidePage.objects.filter(topic=Topic.KPIS) if code in (page.kpis or [])
    ]
    assert pages, f"No guide page explains the KPI {code!r} (add guidance/content/kpis/{code}.md)"
    page = pages[0]
    assert _missing_text(page) == [], f"{page.slug} has empty fields"
    # The dashboard links a "behind" verdict to #what-to-try.
    assert _missing_anchors(page, KPI_ANCHORS) == [], f"{page.slug} lacks sections"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("country", "topic", "region"),
    COUNTRY_PLACES,
    ids=[f"{c}-{t}{'-' + r if r else ''}" for c, t, r in COUNTRY_PLACES],
)
def test_every_country_has_a_complete_page_per_topic(country: str, topic: str, region: str) -> None:
    page = GuidePage.objects.filter(country=country, topic=topic, region=region).first()
    place = f"{country}/{topic}" + (f" ({region})" if region else "")
    assert page is not None, f"No guide page for {place}"
    assert _missing_text(page) == [], f"{page.slug} has empty fields"
    assert page.reviewed is not None, f"{page.slug} has no review date"
    assert page.review_by is not None, f"{page.slug} has no review_by date"
    assert page.sources.exists(), f"{page.slug} names no source"
    assert not page.sources.filter(checked=None).exists(), f"{page.slug}: a source is not dated"
    assert _missing_anchors(page, ("check",)) == [], f"{page.slug} lacks 'Check before you act'"


@pytest.mark.django_db
def test_the_general_page_on_choosing_metrics_exists() -> None:
    page = GuidePage.objects.filter(slug="choosing-metrics").first()
    assert page is not None, "No page with the slug 'choosing-metrics'"
    assert page.topic == Topic.GENERAL and page.country == ""
    assert _missing_text(page) == []


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["choosing-metrics", "getting-help", "investors"])
def test_the_shared_pages_exist_with_dates(slug: str) -> None:
    page = GuidePage.objects.filter(slug=slug).first()
    assert page is not None, f"No page with the slug {slug!r}"
    assert page.country == "" and page.topic in (Topic.GENERAL, Topic.INVESTORS)
    assert _missing_text(page) == []
    assert page.review_by is not None and page.sources.exists()


@pytest.mark.django_db
def test_every_kpi_code_named_by_a_page_is_in_the_catalogue() -> None:
    unknown = {
        page.slug: [code for code in page.kpis if code not in KPIS]
        for page in GuidePage.objects.all()
    }
    assert {slug: codes for slug, codes in unknown.items() if codes} == {}


@pytest.mark.django_db
def test_every_page_is_complete_in_the_five_languages() -> None:
    incomplete = {page.slug: _missing_text(page) for page in GuidePage.objects.all()}
    assert {slug: fields for slug, fields in incomplete.items() if fields} == {}
