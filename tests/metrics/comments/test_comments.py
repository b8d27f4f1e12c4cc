"""Comments on a month, a KPI and a quarterly review: who may write, edit, delete, and read."""

from __future__ import annotations

from datetime import date

from django.core import mail
from django.db.models import OuterRef
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from metrics.dashboard import cache as board_cache
from metrics.models.business import Business, CustomKpi
from metrics.models.comments import Comment, CommentRead, unread_comments_count, unread_comments_sql
from tests.base import BaseTestCase, url_with
from tests.metrics.factories import add_entries, make_business, make_mentor, track

MARCH = "2024-03"


class CommentsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice)
        track(cls.business, "revenue", "conversion_rate")
        add_entries(cls.business, date(2024, 1, 1), 3, {"visitors": 100, "orders": 5})
        make_mentor(cls.business, cls.bob)
        cls.former = User.objects.create_user("former@example.org", "x" * 12)
        make_mentor(cls.business, cls.former, revoked=True)

    def month_comments(self, month: str = MARCH) -> str:
        return url_with("metrics:month_comments", [self.business.pk], "2024-01", month)

    def kpi_comments(self, kpi: str = "revenue") -> str:
        return reverse("metrics:kpi_comments", args=[self.business.pk, kpi])

    def review_comments(self, quarter: str = "2024-Q1") -> str:
        return url_with("metrics:review_comments", [self.business.pk], "2024-Q1", quarter)

    def comment(self, author: User, body: str = "Well done", **fields: str) -> Comment:
        values = {"on": "month", "subject": MARCH, **fields}
        return Comment.objects.create(business=self.business, author=author, body=body, **values)


