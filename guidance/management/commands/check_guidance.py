"""List the guide pages whose facts need checking again (see guidance/content/README.md).

Without options it reads the content files, lists what is due and always exits 0. With
``--strict`` (run by ``make test``) it exits 1 when a page has no source, a source has no
checked date, a page has no ``review_by`` date or is past it, or a ``guide:`` link names no page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from guidance.content_loader import CONTENT_DIR, ContentError, PageData, broken_links, read_pages


@dataclass(frozen=True)
class Report:
    """What check_guidance found; ``problems`` fail the strict mode, ``notices`` never do."""

    overdue: list[str]
    past_figures: list[str]
    problems: list[str]
    notices: list[str]


def review(pages: list[PageData], today: date) -> Report:
    """Sort the pages' dates and sources into what is due, what is wrong and what is missing."""
    overdue, past_figures, problems, notices = [], [], [], []
    for page in sorted(pages, key=lambda page: page.name):
        if page.review_by is None:
            problems.append(f"{page.name}: no review_by date")
        elif page.review_by < today:
            overdue.append(f"{page.name}: review by {page.review_by} (reviewed {page.reviewed})")
        if page.figures_year is not None and page.figures_year < today.year:
            past_figures.append(f"{page.name}: figures for {page.figures_year}")
        if not page.sources:
            problems.append(f"{page.name}: no source")
        for number, source in enumerate(page.sources, start=1):
            if source.checked is None:
                problems.append(
                    f"{page.name}: source {number} ({source.title}) has no checked date"
                )
        anchors = {
            anchor for text in page.texts.values() for anchor in _anchors(text.body) if anchor
        }
        for source in page.sources:
            missing = [anchor for anchor in source.sections if anchor not in anchors]
            if missing:
                notices.append(
                    f"{page.name}: source {source.title!r} names sections the page does not "
                    f"have: {', '.join(missing)}"
                )
        if page.missing_languages:
            notices.append(f"{page.name}: not yet in {', '.join(page.missing_languages)}")
    problems.extend(broken_links(pages))
    problems.extend(f"{line} (past its review date)" for line in overdue)
    return Report(overdue, past_figures, problems, notices)


def _anchors(body: str) -> list[str]:
    return [
        line.rsplit("{#", 1)[1].rstrip("} \t")
        for line in body.splitlines()
        if line.startswith("#") and "{#" in line
    ]


class Command(BaseCommand):
    help = (
        "List guide pages past their review date or with figures of a past year; "
        "--strict fails on pages without sources, checked dates or a review date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--directory",
            type=Path,
            default=CONTENT_DIR,
            help="Folder of content files (default: guidance/content).",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Exit with status 1 when a page lacks a source, a checked date or a review "
            "date, is past its review date, or links to a page that does not exist.",
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Check as if today were this date (YYYY-MM-DD).",
        )

    def handle(
        self, *args: Any, directory: Path, strict: bool, today: date | None, **options: Any
    ) -> None:
        today = today or timezone.localdate()
        try:
            pages = read_pages(directory, strict=False, links=False)
        except ContentError as error:
            raise CommandError(str(error)) from None
        report = review(pages, today)
        self.stdout.write(f"Checked {len(pages)} guide pages on {today.isoformat()}.")
        self._section("Pages past their review date", report.overdue)
        self._section("Pages whose figures are for a past year", report.past_figures)
        if report.notices:
            self._section("Notes", report.notices)
        if strict:
            self._section("Problems (these fail --strict)", report.problems)
            if report.problems:
                raise CommandError(
                    f"{len(report.problems)} problem(s) in the guide pages: see the list above."
                )
        self.stdout.write(self.style.SUCCESS("Done."))

    def _section(self, heading: str, lines: list[str]) -> None:
        self.stdout.write(f"\n{heading}: {len(lines) if lines else 'none'}")
        for line in lines:
            self.stdout.write(f"  - {line}")
