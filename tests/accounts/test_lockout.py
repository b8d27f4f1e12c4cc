"""One address, however it is typed: log-in, the lock-out key and storage agree (issue 13)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.test import RequestFactory, SimpleTestCase
from django.urls import reverse

from accounts.addresses import axes_username, normalise_email
from accounts.models import User
from tests.base import PASSWORD, BaseTestCase


class NormaliseTests(SimpleTestCase):
    def test_it_strips_and_lowers(self) -> None:
        self.assertEqual(normalise_email("  Victim@Example.ORG \t"), "victim@example.org")

    def test_it_keeps_a_sharp_s_which_case_folding_would_turn_into_ss(self) -> None:
        self.assertEqual(normalise_email("STRAßE@example.de"), "straße@example.de")

    def test_the_lockout_key_is_the_normalised_address(self) -> None:
        request = RequestFactory().post("/", {"username": " Victim@Example.org "})
        self.assertEqual(axes_username(request, None), "victim@example.org")
        self.assertEqual(
            axes_username(request, {"username": "VICTIM@example.org"}), "victim@example.org"
        )


class LockoutTests(BaseTestCase):
    def post(self, username: str, password: str = "wrong password"):
        return self.client.post(
            reverse("accounts:login"),
            {"username": username, "password": password},
            REMOTE_ADDR="10.1.1.1",
        )

    def test_after_five_failures_every_spelling_of_the_address_is_locked(self) -> None:
        for _ in range(4):
            self.assertEqual(self.post("alice@example.org").status_code, 200)
        self.assertEqual(self.post("alice@example.org").status_code, 429)
        for spelling in ("Alice@example.org", " alice@example.org ", "ALICE@EXAMPLE.ORG"):
            response = self.post(spelling, PASSWORD)
            self.assertEqual(response.status_code, 429, spelling)
            self.assertNotIn("_auth_user_id", self.client.session)

    def test_failures_in_different_spellings_add_up(self) -> None:
        spellings = ["alice@example.org", "Alice@example.org", " alice@example.org"]
        for spelling in [*spellings, "ALICE@EXAMPLE.ORG"]:
            self.assertEqual(self.post(spelling).status_code, 200, spelling)
        # The fifth failure, in a fifth spelling, is the one that locks.
        self.assertEqual(self.post("aLiCe@example.org ").status_code, 429)

    def test_a_differently_typed_address_logs_in_when_not_locked(self) -> None:
        response = self.post("  ALICE@example.org ", PASSWORD)
        self.assertRedirects(response, reverse("home"))


class StorageTests(BaseTestCase):
    def test_create_user_stores_the_normalised_address(self) -> None:
        user = User.objects.create_user("  Dana@Example.ORG ", PASSWORD)
        self.assertEqual(user.email, "dana@example.org")

    def test_the_database_refuses_an_address_not_stored_normalised(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            User.objects.create(email="Erin@example.org")

    def test_the_database_refuses_the_same_address_in_another_case(self) -> None:
        # Past the check constraint (which would refuse it first) only on the unique one:
        # both constraints name the same rule, so either refusal is the right one.
        with self.assertRaises(IntegrityError), transaction.atomic():
            User.objects.create(email="alice@example.org")

    def test_the_admin_form_normalises_through_clean(self) -> None:
        user = User(email="Frank@Example.org")
        user.set_password(PASSWORD)
        user.full_clean()
        self.assertEqual(user.email, "frank@example.org")
