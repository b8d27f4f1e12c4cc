"""Matching: the coordinator's suggestions, the proposal, and the entrepreneur's answer."""

from __future__ import annotations

from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from metrics.matching.services import proposal_create
from metrics.mentoring.invitations import mentorship_revoke
from metrics.models.matching import Proposal
from metrics.models.mentoring import Mentorship, MentorshipEvent
from metrics.models.programmes import Cohort, CohortMembership
from tests.base import BaseTestCase
from tests.metrics.factories import make_mentor
from tests.metrics.matching.helpers import member, pool_mentor
from tests.metrics.programmes.helpers import make_programme


def suggested(page: str, business: str) -> list[str]:
    """The mentors suggested for ``business``, in the page's order."""
    section = page.split(f"{business} <span")[1].split("</section>")[0]
    return [part.split("</strong>")[0] for part in section.split("<strong>")[1:]]


class MatchingPageTests(BaseTestCase):
    """Antwerp: Kitchen (Arabic, food, named), Bikes (French, building, named), Salon (named,
    has a mentor), Shop (totals only), Left (named, left). Lyon: Design (Ukrainian, digital)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = make_programme(cls.charlie)
        antwerp = Cohort.objects.create(programme=cls.programme, name="Antwerp", country="be")
        lyon = Cohort.objects.create(programme=cls.programme, name="Lyon", country="fr")
        cls.kitchen = member(antwerp, "Kitchen", language="ar", sector="food")
        cls.bikes = member(antwerp, "Bikes", language="fr", sector="building")
        salon = member(antwerp, "Salon", sector="beauty")
        member(antwerp, "Shop", consent="aggregate")
        left = member(antwerp, "Gone")
        CohortMembership.objects.filter(business=left).update(left_at=timezone.now())
        cls.design = member(lyon, "Design", language="uk", sector="digital", country="fr")
        # The pool, scored for Kitchen (ar, food, be) and Bikes (fr, building, be) by hand:
        #   Amira  ar fr, food, be     Kitchen 4+2+1 = 7   Bikes 4+0+1 = 5
        #   Bram   nl fr, building, be Kitchen 0+0+1 = 1   Bikes 4+2+1 = 7
        #   Chloe  fr, food, fr        Kitchen 0+2+0 = 2   Bikes 4+0+0 = 4
        #   Dirk   ar, food, be, full (1 of 1, mentors Salon): never suggested
        #   Eva    ar, food, be, paused: never suggested
        cls.amira = pool_mentor(cls.programme, "amira@example.org", "ar fr", "food")
        cls.bram = pool_mentor(cls.programme, "bram@example.org", "nl fr", "building")
        cls.chloe = pool_mentor(cls.programme, "chloe@example.org", "fr", "food", "fr")
        cls.dirk = pool_mentor(cls.programme, "dirk@example.org", "ar", "food", capacity=1)
        make_mentor(salon, cls.dirk.user)
        pool_mentor(cls.programme, "eva@example.org", "ar", "food", active=False)
        cls.url = reverse("metrics:matching", args=[cls.programme.pk])

    def page(self) -> str:
        self.client.force_login(self.charlie)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_named_members_without_a_mentor_get_ranked_suggestions(self) -> None:
        page = self.page()
        self.assertEqual(suggested(page, "Kitchen"), ["Amira", "Chloe", "Bram"])
        self.assertEqual(suggested(page, "Bikes"), ["Bram", "Amira", "Chloe"])
        # Design (uk, digital, fr): Chloe has the country (1); Amira and Bram nothing (0),
        # each with 2 free places, so the older entry first.
        self.assertEqual(suggested(page, "Design"), ["Chloe", "Amira", "Bram"])
        self.assertIn("speaks their language · knows their sector · same country", page)
        for absent in ("Salon", "Shop", "Gone", "Dirk", "Eva"):
            self.assertNotIn(absent, page)

    def test_a_proposal_is_sent_waits_and_takes_a_place(self) -> None:
        self.client.force_login(self.charlie)
        membership = self.kitchen.cohort_memberships.get()
        propose = reverse("metrics:proposal_new", args=[self.programme.pk, membership.pk])
        response = self.client.post(propose, {"mentor": self.chloe.pk})
        self.assertRedirects(response, self.url)
        proposal = Proposal.objects.get()
        self.assertEqual(
            (proposal.membership, proposal.mentor, proposal.state, proposal.proposed_by),
            (membership, self.chloe, "pending", self.charlie),
        )
        (message,) = mail.outbox
        self.assertEqual(message.to, ["kitchen@example.org"])
        self.assertIn(f"/b/{self.kitchen.pk}/programmes/", message.body)
        page = self.page()
        self.assertIn("Chloe is proposed; waiting for the entrepreneur", page)
        # Chloe now has 2 − 1 = 1 free place: behind Amira for Bikes as before, and a second
        # proposal to the same member is refused while the first waits.
        self.assertIn("1 free place", page.split("Bikes <span")[1])
        again = self.client.post(propose, {"mentor": self.amira.pk}, follow=True)
        self.assertContains(again, "already waiting for an answer")
        self.assertEqual(Proposal.objects.count(), 1)

    def test_bad_proposals_are_refused_without_an_error(self) -> None:
        self.client.force_login(self.charlie)
        kitchen = self.kitchen.cohort_memberships.get()
        propose = reverse("metrics:proposal_new", args=[self.programme.pk, kitchen.pk])
        other = pool_mentor(make_programme(self.bob, "Elsewhere"), "zed@example.org", "ar", "")
        for value in ("", "abc", "\x00", str(other.pk), "99999"):
            response = self.client.post(propose, {"mentor": value})
            self.assertRedirects(response, self.url)
        shop = CohortMembership.objects.get(business__name="Shop")
        gone = CohortMembership.objects.get(business__name="Gone")
        for membership in (shop, gone):
            url = reverse("metrics:proposal_new", args=[self.programme.pk, membership.pk])
            self.assertEqual(self.client.post(url, {"mentor": self.amira.pk}).status_code, 404)
        self.assertFalse(Proposal.objects.exists())
        self.assertEqual(mail.outbox, [])

    @override_settings(RATE_LIMITS={"invitation": {"user": "2/h", "ip": "100/h"}})
    def test_proposals_send_email_and_are_rate_limited(self) -> None:
        self.client.force_login(self.charlie)
        for business in (self.kitchen, self.bikes, self.design):
            membership = business.cohort_memberships.get()
            url = reverse("metrics:proposal_new", args=[self.programme.pk, membership.pk])
            last = self.client.post(url, {"mentor": self.amira.pk})
        self.assertEqual(last.status_code, 429)
        self.assertEqual(Proposal.objects.count(), 2)
        self.assertEqual(len(mail.outbox), 2)
        self.assertFalse(Proposal.objects.filter(membership__business=self.design).exists())

    def test_the_page_costs_the_same_queries_for_more_members_and_mentors(self) -> None:
        self.client.force_login(self.charlie)
        with self.assertNumQueries(QUERIES):
            self.client.get(self.url)
        cohort = Cohort.objects.create(programme=self.programme, name="Ghent", country="be")
        for number in range(6):
            member(cohort, f"More{number}", language="nl")
            pool_mentor(self.programme, f"m{number}@example.org", "nl", "retail")
        proposal_create(
            membership=CohortMembership.objects.get(business__name="More0"),
            mentor=self.bram,
            proposed_by=self.charlie,
        )
        with self.assertNumQueries(QUERIES):
            page = self.client.get(self.url).content.decode()
        self.assertEqual(len(suggested(page, "More1")), 3)


# Session, user, the programme, memberships, the pool with its counts, the proposals.
QUERIES = 6


class ProposalAnswerTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = make_programme(cls.charlie)
        cohort = Cohort.objects.create(programme=cls.programme, name="Antwerp", country="be")
        cls.business = member(cohort, "Kitchen", language="en")
        cls.owner = cls.business.owner
        cls.membership = cls.business.cohort_memberships.get()
        cls.entry = pool_mentor(cls.programme, "amira@example.org", "ar fr", "food crafts")
        cls.mentor = cls.entry.user

    def setUp(self) -> None:
        self.proposal = proposal_create(
            membership=self.membership, mentor=self.entry, proposed_by=self.charlie
        )
        self.page_url = reverse("metrics:business_programmes", args=[self.business.pk])

    def answer(self, what: str) -> str:
        self.client.force_login(self.owner)
        url = reverse(f"metrics:proposal_{what}", args=[self.business.pk, self.proposal.pk])
        response = self.client.post(url, follow=True)
        self.assertRedirects(response, self.page_url)
        return response.content.decode()

    def test_the_owner_reads_who_the_mentor_is_and_what_they_would_see(self) -> None:
        self.client.force_login(self.owner)
        page = self.client.get(self.page_url).content.decode()
        self.assertIn("New Roots proposes you a mentor", page)
        self.assertIn('<dd class="mentor-name">Amira</dd>', page)
        self.assertIn("<dd>العربية, Français</dd>", page)
        self.assertIn("<dd>Food and catering, Crafts and making</dd>", page)
        self.assertIn("read-only, and can comment on them", page)

    def test_accepting_makes_a_mentorship_the_owner_can_revoke(self) -> None:
        self.client.force_login(self.mentor)
        dashboard = reverse("metrics:dashboard", args=[self.business.pk])
        self.assertEqual(self.client.get(dashboard).status_code, 404)  # pool alone: nothing
        page = self.answer("accept")
        self.assertIn("Amira is now your mentor", page)
        self.assertNotIn("proposes you a mentor", page)
        mentorship = Mentorship.objects.get(business=self.business, revoked_at=None)
        self.assertEqual(mentorship.mentor, self.mentor)
        event = MentorshipEvent.objects.get()
        self.assertEqual(
            (event.kind, event.mentor, event.actor), ("granted", self.mentor, self.owner)
        )
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.state, "accepted")
        self.client.force_login(self.mentor)
        self.assertEqual(self.client.get(dashboard).status_code, 200)
        self.assertEqual(
            self.client.post(reverse("metrics:business_edit", args=[self.business.pk])).status_code,
            403,
        )
        mentorship_revoke(mentorship=mentorship, by=self.owner)
        self.assertEqual(self.client.get(dashboard).status_code, 404)
        # A second answer to the same proposal finds nothing waiting.
        self.client.force_login(self.owner)
        url = reverse("metrics:proposal_accept", args=[self.business.pk, self.proposal.pk])
        self.assertEqual(self.client.post(url).status_code, 404)

    def test_declining_shows_the_coordinator_that_it_was_declined_not_why(self) -> None:
        page = self.answer("decline")
        self.assertIn("The programme sees that you did, never why.", page)
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.state, "declined")
        self.assertFalse(Mentorship.objects.exists())
        self.client.force_login(self.charlie)
        matching = self.client.get(reverse("metrics:matching", args=[self.programme.pk]))
        self.assertContains(matching, "Declined by the entrepreneur: Amira")
        self.assertNotContains(matching, "<strong>Amira</strong>")  # not suggested again

    def test_leaving_the_cohort_or_going_back_to_totals_withdraws_the_proposal(self) -> None:
        self.client.force_login(self.owner)
        consent = reverse("metrics:membership_consent", args=[self.business.pk, self.membership.pk])
        self.client.post(consent, {"consent": "aggregate"})
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.state, "withdrawn")
        self.client.post(consent, {"consent": "named"})
        again = proposal_create(membership=self.membership, mentor=self.entry, proposed_by=None)
        self.client.post(
            reverse("metrics:membership_leave", args=[self.business.pk, self.membership.pk])
        )
        again.refresh_from_db()
        self.assertEqual(again.state, "withdrawn")
        self.assertNotContains(self.client.get(self.page_url), "proposes you a mentor")

    def test_only_the_owner_answers_and_only_her_own_proposals(self) -> None:
        url = reverse("metrics:proposal_accept", args=[self.business.pk, self.proposal.pk])
        for user in (self.mentor, self.charlie, self.alice):
            self.client.force_login(user)
            self.assertEqual(self.client.post(url).status_code, 404)
        own = member(self.membership.cohort, "Other", consent="named")
        self.client.force_login(own.owner)
        other_url = reverse("metrics:proposal_accept", args=[own.pk, self.proposal.pk])
        self.assertEqual(self.client.post(other_url).status_code, 404)
        self.assertFalse(Mentorship.objects.exists())

    def test_the_programmes_page_costs_the_same_queries_with_more_proposals(self) -> None:
        self.client.force_login(self.owner)
        with self.assertNumQueries(OWNER_QUERIES):
            self.client.get(self.page_url)
        for number in range(3):
            cohort = Cohort.objects.create(
                programme=self.programme, name=f"C{number}", country="be"
            )
            membership = CohortMembership.objects.create(
                cohort=cohort, business=self.business, consent="named"
            )
            proposal_create(membership=membership, mentor=self.entry, proposed_by=None)
        with self.assertNumQueries(OWNER_QUERIES):
            page = self.client.get(self.page_url).content.decode()
        self.assertEqual(page.count("Accept this mentor"), 4)


# Session, user, business, memberships, proposals with their mentors, last month logged.
OWNER_QUERIES = 6
