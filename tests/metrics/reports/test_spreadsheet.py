"""Exports that Excel opens in the reader's language, next to the machine-readable files."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpResponse
from django.test import SimpleTestCase
from django.urls import reverse

from metrics.models.business import TrackedKpi
from metrics.models.entries import Entry
from metrics.reports.spreadsheet import excel_csv, separators
from tests.metrics.imports.test_figures_import import FEB, JAN, MAR, ImportTestCase

BOM = "\ufeff"


class SeparatorTests(SimpleTestCase):
    def test_a_decimal_comma_brings_the_semicolon(self) -> None:
        self.assertEqual(separators("en"), (",", "."))
        for language in ("fr", "nl", "ar", "uk"):
            with self.subTest(language=language):
                self.assertEqual(separators(language), (";", ","))

    def test_numbers_have_no_grouping_and_text_is_quoted_when_needed(self) -> None:
        rows = [["a;b", Decimal("-1234.5000"), None, "x"]]
        self.assertEqual(excel_csv(rows, "fr"), f'{BOM}"a;b";-1234,5;;x\r\n')
        self.assertEqual(excel_csv(rows, "en"), f"{BOM}a;b,-1234.5,,x\r\n")


class ExcelExportTests(ImportTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        TrackedKpi.objects.create(business=cls.business, kpi="revenue", position=1)
        TrackedKpi.objects.create(business=cls.business, kpi="conversion_rate", position=0)
        for month, figures in (
            (JAN, {"visitors": 1000, "orders": 50, "revenue": "1234.5"}),
            (FEB, {"visitors": 500, "orders": 50, "revenue": 1000, "revenue_catering": 200}),
            (MAR, {"visitors": 800, "orders": 40}),
        ):
            for code, value in figures.items():
                Entry.objects.create(business=cls.business, month=month, figure=code, value=value)

    def get(self, name: str, language: str, **params: str) -> HttpResponse:
        self.alice.language = language
        self.alice.save(update_fields=["language"])
        url = reverse(f"metrics:{name}", args=[self.business.pk])
        return self.client.get(url, params)

    def test_french_figures_for_excel(self) -> None:
        response = self.get("export_figures", "fr", format="excel")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertEqual(
            response["Content-Disposition"],
            'attachment; filename="amals-kitchen-figures-excel.csv"',
        )
        self.assertEqual(
            response.content.decode("utf-8"),
            f"{BOM}mois;Visiteurs;Commandes;Chiffre d'affaires;Catering revenue\r\n"
            "2024-01;1000;50;1234,5;\r\n"
            "2024-02;500;50;1000;200\r\n"
            "2024-03;800;40;;\r\n",
        )

    def test_dutch_kpis_for_excel(self) -> None:
        response = self.get("export_kpis", "nl", period="month", format="excel")
        self.assertEqual(
            response["Content-Disposition"],
            'attachment; filename="amals-kitchen-kpis-month-excel.csv"',
        )
        lines = response.content.decode("utf-8").split("\r\n")
        # 50 / 1000 = 5 %, 50 / 500 = 10 %, 40 / 800 = 5 %; March has no revenue.
        self.assertEqual(
            lines[:6],
            [
                f"{BOM}periode;KPI;waarde;opmerking",
                "2024-01;Conversieratio;5;",
                "2024-01;Omzet;1234,5;",
                "2024-02;Conversieratio;10;",
                "2024-02;Omzet;1000;",
                "2024-03;Conversieratio;5;",
            ],
        )
        self.assertTrue(lines[6].startswith("2024-03;Omzet;;"), lines[6])
        self.assertGreater(len(lines[6]), len("2024-03;Omzet;;"))

    def test_english_for_excel_keeps_the_comma_and_the_point(self) -> None:
        response = self.get("export_figures", "en", format="excel")
        self.assertEqual(
            response.content.decode("utf-8").split("\r\n")[:2],
            [f"{BOM}month,Visitors,Orders,Revenue,Catering revenue", "2024-01,1000,50,1234.5,"],
        )

    def test_the_machine_readable_file_stays_in_every_language(self) -> None:
        response = self.get("export_figures", "fr")
        self.assertEqual(
            response.content.decode(),
            "month,visitors,orders,revenue,revenue_catering\n"
            "2024-01,1000,50,1234.5,\n"
            "2024-02,500,50,1000,200\n"
            "2024-03,800,40,,\n",
        )
        kpis = self.get("export_kpis", "ar", period="month").content.decode()
        self.assertTrue(kpis.startswith("period,kpi,value,note\n2024-01,conversion_rate,5,\n"))

    def test_the_import_page_links_both(self) -> None:
        page = self.get("import", "fr").content.decode()
        url = reverse("metrics:export_figures", args=[self.business.pk])
        self.assertIn(f'href="{url}?format=excel"', page)
        self.assertIn(f'href="{url}"', page)

    def test_the_excel_file_is_read_back_by_the_importer(self) -> None:
        text = self.get("export_figures", "fr", format="excel").content.decode("utf-8")
        Entry.objects.filter(business=self.business).delete()
        self.assertEqual(self.confirm(self.preview_url(self.upload(text))).status_code, 302)
        self.assertEqual(self.stored()["2024-01", "revenue"], Decimal("1234.5"))
        self.assertEqual(self.stored()["2024-02", "revenue_catering"], Decimal(200))
        self.assertEqual(len(self.stored()), 3 + 4 + 2)
