"""Figures at the largest storable value, and KPIs too large to show, on every page that reads them.

A value of 99999999999999.9999 read back from SQLite as 10^14 and every reader failed; a custom
KPI of 10^30 wrote a 990,420-character CSV cell. The bound is now the same on both databases,
and a KPI of 10^15 or more is n/a "too large to show" everywhere.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from django.urls import reverse

from metrics.models.business import Business, CustomKpi
from metrics.models.entries import Entry
from tests.base import BaseTestCase
from tests.metrics.factories import make_business, track

LARGEST = Decimal("99999999999999.9")
MONTHS = [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)]
HUGE = "999999999999999999999999999999"


class LargestValueTests(BaseTestCase):
    business: Business

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice)
        values = {
            "revenue": LARGEST,
            "orders": Decimal("99999999999999"),
            "visitors": Decimal("99999999999999"),
            "customers_end": Decimal("99999999999999"),
            "cash_end": -LARGEST,
            "cash_in": LARGEST,
            "cash_out": Decimal(1),
        }
        Entry.objects.bulk_create(
            Entry(business=cls.business, figure=code, month=month, value=value)
            for month in MONTHS
            for code, value in values.items()
        )
        CustomKpi.objects.create(business=cls.business, code="huge", name="Huge", formula=HUGE)
        CustomKpi.objects.create(
            business=cls.business, code="squared", name="Squared", formula="revenue * revenue"
        )
        CustomKpi.objects.create(
            business=cls.business, code="fourth", name="Fourth", formula="squared * squared"
        )
        track(cls.business, "huge", "squared", "fourth", "average_order_value", "runway_months")

    def setUp(self) -> None:
        self.client.force_login(self.alice)

    def url(self, name: str, *args: object) -> str:
        return reverse(name, args=[self.business.pk, *args])

    def test_the_value_reads_back_exactly(self) -> None:
        stored = Entry.objects.get(business=self.business, figure="revenue", month=MONTHS[0])
        self.assertEqual(stored.value, LARGEST)

    def test_every_page_that_reads_it_answers(self) -> None:
        pages = [
            self.url("metrics:dashboard"),
            self.url("metrics:months"),
            self.url("metrics:month", "2025-02"),
            self.url("metrics:month_history", "2025-02"),
            self.url("metrics:report"),
            self.url("metrics:review_latest"),
            self.url("metrics:review", "2025-Q1"),
            self.url("metrics:kpis"),
            self.url("metrics:export_figures"),
            reverse("accounts:export"),
        ]
        for url in pages:
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_kpi_file_says_too_large_to_show_in_short_cells(self) -> None:
        for period in ("month", "quarter"):
            with self.subTest(period):
                response = self.client.get(
                    self.url("metrics:export_kpis"), {"period": period, "all": "1"}
                )
                self.assertEqual(response.status_code, 200)
                text = (
                    b"".join(response.streaming_content).decode()
                    if response.streaming
                    else (response.content.decode())
                )
                rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
                self.assertLess(max(len(cell) for row in rows for cell in row), 100)
                notes = {row[1]: row[3] for row in rows[1:]}
                for code in ("huge", "squared", "fourth"):
                    self.assertEqual(notes[code], "too large to show")

    def test_the_dashboard_shows_the_reason(self) -> None:
        self.assertContains(self.client.get(self.url("metrics:dashboard")), "Too large to show")

    def test_the_formula_preview_shows_the_reason(self) -> None:
        for formula in (HUGE, "revenue * revenue * revenue"):
            with self.subTest(formula):
                response = self.client.post(
                    self.url("metrics:custom_kpi_create"),
                    {
                        "code": "preview_me",
                        "name": "Preview me",
                        "formula": formula,
                        "unit": "count",
                        "direction": "up",
                        "domain": "finance",
                    },
                )
                self.assertContains(response, "Too large to show")


class BoundTests(BaseTestCase):
    """The month form, the import and the model refuse what would not read back the same."""

    business: Business

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice)
        track(cls.business, "average_order_value")

    def setUp(self) -> None:
        self.client.force_login(self.alice)

    def test_the_month_form_refuses_more_than_fifteen_digits_and_keeps_what_was_typed(
        self,
    ) -> None:
        url = reverse("metrics:month", args=[self.business.pk, "2025-01"])
        response = self.client.post(url, {"revenue": "99999999999999.9999", "orders": "3"})
        self.assertContains(response, "use at most 15 in all")
        self.assertContains(response, 'value="99999999999999.9999"')
        self.assertFalse(Entry.objects.filter(business=self.business).exists())

    def test_the_month_form_stores_the_largest_value(self) -> None:
        url = reverse("metrics:month", args=[self.business.pk, "2025-01"])
        self.client.post(url, {"revenue": "99999999999999.9", "orders": "3"})
        stored = Entry.objects.get(business=self.business, figure="revenue")
        self.assertEqual(stored.value, LARGEST)

    def test_the_import_names_the_line_and_the_limit(self) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile(
            "f.csv", b"month,revenue\n2025-01,99999999999999.9\n2025-02,99999999999999.9999\n"
        )
        response = self.client.post(
            reverse("metrics:import", args=[self.business.pk]),
            {"file": upload, "decimal": "detect"},
        )
        self.assertContains(response, "Line 3: 2025-02: “revenue” has too many digits")

    def test_the_model_refuses_what_the_form_refuses(self) -> None:
        from django.core.exceptions import ValidationError

        for value in ("99999999999999.9999", "100000000000000", "0.00001"):
            entry = Entry(
                business=self.business, figure="revenue", month=MONTHS[0], value=Decimal(value)
            )
            with self.subTest(value), self.assertRaises(ValidationError):
                entry.full_clean()
        Entry(business=self.business, figure="revenue", month=MONTHS[0], value=LARGEST).full_clean()
