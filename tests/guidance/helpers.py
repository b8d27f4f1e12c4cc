"""Small guide pages for the tests, independent of the shipped content."""

from __future__ import annotations

from datetime import date

from guidance.models import GuidePage, GuideSource

LANGUAGE_NAMES = {
    "en": "English",
    "fr": "French",
    "nl": "Dutch",
    "ar": "Arabic",
    "uk": "Ukrainian",
}


def make_page(
    slug: str,
    topic: str = "general",
    country: str = "",
    region: str = "",
    *,
    languages: tuple[str, ...] = ("en", "fr", "nl", "ar", "uk"),
    body: str | None = None,
    kpis: list[str] | None = None,
    order: int = 100,
    sources: int = 1,
    review_by: date | None = date(2027, 11, 23),
    figures_year: int | None = None,
    sections: list[str] | None = None,
) -> GuidePage:
    """A page whose texts say its slug and language, e.g. "be-register (French)"."""
    fields: dict[str, object] = {}
    for language in languages:
        name = LANGUAGE_NAMES[language]
        fields[f"title_{language}"] = f"{slug} ({name})"
        fields[f"summary_{language}"] = f"Summary of {slug} in {name}."
        fields[f"body_{language}"] = body or f"## Check {{#check}}\n\nBody of {slug} in {name}."
    page = GuidePage.objects.create(
        slug=slug,
        topic=topic,
        country=country,
        region=region,
        kpis=kpis or [],
        order=order,
        reviewed=date(2026, 11, 23),
        review_by=review_by,
        figures_year=figures_year,
        **fields,
    )
    GuideSource.objects.bulk_create(
        GuideSource(
            page=page,
            title=f"Source {n} of {slug}",
            url=f"https://example.org/{n}",
            checked=date(2026, 12, 6),
            sections=sections or [],
            order=n,
        )
        for n in range(sources)
    )
    return page
