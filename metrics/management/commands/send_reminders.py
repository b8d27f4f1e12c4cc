"""``manage.py send_reminders``: email owners whose last month is not logged, once a month.

Meant for a scheduler (cron, a systemd timer, the ``scheduler`` service of docker-compose.yml).
Running it again the same day, every hour, or on two machines at once sends nothing twice: each
reminder is claimed by a unique row in the same transaction that queues its email.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections import Counter
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from metrics.months.reminders import Outcome, due_reminders, reminder_month, reminder_send


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today must be a date such as 2026-03-06, not {text!r}.") from None


class Command(BaseCommand):
    help = (
        "Email each entrepreneur whose figures for last month are not logged once the 5th has "
        "passed, in their language, once per business and month."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="list who would get a reminder, and send nothing",
        )
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="act as if today were this date (default: today)",
        )

    def handle(self, *args: object, **options: object) -> None:
        today = _day(str(options["today"])) if options["today"] else timezone.localdate()
        month = reminder_month(today)
        if month is None:
            self.stdout.write(f"No reminders before the 6th of the month ({today:%Y-%m-%d}).")
            return
        reminders = due_reminders(today)
        if options["dry_run"]:
            for reminder in reminders:
                self.stdout.write(
                    f"{reminder.email}\t{reminder.business.name}\t{reminder.month:%Y-%m}"
                )
            self.stdout.write(f"{len(reminders)} reminder(s) would be sent for {month:%Y-%m}.")
            return
        outcomes = Counter(reminder_send(reminder=reminder) for reminder in reminders)
        self.stdout.write(f"{outcomes[Outcome.QUEUED]} reminder(s) sent for {month:%Y-%m}.")
        if outcomes[Outcome.TAKEN]:
            self.stdout.write(f"{outcomes[Outcome.TAKEN]} reminder(s) left to another run.")
        if outcomes[Outcome.FAILED]:
            self.stderr.write(
                f"{outcomes[Outcome.FAILED]} reminder(s) not sent; the next run tries them again."
            )
