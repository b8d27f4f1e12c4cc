"""Sign-up answers the same for a new and a known address; the link finishes it (issue 13)."""

from __future__ import annotations

import re
from unittest import mock

from django.core import mail, signing
from django.urls import reverse

from accounts.models import User
from accounts.signup import SALT, Applicant, signup_token
from tests.base import PASSWORD, BaseTestCase, page_text

SIGNUP = reverse("accounts:signup")


def link_in(message: mail.EmailMessage) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


class SameAnswerTests(BaseTestCase):
    def sign_up(self, email: str, name: str = "Samira"):
        return self.client.post(SIGNUP, {"name": name, "email": email}, follow=True)

    def test_a_known_and_a_new_address_get_the_same_page(self) -> None:
        known = self.sign_up("Alice@Example.org ")
        known_page = page_text(known).replace("alice@example.org", "ADDRESS")
        self.client = self.client_class()
        new = self.sign_up("samira@example.org")
        new_page = page_text(new).replace("samira@example.org", "ADDRESS")
        self.assertEqual(known.redirect_chain, new.redirect_chain)
        self.assertEqual(known.redirect_chain, [(reverse("accounts:signup_sent"), 302)])
        self.assertEqual(known_page, new_page)
        self.assertIn("We have sent an email to ADDRESS", new_page)
        self.assertNotIn("already", new_page)

    def test_the_known_owner_is_told_in_their_language_and_nothing_changes(self) -> None:
        self.alice.language = "fr"
        self.alice.save()
        password_before = self.alice.password
        self.sign_up("ALICE@example.org", name="Mallory")
        self.assertEqual(len(mail.outbox), 1)
        note = mail.outbox[0]
        self.assertEqual(note.to, ["alice@example.org"])
        self.assertEqual(note.subject, "Vous avez déjà un compte")
        self.assertIn("http://testserver/accounts/password-reset/", note.body)
        self.alice.refresh_from_db()
        self.assertEqual((self.alice.name, self.alice.password), ("Alice Haddad", password_before))
        self.assertEqual(User.objects.count(), 3)

    def test_a_new_address_gets_a_link_and_no_account_yet(self) -> None:
        self.sign_up("Samira@Example.org")
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["samira@example.org"])
        self.assertIn("/accounts/signup/", link_in(mail.outbox[0]))
        self.assertIn("The link works for 24 hours.", mail.outbox[0].body)
        self.assertFalse(User.objects.filter(email="samira@example.org").exists())

    def test_errors_show_a_summary_and_keep_the_values(self) -> None:
        response = self.client.post(SIGNUP, {"name": "Samira", "email": "samira@"})
        html = response.content.decode()
        self.assertEqual(response.status_code, 200)
        self.assertIn("<title>Error: ", html)
        self.assertIn('<a href="#id_email">', html)
        self.assertIn('value="samira@"', html)
        self.assertIn('value="Samira"', html)
        self.assertEqual(mail.outbox, [])

    def test_the_error_summary_is_translated(self) -> None:
        response = self.client.post(SIGNUP, {"email": "not an address"}, HTTP_ACCEPT_LANGUAGE="nl")
        html = response.content.decode()
        self.assertIn("<title>Fout: ", html)
        self.assertIn("Er is een probleem", html)

    def test_the_sent_page_without_a_sign_up_goes_back_to_the_form(self) -> None:
        self.assertRedirects(self.client.get(reverse("accounts:signup_sent")), SIGNUP)

    def test_a_mail_server_that_fails_still_gives_the_same_page(self) -> None:
        with mock.patch("config.mail.EmailMessage.send", side_effect=OSError("down")):
            response = self.sign_up("samira@example.org")
        self.assertContains(response, "We have sent an email to samira@example.org")


class LinkTests(BaseTestCase):
    def link(self, email: str = "samira@example.org", next_url: str = "/") -> str:
        self.client.post(SIGNUP, {"name": "Samira", "email": email, "next": next_url})
        return link_in(mail.outbox[-1])

    def test_the_link_creates_the_account_and_logs_in(self) -> None:
        self.client.post(reverse("accounts:set_country"), {"country": "be", "region": "wallonia"})
        self.client.post(reverse("accounts:set_language"), {"language": "fr", "next": "/"})
        link = self.link()
        self.assertContains(self.client.get(link), "samira@example.org")
        response = self.client.post(link, {"password": "tulips in antwerp"})
        # Nowhere else asked for: the guided start sets up a first business (issue 12).
        self.assertRedirects(response, reverse("metrics:start"), fetch_redirect_response=False)
        user = User.objects.get(email="samira@example.org")
        self.assertEqual(
            (user.name, user.language, user.country, user.region),
            ("Samira", "fr", "be", "wallonia"),
        )
        self.assertTrue(user.check_password("tulips in antwerp"))
        self.assertEqual(int(self.client.session["_auth_user_id"]), user.pk)

    def test_a_short_password_is_refused(self) -> None:
        response = self.client.post(self.link(), {"password": "abc12"})
        self.assertContains(response, "at least 8 characters")
        self.assertContains(response, '<a href="#id_password">')
        self.assertFalse(User.objects.filter(email="samira@example.org").exists())

    def test_the_link_works_once(self) -> None:
        link = self.link()
        self.client.post(link, {"password": "tulips in antwerp"})
        self.client.logout()
        again = self.client.post(link, {"password": "another password here"})
        self.assertRedirects(again, reverse("accounts:login"))
        user = User.objects.get(email="samira@example.org")
        self.assertTrue(user.check_password("tulips in antwerp"))

    def test_a_changed_or_expired_link_is_refused(self) -> None:
        token = self.link().rstrip("/").rsplit("/", 1)[1]
        forged = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
        url = reverse("accounts:signup_confirm", args=[forged])
        self.assertContains(self.client.get(url), "This link does not work", status_code=404)
        old = signing.dumps({"email": "x@example.org", "name": "", "next": "/"}, salt=SALT)
        with mock.patch("accounts.signup.LINK_MAX_AGE", -1):
            response = self.client.get(reverse("accounts:signup_confirm", args=[old]))
        self.assertEqual(response.status_code, 404)

    def test_the_next_page_is_kept_through_the_link(self) -> None:
        link = self.link(next_url="/mentor/")
        response = self.client.post(link, {"password": "tulips in antwerp"})
        self.assertRedirects(response, "/mentor/")

    def test_a_token_names_only_what_was_signed(self) -> None:
        token = signup_token(Applicant(email="a@example.org", name="A", next="/"))
        tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
        url = reverse("accounts:signup_confirm", args=[tampered])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url, {"password": PASSWORD}).status_code, 404)
        self.assertFalse(User.objects.filter(email="a@example.org").exists())
