"""Mentors: invitations with consent, accepting, cancelling, revoking, the record, the home."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from decimal import Decimal

from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from metrics.engine import add_months
from metrics.mentoring.invitations import invitation_create
from metrics.mentoring.overview import mentee_rows
from metrics.models.comments import Comment
from metrics.models.goals import Target
from metrics.models.mentoring import Invitation, Mentorship, MentorshipEvent
from metrics.pages import last_complete_month
from tests.base import PASSWORD, BaseTestCase
from tests.metrics.factories import add_entries, make_business, make_mentor, track

LINK = re.compile(r"https?://[^/\s]+(/mentor/invitations/[^/\s]+/)")


class MentorsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice)

    def mentors_url(self) -> str:
        return reverse("metrics:mentors", args=[self.business.pk])

    def new_token(self, email: str = "") -> str:
        _invitation, token = invitation_create(
            business=self.business, invited_by=self.alice, email=email
        )
        return token

    def accept_url(self, token: str) -> str:
        return reverse("metrics:invitation_accept", args=[token])


class InviteByEmailTests(MentorsTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.alice)

    def test_it_emails_a_link_that_works_for_14_days(self) -> None:
        response = self.client.post(self.mentors_url(), {"email": "Mentor@Example.org "})
        self.assertRedirects(response, self.mentors_url())
        invitation = Invitation.objects.get()
        self.assertEqual(invitation.email, "mentor@example.org")
        self.assertEqual(invitation.invited_by, self.alice)
        self.assertAlmostEqual(
            invitation.expires - invitation.created, timedelta(days=14), delta=timedelta(1)
        )
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["mentor@example.org"])
        self.assertIn("Amal's Kitchen", message.subject)
        token = LINK.search(message.body).group(1).split("/")[-2]
        # Only a hash is stored, never the token.
        self.assertEqual(invitation.token_hash, hashlib.sha256(token.encode()).hexdigest())
        self.assertFalse(Invitation.objects.filter(token_hash=token).exists())
        self.assertGreaterEqual(len(token), 40)

    @override_settings(SITE_URL="https://kpi.example.org/")
    def test_the_link_starts_with_the_site_url(self) -> None:
        self.client.post(self.mentors_url(), {"email": "mentor@example.org"})
        self.assertIn("https://kpi.example.org/mentor/invitations/", mail.outbox[0].body)

    def test_it_is_in_the_invitees_language_when_they_have_an_account(self) -> None:
        User.objects.create_user("marc@example.org", PASSWORD, language="fr")
        self.client.post(self.mentors_url(), {"email": "marc@example.org"})
        self.assertTrue(mail.outbox[0].body.startswith("Bonjour,"))

    def test_it_is_in_the_inviters_language_otherwise(self) -> None:
        self.alice.language = "nl"
        self.alice.save()
        self.client.post(self.mentors_url(), {"email": "new@example.org"})
        self.assertTrue(mail.outbox[0].body.startswith("Hallo,"))

    def test_the_owners_own_address_is_refused(self) -> None:
        response = self.client.post(self.mentors_url(), {"email": "alice@example.org"})
        self.assertContains(response, "This is your own email address")
        self.assertContains(response, "<title>Error:")
        self.assertFalse(Invitation.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_an_active_mentor_is_not_invited_again(self) -> None:
        make_mentor(self.business, self.bob)
        response = self.client.post(self.mentors_url(), {"email": "bob@example.org"})
        self.assertContains(response, "bob@example.org already mentors this business.")
        self.assertFalse(Invitation.objects.exists())

    def test_a_bad_address_is_explained(self) -> None:
        response = self.client.post(self.mentors_url(), {"email": "not an address"})
        self.assertContains(response, "Enter an email address like name@example.org.")

    def test_inviting_again_cancels_the_earlier_link(self) -> None:
        self.client.post(self.mentors_url(), {"email": "mentor@example.org"})
        first = LINK.search(mail.outbox[0].body).group(1)
        self.client.post(self.mentors_url(), {"email": "mentor@example.org"})
        second = LINK.search(mail.outbox[1].body).group(1)
        self.assertNotEqual(first, second)
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(first), "was cancelled", status_code=410)
        self.assertContains(self.client.get(second), "Accept the invitation")

    def test_when_the_email_fails_the_owner_gets_the_link_to_send(self) -> None:
        with override_settings(
            MAILERS={"default": {"BACKEND": "tests.metrics.mentoring.test_mentors.BrokenBackend"}}
        ):
            response = self.client.post(
                self.mentors_url(), {"email": "mentor@example.org"}, follow=True
            )
        self.assertContains(response, "The email could not be sent.")
        self.assertRegex(response.content.decode(), r'value="http://testserver/mentor/invitations/')
        self.assertTrue(Invitation.objects.filter(email="mentor@example.org").exists())


class BrokenBackend:
    """A mail server that is down."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: list) -> int:
        raise ConnectionRefusedError("the mail server is down")


