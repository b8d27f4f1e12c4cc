"""Sign-up, log-in, log-out, password reset, profile, and log-in throttling."""

from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse

from tests.base import PASSWORD, BaseTestCase


class LoginTests(BaseTestCase):
    def test_it_logs_in_with_email_in_any_case(self) -> None:
        response = self.client.post(
            reverse("accounts:login"), {"username": "Alice@Example.org", "password": PASSWORD}
        )
        self.assertRedirects(response, reverse("home"))
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.alice.pk)

    def test_a_wrong_password_gets_a_neutral_message(self) -> None:
        response = self.client.post(
            reverse("accounts:login"), {"username": "alice@example.org", "password": "nope nope"}
        )
        self.assertContains(response, "The email address or the password is not right.")
        self.assertContains(response, "<title>Error: ")

    def test_log_out_needs_post(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(reverse("accounts:logout")).status_code, 405)
        response = self.client.post(reverse("accounts:logout"))
        self.assertRedirects(response, reverse("home"))
        self.assertNotIn("_auth_user_id", self.client.session)

    def _fail(self, username: str, address: str = "10.0.0.1"):
        return self.client.post(
            reverse("accounts:login"),
            {"username": username, "password": "wrong password"},
            REMOTE_ADDR=address,
        )

    def test_repeated_failures_are_slowed_down(self) -> None:
        for _ in range(4):
            self.assertEqual(self._fail("alice@example.org").status_code, 200)
        locked = self._fail("alice@example.org")
        self.assertEqual(locked.status_code, 429)
        self.assertContains(locked, "Too many attempts", status_code=429)
        # Even the right password is refused during the cool-off.
        right = self.client.post(
            reverse("accounts:login"),
            {"username": "alice@example.org", "password": PASSWORD},
            REMOTE_ADDR="10.0.0.1",
        )
        self.assertEqual(right.status_code, 429)
        # Another address is not locked out of the same account.
        other = self.client.post(
            reverse("accounts:login"),
            {"username": "alice@example.org", "password": PASSWORD},
            REMOTE_ADDR="10.0.0.2",
        )
        self.assertEqual(other.status_code, 302)

    def test_the_lockout_does_not_reveal_whether_an_account_exists(self) -> None:
        for _ in range(5):
            known = self._fail("alice@example.org", "10.0.0.3")
            unknown = self._fail("nobody@example.org", "10.0.0.4")
        strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|value="[^"]*@example.org"')
        self.assertEqual(known.status_code, unknown.status_code)
        self.assertEqual(
            strip.sub("", known.content.decode()), strip.sub("", unknown.content.decode())
        )


class PasswordResetTests(BaseTestCase):
    def test_it_emails_a_link_that_sets_a_new_password(self) -> None:
        response = self.client.post(
            reverse("accounts:password_reset"), {"email": "alice@example.org"}
        )
        self.assertRedirects(response, reverse("accounts:password_reset_done"))
        self.assertEqual(len(mail.outbox), 1)
        link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
        form_page = self.client.get(link, follow=True)
        self.assertContains(form_page, "Choose a new password")
        done = self.client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": "a brand new secret", "new_password2": "a brand new secret"},
        )
        self.assertRedirects(done, reverse("accounts:password_reset_complete"))
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password("a brand new secret"))

    def test_an_unknown_address_looks_the_same_and_sends_nothing(self) -> None:
        response = self.client.post(
            reverse("accounts:password_reset"), {"email": "nobody@example.org"}
        )
        self.assertRedirects(response, reverse("accounts:password_reset_done"))
        self.assertEqual(len(mail.outbox), 0)

    def test_the_email_is_in_the_users_language(self) -> None:
        self.client.post(
            reverse("accounts:password_reset"),
            {"email": "alice@example.org"},
            HTTP_ACCEPT_LANGUAGE="fr",
        )
        self.assertIn("Choisissez un nouveau mot de passe", mail.outbox[0].subject)


class ProfileTests(BaseTestCase):
    def test_it_requires_log_in(self) -> None:
        response = self.client.get(reverse("accounts:profile"))
        self.assertRedirects(
            response, f"{reverse('accounts:login')}?next={reverse('accounts:profile')}"
        )

    def test_it_saves_language_country_and_region(self) -> None:
        self.client.force_login(self.charlie)
        response = self.client.post(
            reverse("accounts:profile"),
            {"name": "Charlie", "language": "nl", "country": "be", "region": "brussels"},
        )
        self.assertRedirects(response, reverse("accounts:profile"))
        self.charlie.refresh_from_db()
        self.assertEqual(
            (self.charlie.language, self.charlie.country, self.charlie.region),
            ("nl", "be", "brussels"),
        )
        self.assertFalse(self.charlie.reminders)
        page = self.client.get(reverse("accounts:profile"))
        self.assertContains(page, '<html lang="nl" dir="ltr">')

    def test_a_region_outside_the_country_is_an_error(self) -> None:
        self.client.force_login(self.charlie)
        response = self.client.post(
            reverse("accounts:profile"),
            {"name": "Charlie", "language": "en", "country": "fr", "region": "flanders"},
        )
        self.assertContains(response, "This region is not in the country you chose.")
        self.assertContains(response, '<a href="#id_region">')
        self.charlie.refresh_from_db()
        self.assertEqual(self.charlie.country, "")
