"""Rate limits per person and per client address, with a 429 that keeps what was typed."""

from __future__ import annotations

from datetime import date
from unittest import mock

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from metrics.models.comments import Comment
from metrics.models.mentoring import Invitation
from tests.base import PASSWORD, BaseTestCase
from tests.metrics.factories import add_entries, make_business, make_mentor, track

TOO_MANY = "You have tried this too many times. Nothing was saved or sent."
TWO_EACH = {"user": "2/h", "ip": "100/h"}


def limits(**actions: dict[str, str]):
    return override_settings(RATE_LIMITS=actions)


class AccountFormTests(BaseTestCase):
    @limits(signup=TWO_EACH)
    def test_sign_up_is_limited_per_address_typed_and_keeps_the_form(self) -> None:
        for _ in range(2):
            response = self.client.post(
                reverse("accounts:signup"), {"name": "Sam", "email": "Sam@example.org "}
            )
            self.assertEqual(response.status_code, 302)
        refused = self.client.post(
            reverse("accounts:signup"), {"name": "Sam", "email": "sam@example.org"}
        )
        self.assertContains(refused, TOO_MANY, status_code=429)
        self.assertContains(refused, 'value="sam@example.org"', status_code=429)
        self.assertContains(refused, 'value="Sam"', status_code=429)
        self.assertEqual(refused["Retry-After"], "3600")
        self.assertEqual(len(mail.outbox), 2)
        # Another address from the same place is still served.
        other = self.client.post(reverse("accounts:signup"), {"email": "lea@example.org"})
        self.assertEqual(other.status_code, 302)

    @limits(signup={"ip": "2/h"})
    def test_sign_up_is_limited_per_client_address(self) -> None:
        for number in range(2):
            self.client.post(reverse("accounts:signup"), {"email": f"p{number}@example.org"})
        refused = self.client.post(reverse("accounts:signup"), {"email": "p9@example.org"})
        self.assertEqual(refused.status_code, 429)
        other_place = self.client.post(
            reverse("accounts:signup"), {"email": "p9@example.org"}, REMOTE_ADDR="10.9.9.9"
        )
        self.assertEqual(other_place.status_code, 302)

    @limits(password_reset=TWO_EACH)
    def test_password_reset_is_limited_per_address_and_sends_nothing_more(self) -> None:
        for spelling in ("alice@example.org", "ALICE@example.org"):
            self.client.post(reverse("accounts:password_reset"), {"email": spelling})
        refused = self.client.post(
            reverse("accounts:password_reset"), {"email": " Alice@example.org"}
        )
        self.assertContains(refused, TOO_MANY, status_code=429)
        self.assertContains(refused, 'value=" Alice@example.org"', status_code=429)
        self.assertEqual(len(mail.outbox), 2)

    @limits(login=TWO_EACH)
    def test_log_in_posts_are_limited_before_the_password_is_checked(self) -> None:
        url = reverse("accounts:login")
        for _ in range(2):
            self.client.post(url, {"username": "alice@example.org", "password": "wrong one"})
        with mock.patch("django.contrib.auth.forms.authenticate") as authenticate:
            refused = self.client.post(url, {"username": "Alice@example.org", "password": PASSWORD})
        authenticate.assert_not_called()
        self.assertContains(refused, TOO_MANY, status_code=429)
        self.assertContains(refused, 'value="Alice@example.org"', status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    @limits(login=TWO_EACH)
    def test_a_page_view_is_not_counted(self) -> None:
        for _ in range(5):
            self.assertEqual(self.client.get(reverse("accounts:login")).status_code, 200)


class BusinessActionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice)
        track(cls.business, "revenue")
        add_entries(cls.business, date(2026, 1, 1), 3, {"revenue": 900})
        make_mentor(cls.business, cls.bob)

    def setUp(self) -> None:
        self.client.force_login(self.alice)

    @limits(invitation=TWO_EACH)
    def test_invitations_by_email_are_limited_per_user(self) -> None:
        url = reverse("metrics:mentors", args=[self.business.pk])
        for number in range(2):
            self.client.post(url, {"email": f"m{number}@example.org"})
        refused = self.client.post(url, {"email": "m9@example.org"})
        self.assertContains(refused, TOO_MANY, status_code=429)
        self.assertContains(refused, 'value="m9@example.org"', status_code=429)
        self.assertEqual(Invitation.objects.count(), 2)
        self.assertEqual(len(mail.outbox), 2)

    @limits(invitation=TWO_EACH)
    def test_invitation_links_count_under_the_same_limit(self) -> None:
        link = reverse("metrics:invite_link", args=[self.business.pk])
        self.client.post(reverse("metrics:mentors", args=[self.business.pk]), {"email": "a@b.org"})
        self.client.post(link)
        refused = self.client.post(link)
        self.assertContains(refused, TOO_MANY, status_code=429)
        self.assertEqual(Invitation.objects.count(), 2)

    @limits(comment=TWO_EACH)
    def test_comments_are_limited_per_user_and_keep_the_text(self) -> None:
        url = reverse("metrics:month_comments", args=[self.business.pk, "2026-02"])
        for number in range(2):
            self.client.post(url, {"body": f"Comment {number}"})
        refused = self.client.post(url, {"body": "My careful words"})
        self.assertContains(refused, TOO_MANY, status_code=429)
        self.assertContains(refused, "My careful words</textarea>", status_code=429)
        self.assertEqual(Comment.objects.count(), 2)
        # The mentor is another person: their own count is still at zero.
        self.client.force_login(self.bob)
        self.assertEqual(self.client.post(url, {"body": "From Bob"}).status_code, 302)

    @limits(comment={"ip": "2/h"})
    def test_comments_are_limited_per_client_address_across_users(self) -> None:
        url = reverse("metrics:month_comments", args=[self.business.pk, "2026-02"])
        self.client.post(url, {"body": "One"})
        self.client.force_login(self.bob)
        self.client.post(url, {"body": "Two"})
        self.assertEqual(self.client.post(url, {"body": "Three"}).status_code, 429)
        self.assertEqual(Comment.objects.count(), 2)

    @limits(upload=TWO_EACH)
    def test_uploads_are_refused_unread_and_keep_the_choices(self) -> None:
        url = reverse("metrics:import", args=[self.business.pk])

        def upload():
            csv = SimpleUploadedFile("f.csv", b"month,revenue\n2026-01,5\n", "text/csv")
            return self.client.post(url, {"file": csv, "decimal": "comma"})

        self.assertEqual(upload().status_code, 302)
        self.assertEqual(upload().status_code, 302)
        with mock.patch("metrics.imports.forms.ImportForm.clean") as clean:
            refused = upload()
        clean.assert_not_called()
        self.assertContains(refused, TOO_MANY, status_code=429)
        self.assertContains(refused, 'value="comma" id="id_decimal_2" checked', status_code=429)

    @limits(upload=TWO_EACH)
    def test_ledger_uploads_share_the_upload_limit(self) -> None:
        figures = reverse("metrics:import", args=[self.business.pk])
        ledger = reverse("metrics:ledger_import", args=[self.business.pk])
        for _ in range(2):
            csv = SimpleUploadedFile("f.csv", b"month,revenue\n2026-01,5\n", "text/csv")
            self.client.post(figures, {"file": csv, "decimal": "detect"})
        csv = SimpleUploadedFile("l.csv", b"date,amount\n2026-01-03,5\n", "text/csv")
        refused = self.client.post(ledger, {"file": csv, "decimal": "detect"})
        self.assertContains(refused, TOO_MANY, status_code=429)
