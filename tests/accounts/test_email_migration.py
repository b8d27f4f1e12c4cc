"""The migration that stores existing addresses normalised, run on rows written before it."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

BEFORE = [("accounts", "0001_initial")]
AFTER = [("accounts", "0002_email_normalised")]


class EmailMigrationTests(TransactionTestCase):
    def migrate(self, target: list[tuple[str, str]]):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(target)
        return executor.loader.project_state(target).apps

    def setUp(self) -> None:
        self.old_apps = self.migrate(BEFORE)

    def tearDown(self) -> None:
        self.migrate(AFTER)

    def test_existing_addresses_are_lowered_and_trimmed(self) -> None:
        OldUser = self.old_apps.get_model("accounts", "User")
        OldUser.objects.create(email="Ana@Example.org", password="x")
        OldUser.objects.create(email=" ben@example.org", password="x")
        new_apps = self.migrate(AFTER)
        emails = new_apps.get_model("accounts", "User").objects.values_list("email", flat=True)
        self.assertEqual(sorted(emails), ["ana@example.org", "ben@example.org"])

    def test_two_accounts_differing_only_by_case_stop_it_unchanged(self) -> None:
        OldUser = self.old_apps.get_model("accounts", "User")
        first = OldUser.objects.create(email="Ana@example.org", password="x")
        second = OldUser.objects.create(email="ana@example.org", password="x")
        OldUser.objects.create(email="Carl@example.org", password="x")
        with self.assertRaises(RuntimeError) as raised:
            self.migrate(AFTER)
        message = str(raised.exception)
        self.assertIn(f"#{first.pk} 'Ana@example.org'", message)
        self.assertIn(f"#{second.pk} 'ana@example.org'", message)
        self.assertIn("Merge or rename them in the admin", message)
        # Nothing changed, not even the row that had no twin.
        self.assertEqual(
            sorted(OldUser.objects.values_list("email", flat=True)),
            ["Ana@example.org", "Carl@example.org", "ana@example.org"],
        )
        OldUser.objects.filter(pk=second.pk).update(email="ana.second@example.org")
