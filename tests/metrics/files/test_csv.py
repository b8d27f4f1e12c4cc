"""Figures, transactions and results files: good files read right, bad files say where and why."""

from __future__ import annotations

from decimal import Decimal

import pytest

from metrics.engine import FIGURES, Engine, KpiResult, MonthlyFigures, Reason, ReasonKind, period_of
from metrics.files.cells import FileFormatError, InputError, format_decimal
from metrics.files.csv import (
    decode_csv_bytes,
    read_figures_csv,
    write_figures_csv,
    write_results_csv,
)
from metrics.files.ledger import Transaction, derive_figures, read_transactions_csv
from tests.metrics.engine.factories import figures, month, month_period

KNOWN = list(FIGURES)


def read(text: str, decimal: str | None = None) -> MonthlyFigures:
    data, warnings = read_figures_csv(text, KNOWN, decimal)  # type: ignore[arg-type]
    assert warnings == []
    return data


def problems(text: str, decimal: str | None = None) -> list[tuple[int, str]]:
    with pytest.raises(FileFormatError) as caught:
        read_figures_csv(text, KNOWN, decimal)  # type: ignore[arg-type]
    return [(error.line, error.message) for error in caught.value.errors]


def d(value: str) -> Decimal:
    return Decimal(value)


# -- figures files that read well -------------------------------------------------------------


def test_wide_with_commas() -> None:
    data = read("month,visitors,orders,revenue\n2025-01,50,5,1200.50\n2025-02,1000,,\n")
    assert data == figures(
        {
            month(2025, 1): {"visitors": 50, "orders": 5, "revenue": "1200.50"},
            month(2025, 2): {"visitors": 1000},
        }
    )


def test_wide_with_semicolons_and_decimal_commas() -> None:
    data = read("month;revenue;cost_of_sales\n2025-01;1.234,56;12,5\n2025-02;-250,5;0\n")
    assert data[month(2025, 1)] == {"revenue": d("1234.56"), "cost_of_sales": d("12.5")}
    assert data[month(2025, 2)] == {"revenue": d("-250.5"), "cost_of_sales": d("0")}


def test_byte_order_mark_and_windows_line_endings() -> None:
    data = read("\ufeffmonth,revenue\r\n2025-01,10\r\n\r\n2025-02,20\r\n")
    assert [data.value(m, "revenue") for m in data] == [10, 20]


def test_long_layout() -> None:
    data = read(
        "month,figure,value\n2025-01,revenue,100\n2025-01,orders,4\n2025-02,revenue,\n2025-02,visitors,9\n"
    )
    assert data == figures(
        {month(2025, 1): {"revenue": 100, "orders": 4}, month(2025, 2): {"visitors": 9}}
    )


def test_long_layout_with_semicolons_and_decimal_commas() -> None:
    data = read("Month;Figure;Value\n2025-03;revenue;1.234,5\n2025-03;cost_of_sales;99,95\n")
    assert data[month(2025, 3)] == {"revenue": d("1234.5"), "cost_of_sales": d("99.95")}


def test_header_names_are_not_case_sensitive() -> None:
    assert read("Month,Revenue\n2025-01,5\n").value(month(2025, 1), "revenue") == 5


def test_empty_rows_keep_their_month() -> None:
    data = read("month,revenue\n2025-01,\n2025-02,3\n")
    assert list(data) == [month(2025, 1), month(2025, 2)]
    assert data[month(2025, 1)] == {}