class PostingTests(CommentsTestCase):
    def test_the_owner_comments_on_a_month_and_the_mentor_gets_an_email_in_french(self) -> None:
        self.bob.language = "fr"
        self.bob.save()
        self.client.force_login(self.alice)
        response = self.client.post(self.month_comments(), {"body": "  Slow month: Ramadan.  "})
        month_page = reverse("metrics:month", args=[self.business.pk, MARCH])
        self.assertRedirects(response, f"{month_page}#comments", fetch_redirect_response=False)
        comment = Comment.objects.get()
        self.assertEqual(
            (comment.on, comment.subject, comment.body, comment.author),
            ("month", MARCH, "Slow month: Ramadan.", self.alice),
        )
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["bob@example.org"])
        self.assertTrue(message.body.startswith("Bonjour,"))
        self.assertIn("mars 2024", message.body)
        self.assertIn("Slow month: Ramadan.", message.body)
        self.assertIn(f"http://127.0.0.1:8000{month_page}#comments", message.body)

    def test_the_mentor_comments_on_a_kpi_and_the_owner_gets_an_email(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(
            self.kpi_comments(), {"body": "Try a lunch menu", "period": "2024-03"}
        )
        dashboard = reverse("metrics:dashboard", args=[self.business.pk])
        self.assertRedirects(
            response, f"{dashboard}?period=2024-03#comments-revenue", fetch_redirect_response=False
        )
        comment = Comment.objects.get()
        self.assertEqual(
            (comment.on, comment.subject, comment.period), ("kpi", "revenue", "2024-03")
        )
        (message,) = mail.outbox
        self.assertEqual(message.to, ["alice@example.org"])
        self.assertIn("Bob Janssens wrote a comment on Revenue in March 2024", message.body)

    def test_a_kpi_comment_may_leave_the_period_out(self) -> None:
        self.client.force_login(self.bob)
        self.client.post(self.kpi_comments(), {"body": "Good", "period": "not a period"})
        self.assertEqual(Comment.objects.get().period, "")

    def test_a_comment_on_a_custom_kpi_names_it(self) -> None:
        CustomKpi.objects.create(
            business=self.business, code="catering_share", name="Catering share", formula="revenue"
        )
        self.client.force_login(self.bob)
        self.client.post(self.kpi_comments("catering_share"), {"body": "Nice"})
        self.assertIn("Catering share", mail.outbox[0].body)

    def test_the_mentor_comments_on_a_quarterly_review(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(self.review_comments(), {"body": "Good quarter"})
        review = reverse("metrics:review", args=[self.business.pk, "2024-Q1"])
        self.assertRedirects(response, f"{review}#comments", fetch_redirect_response=False)
        self.assertIn("Q1 2024", mail.outbox[0].body)

    def test_other_mentors_are_told_too_but_not_the_author_or_a_former_mentor(self) -> None:
        marc = User.objects.create_user("marc@example.org", "x" * 12, language="nl")
        make_mentor(self.business, marc)
        self.client.force_login(self.bob)
        self.client.post(self.month_comments(), {"body": "Hello"})
        self.assertEqual(
            sorted(message.to[0] for message in mail.outbox),
            ["alice@example.org", "marc@example.org"],
        )
        dutch = next(message for message in mail.outbox if message.to == ["marc@example.org"])
        self.assertTrue(dutch.body.startswith("Hallo,"))

    def test_an_empty_comment_is_explained(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(self.month_comments(), {"body": "   "})
        self.assertContains(response, "Write your comment first.")
        self.assertContains(response, "<title>Error:")
        self.assertFalse(Comment.objects.exists())

    def test_a_long_comment_keeps_its_text(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(self.month_comments(), {"body": "x" * 2001})
        self.assertContains(response, "Keep your comment to 2000 characters or fewer")
        self.assertContains(response, "x" * 2001)

    def test_the_thread_has_its_own_page(self) -> None:
        self.comment(self.alice, "First")
        self.client.force_login(self.bob)
        response = self.client.get(self.month_comments())
        self.assertContains(response, "Comments on the figures for March 2024")
        self.assertContains(response, "First")

    def test_things_that_cannot_exist_are_not_found(self) -> None:
        self.client.force_login(self.alice)
        future = timezone.localdate().replace(day=1).year + 1
        for url in (
            self.month_comments("2024-13"),
            self.month_comments(f"{future}-01"),
            self.kpi_comments("no_such_kpi"),
            self.review_comments("2024-03"),
            self.review_comments("2024-Q5"),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url, {"body": "Hi"}).status_code, 404)
        self.assertFalse(Comment.objects.exists())

    def test_strangers_and_former_mentors_cannot_comment(self) -> None:
        for user in (self.charlie, self.former):
            self.client.force_login(user)
            for url in (self.month_comments(), self.kpi_comments(), self.review_comments()):
                self.assertEqual(self.client.post(url, {"body": "Hi"}).status_code, 404)
                self.assertEqual(self.client.get(url).status_code, 404)
        self.assertFalse(Comment.objects.exists())

    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        url = self.month_comments()
        response = self.client.post(url, {"body": "Hi"})
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={url}")


class ThreadTests(CommentsTestCase):
    def test_the_month_page_shows_the_thread_newest_last(self) -> None:
        self.comment(self.alice, "Oldest")
        self.comment(self.bob, "Newest")
        self.comment(self.alice, "Another month", subject="2024-02")
        self.client.force_login(self.alice)
        html = self.client.get(reverse("metrics:month", args=[self.business.pk, MARCH])).content
        html = html.decode()
        self.assertLess(html.index("Oldest"), html.index("Newest"))
        self.assertNotIn("Another month", html)
        self.assertIn("Bob Janssens", html)
        self.assertIn("(mentor)", html)

    def test_the_dashboard_shows_each_kpis_thread_on_its_card(self) -> None:
        self.comment(self.bob, "About revenue", on="kpi", subject="revenue", period="2024-03")
        self.comment(self.bob, "About conversion", on="kpi", subject="conversion_rate")
        self.client.force_login(self.alice)
        response = self.client.get(reverse("metrics:dashboard", args=[self.business.pk]))
        html = response.content.decode()
        revenue = html[html.index('id="comments-revenue"') :]
        revenue = revenue[: revenue.index("</details>")]
        self.assertIn("About revenue", revenue)
        self.assertNotIn("About conversion", revenue)
        self.assertIn(self.kpi_comments("revenue"), revenue)

    def test_the_review_shows_its_thread(self) -> None:
        self.comment(self.bob, "Nice review", on="review", subject="2024-Q1")
        self.client.force_login(self.alice)
        response = self.client.get(reverse("metrics:review", args=[self.business.pk, "2024-Q1"]))
        self.assertContains(response, "Nice review")
        self.assertContains(response, self.review_comments())

    def test_the_time_is_written_in_the_readers_language(self) -> None:
        self.comment(self.alice, "Bonjour")
        self.client.force_login(self.bob)
        for language, today in (("fr", "aujourd&#x27;hui"), ("nl", "vandaag"), ("en", "today")):
            User.objects.filter(pk=self.bob.pk).update(language=language)
            self.assertContains(self.client.get(self.month_comments()), today)

    def test_comments_are_escaped(self) -> None:
        self.comment(self.bob, "<script>alert(1)</script>")
        self.client.force_login(self.alice)
        response = self.client.get(self.month_comments())
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertContains(response, "&lt;script&gt;")


class UnreadTests(CommentsTestCase):
    def test_new_comments_are_marked_until_the_reader_has_seen_them(self) -> None:
        self.comment(self.bob, "From Bob")
        self.client.force_login(self.alice)
        dashboard = reverse("metrics:dashboard", args=[self.business.pk])
        self.assertContains(self.client.get(dashboard), "1 unread")
        month = reverse("metrics:month", args=[self.business.pk, MARCH])
        first = self.client.get(month)
        self.assertContains(first, "comment-new-mark")
        # The badge already leaves out what this page shows.
        self.assertNotContains(first, "1 unread")
        second = self.client.get(month)
        self.assertNotContains(second, "comment-new-mark")
        self.assertNotContains(self.client.get(dashboard), "unread-badge")

    def test_marks_are_per_reader(self) -> None:
        marc = User.objects.create_user("marc@example.org", "x" * 12)
        make_mentor(self.business, marc)
        comment = self.comment(self.alice, "From Alice")
        self.client.force_login(self.bob)
        self.client.get(self.month_comments())
        self.assertTrue(CommentRead.objects.filter(comment=comment, user=self.bob).exists())
        self.client.force_login(marc)
        self.assertContains(self.client.get(self.month_comments()), "comment-new-mark")

    def test_ones_own_comments_are_never_unread(self) -> None:
        self.comment(self.alice, "Mine")
        self.client.force_login(self.alice)
        response = self.client.get(self.month_comments())
        self.assertNotContains(response, "comment-new-mark")
        self.assertNotContains(response, "unread-badge")

    def test_the_tabs_badge_counts_what_each_reader_has_not_read(self) -> None:
        """The access check's hand-written count agrees with the ORM's, reader by reader."""
        other = make_business(self.bob, name="Bob's own")
        Comment.objects.create(business=other, author=self.alice, body="Elsewhere", subject=MARCH)
        seen = self.comment(self.bob, "Read by Alice")
        CommentRead.objects.create(comment=seen, user=self.alice)
        self.comment(self.bob, "New for Alice")
        self.comment(self.alice, "New for Bob")
        self.comment(self.former, "New for both")
        # Alice: two of Bob's and the former mentor's, less the one she read → 2.
        # Bob: Alice's and the former mentor's → 2; the former mentor: three of the others.
        expected = {self.alice: 2, self.bob: 2, self.former: 3}
        for reader, count in expected.items():
            with self.subTest(reader=reader.email):
                counts = Business.objects.filter(pk=self.business.pk).annotate(
                    sql=unread_comments_sql(reader),
                    orm=unread_comments_count(reader, OuterRef("pk")),
                )
                self.assertEqual(counts.values_list("sql", "orm").get(), (count, count))
        self.client.force_login(self.alice)
        response = self.client.get(reverse("metrics:goals", args=[self.business.pk]))
        self.assertContains(response, '<span class="badge text-bg-danger unread-badge">2 unread')

    def test_the_comments_tab_lists_everything_newest_first(self) -> None:
        self.comment(self.bob, "Older")
        self.comment(self.bob, "Newer", on="kpi", subject="revenue", period="2024-03")
        self.client.force_login(self.alice)
        response = self.client.get(reverse("metrics:comments", args=[self.business.pk]))
        html = response.content.decode()
        self.assertLess(html.index("Newer"), html.index("Older"))
        self.assertIn("Revenue in March 2024", html)
        self.assertIn("Figures for March 2024", html)
        self.assertEqual(html.count("comment-new-mark"), 2)
        self.assertEqual(CommentRead.objects.filter(user=self.alice).count(), 2)


class EditAndDeleteTests(CommentsTestCase):
    def edit(self, comment: Comment, body: str = "Changed"):
        url = reverse("metrics:comment_edit", args=[self.business.pk, comment.pk])
        return self.client.post(url, {"body": body})

    def delete(self, comment: Comment):
        url = reverse("metrics:comment_delete", args=[self.business.pk, comment.pk])
        return self.client.post(url)

    def test_an_author_edits_their_own(self) -> None:
        comment = self.comment(self.bob, "Typo")
        self.client.force_login(self.bob)
        response = self.edit(comment, "Fixed")
        self.assertEqual(response.status_code, 302)
        comment.refresh_from_db()
        self.assertEqual(comment.body, "Fixed")
        self.assertIsNotNone(comment.edited)
        self.assertContains(self.client.get(self.month_comments()), "(edited)")

    def test_nobody_edits_someone_elses(self) -> None:
        by_bob = self.comment(self.bob, "Bob's words")
        by_alice = self.comment(self.alice, "Alice's words")
        self.client.force_login(self.alice)
        self.assertEqual(self.edit(by_bob).status_code, 403)
        self.client.force_login(self.bob)
        self.assertEqual(self.edit(by_alice).status_code, 403)
        self.assertEqual(Comment.objects.get(pk=by_bob.pk).body, "Bob's words")

    def test_an_empty_edit_is_explained(self) -> None:
        comment = self.comment(self.bob)
        self.client.force_login(self.bob)
        response = self.edit(comment, "")
        self.assertContains(response, "Write your comment first.")
        self.assertContains(response, "<title>Error:")

    def test_the_owner_deletes_any_comment(self) -> None:
        comment = self.comment(self.bob)
        self.client.force_login(self.alice)
        response = self.delete(comment)
        self.assertRedirects(
            response,
            reverse("metrics:month", args=[self.business.pk, MARCH]),
            fetch_redirect_response=False,
        )
        self.assertFalse(Comment.objects.exists())

    def test_a_mentor_deletes_only_their_own(self) -> None:
        by_alice = self.comment(self.alice)
        by_bob = self.comment(self.bob)
        self.client.force_login(self.bob)
        self.assertEqual(self.delete(by_alice).status_code, 403)
        self.assertEqual(self.delete(by_bob).status_code, 302)
        self.assertEqual(list(Comment.objects.all()), [by_alice])

    def test_the_controls_show_only_what_each_reader_may_do(self) -> None:
        by_alice = self.comment(self.alice)
        by_bob = self.comment(self.bob)
        edit = "metrics:comment_edit"
        delete = "metrics:comment_delete"
        self.client.force_login(self.bob)
        html = self.client.get(self.month_comments()).content.decode()
        self.assertIn(reverse(edit, args=[self.business.pk, by_bob.pk]), html)
        self.assertNotIn(reverse(edit, args=[self.business.pk, by_alice.pk]), html)
        self.assertNotIn(reverse(delete, args=[self.business.pk, by_alice.pk]), html)
        self.client.force_login(self.alice)
        html = self.client.get(self.month_comments()).content.decode()
        self.assertIn(reverse(delete, args=[self.business.pk, by_bob.pk]), html)
        self.assertNotIn(reverse(edit, args=[self.business.pk, by_bob.pk]), html)

    def test_a_comment_of_another_business_is_not_found(self) -> None:
        other = make_business(self.charlie, name="Other")
        foreign = Comment.objects.create(
            business=other, author=self.charlie, on="month", subject=MARCH, body="Mine"
        )
        self.client.force_login(self.alice)
        url = reverse("metrics:comment_delete", args=[self.business.pk, foreign.pk])
        self.assertEqual(self.client.post(url).status_code, 404)
        self.assertTrue(Comment.objects.filter(pk=foreign.pk).exists())

    def test_revoked_mentors_cannot_touch_their_old_comments(self) -> None:
        comment = self.comment(self.former)
        self.client.force_login(self.former)
        self.assertEqual(self.edit(comment).status_code, 404)
        self.assertEqual(self.delete(comment).status_code, 404)


class QueryCountTests(CommentsTestCase):
    """A thread costs one query whatever its length, and one more when it marks comments read."""

    def count(self, url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        board_cache.clear()  # the dashboard's cards are built anew, as after a change
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(queries)

    def test_many_comments_cost_no_more_than_one(self) -> None:
        self.client.force_login(self.alice)
        pages = [
            reverse("metrics:dashboard", args=[self.business.pk]),
            reverse("metrics:month", args=[self.business.pk, MARCH]),
            reverse("metrics:review", args=[self.business.pk, "2024-Q1"]),
        ]
        self.comment(self.alice, on="kpi", subject="revenue")
        self.comment(self.alice)
        self.comment(self.alice, on="review", subject="2024-Q1")
        before = [self.count(url) for url in pages]
        for _ in range(20):
            self.comment(self.alice, on="kpi", subject="revenue")
            self.comment(self.alice, on="kpi", subject="conversion_rate")
            self.comment(self.alice)
            self.comment(self.alice, on="review", subject="2024-Q1")
        self.assertEqual([self.count(url) for url in pages], before)
        # Unread comments add the one write that marks them read.
        for _ in range(5):
            self.comment(self.bob, on="kpi", subject="revenue")
            self.comment(self.bob)
            self.comment(self.bob, on="review", subject="2024-Q1")
        self.assertEqual([self.count(url) for url in pages], [n + 1 for n in before])
        self.assertEqual([self.count(url) for url in pages], before)
