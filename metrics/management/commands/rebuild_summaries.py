"""Summarise every business's months anew: after a deployment adds the summaries, or to check."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from metrics.programmes.summaries import summaries_rebuild


class Command(BaseCommand):
    help = "Rebuild the per-business monthly summaries that the programme dashboard reads."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--business", type=int, action="append", help="only this business id (repeatable)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        written = summaries_rebuild(options["business"])
        self.stdout.write(f"{written} month summaries written.")