def test_quoted_cells_may_hold_the_separator() -> None:
    data = read('month,revenue,orders\n2025-01,"12,5",3\n')
    assert data.value(month(2025, 1), "revenue") == d("12.5")


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("1234", "1234"),
        ("-12", "-12"),
        ("0.5", "0.5"),
        ('"1,234.56"', "1234.56"),
        ('"1,234,567"', "1234567"),
        ("1 234.5", "1234.5"),
        ("1\u00a0234", "1234"),
        ("€12.50", "12.50"),
        ("12.50 €", "12.50"),
        ("-€5.5", "-5.5"),
        ("£ 1.25", "1.25"),
    ],
)
def test_numbers_with_a_decimal_point(cell: str, value: str) -> None:
    data = read(f"month,revenue,orders\n2025-01,{cell},1.5\n")
    assert data.value(month(2025, 1), "revenue") == d(value)


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("1,5", "1.5"),
        ("12,34", "12.34"),
        ("0,123", "0.123"),
        ("1234,567", "1234.567"),
        ("1.234,56", "1234.56"),
        ("1.234.567", "1234567"),
        ("1 234,5", "1234.5"),
        ("1\u202f234,5", "1234.5"),
        ("-1.234,5 €", "-1234.5"),
    ],
)
def test_numbers_with_a_decimal_comma(cell: str, value: str) -> None:
    data = read(f"month;revenue;orders\n2025-01;{cell};2,5\n")
    assert data.value(month(2025, 1), "revenue") == d(value)


def test_ambiguous_cells_follow_the_files_other_cells() -> None:
    # 12,5 proves a decimal comma, so 1.234 is one thousand two hundred and thirty-four.
    data = read("month;revenue;orders\n2025-01;1.234;12,5\n")
    assert data.value(month(2025, 1), "revenue") == 1234
    # 0.5 proves a decimal point, so "1,234" has a thousands separator.
    data = read('month,revenue,orders\n2025-01,"1,234",0.5\n')
    assert data.value(month(2025, 1), "revenue") == 1234


@pytest.mark.parametrize(("decimal", "value"), [("point", "1234"), ("comma", "1.234")])
def test_ambiguous_cells_follow_the_option(decimal: str, value: str) -> None:
    data = read("month;revenue\n2025-01;1,234\n2025-02;7\n", decimal)
    assert data.value(month(2025, 1), "revenue") == d(value)


def test_unnamed_empty_column_at_the_end_is_ignored_with_a_warning() -> None:
    data, warnings = read_figures_csv("month;revenue;;\n2025-01;5;;\n", KNOWN)
    assert data.value(month(2025, 1), "revenue") == 5
    assert warnings == []  # trailing empty header cells are a spreadsheet habit, not a column
    data, warnings = read_figures_csv("month;;revenue\n2025-01;;5\n", KNOWN)
    assert data.value(month(2025, 1), "revenue") == 5
    assert warnings == [InputError(1, "Column 2 has no name and no values; it was ignored")]


def test_custom_figure_codes_are_known_when_passed() -> None:
    data, _warnings = read_figures_csv(
        "month,revenue_catering\n2025-01,5\n", [*KNOWN, "revenue_catering"]
    )
    assert data.value(month(2025, 1), "revenue_catering") == 5


# -- figures files with problems ---------------------------------------------------------------


def test_unknown_code_suggests_the_closest() -> None:
    assert problems("month,revenue,vistors\n2025-01,1,2\n") == [
        (1, "Unknown figure code “vistors” — did you mean “visitors”?")
    ]
    assert problems("month,figure,value\n2025-01,xyzzy,2\n") == [(2, "Unknown figure code “xyzzy”")]


def test_malformed_month() -> None:
    assert problems("month,revenue\n2025-01,1\n2025-13,2\n03/2025,3\n") == [
        (3, "“2025-13” is not a month; write it as YYYY-MM, for example 2025-03"),
        (4, "“03/2025” is not a month; write it as YYYY-MM, for example 2025-03"),
    ]


def test_duplicate_month() -> None:
    assert problems("month,revenue\n2025-01,1\n2025-02,2\n2025-01,3\n") == [
        (4, "The month 2025-01 is already on line 2")
    ]


def test_duplicate_month_and_figure_in_the_long_layout() -> None:
    text = "month,figure,value\n2025-01,revenue,1\n2025-01,orders,1\n2025-01,revenue,2\n"
    assert problems(text) == [(4, "revenue for 2025-01 is already on line 2")]


def test_duplicate_column() -> None:
    assert problems("month,revenue,Revenue\n2025-01,1,2\n") == [
        (1, "The figure “revenue” has two columns")
    ]


