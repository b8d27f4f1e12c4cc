"""Reload the guide pages from guidance/content/ (pages staff added in the admin are kept)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from guidance.content_loader import CONTENT_DIR, LANGUAGES, ContentError, PageData, read_pages
from guidance.models import GuidePage, GuideSource


def store_page(data: PageData) -> bool:
    """Create or update the page with this slug and replace its sources; True when created."""
    fields: dict[str, Any] = {
        "topic": data.topic,
        "country": data.country,
        "region": data.region,
        "kpis": list(data.kpis),
        "order": data.order,
        "reviewed": data.reviewed,
        "review_by": data.review_by,
        "figures_year": data.figures_year,
    }
    for name in ("title", "summary", "body"):
        for language in LANGUAGES:
            # A language the file does not have yet is left empty: readers get the fallback.
            text = data.texts.get(language)
            fields[f"{name}_{language}"] = getattr(text, name) if text else ""
    page, created = GuidePage.objects.update_or_create(slug=data.slug, defaults=fields)
    page.sources.all().delete()
    GuideSource.objects.bulk_create(
        GuideSource(
            page=page,
            title=source.title,
            url=source.url,
            checked=source.checked,
            sections=list(source.sections),
            order=number,
        )
        for number, source in enumerate(data.sources)
    )
    return created


class Command(BaseCommand):
    help = "Load the guide pages from the content files, updating pages with the same slug."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--directory",
            type=Path,
            default=CONTENT_DIR,
            help="Folder of content files (default: guidance/content).",
        )
        parser.add_argument(
            "--strict",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="Refuse files without all five languages, a review_by date or checked dates "
            "(default: guidance.content_loader.STRICT, on).",
        )

    def handle(self, *args: Any, directory: Path, strict: bool | None, **options: Any) -> None:
        try:
            pages = read_pages(directory, strict=strict)
        except ContentError as error:
            raise CommandError(str(error)) from None
        with transaction.atomic():
            created = sum(store_page(data) for data in pages)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {len(pages)} guide pages: {created} new, {len(pages) - created} updated."
            )
        )
