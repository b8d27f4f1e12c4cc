"""Big sales lists: kept, read by a task, waited for on a page that refreshes itself."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO
from unittest import mock

from django.core.cache import cache
from django.core.management import call_command
from django.http import HttpResponse
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from metrics import privacy
from metrics.imports.stored import read_stored_upload
from metrics.models.imports import ImportMapping, StoredUpload
from tests.metrics.imports.test_figures_import import ImportTestCase, csv_file

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Keeps what is enqueued without running it: the page can be seen while the task waits.
QUEUED = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}

# October 2024: Samira 12.50 and 7.50 in order T1, Omar 30 in T2, Omar's 5 returned.
# Revenue 12.50 + 7.50 + 30 = 50; orders T1 and T2 = 2; units 2 + 1 + 1 = 4; customers 2.
SALES = (
    "date,customer,amount,quantity,order,returned\n"
    "2024-10-01,Samira,12.50,2,T1,\n"
    "2024-10-01,Samira,7.50,,T1,\n"
    "2024-10-02,Omar,30,1,T2,\n"
    "2024-10-03,Omar,5,1,T3,yes\n"
)


@override_settings(LEDGER_TASK_BYTES=100, TASKS=IMMEDIATE)
class BigUploadTests(ImportTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()  # the rate-limit counters

    @property
    def ledger_url(self) -> str:
        return reverse("metrics:ledger_import", args=[self.business.pk])

    def send(self, text: str = SALES, name: str = "sales.csv") -> HttpResponse:
        return self.client.post(
            self.ledger_url, {"file": csv_file(text, name), "decimal": "detect"}
        )

    def reading_url(self, response: HttpResponse) -> str:
        self.assertEqual(response.status_code, 302)
        self.assertIn("/import/ledger/reading/", response["Location"])
        return str(response["Location"])

    def test_a_big_file_is_read_by_the_task_then_previewed_and_confirmed(self) -> None:
        reading = self.reading_url(self.send())
        # The task ran in the request (ImmediateBackend): the page goes on to the preview.
        preview = self.client.get(reading)
        self.assertIn("/import/ledger/", preview["Location"])
        self.assertFalse(StoredUpload.objects.exists())
        page = self.client.get(preview["Location"])
        self.assertContains(page, "Your sales ledger has 3 sales")
        self.assertContains(page, "1 sale marked returned is left out.")
        self.confirm(preview["Location"])
        self.assertEqual(
            {code: value for (month, code), value in self.stored().items() if month == "2024-10"},
            {
                "revenue": Decimal(50),
                "orders": Decimal(2),
                "units_sold": Decimal(4),
                "customers_end": Decimal(2),
                "new_customers": Decimal(2),
            },
        )

    def test_a_small_file_is_still_read_in_the_request(self) -> None:
        with override_settings(LEDGER_TASK_BYTES=10_000):
            response = self.send()
        self.assertNotIn("/reading/", response["Location"])
        self.assertFalse(StoredUpload.objects.exists())

    @override_settings(TASKS=QUEUED)
    def test_the_page_refreshes_itself_until_the_reading_is_there(self) -> None:
        reading = self.reading_url(self.send())
        upload = StoredUpload.objects.get(business=self.business)
        self.assertEqual(upload.state, StoredUpload.State.WAITING)
        self.assertEqual(bytes(upload.raw), SALES.encode())
        page = self.client.get(reading)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, '<meta http-equiv="refresh" content="2">', html=False)
        self.assertContains(page, f'href="{reading}" id="check-again"', html=False)
        self.assertContains(page, "Reading your file")
        # The worker reads it: the bytes go, the derived figures stay.
        self.assertEqual(read_stored_upload.call(upload_id=upload.pk), "ready")
        upload.refresh_from_db()
        self.assertEqual(bytes(upload.raw), b"")
        self.assertEqual(upload.result["sales"], 3)
        self.assertEqual(upload.result["returned"], 1)
        self.assertNotIn("Samira", str(upload.result))
        preview = self.client.get(reading)
        self.assertIn("/import/ledger/", preview["Location"])
        self.assertEqual(self.client.get(preview["Location"]).status_code, 200)

    def test_a_file_with_problems_ends_on_its_messages_and_is_gone(self) -> None:
        reading = self.reading_url(self.send(SALES.replace("30,1", "thirty,1")))
        page = self.client.get(reading)
        self.assertEqual(page.status_code, 200)
        self.assertEqual(
            page.context["problems"],
            [
                "Line 4: “thirty” is not a number; write digits with a decimal point or a "
                "decimal comma, without letters or exponents"
            ],
        )
        self.assertNotContains(page, "http-equiv")
        self.assertFalse(StoredUpload.objects.exists())
        again = self.client.get(reading)
        self.assertRedirects(again, self.ledger_url, target_status_code=200)

    def test_the_messages_are_in_the_uploaders_language(self) -> None:
        self.alice.language = "fr"
        self.alice.save(update_fields=["language"])
        page = self.client.get(self.reading_url(self.send(SALES.replace("30,1", "trente,1"))))
        self.assertTrue(page.context["problems"][0].startswith("Ligne 4"))

    @override_settings(TASKS=QUEUED)
    def test_cancel_removes_the_kept_file(self) -> None:
        reading = self.reading_url(self.send())
        response = self.client.post(reading)
        self.assertRedirects(response, self.ledger_url, target_status_code=200)
        self.assertFalse(StoredUpload.objects.exists())

    @override_settings(TASKS=QUEUED, STORED_UPLOAD_SECONDS=60)
    def test_an_expired_upload_is_removed_and_the_person_sent_back(self) -> None:
        reading = self.reading_url(self.send())
        StoredUpload.objects.update(created=timezone.now() - timedelta(seconds=61))
        self.assertRedirects(self.client.get(reading), self.ledger_url, target_status_code=200)
        self.assertFalse(StoredUpload.objects.exists())

    @override_settings(TASKS=QUEUED, STORED_UPLOAD_SECONDS=60)
    def test_a_new_upload_replaces_the_business_one_and_clears_expired_ones(self) -> None:
        self.send()
        first = StoredUpload.objects.get()
        StoredUpload.objects.filter(pk=first.pk).update(
            created=timezone.now() - timedelta(seconds=61)
        )
        self.send()
        self.send()
        self.assertEqual(StoredUpload.objects.count(), 1)
        self.assertNotEqual(StoredUpload.objects.get().pk, first.pk)

    @override_settings(TASKS=QUEUED, STORED_UPLOAD_SECONDS=60)
    def test_the_scheduler_removes_uploads_nobody_came_back_to(self) -> None:
        self.send()
        kept = StoredUpload.objects.get()
        out = StringIO()
        call_command("forget_stored_uploads", stdout=out)  # 0 s old: kept
        self.assertEqual(out.getvalue(), "Removed 0 expired upload(s).\n")
        StoredUpload.objects.filter(pk=kept.pk).update(
            created=timezone.now() - timedelta(seconds=61)
        )
        call_command("forget_stored_uploads", stdout=out)
        self.assertIn("Removed 1 expired upload(s).", out.getvalue())
        self.assertFalse(StoredUpload.objects.exists())

    @override_settings(TASKS=QUEUED)
    def test_an_unknown_header_chooses_its_columns_first_then_goes_to_the_task(self) -> None:
        text = SALES.replace("date,customer,amount", "Quand,Qui,Payé")
        response = self.send(text)
        self.assertIn("/import/ledger/columns/", response["Location"])
        self.assertFalse(StoredUpload.objects.exists())
        mapped = self.client.post(
            response["Location"],
            {
                "column-0": "date",
                "column-1": "customer",
                "column-2": "amount",
                "column-3": "quantity",
                "column-4": "order",
                "column-5": "returned",
            },
        )
        self.reading_url(mapped)
        remembered = ImportMapping.objects.get(business=self.business)
        self.assertEqual(
            remembered.mapping, ["date", "customer", "amount", "quantity", "order", "returned"]
        )
        upload = StoredUpload.objects.get()
        self.assertEqual(read_stored_upload.call(upload_id=upload.pk), "ready")
        upload.refresh_from_db()
        self.assertEqual(upload.result["figures"]["2024-10"]["orders"], "2")

    def test_a_file_that_is_not_a_sales_list_is_refused_at_once(self) -> None:
        response = self.send("\n" * 200)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            list(response.context["form"].errors["file"]), ["Line 1: The file is empty"]
        )
        self.assertFalse(StoredUpload.objects.exists())

    @override_settings(TASKS=QUEUED)
    def test_a_reading_that_breaks_ends_on_a_message_not_a_wait(self) -> None:
        reading = self.reading_url(self.send())
        upload = StoredUpload.objects.get()
        with mock.patch("metrics.imports.stored.business_engine", side_effect=RuntimeError):
            self.assertEqual(read_stored_upload.call(upload_id=upload.pk), "failed")
        page = self.client.get(reading)
        self.assertEqual(page.context["problems"], ["The file could not be read. Upload it again."])

    @override_settings(TASKS=QUEUED, RATE_LIMITS={"upload": {"user": "1/h", "ip": "60/h"}})
    def test_big_uploads_count_under_the_upload_rate_limit(self) -> None:
        self.reading_url(self.send())
        refused = self.send()
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(StoredUpload.objects.count(), 1)

    @override_settings(TASKS=QUEUED)
    def test_a_mentor_is_refused_and_a_stranger_finds_nothing(self) -> None:
        reading = self.reading_url(self.send())
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(reading).status_code, 403)
        self.assertEqual(self.client.post(reading).status_code, 403)
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(reading).status_code, 404)
        self.assertTrue(StoredUpload.objects.exists())

    @override_settings(TASKS=QUEUED)
    def test_a_kept_upload_is_in_the_export_and_goes_with_the_account(self) -> None:
        self.send()
        files = privacy.export_files(self.alice)
        business_json = next(text for path, text in files.items() if path.endswith("business.json"))
        self.assertIn('"stored_uploads"', business_json)
        self.assertIn('"sales.csv"', business_json)
        deleted = privacy.erase(self.alice)
        self.assertEqual(deleted["metrics.StoredUpload"], 1)
        self.assertFalse(StoredUpload.objects.exists())