class InviteByLinkTests(MentorsTestCase):
    def test_the_link_is_shown_once(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(reverse("metrics:invite_link", args=[self.business.pk]))
        self.assertRedirects(
            response, self.mentors_url() + "#invitation-link", fetch_redirect_response=False
        )
        page = self.client.get(self.mentors_url()).content.decode()
        link = re.search(r'id="invitation-link-field" value="([^"]+)"', page).group(1)
        self.assertTrue(link.startswith("http://testserver/mentor/invitations/"))
        self.assertNotIn(link, self.client.get(self.mentors_url()).content.decode())
        self.assertEqual(Invitation.objects.get().email, "")
        self.assertEqual(mail.outbox, [])


class AcceptTests(MentorsTestCase):
    def test_an_anonymous_visitor_is_told_whose_invitation_it_is(self) -> None:
        url = self.accept_url(self.new_token())
        response = self.client.get(url)
        self.assertContains(response, "Alice Haddad invites you to be the mentor of Amal")
        self.assertContains(response, f"{reverse('accounts:signup')}?next={url}")
        self.assertContains(response, f"{reverse('accounts:login')}?next={url}")
        self.assertNotContains(response, "Accept the invitation")

    def test_signing_up_comes_back_to_the_invitation(self) -> None:
        url = self.accept_url(self.new_token())
        self.client.post(
            f"{reverse('accounts:signup')}?next={url}",
            {"name": "Marc", "email": "marc@example.org", "next": url},
        )
        link = re.search(r"https?://[^/\s]+(/accounts/signup/\S+)", mail.outbox[-1].body)
        response = self.client.post(link.group(1), {"password": PASSWORD})
        self.assertRedirects(response, url)
        self.assertContains(self.client.get(url), "Accept the invitation")

    def test_logging_in_comes_back_to_the_invitation(self) -> None:
        url = self.accept_url(self.new_token())
        response = self.client.post(
            reverse("accounts:login"),
            {"username": "bob@example.org", "password": PASSWORD, "next": url},
        )
        self.assertRedirects(response, url)

    def test_an_anonymous_post_is_sent_to_log_in(self) -> None:
        url = self.accept_url(self.new_token())
        response = self.client.post(url)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={url}")
        self.assertFalse(Mentorship.objects.exists())

    def test_accepting_grants_read_access_and_records_it(self) -> None:
        url = self.accept_url(self.new_token())
        self.client.force_login(self.bob)
        response = self.client.post(url)
        self.assertRedirects(response, reverse("metrics:mentor_home"))
        mentorship = Mentorship.objects.get(business=self.business, mentor=self.bob)
        self.assertIsNone(mentorship.revoked_at)
        event = MentorshipEvent.objects.get()
        self.assertEqual(
            (event.kind, event.mentor, event.actor, event.mentorship),
            ("granted", self.bob, self.alice, mentorship),
        )
        self.assertEqual(event.actor_name, "Alice Haddad <alice@example.org>")
        invitation = Invitation.objects.get()
        self.assertEqual(invitation.accepted_by, self.bob)
        dashboard = reverse("metrics:dashboard", args=[self.business.pk])
        self.assertEqual(self.client.get(dashboard).status_code, 200)

    def test_it_works_once(self) -> None:
        url = self.accept_url(self.new_token())
        self.client.force_login(self.bob)
        self.client.post(url)
        self.client.force_login(self.charlie)
        for method in (self.client.get, self.client.post):
            response = method(url)
            self.assertContains(response, "already been used", status_code=410)
        self.assertFalse(Mentorship.objects.filter(mentor=self.charlie).exists())

    def test_the_mentor_who_used_it_is_pointed_to_the_dashboard(self) -> None:
        url = self.accept_url(self.new_token())
        self.client.force_login(self.bob)
        self.client.post(url)
        response = self.client.get(url)
        self.assertContains(response, "already been used", status_code=410)
        self.assertContains(
            response, reverse("metrics:dashboard", args=[self.business.pk]), status_code=410
        )

    def test_an_expired_invitation_says_so(self) -> None:
        token = self.new_token()
        Invitation.objects.update(expires=timezone.now() - timedelta(seconds=1))
        self.client.force_login(self.bob)
        for method in (self.client.get, self.client.post):
            self.assertContains(method(self.accept_url(token)), "has expired", status_code=410)
        self.assertFalse(Mentorship.objects.exists())

    def test_a_cancelled_invitation_says_so(self) -> None:
        token = self.new_token()
        Invitation.objects.update(cancelled_at=timezone.now())
        self.client.force_login(self.bob)
        response = self.client.post(self.accept_url(token))
        self.assertContains(response, "was cancelled", status_code=410)
        self.assertFalse(Mentorship.objects.exists())

    def test_an_unknown_token_says_so(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(self.accept_url("not-a-real-token"))
        self.assertContains(response, "This invitation link does not work", status_code=404)
        self.assertContains(
            self.client.post(self.accept_url("x")), "does not work", status_code=404
        )

    def test_the_owner_cannot_accept_their_own_invitation(self) -> None:
        token = self.new_token()
        self.client.force_login(self.alice)
        for method in (self.client.get, self.client.post):
            response = method(self.accept_url(token))
            self.assertContains(
                response, "This invitation is for your own business", status_code=409
            )
        self.assertFalse(Mentorship.objects.exists())
        self.assertIsNone(Invitation.objects.get().accepted_at)

    def test_a_mentor_who_already_has_access_is_told_so(self) -> None:
        make_mentor(self.business, self.bob)
        token = self.new_token()
        self.client.force_login(self.bob)
        response = self.client.post(self.accept_url(token))
        self.assertContains(response, "You already mentor this business.", status_code=409)
        self.assertEqual(Mentorship.objects.count(), 1)
        # The invitation stays usable for someone else.
        self.assertIsNone(Invitation.objects.get().accepted_at)

    def test_a_former_mentor_can_be_invited_again(self) -> None:
        make_mentor(self.business, self.bob, revoked=True)
        self.client.force_login(self.bob)
        self.client.post(self.accept_url(self.new_token()))
        self.assertEqual(Mentorship.objects.filter(mentor=self.bob).count(), 2)
        self.assertEqual(Mentorship.objects.filter(revoked_at__isnull=True).count(), 1)


class CancelAndRevokeTests(MentorsTestCase):
    def test_the_owner_cancels_a_pending_invitation(self) -> None:
        token = self.new_token("mentor@example.org")
        invitation = Invitation.objects.get()
        self.client.force_login(self.alice)
        url = reverse("metrics:invitation_cancel", args=[self.business.pk, invitation.pk])
        self.assertRedirects(self.client.post(url), self.mentors_url())
        invitation.refresh_from_db()
        self.assertIsNotNone(invitation.cancelled_at)
        self.assertNotContains(self.client.get(self.mentors_url()), "mentor@example.org")
        self.client.force_login(self.bob)
        self.assertEqual(self.client.post(self.accept_url(token)).status_code, 410)

    def test_cancelling_twice_is_harmless(self) -> None:
        self.new_token()
        invitation = Invitation.objects.get()
        self.client.force_login(self.alice)
        url = reverse("metrics:invitation_cancel", args=[self.business.pk, invitation.pk])
        self.client.post(url)
        response = self.client.post(url, follow=True)
        self.assertContains(response, "no longer waiting")

    def test_revoking_takes_effect_on_the_mentors_next_request(self) -> None:
        self.client.force_login(self.bob)
        self.client.post(self.accept_url(self.new_token()))
        dashboard = reverse("metrics:dashboard", args=[self.business.pk])
        bob = self.client
        self.assertEqual(bob.get(dashboard).status_code, 200)

        owner = self.client_class()
        owner.force_login(self.alice)
        mentorship = Mentorship.objects.get()
        url = reverse("metrics:mentorship_revoke", args=[self.business.pk, mentorship.pk])
        response = owner.post(url, follow=True)
        self.assertContains(response, "Bob Janssens can no longer see Amal")

        self.assertEqual(bob.get(dashboard).status_code, 404)
        self.assertNotContains(bob.get(reverse("metrics:mentor_home")), "Amal")
        revoked = MentorshipEvent.objects.get(kind="revoked")
        self.assertEqual((revoked.mentor, revoked.actor), (self.bob, self.alice))
        self.assertEqual(owner.post(url, follow=True).status_code, 200)
        self.assertEqual(MentorshipEvent.objects.filter(kind="revoked").count(), 1)

    def test_the_owner_sees_pending_active_and_the_record(self) -> None:
        self.new_token("waiting@example.org")
        self.client.force_login(self.bob)
        self.client.post(self.accept_url(self.new_token()))
        mentorship = Mentorship.objects.get()
        self.client.force_login(self.alice)
        self.client.post(
            reverse("metrics:mentorship_revoke", args=[self.business.pk, mentorship.pk])
        )
        response = self.client.get(self.mentors_url())
        self.assertContains(response, "waiting@example.org")
        self.assertContains(response, "No mentor can see this business now.")
        html = response.content.decode()
        record = html[html.index("access-record") :]
        self.assertEqual(record.count("Bob Janssens &lt;bob@example.org&gt;"), 2)
        self.assertIn("Access granted", record)
        self.assertIn("Access revoked", record)
        self.assertLess(record.index("Access revoked"), record.index("Access granted"))

    def test_the_record_survives_a_deleted_account(self) -> None:
        self.client.force_login(self.bob)
        self.client.post(self.accept_url(self.new_token()))
        self.bob.delete()
        event = MentorshipEvent.objects.get()
        self.assertIsNone(event.mentor)
        self.assertEqual(event.mentor_name, "Bob Janssens <bob@example.org>")

    def test_only_the_owner_manages_mentors(self) -> None:
        make_mentor(self.business, self.bob)
        mentorship = Mentorship.objects.get()
        revoke = reverse("metrics:mentorship_revoke", args=[self.business.pk, mentorship.pk])
        link = reverse("metrics:invite_link", args=[self.business.pk])
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(self.mentors_url()).status_code, 403)
        self.assertEqual(self.client.post(revoke).status_code, 403)
        self.assertEqual(self.client.post(link).status_code, 403)
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.mentors_url()).status_code, 404)
        self.assertEqual(self.client.post(revoke).status_code, 404)
        self.assertIsNone(Mentorship.objects.get().revoked_at)
        self.assertFalse(Invitation.objects.exists())

    def test_ids_from_another_business_are_not_found(self) -> None:
        other = make_business(self.charlie, name="Other")
        elsewhere = make_mentor(other, self.bob)
        self.client.force_login(self.alice)
        url = reverse("metrics:mentorship_revoke", args=[self.business.pk, elsewhere.pk])
        self.assertEqual(self.client.post(url).status_code, 404)
        self.assertIsNone(Mentorship.objects.get().revoked_at)


