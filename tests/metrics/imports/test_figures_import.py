"""Figures files in (upload, preview, confirm) and out (figures and KPI results as CSV)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from metrics.engine import add_months
from metrics.models.business import Business, CustomFigure, TrackedKpi
from metrics.models.entries import Entry
from metrics.models.mentoring import Mentorship
from metrics.months import services
from metrics.pages import current_month
from tests.base import BaseTestCase

JAN, FEB, MAR = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)


def csv_file(text: str, name: str = "figures.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


class ImportTestCase(BaseTestCase):
    business: Business

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = Business.objects.create(
            owner=cls.alice, name="Amal's Kitchen", country="be", sells="Food", currency="EUR"
        )
        CustomFigure.objects.create(
            business=cls.business, code="revenue_catering", name="Catering revenue", unit="money"
        )
        Mentorship.objects.create(business=cls.business, mentor=cls.bob)

    def setUp(self) -> None:
        self.client.force_login(self.alice)

    @property
    def import_url(self) -> str:
        return reverse("metrics:import", args=[self.business.pk])

    def upload(self, text: str, decimal: str = "detect") -> HttpResponse:
        return self.client.post(self.import_url, {"file": csv_file(text), "decimal": decimal})

    def preview_url(self, response: HttpResponse) -> str:
        self.assertEqual(response.status_code, 302, response.content.decode()[-3000:])
        return response["Location"]

    def store(self, month: date, **figures: str) -> None:
        for code, value in figures.items():
            Entry.objects.create(business=self.business, month=month, figure=code, value=value)

    def stored(self) -> dict[tuple[str, str], Decimal]:
        return {
            (f"{month:%Y-%m}", figure): value
            for month, figure, value in Entry.objects.filter(business=self.business).values_list(
                "month", "figure", "value"
            )
        }

    def confirm(self, url: str) -> HttpResponse:
        preview = self.client.get(url)
        fingerprint = preview.context["preview"].fingerprint
        return self.client.post(url, {"fingerprint": fingerprint})


class ImportAccessTests(ImportTestCase):
    def test_the_owner_sees_the_upload_form_and_the_downloads(self) -> None:
        response = self.client.get(self.import_url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'type="file"')
        self.assertContains(response, reverse("metrics:export_figures", args=[self.business.pk]))

    def test_the_mentor_is_refused_the_upload_page_as_well_as_the_upload(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(self.import_url).status_code, 403)

    def test_the_mentor_cannot_upload_or_see_a_preview(self) -> None:
        url = self.preview_url(self.upload("month,visitors\n2024-01,5\n"))
        self.client.force_login(self.bob)
        response = self.client.post(self.import_url, {"file": csv_file("month,visitors\n")})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.client.post(url, {"fingerprint": "x"}).status_code, 403)
        self.assertFalse(Entry.objects.exists())

    def test_the_mentor_may_download(self) -> None:
        self.client.force_login(self.bob)
        for name in ("export_figures", "export_kpis"):
            with self.subTest(name=name):
                url = reverse(f"metrics:{name}", args=[self.business.pk])
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_a_stranger_and_a_revoked_mentor_get_not_found(self) -> None:
        url = self.preview_url(self.upload("month,visitors\n2024-01,5\n"))
        urls = [
            self.import_url,
            url,
            reverse("metrics:export_figures", args=[self.business.pk]),
            reverse("metrics:export_kpis", args=[self.business.pk]),
        ]
        Mentorship.objects.update(revoked_at=timezone.now())
        for user in (self.charlie, self.bob):
            self.client.force_login(user)
            for address in urls:
                with self.subTest(user=user.email, url=address):
                    self.assertEqual(self.client.get(address).status_code, 404)

    def test_an_anonymous_visitor_is_sent_to_log_in(self) -> None:
        self.client.logout()
        for name in ("import", "export_figures", "export_kpis"):
            url = reverse(f"metrics:{name}", args=[self.business.pk])
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertRedirects(
                    response,
                    f"{reverse('accounts:login')}?next={url}",
                    fetch_redirect_response=False,
                )

    def test_downloads_refuse_posts(self) -> None:
        url = reverse("metrics:export_figures", args=[self.business.pk])
        self.assertEqual(self.client.post(url).status_code, 405)


class UploadTests(ImportTestCase):
    def test_a_wide_comma_file_shows_an_exact_preview_and_is_written_on_confirm(self) -> None:
        self.store(JAN, revenue="1000", visitors="900")
        text = (
            "month,revenue,visitors,orders,revenue_catering\n"
            "2024-01,1000.00,950,160,\n"
            "2024-02,1410.50,1000,,250\n"
        )
        url = self.preview_url(self.upload(text))
        self.assertEqual(
            self.stored(), {("2024-01", "revenue"): 1000, ("2024-01", "visitors"): 900}
        )

        response = self.client.get(url)
        preview = response.context["preview"]
        # January: revenue the same, visitors changed, orders new. February: three new values.
        self.assertEqual((preview.new, preview.changed, preview.unchanged), (4, 1, 1))
        self.assertEqual(
            [
                (
                    f"{month.month:%Y-%m}",
                    [c.code for c in month.new],
                    [(c.code, c.old, c.new) for c in month.changed],
                    [c.code for c in month.unchanged],
                )
                for month in preview.months
            ],
            [
                ("2024-01", ["orders"], [("visitors", 900, 950)], ["revenue"]),
                ("2024-02", ["revenue", "revenue_catering", "visitors"], [], []),
            ],
        )
        self.assertContains(
            response,
            "The file has 2 months: 4 new values, 1 changed values and 1 values that stay the "
            "same.",
        )
        self.assertContains(response, "<del>900</del>", html=True)
        self.assertContains(response, "Catering revenue")

        response = self.confirm(url)
        self.assertRedirects(
            response,
            reverse("metrics:months", args=[self.business.pk]),
            fetch_redirect_response=False,
        )
        self.assertEqual(
            self.stored(),
            {
                ("2024-01", "revenue"): Decimal(1000),
                ("2024-01", "visitors"): Decimal(950),
                ("2024-01", "orders"): Decimal(160),
                ("2024-02", "revenue"): Decimal("1410.5"),
                ("2024-02", "visitors"): Decimal(1000),
                ("2024-02", "revenue_catering"): Decimal(250),
            },
        )
        self.assertEqual(
            set(
                Entry.history.filter(history_user=self.alice).values_list("history_type", "figure")
            ),
            {
                ("~", "visitors"),
                ("+", "orders"),
                ("+", "revenue"),
                ("+", "visitors"),
                ("+", "revenue_catering"),
            },
        )
        # The preview is used up.
        self.assertRedirects(self.client.get(url), self.import_url)

    def test_a_long_semicolon_file_with_decimal_commas(self) -> None:
        text = (
            "month;figure;value\n"
            "2024-01;revenue;1234,50\n"
            "2024-01;cash_end;-250,75\n"
            "2024-02;revenue;980,5\n"
            "2024-02;visitors;\n"
        )
        url = self.preview_url(self.upload(text))
        response = self.client.get(url)
        preview = response.context["preview"]
        self.assertEqual((preview.new, preview.changed, preview.unchanged), (3, 0, 0))
        self.assertContains(response, "−€250.75")
        self.confirm(url)
        self.assertEqual(
            self.stored(),
            {
                ("2024-01", "revenue"): Decimal("1234.5"),
                ("2024-01", "cash_end"): Decimal("-250.75"),
                ("2024-02", "revenue"): Decimal("980.5"),
            },
        )

    def test_a_wide_semicolon_file_with_decimal_commas(self) -> None:
        self.store(FEB, revenue="980.5")
        text = "\ufeffmonth;revenue;orders\r\n2024-01;1.234,50;80\r\n2024-02;980,50;75\r\n"
        url = self.preview_url(self.upload(text))
        preview = self.client.get(url).context["preview"]
        self.assertEqual((preview.new, preview.changed, preview.unchanged), (3, 0, 1))
        self.confirm(url)
        self.assertEqual(self.stored()[("2024-01", "revenue")], Decimal("1234.5"))
        self.assertEqual(self.stored()[("2024-02", "orders")], Decimal(75))

    def test_a_file_with_one_bad_line_names_it_and_stores_nothing(self) -> None:
        text = "month,revenue,visitors\n2024-01,1000,950\n2024-02,12O0,900\n2024-03,800,700\n"
        response = self.upload(text)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["form"].errors["file"],
            [
                "Line 3: “12O0” is not a number; write digits with a decimal point or a decimal "
                "comma, without letters or exponents"
            ],
        )
        self.assertContains(response, '<a href="#id_file">Line 3: ')
        self.assertContains(response, "<title>Error: ")
        self.assertFalse(Entry.objects.exists())
        self.assertNotIn(f"figures_import:{self.business.pk}", self.client.session)

    def test_a_negative_count_or_a_future_month_is_refused_by_line(self) -> None:
        future = add_months(current_month(), 2)
        text = (
            "month,figure,value\n2024-01,visitors,-5\n2024-01,cash_end,-5\n"
            f"{future:%Y-%m},orders,3\n"
        )
        response = self.upload(text)
        self.assertEqual(
            response.context["form"].errors["file"],
            [
                "Line 2: 2024-01: “visitors” cannot be negative.",
                f"Line 4: {future:%Y-%m} is in the future; figures can be logged once a month "
                "starts.",
            ],
        )
        self.assertFalse(Entry.objects.exists())

    def test_an_unknown_figure_goes_to_the_columns_with_a_guess(self) -> None:
        response = self.upload("month,revenu\n2024-01,5\n")
        self.assertIn("/import/columns/", response["Location"])
        page = self.client.get(response["Location"])
        self.assertEqual(page.context["form"]["column-1"].initial, "revenue")

    def test_ambiguous_numbers_ask_for_the_separator(self) -> None:
        text = 'month,revenue,visitors\n2024-01,"1,234",950\n2024-02,"2,500",900\n'
        url = self.preview_url(self.upload(text))
        response = self.client.get(url)
        self.assertTemplateUsed(response, "metrics/months/import_separator.html")
        self.assertContains(
            response,
            "For example, “revenue” for January 2024 is 1,234 if the file uses a decimal "
            "point, and 1.234 if it uses a decimal comma.",
        )
        self.assertFalse(Entry.objects.exists())

        response = self.client.post(url, {"decimal": "comma"})
        self.assertRedirects(response, url, fetch_redirect_response=False)
        preview = self.client.get(url).context["preview"]
        self.assertEqual(preview.months[0].new[0].new, Decimal("1.234"))
        self.confirm(url)
        self.assertEqual(self.stored()[("2024-02", "revenue")], Decimal("2.5"))

    def test_choosing_the_separator_on_upload_reads_the_file_at_once(self) -> None:
        url = self.preview_url(self.upload('month,revenue\n2024-01,"1,234"\n', decimal="point"))
        preview = self.client.get(url).context["preview"]
        self.assertEqual(preview.months[0].new[0].new, Decimal(1234))

    def test_a_write_that_fails_half_way_changes_nothing(self) -> None:
        self.store(JAN, revenue="500")
        text = "month,revenue,visitors\n2024-01,1000,950\n2024-02,1100,990\n2024-03,1200,1000\n"
        url = self.preview_url(self.upload(text))
        fingerprint = self.client.get(url).context["preview"].fingerprint
        real = services.entries_save_month
        months: list[date] = []

        def fail_after_the_first_month(**kwargs: object) -> services.SaveSummary:
            months.append(kwargs["month"])  # type: ignore[arg-type]
            if len(months) == 2:
                raise RuntimeError("the database went away")
            return real(**kwargs)  # type: ignore[arg-type]

        with (
            mock.patch.object(services, "entries_save_month", fail_after_the_first_month),
            self.assertRaises(RuntimeError),
        ):
            self.client.post(url, {"fingerprint": fingerprint})
        self.assertEqual(months, [JAN, FEB])
        self.assertEqual(self.stored(), {("2024-01", "revenue"): Decimal(500)})
        self.assertEqual(Entry.history.count(), 1)

    def test_a_confirmation_after_the_figures_changed_shows_the_preview_again(self) -> None:
        url = self.preview_url(self.upload("month,revenue\n2024-01,1000\n"))
        fingerprint = self.client.get(url).context["preview"].fingerprint
        self.store(JAN, revenue="700")
        response = self.client.post(url, {"fingerprint": fingerprint})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The stored figures changed after you saw this preview.")
        self.assertEqual(response.context["preview"].changed, 1)
        self.assertEqual(self.stored(), {("2024-01", "revenue"): Decimal(700)})

    def test_the_confirmation_uses_the_stored_file_not_what_the_browser_sends(self) -> None:
        url = self.preview_url(self.upload("month,revenue\n2024-01,1000\n"))
        fingerprint = self.client.get(url).context["preview"].fingerprint
        self.client.post(url, {"fingerprint": fingerprint, "text": "month,revenue\n2024-01,1\n"})
        self.assertEqual(self.stored(), {("2024-01", "revenue"): Decimal(1000)})

    def test_an_unknown_token_sends_back_to_the_upload(self) -> None:
        self.preview_url(self.upload("month,revenue\n2024-01,1000\n"))
        url = reverse("metrics:import_preview", args=[self.business.pk, "not-the-token-00000000"])
        response = self.client.post(url, {"fingerprint": "x"}, follow=True)
        self.assertRedirects(response, self.import_url)
        self.assertContains(response, "That upload is no longer available.")
        self.assertFalse(Entry.objects.exists())

    def test_a_large_file_is_refused_with_its_size(self) -> None:
        text = "month,revenue\n" + "2024-01,1\n" * 220_000
        response = self.upload(text)
        self.assertEqual(
            response.context["form"].errors["file"],
            ["The file is 2.1\u00a0MB; it can be at most 2.0\u00a0MB. Split it into years."],
        )

    def test_a_file_that_is_not_utf8_is_refused(self) -> None:
        upload = SimpleUploadedFile("f.csv", "month,revenue\n2024-01,5 €\n".encode("cp1252"))
        response = self.client.post(self.import_url, {"file": upload, "decimal": "detect"})
        self.assertEqual(
            response.context["form"].errors["file"],
            ["Line 2: The file is not UTF-8 text; save it as “CSV UTF-8” and try again"],
        )

    def test_a_missing_file_is_asked_for(self) -> None:
        response = self.client.post(self.import_url, {"decimal": "detect"})
        self.assertEqual(response.context["form"].errors["file"], ["This field is required."])


class DownloadTests(ImportTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business.fy_start = 4
        cls.business.save()
        TrackedKpi.objects.create(business=cls.business, kpi="revenue", position=1)
        TrackedKpi.objects.create(business=cls.business, kpi="conversion_rate", position=0)
        for month, figures in (
            (JAN, {"visitors": 1000, "orders": 50, "revenue": "1234.5"}),
            (FEB, {"visitors": 500, "orders": 50, "revenue": 1000, "revenue_catering": 200}),
            (MAR, {"visitors": 800, "orders": 40}),
        ):
            for code, value in figures.items():
                Entry.objects.create(business=cls.business, month=month, figure=code, value=value)

    def get(self, name: str, **params: str) -> HttpResponse:
        url = reverse(f"metrics:{name}", args=[self.business.pk])
        return self.client.get(url, params)

    def test_the_figures_file_is_wide_csv(self) -> None:
        response = self.get("export_figures")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="amals-kitchen-figures.csv"'
        )
        self.assertEqual(
            response.content.decode(),
            "month,visitors,orders,revenue,revenue_catering\n"
            "2024-01,1000,50,1234.5,\n"
            "2024-02,500,50,1000,200\n"
            "2024-03,800,40,,\n",
        )

    def test_the_kpi_file_by_month(self) -> None:
        response = self.get("export_kpis", period="month")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertEqual(
            response["Content-Disposition"],
            'attachment; filename="amals-kitchen-kpis-month.csv"',
        )
        # 50 / 1000 = 5 %, 50 / 500 = 10 %, 40 / 800 = 5 %; March has no revenue.
        self.assertEqual(
            response.content.decode(),
            "period,kpi,value,note\n"
            "2024-01,conversion_rate,5,\n"
            "2024-01,revenue,1234.5,\n"
            "2024-02,conversion_rate,10,\n"
            "2024-02,revenue,1000,\n"
            "2024-03,conversion_rate,5,\n"
            "2024-03,revenue,,missing revenue 2024-03\n",
        )

    def test_the_kpi_file_by_quarter_follows_the_financial_year(self) -> None:
        response = self.get("export_kpis", period="quarter")
        # The year starts in April: January to March 2024 is the fourth quarter of 2023.
        # 140 orders / 2300 visitors = 6.0869… %, rounded to 6.087.
        self.assertEqual(
            response.content.decode(),
            "period,kpi,value,note\n"
            "2023-Q4,conversion_rate,6.087,\n"
            # Changed on purpose (issue 12): revenue so far, 1234.5 + 1000.
            "2023-Q4,revenue,2234.5,partial 2 of 3 months\n",
        )

    def test_the_kpi_file_by_year(self) -> None:
        response = self.get("export_kpis", period="year")
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="amals-kitchen-kpis-year.csv"'
        )
        self.assertEqual(
            response.content.decode(),
            "period,kpi,value,note\n"
            # Changed on purpose (issue 12): values so far. 140 / 2300 * 100 = 6.087 over
            # January to March; revenue 1234.5 + 1000 over January and February.
            "2023,conversion_rate,6.087,partial 3 of 12 months\n"
            "2023,revenue,2234.5,partial 2 of 12 months\n",
        )

    def test_every_catalogue_kpi_on_request(self) -> None:
        response = self.get("export_kpis", period="month", all="1")
        self.assertEqual(
            response["Content-Disposition"],
            'attachment; filename="amals-kitchen-kpis-month-all.csv"',
        )
        lines = response.content.decode().splitlines()
        # 37 catalogue KPIs for each of 3 months, plus the header.
        self.assertEqual(len(lines), 1 + 37 * 3)
        self.assertIn("2024-02,average_order_value,20,", lines)
        self.assertIn("2024-01,revenue_growth,,no previous period", lines)

    def test_an_unknown_period_is_a_bad_request(self) -> None:
        self.assertEqual(self.get("export_kpis", period="week").status_code, 400)

    def test_a_business_without_figures_downloads_headers_only(self) -> None:
        Entry.objects.all().delete()
        self.assertEqual(
            self.get("export_figures").content.decode(), "month,visitors,orders,revenue\n"
        )
        self.assertEqual(self.get("export_kpis").content.decode(), "period,kpi,value,note\n")


class KeptFiguresTests(ImportTestCase):
    """Until it is confirmed, the session keeps the figures read, never the file itself."""

    def kept(self) -> dict:
        return self.client.session[f"figures_import:{self.business.pk}"]

    def test_the_session_keeps_the_figures_not_the_text(self) -> None:
        self.preview_url(self.upload("month,revenue,orders\n2024-01,1234.5,80\n2024-02,980,75\n"))
        kept = self.kept()
        self.assertEqual(
            kept["figures"],
            {
                "2024-01": {"revenue": "1234.5", "orders": "80"},
                "2024-02": {"revenue": "980", "orders": "75"},
            },
        )
        self.assertNotIn("text", kept)
        self.assertEqual(kept["lines"]["2024-02 orders"], 3)

    def test_a_doubtful_separator_keeps_both_readings_and_the_answer_picks_one(self) -> None:
        url = self.preview_url(self.upload("month;revenue\n2024-01;1,234\n"))
        self.assertEqual(set(self.kept()["choices"]), {"point", "comma"})
        self.assertNotIn("text", self.kept())
        page = self.client.get(url)
        self.assertTemplateUsed(page, "metrics/months/import_separator.html")
        self.client.post(url, {"decimal": "comma"})
        self.confirm(url)
        self.assertEqual(self.stored(), {("2024-01", "revenue"): Decimal("1.234")})

    def test_a_figure_deleted_after_the_upload_is_named_at_its_line(self) -> None:
        url = self.preview_url(self.upload("month,revenue_catering\n2024-01,50\n"))
        CustomFigure.objects.filter(code="revenue_catering").delete()
        response = self.client.get(url)
        self.assertContains(
            response, "Line 2: 2024-01: The figure “revenue_catering” no longer exists."
        )
        self.assertFalse(Entry.objects.exists())
