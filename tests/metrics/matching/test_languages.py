"""The matching pages in French and in Arabic (right to left), as their readers see them."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from metrics.matching.services import pool_invitation_send, pool_invite, proposal_create
from metrics.models.programmes import Cohort
from tests.base import BaseTestCase
from tests.metrics.matching.helpers import member, pool_mentor
from tests.metrics.programmes.helpers import make_programme


class LanguageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = make_programme(cls.charlie)
        cohort = Cohort.objects.create(programme=cls.programme, name="Lyon", country="fr")
        cls.business = member(cohort, "Pastries", language="ar", sector="food", country="fr")
        cls.entry = pool_mentor(cls.programme, "nadia@example.org", "ar fr", "food", "fr")

    def in_language(self, user, language: str) -> None:  # type: ignore[no-untyped-def]
        user.language = language
        user.save(update_fields=["language"])
        self.client.force_login(user)

    def test_the_coordinator_reads_the_matching_page_in_french(self) -> None:
        self.in_language(self.charlie, "fr")
        page = self.client.get(reverse("metrics:matching", args=[self.programme.pk]))
        self.assertContains(page, '<html lang="fr" dir="ltr">')
        self.assertContains(page, "<h1>Attribution des mentors</h1>", html=False)
        self.assertContains(page, "parle sa langue · connaît son secteur · même pays")
        self.assertContains(page, "2 places libres")
        pool = self.client.get(reverse("metrics:pool", args=[self.programme.pk]))
        self.assertContains(pool, "Mentorés : 0 · propositions en attente : 0 · au plus : 2")

    def test_the_entrepreneur_reads_the_proposal_in_arabic(self) -> None:
        proposal_create(
            membership=self.business.cohort_memberships.get(),
            mentor=self.entry,
            proposed_by=self.charlie,
        )
        self.in_language(self.business.owner, "ar")
        page = self.client.get(reverse("metrics:business_programmes", args=[self.business.pk]))
        self.assertContains(page, 'dir="rtl"')
        self.assertContains(page, "يقترح عليك New Roots مرشدًا")
        self.assertContains(page, "اقبل هذا المرشد")
        self.assertContains(page, "للقراءة فقط")
        self.assertContains(page, "<dd>الطعام والتموين</dd>", html=False)

    def test_the_invitation_to_the_pool_is_sent_and_read_in_the_invitee_s_language(self) -> None:
        self.in_language(self.bob, "fr")
        invitation, token = pool_invite(
            programme=self.programme, email="bob@example.org", invited_by=self.charlie
        )
        self.assertTrue(pool_invitation_send(invitation=invitation, token=token))
        (message,) = mail.outbox
        self.assertEqual(message.subject, "Mentor pour New Roots")
        self.assertIn("On vous invite à rejoindre le vivier de mentors de New Roots.", message.body)
        self.in_language(self.bob, "ar")
        page = self.client.get(reverse("metrics:pool_accept", args=[token]))
        self.assertContains(page, "مرشد في New Roots")
        self.assertContains(page, "انضم إلى مجموعة المرشدين")
        self.assertContains(page, "اللغات التي تتحدثها")
