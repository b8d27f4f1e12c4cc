"""The mentor pool: coordinators invite by email, mentors join with their offer, edit it, leave."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from metrics.matching.services import pool_invite
from metrics.models.invitations import token_hash
from metrics.models.matching import PoolInvitation, PoolMentor, Proposal
from metrics.models.programmes import Cohort
from tests.base import BaseTestCase
from tests.metrics.factories import make_mentor
from tests.metrics.matching.helpers import member, pool_mentor
from tests.metrics.programmes.helpers import make_programme

OFFER = {"languages": ["fr", "ar"], "sectors": ["food", "retail"], "country": "be", "capacity": 3}


class PoolInvitationTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = make_programme(cls.charlie)

    def test_an_invitation_is_kept_as_a_hash_and_joins_the_pool_once(self) -> None:
        invitation, token = pool_invite(
            programme=self.programme, email=" Bob@Example.org", invited_by=self.charlie
        )
        self.assertEqual(invitation.email, "bob@example.org")
        self.assertEqual(invitation.token_hash, token_hash(token))
        self.assertNotIn(token, str(PoolInvitation.objects.values().get()))
        url = reverse("metrics:pool_accept", args=[token])
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(url), "Mentor for New Roots")
        response = self.client.post(url, OFFER)
        self.assertRedirects(response, reverse("metrics:pool_entry", args=[self.programme.pk]))
        entry = PoolMentor.objects.get()
        self.assertEqual(
            (entry.user, entry.languages, entry.sectors, entry.country, entry.capacity),
            (self.bob, ["fr", "ar"], ["food", "retail"], "be", 3),
        )
        self.assertTrue(entry.active)
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url, OFFER).status_code, 404)
        self.assertFalse(PoolMentor.objects.filter(user=self.alice).exists())

    def test_an_expired_or_unknown_link_is_404(self) -> None:
        invitation, token = pool_invite(
            programme=self.programme, email="bob@example.org", invited_by=self.charlie
        )
        invitation.expires = timezone.now() - timedelta(seconds=1)
        invitation.save()
        self.client.force_login(self.bob)
        self.assertEqual(
            self.client.get(reverse("metrics:pool_accept", args=[token])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("metrics:pool_accept", args=["no-such"])).status_code, 404
        )

    def test_an_offer_needs_a_language_a_sector_and_a_sensible_capacity(self) -> None:
        _invitation, token = pool_invite(
            programme=self.programme, email="bob@example.org", invited_by=self.charlie
        )
        url = reverse("metrics:pool_accept", args=[token])
        self.client.force_login(self.bob)
        bad = {"languages": ["xx"], "country": "zz", "capacity": "0"}
        response = self.client.post(url, bad)
        self.assertContains(response, "There is a problem")
        self.assertContains(response, "Choose at least one sector.")
        self.assertFalse(PoolMentor.objects.exists())
        self.assertEqual(self.client.post(url, {**OFFER, "capacity": "99"}).status_code, 200)
        self.assertEqual(self.client.post(url, {**OFFER, "capacity": "\x00"}).status_code, 200)
        self.assertFalse(PoolMentor.objects.exists())

    def test_a_coordinator_invites_by_email_and_sees_the_pool_with_its_load(self) -> None:
        cohort = Cohort.objects.create(programme=self.programme, name="Antwerp", country="be")
        dana = pool_mentor(self.programme, "dana@example.org", "nl fr", "crafts", capacity=3)
        make_mentor(member(cohort, "Kitchen"), dana.user)
        Proposal.objects.create(
            membership=member(cohort, "Bikes").cohort_memberships.get(), mentor=dana
        )
        self.client.force_login(self.charlie)
        url = reverse("metrics:pool", args=[self.programme.pk])
        page = self.client.get(url)
        self.assertContains(page, "Dana")
        self.assertContains(page, "Nederlands, Français · Crafts and making · Belgium")
        self.assertContains(page, "Mentees: 1 · proposals waiting: 1 · at most: 3")
        response = self.client.post(url, {"email": "eve@example.org"})
        self.assertRedirects(response, url)
        self.assertEqual(PoolInvitation.objects.get().email, "eve@example.org")
        (message,) = mail.outbox
        self.assertEqual(message.to, ["eve@example.org"])
        self.assertIn("/programmes/pool/", message.body)
        self.assertIn("mentor pool of New Roots", message.body)

    def test_the_pool_page_costs_the_same_queries_for_more_mentors(self) -> None:
        cohort = Cohort.objects.create(programme=self.programme, name="Antwerp", country="be")
        first = pool_mentor(self.programme, "dana@example.org", "nl", "crafts")
        self.client.force_login(self.charlie)
        url = reverse("metrics:pool", args=[self.programme.pk])
        # Session, user, programme, the pool with its counts.
        with self.assertNumQueries(4):
            self.client.get(url)
        for number in range(5):
            entry = pool_mentor(self.programme, f"m{number}@example.org", "fr", "food")
            make_mentor(member(cohort, f"Mentee{number}"), entry.user)
        Proposal.objects.create(
            membership=member(cohort, "Waiting").cohort_memberships.get(), mentor=first
        )
        with self.assertNumQueries(4):
            page = self.client.get(url)
        self.assertContains(page, "Mentees: 1 · proposals waiting: 0", count=5)
        self.assertContains(page, "Mentees: 0 · proposals waiting: 1", count=1)

    def test_inviting_someone_already_in_the_pool_is_refused(self) -> None:
        pool_mentor(self.programme, "dana@example.org", "nl", "crafts")
        self.client.force_login(self.charlie)
        response = self.client.post(
            reverse("metrics:pool", args=[self.programme.pk]), {"email": "DANA@example.org"}
        )
        self.assertContains(response, "is already in this programme&#x27;s mentor pool")
        self.assertEqual(len(mail.outbox), 0)

    @override_settings(RATE_LIMITS={"invitation": {"user": "2/h", "ip": "100/h"}})
    def test_invitations_to_the_pool_are_rate_limited(self) -> None:
        self.client.force_login(self.charlie)
        url = reverse("metrics:pool", args=[self.programme.pk])
        for number in range(2):
            self.client.post(url, {"email": f"m{number}@example.org"})
        refused = self.client.post(url, {"email": "m9@example.org"})
        self.assertContains(refused, "You have tried this too many times.", status_code=429)
        self.assertEqual(len(mail.outbox), 2)
        self.assertFalse(PoolInvitation.objects.filter(email="m9@example.org").exists())


class PoolEntryTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = make_programme(cls.charlie)
        cls.entry = PoolMentor.objects.create(
            programme=cls.programme, user=cls.bob, languages=["fr"], sectors=["food"], country="fr"
        )
        cls.url = reverse("metrics:pool_entry", args=[cls.programme.pk])

    def test_a_mentor_changes_their_offer_and_pauses(self) -> None:
        self.client.force_login(self.bob)
        page = self.client.get(self.url)
        self.assertRegex(page.content.decode(), r'value="fr"[^>]*checked')
        response = self.client.post(self.url, {**OFFER, "capacity": 1})
        self.assertRedirects(response, self.url)
        self.entry.refresh_from_db()
        self.assertEqual((self.entry.languages, self.entry.capacity), (["fr", "ar"], 1))
        self.assertFalse(self.entry.active)  # the box was not ticked: a pause

    def test_a_bad_offer_is_shown_again_and_nothing_changes(self) -> None:
        self.client.force_login(self.bob)
        for bad in (
            {"languages": ["xx"], "sectors": ["food"], "country": "fr", "capacity": "2"},
            {"languages": ["fr"], "sectors": ["\x00"], "country": "fr", "capacity": "2"},
            {"languages": ["fr"], "sectors": ["food"], "country": "fr", "capacity": "abc"},
        ):
            response = self.client.post(self.url, bad)
            self.assertContains(response, "There is a problem")
        self.assertEqual(self.client.post(self.url, {}).status_code, 200)  # shown, not saved
        self.entry.refresh_from_db()
        self.assertEqual((self.entry.languages, self.entry.capacity), (["fr"], 2))

    def test_the_list_of_programmes_shows_the_pools_a_mentor_is_in(self) -> None:
        self.client.force_login(self.bob)
        home = self.client.get(reverse("metrics:mentor_home"))
        self.assertContains(home, f'href="{reverse("metrics:programmes")}"')
        page = self.client.get(reverse("metrics:programmes"))
        self.assertContains(page, f'href="{self.url}"')
        self.assertNotContains(page, "You do not coordinate a programme.")

    def test_leaving_the_pool_drops_waiting_proposals_and_keeps_mentees(self) -> None:
        cohort = Cohort.objects.create(programme=self.programme, name="Lyon", country="fr")
        mentee = member(cohort, "Kitchen")
        mentorship = make_mentor(mentee, self.bob)
        Proposal.objects.create(
            membership=member(cohort, "Bikes").cohort_memberships.get(), mentor=self.entry
        )
        self.client.force_login(self.bob)
        response = self.client.post(reverse("metrics:pool_leave", args=[self.programme.pk]))
        self.assertRedirects(response, reverse("metrics:programmes"))
        self.assertFalse(PoolMentor.objects.exists())
        self.assertFalse(Proposal.objects.exists())
        mentorship.refresh_from_db()
        self.assertIsNone(mentorship.revoked_at)

    def test_someone_not_in_the_pool_gets_404(self) -> None:
        for user in (self.alice, self.charlie):  # charlie coordinates, but offers nothing
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 404)
            leave = reverse("metrics:pool_leave", args=[self.programme.pk])
            self.assertEqual(self.client.post(leave).status_code, 404)
        self.assertTrue(PoolMentor.objects.exists())
