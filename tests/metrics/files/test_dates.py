"""Months and days in the ways spreadsheets write them, and the day/month order rule."""

from __future__ import annotations

from datetime import date

from django.test import SimpleTestCase

from metrics.files.dates import DayOrder, fold, month_words, read_day, read_month

OCTOBER = date(2026, 10, 1)


class MonthTests(SimpleTestCase):
    def test_every_way_of_writing_october_2026(self) -> None:
        texts = [
            "2026-10",
            "10/2026",
            "10.2026",
            "oct. 2026",
            "Oct 2026",
            "octobre 2026",
            "Octobre 2026",
            "okt 2026",
            "oktober 2026",
            "October 2026",
            "жовтень 2026",
            "жовтня 2026",
            "жовт. 2026",
            "Жовт 2026",
            "أكتوبر 2026",
            "اكتوبر 2026",
            "2026 oct.",
            "01/10/2026",
            "1 octobre 2026",
        ]
        for language in ("en", "fr", "nl", "ar", "uk"):
            for text in texts:
                with self.subTest(language=language, text=text):
                    self.assertEqual(read_month(text, language), OCTOBER)

    def test_abbreviations_with_and_without_the_dot(self) -> None:
        self.assertEqual(read_month("févr. 2026", "fr"), date(2026, 2, 1))
        self.assertEqual(read_month("fevr 2026", "fr"), date(2026, 2, 1))
        self.assertEqual(read_month("juil. 2026", "fr"), date(2026, 7, 1))
        self.assertEqual(read_month("juin 2026", "fr"), date(2026, 6, 1))
        self.assertEqual(read_month("mrt 2026", "nl"), date(2026, 3, 1))
        self.assertEqual(read_month("листопада 2026", "uk"), date(2026, 11, 1))

    def test_what_is_not_a_month(self) -> None:
        for text in ("13/2026", "2026-13", "foo 2026", "10/26", "octobre", "", "1850-01"):
            with self.subTest(text=text):
                self.assertIsNone(read_month(text, "fr"))

    def test_month_names_of_five_languages(self) -> None:
        words = month_words()
        self.assertEqual(words["octobre"], 10)
        self.assertEqual(words[fold("жовтень")], 10)
        self.assertEqual(words[fold("жовтня")], 10)
        self.assertEqual(words["mei"], 5)
        self.assertEqual(words["mai"], 5)


class DayOrderTests(SimpleTestCase):
    """The rule of the module docstring, case by case."""

    def test_year_first_is_always_year_month_day(self) -> None:
        self.assertEqual(read_day("2026-10-01", "en"), OCTOBER)
        self.assertEqual(read_day("2026/10/01", "fr"), OCTOBER)

    def test_day_first_in_french_dutch_arabic_ukrainian(self) -> None:
        for language in ("fr", "nl", "ar", "uk"):
            with self.subTest(language=language):
                self.assertEqual(read_day("01/10/2026", language), OCTOBER)
                self.assertEqual(read_day("1.10.2026", language), OCTOBER)
                # Month first is never guessed outside English, even where it is the only way.
                self.assertIsNone(read_day("10/25/2026", language))

    def test_english_reads_day_first_unless_the_numbers_prove_otherwise(self) -> None:
        self.assertEqual(read_day("01/10/2026", "en"), OCTOBER)
        self.assertEqual(read_day("25/10/2026", "en"), date(2026, 10, 25))
        self.assertEqual(read_day("10/25/2026", "en"), date(2026, 10, 25))

    def test_an_english_file_with_a_month_first_date_is_read_month_first(self) -> None:
        order = DayOrder.of(["10/25/2026", "10/01/2026"], "en")
        self.assertIs(order, DayOrder.MONTH_FIRST)
        self.assertEqual(read_day("10/01/2026", "en", order), OCTOBER)

    def test_a_file_with_both_is_day_first_and_refuses_the_other(self) -> None:
        order = DayOrder.of(["10/25/2026", "25/10/2026"], "en")
        self.assertIs(order, DayOrder.DAY_FIRST)
        self.assertIsNone(read_day("10/25/2026", "en", order))
        self.assertEqual(read_day("01/10/2026", "en", order), OCTOBER)

    def test_outside_english_a_file_never_turns_month_first(self) -> None:
        self.assertIs(DayOrder.of(["10/25/2026"], "fr"), DayOrder.DAY_FIRST)

    def test_named_days_and_times(self) -> None:
        self.assertEqual(read_day("1 octobre 2026", "fr"), OCTOBER)
        self.assertEqual(read_day("1 жовтня 2026", "uk"), OCTOBER)
        self.assertEqual(read_day("Oct 1, 2026", "en"), OCTOBER)
        self.assertEqual(read_day("01/10/2026 14:32", "fr"), OCTOBER)
        self.assertEqual(read_day("2026-10-01T14:32:05", "fr"), OCTOBER)

    def test_what_is_not_a_day(self) -> None:
        for text in ("31/02/2026", "1/10/26", "yesterday", "32/10/2026", "01/10/1850"):
            with self.subTest(text=text):
                self.assertIsNone(read_day(text, "fr"))
