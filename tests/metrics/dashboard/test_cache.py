"""The dashboard's kept cards: every change shows at once, and no reader sees another's page.

Each test warms the cache, changes something the way people do (a form, an import, a
restore), then checks the dashboard twice: the page served must show the change and must be
exactly the page built from scratch.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from metrics.dashboard import cache as board_cache
from metrics.dashboard.review import tracked_kpis_set
from metrics.engine import MonthlyFigures
from metrics.models.business import (
    Business,
    CustomKpi,
    TrackedKpi,
    business_write,
    businesses_touch,
)
from metrics.models.comments import Comment
from metrics.models.entries import Entry
from metrics.models.goals import Goal, Target
from metrics.months.services import entries_import, entries_save_month
from metrics.signals import DASHBOARD_ROWS
from tests.base import BaseTestCase, page_text
from tests.metrics.factories import add_entries, make_business, make_mentor, track

MARCH = date(2024, 3, 1)
# Queries of the month save in RevisionTests, counted statement by statement there: 12, and
# the 8 that summarise the month again for the programme dashboard (metrics.programmes.summaries).
SAVE_QUERIES = 20


class BoardCacheTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice)
        track(cls.business, "revenue")
        add_entries(cls.business, date(2024, 1, 1), 3, {"revenue": 1000, "orders": 50})
        make_mentor(cls.business, cls.bob)

    def setUp(self) -> None:
        self.client.force_login(self.alice)

    def dashboard(self, period: str = "2024-03"):
        response = self.client.get(
            reverse("metrics:dashboard", args=[self.business.pk]), {"period": period}
        )
        self.assertEqual(response.status_code, 200)
        return response

    def served_and_fresh(self, period: str = "2024-03") -> str:
        """The page as served, after checking it equals the page built with nothing kept."""
        served = page_text(self.dashboard(period))
        board_cache.clear()
        self.assertEqual(served, page_text(self.dashboard(period)))
        return served

    def post(self, url: str, data: dict | None = None) -> None:
        """Post as a browser does and follow the redirect, which shows (and uses up) the
        confirmation message."""
        response = self.client.post(url, data or {}, follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertGreater(len(response.redirect_chain), 0)

    def revision(self) -> str:
        return Business.objects.values_list("revision", flat=True).get(pk=self.business.pk)


class ChangesShowAtOnceTests(BoardCacheTestCase):
    def test_a_month_saved_through_the_form(self) -> None:
        self.assertIn("€1,000.00", self.served_and_fresh())
        self.dashboard()  # kept now
        self.post(
            reverse("metrics:month", args=[self.business.pk, "2024-03"]),
            {"revenue": "1234,5", "orders": "50"},
        )
        self.assertIn("€1,234.50", self.served_and_fresh())

    def test_an_import_and_a_restore(self) -> None:
        self.dashboard()
        entries_import(
            business=self.business,
            figures=MonthlyFigures({MARCH: {"revenue": Decimal(2000)}}),
            user=self.alice,
        )
        self.assertIn("€2,000.00", self.served_and_fresh())
        change = Entry.history.filter(figure="revenue", month=MARCH).latest("history_id")
        self.post(
            reverse("metrics:month_history", args=[self.business.pk, "2024-03"]),
            {"restore": change.history_id},
        )
        self.assertIn("€1,000.00", self.served_and_fresh())

    def test_a_blank_deletes_the_value(self) -> None:
        self.dashboard()
        entries_save_month(
            business=self.business, month=MARCH, values={"revenue": None}, user=self.alice
        )
        served = self.served_and_fresh()
        self.assertNotIn("€1,000.00</p>", served)
        self.assertIn("n/a", served)

    def test_kpis_chosen_and_dropped(self) -> None:
        self.dashboard()
        self.post(
            reverse("metrics:kpis", args=[self.business.pk]),
            {"kpi": ["revenue", "average_order_value"]},
        )
        self.assertIn('id="kpi-average_order_value"', self.served_and_fresh())
        tracked_kpis_set(business=self.business, codes=["average_order_value"])
        served = self.served_and_fresh()
        self.assertNotIn('id="kpi-revenue"', served)
        # 1,000 ÷ 50 orders = 20.
        self.assertIn("€20.00", served)

    def test_goals_and_targets(self) -> None:
        self.assertIn("No target for this period.", self.served_and_fresh())
        self.dashboard()
        self.post(
            reverse("metrics:goal_create", args=[self.business.pk]),
            {"title": "Pay the rent", "deadline": "2024-12", "description": ""},
        )
        goal = Goal.objects.get(business=self.business)
        self.post(
            reverse("metrics:target_create", args=[self.business.pk]),
            {
                "kpi": "revenue",
                "goal": goal.pk,
                "comparison": "at_least",
                "value": "900",
                "tolerance": "0,1",
                "first_month": "2024-01",
                "deadline": "2024-12",
            },
        )
        served = self.served_and_fresh()
        self.assertIn("Goal: Pay the rent.", served)
        self.assertIn("verdict-on_track", served)
        self.post(
            reverse("metrics:goal_edit", args=[self.business.pk, goal.pk]),
            {"title": "Pay the rent and more", "deadline": "2024-12", "description": ""},
        )
        self.assertIn("Goal: Pay the rent and more.", self.served_and_fresh())
        target = Target.objects.get(business=self.business)
        self.post(reverse("metrics:target_delete", args=[self.business.pk, target.pk]))
        self.assertIn("No target for this period.", self.served_and_fresh())

    def test_a_custom_kpi(self) -> None:
        self.dashboard()
        CustomKpi.objects.create(
            business=self.business,
            code="order_share",
            name="Orders per hundred euros",
            formula="orders / revenue * 100",
        )
        TrackedKpi.objects.create(business=self.business, kpi="order_share", position=5)
        self.assertIn("Orders per hundred euros", self.served_and_fresh())
        kpi = CustomKpi.objects.get(business=self.business, code="order_share")
        kpi.formula = "orders / revenue * 1000"
        kpi.save()  # as the admin saves it
        # 50 ÷ 1,000 × 1,000 = 50.
        self.assertRegex(self.served_and_fresh(), r'id="kpi-order_share".*\n.*>50<')

    def test_the_business_settings(self) -> None:
        self.dashboard()
        self.post(
            reverse("metrics:business_edit", args=[self.business.pk]),
            {
                "name": "Amal's Kitchen",
                "sells": "Home-made food",
                "channel": "shop",
                "country": "gb",
                "region": "",
                "currency": "GBP",
                "fy_start": "1",
            },
        )
        self.assertIn("£1,000.00", self.served_and_fresh())

    def test_a_new_comment_shows_without_rebuilding_the_cards(self) -> None:
        self.dashboard()
        before = self.revision()
        self.client.force_login(self.bob)
        self.post(
            reverse("metrics:kpi_comments", args=[self.business.pk, "revenue"]),
            {"body": "A good month", "period": "2024-03"},
        )
        self.assertEqual(self.revision(), before)
        self.client.force_login(self.alice)
        # The first view shows it as new (and open), then marks it read.
        first = page_text(self.dashboard())
        self.assertIn("A good month", first)
        self.assertIn('id="comments-revenue" open', first)
        self.assertIn("A good month", self.served_and_fresh())
        self.assertEqual(Comment.objects.count(), 1)


class ReadersTests(BoardCacheTestCase):
    def test_each_language_has_its_own_cards(self) -> None:
        self.assertIn("No target for this period.", page_text(self.dashboard()))
        self.alice.language = "fr"  # the profile's language wins when logged in
        self.alice.save()
        served = page_text(self.dashboard())
        self.assertIn("1\xa0000,00\xa0€", served)
        self.assertNotIn("No target for this period.", served)

    def test_a_mentor_never_gets_the_owners_links(self) -> None:
        owner_page = page_text(self.dashboard())
        self.assertIn("Set a target", owner_page)
        self.client.force_login(self.bob)
        mentor_page = self.served_and_fresh()
        self.assertNotIn("Set a target", mentor_page)
        self.assertIn("€1,000.00", mentor_page)

    def test_periods_are_kept_apart(self) -> None:
        self.assertIn("Dashboard for March 2024", page_text(self.dashboard("2024-03")))
        self.assertIn("Dashboard for February 2024", page_text(self.dashboard("2024-02")))
        self.assertIn("Dashboard for 2024", page_text(self.dashboard("2024")))

    def test_the_key_holds_everything_the_cards_depend_on(self) -> None:
        base = {"period": "2024-03", "latest": MARCH, "language": "en", "can_edit": True}
        key = board_cache.board_key(self.business, **base)
        for name, other in (
            ("period", ""),
            ("latest", date(2024, 4, 1)),
            ("language", "fr"),
            ("can_edit", False),
        ):
            with self.subTest(name=name):
                self.assertNotEqual(
                    board_cache.board_key(self.business, **{**base, name: other}), key
                )
        other_business = make_business(self.alice)
        self.assertNotEqual(board_cache.board_key(other_business, **base), key)


class RevisionTests(BoardCacheTestCase):
    """Every way of writing a dashboard's rows gives the business a new revision."""

    def assert_touched(self, write) -> None:
        before = self.revision()
        write()
        self.assertNotEqual(self.revision(), before)

    def test_single_rows(self) -> None:
        entry = Entry.objects.get(figure="revenue", month=MARCH)
        entry.value = Decimal(5)
        self.assert_touched(entry.save)
        self.assert_touched(entry.delete)
        goal = Goal(business=self.business, title="A goal", deadline=MARCH)
        self.assert_touched(goal.save)
        self.assert_touched(goal.delete)

    def business_updates(self, write) -> int:
        """How many times ``write`` writes the business row."""
        with CaptureQueriesContext(connection) as queries:
            write()
        return sum(1 for q in queries if q["sql"].startswith('UPDATE "metrics_business"'))

    def test_writes_inside_a_business_write_touch_once(self) -> None:
        rows = Entry.objects.filter(business=self.business)
        entries = list(rows.filter(figure="orders"))
        for entry in entries:
            entry.value += 1

        def write() -> None:
            with business_write(self.business):
                Entry.objects.bulk_update(entries, ["value"])
                rows.filter(month=MARCH).update(value=Decimal(7))
                Entry.objects.create(
                    business=self.business, figure="visitors", month=MARCH, value=Decimal(9)
                )
                rows.filter(figure="revenue").delete()

        before = self.revision()
        self.assertEqual(self.business_updates(write), 1)
        self.assertNotEqual(self.revision(), before)

    def test_a_write_within_a_write_adds_nothing(self) -> None:
        def write() -> None:
            with business_write(self.business), business_write(self.business):
                Entry.objects.filter(business=self.business).delete()

        self.assertEqual(self.business_updates(write), 1)

    def test_an_import_of_three_months_touches_once(self) -> None:
        figures = MonthlyFigures(
            {date(2024, m, 1): {"revenue": Decimal(m), "orders": Decimal(m)} for m in (1, 2, 3)}
        )

        def write() -> None:
            entries_import(business=self.business, figures=figures, user=self.alice)

        self.assertEqual(self.business_updates(write), 1)

    def test_the_business_itself(self) -> None:
        business = Business.objects.get(pk=self.business.pk)
        business.name = "Renamed"
        self.assert_touched(lambda: business.save(update_fields=["name"]))
        self.assert_touched(business.save)

    def test_deleting_a_business_does_not_touch_it_row_by_row(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            Business.objects.get(pk=self.business.pk).delete()
        updates = [q for q in queries if q["sql"].startswith('UPDATE "metrics_business"')]
        self.assertEqual(updates, [])

    def test_deleting_the_owner_does_not_touch_row_by_row(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            self.alice.delete()
        updates = [q for q in queries if q["sql"].startswith('UPDATE "metrics_business"')]
        self.assertEqual(updates, [])
        self.assertFalse(Business.objects.filter(pk=self.business.pk).exists())

    def test_a_month_save_touches_the_business_once(self) -> None:
        """1 entry created, 2 changed and 2 deleted: the business row is written once."""
        add_entries(self.business, MARCH, 1, {"visitors": 10, "leads": 4})
        values = {
            "new_customers": Decimal(3),  # created
            "revenue": Decimal(1200),  # changed from 1,000
            "orders": Decimal(60),  # changed from 50
            "visitors": None,  # deleted
            "leads": None,  # deleted
        }
        # The savepoint and its release (2, inside the test's transaction); the business row
        # once (3); read the month's entries for update (4); create with its history (5, 6);
        # change 2 with their history (7, 8); delete 2, each with its history row (9 to 12).
        with CaptureQueriesContext(connection) as queries:
            summary = entries_save_month(
                business=self.business, month=MARCH, values=values, user=self.alice
            )
        self.assertEqual((summary.created, summary.changed, summary.deleted), (1, 2, 2))
        statements = [q["sql"] for q in queries]
        touches = [sql for sql in statements if sql.startswith('UPDATE "metrics_business"')]
        self.assertEqual(len(touches), 1, statements)
        self.assertEqual(len(statements), SAVE_QUERIES, "\n".join(statements))

    def test_a_month_save_takes_the_business_row_before_the_entries(self) -> None:
        """Writers queue on the business row, so two of them cannot deadlock on entries."""
        with CaptureQueriesContext(connection) as queries:
            entries_save_month(
                business=self.business,
                month=MARCH,
                values={"revenue": Decimal(1)},
                user=self.alice,
            )
        statements = [q["sql"] for q in queries]
        touch = next(i for i, sql in enumerate(statements) if sql.startswith("UPDATE"))
        reads = [i for i, sql in enumerate(statements) if 'FROM "metrics_entry"' in sql]
        self.assertLess(touch, reads[0])
        self.assertIn('UPDATE "metrics_business"', statements[touch])

    def test_touching_nothing_writes_nothing(self) -> None:
        with self.assertNumQueries(0):
            businesses_touch([])

    def test_every_model_of_a_business_is_either_watched_or_not_on_the_cards(self) -> None:
        """A new model that belongs to a business must be sorted into one of the two."""
        not_on_the_cards = {
            # Read by the programme dashboard; joining and leaving renew the revision themselves
            # (the cards' link to similar businesses), tested in tests/metrics/peers.
            "CohortMembership",
            "Comment",  # shown beside the cards, read on every request
            "ImportMapping",  # read by the import pages only
            "Invitation",
            "Mentorship",  # checked on every request
            "MentorshipEvent",
            "QuarterlyReview",
            "ReminderSent",
            "StoredUpload",  # a big upload waiting to be read: on the import pages only
            "BusinessMonth",  # the programme dashboard's summaries, kept from the rows watched
            "LoggedMonths",  # the same
        }
        belongs = {
            model.__name__
            for model in Business._meta.apps.get_app_config("metrics").get_models()
            if any(
                field.is_relation and field.related_model is Business and not field.auto_created
                for field in model._meta.get_fields()
            )
            and not model.__name__.startswith("Historical")
        }
        watched = {model.__name__ for model in DASHBOARD_ROWS}
        self.assertEqual(belongs, watched | not_on_the_cards)
        self.assertEqual(watched & not_on_the_cards, set())
