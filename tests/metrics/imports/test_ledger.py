"""The sales-ledger import (upload, preview, per-month overwrite, confirm) and Excel workbooks."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from metrics.engine import FIGURES, add_months
from metrics.files.cells import FileFormatError
from metrics.files.csv import csv_rows
from metrics.files.xlsx import decode_rows, encode_rows, sheet_rows
from metrics.imports.reading import read_ledger_upload
from metrics.models.business import Business
from metrics.models.entries import Entry
from metrics.models.mentoring import Mentorship
from metrics.months import services
from metrics.months.services import REASON_LEDGER
from metrics.pages import current_month
from tests.base import BaseTestCase
from tests.metrics.factories import make_business

JAN, FEB, MAR = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

LEDGER = (
    "date,customer,amount,quantity\n"
    "2024-01-05,alice,10.00,2\n"
    "2024-01-09,bob,20.00,\n"
    "2024-01-20,alice,5.00,\n"
    "2024-02-03,bob,15.00,\n"
    "2024-02-14,carol,30.00,3\n"
)
# What kpi-reference.md §5 derives from LEDGER, worked out by hand.
JANUARY = {
    "revenue": Decimal(35),
    "orders": Decimal(3),
    "units_sold": Decimal(4),
    "customers_end": Decimal(2),
    "new_customers": Decimal(2),
}
FEBRUARY = {
    "revenue": Decimal(45),
    "orders": Decimal(2),
    "units_sold": Decimal(4),
    "customers_end": Decimal(2),
    "new_customers": Decimal(1),
    "customers_start": Decimal(2),
    "customers_lost": Decimal(1),
}


def workbook(rows: list[list[object]], *, sheets: int = 1) -> bytes:
    """An .xlsx file whose first sheet holds ``rows`` (an empty list leaves a blank row)."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for index in range(1, sheets):
        book.create_sheet(f"Other {index}").append(["date", "customer", "amount"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class LedgerTestCase(BaseTestCase):
    business: Business

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice)
        Mentorship.objects.create(business=cls.business, mentor=cls.bob)

    def setUp(self) -> None:
        self.client.force_login(self.alice)

    @property
    def upload_url(self) -> str:
        return reverse("metrics:ledger_import", args=[self.business.pk])

    @property
    def session_key(self) -> str:
        return f"ledger_import:{self.business.pk}"

    def upload(
        self, content: str | bytes, name: str = "sales.csv", decimal: str = "detect"
    ) -> HttpResponse:
        data = content.encode() if isinstance(content, str) else content
        kind = XLSX if name.endswith(".xlsx") else "text/csv"
        upload = SimpleUploadedFile(name, data, content_type=kind)
        return self.client.post(self.upload_url, {"file": upload, "decimal": decimal})

    def preview_url(self, response: HttpResponse) -> str:
        self.assertEqual(response.status_code, 302, response.content.decode()[-3000:])
        return response["Location"]

    def confirm(self, url: str, **extra: str) -> HttpResponse:
        fingerprint = self.client.get(url).context["preview"].fingerprint
        return self.client.post(url, {"fingerprint": fingerprint, **extra})

    def store(self, month: date, **figures: str) -> None:
        for code, value in figures.items():
            Entry.objects.create(business=self.business, month=month, figure=code, value=value)

    def stored(self, month: date) -> dict[str, Decimal]:
        rows = Entry.objects.filter(business=self.business, month=month)
        return dict(rows.values_list("figure", "value"))

    def errors(self, response: HttpResponse) -> list[str]:
        self.assertEqual(response.status_code, 200)
        return list(response.context["form"].errors["file"])


class LedgerAccessTests(LedgerTestCase):
    def test_the_owner_sees_the_upload_form(self) -> None:
        response = self.client.get(self.upload_url)
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "metrics/months/ledger.html")
        self.assertContains(response, 'type="file"')
        self.assertContains(response, "New customers")

    def test_the_figures_import_page_links_to_it(self) -> None:
        response = self.client.get(reverse("metrics:import", args=[self.business.pk]))
        self.assertContains(response, f'href="{self.upload_url}"')

    def test_it_requires_rw_access(self) -> None:
        url = self.preview_url(self.upload(LEDGER))
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(self.upload_url).status_code, 403)
        response = self.client.post(self.upload_url, {"file": SimpleUploadedFile("a.csv", b"x")})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.client.post(url, {"fingerprint": "x"}).status_code, 403)
        self.assertFalse(Entry.objects.exists())

    def test_a_stranger_and_a_revoked_mentor_get_not_found(self) -> None:
        url = self.preview_url(self.upload(LEDGER))
        Mentorship.objects.update(revoked_at=timezone.now())
        for user in (self.charlie, self.bob):
            self.client.force_login(user)
            for address in (self.upload_url, url):
                with self.subTest(user=user.email, url=address):
                    self.assertEqual(self.client.get(address).status_code, 404)
                    self.assertEqual(self.client.post(address).status_code, 404)

    def test_an_anonymous_visitor_is_sent_to_log_in(self) -> None:
        url = self.preview_url(self.upload(LEDGER))
        self.client.logout()
        for address in (self.upload_url, url):
            with self.subTest(url=address):
                self.assertRedirects(
                    self.client.get(address),
                    f"{reverse('accounts:login')}?next={address}",
                    fetch_redirect_response=False,
                )


