"""A month's history: every change with who and when, and restoring a previous value."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.db import connection
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from metrics.engine import MonthlyFigures
from metrics.models.business import Business
from metrics.models.entries import Entry
from metrics.models.mentoring import Mentorship
from metrics.months.history import entry_changes
from metrics.months.services import REASON_RESTORE, entries_import, entries_save_month
from tests.base import BaseTestCase, url_with
from tests.metrics.factories import make_business

MARCH, APRIL = date(2024, 3, 1), date(2024, 4, 1)


class HistoryTestCase(BaseTestCase):
    business: Business

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice)
        Mentorship.objects.create(business=cls.business, mentor=cls.bob)

    def setUp(self) -> None:
        self.client.force_login(self.alice)

    def url(self, month: date | str = MARCH, business: Business | None = None) -> str:
        label = month if isinstance(month, str) else f"{month:%Y-%m}"
        return url_with("metrics:month_history", [(business or self.business).pk], "2024-01", label)

    def save(self, month: date = MARCH, note: str | None = None, **values: str | None) -> None:
        entries_save_month(
            business=self.business,
            month=month,
            values={
                code: None if value is None else Decimal(value) for code, value in values.items()
            },
            notes={code: note for code in values} if note is not None else None,
            user=self.alice,
        )

    def stored(self, month: date = MARCH) -> dict[str, Decimal]:
        rows = Entry.objects.filter(business=self.business, month=month)
        return dict(rows.values_list("figure", "value"))

    def rows(self, month: date = MARCH) -> list[dict]:
        response = self.client.get(self.url(month))
        self.assertEqual(response.status_code, 200)
        return response.context["rows"]

    def restore(self, change_id: int, month: date = MARCH) -> None:
        response = self.client.post(self.url(month), {"restore": change_id})
        self.assertRedirects(response, self.url(month), fetch_redirect_response=False)


class HistoryAccessTests(HistoryTestCase):
    def test_the_owner_sees_the_history_with_restore_buttons(self) -> None:
        self.save(revenue="10")
        self.save(revenue="20")
        response = self.client.get(self.url())
        self.assertTemplateUsed(response, "metrics/months/history.html")
        self.assertContains(response, 'name="restore"')

    def test_the_month_page_links_to_it(self) -> None:
        response = self.client.get(reverse("metrics:month", args=[self.business.pk, "2024-03"]))
        self.assertContains(response, f'href="{self.url()}"')

    def test_an_active_mentor_reads_it_without_restore_buttons(self) -> None:
        self.save(revenue="10")
        self.save(revenue="20")
        self.client.force_login(self.bob)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'name="restore"')
        self.assertNotContains(response, '<form method="post"')

    def test_it_requires_rw_access_to_restore(self) -> None:
        self.save(revenue="10")
        change = Entry.history.get()
        self.client.force_login(self.bob)
        response = self.client.post(self.url(), {"restore": change.history_id})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.stored(), {"revenue": Decimal(10)})

    def test_a_stranger_and_a_revoked_mentor_get_not_found(self) -> None:
        self.save(revenue="10")
        change = Entry.history.get()
        Mentorship.objects.update(revoked_at=timezone.now())
        for user in (self.charlie, self.bob):
            self.client.force_login(user)
            with self.subTest(user=user.email):
                self.assertEqual(self.client.get(self.url()).status_code, 404)
                response = self.client.post(self.url(), {"restore": change.history_id})
                self.assertEqual(response.status_code, 404)
        self.assertEqual(self.stored(), {"revenue": Decimal(10)})

    def test_an_anonymous_visitor_is_sent_to_log_in(self) -> None:
        self.client.logout()
        self.assertRedirects(
            self.client.get(self.url()),
            f"{reverse('accounts:login')}?next={self.url()}",
            fetch_redirect_response=False,
        )

    def test_a_month_that_cannot_be_read_is_not_found(self) -> None:
        self.assertEqual(self.client.get(self.url("2024-13")).status_code, 404)
        self.assertEqual(self.client.get(self.url("march")).status_code, 404)


class HistoryListTests(HistoryTestCase):
    def test_every_change_newest_first_with_before_after_who_and_how(self) -> None:
        self.save(revenue="1000", orders="50")
        self.save(revenue="1200")
        entries_import(
            business=self.business,
            figures=MonthlyFigures({MARCH: {"orders": Decimal(55)}}),
            user=self.bob,
        )
        self.save(revenue=None)
        rows = self.rows()
        self.assertEqual(
            [
                (row["figure"], row["kind"], row["before"], row["after"], row["who"], row["reason"])
                for row in rows
            ],
            [
                ("Revenue", "deleted", "€1,200.00", "", "Alice Haddad", "Month page"),
                ("Orders", "changed", "50", "55", "Bob Janssens", "Figures file"),
                ("Revenue", "changed", "€1,000.00", "€1,200.00", "Alice Haddad", "Month page"),
                ("Orders", "created", "", "50", "Alice Haddad", "Month page"),
                ("Revenue", "created", "", "€1,000.00", "Alice Haddad", "Month page"),
            ],
        )
        response = self.client.get(self.url())
        self.assertContains(response, "not entered")
        self.assertContains(response, "deleted")

    def test_only_this_months_entries_of_this_business(self) -> None:
        self.save(revenue="1000")
        self.save(APRIL, revenue="5")
        other = make_business(self.charlie, name="Other")
        entries_save_month(
            business=other, month=MARCH, values={"revenue": Decimal(7)}, user=self.charlie
        )
        self.assertEqual([row["after"] for row in self.rows()], ["€1,000.00"])

    def test_times_are_written_in_the_readers_language(self) -> None:
        self.save(revenue="1000")
        self.alice.language = "fr"
        self.alice.save(update_fields=["language"])
        change = Entry.history.get()
        when = timezone.localtime(change.history_date)
        months_fr = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                     "septembre", "octobre", "novembre", "décembre"]  # fmt: skip
        response = self.client.get(self.url())
        self.assertContains(response, f"{when.day} {months_fr[when.month - 1]} {when.year}")

    def test_no_history_yet(self) -> None:
        response = self.client.get(self.url())
        self.assertContains(response, 'id="no-history"')

    def test_a_value_that_is_already_current_cannot_be_restored(self) -> None:
        self.save(revenue="10")
        self.save(revenue="20")
        self.save(revenue="10")
        # Newest first: 20 → 10, 10 → 20, created 10. Restoring "10" is pointless now.
        self.assertEqual([row["restorable"] for row in self.rows()], [True, False, True])

    def test_the_query_count_does_not_grow_with_the_history(self) -> None:
        self.save(revenue="1")
        with CaptureQueriesContext(connection) as one_change:
            self.client.get(self.url())
        for value in range(2, 40):
            self.save(revenue=str(value), orders=str(value))
        with self.assertNumQueries(len(one_change)):
            response = self.client.get(self.url())
        self.assertEqual(len(response.context["rows"]), 77)
        # The session, the user, the business, the reminder, custom figures and KPIs, the
        # month's entries, and its history with the users.
        self.assertLessEqual(len(one_change), 9)


class RestoreTests(HistoryTestCase):
    def test_restoring_sets_the_value_back_and_writes_history(self) -> None:
        self.save(revenue="10", note="first")
        self.save(revenue="20", note="second")
        self.save(revenue="30", note="")
        newest, middle, _first = Entry.history.order_by("-history_id")
        self.restore(middle.history_id)  # the change 10 → 20: back to 10
        entry = Entry.objects.get()
        self.assertEqual((entry.value, entry.note), (Decimal(10), "first"))
        latest = Entry.history.order_by("-history_id").first()
        assert latest is not None
        self.assertEqual(
            (latest.history_type, latest.value, latest.history_user, latest.history_change_reason),
            ("~", Decimal(10), self.alice, REASON_RESTORE),
        )
        rows = self.rows()
        self.assertEqual((rows[0]["before"], rows[0]["after"]), ("€30.00", "€10.00"))
        self.assertEqual(rows[0]["reason"], "Restored from the history")
        self.restore(newest.history_id)  # the change 20 → 30: back to 20
        self.assertEqual(self.stored(), {"revenue": Decimal(20)})

    def test_restoring_not_entered_deletes_the_entry(self) -> None:
        self.save(revenue="10", orders="5")
        created = Entry.history.get(figure="revenue")
        self.restore(created.history_id)
        self.assertEqual(self.stored(), {"orders": Decimal(5)})
        deleted = Entry.history.order_by("-history_id").first()
        assert deleted is not None
        self.assertEqual(
            (deleted.history_type, deleted.history_user, deleted.history_change_reason),
            ("-", self.alice, REASON_RESTORE),
        )

    def test_restoring_a_deleted_value_brings_it_back(self) -> None:
        self.save(revenue="10")
        self.save(revenue=None)
        deletion = Entry.history.get(history_type="-")
        self.restore(deletion.history_id)
        self.assertEqual(self.stored(), {"revenue": Decimal(10)})
        response = self.client.get(self.url(), follow=True)
        self.assertEqual(response.context["rows"][0]["kind"], "created")

    def test_a_change_of_another_month_or_business_is_not_found(self) -> None:
        self.save(APRIL, revenue="10")
        other = make_business(self.alice, name="Second shop")
        entries_save_month(
            business=other, month=MARCH, values={"revenue": Decimal(7)}, user=self.alice
        )
        for change in Entry.history.all():
            with self.subTest(month=change.month, business=change.business_id):
                response = self.client.post(self.url(), {"restore": change.history_id})
                self.assertEqual(response.status_code, 404)
        self.assertEqual(Entry.objects.count(), 2)

    def test_a_restore_without_a_change_is_a_bad_request(self) -> None:
        self.assertEqual(self.client.post(self.url(), {}).status_code, 400)
        self.assertEqual(self.client.post(self.url(), {"restore": "x"}).status_code, 400)

    def test_restoring_what_is_already_stored_says_so(self) -> None:
        self.save(revenue="10")
        self.save(revenue="20")
        self.save(revenue="10")
        middle = Entry.history.order_by("history_id")[1]
        response = self.client.post(self.url(), {"restore": middle.history_id}, follow=True)
        self.assertContains(response, "Nothing to restore: the value is already that.")
        self.assertEqual(Entry.history.count(), 3)


class EntryChangesTests(SimpleTestCase):
    def record(self, id: int, figure: str, kind: str, value: str, note: str = "") -> object:
        return SimpleNamespace(
            history_id=id,
            history_type=kind,
            history_date=timezone.now(),
            history_change_reason=None,
            history_user=None,
            figure=figure,
            value=Decimal(value),
            note=note,
        )

    def test_each_change_knows_the_state_before_it(self) -> None:
        records = [
            self.record(1, "revenue", "+", "10", "a"),
            self.record(2, "orders", "+", "3"),
            self.record(3, "revenue", "~", "12"),
            self.record(4, "revenue", "-", "12"),
            self.record(5, "revenue", "+", "8"),
        ]
        changes = entry_changes(records)  # type: ignore[arg-type]
        self.assertEqual(
            [(c.id, c.before, c.before_note, c.after) for c in changes],
            [
                (1, None, "", Decimal(10)),
                (2, None, "", Decimal(3)),
                (3, Decimal(10), "a", Decimal(12)),
                (4, Decimal(12), "", None),
                (5, None, "", Decimal(8)),
            ],
        )