@pytest.mark.parametrize(
    "cell", ["abc", "1e5", "12abc", "--5", "1,2,3", "1..2", "€", "12%", "0x10"]
)
def test_text_in_a_number_cell(cell: str) -> None:
    assert problems(f"month;revenue\n2025-01;{cell}\n") == [
        (
            2,
            f"“{cell}” is not a number; write digits with a decimal point or a decimal comma, "
            "without letters or exponents",
        )
    ]


def test_wrong_column_count() -> None:
    assert problems("month,revenue,orders\n2025-01,1\n2025-02,1,2,3\n2025-03,1,2,,\n") == [
        (2, "This line has 2 cells, but the header has 3"),
        (3, "This line has 4 cells, but the header has 3"),
    ]


@pytest.mark.parametrize("text", ["", "   \n\n", "\ufeff"])
def test_empty_file(text: str) -> None:
    assert problems(text) == [(1, "The file is empty")]


def test_header_only() -> None:
    assert problems("month,revenue\n") == [(1, "The file has a header but no data")]


def test_missing_header_columns() -> None:
    assert problems("month\n2025-01\n") == [(1, "The header has no figure codes after “month”")]
    assert problems("month,figure\n2025-01,revenue\n") == [
        (1, "The header lacks the column “value”")
    ]
    assert problems("date,revenue\n2025-01,1\n") == [
        (
            1,
            "The first column must be “month” (found “date”); the header is "
            "month,<figure code>,… or month,figure,value",
        )
    ]


def test_column_with_values_but_no_name() -> None:
    assert problems("month,,revenue\n2025-01,4,5\n") == [
        (1, "Column 2 has values but no figure code in the header")
    ]


def test_only_ambiguous_numbers_ask_for_the_separator() -> None:
    assert problems("month;revenue\n2025-01;1,234\n2025-02;2.500\n") == [
        (
            2,
            "Cannot tell whether “1,234” uses a decimal point or a decimal comma "
            "(a thousands separator); say which decimal separator the file uses",
        )
    ]


def test_conflicting_decimal_separators() -> None:
    assert problems("month;revenue\n2025-01;1,5\n2025-02;2.5\n") == [
        (
            3,
            "The file mixes a decimal point (“2.5” on line 3) and a decimal comma "
            "(“1,5” on line 2)",
        )
    ]


def test_a_number_against_the_chosen_separator() -> None:
    assert problems("month;revenue\n2025-01;1,5\n", "point") == [
        (2, "“1,5” uses a decimal comma, but the decimal separator was set to point")
    ]


def test_every_problem_is_reported_in_line_order() -> None:
    text = "month,revenue,orderz\n2025-01,x,1\n2025-01,2,2\nbad,1,1\n"
    assert [line for line, _message in problems(text)] == [1, 2, 3, 4]


def test_problems_read_as_lines() -> None:
    with pytest.raises(FileFormatError) as caught:
        read_figures_csv("month,revenue\n2025-01,x\n2025-01,1\n", KNOWN)
    assert str(caught.value) == (
        "Line 2: “x” is not a number; write digits with a decimal point or a decimal comma, "
        "without letters or exponents\nLine 3: The month 2025-01 is already on line 2"
    )


def test_a_broken_csv_line() -> None:
    assert problems("month,revenue\n2025-01,1\x00\n")[0][0] == 2


def test_decode() -> None:
    assert decode_csv_bytes("\ufeffmonth,revenue\n".encode()) == "month,revenue\n"
    assert (
        decode_csv_bytes("month,revenue\n2025-01,5 €\n".encode()) == "month,revenue\n2025-01,5 €\n"
    )
    with pytest.raises(FileFormatError) as caught:
        decode_csv_bytes("month,revenue\n2025-01,1\n2025-02,5 café\n".encode("latin-1"))
    assert [(error.line, error.message) for error in caught.value.errors] == [
        (3, "The file is not UTF-8 text; save it as “CSV UTF-8” and try again")
    ]


