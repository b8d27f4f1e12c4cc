"""Bringing their own spreadsheet: labels in any language, local months and days, mapped columns."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpResponse
from django.urls import reverse

from metrics.models.imports import ImportMapping
from tests.metrics.imports.test_figures_import import ImportTestCase, csv_file


def nbsp(text: str) -> str:
    """French text as the catalogue writes it: a no-break space inside « » and before : ; ?"""
    for plain, tied in ((" :", "\u00a0:"), (" ;", "\u00a0;"), ("« ", "«\u00a0"), (" »", "\u00a0»")):
        text = text.replace(plain, tied)
    return text


class OwnSpreadsheetTestCase(ImportTestCase):
    def speak(self, language: str) -> None:
        self.alice.language = language
        self.alice.save(update_fields=["language"])

    def send(self, url_name: str, text: str, name: str = "sheet.csv") -> HttpResponse:
        url = reverse(f"metrics:{url_name}", args=[self.business.pk])
        return self.client.post(url, {"file": csv_file(text, name), "decimal": "detect"})

    def errors(self, response: HttpResponse) -> list[str]:
        self.assertEqual(response.status_code, 200)
        return list(response.context["form"].errors["file"])


class FiguresInTheirLanguageTests(OwnSpreadsheetTestCase):
    def test_french_labels_semicolons_and_decimal_commas(self) -> None:
        self.speak("fr")
        text = (
            "Mois;Chiffre d'affaires;Visiteurs;Commandes\n"
            "octobre 2026;1 234,50;900;45\n"
            "01/09/2026;980,25;;40\n"
        )
        self.confirm(self.preview_url(self.send("import", text)))
        self.assertEqual(
            self.stored(),
            {
                ("2026-10", "revenue"): Decimal("1234.50"),
                ("2026-10", "visitors"): Decimal(900),
                ("2026-10", "orders"): Decimal(45),
                ("2026-09", "revenue"): Decimal("980.25"),
                ("2026-09", "orders"): Decimal(40),
            },
        )

    def test_dutch_labels_read_by_an_english_reader(self) -> None:
        text = "maand;Omzet;Bezoekers\nokt 2026;2.500,00;1.200\n"
        self.confirm(self.preview_url(self.send("import", text)))
        self.assertEqual(
            self.stored(),
            {("2026-10", "revenue"): Decimal(2500), ("2026-10", "visitors"): Decimal(1200)},
        )

    def test_octobre_and_the_first_of_october_are_the_same_month(self) -> None:
        self.speak("fr")
        url = self.preview_url(self.send("import", "mois;Commandes\noctobre 2026;3\n"))
        self.assertEqual(self.client.get(url).context["preview"].months[0].month.month, 10)
        response = self.send("import", "mois;Commandes\noctobre 2026;3\n01/10/2026;4\n")
        self.assertEqual(
            self.errors(response), [nbsp("Ligne 3 : Le mois 2026-10 figure déjà à la ligne 2")]
        )

    def test_a_custom_figure_by_its_name(self) -> None:
        self.confirm(self.preview_url(self.send("import", "Month,Catering revenue\n2026-10,80\n")))
        self.assertEqual(self.stored(), {("2026-10", "revenue_catering"): Decimal(80)})


class ErrorsInTheirLanguageTests(OwnSpreadsheetTestCase):
    def test_each_bad_line_in_french(self) -> None:
        self.speak("fr")
        text = "Mois;Visiteurs\noctobre 2026;dix\nnovembre 2026;12\n"
        self.assertEqual(
            self.errors(self.send("import", text)),
            [
                nbsp(
                    "Ligne 2 : « dix » n’est pas un nombre ; écrivez des chiffres avec un point "
                    "ou une virgule pour les décimales, sans lettres ni exposants"
                )
            ],
        )

    def test_each_bad_line_in_arabic(self) -> None:
        self.speak("ar")
        text = "التاريخ;العميل;المبلغ\n01/10/2026;سمير;12,50\n32/10/2026;سمير;5\n"
        self.assertEqual(
            self.errors(self.send("ledger_import", text)),
            ["السطر 3: «32/10/2026» ليس تاريخًا؛ اكتبه بالشكل YYYY-MM-DD، مثل 2025-03-31"],
        )

    def test_a_month_first_date_is_refused_outside_english(self) -> None:
        self.speak("fr")
        text = "date;client;montant\n10/25/2026;ann;5\n"
        self.assertEqual(
            self.errors(self.send("ledger_import", text)),
            [
                nbsp(
                    "Ligne 2 : « 10/25/2026 » n’est pas une date ; écrivez-la sous la forme "
                    "AAAA-MM-JJ, par exemple 2025-03-31"
                )
            ],
        )


class MappedColumnsTests(OwnSpreadsheetTestCase):
    TILL = "Quand,Ticket,Qui,Payé,Caisse\n01/10/2026,T1,Samira,12.50,A\n02/10/2026,T2,Omar,7.50,B\n"

    def map_till(self) -> HttpResponse:
        response = self.send("ledger_import", self.TILL)
        self.assertIn("/import/ledger/columns/", response["Location"])
        page = self.client.get(response["Location"])
        self.assertContains(page, "Column 1: “Quand”")
        self.assertContains(page, "First value: 01/10/2026")
        return self.client.post(
            response["Location"],
            {
                "column-0": "date",
                "column-1": "",
                "column-2": "customer",
                "column-3": "amount",
                "column-4": "",
            },
        )

    def test_an_unknown_ledger_header_is_mapped_then_remembered(self) -> None:
        self.confirm(self.preview_url(self.map_till()))
        self.assertEqual(self.stored()["2026-10", "revenue"], Decimal(20))
        self.assertEqual(self.stored()["2026-10", "customers_end"], Decimal(2))
        remembered = ImportMapping.objects.get(business=self.business)
        self.assertEqual(remembered.mapping, ["date", "", "customer", "amount", ""])
        # The next file with the same header row goes straight to the preview.
        again = self.send("ledger_import", self.TILL.replace("12.50", "22.50").upper())
        self.assertIn("/import/ledger/", again["Location"])
        self.assertNotIn("/columns/", again["Location"])

    def test_a_header_with_a_nul_is_mapped_and_remembered(self) -> None:
        # PostgreSQL refused the header row with its NUL: saving the mapping was a 500.
        response = self.send("ledger_import", self.TILL.replace("Quand", "Quand\x00"))
        self.assertIn("/import/ledger/columns/", response["Location"])
        mapping = ["date", "", "customer", "amount", ""]
        sent = {f"column-{index}": target for index, target in enumerate(mapping)}
        self.confirm(self.preview_url(self.client.post(response["Location"], sent)))
        self.assertEqual(self.stored()["2026-10", "revenue"], Decimal(20))
        remembered = ImportMapping.objects.get(business=self.business)
        self.assertEqual(remembered.headers, ["Quand\ufffd", "Ticket", "Qui", "Payé", "Caisse"])
        self.assertEqual(remembered.mapping, mapping)

    def test_an_unknown_figures_header_is_mapped_then_remembered(self) -> None:
        text = "Periode,Ventes,Notes\n2026-10,12,calm month\n"
        response = self.send("import", text)
        self.assertIn("/import/columns/", response["Location"])
        mapped = self.client.post(
            response["Location"], {"column-0": "month", "column-1": "orders", "column-2": ""}
        )
        self.confirm(self.preview_url(mapped))
        self.assertEqual(self.stored(), {("2026-10", "orders"): Decimal(12)})
        next_month = self.send("import", "PERIODE,ventes,notes\n2026-11,15,\n")
        self.assertNotIn("/columns/", next_month["Location"])
        self.confirm(self.preview_url(next_month))
        self.assertEqual(self.stored()["2026-11", "orders"], Decimal(15))

    def test_a_mapped_file_waits_outside_the_session_then_keeps_only_its_figures(self) -> None:
        key = f"figures_import:{self.business.pk}"
        text = "Periode,Ventes,Notes\n2026-09,11,\n2026-10,12,calm month\n"
        response = self.send("import", text)
        # Until the columns are chosen the upload waits in the cache, not in the session.
        self.assertNotIn(key, self.client.session)
        self.assertNotIn(text, str(dict(self.client.session)))
        mapped = self.client.post(
            response["Location"], {"column-0": "month", "column-1": "orders", "column-2": ""}
        )
        self.preview_url(mapped)
        kept = self.client.session[key]
        self.assertEqual(
            kept["figures"], {"2026-09": {"orders": "11"}, "2026-10": {"orders": "12"}}
        )
        self.assertIs(kept["sheet"], False)
        # The lines are the file's own, read through the mapping.
        self.assertEqual(kept["lines"]["2026-10 orders"], 3)
        self.assertNotIn("calm month", str(kept))
        self.assertNotIn("text", kept)

    def test_a_french_file_in_doubt_keeps_both_readings(self) -> None:
        self.speak("fr")
        url = self.preview_url(self.send("import", "Mois;Chiffre d'affaires\noctobre 2026;1,234\n"))
        kept = self.client.session[f"figures_import:{self.business.pk}"]
        self.assertEqual(
            kept["choices"],
            {
                "point": {"figures": {"2026-10": {"revenue": "1234"}}},
                "comma": {"figures": {"2026-10": {"revenue": "1.234"}}},
            },
        )
        self.client.post(url, {"decimal": "point"})
        self.confirm(url)
        self.assertEqual(self.stored(), {("2026-10", "revenue"): Decimal(1234)})

    def test_a_mapping_without_the_needed_columns_says_so_and_keeps_the_choices(self) -> None:
        self.speak("fr")
        response = self.send("ledger_import", self.TILL)
        page = self.client.post(
            response["Location"], {"column-0": "date", "column-2": "date", "column-3": "amount"}
        )
        self.assertEqual(page.status_code, 200)
        self.assertEqual(
            page.context["form"].non_field_errors(),
            [
                nbsp("Deux colonnes sont « Date de la vente » ; choisissez-en une."),
                "Choisissez la colonne du client.",
            ],
        )
        self.assertEqual(page.context["form"]["column-3"].value(), "amount")
        self.assertFalse(ImportMapping.objects.exists())

    def test_a_mapped_file_with_a_bad_line_lists_it_and_keeps_the_mapping(self) -> None:
        response = self.send("ledger_import", self.TILL.replace("7.50", "seven"))
        page = self.client.post(
            response["Location"],
            {"column-0": "date", "column-2": "customer", "column-3": "amount"},
        )
        self.assertEqual(
            page.context["problems"],
            [
                "Line 3: “seven” is not a number; write digits with a decimal point or a "
                "decimal comma, without letters or exponents"
            ],
        )
        self.assertTrue(ImportMapping.objects.filter(business=self.business).exists())

    def test_a_lost_upload_sends_back_to_the_upload_page(self) -> None:
        url = reverse("metrics:import_columns", args=[self.business.pk, "no-such-upload-0000000"])
        response = self.client.get(url)
        self.assertRedirects(
            response, reverse("metrics:import", args=[self.business.pk]), target_status_code=200
        )

    def test_a_mentor_cannot_map_columns(self) -> None:
        response = self.send("ledger_import", self.TILL)
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(response["Location"]).status_code, 403)


class OrderAndReturnedColumnsTests(OwnSpreadsheetTestCase):
    # Ticket T1 has two lines (12.50 and 7.50), T2 one (30); T3 (5) came back.
    TILL = (
        "Quand,Ticket,Qui,Payé,Rendu\n"
        "01/10/2026,T1,Samira,12.50,\n"
        "01/10/2026,T1,Samira,7.50,\n"
        "02/10/2026,T2,Omar,30,\n"
        "03/10/2026,T3,Lina,5,oui\n"
    )
    MAPPING = {
        "column-0": "date",
        "column-1": "order",
        "column-2": "customer",
        "column-3": "amount",
        "column-4": "returned",
    }

    def test_the_mapping_step_offers_order_and_returned_and_says_the_rule(self) -> None:
        response = self.send("ledger_import", self.TILL)
        page = self.client.get(response["Location"])
        choices = dict(page.context["form"].fields["column-1"].choices)
        self.assertEqual(choices["order"], "Order id (several lines of one order)")
        self.assertEqual(choices["returned"], "Returned (yes when the sale was given back)")
        self.assertContains(page, "the lines of one order count as one order")
        self.assertContains(page, "is left out of the revenue, orders, units and customers")

    def test_orders_and_returns_worked_out_by_hand_and_the_mapping_remembered(self) -> None:
        response = self.send("ledger_import", self.TILL)
        preview = self.preview_url(self.client.post(response["Location"], self.MAPPING))
        self.assertContains(self.client.get(preview), "1 sale marked returned is left out.")
        self.confirm(preview)
        october = {code: value for (month, code), value in self.stored().items()}
        # Revenue 12.50 + 7.50 + 30 = 50; orders T1 and T2 = 2; a unit per line = 3; Lina's
        # only sale came back, so she is no customer: Samira and Omar are.
        self.assertEqual(october["revenue"], Decimal(50))
        self.assertEqual(october["orders"], Decimal(2))
        self.assertEqual(october["units_sold"], Decimal(3))
        self.assertEqual(october["customers_end"], Decimal(2))
        remembered = ImportMapping.objects.get(business=self.business, kind="ledger")
        self.assertEqual(remembered.mapping, ["date", "order", "customer", "amount", "returned"])
        again = self.send("ledger_import", self.TILL.replace("oui", ""))
        self.assertNotIn("/columns/", again["Location"])
        page = self.client.get(again["Location"])
        self.assertEqual(page.context["ledger"]["returned"], 0)
