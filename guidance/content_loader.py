"""Parse the guide page files in guidance/content/ (format: guidance/content/README.md).

Pure functions: text in, plain data out, and a ContentError that names the file when a file
breaks the format. Writing to the database is the job of the load_guidance command and of
the data migration, which each use the models they are given.

Strict mode (``STRICT``, or ``strict=True``) is the finished format: every file in all five
languages, a ``review_by`` date and a ``checked`` date on every source. Without it, files that
do not have their Arabic and Ukrainian texts, their review date or their checked dates yet
still load, and ``check_guidance`` lists what they lack. ``STRICT_LINKS`` makes a ``guide:``
link to a slug no file has an error.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from accounts.countries import COUNTRIES
from guidance.models import SHARED_TOPICS, Topic

CONTENT_DIR = Path(__file__).resolve().parent / "content"
LANGUAGES = ("en", "fr", "nl", "ar", "uk")
# The languages every file has even outside strict mode.
BASE_LANGUAGES = ("en", "fr", "nl")
# On since every content file is written in the five languages (issue 14). Outside strict mode
# a file may lack its Arabic and Ukrainian texts, its review date and its checked dates.
STRICT = True
# On since every page that a guide: link names exists. Off, a link may arrive before its page
# (while several people write pages at once); check_guidance then lists such links.
STRICT_LINKS = True
TOPICS: tuple[str, ...] = tuple(Topic.values)
COUNTRY_REGIONS = {c.code: tuple(region.code for region in c.regions) for c in COUNTRIES}
# Shared folders and the topics their pages may have.
SHARED_FOLDERS: dict[str, tuple[str, ...]] = {
    "general": (Topic.GENERAL.value, Topic.INVESTORS.value),
    "kpis": (Topic.KPIS.value,),
}
GUIDE_SCHEME = "guide:"

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ANCHOR = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_MARKER = re.compile(r"^<!--\s*([a-z]{2})\s*-->[ \t]*$", re.MULTILINE)
# A Markdown link or reference definition whose target uses the guide: scheme.
GUIDE_LINK = re.compile(
    r"(?:\]\(\s*<?|^\s*\[[^\]]+\]:\s*<?)guide:([^\s)>#]*)(?:#([^\s)>]*))?", re.M
)
_KEYS = {
    "slug",
    "topic",
    "country",
    "region",
    "kpis",
    "order",
    "reviewed",
    "review_by",
    "figures_year",
    "sources",
}
_SOURCE_KEYS = {"title", "url", "checked", "sections"}
_FRONT_MATTER = "+++"


class ContentError(ValueError):
    """A content file does not follow the format; the message names the file."""


@dataclass(frozen=True)
class SourceData:
    title: str
    url: str
    checked: date | None = None
    sections: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextData:
    title: str
    summary: str
    body: str


@dataclass(frozen=True)
class PageData:
    """One parsed content file; ``texts`` holds the languages the file is written in."""

    slug: str
    topic: str
    country: str
    region: str
    kpis: tuple[str, ...]
    order: int
    reviewed: date
    sources: tuple[SourceData, ...]
    texts: dict[str, TextData]
    name: str = ""
    review_by: date | None = None
    figures_year: int | None = None
    links: tuple[tuple[str, str, str], ...] = field(default=())

    @property
    def missing_languages(self) -> tuple[str, ...]:
        """The languages of the format that the file does not have yet."""
        return tuple(language for language in LANGUAGES if language not in self.texts)


def parse_page(text: str, name: str, *, strict: bool | None = None) -> PageData:
    """Parse one file's text; ``name`` (its path) is quoted in every error."""
    strict = STRICT if strict is None else strict
    front, body = _split_front_matter(text, name)
    try:
        meta = tomllib.loads(front)
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{name}: the front matter is not valid TOML: {error}") from None
    unknown = sorted(set(meta) - _KEYS - set(LANGUAGES))
    if unknown:
        raise ContentError(f"{name}: unknown keys in the front matter: {', '.join(unknown)}")
    slug = _string(meta, "slug", name)
    if not _SLUG.match(slug):
        raise ContentError(
            f"{name}: slug {slug!r} may only hold lowercase letters, digits and single dashes"
        )
    topic = _string(meta, "topic", name)
    if topic not in TOPICS:
        raise ContentError(f"{name}: topic {topic!r} is not one of {', '.join(TOPICS)}")
    country = _string(meta, "country", name, default="")
    if country and country not in COUNTRY_REGIONS:
        codes = ", ".join(COUNTRY_REGIONS)
        raise ContentError(f'{name}: country {country!r} is not one of {codes} or ""')
    region = _string(meta, "region", name, default="")
    if region and region not in COUNTRY_REGIONS.get(country, ()):
        raise ContentError(f"{name}: region {region!r} does not belong to country {country!r}")
    bodies = _split_bodies(body, name, strict)
    for language in LANGUAGES:
        if language in meta and language not in bodies:
            raise ContentError(
                f"{name}: there is a [{language}] table but no <!-- {language} --> body"
            )
    texts = {language: _text(meta, language, bodies[language], name) for language in bodies}
    reviewed = _date(meta, "reviewed", name, required=True)
    assert reviewed is not None
    review_by = _date(meta, "review_by", name, required=strict)
    if review_by is not None and review_by < reviewed:
        raise ContentError(f"{name}: 'review_by' ({review_by}) is before 'reviewed' ({reviewed})")
    return PageData(
        slug=slug,
        topic=topic,
        country=country,
        region=region,
        kpis=_kpis(meta, name),
        order=_order(meta, name),
        reviewed=reviewed,
        sources=_sources(meta, name, strict),
        texts=texts,
        name=name,
        review_by=review_by,
        figures_year=_figures_year(meta, name),
        links=_links(texts, name),
    )