def test_a_nul_in_a_file_is_read_as_the_replacement_character() -> None:
    # PostgreSQL stores no NUL, and a file's headers and quoted cells are saved.
    assert decode_csv_bytes(b"Wann\x00,Wer\n2025-01-03\x00\x00,Ann\n") == (
        "Wann\ufffd,Wer\n2025-01-03\ufffd\ufffd,Ann\n"
    )


# -- transactions ------------------------------------------------------------------------------

TRANSACTIONS = """date,customer,amount,quantity
2025-02-03,bob,15,
2025-01-05,alice,10,2
2025-01-09,bob,20,
2025-01-20,alice,5,
2025-02-14,carol,30,3
2025-04-01,alice,50.00,
"""


def test_read_transactions() -> None:
    sales = read_transactions_csv(TRANSACTIONS)
    assert sales[0] == Transaction(month(2025, 2).replace(day=3), "bob", Decimal(15), None, 2)
    assert sales[1].quantity == 2
    assert len(sales) == 6


def test_derived_figures_worked_out_by_hand() -> None:
    data = derive_figures(read_transactions_csv(TRANSACTIONS))
    # January: alice 10 (2 units) and 5, bob 20. Both are new; no month before it.
    assert data[month(2025, 1)] == {
        "revenue": 35,
        "orders": 3,
        "units_sold": 4,
        "customers_end": 2,
        "new_customers": 2,
    }
    # February: bob 15, carol 30 (3 units). Carol is new; alice bought in January, not now.
    assert data[month(2025, 2)] == {
        "revenue": 45,
        "orders": 2,
        "units_sold": 4,
        "customers_end": 2,
        "new_customers": 1,
        "customers_start": 2,
        "customers_lost": 1,
    }
    # March: no sales, so zeros; bob and carol bought in February and are lost.
    assert data[month(2025, 3)] == {
        "revenue": 0,
        "orders": 0,
        "units_sold": 0,
        "customers_end": 0,
        "new_customers": 0,
        "customers_start": 2,
        "customers_lost": 2,
    }
    # April: alice comes back; she is not new.
    assert data[month(2025, 4)] == {
        "revenue": 50,
        "orders": 1,
        "units_sold": 1,
        "customers_end": 1,
        "new_customers": 0,
        "customers_start": 0,
        "customers_lost": 0,
    }


def test_derive_nothing() -> None:
    assert len(derive_figures([])) == 0


def test_transactions_columns_in_any_order_with_extra_columns_and_semicolons() -> None:
    text = "Customer;Amount;Note;Date\nann;12,50;cash;2025-03-01\nann;1.234,00;;2025-03-02\n"
    sales = read_transactions_csv(text)
    assert [(s.customer, s.amount, s.quantity) for s in sales] == [
        ("ann", d("12.50"), None),
        ("ann", d("1234.00"), None),
    ]


def transaction_problems(text: str, decimal: str | None = None) -> list[tuple[int, str]]:
    with pytest.raises(FileFormatError) as caught:
        read_transactions_csv(text, decimal)  # type: ignore[arg-type]
    return [(error.line, error.message) for error in caught.value.errors]


def test_bad_transactions() -> None:
    text = (
        "date,customer,amount,quantity\n"
        "2025-02-30,bob,15,\n"
        "2025-03,bob,15,\n"
        "2025-03-01,,15,\n"
        "2025-03-01,bob,abc,\n"
        "2025-03-01,bob,,\n"
        "2025-03-01,bob,5,-1\n"
        "2025-03-01,bob,5,1.5\n"
        "2025-03-01,bob\n"
    )
    assert transaction_problems(text) == [
        (2, "“2025-02-30” is not a date; write it as YYYY-MM-DD, for example 2025-03-31"),
        (3, "“2025-03” is not a date; write it as YYYY-MM-DD, for example 2025-03-31"),
        (4, "The customer is empty"),
        (
            5,
            "“abc” is not a number; write digits with a decimal point or a decimal comma, "
            "without letters or exponents",
        ),
        (6, "The amount is empty"),
        (7, "The quantity “-1” must be a whole number of 0 or more"),
        (8, "The quantity “1.5” must be a whole number of 0 or more"),
        (9, "This line has 2 cells, but the header has 4"),
    ]


