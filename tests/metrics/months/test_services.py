"""The writes behind the month form and the figures import: all or nothing, with history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from unittest import mock

from django.core.exceptions import ValidationError

from metrics.engine import MonthlyFigures, add_months
from metrics.models.business import Business
from metrics.models.entries import Entry
from metrics.months import services
from metrics.months.services import SaveSummary, entries_import, entries_save_month
from metrics.pages import current_month
from tests.base import BaseTestCase

JAN, FEB, MAR = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)


def history(**filters: object) -> list[tuple[str, str, Decimal, int | None, str | None]]:
    return list(
        Entry.history.filter(**filters)
        .order_by("history_id")
        .values_list("history_type", "figure", "value", "history_user", "history_change_reason")
    )


def values(business: Business) -> dict[tuple[date, str], Decimal]:
    return {
        (month, figure): value
        for month, figure, value in Entry.objects.filter(business=business).values_list(
            "month", "figure", "value"
        )
    }


class ServiceTestCase(BaseTestCase):
    business: Business

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = Business.objects.create(
            owner=cls.alice, name="Bike repair", country="fr", sells="Repairs"
        )


class SaveMonthTests(ServiceTestCase):
    def test_it_creates_changes_and_deletes_in_one_go(self) -> None:
        Entry.objects.create(business=self.business, month=MAR, figure="orders", value=5)
        Entry.objects.create(business=self.business, month=MAR, figure="revenue", value=100)
        Entry.objects.create(business=self.business, month=MAR, figure="leads", value=7)
        summary = entries_save_month(
            business=self.business,
            month=MAR,
            values={
                "visitors": Decimal(300),
                "orders": Decimal(6),
                "revenue": None,
                "leads": Decimal("7.0"),
            },
            user=self.alice,
        )
        self.assertEqual(summary, SaveSummary(created=1, changed=1, deleted=1))
        self.assertEqual(
            values(self.business),
            {(MAR, "visitors"): Decimal(300), (MAR, "orders"): 6, (MAR, "leads"): 7},
        )

    def test_it_leaves_a_history_row_per_change_with_the_user_and_the_reason(self) -> None:
        Entry.objects.create(business=self.business, month=MAR, figure="orders", value=5)
        Entry.history.all().delete()
        entries_save_month(
            business=self.business,
            month=MAR,
            values={"visitors": Decimal(300), "orders": None},
            user=self.alice,
        )
        self.assertEqual(
            sorted(history()),
            [
                ("+", "visitors", Decimal(300), self.alice.pk, "month form"),
                ("-", "orders", Decimal(5), self.alice.pk, "month form"),
            ],
        )

    def test_an_unchanged_value_writes_nothing(self) -> None:
        entries_save_month(
            business=self.business, month=MAR, values={"visitors": Decimal(3)}, user=self.alice
        )
        summary = entries_save_month(
            business=self.business, month=MAR, values={"visitors": Decimal(3)}, user=self.alice
        )
        self.assertEqual(summary, SaveSummary())
        self.assertEqual(len(history()), 1)

    def test_notes_are_replaced_only_for_the_figures_named(self) -> None:
        Entry.objects.create(business=self.business, month=MAR, figure="orders", value=5, note="a")
        Entry.objects.create(business=self.business, month=MAR, figure="leads", value=2, note="b")
        summary = entries_save_month(
            business=self.business,
            month=MAR,
            values={"orders": Decimal(5), "leads": Decimal(2)},
            notes={"orders": "market day"},
            user=self.alice,
        )
        self.assertEqual(summary, SaveSummary(changed=1))
        self.assertEqual(
            dict(Entry.objects.values_list("figure", "note")),
            {"orders": "market day", "leads": "b"},
        )

    def test_a_value_that_does_not_fit_saves_nothing(self) -> None:
        with self.assertRaises(ValidationError):
            entries_save_month(
                business=self.business,
                month=MAR,
                values={"visitors": Decimal(3), "revenue": Decimal("1e20")},
                user=self.alice,
            )
        self.assertFalse(Entry.objects.exists())
        self.assertEqual(history(), [])

    def test_a_future_month_is_refused(self) -> None:
        with self.assertRaises(ValidationError):
            entries_save_month(
                business=self.business,
                month=add_months(current_month(), 1),
                values={"visitors": Decimal(3)},
                user=self.alice,
            )
        self.assertFalse(Entry.objects.exists())


class ImportTests(ServiceTestCase):
    FILE = MonthlyFigures(
        {
            JAN: {"revenue": Decimal("1000"), "visitors": Decimal(950)},
            FEB: {"revenue": Decimal("1410.5")},
            MAR: {"orders": Decimal(40)},
        }
    )

    def test_it_stores_every_value_and_leaves_missing_ones_alone(self) -> None:
        Entry.objects.create(business=self.business, month=JAN, figure="revenue", value=1000)
        Entry.objects.create(business=self.business, month=FEB, figure="visitors", value=800)
        summary = entries_import(business=self.business, figures=self.FILE, user=self.alice)
        self.assertEqual(summary, SaveSummary(created=3, changed=0, deleted=0))
        self.assertEqual(
            values(self.business),
            {
                (JAN, "revenue"): Decimal(1000),
                (JAN, "visitors"): Decimal(950),
                (FEB, "revenue"): Decimal("1410.5"),
                (FEB, "visitors"): Decimal(800),
                (MAR, "orders"): Decimal(40),
            },
        )
        self.assertEqual(
            [row[0:2] + row[3:] for row in history(history_user=self.alice)],
            [
                ("+", "visitors", self.alice.pk, "figures file"),
                ("+", "revenue", self.alice.pk, "figures file"),
                ("+", "orders", self.alice.pk, "figures file"),
            ],
        )

    def test_a_failure_half_way_rolls_everything_back(self) -> None:
        Entry.objects.create(business=self.business, month=JAN, figure="revenue", value=500)
        before = values(self.business)
        history_before = history()
        real = services.entries_save_month
        calls: list[date] = []

        def fail_after_the_first_month(**kwargs: object) -> SaveSummary:
            calls.append(kwargs["month"])  # type: ignore[arg-type]
            if len(calls) > 1:
                raise RuntimeError("disk full")
            return real(**kwargs)  # type: ignore[arg-type]

        with (
            mock.patch.object(services, "entries_save_month", fail_after_the_first_month),
            self.assertRaises(RuntimeError),
        ):
            entries_import(business=self.business, figures=self.FILE, user=self.alice)
        self.assertEqual(calls, [JAN, FEB])
        self.assertEqual(values(self.business), before)
        self.assertEqual(history(), history_before)
