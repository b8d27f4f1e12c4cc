"""Joining a cohort, changing what the programme sees, leaving: in French and in Arabic."""

from __future__ import annotations

from django.urls import reverse

from metrics.models.programmes import Cohort, CohortMembership
from metrics.programmes.services import cohort_create, cohort_new_link
from tests.base import BaseTestCase
from tests.metrics.factories import make_business
from tests.metrics.programmes.helpers import make_programme


class ConsentFlowTests(BaseTestCase):
    """Charlie coordinates; Alice owns a business and follows the cohort's link."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = make_programme(cls.charlie)
        cls.business = make_business(cls.alice)

    def setUp(self) -> None:
        self.cohort, token = cohort_create(programme=self.programme, name="Lyon", country="fr")
        self.url = reverse("metrics:cohort_join", args=[token])

    def join_in(self, language: str, consent: str) -> str:
        self.alice.language = language
        self.alice.save(update_fields=["language"])
        self.client.force_login(self.alice)
        page = self.client.get(self.url).content.decode()
        response = self.client.post(self.url, {"business": self.business.pk, "consent": consent})
        self.assertRedirects(
            response, reverse("metrics:business_programmes", args=[self.business.pk])
        )
        return page

    def test_in_french_she_reads_what_it_sees_and_joins_in_the_totals_only(self) -> None:
        page = self.join_in("fr", "aggregate")
        self.assertIn("Voici exactement ce qu", page)
        self.assertIn("Vos chiffres comptent dans les totaux", page)
        self.assertIn("Ils ne voient jamais vos chiffres.", page)
        # Privacy by default: the totals-only choice is the one already ticked.
        self.assertRegex(page, r'value="aggregate"[^>]*checked')
        membership = CohortMembership.objects.get()
        self.assertEqual((membership.consent, membership.left_at), ("aggregate", None))

    def test_in_arabic_she_joins_named_then_changes_her_mind_then_leaves(self) -> None:
        page = self.join_in("ar", "named")
        self.assertIn('dir="rtl"', page)
        self.assertIn("هذا بالضبط ما سيراه", page)
        membership = CohortMembership.objects.get()
        self.assertEqual(membership.consent, "named")
        programmes = self.client.get(
            reverse("metrics:business_programmes", args=[self.business.pk])
        ).content.decode()
        self.assertIn("احفظ اختياري", programmes)
        consent_url = reverse("metrics:membership_consent", args=[self.business.pk, membership.pk])
        response = self.client.post(consent_url, {"consent": "aggregate"}, follow=True)
        self.assertContains(response, "تحسبك الآن في مجاميعها فقط")
        membership.refresh_from_db()
        self.assertEqual(membership.consent, "aggregate")
        leave_url = reverse("metrics:membership_leave", args=[self.business.pk, membership.pk])
        response = self.client.post(leave_url, follow=True)
        self.assertContains(response, "لم يعد البرنامج يرى شيئًا من مشروعك")
        membership.refresh_from_db()
        self.assertIsNotNone(membership.left_at)
        # Gone from the coordinator's view: her business is no longer a member.
        self.assertFalse(CohortMembership.objects.filter(left_at=None).exists())
        # Leaving twice finds nothing to leave.
        self.assertEqual(self.client.post(leave_url).status_code, 404)

    def test_joining_again_changes_the_level_without_a_second_membership(self) -> None:
        self.join_in("en", "aggregate")
        self.join_in("en", "named")
        self.assertEqual(
            list(CohortMembership.objects.values_list("consent", flat=True)), ["named"]
        )

    def test_a_business_of_someone_else_cannot_join(self) -> None:
        other = make_business(self.bob, name="Bob's Bikes")
        self.client.force_login(self.alice)
        response = self.client.post(self.url, {"business": other.pk, "consent": "named"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(CohortMembership.objects.exists())

    def test_without_a_business_she_is_asked_to_describe_one(self) -> None:
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(self.url), reverse("metrics:business_create"))

    def test_an_old_link_stops_working_when_a_new_one_is_made(self) -> None:
        cohort_new_link(cohort=Cohort.objects.get(pk=self.cohort.pk))
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_an_unknown_link_is_404_and_a_visitor_is_sent_to_log_in(self) -> None:
        response = self.client.get(self.url)
        self.assertRedirects(
            response, f"{reverse('accounts:login')}?next={self.url}", fetch_redirect_response=False
        )
        self.client.force_login(self.alice)
        bad = reverse("metrics:cohort_join", args=["not-a-real-token"])
        self.assertEqual(self.client.get(bad).status_code, 404)
