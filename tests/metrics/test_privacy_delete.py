"""Deleting one's account: confirmed twice, then every row that belongs to the user goes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from unittest import mock

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client
from django.urls import reverse

from accounts.models import User
from metrics.dashboard.review import tracked_kpis_set
from metrics.imports.mapping import mapping_remember
from metrics.mentoring.invitations import invitation_accept, invitation_create, mentorship_revoke
from metrics.models.business import Business, CustomFigure, CustomKpi
from metrics.models.comments import Comment, CommentRead
from metrics.models.entries import Entry, ReminderSent
from metrics.models.goals import Goal, Target
from metrics.models.mentoring import Invitation, Mentorship, MentorshipEvent
from metrics.models.reviews import QuarterlyReview
from metrics.months.services import entries_save_month
from metrics.privacy import historical_models
from tests.base import PASSWORD, BaseTestCase
from tests.metrics.factories import make_business, make_mentor

MARCH = date(2025, 3, 1)


def rows_naming(user_id: int, email: str, business_ids: list[int]) -> list[str]:
    """Every row, in every model, that points to the user or their businesses, or names them.

    Foreign keys and many-to-many tables to the user and to a business (history tables
    included: their ``business`` and ``history_user`` are foreign keys without a database
    constraint), then every text column that holds the email address.
    """
    found = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is User:
                if model.objects.filter(**{field.attname: user_id}).exists():
                    found.append(f"{label}.{field.name}")
            elif field.is_relation and field.related_model is Business:
                if model.objects.filter(**{f"{field.attname}__in": business_ids}).exists():
                    found.append(f"{label}.{field.name}")
            elif (
                isinstance(field, models.CharField | models.TextField)
                and model.objects.filter(**{f"{field.attname}__icontains": email}).exists()
            ):
                found.append(f"{label}.{field.name} (text)")
    for session in Session.objects.all():
        if session.get_decoded().get(SESSION_KEY) == str(user_id):
            found.append(f"session {session.session_key}")
    return found


class DeletePageTests(BaseTestCase):
    url = reverse("accounts:delete")

    def setUp(self) -> None:
        self.business = make_business(self.alice)

    def post(self, **data: str):
        self.client.force_login(self.alice)
        return self.client.post(self.url, data)

    def test_it_requires_log_in(self) -> None:
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")
        self.client.post(self.url, {"password": PASSWORD, "confirmation": "alice@example.org"})
        self.assertTrue(User.objects.filter(pk=self.alice.pk).exists())

    def test_it_says_what_goes_and_asks_for_the_password_and_the_email(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "<strong>alice@example.org</strong>", html=True)
        self.assertContains(response, 'id="id_password"')
        self.assertContains(response, 'id="id_confirmation"')
        self.assertContains(response, reverse("accounts:export"))

    def test_a_wrong_password_deletes_nothing(self) -> None:
        response = self.post(password="not my password", confirmation="alice@example.org")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertRegex(html, r"<title>Error: ")
        self.assertIn("There is a problem", html)
        self.assertIn('<a href="#id_password">The password is not right.', html)
        self.assertTrue(User.objects.filter(pk=self.alice.pk).exists())
        self.assertTrue(Business.objects.filter(pk=self.business.pk).exists())
        self.assertEqual(int(self.client.session[SESSION_KEY]), self.alice.pk)

    def test_another_address_deletes_nothing(self) -> None:
        response = self.post(password=PASSWORD, confirmation="bob@example.org")
        self.assertContains(response, '<a href="#id_confirmation">')
        self.assertContains(response, "Type alice@example.org.")
        self.assertTrue(User.objects.filter(pk=self.alice.pk).exists())

    def test_empty_fields_are_both_listed(self) -> None:
        response = self.post()
        self.assertContains(response, '<a href="#id_password">')
        self.assertContains(response, '<a href="#id_confirmation">')
        self.assertTrue(User.objects.filter(pk=self.alice.pk).exists())

    def test_the_address_may_be_typed_in_any_case_with_spaces(self) -> None:
        response = self.post(password=PASSWORD, confirmation="  Alice@Example.ORG ")
        self.assertRedirects(response, reverse("home"))
        self.assertFalse(User.objects.filter(pk=self.alice.pk).exists())

    def test_it_logs_out_and_says_so_in_the_users_language(self) -> None:
        self.alice.language = "nl"
        self.alice.save()
        response = self.post(password=PASSWORD, confirmation="alice@example.org")
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertEqual(response.cookies[settings.LANGUAGE_COOKIE_NAME].value, "nl")
        self.assertNotIn(SESSION_KEY, self.client.session)
        home = self.client.get(reverse("home"))
        self.assertContains(home, "Je account is verwijderd")
        self.assertEqual(home.wsgi_request.LANGUAGE_CODE, "nl")
        self.assertFalse(home.wsgi_request.user.is_authenticated)

    def test_it_is_all_or_nothing(self) -> None:
        with (
            mock.patch(
                "accounts.personal_data.user_session_keys", side_effect=RuntimeError("boom")
            ),
            self.assertRaises(RuntimeError),
        ):
            self.post(password=PASSWORD, confirmation="alice@example.org")
        self.assertTrue(User.objects.filter(pk=self.alice.pk).exists())
        self.assertTrue(Business.objects.filter(pk=self.business.pk).exists())


class DeleteEverythingTests(BaseTestCase):
    """Alice owns a business Bob mentors, and mentors Charlie's business herself."""

    def setUp(self) -> None:
        alice, bob, charlie = self.alice, self.bob, self.charlie
        # Her business, with everything a business can have.
        self.business = make_business(alice, name="Amal's Kitchen")
        CustomFigure.objects.create(business=self.business, code="catering", name="Catering")
        CustomKpi.objects.create(
            business=self.business, code="share", name="Share", formula="catering / revenue"
        )
        tracked_kpis_set(business=self.business, codes=["revenue", "share"])
        entries_save_month(
            business=self.business,
            month=MARCH,
            values={"revenue": Decimal(900), "catering": Decimal(100)},
            user=alice,
        )
        entries_save_month(
            business=self.business, month=MARCH, values={"revenue": Decimal(950)}, user=alice
        )
        goal = Goal.objects.create(business=self.business, title="Wage", deadline=MARCH)
        target = Target.objects.create(
            business=self.business,
            kpi="revenue",
            goal=goal,
            value=Decimal(1000),
            first_month=MARCH,
            deadline=MARCH,
        )
        target.value = Decimal(1100)
        target.save()
        QuarterlyReview.objects.create(business=self.business, quarter="2025-Q1", reflection="Ok")
        mapping_remember(
            business=self.business, kind="ledger", names=["Quand", "Qui", "Payé"],
            mapping=["date", "customer", "amount"],
        )  # fmt: skip
        ReminderSent.objects.create(business=self.business, month=MARCH, recipient=alice)
        Comment.objects.create(
            business=self.business, author=alice, on="month", subject="2025-03", body="Mine"
        )
        tip = Comment.objects.create(
            business=self.business, author=bob, on="month", subject="2025-03", body="Bob's tip"
        )
        CommentRead.objects.create(comment=tip, user=alice)
        # Bob mentors it through an invitation she sent; another invitation waits.
        _invitation, token = invitation_create(business=self.business, invited_by=alice)
        invitation_accept(token=token, user=bob)
        invitation_create(business=self.business, invited_by=alice, email="mentor@example.org")

        # Charlie's business, which she mentors and comments on, and which outlives her.
        self.other = make_business(charlie, name="Yonas Bikes")
        entries_save_month(
            business=self.other, month=MARCH, values={"revenue": Decimal(400)}, user=charlie
        )
        # A change made under her name (by support staff, say) is her history row too.
        entries_save_month(
            business=self.other, month=MARCH, values={"visitors": Decimal(40)}, user=alice
        )
        invitation_create(business=self.other, invited_by=charlie, email="alice@example.org")
        _invitation, token = invitation_create(business=self.other, invited_by=charlie)
        invitation_accept(token=token, user=alice)
        earlier = make_mentor(self.other, alice, revoked=True)
        MentorshipEvent.objects.create(
            business=self.other,
            mentorship=earlier,
            kind=MentorshipEvent.Kind.REVOKED,
            mentor=alice,
            mentor_name="Alice Haddad <alice@example.org>",
            actor=alice,
            actor_name="Alice Haddad <alice@example.org>",
        )
        Comment.objects.create(
            business=self.other, author=alice, on="month", subject="2025-03", body="Advice"
        )
        thanks = Comment.objects.create(
            business=self.other, author=charlie, on="month", subject="2025-03", body="Thanks"
        )
        CommentRead.objects.create(comment=thanks, user=alice)
        make_mentor(self.other, bob)
        Comment.objects.create(
            business=self.other, author=bob, on="month", subject="2025-03", body="Bob here"
        )

        # Her account's other traces: a group, log-in records, admin log, two sessions.
        alice.groups.add(Group.objects.create(name="Pilot"))
        # A log-in from her phone (a session and an access log), then a failed one.
        login = reverse("accounts:login")
        self.phone = Client()
        self.phone.post(login, {"username": "alice@example.org", "password": PASSWORD})
        Client().post(login, {"username": "Alice@Example.org", "password": "a wrong one"})
        Client().post(login, {"username": "bob@example.org", "password": "a wrong one"})
        # Kept only with AXES_ENABLE_ACCESS_FAILURE_LOG; written here as that would.
        AccessFailureLog.objects.create(
            username="ALICE@example.org", ip_address="127.0.0.1", user_agent="test"
        )
        LogEntry.objects.create(
            user=alice,
            content_type=ContentType.objects.get_for_model(Business),
            object_id=str(self.business.pk),
            object_repr="Amal's Kitchen",
            action_flag=ADDITION,
        )
        self.bob_client = Client()
        self.bob_client.force_login(bob)
        self.client.force_login(alice)

    def delete(self):
        return self.client.post(
            reverse("accounts:delete"),
            {"password": PASSWORD, "confirmation": "alice@example.org"},
        )

    def test_no_row_that_refers_to_the_user_is_left(self) -> None:
        business_ids = [self.business.pk]
        before = rows_naming(self.alice.pk, "alice@example.org", business_ids)
        self.assertGreater(len(before), 20, before)
        self.assertIn("metrics.HistoricalEntry.business", before)
        self.assertIn("metrics.HistoricalEntry.history_user", before)
        self.assertIn("axes.AccessFailureLog.username (text)", before)
        self.assertIn("accounts.User_groups.user", before)
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            self.assertIn(f"{model._meta.label}.username (text)", before)

        self.assertRedirects(self.delete(), reverse("home"), fetch_redirect_response=False)

        self.assertEqual(rows_naming(self.alice.pk, "alice@example.org", business_ids), [])
        self.assertFalse(User.objects.filter(pk=self.alice.pk).exists())
        # The "deleted" history rows the cascade writes are gone too.
        for historical in historical_models():
            self.assertFalse(historical.objects.filter(business_id__in=business_ids).exists())

    def test_every_session_of_the_user_ends(self) -> None:
        self.delete()
        self.assertEqual(self.phone.get(reverse("accounts:profile")).status_code, 302)
        self.assertEqual(self.bob_client.get(reverse("accounts:profile")).status_code, 200)

    def test_other_peoples_data_stays_without_her_comments(self) -> None:
        self.delete()
        self.assertEqual(Entry.objects.filter(business=self.other).count(), 2)
        # Charlie's own change stays; the one made under her name goes.
        history = Entry.history.filter(business_id=self.other.pk)
        self.assertEqual(list(history.values_list("history_user", flat=True)), [self.charlie.pk])
        self.assertEqual(
            sorted(Comment.objects.filter(business=self.other).values_list("body", flat=True)),
            ["Bob here", "Thanks"],
        )
        self.assertTrue(User.objects.filter(pk=self.bob.pk).exists())
        self.assertTrue(User.objects.filter(pk=self.charlie.pk).exists())
        self.assertTrue(Mentorship.objects.filter(business=self.other, mentor=self.bob).exists())
        self.assertEqual(AccessAttempt.objects.get().username, "bob@example.org")
        self.assertFalse(Invitation.objects.filter(business=self.other).exists())

    def test_her_mentors_lose_access_at_once(self) -> None:
        dashboard = reverse("metrics:dashboard", args=[self.business.pk])
        self.assertEqual(self.bob_client.get(dashboard).status_code, 200)
        self.delete()
        self.assertEqual(self.bob_client.get(dashboard).status_code, 404)
        self.assertFalse(Mentorship.objects.filter(mentor=self.bob, business_id=self.business.pk))

    def test_the_owners_record_of_access_keeps_the_lines_without_her_name(self) -> None:
        self.charlie.language = "fr"
        self.charlie.save()
        self.delete()
        events = MentorshipEvent.objects.filter(business=self.other).order_by("pk")
        lines = [(e.kind, e.mentor_id, e.mentor_name, e.actor_name) for e in events]
        self.assertEqual(
            [(kind, mentor) for kind, mentor, _name, _actor in lines],
            # Her grant, her earlier leave, and the end of her access now.
            [("granted", None), ("revoked", None), ("revoked", None)],
        )
        for _kind, _mentor, mentor_name, actor_name in lines:
            self.assertNotIn("alice", mentor_name.lower())
            self.assertNotIn("alice", actor_name.lower())
        self.assertEqual(lines[0][3], "Charlie Martin <charlie@example.org>")
        self.assertTrue(all(line[2] for line in lines))

    def test_a_revoked_mentorship_of_hers_goes_too(self) -> None:
        mentorship = Mentorship.objects.get(
            business=self.other, mentor=self.alice, revoked_at__isnull=True
        )
        mentorship_revoke(mentorship=mentorship, by=self.charlie)
        self.delete()
        self.assertFalse(Mentorship.objects.filter(business=self.other).exclude(mentor=self.bob))