class LedgerUploadTests(LedgerTestCase):
    def test_a_csv_ledger_is_previewed_per_month_and_written_on_confirm(self) -> None:
        url = self.preview_url(self.upload(LEDGER))
        self.assertFalse(Entry.objects.exists())
        response = self.client.get(url)
        self.assertTemplateUsed(response, "metrics/months/import_preview.html")
        preview = response.context["preview"]
        self.assertEqual([month.month for month in preview.months], [JAN, FEB])
        self.assertEqual({change.code: change.new for change in preview.months[1].new}, FEBRUARY)
        self.assertEqual((preview.new, preview.changed, preview.unchanged), (12, 0, 0))
        self.assertContains(response, "Your sales ledger has 5 sales, from Jan. 5, 2024 to Feb.")
        self.assertNotContains(response, "overwrite-")

        response = self.confirm(url)
        self.assertRedirects(
            response,
            reverse("metrics:months", args=[self.business.pk]),
            fetch_redirect_response=False,
        )
        self.assertEqual(self.stored(JAN), JANUARY)
        self.assertEqual(self.stored(FEB), FEBRUARY)
        self.assertNotIn(self.session_key, self.client.session)

    def test_the_import_writes_history_with_the_user_and_the_reason(self) -> None:
        self.confirm(self.preview_url(self.upload(LEDGER)))
        history = Entry.history.filter(business_id=self.business.pk)
        self.assertEqual(history.count(), 12)
        self.assertEqual(
            set(history.values_list("history_type", "history_user", "history_change_reason")),
            {("+", self.alice.pk, REASON_LEDGER)},
        )

    def test_a_write_that_fails_half_way_changes_nothing(self) -> None:
        self.store(JAN, revenue="100")
        url = self.preview_url(self.upload(LEDGER))
        fingerprint = self.client.get(url).context["preview"].fingerprint
        real = services.entries_save_month
        months: list[date] = []

        def fail_on_the_second_month(**kwargs: Any) -> services.SaveSummary:
            months.append(kwargs["month"])
            if len(months) == 2:
                raise RuntimeError("the disk is full")
            return real(**kwargs)

        with (
            mock.patch.object(services, "entries_save_month", fail_on_the_second_month),
            self.assertRaises(RuntimeError),
        ):
            self.client.post(url, {"fingerprint": fingerprint, "overwrite-2024-01": "on"})
        self.assertEqual(months, [JAN, FEB])
        self.assertEqual(self.stored(JAN), {"revenue": Decimal(100)})
        self.assertEqual(self.stored(FEB), {})
        self.assertEqual(Entry.history.count(), 1)

    def test_semicolons_and_decimal_commas(self) -> None:
        text = "Date;Customer;Amount\n2024-01-05;ann;1.234,50\n2024-01-06;ben;0,50\n"
        self.confirm(self.preview_url(self.upload(text)))
        self.assertEqual(self.stored(JAN)["revenue"], Decimal("1235"))
        self.assertEqual(self.stored(JAN)["units_sold"], 2)

    def test_bad_lines_are_listed_and_nothing_is_kept(self) -> None:
        text = (
            "date,customer,amount\n"
            "2024-01-05,ann,10\n"
            "2024-13-01,ann,10\n"
            "2024-01-07,,10\n"
            "2024-01-08,ben,ten\n"
        )
        self.assertEqual(
            self.errors(self.upload(text)),
            [
                "Line 3: “2024-13-01” is not a date; write it as YYYY-MM-DD, for example "
                "2025-03-31",
                "Line 4: The customer is empty",
                "Line 5: “ten” is not a number; write digits with a decimal point or a decimal "
                "comma, without letters or exponents",
            ],
        )
        self.assertFalse(Entry.objects.exists())
        self.assertNotIn(self.session_key, self.client.session)

    def test_many_bad_lines_are_cut_short(self) -> None:
        text = "date,customer,amount\n" + "2024-01-05,ann,x\n" * 40
        errors = self.errors(self.upload(text))
        self.assertEqual(len(errors), 26)
        self.assertEqual(errors[-1], "… and 15 more problems.")

    def test_a_header_without_the_columns_asks_which_is_which(self) -> None:
        response = self.upload("when,who,amount\n2024-01-05,ann,10\n")
        self.assertIn("/import/ledger/columns/", response["Location"])

    def test_a_month_that_has_not_started_is_refused_at_its_first_line(self) -> None:
        future = add_months(current_month(), 1)
        text = f"date,customer,amount\n2024-01-05,ann,10\n{future:%Y-%m}-02,ann,10\n"
        self.assertEqual(
            self.errors(self.upload(text)),
            [
                f"Line 3: {future:%Y-%m} is in the future; figures can be logged once a month "
                "starts."
            ],
        )

    def test_a_month_of_refunds_cannot_store_a_negative_revenue(self) -> None:
        text = "date,customer,amount\n2024-01-05,ann,10\n2024-01-06,ann,-25\n"
        self.assertEqual(
            self.errors(self.upload(text)),
            ["Line 2: 2024-01: “revenue” cannot be negative."],
        )

    def test_ambiguous_amounts_ask_for_the_separator(self) -> None:
        text = 'date,customer,amount\n2024-01-05,ann,"1,500"\n'
        errors = self.errors(self.upload(text))
        self.assertEqual(len(errors), 1)
        self.assertIn("say which decimal separator the file uses", errors[0])
        self.confirm(self.preview_url(self.upload(text, decimal="comma")))
        self.assertEqual(self.stored(JAN)["revenue"], Decimal("1.5"))

    def test_a_file_over_ten_megabytes_is_refused_with_its_size(self) -> None:
        text = "date,customer,amount\n" + "2024-01-05,ann,10\n" * 600_000
        self.assertEqual(
            self.errors(self.upload(text)),
            ["The file is 10.3\u00a0MB; it can be at most 10.0\u00a0MB. Split it into years."],
        )

    def test_a_file_that_is_neither_utf8_nor_a_workbook(self) -> None:
        upload = "date,customer,amount\n2024-01-05,José,10\n".encode("cp1252")
        self.assertEqual(
            self.errors(self.upload(upload)),
            ["Line 2: The file is not UTF-8 text; save it as “CSV UTF-8” and try again"],
        )

    def test_the_session_keeps_the_figures_not_the_sales(self) -> None:
        lines = [
            f"2024-0{1 + index % 3}-1{index % 9},c{index % 50},12.5\n" for index in range(3000)
        ]
        self.preview_url(self.upload("date,customer,amount\n" + "".join(lines)))
        stash = self.client.session[self.session_key]
        self.assertEqual(stash["sales"], 3000)
        self.assertEqual(sorted(stash["figures"]), ["2024-01", "2024-02", "2024-03"])
        self.assertLess(len(json.dumps(stash)), 1500)

    def test_the_figures_are_checked_again_on_confirm(self) -> None:
        url = self.preview_url(self.upload(LEDGER))
        fingerprint = self.client.get(url).context["preview"].fingerprint
        session = self.client.session
        session[self.session_key]["figures"]["2024-02"]["orders"] = "-2"
        session.save()
        response = self.client.post(url, {"fingerprint": fingerprint})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["problems"], ["Line 5: 2024-02: “orders” cannot be negative."]
        )
        self.assertFalse(Entry.objects.exists())

    def test_an_unknown_token_sends_back_to_the_upload(self) -> None:
        self.preview_url(self.upload(LEDGER))
        url = reverse("metrics:ledger_preview", args=[self.business.pk, "not-the-token-00000000"])
        response = self.client.post(url, {"fingerprint": "x"}, follow=True)
        self.assertRedirects(response, self.upload_url)
        self.assertContains(response, "That upload is no longer available.")
        self.assertFalse(Entry.objects.exists())

    def test_a_confirmation_after_the_figures_changed_shows_the_preview_again(self) -> None:
        url = self.preview_url(self.upload(LEDGER))
        fingerprint = self.client.get(url).context["preview"].fingerprint
        self.store(JAN, revenue="99")
        response = self.client.post(url, {"fingerprint": fingerprint})
        self.assertContains(response, "The stored figures changed after you saw this preview.")
        self.assertEqual(self.stored(JAN), {"revenue": Decimal(99)})

    def test_the_figures_file_upload_keeps_its_own_preview(self) -> None:
        # Both uploads live side by side in the session, under their own keys.
        ledger_url = self.preview_url(self.upload(LEDGER))
        upload = SimpleUploadedFile("f.csv", b"month,visitors\n2024-01,5\n")
        figures = self.client.post(
            reverse("metrics:import", args=[self.business.pk]),
            {"file": upload, "decimal": "detect"},
        )
        self.assertEqual(figures.status_code, 302)
        self.assertEqual(self.client.get(ledger_url).status_code, 200)
        self.assertEqual(self.client.get(figures["Location"]).status_code, 200)