SHOP = {"visitors": 100, "orders": 10, "revenue": 1000}


class MentorHomeTests(BaseTestCase):
    """Every mentee on one page, with verdicts for its last month, in a fixed number of queries."""

    def setUp(self) -> None:
        self.last = last_complete_month()

    def mentee(self, name: str, *, months_ago: int | None = 0, **targets: int):
        business = make_business(self.alice, name=name)
        track(business, "revenue", "conversion_rate", "average_order_value")
        if months_ago is not None:
            add_entries(business, add_months(self.last, -months_ago - 5), 6, SHOP)
        for code, value in targets.items():
            Target.objects.create(
                business=business,
                kpi=code,
                value=Decimal(value),
                first_month=date(2020, 1, 1),
                deadline=date(2030, 12, 1),
            )
        make_mentor(business, self.bob)
        return business

    def home(self, **params: str):
        self.client.force_login(self.bob)
        return self.client.get(reverse("metrics:mentor_home"), params)

    def test_it_requires_log_in(self) -> None:
        url = reverse("metrics:mentor_home")
        self.assertRedirects(self.client.get(url), f"{reverse('accounts:login')}?next={url}")

    def test_it_shows_each_mentee_with_its_verdicts(self) -> None:
        # revenue 1,000: on track for ≥ 900, behind for ≥ 2,000; conversion 10 % close to 11 %.
        business = self.mentee("Amal's Kitchen", revenue=900, conversion_rate=11)
        self.mentee("Yonas Vélos", revenue=2000)
        rows = {row.business.name: row for row in self.home().context["rows"]}
        amal = rows["Amal's Kitchen"]
        self.assertEqual((amal.on_track, amal.close, amal.behind), (1, 1, 0))
        self.assertEqual(amal.last_month, self.last)
        self.assertFalse(amal.quiet)
        yonas = rows["Yonas Vélos"]
        self.assertEqual((yonas.on_track, yonas.close, yonas.behind), (0, 0, 1))
        response = self.home()
        self.assertContains(response, reverse("metrics:dashboard", args=[business.pk]))
        self.assertContains(response, "Belgium")

    def test_it_flags_two_months_without_figures(self) -> None:
        self.mentee("Last month", months_ago=0)
        self.mentee("Month before", months_ago=1)
        self.mentee("Two months quiet", months_ago=2)
        self.mentee("Never logged", months_ago=None)
        rows = {row.business.name: row.quiet for row in self.home().context["rows"]}
        self.assertEqual(
            rows,
            {
                "Last month": False,
                "Month before": False,
                "Two months quiet": True,
                "Never logged": True,
            },
        )
        self.assertContains(self.home(), "No figures for 2 months", count=2)

    def test_it_counts_unread_comments_per_mentee(self) -> None:
        business = self.mentee("Amal's Kitchen")
        for _ in range(3):
            Comment.objects.create(
                business=business, author=self.alice, on="month", subject="2024-03", body="Hi"
            )
        Comment.objects.create(
            business=business, author=self.bob, on="month", subject="2024-03", body="Mine"
        )
        (row,) = self.home().context["rows"]
        self.assertEqual(row.unread, 3)
        self.assertContains(self.home(), "3 unread")

    def test_it_sorts_by_each_column(self) -> None:
        self.mentee("B behind", revenue=5000, months_ago=1)
        self.mentee("A on track", revenue=10, months_ago=0)
        quiet = self.mentee("C quiet", months_ago=3)
        Comment.objects.create(
            business=quiet, author=self.alice, on="month", subject="2024-03", body="?"
        )

        def order(sort: str) -> list[str]:
            return [row.business.name for row in self.home(sort=sort).context["rows"]]

        self.assertEqual(order("name"), ["A on track", "B behind", "C quiet"])
        self.assertEqual(order("last_month"), ["C quiet", "B behind", "A on track"])
        self.assertEqual(order("behind")[0], "B behind")
        self.assertEqual(order("unread")[0], "C quiet")
        self.assertEqual(order("nonsense"), order("name"))
        html = self.home(sort="behind").content.decode()
        self.assertIn('aria-sort="descending"><a href="?sort=behind">', html)
        for sort in ("name", "last_month", "unread"):
            self.assertIn(f'href="?sort={sort}"', html)

    def test_it_leaves_out_revoked_mentorships_and_other_peoples_mentees(self) -> None:
        self.mentee("Mine")
        former = make_business(self.alice, name="Former")
        make_mentor(former, self.bob, revoked=True)
        make_mentor(make_business(self.charlie, name="Someone else's"), self.charlie)
        names = [row.business.name for row in self.home().context["rows"]]
        self.assertEqual(names, ["Mine"])

    def test_a_mentor_without_mentees_is_told_how_it_works(self) -> None:
        self.assertContains(self.home(), "You do not mentor anyone yet.")

    # session, user, mentorships (with last month and unread count), custom figures,
    # custom KPIs, tracked KPIs, targets, every mentee's window of entries
    QUERIES = 8

    def test_its_query_count_does_not_grow_with_mentees(self) -> None:
        self.mentee("First", revenue=900)
        self.client.force_login(self.bob)
        url = reverse("metrics:mentor_home")
        self.client.get(url)
        with self.assertNumQueries(self.QUERIES):
            response = self.client.get(url)
        self.assertEqual(len(response.context["rows"]), 1)
        for number in range(29):
            self.mentee(f"Mentee {number:02d}", months_ago=number % 4, revenue=900 + number)
        with self.assertNumQueries(self.QUERIES):
            response = self.client.get(url, {"sort": "behind"})
        self.assertEqual(len(response.context["rows"]), 30)

    def test_the_rows_match_each_dashboard(self) -> None:
        business = self.mentee("Amal's Kitchen", revenue=900, conversion_rate=11)
        (row,) = mentee_rows(self.bob, last_complete=self.last)
        self.client.force_login(self.alice)
        board = self.client.get(reverse("metrics:dashboard", args=[business.pk])).context["board"]
        counts = {value: count for value, _icon, _label, count in board.counts}
        self.assertEqual(
            (row.on_track, row.close, row.behind),
            (counts.get("on_track", 0), counts.get("close", 0), counts.get("behind", 0)),
        )


class AdminTests(MentorsTestCase):
    def test_staff_can_read_every_mentoring_record(self) -> None:
        staff = User.objects.create_superuser("root@example.org", "x" * 12)
        _invitation, token = invitation_create(business=self.business, invited_by=self.alice)
        self.client.force_login(self.bob)
        self.client.post(self.accept_url(token))
        Comment.objects.create(
            business=self.business, author=self.bob, on="month", subject="2024-03", body="Hi"
        )
        self.client.force_login(staff)
        for model in ("mentorship", "mentorshipevent", "invitation", "comment", "remindersent"):
            url = reverse(f"admin:metrics_{model}_changelist")
            self.assertEqual(self.client.get(url).status_code, 200, model)
        event = MentorshipEvent.objects.get()
        change = reverse("admin:metrics_mentorshipevent_change", args=[event.pk])
        response = self.client.get(change)
        self.assertNotContains(response, 'name="_save"')