def read_pages(
    directory: Path = CONTENT_DIR, *, strict: bool | None = None, links: bool | None = None
) -> list[PageData]:
    """Parse every ``<folder>/<slug>.md`` file under the directory, checking folders, slugs and
    (with ``links``, by default ``STRICT_LINKS``) the ``guide:`` links between the pages."""
    pages: list[PageData] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.rglob("*.md")):
        if path.name == "README.md":
            continue
        name = str(path.relative_to(directory))
        page = parse_page(path.read_text(encoding="utf-8"), name, strict=strict)
        _check_folder(page, path.relative_to(directory), name)
        if page.slug in seen:
            raise ContentError(f"{name}: slug {page.slug!r} is already used by {seen[page.slug]}")
        seen[page.slug] = name
        pages.append(page)
    if STRICT_LINKS if links is None else links:
        unknown = broken_links(pages)
        if unknown:
            raise ContentError(unknown[0])
    return pages


def broken_links(pages: list[PageData]) -> list[str]:
    """A message for each ``guide:`` link that names no page, naming the file."""
    slugs = {page.slug for page in pages}
    return [
        f"{page.name}: the link guide:{slug} ({language}) names no page; "
        "use the slug of a page in guidance/content/"
        for page in pages
        for language, slug, _anchor in page.links
        if slug not in slugs
    ]


def _split_front_matter(text: str, name: str) -> tuple[str, str]:
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != _FRONT_MATTER:
        raise ContentError(f"{name}: the file must start with a line '+++' (front matter)")
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == _FRONT_MATTER:
            return "".join(lines[1:index]), "".join(lines[index + 1 :])
    raise ContentError(f"{name}: the front matter has no closing line '+++'")


def _split_bodies(body: str, name: str, strict: bool) -> dict[str, str]:
    markers = list(_MARKER.finditer(body))
    found = [match.group(1) for match in markers]
    listed = ", ".join(f"<!-- {language} -->" for language in LANGUAGES)
    for language in found:
        if language not in LANGUAGES:
            raise ContentError(f"{name}: unknown language marker <!-- {language} -->; use {listed}")
    for language in LANGUAGES if strict else BASE_LANGUAGES:
        if language not in found:
            raise ContentError(f"{name}: the marker <!-- {language} --> is missing")
    if found != [language for language in LANGUAGES if language in found]:
        raise ContentError(
            f"{name}: the language markers must be {', '.join(LANGUAGES)}, once each and in "
            f"that order (found {', '.join(found)})"
        )
    if body[: markers[0].start()].strip():
        raise ContentError(f"{name}: there is text before the <!-- en --> marker")
    bodies: dict[str, str] = {}
    for match, following in zip(markers, [*markers[1:], None], strict=True):
        end = following.start() if following else len(body)
        bodies[match.group(1)] = body[match.end() : end].strip() + "\n"
    return bodies


def _string(meta: dict, key: str, name: str, default: str | None = None) -> str:
    if key not in meta:
        if default is not None:
            return default
        raise ContentError(f"{name}: the front matter has no {key!r}")
    value = meta[key]
    if not isinstance(value, str):
        raise ContentError(f"{name}: {key!r} must be text in double quotes")
    return value.strip()


def _kpis(meta: dict, name: str) -> tuple[str, ...]:
    value = meta.get("kpis", [])
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ContentError(f"{name}: 'kpis' must be a list of KPI codes in double quotes")
    return tuple(value)


def _order(meta: dict, name: str) -> int:
    value = meta.get("order", 100)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 32767:
        raise ContentError(f"{name}: 'order' must be a whole number from 0 to 32767")
    return value


