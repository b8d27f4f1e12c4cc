"""The language and country switchers: a POST that returns to the same page and persists."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import User
from tests.base import PASSWORD, BaseTestCase


class LanguageSwitcherTests(BaseTestCase):
    def test_first_visit_follows_accept_language(self) -> None:
        response = self.client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9,en;q=0.5")
        self.assertContains(response, '<html lang="nl" dir="ltr">')

    def test_it_switches_and_returns_to_the_same_page(self) -> None:
        response = self.client.post(
            reverse("accounts:set_language"),
            {"language": "fr", "next": reverse("accounts:login")},
        )
        self.assertRedirects(response, reverse("accounts:login"))
        # The choice persists and wins over the browser's language.
        page = self.client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(page, '<html lang="fr" dir="ltr">')

    def test_current_language_is_marked(self) -> None:
        self.client.post(reverse("accounts:set_language"), {"language": "uk", "next": "/"})
        html = self.client.get(reverse("home")).content.decode()
        self.assertIn(
            'value="uk" lang="uk" class="btn btn-link switcher-option" aria-current="true"', html
        )
        self.assertIn("Українська", html)
        self.assertIn("العربية", html)

    def test_it_refuses_a_foreign_next_url(self) -> None:
        response = self.client.post(
            reverse("accounts:set_language"),
            {"language": "fr", "next": "https://evil.example/"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(response["Location"].startswith("https://evil.example"))

    def test_it_saves_the_language_in_the_profile(self) -> None:
        self.client.force_login(self.alice)
        self.client.post(reverse("accounts:set_language"), {"language": "ar", "next": "/"})
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.language, "ar")

    def test_profile_language_applies_on_a_new_device(self) -> None:
        User.objects.filter(pk=self.alice.pk).update(language="nl")
        self.client.post(
            reverse("accounts:login"), {"username": "alice@example.org", "password": PASSWORD}
        )
        fresh = self.client_class()
        fresh.force_login(User.objects.get(pk=self.alice.pk))
        page = fresh.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr")
        self.assertContains(page, '<html lang="nl" dir="ltr">')

    def test_it_requires_post(self) -> None:
        response = self.client.get(reverse("accounts:set_language"))
        self.assertEqual(response.status_code, 405)


class CountrySwitcherTests(BaseTestCase):
    def test_it_stores_the_country_in_the_session(self) -> None:
        response = self.client.post(
            reverse("accounts:set_country"), {"country": "fr", "next": reverse("guidance:index")}
        )
        self.assertRedirects(response, reverse("guidance:index"))
        self.assertEqual(self.client.session["country"], "fr")
        page = self.client.get(reverse("home"))
        self.assertContains(
            page, 'value="fr" class="btn btn-link switcher-option" aria-current="true"'
        )

    def test_belgium_offers_regions_and_keeps_the_chosen_one(self) -> None:
        self.client.post(reverse("accounts:set_country"), {"country": "be", "next": "/"})
        page = self.client.get(reverse("home"))
        self.assertContains(page, "Wallonia")
        self.client.post(
            reverse("accounts:set_country"), {"country": "be", "region": "wallonia", "next": "/"}
        )
        self.assertEqual(self.client.session["region"], "wallonia")
        page = self.client.get(reverse("home"))
        self.assertContains(page, "Belgium · Wallonia")

    def test_changing_country_forgets_the_region(self) -> None:
        self.client.post(
            reverse("accounts:set_country"), {"country": "be", "region": "brussels", "next": "/"}
        )
        self.client.post(reverse("accounts:set_country"), {"country": "nl", "next": "/"})
        self.assertEqual(self.client.session["region"], "")

    def test_a_region_of_another_country_is_ignored(self) -> None:
        self.client.post(
            reverse("accounts:set_country"), {"country": "fr", "region": "flanders", "next": "/"}
        )
        self.assertEqual(self.client.session["region"], "")

    def test_an_unknown_country_gets_a_message(self) -> None:
        response = self.client.post(
            reverse("accounts:set_country"), {"country": "xx", "next": "/"}, follow=True
        )
        self.assertContains(response, "Choose one of the countries in the list.")
        self.assertNotIn("country", self.client.session)

    def test_it_saves_the_country_in_the_profile(self) -> None:
        self.client.force_login(self.charlie)
        self.client.post(
            reverse("accounts:set_country"), {"country": "be", "region": "wallonia", "next": "/"}
        )
        self.charlie.refresh_from_db()
        self.assertEqual((self.charlie.country, self.charlie.region), ("be", "wallonia"))

    def test_the_profile_country_applies_after_log_in(self) -> None:
        self.client.force_login(self.alice)
        page = self.client.get(reverse("home"))
        self.assertContains(page, "Belgium · Flanders")

    def test_flags_have_text_labels(self) -> None:
        html = self.client.get(reverse("home")).content.decode()
        for name in ("United Kingdom", "France", "Netherlands", "Belgium"):
            self.assertIn(name, html)
        self.assertIn("flags/gb.svg", html)
