"""Header rows in any enabled language become the header the readers know."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.test import SimpleTestCase
from django.utils import translation

from metrics.engine import FIGURES
from metrics.files.cells import MAX_COLUMNS, FileFormatError, Row
from metrics.files.csv import csv_rows, read_figures_rows
from metrics.files.headers import (
    IGNORE,
    NeedsMapping,
    figure_guesses,
    header_key,
    headers_signature,
    ledger_guesses,
    prepare_figures_rows,
    prepare_ledger_rows,
)
from metrics.files.ledger import read_transactions_rows


def label(code: str, language: str) -> str:
    with translation.override(language):
        return str(FIGURES[code].name)


class FigureHeaderTests(SimpleTestCase):
    def test_labels_in_every_language_and_codes_name_the_figure(self) -> None:
        for language in ("en", "fr", "nl", "ar", "uk"):
            names = ["month", label("revenue", language), label("visitors", language).upper()]
            with self.subTest(language=language):
                # The person reads in English: the labels of the other languages still count.
                self.assertEqual(
                    figure_guesses(names, FIGURES, "en"), ["month", "revenue", "visitors"]
                )
        self.assertEqual(figure_guesses(["Mois", "revenue"], FIGURES, "fr"), ["month", "revenue"])

    def test_a_unit_in_brackets_accents_and_spaces_do_not_matter(self) -> None:
        self.assertEqual(header_key("  Chiffre   d'affaires (€) :"), "chiffre d'affaires")
        self.assertEqual(header_key("Quantité"), "quantite")
        self.assertEqual(
            headers_signature(["Date", "Montant"]), headers_signature(["date", "montant "])
        )

    def test_french_labels_semicolons_octobre_and_decimal_commas(self) -> None:
        text = (
            f"Mois;{label('revenue', 'fr')};{label('visitors', 'fr')}\n"
            "octobre 2026;1 234,50;900\n"
            "01/11/2026;99,5;\n"
        )
        rows = prepare_figures_rows(csv_rows(text), FIGURES, language="fr")
        data, _warnings = read_figures_rows(rows, FIGURES)
        self.assertEqual(data.value(date(2026, 10, 1), "revenue"), Decimal("1234.50"))
        self.assertEqual(data.value(date(2026, 10, 1), "visitors"), Decimal(900))
        self.assertEqual(data.value(date(2026, 11, 1), "revenue"), Decimal("99.5"))
        self.assertIsNone(data.value(date(2026, 11, 1), "visitors"))

    def test_dutch_labels_in_the_long_form(self) -> None:
        text = f"maand;cijfer;waarde\nokt 2026;{label('orders', 'nl')};12\n"
        rows = prepare_figures_rows(csv_rows(text), FIGURES, language="nl")
        data, _warnings = read_figures_rows(rows, FIGURES)
        self.assertEqual(data.value(date(2026, 10, 1), "orders"), Decimal(12))

    def test_an_unknown_header_asks_for_a_mapping_with_guesses(self) -> None:
        text = "Periode,Ventes,Bezoekers\n2026-10,10,20\n"
        with self.assertRaises(NeedsMapping) as caught:
            prepare_figures_rows(csv_rows(text), FIGURES, language="fr")
        self.assertEqual(caught.exception.names, ["Periode", "Ventes", "Bezoekers"])
        self.assertEqual(caught.exception.guesses, ["month", IGNORE, "visitors"])

    def test_a_mapping_renames_and_drops_columns(self) -> None:
        rows: list[Row] = [(1, ["Ventes", "Notes", "Periode"]), (2, ["10", "hello", "10/2026"])]
        prepared = prepare_figures_rows(
            rows, FIGURES, language="fr", mapping=["orders", IGNORE, "month"]
        )
        self.assertEqual(prepared, [(1, ["month", "orders"]), (2, ["2026-10", "10"])])


class LedgerHeaderTests(SimpleTestCase):
    def test_words_in_every_language(self) -> None:
        self.assertEqual(
            ledger_guesses(["Datum", "Klant", "Bedrag (€)", "Aantal"]),
            ["date", "customer", "amount", "quantity"],
        )
        self.assertEqual(
            ledger_guesses(["التاريخ", "العميل", "المبلغ"]), ["date", "customer", "amount"]
        )
        self.assertEqual(ledger_guesses(["Дата", "Клієнт", "Сума", "Note"]), [
            "date", "customer", "amount", IGNORE
        ])  # fmt: skip

    def test_a_french_till_export(self) -> None:
        lines = csv_rows("Date;Client;Montant;Caisse\n01/10/2026;Samira;12,50;2\n")
        sales = read_transactions_rows(prepare_ledger_rows(lambda: lines, language="fr"))
        self.assertEqual([(s.day, s.customer, s.amount) for s in sales], [
            (date(2026, 10, 1), "Samira", Decimal("12.50"))
        ])  # fmt: skip

    def test_an_english_file_is_read_month_first_when_a_date_proves_it(self) -> None:
        lines = csv_rows("date,customer,amount\n10/01/2026,ann,1\n10/25/2026,ann,2\n")
        sales = read_transactions_rows(prepare_ledger_rows(lambda: lines, language="en"))
        self.assertEqual([sale.day for sale in sales], [date(2026, 10, 1), date(2026, 10, 25)])

    def test_without_the_needed_columns_a_mapping_is_asked(self) -> None:
        lines = csv_rows("when,who,paid\n2026-10-01,ann,1\n")
        with self.assertRaises(NeedsMapping) as caught:
            prepare_ledger_rows(lambda: lines, language="en")
        self.assertEqual(caught.exception.guesses, [IGNORE, IGNORE, IGNORE])
        rows = prepare_ledger_rows(
            lambda: lines, language="en", mapping=["date", "customer", "amount"]
        )
        self.assertEqual(read_transactions_rows(rows)[0].amount, Decimal(1))


class WideHeaderTests(SimpleTestCase):
    """A header too wide to read is refused before any name is matched or a mapping asked."""

    HEADER: Row = (1, ["Periode", *(f"col{index}" for index in range(MAX_COLUMNS))])

    def assert_refused(self, error: FileFormatError) -> None:
        self.assertNotIsInstance(error, NeedsMapping)
        self.assertEqual(len(error.errors), 1)
        self.assertEqual(error.errors[0].line, 1)
        self.assertIn(f"a file can have at most {MAX_COLUMNS}", error.errors[0].message)

    def test_a_figures_header_over_the_limit(self) -> None:
        with self.assertRaises(FileFormatError) as caught:
            prepare_figures_rows([self.HEADER, (2, ["2026-10"])], FIGURES, language="en")
        self.assert_refused(caught.exception)

    def test_a_ledger_header_over_the_limit(self) -> None:
        with self.assertRaises(FileFormatError) as caught:
            prepare_ledger_rows(lambda: iter([self.HEADER]), language="en")
        self.assert_refused(caught.exception)
