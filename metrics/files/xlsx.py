"""The first sheet of an Excel workbook (.xlsx) as rows of cells, for the readers in csvio.

Numbers and dates that the spreadsheet typed stay typed (a Decimal, a date), so they need no
decimal separator and no date format; text cells are read like CSV cells. Each row keeps its
row number, so problems are reported where the person sees them in the sheet.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from metrics.files.cells import Cell, FileFormatError, InputError, Row

# Every .xlsx file is a zip archive, and every zip archive starts with these bytes.
ZIP_MAGIC = b"PK\x03\x04"


# Excel keeps 15 significant digits; more are the noise of binary floating point (0.1 + 0.2).
EXCEL_DIGITS = 15


# What openpyxl raises on a damaged or foreign file.
_BROKEN = (zipfile.BadZipFile, InvalidFileException, ParseError, KeyError, OSError, TypeError)


def looks_like_xlsx(raw: bytes) -> bool:
    """Whether uploaded bytes are a zip archive, as an .xlsx workbook is."""
    return raw.startswith(ZIP_MAGIC)


def _number(value: float) -> Cell:
    if not math.isfinite(value):
        return str(value)
    text = repr(value)
    if len(text) > EXCEL_DIGITS:
        text = format(value, f".{EXCEL_DIGITS}g")
    return Decimal(text)


def _day(value: datetime) -> Cell:
    return value.date()


def _keep(value: Cell) -> Cell:
    return value


def _blank(_value: None) -> Cell:
    return ""


def _boolean(value: bool) -> Cell:
    return str(value).upper()


# What each type of value openpyxl reads becomes; anything else is read as its text.
_CELLS: dict[type, Callable[[Any], Cell]] = {
    str: _keep,
    type(None): _blank,
    int: Decimal,
    float: _number,
    datetime: _day,
    date: _keep,
    bool: _boolean,
}


def _cell(value: Any) -> Cell:
    return _CELLS.get(type(value), str)(value)


def _unreadable() -> FileFormatError:
    return FileFormatError(
        [
            InputError(
                1,
                gettext(
                    "This file cannot be read as an Excel workbook (.xlsx); save it again as "
                    "“Excel Workbook (.xlsx)” or as “CSV UTF-8”"
                ),
            )
        ]
    )


def sheet_rows(raw: bytes, *, max_rows: int | None = None) -> Iterator[Row]:
    """The non-blank rows of the workbook's first sheet, with their row numbers.

    Rows are read one at a time (openpyxl's read-only mode) and padded with empty cells to the
    width of the first one, the header. Raises FileFormatError when the file is not a workbook
    or has more than ``max_rows`` rows.
    """
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (*_BROKEN, ValueError):
        raise _unreadable() from None
    try:
        if not workbook.worksheets:
            raise FileFormatError([InputError(1, gettext("The file is empty"))])
        sheet = workbook.worksheets[0]
        # Some programs write a wrong size into the sheet; read every row there is instead.
        sheet.reset_dimensions()
        width = 0
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if max_rows is not None and number > max_rows:
                raise FileFormatError(
                    [
                        InputError(
                            number,
                            gettext("The sheet has more than %(count)d rows; split it in two")
                            % {"count": max_rows},
                        )
                    ]
                )
            cells = [_cell(value) for value in values]
            if all(type(cell) is str for cell in cells) and not "".join(cells).strip():  # type: ignore[arg-type]
                continue
            if not width:
                while cells and cells[-1] == "":
                    cells.pop()
                width = len(cells)
            elif len(cells) < width:
                cells.extend([""] * (width - len(cells)))
            yield number, cells
    except _BROKEN as error:
        raise _unreadable() from error
    finally:
        workbook.close()


def encode_rows(rows: Iterable[Row]) -> list[list[Any]]:
    """Rows as JSON values: text stays text, a typed number or date is tagged."""
    encoded = []
    for line, cells in rows:
        values: list[Any] = []
        for cell in cells:
            if isinstance(cell, Decimal):
                values.append({"n": str(cell)})
            elif isinstance(cell, date):
                values.append({"d": cell.isoformat()})
            else:
                values.append(cell)
        encoded.append([line, values])
    return encoded


def decode_rows(encoded: Iterable[list[Any]]) -> list[Row]:
    """The rows ``encode_rows`` wrote."""
    rows: list[Row] = []
    for line, values in encoded:
        cells: list[Cell] = []
        for value in values:
            if isinstance(value, dict) and "n" in value:
                cells.append(Decimal(value["n"]))
            elif isinstance(value, dict) and "d" in value:
                cells.append(date.fromisoformat(value["d"]))
            else:
                cells.append(str(value))
        rows.append((int(line), cells))
    return rows
