"""Sales lists summed as they stream: the quick number path, bounded problems, orders, returns."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from metrics.files.cells import MAX_KEPT_ERRORS, FileFormatError, InputError, Row
from metrics.files.csv import csv_rows, iter_csv_rows
from metrics.files.file_numbers import StreamedNumbers
from metrics.files.headers import ledger_guesses, prepare_ledger_rows
from metrics.files.ledger import (
    derive_figures,
    read_transactions_csv,
    summarise_sales,
)
from metrics.files.numbers import NotANumber, Shape, scan
from metrics.imports.forms import file_errors


def summary(text: str, decimal: str | None = None):  # type: ignore[no-untyped-def]
    return summarise_sales(iter_csv_rows(text), decimal)  # type: ignore[arg-type]


# -- the quick number path reads as scan does -----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "12", "012", "0", "12.5", "12,50", "0.5", "1.000", "1,000", "999,999", "0,123",
        "1234,567", "1.2345", "12.345", "123.456", "1 234,50", "1.234,56", "-12.5", "€12",
        " 7 ", "١٢٫٥", "1,234.5", "1.234.567",
    ],
)  # fmt: skip
def test_streamed_numbers_read_every_text_as_scan_does(text: str) -> None:
    typed = scan(text)
    errors: list[InputError] = []
    both = StreamedNumbers(None).read(2, text, errors)
    assert errors == []
    assert both == (typed.shape, typed.value("."), typed.value(","))


def test_streamed_numbers_read_a_repeated_text_once_and_keep_its_first_line() -> None:
    numbers = StreamedNumbers(None)
    errors: list[InputError] = []
    for line, text in enumerate(["3", "1,5", "1,5", "2.5"], start=2):
        numbers.read(line, text, errors)
    assert numbers.first == {Shape.COMMA: (3, "1,5"), Shape.POINT: (5, "2.5")}
    assert numbers.decide(errors) is None
    assert [error.line for error in errors] == [5]
    assert set(numbers.known) == {"3", "1,5", "2.5"}


def test_a_wrong_separator_is_an_error_on_every_line_not_only_the_first() -> None:
    numbers = StreamedNumbers("point")
    errors: list[InputError] = []
    for line in (2, 3):
        numbers.read(line, "1,5", errors)
    assert [error.line for error in errors] == [2, 3]
    assert numbers.decide(errors) is None


def test_not_a_number() -> None:
    with pytest.raises(NotANumber):
        scan("abc")
    errors: list[InputError] = []
    assert StreamedNumbers(None).read(4, "abc", errors) is None
    assert errors[0].line == 4


# -- streaming -----------------------------------------------------------------------------


def test_csv_rows_stream_and_the_unreadable_lines_come_at_the_end() -> None:
    # A cell over the csv module's field limit (128 KiB) is a line it cannot read.
    huge = "x" * 200_000
    rows = iter_csv_rows(f"date,customer,amount\n2025-01-01,a,1\n2025-01-02,{huge},2\n")
    assert next(rows) == (1, ["date", "customer", "amount"])
    assert next(rows) == (2, ["2025-01-01", "a", "1"])
    with pytest.raises(FileFormatError) as caught:
        list(rows)
    assert caught.value.errors[0].line == 3
    assert caught.value.errors[0].message.startswith("This line cannot be read as CSV")


def test_a_file_of_many_bad_lines_keeps_the_first_problems_and_counts_the_rest() -> None:
    bad = 1000
    text = "date,customer,amount\n" + "".join(f"2025-01-01,c{n},abc\n" for n in range(bad))
    with pytest.raises(FileFormatError) as caught:
        summary(text)
    error = caught.value
    assert len(error.errors) == MAX_KEPT_ERRORS
    assert error.more == bad - MAX_KEPT_ERRORS
    assert error.errors[0].line == 2
    shown = file_errors(error)
    assert len(shown) == 26
    assert shown[-1] == "… and 975 more problems."


def test_the_sum_of_a_stream_is_the_sum_of_the_sales() -> None:
    text = (
        "date,customer,amount,quantity\n"
        "2025-02-03,bob,15,\n"
        "2025-01-05,alice,10,2\n"
        "2025-01-09,bob,20,\n"
        "2025-03-01,carol,1.5,\n"
    )
    summed = summary(text)
    assert summed.figures == derive_figures(read_transactions_csv(text))
    assert (summed.sales, summed.returned) == (4, 0)
    assert (summed.first_day, summed.last_day) == (date(2025, 1, 5), date(2025, 3, 1))
    # The first line of each month in the file, for messages about the month.
    assert summed.month_lines == {date(2025, 2, 1): 2, date(2025, 1, 1): 3, date(2025, 3, 1): 5}


def test_an_ambiguous_amount_is_summed_both_ways_until_the_separator_is_known() -> None:
    text = "date;customer;amount;quantity\n2025-01-01;a;1,500;1\n2025-01-02;b;2,25;1,000\n"
    # 2,25 settles it: a decimal comma, so 1,500 is 1.5 and the quantity 1,000 is 1.
    summed = summary(text)
    assert summed.figures[date(2025, 1, 1)]["revenue"] == Decimal("3.75")
    assert summed.figures[date(2025, 1, 1)]["units_sold"] == Decimal(2)
    with_point = summary(text.replace("2,25", "2.25"), "point")
    assert with_point.figures[date(2025, 1, 1)]["revenue"] == Decimal("1502.25")
    assert with_point.figures[date(2025, 1, 1)]["units_sold"] == Decimal(1001)


def test_a_quantity_that_is_whole_one_way_only_is_refused_the_other_way() -> None:
    text = "date;customer;amount;quantity\n2025-01-01;a;2;1,500\n"
    assert summary(text, "point").figures[date(2025, 1, 1)]["units_sold"] == Decimal(1500)
    with pytest.raises(FileFormatError) as caught:
        summary(text, "comma")
    assert [(e.line, e.message) for e in caught.value.errors] == [
        (2, "The quantity “1,500” must be a whole number of 0 or more")
    ]


# -- order ids and returned sales, worked out by hand -------------------------------------

LEDGER = """date,customer,amount,quantity,order,returned
2025-01-05,alice,10,2,A1,
2025-01-05,alice,5,1,A1,
2025-01-09,bob,20,,B1,
2025-01-20,carol,7,1,C1,yes
2025-02-03,bob,15,,,
2025-02-03,bob,4,,,
2025-02-14,carol,30,3,C2,non
2025-02-15,dave,8,1,D1,oui
"""


def test_orders_are_distinct_order_ids_and_returned_sales_are_left_out() -> None:
    summed = summary(LEDGER)
    assert (summed.sales, summed.returned) == (6, 2)
    assert (summed.first_day, summed.last_day) == (date(2025, 1, 5), date(2025, 2, 14))
    # January: alice's two lines are order A1, bob's is B1; carol's sale came back. Revenue
    # 10 + 5 + 20; units 2 + 1 + 1 (no quantity is one unit); carol has not bought yet.
    assert summed.figures[date(2025, 1, 1)] == {
        "revenue": 35,
        "orders": 2,
        "units_sold": 4,
        "customers_end": 2,
        "new_customers": 2,
    }
    # February: bob's two lines have no order id, so two orders, and carol's C2 makes three;
    # dave's sale came back ("oui"), carol's "non" did not. Carol is new now; alice is lost.
    assert summed.figures[date(2025, 2, 1)] == {
        "revenue": 49,
        "orders": 3,
        "units_sold": 5,
        "customers_end": 2,
        "new_customers": 1,
        "customers_start": 2,
        "customers_lost": 1,
    }


def test_the_command_line_reader_counts_orders_the_same_way() -> None:
    assert derive_figures(read_transactions_csv(LEDGER)) == summary(LEDGER).figures
    assert read_transactions_csv(LEDGER)[0].order == "A1"


@pytest.mark.parametrize("word", ["yes", "YES", "1", "x", "true", "oui", "ja", "نعم", "так", "✓"])
def test_yes_in_every_language_marks_a_return(word: str) -> None:
    text = f"date,customer,amount,returned\n2025-01-01,a,5,{word}\n2025-01-02,b,7,\n"
    summed = summary(text)
    assert summed.figures[date(2025, 1, 1)]["revenue"] == 7
    assert summed.returned == 1


@pytest.mark.parametrize("word", ["", "no", "0", "non", "nee", "لا", "ні", "false"])
def test_no_or_nothing_is_a_sale(word: str) -> None:
    text = f"date,customer,amount,returned\n2025-01-01,a,5,{word}\n"
    assert summary(text).figures[date(2025, 1, 1)]["revenue"] == 5


def test_another_word_in_the_returned_column_is_a_problem_of_its_line() -> None:
    text = "date,customer,amount,returned\n2025-01-01,a,5,\n2025-01-02,b,5,maybe\n"
    with pytest.raises(FileFormatError) as caught:
        summary(text)
    assert [(e.line, e.message) for e in caught.value.errors] == [
        (
            3,
            "“maybe” does not say whether the sale was returned: write yes (or 1, x) for a "
            "returned sale and leave the cell empty for the others",
        )
    ]


def test_a_file_where_every_sale_came_back_has_nothing_to_import() -> None:
    with pytest.raises(FileFormatError) as caught:
        summary("date,customer,amount,returned\n2025-01-01,a,5,x\n")
    assert caught.value.errors[0].message == (
        "Every sale in the file is marked returned: there is nothing to import"
    )


def test_order_and_returned_headers_are_recognised_in_other_languages() -> None:
    assert ledger_guesses(["Date", "Client", "Montant", "N° de commande", "Retourné"]) == [
        "date",
        "customer",
        "amount",
        "order",
        "returned",
    ]
    assert ledger_guesses(["datum", "klant", "bedrag", "bestelling", "geretourneerd"])[3:] == [
        "order",
        "returned",
    ]
    with translation.override("fr"):
        lines = csv_rows("Date;Client;Montant;Commande;Retour\n01/10/2026;Samira;12,50;T1;oui\n")
        rows = list(prepare_ledger_rows(lambda: lines, language="fr"))
    assert rows[0] == (1, ["date", "customer", "amount", "order", "returned"])
    assert rows[1] == (2, [date(2026, 10, 1), "Samira", "12,50", "T1", "oui"])


def test_an_english_file_is_read_twice_only_when_a_date_needs_the_files_order() -> None:
    def counted(text: str) -> tuple[list[int], Callable[[], Iterator[Row]]]:
        calls: list[int] = []

        def read() -> Iterator[Row]:
            calls.append(1)
            return iter_csv_rows(text)

        return calls, read

    calls, read = counted("date,customer,amount\n2026-10-01,ann,1\n2026-10-25,bob,2\n")
    assert len(list(prepare_ledger_rows(read, language="en"))) == 3
    assert len(calls) == 1
    # 10/01/2026 could be either; 10/25/2026 on the last line settles it: month first.
    calls, read = counted(
        "date,customer,amount\n2026-10-02,ann,1\n10/01/2026,ann,1\n10/25/2026,b,2\n"
    )
    rows = list(prepare_ledger_rows(read, language="en"))
    assert len(calls) == 2
    assert [row[1][0] for row in rows[1:]] == [
        date(2026, 10, 2),
        date(2026, 10, 1),
        date(2026, 10, 25),
    ]


def test_a_long_figures_file_of_repeats_keeps_the_first_problems_and_counts_the_rest() -> None:
    from metrics.files.csv import read_figures_csv

    # 12 months, then the same 12 months 50 times more: 600 repeats, each its own problem,
    # plus 3 lines of an unknown figure (one problem each). 200 are kept; 603 − 200 = 403 counted.
    lines = [f"2025-{month:02d},revenue,{month}" for month in range(1, 13)]
    text = "month,figure,value\n" + "\n".join(lines * 51) + "\n2025-01,sales,1" * 3
    with pytest.raises(FileFormatError) as caught:
        read_figures_csv(text, {"revenue"})
    error = caught.value
    assert len(error.errors) == MAX_KEPT_ERRORS
    assert error.more == 603 - MAX_KEPT_ERRORS
    # Line 14 is the first repeat (the header is line 1): January, first on line 2.
    assert error.errors[0].line == 14
    assert error.errors[0].message == "revenue for 2025-01 is already on line 2"