def _is_date(value: object) -> bool:
    return isinstance(value, date) and not hasattr(value, "hour")


def _date(meta: dict, key: str, name: str, *, required: bool) -> date | None:
    value = meta.get(key)
    if value is None:
        if required:
            raise ContentError(f"{name}: the front matter has no {key!r} date")
        return None
    if not _is_date(value):
        raise ContentError(f"{name}: {key!r} must be a date such as 2026-12-06, not in quotes")
    return value


def _figures_year(meta: dict, name: str) -> int | None:
    value = meta.get("figures_year")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
        raise ContentError(f"{name}: 'figures_year' must be a year such as 2026, not in quotes")
    return value


def _sources(meta: dict, name: str, strict: bool) -> tuple[SourceData, ...]:
    value = meta.get("sources", [])
    if not isinstance(value, list):
        raise ContentError(f"{name}: 'sources' must be a list of {{ title, url, checked }} tables")
    sources = []
    for number, source in enumerate(value, start=1):
        if not isinstance(source, dict) or not {"title", "url"} <= set(source) <= _SOURCE_KEYS:
            raise ContentError(
                f"{name}: source {number} must have a title, a url, a checked date and "
                "optionally sections, and nothing else"
            )
        title, url = source["title"], source["url"]
        if not (isinstance(title, str) and title.strip()):
            raise ContentError(f"{name}: source {number} has no title")
        if not (isinstance(url, str) and url.startswith(("https://", "http://"))):
            raise ContentError(f"{name}: source {number} needs an address starting with https://")
        checked = source.get("checked")
        if checked is None and strict:
            raise ContentError(f"{name}: source {number} ({title}) has no 'checked' date")
        if checked is not None and not _is_date(checked):
            raise ContentError(
                f"{name}: 'checked' of source {number} must be a date such as 2026-12-06"
            )
        sections = source.get("sections", [])
        if not isinstance(sections, list) or not all(
            isinstance(anchor, str) and _ANCHOR.match(anchor) for anchor in sections
        ):
            raise ContentError(
                f"{name}: 'sections' of source {number} must be a list of heading anchors "
                'such as ["acre"]'
            )
        sources.append(SourceData(title.strip(), url.strip(), checked, tuple(sections)))
    return tuple(sources)


def _text(meta: dict, language: str, body: str, name: str) -> TextData:
    table = meta.get(language)
    if not isinstance(table, dict):
        raise ContentError(f"{name}: the front matter has no [{language}] table")
    extra = sorted(set(table) - {"title", "summary"})
    if extra:
        raise ContentError(f"{name}: unknown keys in [{language}]: {', '.join(extra)}")
    title = _string(table, "title", f"{name} [{language}]")
    summary = _string(table, "summary", f"{name} [{language}]")
    for field_name, value in (("title", title), ("summary", summary), ("body", body)):
        if not value.strip():
            raise ContentError(f"{name}: the {field_name} in {language!r} is empty")
    return TextData(title, summary, body)


def _links(texts: dict[str, TextData], name: str) -> tuple[tuple[str, str, str], ...]:
    """Every ``guide:slug#anchor`` link of the bodies, as (language, slug, anchor)."""
    links = []
    for language, text in texts.items():
        for match in GUIDE_LINK.finditer(text.body):
            slug, anchor = match.group(1), match.group(2) or ""
            if not _SLUG.match(slug):
                raise ContentError(
                    f"{name}: the link guide:{slug} ({language}) must name a page's slug, "
                    "such as guide:fr-tax or guide:fr-tax#acre"
                )
            links.append((language, slug, anchor))
    return tuple(links)


def _check_folder(page: PageData, relative: Path, name: str) -> None:
    folder = relative.parts[0] if len(relative.parts) > 1 else ""
    if folder in SHARED_FOLDERS:
        topics = SHARED_FOLDERS[folder]
        if page.topic not in topics or page.country:
            allowed = " or ".join(repr(topic) for topic in topics)
            raise ContentError(
                f'{name}: a page in {folder}/ must have topic {allowed} and country ""'
            )
        if folder == "kpis" and relative.stem not in page.kpis:
            raise ContentError(f"{name}: 'kpis' must include {relative.stem!r}, the file's name")
    elif folder in COUNTRY_REGIONS:
        if page.country != folder or page.topic in SHARED_TOPICS:
            raise ContentError(
                f"{name}: a page in {folder}/ must have country {folder!r} and a country topic"
            )
    else:
        raise ContentError(
            f"{name}: put the file in general/, kpis/ or a country folder "
            f"({', '.join(COUNTRY_REGIONS)})"
        )
