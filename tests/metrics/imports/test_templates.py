"""The template on each import page: the business's figures in the user's language, read back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from unittest import mock

from django.http import HttpResponse
from django.urls import reverse

from metrics.models.business import TrackedKpi
from tests.metrics.imports.test_figures_import import ImportTestCase, csv_file

BOM = "\ufeff"
NOW = date(2026, 11, 1)


class TemplateTests(ImportTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        TrackedKpi.objects.create(business=cls.business, kpi="conversion_rate", position=0)

    def get(self, name: str, language: str) -> HttpResponse:
        self.alice.language = language
        self.alice.save(update_fields=["language"])
        with mock.patch("metrics.imports.downloads.current_month", return_value=NOW):
            return self.client.get(reverse(f"metrics:{name}", args=[self.business.pk]))

    def test_the_figures_template_in_french(self) -> None:
        response = self.get("import_template", "fr")
        self.assertEqual(
            response["Content-Disposition"],
            'attachment; filename="amals-kitchen-figures-template.csv"',
        )
        self.assertEqual(
            response.content.decode("utf-8"),
            f"{BOM}mois;Visiteurs;Commandes;Catering revenue\r\n"
            "2026-09;;;\r\n2026-10;;;\r\n2026-11;;;\r\n",
        )

    def test_the_figures_template_in_english_and_arabic(self) -> None:
        self.assertEqual(
            self.get("import_template", "en").content.decode("utf-8").split("\r\n")[0],
            f"{BOM}month,Visitors,Orders,Catering revenue",
        )
        self.assertEqual(
            self.get("import_template", "ar").content.decode("utf-8").split("\r\n")[0],
            f"{BOM}الشهر;الزوار;الطلبات;Catering revenue",
        )

    def test_the_filled_template_is_read_back(self) -> None:
        for language in ("fr", "nl", "ar", "uk", "en"):
            with self.subTest(language=language):
                text = self.get("import_template", language).content.decode("utf-8")
                comma = language != "en"
                filled = text.replace(
                    "2026-10;;;" if comma else "2026-10,,,",
                    "2026-10;1 200;30;99,50" if comma else '2026-10,"1,200",30,99.50',
                )
                upload = self.client.post(
                    self.import_url, {"file": csv_file(filled), "decimal": "detect"}
                )
                self.confirm(self.preview_url(upload))
                self.assertEqual(
                    self.stored(),
                    {
                        ("2026-10", "visitors"): Decimal(1200),
                        ("2026-10", "orders"): Decimal(30),
                        ("2026-10", "revenue_catering"): Decimal("99.5"),
                    },
                )

    def test_the_ledger_template_in_dutch_and_ukrainian(self) -> None:
        self.assertEqual(
            self.get("ledger_template", "nl").content.decode("utf-8"),
            f"{BOM}datum;klant;bedrag;aantal\r\n",
        )
        self.assertEqual(
            self.get("ledger_template", "uk").content.decode("utf-8"),
            f"{BOM}дата;клієнт;сума;кількість\r\n",
        )

    def test_the_filled_ledger_template_is_read_back(self) -> None:
        text = self.get("ledger_template", "fr").content.decode("utf-8")
        text += "01/10/2026;Samira;12,50;2\r\n"
        url = reverse("metrics:ledger_import", args=[self.business.pk])
        upload = self.client.post(url, {"file": csv_file(text), "decimal": "detect"})
        self.confirm(self.preview_url(upload))
        self.assertEqual(self.stored()["2026-10", "revenue"], Decimal("12.5"))
        self.assertEqual(self.stored()["2026-10", "units_sold"], Decimal(2))

    def test_the_import_pages_link_their_template(self) -> None:
        page = self.get("import", "fr")
        self.assertContains(page, reverse("metrics:import_template", args=[self.business.pk]))
        page = self.get("ledger_import", "fr")
        self.assertContains(page, reverse("metrics:ledger_template", args=[self.business.pk]))

    def test_a_stranger_gets_no_template(self) -> None:
        self.client.force_login(self.charlie)
        for name in ("import_template", "ledger_template"):
            with self.subTest(name=name):
                url = reverse(f"metrics:{name}", args=[self.business.pk])
                self.assertEqual(self.client.get(url).status_code, 404)
