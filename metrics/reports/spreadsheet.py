"""CSV files that Excel opens correctly in the reader's language, and the import templates.

Excel reads a CSV file with the list separator and decimal symbol of the computer's region: in
France, Belgium and the Netherlands (and on Arabic and Ukrainian set-ups that use the decimal
comma) that is a semicolon and a decimal comma, and without a byte-order mark it takes UTF-8
for the old Windows code page. So these files follow the language's decimal symbol (a comma
brings the semicolon), start with a BOM, and name figures and columns in the reader's
language. The machine-readable files (``metrics.files.csv``: comma, point, codes) are kept
as they are; the importer reads both.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from django.utils.translation import pgettext

from metrics.engine import FigureDef, MonthlyFigures, Period
from metrics.engine.results import KpiResult
from metrics.files.cells import format_decimal
from metrics.files.headers import LEDGER_COLUMNS, MONTH, column_word
from metrics.formatting import decimal_symbol

BOM = "\ufeff"

# A row of an Excel file: text, a number, or nothing.
Value = str | Decimal | None


def separators(language: str | None) -> tuple[str, str]:
    """The list separator and the decimal symbol Excel expects in ``language``."""
    decimal = decimal_symbol(language)
    return (";" if decimal == "," else ","), decimal


def excel_csv(rows: Iterable[Sequence[Value]], language: str | None) -> str:
    """Rows as CSV text for Excel in ``language``: its separator and decimal symbol, a BOM."""
    delimiter, decimal = separators(language)
    output = io.StringIO()
    output.write(BOM)
    writer = csv.writer(output, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(
            [
                ""
                if value is None
                else format_decimal(value).replace(".", decimal)
                if isinstance(value, Decimal)
                else value
                for value in row
            ]
        )
    return output.getvalue()


def figures_rows(
    data: MonthlyFigures, codes: Sequence[str], figures: Mapping[str, FigureDef]
) -> list[list[Value]]:
    """A wide figures table with the figures' labels in the active language."""
    header: list[Value] = [column_word(MONTH), *(str(figures[code].name) for code in codes)]
    rows = [header]
    for month in data:
        values = data[month]
        rows.append([f"{month:%Y-%m}", *(values.get(code) for code in codes)])
    return rows


def results_rows(
    series: Mapping[Period, Mapping[str, KpiResult]], names: Mapping[str, str]
) -> list[list[Value]]:
    """The KPI results by period, then KPI, with the KPIs' names in the active language."""
    rows: list[list[Value]] = [
        [
            pgettext("file column", "period"),
            pgettext("file column", "KPI"),
            column_word("value"),
            pgettext("file column", "note"),
        ]
    ]
    for period in sorted(series):
        results = series[period]
        for code in sorted(results):
            result = results[code]
            rows.append([period.label, names.get(code, code), result.value, result.note()])
    return rows


def figures_template(
    codes: Sequence[str], figures: Mapping[str, FigureDef], months: Sequence[date]
) -> list[list[Value]]:
    """A figures file to fill in: the month and the business's figures, a row per month."""
    header: list[Value] = [column_word(MONTH), *(str(figures[code].name) for code in codes)]
    blank: list[Value] = [None] * len(codes)
    return [header, *([f"{month:%Y-%m}", *blank] for month in months)]


def ledger_template() -> list[list[Value]]:
    """A sales list to fill in: the column words in the active language."""
    return [[column_word(column) for column in LEDGER_COLUMNS]]