class OverwriteChoiceTests(LedgerTestCase):
    def test_each_month_with_other_stored_values_asks_and_keeps_them_by_default(self) -> None:
        # January: revenue differs, orders the same. February: orders differs.
        self.store(JAN, revenue="100", orders="3")
        self.store(FEB, orders="7")
        url = self.preview_url(self.upload(LEDGER))
        response = self.client.get(url)
        self.assertContains(response, "The figures you entered are kept, unless you tick the box")
        for month in ("2024-01", "2024-02"):
            self.assertContains(response, f'name="overwrite-{month}"')
        self.assertNotContains(response, "checked>")

        response = self.confirm(url)
        self.assertEqual(self.stored(JAN), {**JANUARY, "revenue": Decimal(100)})
        self.assertEqual(self.stored(FEB), {**FEBRUARY, "orders": Decimal(7)})
        messages = [str(message) for message in response.wsgi_request._messages]
        self.assertEqual(
            messages,
            [
                "The sales ledger is imported: 9 new values and 0 changed values are saved. "
                "2 values you had entered are kept."
            ],
        )

    def test_a_ticked_month_is_replaced_and_the_others_kept(self) -> None:
        self.store(JAN, revenue="100")
        self.store(FEB, orders="7")
        url = self.preview_url(self.upload(LEDGER))
        self.confirm(url, **{"overwrite-2024-02": "on"})
        self.assertEqual(self.stored(JAN)["revenue"], Decimal(100))
        self.assertEqual(self.stored(FEB)["orders"], Decimal(2))
        self.assertEqual(
            list(
                Entry.history.filter(history_type="~").values_list(
                    "figure", "value", "history_change_reason"
                )
            ),
            [("orders", Decimal(2), REASON_LEDGER)],
        )

    def test_a_box_for_a_month_without_conflicts_does_nothing(self) -> None:
        self.store(JAN, revenue="35")
        url = self.preview_url(self.upload(LEDGER))
        response = self.client.get(url)
        self.assertNotContains(response, "overwrite-")
        self.confirm(url, **{"overwrite-2024-01": "on"})
        self.assertEqual(self.stored(JAN), JANUARY)


