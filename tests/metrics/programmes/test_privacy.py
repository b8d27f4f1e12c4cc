"""A person's programme rows in their export, and gone with their account."""

from __future__ import annotations

import json

from django.utils import timezone

from accounts.personal_data import account_delete
from metrics.matching.services import pool_invite
from metrics.models.matching import PoolInvitation, PoolMentor, Proposal
from metrics.models.programmes import (
    Cohort,
    CohortMembership,
    Coordinator,
    CoordinatorInvitation,
)
from metrics.privacy import export_files
from metrics.programmes.services import coordinator_invite
from tests.base import BaseTestCase
from tests.metrics.factories import make_business
from tests.metrics.programmes.helpers import make_programme


class ProgrammePrivacyTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = make_programme(cls.charlie)
        cls.cohort = Cohort.objects.create(programme=cls.programme, name="Lyon", country="fr")
        cls.business = make_business(cls.alice)
        CohortMembership.objects.create(
            cohort=cls.cohort, business=cls.business, consent="named", left_at=timezone.now()
        )
        CohortMembership.objects.create(cohort=cls.cohort, business=cls.business)
        coordinator_invite(
            programme=cls.programme, email="dana@example.org", invited_by=cls.charlie
        )

    def test_the_export_holds_memberships_and_coordination(self) -> None:
        alice = json.loads(export_files(self.alice)["programmes.json"])
        rows = sorted(alice["cohort_memberships"], key=lambda row: row["consent"])
        self.assertEqual([row["consent"] for row in rows], ["aggregate", "named"])
        self.assertEqual(rows[0]["cohort"], "Lyon")
        self.assertIsNone(rows[0]["left_at"])
        self.assertIsNotNone(rows[1]["left_at"])
        charlie = json.loads(export_files(self.charlie)["programmes.json"])
        self.assertEqual(charlie["cohort_memberships"], [])
        self.assertEqual([row["programme"] for row in charlie["coordinator_of"]], ["New Roots"])
        (sent,) = charlie["coordinator_invitations_sent"]
        self.assertEqual(sent["email"], "dana@example.org")
        self.assertNotIn("token", json.dumps(charlie))

    def test_deleting_the_account_removes_memberships_and_roles(self) -> None:
        account_delete(user=self.alice)
        self.assertFalse(CohortMembership.objects.exists())
        account_delete(user=self.charlie)
        self.assertFalse(Coordinator.objects.exists())
        self.assertFalse(CoordinatorInvitation.objects.exists())
        self.assertTrue(Cohort.objects.exists())  # the programme's own rows stay


class PoolPrivacyTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = make_programme(cls.charlie)
        cohort = Cohort.objects.create(programme=cls.programme, name="Lyon", country="fr")
        membership = CohortMembership.objects.create(
            cohort=cohort, business=make_business(cls.alice), consent="named"
        )
        for email, by in (("bob", cls.charlie), ("dana", cls.charlie), ("eve", cls.bob)):
            pool_invite(programme=cls.programme, email=f"{email}@example.org", invited_by=by)
        cls.entry = PoolMentor.objects.create(
            programme=cls.programme, user=cls.bob, languages=["fr"], sectors=["food"], country="fr"
        )
        Proposal.objects.create(membership=membership, mentor=cls.entry, state="declined")

    def test_the_export_holds_the_pool_entry_invitations_and_proposals(self) -> None:
        bob = json.loads(export_files(self.bob)["programmes.json"])
        (pool,) = bob["mentor_pools"]
        self.assertEqual(
            (pool["programme"], pool["languages"], pool["sectors"], pool["capacity"]),
            ("New Roots", ["fr"], ["food"], 2),
        )
        alice = json.loads(export_files(self.alice)["programmes.json"])
        (proposed,) = alice["mentors_proposed_to_you"]
        self.assertEqual((proposed["mentor"], proposed["state"]), ("Bob Janssens", "declined"))
        charlie = json.loads(export_files(self.charlie)["programmes.json"])
        self.assertEqual(
            [row["email"] for row in charlie["pool_invitations_sent"]],
            ["dana@example.org", "bob@example.org"],
        )

    def test_deleting_the_mentor_removes_the_entry_its_proposals_and_invitations(self) -> None:
        account_delete(user=self.bob)
        self.assertFalse(PoolMentor.objects.exists())
        self.assertFalse(Proposal.objects.exists())
        # Bob's invitation of Bob goes; Charlie's invitation of Dana stays.
        self.assertEqual([i.email for i in PoolInvitation.objects.all()], ["dana@example.org"])
        self.assertTrue(CohortMembership.objects.exists())
