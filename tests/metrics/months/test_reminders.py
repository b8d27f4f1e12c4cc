"""``send_reminders``: last month not logged after the 5th, once per business and month."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO

from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from metrics.models.business import Business
from metrics.models.entries import Entry, ReminderSent
from tests.base import BaseTestCase
from tests.metrics.factories import make_business

# On 6 April 2026 the month to remind about is March 2026.
APRIL_6 = "2026-04-06"
MARCH = date(2026, 3, 1)


def run(*args: str) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


class RemindersTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice)
        # Set up long before the month in question.
        Business.objects.filter(pk=cls.business.pk).update(
            created=timezone.make_aware(datetime(2025, 1, 10))
        )

    def log_march(self, business: Business | None = None) -> None:
        Entry.objects.create(
            business=business or self.business, figure="revenue", month=MARCH, value=10
        )


class ReminderTests(RemindersTestCase):
    def test_it_reminds_an_owner_whose_last_month_is_not_logged(self) -> None:
        output = run("--today", APRIL_6)
        self.assertIn("1 reminder(s) sent for 2026-03.", output)
        (message,) = mail.outbox
        self.assertEqual(message.to, ["alice@example.org"])
        self.assertIn("March 2026", message.subject)
        month = reverse("metrics:month", args=[self.business.pk, "2026-03"])
        self.assertIn(f"http://127.0.0.1:8000{month}", message.body)
        self.assertIn(reverse("accounts:profile"), message.body)
        sent = ReminderSent.objects.get()
        self.assertEqual(
            (sent.business, sent.month, sent.recipient), (self.business, MARCH, self.alice)
        )

    @override_settings(SITE_URL="https://kpi.example.org")
    def test_the_link_starts_with_the_site_url(self) -> None:
        run("--today", APRIL_6)
        self.assertIn("https://kpi.example.org/b/", mail.outbox[0].body)

    def test_running_it_twice_sends_nothing_twice(self) -> None:
        run("--today", APRIL_6)
        output = run("--today", "2026-04-20")
        self.assertIn("0 reminder(s) sent", output)
        self.assertEqual(len(mail.outbox), 1)

    def test_it_waits_until_the_5th_has_passed(self) -> None:
        for day in ("2026-04-01", "2026-04-05"):
            self.assertIn("No reminders before the 6th", run("--today", day))
        self.assertEqual(mail.outbox, [])
        run("--today", APRIL_6)
        self.assertEqual(len(mail.outbox), 1)

    def test_a_logged_month_needs_no_reminder(self) -> None:
        self.log_march()
        run("--today", APRIL_6)
        self.assertEqual(mail.outbox, [])

    def test_an_owner_who_turned_reminders_off_gets_none(self) -> None:
        User.objects.filter(pk=self.alice.pk).update(reminders=False)
        run("--today", APRIL_6)
        self.assertEqual(mail.outbox, [])

    def test_the_profile_form_turns_them_off(self) -> None:
        self.client.force_login(self.alice)
        self.client.post(
            reverse("accounts:profile"),
            {"name": "Alice", "language": "en", "country": "be", "region": "flanders"},
        )
        self.alice.refresh_from_db()
        self.assertFalse(self.alice.reminders)
        run("--today", APRIL_6)
        self.assertEqual(mail.outbox, [])

    def test_it_is_in_the_owners_language(self) -> None:
        User.objects.filter(pk=self.alice.pk).update(language="fr")
        run("--today", APRIL_6)
        self.assertIn("mars 2026", mail.outbox[0].subject)
        self.assertTrue(mail.outbox[0].body.startswith("Bonjour,"))

    def test_each_business_gets_its_own_once_a_month(self) -> None:
        second = make_business(self.alice, name="Second")
        Business.objects.filter(pk=second.pk).update(
            created=timezone.make_aware(datetime(2025, 2, 1))
        )
        run("--today", APRIL_6)
        self.assertEqual(len(mail.outbox), 2)
        run("--today", "2026-05-06")
        self.assertEqual(len(mail.outbox), 4)
        self.assertEqual(ReminderSent.objects.count(), 4)

    def test_a_business_set_up_after_the_month_is_not_reminded_of_it(self) -> None:
        Business.objects.filter(pk=self.business.pk).update(
            created=timezone.make_aware(datetime(2026, 4, 2))
        )
        run("--today", APRIL_6)
        self.assertEqual(mail.outbox, [])

    def test_mentors_and_people_without_a_business_get_none(self) -> None:
        self.log_march()
        User.objects.create_user("dana@example.org", "x" * 12)
        run("--today", APRIL_6)
        self.assertEqual(mail.outbox, [])

    def test_a_dry_run_lists_and_sends_nothing(self) -> None:
        output = run("--dry-run", "--today", APRIL_6)
        self.assertIn("alice@example.org\tAmal's Kitchen\t2026-03", output)
        self.assertIn("1 reminder(s) would be sent for 2026-03.", output)
        self.assertEqual(mail.outbox, [])
        self.assertFalse(ReminderSent.objects.exists())

    def test_a_failed_email_is_tried_again_next_time(self) -> None:
        with override_settings(
            MAILERS={"default": {"BACKEND": "tests.metrics.mentoring.test_mentors.BrokenBackend"}}
        ):
            run("--today", APRIL_6)
        self.assertFalse(ReminderSent.objects.exists())
        run("--today", "2026-04-07")
        self.assertEqual(len(mail.outbox), 1)

    def test_a_bad_date_is_refused(self) -> None:
        with self.assertRaisesMessage(CommandError, "--today must be a date"):
            run("--today", "6 April")

    def test_without_today_it_uses_the_real_date(self) -> None:
        output = run("--dry-run")
        self.assertRegex(output, r"would be sent|No reminders before the 6th")