class WorkbookTests(LedgerTestCase):
    def test_real_dates_and_numbers_from_the_first_sheet(self) -> None:
        rows: list[list[object]] = [
            ["Date", "Customer", "Amount", "Quantity"],
            [datetime(2024, 1, 5), "alice", 10, 2],
            [],
            [date(2024, 1, 9), 1001, 0.1 + 0.2, None],
            ["2024-01-20", "alice", "5,00", "1"],
        ]
        url = self.preview_url(self.upload(workbook(rows, sheets=2), "sales.xlsx"))
        self.confirm(url)
        self.assertEqual(
            self.stored(JAN),
            {
                "revenue": Decimal("15.3"),
                "orders": 3,
                "units_sold": 4,
                "customers_end": 2,
                "new_customers": 2,
            },
        )

    def test_problems_name_the_sheet_rows(self) -> None:
        rows: list[list[object]] = [
            ["date", "customer", "amount"],
            [date(2024, 1, 5), "ann", 10],
            [],
            [],
            ["5/1/24", "ann", 10],
            [date(2024, 1, 6), "ann", "ten"],
        ]
        self.assertEqual(
            self.errors(self.upload(workbook(rows), "sales.xlsx")),
            [
                "Row 5: “5/1/24” is not a date; write it as YYYY-MM-DD, for example 2025-03-31",
                "Row 6: “ten” is not a number; write digits with a decimal point or a decimal "
                "comma, without letters or exponents",
            ],
        )

    def test_a_damaged_workbook_is_explained(self) -> None:
        self.assertEqual(
            self.errors(self.upload(b"PK\x03\x04 not really a zip", "sales.xlsx")),
            [
                "Row 1: This file cannot be read as an Excel workbook (.xlsx); save it again as "
                "“Excel Workbook (.xlsx)” or as “CSV UTF-8”"
            ],
        )

    def test_the_figures_import_reads_a_workbook_too(self) -> None:
        rows: list[list[object]] = [
            ["month", "revenue", "visitors", "orders"],
            [date(2024, 1, 1), 1234.5, 950, None],
            ["2024-02", "980,5", 1000, 12],
        ]
        upload = SimpleUploadedFile("figures.xlsx", workbook(rows), content_type=XLSX)
        import_url = reverse("metrics:import", args=[self.business.pk])
        response = self.client.post(import_url, {"file": upload, "decimal": "detect"})
        url = self.preview_url(response)
        self.confirm(url)
        self.assertEqual(self.stored(JAN), {"revenue": Decimal("1234.5"), "visitors": 950})
        self.assertEqual(
            self.stored(FEB),
            {"revenue": Decimal("980.5"), "visitors": 1000, "orders": 12},
        )

    def test_the_figures_import_names_sheet_rows(self) -> None:
        rows: list[list[object]] = [["month", "revenue"], [], ["2024-01", -5]]
        upload = SimpleUploadedFile("figures.xlsx", workbook(rows), content_type=XLSX)
        response = self.client.post(
            reverse("metrics:import", args=[self.business.pk]),
            {"file": upload, "decimal": "detect"},
        )
        self.assertEqual(self.errors(response), ["Row 3: 2024-01: “revenue” cannot be negative."])


