"""The demo: Samira and Marc, and a programme of two cohorts, a pool and a coordinator."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from accounts.models import User
from metrics.management.commands.load_demo import COORDINATOR, ENTREPRENEUR, MENTOR, PASSWORD
from metrics.models.business import Business
from metrics.models.entries import Entry
from metrics.models.matching import PoolMentor, Proposal
from metrics.models.mentoring import Mentorship
from metrics.models.programmes import CohortMembership, Programme


class LoadDemoTests(TestCase):
    def load(self) -> str:
        out = StringIO()
        call_command("load_demo", stdout=out)
        return out.getvalue()

    def test_the_programme_has_two_cohorts_of_six_a_pool_of_three_and_a_coordinator(self) -> None:
        self.assertIn(COORDINATOR, self.load())
        programme = Programme.objects.get()
        cohorts = {c.name: c.country for c in programme.cohorts.all()}
        self.assertEqual(cohorts, {"Antwerp": "be", "Lyon": "fr"})
        memberships = CohortMembership.objects.filter(left_at=None)
        self.assertEqual(memberships.count(), 12)
        for name in cohorts:
            self.assertEqual(memberships.filter(cohort__name=name).count(), 6)
        self.assertEqual(memberships.filter(consent="named").count(), 7)
        self.assertEqual(memberships.filter(consent="aggregate").count(), 5)
        # Every member has a few months of figures, Samira 24.
        for business in Business.objects.filter(cohort_memberships__isnull=False):
            months = Entry.objects.filter(business=business).values("month").distinct().count()
            self.assertGreaterEqual(months, 4, business.name)
            self.assertTrue(business.sector, business.name)
        pool = PoolMentor.objects.filter(programme=programme).select_related("user")
        self.assertEqual(len(pool), 3)
        mentoring = [e.user.email for e in pool if Mentorship.objects.filter(mentor=e.user)]
        self.assertEqual(mentoring, [MENTOR])
        proposal = Proposal.objects.get()
        self.assertEqual(proposal.membership.business.name, "Lina's Pastries")

    def test_it_can_run_again_and_the_coordinator_logs_in(self) -> None:
        self.load()
        self.load()
        self.assertEqual(Programme.objects.count(), 1)
        self.assertEqual(CohortMembership.objects.count(), 12)
        self.assertEqual(PoolMentor.objects.count(), 3)
        self.assertEqual(Business.objects.filter(owner__email=ENTREPRENEUR).count(), 1)
        self.assertEqual(Business.objects.count(), 12)
        coordinator = User.objects.get(email=COORDINATOR)
        self.assertTrue(coordinator.check_password(PASSWORD))
        self.client.force_login(coordinator)
        programme = Programme.objects.get()
        for name in ("metrics:programme", "metrics:matching", "metrics:pool"):
            response = self.client.get(reverse(name, args=[programme.pk]))
            self.assertEqual(response.status_code, 200, name)
        matching = self.client.get(reverse("metrics:matching", args=[programme.pk]))
        # Named and without a mentor: Yonas, Farah, Amina (Antwerp), Hamid, Lina, Iryna (Lyon).
        self.assertEqual(matching.content.decode().count('class="match-row'), 6)
        self.assertContains(
            matching, "Proposition de Nadia Belkacem ; en attente"
        )  # Inès reads French
