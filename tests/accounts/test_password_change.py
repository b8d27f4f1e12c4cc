"""Changing the password or the e-mail address needs the current password (issue 13)."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.base import PASSWORD, BaseTestCase

NEW = "a brand new secret"


class PasswordChangeTests(BaseTestCase):
    url = reverse("accounts:password_change")

    def test_the_profile_links_to_it(self) -> None:
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(reverse("accounts:profile")), f'href="{self.url}"')

    def test_it_requires_log_in(self) -> None:
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")

    def test_a_wrong_current_password_changes_nothing(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            self.url, {"old_password": "not it", "new_password1": NEW, "new_password2": NEW}
        )
        self.assertContains(response, "The current password is not right.")
        self.assertContains(response, '<a href="#id_old_password">')
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password(PASSWORD))

    def test_it_keeps_this_session_and_ends_the_others(self) -> None:
        phone, other_user = Client(), Client()
        phone.force_login(self.alice)
        other_user.force_login(self.bob)
        self.client.force_login(self.alice)
        response = self.client.post(
            self.url, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
        )
        self.assertRedirects(response, reverse("accounts:profile"))
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password(NEW))
        # Still logged in here; the phone's session row is gone; Bob's is untouched.
        self.assertEqual(self.client.get(reverse("accounts:profile")).status_code, 200)
        keys = set(Session.objects.values_list("session_key", flat=True))
        self.assertIn(self.client.session.session_key, keys)
        self.assertNotIn(phone.session.session_key, keys)
        self.assertIn(other_user.session.session_key, keys)
        self.assertEqual(phone.get(reverse("accounts:profile")).status_code, 302)

    def test_the_page_is_translated(self) -> None:
        self.alice.language = "fr"
        self.alice.save()
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(self.url), "Modifier votre mot de passe")


class EmailChangeTests(BaseTestCase):
    url = reverse("accounts:email_change")

    def setUp(self) -> None:
        self.client.force_login(self.alice)

    def test_the_profile_links_to_it(self) -> None:
        self.assertContains(self.client.get(reverse("accounts:profile")), f'href="{self.url}"')

    def test_without_the_right_password_nothing_changes(self) -> None:
        response = self.client.post(self.url, {"email": "new@example.org", "password": "nope"})
        self.assertContains(response, "The password is not right.")
        self.assertContains(response, 'value="new@example.org"')
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.email, "alice@example.org")
        self.assertEqual(mail.outbox, [])

    def test_with_the_password_the_address_changes_normalised_and_the_old_one_is_told(
        self,
    ) -> None:
        response = self.client.post(self.url, {"email": " New@Example.org ", "password": PASSWORD})
        self.assertRedirects(response, reverse("accounts:profile"))
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.email, "new@example.org")
        self.assertEqual(mail.outbox[0].to, ["alice@example.org"])
        self.assertEqual(mail.outbox[0].subject, "Your email address was changed")
        # She logs in with the new address from now on.
        self.client.logout()
        login = self.client.post(
            reverse("accounts:login"), {"username": "NEW@example.org", "password": PASSWORD}
        )
        self.assertRedirects(login, reverse("home"))

    def test_an_address_in_use_is_refused_in_any_case(self) -> None:
        response = self.client.post(self.url, {"email": "BOB@example.org", "password": PASSWORD})
        self.assertContains(response, "This email address cannot be used.")
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.email, "alice@example.org")
