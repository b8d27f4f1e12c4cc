"""Parse the guide page files in guidance/content/ (format: guidance/content/README.md).

Pure functions: text in, plain data out, and a ContentError that names the file when a file
breaks the format. Writing to the database is the job of the load_guidance command and of
the data migration, which each use the models they are given.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from accounts.countries import COUNTRIES
from guidance.models import Topic

CONTENT_DIR = Path(__file__).resolve().parent / "content"
LANGUAGES = ("en", "fr", "nl")
TOPICS: tuple[str, ...] = tuple(Topic.values)
COUNTRY_REGIONS = {c.code: tuple(region.code for region in c.regions) for c in COUNTRIES}
SHARED_FOLDERS = {"general": "general", "kpis": "kpis"}

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MARKER = re.compile(r"^<!--\s*([a-z]{2})\s*-->[ \t]*$", re.MULTILINE)
_KEYS = {"slug", "topic", "country", "region", "kpis", "order", "reviewed", "sources"}
_FRONT_MATTER = "+++"


class ContentError(ValueError):
    """A content file does not follow the format; the message names the file."""


@dataclass(frozen=True)
class SourceData:
    title: str
    url: str


@dataclass(frozen=True)
class TextData:
    title: str
    summary: str
    body: str


@dataclass(frozen=True)
class PageData:
    """One parsed content file."""

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


def parse_page(text: str, name: str) -> PageData:
    """Parse one file's text; ``name`` (its path) is quoted in every error."""
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
    bodies = _split_bodies(body, name)
    return PageData(
        slug=slug,
        topic=topic,
        country=country,
        region=region,
        kpis=_kpis(meta, name),
        order=_order(meta, name),
        reviewed=_reviewed(meta, name),
        sources=_sources(meta, name),
        texts={language: _text(meta, language, bodies[language], name) for language in LANGUAGES},
        name=name,
    )


def read_pages(directory: Path = CONTENT_DIR) -> list[PageData]:
    """Parse every ``<folder>/<slug>.md`` file under the directory, checking folders and slugs."""
    pages: list[PageData] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.rglob("*.md")):
        if path.name == "README.md":
            continue
        name = str(path.relative_to(directory))
        page = parse_page(path.read_text(encoding="utf-8"), name)
        _check_folder(page, path.relative_to(directory), name)
        if page.slug in seen:
            raise ContentError(f"{name}: slug {page.slug!r} is already used by {seen[page.slug]}")
        seen[page.slug] = name
        pages.append(page)
    return pages


def _split_front_matter(text: str, name: str) -> tuple[str, str]:
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != _FRONT_MATTER:
        raise ContentError(f"{name}: the file must start with a line '+++' (front matter)")
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == _FRONT_MATTER:
            return "".join(lines[1:index]), "".join(lines[index + 1 :])
    raise ContentError(f"{name}: the front matter has no closing line '+++'")


def _split_bodies(body: str, name: str) -> dict[str, str]:
    markers = list(_MARKER.finditer(body))
    found = [match.group(1) for match in markers]
    for language in found:
        if language not in LANGUAGES:
            raise ContentError(
                f"{name}: unknown language marker <!-- {language} -->; "
                f"use <!-- en -->, <!-- fr --> and <!-- nl -->"
            )
    for language in LANGUAGES:
        if language not in found:
            raise ContentError(f"{name}: the marker <!-- {language} --> is missing")
    if found != list(LANGUAGES):
        raise ContentError(
            f"{name}: the language markers must be en, fr, nl, once each and in that order "
            f"(found {', '.join(found)})"
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


def _reviewed(meta: dict, name: str) -> date:
    value = meta.get("reviewed")
    if value is None:
        raise ContentError(f"{name}: the front matter has no 'reviewed' date")
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise ContentError(f"{name}: 'reviewed' must be a date such as 2026-11-23, not in quotes")
    return value


def _sources(meta: dict, name: str) -> tuple[SourceData, ...]:
    value = meta.get("sources", [])
    if not isinstance(value, list):
        raise ContentError(f"{name}: 'sources' must be a list of {{ title, url }} tables")
    sources = []
    for number, source in enumerate(value, start=1):
        if not isinstance(source, dict) or set(source) != {"title", "url"}:
            raise ContentError(f"{name}: source {number} must have exactly a title and a url")
        title, url = source["title"], source["url"]
        if not (isinstance(title, str) and title.strip()):
            raise ContentError(f"{name}: source {number} has no title")
        if not (isinstance(url, str) and url.startswith(("https://", "http://"))):
            raise ContentError(f"{name}: source {number} needs an address starting with https://")
        sources.append(SourceData(title.strip(), url.strip()))
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
    for field, value in (("title", title), ("summary", summary), ("body", body)):
        if not value.strip():
            raise ContentError(f"{name}: the {field} in {language!r} is empty")
    return TextData(title, summary, body)


def _check_folder(page: PageData, relative: Path, name: str) -> None:
    folder = relative.parts[0] if len(relative.parts) > 1 else ""
    if folder in SHARED_FOLDERS:
        if page.topic != SHARED_FOLDERS[folder] or page.country:
            raise ContentError(
                f'{name}: a page in {folder}/ must have topic {folder!r} and country ""'
            )
        if folder == "kpis" and relative.stem not in page.kpis:
            raise ContentError(f"{name}: 'kpis' must include {relative.stem!r}, the file's name")
    elif folder in COUNTRY_REGIONS:
        if page.country != folder or page.topic in SHARED_FOLDERS:
            raise ContentError(
                f"{name}: a page in {folder}/ must have country {folder!r} and a country topic"
            )
    else:
        raise ContentError(
            f"{name}: put the file in general/, kpis/ or a country folder "
            f"({', '.join(COUNTRY_REGIONS)})"
        )
