"""Coordinators invite coordinators by email; cohorts get a link shown once."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from metrics.models.invitations import token_hash
from metrics.models.programmes import Cohort, Coordinator, CoordinatorInvitation
from metrics.programmes.services import coordinator_invite
from tests.base import BaseTestCase
from tests.metrics.programmes.helpers import make_programme


class CoordinatorTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = make_programme(cls.charlie)

    def test_an_invitation_is_stored_as_a_hash_and_works_once(self) -> None:
        invitation, token = coordinator_invite(
            programme=self.programme, email="Bob@Example.org ", invited_by=self.charlie
        )
        self.assertEqual(invitation.email, "bob@example.org")
        self.assertEqual(invitation.token_hash, token_hash(token))
        self.assertNotIn(token, str(CoordinatorInvitation.objects.values().get()))
        url = reverse("metrics:coordinator_accept", args=[token])
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(url), "New Roots")
        response = self.client.post(url)
        self.assertRedirects(response, reverse("metrics:programme", args=[self.programme.pk]))
        self.assertTrue(Coordinator.objects.filter(user=self.bob).exists())
        self.client.force_login(self.alice)
        self.assertEqual(self.client.post(url).status_code, 404)
        self.assertFalse(Coordinator.objects.filter(user=self.alice).exists())

    def test_a_coordinator_sends_an_invitation_by_email(self) -> None:
        self.client.force_login(self.charlie)
        url = reverse("metrics:coordinator_new", args=[self.programme.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(url, {"email": "dana@example.org"})
        self.assertRedirects(response, reverse("metrics:programme", args=[self.programme.pk]))
        self.assertEqual(CoordinatorInvitation.objects.get().email, "dana@example.org")
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("/programmes/coordinators/", mail.outbox[0].body)

    def test_inviting_a_coordinator_again_is_refused(self) -> None:
        self.client.force_login(self.charlie)
        url = reverse("metrics:coordinator_new", args=[self.programme.pk])
        response = self.client.post(url, {"email": "charlie@example.org"})
        self.assertContains(response, "already coordinates this programme")

    def test_a_new_cohort_shows_its_link_once(self) -> None:
        self.client.force_login(self.charlie)
        url = reverse("metrics:cohort_new", args=[self.programme.pk])
        response = self.client.post(url, {"name": "Antwerp", "country": "be"}, follow=True)
        cohort = Cohort.objects.get()
        self.assertContains(response, "/programmes/join/")
        link = response.content.decode().split('class="cohort-link">')[1].split("<")[0]
        self.assertEqual(cohort.link_hash, token_hash(link.rstrip("/").rsplit("/", 1)[1]))
        again = self.client.get(reverse("metrics:programme", args=[self.programme.pk]))
        self.assertNotContains(again, "/programmes/join/")

    def test_a_cohort_needs_a_name_and_a_known_country(self) -> None:
        self.client.force_login(self.charlie)
        url = reverse("metrics:cohort_new", args=[self.programme.pk])
        self.assertEqual(self.client.post(url, {"name": "", "country": "zz"}).status_code, 200)
        self.assertFalse(Cohort.objects.exists())
