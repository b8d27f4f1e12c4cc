"""While the database is unreachable: 503 with Retry-After in the user's language, never 500."""

from __future__ import annotations

from datetime import date
from unittest import mock

from django.db import InterfaceError, OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from metrics.models.comments import Comment
from tests.base import BaseTestCase
from tests.metrics.factories import add_entries, make_business, track


def database_down(error: type[Exception] = OperationalError):
    """Every query fails as it does while PostgreSQL restarts."""
    message = 'connection to server at "127.0.0.1", port 1 failed: Connection refused'
    return mock.patch.object(CursorWrapper, "execute", side_effect=error(message))


class DatabaseDownTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice)
        track(cls.business, "revenue")
        add_entries(cls.business, date(2026, 1, 1), 3, {"revenue": 900})

    def setUp(self) -> None:
        # The server's own answer, not the test client's re-raised exception.
        self.client = Client(raise_request_exception=False)
        self.client.force_login(self.alice)
        self.comments = reverse("metrics:month_comments", args=[self.business.pk, "2026-02"])

    def test_a_page_read_answers_503_with_retry_after(self) -> None:
        with database_down():
            response = self.client.get(reverse("metrics:dashboard", args=[self.business.pk]))
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "60")
        self.assertIn("no-store", response["Cache-Control"])
        self.assertContains(response, "Sorry, the service is unavailable", status_code=503)
        self.assertContains(response, "Try again in a minute.", status_code=503)

    def test_redis_down_is_a_503_too(self) -> None:
        # The shared cache restarting: the dashboard's kept cards cannot be read.
        failure = RedisConnectionError("Error 111 connecting to 127.0.0.1:6379.")
        with mock.patch("metrics.dashboard.cache.caches") as caches:
            caches.__getitem__.return_value.get_or_set.side_effect = failure
            caches.__getitem__.return_value.get.side_effect = failure
            response = self.client.get(reverse("metrics:dashboard", args=[self.business.pk]))
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "60")
        self.assertContains(response, "Sorry, the service is unavailable", status_code=503)

    def test_a_form_post_keeps_what_was_typed_and_says_it_was_not_saved(self) -> None:
        with database_down():
            response = self.client.post(self.comments, {"body": "Rent went up in March"})
        self.assertEqual(response.status_code, 503)
        self.assertContains(response, "What you entered has not been saved.", status_code=503)
        self.assertContains(
            response,
            '<input type="hidden" name="body" value="Rent went up in March">',
            status_code=503,
        )
        self.assertContains(response, f'action="{self.comments}"', status_code=503)
        # Sent again once the database is back, it is saved, once.
        again = self.client.post(self.comments, {"body": "Rent went up in March"})
        self.assertEqual(again.status_code, 302)
        self.assertEqual(Comment.objects.get().body, "Rent went up in March")

    def test_passwords_are_never_written_back(self) -> None:
        with database_down():
            response = self.client.post(
                reverse("accounts:login"),
                {"username": "alice@example.org", "password": "s3cret words"},
            )
        self.assertEqual(response.status_code, 503)
        self.assertNotIn(b"s3cret words", response.content)
        self.assertContains(response, 'value="alice@example.org"', status_code=503)

    def test_the_page_is_in_the_visitors_language(self) -> None:
        self.client.cookies["language"] = "ar"
        with database_down():
            response = self.client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ar")
        self.assertEqual(response.status_code, 503)
        self.assertContains(response, '<html lang="ar" dir="rtl">', status_code=503)
        self.assertContains(response, "عذرًا، الخدمة غير متاحة", status_code=503)

    def test_an_interface_error_is_a_503_too(self) -> None:
        with database_down(InterfaceError):
            response = self.client.get(reverse("accounts:profile"))
        self.assertEqual(response.status_code, 503)

    def test_a_loss_inside_the_view_is_caught_there_without_an_error_report(self) -> None:
        # Raised by the view, after the session and user were read: the middleware's own path.
        client = Client()  # re-raises anything that reached Django's error report
        client.force_login(self.alice)
        with mock.patch(
            "metrics.comments.views.comment_create", side_effect=OperationalError("gone")
        ):
            response = client.post(self.comments, {"body": "Hello"}, HTTP_ACCEPT_LANGUAGE="fr")
        self.assertEqual(response.status_code, 503)
        self.assertContains(response, "Hello", status_code=503)

    def test_other_errors_stay_500(self) -> None:
        with mock.patch("guidance.views.render", side_effect=ValueError("bug")):
            response = self.client.get(reverse("home"))
        self.assertEqual(response.status_code, 500)

    def test_after_the_database_is_back_every_request_succeeds(self) -> None:
        with database_down():
            self.assertEqual(self.client.get(reverse("home")).status_code, 503)
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)
        dashboard = reverse("metrics:dashboard", args=[self.business.pk])
        self.assertEqual(self.client.get(dashboard).status_code, 200)