def test_transactions_missing_header_columns() -> None:
    assert transaction_problems("day,customer,amount\n2025-01-01,a,1\n") == [
        (
            1,
            "The header lacks the columns: date; "
            "it must start with date,customer,amount[,quantity]",
        )
    ]


def test_transactions_ambiguous_amounts_need_the_option() -> None:
    text = "date;customer;amount\n2025-01-01;a;1,500\n"
    assert transaction_problems(text)[0][0] == 2
    assert read_transactions_csv(text, "point")[0].amount == 1500
    assert read_transactions_csv(text, "comma")[0].amount == d("1.5")


# -- writers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("10", "10"),
        ("10.0", "10"),
        ("33.33333333333333333333333333", "33.3333"),
        ("-250.50", "-250.5"),
        ("2.00005", "2.0001"),
        ("-2.00005", "-2.0001"),
        ("0.00004", "0"),
        ("-0.00004", "0"),
        ("-0", "0"),
        ("1E+3", "1000"),
        ("1.5E-7", "0"),
        ("12345678901234567890123456789.12345", "12345678901234567890123456789.1235"),
    ],
)
def test_format_decimal(value: str, text: str) -> None:
    assert format_decimal(Decimal(value)) == text


def test_format_decimal_without_rounding() -> None:
    assert format_decimal(Decimal("12.50"), None) == "12.50"
    assert format_decimal(Decimal("1E+2"), None) == "100"


def test_write_figures_in_catalogue_order_then_custom() -> None:
    data = MonthlyFigures(
        {
            month(2025, 1): {"revenue": d("12.50"), "visitors": d(3), "apples": d(1)},
            month(2025, 2): {"visitors": d(4)},
        }
    )
    text = write_figures_csv(data, ["apples", "revenue", "visitors"])
    assert text == "month,visitors,revenue,apples\n2025-01,3,12.50,1\n2025-02,4,,\n"


def test_figures_round_trip() -> None:
    data = MonthlyFigures(
        {month(2025, 1): {"revenue": d("1234.5"), "orders": d(3)}, month(2025, 2): {}}
    )
    assert read(write_figures_csv(data, ["revenue", "orders"])) == data


def test_write_results_ordered_by_period_then_code() -> None:
    march, february = month_period(2025, 3), month_period(2025, 2)
    series = {
        march: {
            "revenue": KpiResult("revenue", march, d("-250.50")),
            "churn_rate": KpiResult("churn_rate", march, d("33.333333")),
        },
        february: {
            "revenue_growth": KpiResult(
                "revenue_growth", february, None, Reason(ReasonKind.NO_PREVIOUS)
            ),
            "nps": KpiResult(
                "nps",
                february,
                None,
                Reason(ReasonKind.ZERO_DENOMINATOR, source="min(a, b)"),
            ),
        },
    }
    assert write_results_csv(series) == (
        "period,kpi,value,note\n"
        '2025-02,nps,,"zero denominator min(a, b)"\n'
        "2025-02,revenue_growth,,no previous period\n"
        "2025-03,churn_rate,33.3333,\n"
        "2025-03,revenue,-250.5,\n"
    )


def test_write_results_sorts_quarters_by_time() -> None:
    engine = Engine.catalogue()
    data = figures({month(2024, 12): {"revenue": 1}, month(2025, 1): {"revenue": 2}})
    periods = [period_of(month(2025, 1), "quarter"), period_of(month(2024, 12), "quarter")]
    text = write_results_csv(engine.compute_series(data, periods, ["revenue"]))
    assert text.splitlines()[1:] == [
        # Changed on purpose (issue 12): each quarter so far, December's 1 and January's 2.
        "2024-Q4,revenue,1,partial 1 of 3 months",
        "2025-Q1,revenue,2,partial 1 of 3 months",
    ]
