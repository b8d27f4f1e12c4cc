"""The monthly reminder: last month's figures are not logged once the 5th has passed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet

from metrics.engine import add_months
from metrics.models.business import Business
from metrics.models.entries import Entry, ReminderSent
from metrics.notify import absolute, send_email

# Reminders start once this day of the month has passed.
GRACE_DAYS = 5


@dataclass(frozen=True, slots=True)
class Reminder:
    business: Business
    month: date

    @property
    def email(self) -> str:
        return self.business.owner.email


def reminder_month(today: date) -> date | None:
    """The month to remind about on ``today``: last month, once the 5th has passed."""
    if today.day <= GRACE_DAYS:
        return None
    return add_months(date(today.year, today.month, 1), -1)


def businesses_to_remind(month: date) -> QuerySet[Business]:
    """Businesses with nothing logged for ``month`` and no reminder for it yet.

    Only owners who want reminders, and only businesses set up before ``month`` ended: one set
    up this month is not reminded of the month before it existed.
    """
    logged = Entry.objects.filter(business=OuterRef("pk"), month=month)
    reminded = ReminderSent.objects.filter(business=OuterRef("pk"), month=month)
    return (
        Business.objects.filter(
            owner__reminders=True,
            owner__is_active=True,
            created__date__lt=add_months(month, 1),
        )
        .filter(~Exists(logged), ~Exists(reminded))
        .select_related("owner")
        .order_by("pk")
    )


def due_reminders(today: date) -> list[Reminder]:
    month = reminder_month(today)
    if month is None:
        return []
    return [Reminder(business, month) for business in businesses_to_remind(month)]


class Outcome(StrEnum):
    QUEUED = "queued"  # sent, or queued for a worker that sends it and retries until it can
    TAKEN = "taken"  # another run, maybe on another machine, claimed this reminder first
    FAILED = "failed"  # could not be sent now and nothing claimed: the next run tries again


class _NotSent(Exception):
    """Raised inside the claim's transaction to give the claim back."""


def reminder_send(*, reminder: Reminder) -> Outcome:
    """Claim, then send, one reminder: the claim (a unique row) and the queued email are one
    transaction, so two schedulers running at once send it once, and a crash sends it never
    twice and never not at all."""
    business = reminder.business
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                business=business, month=reminder.month, recipient=business.owner
            )
            queued = send_email(
                to=business.owner.email,
                language=business.owner.language,
                template="reminder",
                context={
                    "business": business,
                    "owner": business.owner,
                    "month": reminder.month,
                    "link": absolute("metrics:month", business.pk, f"{reminder.month:%Y-%m}"),
                    "profile": absolute("accounts:profile"),
                },
            )
            if not queued:
                raise _NotSent
    except IntegrityError:
        return Outcome.TAKEN
    except _NotSent:
        return Outcome.FAILED
    return Outcome.QUEUED