class SheetRowsTests(SimpleTestCase):
    def test_cells_keep_their_types_and_rows_their_numbers(self) -> None:
        raw = workbook(
            [
                ["date", "customer", "amount", "quantity"],
                [],
                [datetime(2024, 3, 1, 14, 30), "ann", 12.5, 3],
                ["2024-03-02", "ben", "7,25"],
            ]
        )
        rows = list(sheet_rows(raw))
        self.assertEqual(
            rows,
            [
                (1, ["date", "customer", "amount", "quantity"]),
                (3, [date(2024, 3, 1), "ann", Decimal("12.5"), Decimal(3)]),
                (4, ["2024-03-02", "ben", "7,25", ""]),
            ],
        )
        self.assertEqual(decode_rows(json.loads(json.dumps(encode_rows(rows)))), rows)

    def test_too_many_rows_are_refused(self) -> None:
        raw = workbook([["date", "customer", "amount"]] + [["2024-01-01", "a", 1]] * 5)
        with self.assertRaises(FileFormatError) as caught:
            list(sheet_rows(raw, max_rows=4))
        self.assertEqual(
            [(error.line, error.message) for error in caught.exception.errors],
            [(5, "The sheet has more than 4 rows; split it in two")],
        )


def year_of_sales(rows: int = 100_000) -> Iterator[str]:
    """A year of sales, mostly from 997 regulars in January to November, then a small December.

    Sale ``i`` of the bulk falls in month ``1 + i % 11`` and is bought by ``c{i % 997}``; 997
    and 11 share no factor, so every regular buys in every month from January to November.
    """
    yield "date,customer,amount,quantity\n"
    bulk = rows - 3
    for index in range(bulk):
        month, day = 1 + index % 11, 1 + index % 28
        yield f"2024-{month:02d}-{day:02d},c{index % 997},12.50,2\n"
    # December: one regular and one newcomer who buys twice, one sale without a quantity.
    yield "2024-12-03,c1,100.00,1\n"
    yield "2024-12-10,newcomer,19.99,3\n"
    yield "2024-12-24,newcomer,0.01,\n"


class HundredThousandRowsTests(SimpleTestCase):
    def test_a_year_of_100000_sales_derives_exact_figures(self) -> None:
        text = "".join(year_of_sales())
        ledger = read_ledger_upload(csv_rows(text), FIGURES, last_month=date(2025, 1, 1))
        self.assertEqual(ledger.sales, 100_000)
        self.assertEqual(len(ledger.figures), 12)
        self.assertEqual(
            dict(ledger.figures[date(2024, 12, 1)]),
            {
                "revenue": Decimal("120.00"),
                "orders": 3,
                "units_sold": 5,
                "customers_end": 2,
                "new_customers": 1,
                # Every regular bought in November; only c1 came back in December.
                "customers_start": 997,
                "customers_lost": 996,
            },
        )
        # January: sales 0, 11, 22, … of the bulk, each 12.50 for 2 units, all 997 newcomers.
        january = len(range(0, 100_000 - 3, 11))
        self.assertEqual(ledger.figures[JAN]["orders"], january)
        self.assertEqual(ledger.figures[JAN]["revenue"], Decimal("12.50") * january)
        self.assertEqual(ledger.figures[JAN]["new_customers"], 997)
        self.assertEqual(ledger.month_lines[date(2024, 12, 1)], 99_999)
