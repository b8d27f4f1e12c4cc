"""Programme staff edit a page in five languages, with dated sources and a preview."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from accounts.models import User
from guidance.models import GuidePage
from tests.base import PASSWORD, BaseTestCase
from tests.guidance.helpers import make_page

ADD = reverse("admin:guidance_guidepage_add")


class GuidePageAdminTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.staff = User.objects.create_superuser("staff@example.org", PASSWORD)

    def setUp(self) -> None:
        self.client.force_login(self.staff)

    def form(self, **changes: str) -> dict[str, str]:
        data = {
            "slug": "fr-bank-test",
            "topic": "bank",
            "country": "fr",
            "region": "",
            "kpis": "[]",
            "order": "40",
            "reviewed": "2026-11-23",
            "review_by": "2027-05-23",
            "figures_year": "2026",
            "title_en": "Opening a bank account",
            "summary_en": "How to open an account.",
            "body_en": "## Check before you act {#check}\n\nAsk the bank.",
            "title_fr": "Ouvrir un compte bancaire",
            "summary_fr": "Comment ouvrir un compte.",
            "body_fr": "## Vérifier {#check}\n\nDemandez à la banque.",
            "title_nl": "Een bankrekening openen",
            "summary_nl": "Hoe je een rekening opent.",
            "body_nl": "## Controleer {#check}\n\nVraag het de bank.",
            "title_ar": "فتح حساب مصرفي",
            "summary_ar": "كيف تفتح حسابًا.",
            "body_ar": "## تحقق {#check}\n\nاسأل البنك.",
            "title_uk": "Відкрити банківський рахунок",
            "summary_uk": "Як відкрити рахунок.",
            "body_uk": "## Перевірте {#check}\n\nЗапитайте в банку.",
            "sources-TOTAL_FORMS": "1",
            "sources-INITIAL_FORMS": "0",
            "sources-MIN_NUM_FORMS": "0",
            "sources-MAX_NUM_FORMS": "1000",
            "sources-0-title": "Banque de France",
            "sources-0-url": "https://www.banque-france.fr",
            "sources-0-checked": "2026-12-06",
            "sources-0-sections": '["check"]',
            "sources-0-order": "0",
        }
        data.update(changes)
        return data

    def test_the_add_form_has_a_field_per_language(self) -> None:
        response = self.client.get(ADD)
        self.assertEqual(response.status_code, 200)
        for field in ("title", "summary", "body"):
            for language in ("en", "fr", "nl", "ar", "uk"):
                self.assertContains(response, f'name="{field}_{language}"')
        self.assertContains(response, 'name="sources-0-url"')
        self.assertContains(response, 'name="sources-0-checked"')
        self.assertContains(response, 'name="review_by"')

    def test_it_saves_all_five_languages_and_the_dated_sources(self) -> None:
        response = self.client.post(ADD, self.form())
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        page = GuidePage.objects.get(slug="fr-bank-test")
        self.assertEqual(
            (page.title_en, page.title_fr, page.title_nl),
            ("Opening a bank account", "Ouvrir un compte bancaire", "Een bankrekening openen"),
        )
        self.assertEqual(page.summary_nl, "Hoe je een rekening opent.")
        self.assertEqual(page.body_fr, "## Vérifier {#check}\n\nDemandez à la banque.")
        self.assertEqual((page.title_ar, page.body_uk[:15]), ("فتح حساب مصرفي", "## Перевірте {#"))
        self.assertEqual(page.languages(), ["en", "fr", "nl", "ar", "uk"])
        self.assertEqual((str(page.review_by), page.figures_year), ("2027-05-23", 2026))
        self.assertEqual(
            list(page.sources.values_list("title", "url", "checked", "sections")),
            [("Banque de France", "https://www.banque-france.fr", date(2026, 12, 6), ["check"])],
        )

    def test_a_review_date_and_a_checked_date_are_required(self) -> None:
        response = self.client.post(ADD, self.form(review_by="", **{"sources-0-checked": ""}))
        self.assertEqual(response.status_code, 200)
        self.assertIn("review_by", response.context["adminform"].form.errors)
        self.assertIn("checked", response.context["inline_admin_formsets"][0].formset.errors[0])
        self.assertFalse(GuidePage.objects.filter(slug="fr-bank-test").exists())

    def test_english_is_required_and_regions_and_kpis_are_checked(self) -> None:
        response = self.client.post(
            ADD, self.form(title_en="", region="flanders", kpis='["no_such_kpi"]')
        )
        self.assertEqual(response.status_code, 200)
        errors = response.context["adminform"].form.errors
        self.assertIn("title_en", errors)
        self.assertIn("region", errors)
        self.assertIn("kpis", errors)
        self.assertFalse(GuidePage.objects.filter(slug="fr-bank-test").exists())

    def test_the_change_form_shows_a_sanitised_preview_per_language(self) -> None:
        page = make_page(
            "preview-me",
            body="## What to try {#what-to-try}\n\nHi <script>alert(1)</script>",
        )
        response = self.client.get(reverse("admin:guidance_guidepage_change", args=[page.pk]))
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertNotIn("<script>alert(1)", html)
        preview = html.split('<div class="form-row field-preview">', 1)[1].split("</fieldset>")[0]
        for language, direction in (("en", "ltr"), ("fr", "ltr"), ("ar", "rtl"), ("uk", "ltr")):
            self.assertIn(
                f'<section class="guide-preview" lang="{language}" dir="{direction}">', preview
            )
        self.assertEqual(preview.count('<h2 id="what-to-try">What to try</h2>'), 5)
        self.assertNotIn("alert", preview)

    def test_the_list_can_be_searched_and_filtered(self) -> None:
        make_page("test-gb-bank", "bank", "gb")
        make_page("test-be-bank", "bank", "be")
        changelist = reverse("admin:guidance_guidepage_changelist")
        response = self.client.get(changelist, {"q": "test-gb-bank (French)"})
        self.assertContains(response, ">test-gb-bank<")
        self.assertNotContains(response, "test-be-bank")
        response = self.client.get(changelist, {"country__exact": "be", "topic__exact": "bank"})
        self.assertContains(response, ">test-be-bank<")
        self.assertNotContains(response, "test-gb-bank")

    def test_it_is_for_staff_only(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(ADD)
        self.assertEqual(response.status_code, 302)
