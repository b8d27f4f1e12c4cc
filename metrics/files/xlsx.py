"""The first sheet of an Excel workbook (.xlsx) as rows of cells, for the readers in csvio.

Numbers and dates that the spreadsheet typed stay typed (a Decimal, a date), so they need no
decimal separator and no date format; text cells are read like CSV cells. Each row keeps its
row number, so problems are reported where the person sees them in the sheet.

A workbook is a zip archive of XML parts, and a small one can unpack to gigabytes or hold millions
of cells. So every limit is checked before openpyxl reads a cell (``check_archive``): the unpacked
size of each part and of all of them, how much each part grew when unpacked, and how many cells,
rows and shared strings each part has, counted on the raw bytes as they unpack. Rows are then read
one at a time and the limits hold again while they stream. openpyxl parses the XML through
defusedxml, a declared dependency, so entity expansion is refused rather than followed.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext
from openpyxl import load_workbook

from metrics.files.cells import MAX_COLUMNS, Cell, FileFormatError, InputError, Row

# Every .xlsx file is a zip archive, and every zip archive starts with these bytes.
ZIP_MAGIC = b"PK\x03\x04"


# Excel keeps 15 significant digits; more are the noise of binary floating point (0.1 + 0.2).
EXCEL_DIGITS = 15


# The limits, each chosen so that the largest workbook they let through is read within the
# budget of bench/uploads.py (2 s and 256 MB on the project's machine) by openpyxl, which reads
# some 20,000 cells a second there (100,000 cells took 4.6 s of CPU): 30,000 cells is a figures
# file of decades, or a ledger of 10,000 sales. A bigger ledger is read from CSV.
MAX_SHEET_CELLS = 30_000
# A part of 30,000 cells is about 1 MB of XML; a sheet's text is kept by openpyxl in memory.
MAX_PART_BYTES = 16 * 1024 * 1024
MAX_UNPACKED_BYTES = 32 * 1024 * 1024
# Spreadsheet XML packs some 10 to 20 times; a part that grew more than this is built to.
MAX_RATIO = 100
# Small parts may pack very well (a style sheet of one repeated line); the ratio is for big ones.
RATIO_FROM_BYTES = 1024 * 1024
MAX_PARTS = 1_000


_CHUNK = 1024 * 1024


# Start tags, with or without a namespace prefix: a cell, a row, a shared string.
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


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
    return _refusal(
        gettext(
            "This file cannot be read as an Excel workbook (.xlsx); save it again as "
            "“Excel Workbook (.xlsx)” or as “CSV UTF-8”"
        )
    )


def _refusal(message: str, line: int = 1) -> FileFormatError:
    return FileFormatError([InputError(line, message)])


def _too_many_cells() -> FileFormatError:
    return _refusal(
        gettext(
            "The workbook has a sheet with more than %(limit)s cells, the most this service "
            "reads from an Excel file. Save it as “CSV UTF-8”, or split it into smaller files."
        )
        % {"limit": number_format(MAX_SHEET_CELLS, force_grouping=True)}
    )


def _too_many_rows(limit: int, line: int = 1) -> FileFormatError:
    return _refusal(
        gettext("The sheet has more than %(count)d rows; split it in two") % {"count": limit},
        line,
    )


def _too_big(size: int) -> FileFormatError:
    return _refusal(
        gettext(
            "The workbook unpacks to more than %(limit)s (a part of it is %(size)s). Keep only "
            "the sheet with your figures, or save it as “CSV UTF-8”."
        )
        % {"limit": filesizeformat(MAX_UNPACKED_BYTES), "size": filesizeformat(size)}
    )


def _count_tags(part: IO[bytes], max_rows: int) -> None:
    """Count the cells, rows and shared strings of one part as it unpacks; stop at a limit."""
    cells = rows = strings = 0
    carry = b""
    while True:
        chunk = part.read(_CHUNK)
        data = carry + chunk
        # A tag cut in two by the chunk waits for the next one: count up to the last "<".
        cut = data.rfind(b"<") if chunk else len(data)
        if cut <= 0 and chunk:
            carry = data
            continue
        done, carry = data[:cut], data[cut:]
        cells += len(_CELL.findall(done))
        strings += len(_STRING.findall(done))
        rows += len(_ROW.findall(done))
        if cells > MAX_SHEET_CELLS or strings > MAX_SHEET_CELLS:
            raise _too_many_cells()
        if rows > max_rows:
            raise _too_many_rows(max_rows, max_rows + 1)
        if not chunk:
            return


def check_archive(raw: bytes, *, max_rows: int) -> None:
    """Refuse a workbook that unpacks too big, or holds too many cells, rows or strings.

    Sizes come from the archive's directory; zipfile never unpacks more than a part declares
    (a part that lies fails its checksum), so they bound the work that follows.
    """
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise _unreadable()
        total = 0
        for part in parts:
            total += part.file_size
            if part.file_size > MAX_PART_BYTES or total > MAX_UNPACKED_BYTES:
                raise _too_big(part.file_size)
            packed = max(part.compress_size, 1)
            if part.file_size > RATIO_FROM_BYTES and part.file_size > MAX_RATIO * packed:
                raise _refusal(
                    gettext(
                        "A part of the workbook unpacks to %(ratio)d times its packed size; "
                        "the most this service accepts is %(limit)d times. Save the workbook "
                        "again from your spreadsheet program, or as “CSV UTF-8”."
                    )
                    % {"ratio": part.file_size // packed, "limit": MAX_RATIO}
                )
        for part in parts:
            with archive.open(part) as stream:
                _count_tags(stream, max_rows)


def _row_error(line: int) -> FileFormatError:
    return _refusal(
        gettext(
            "This row cannot be read: a cell holds something that does not match its type "
            "(text in a number cell, a date that is not a date, a broken cell reference). "
            "Correct the row, or save the sheet as “CSV UTF-8”."
        ),
        line,
    )


def sheet_rows(raw: bytes, *, max_rows: int | None = None) -> Iterator[Row]:
    """The non-blank rows of the workbook's first sheet, with their row numbers.

    Rows are read one at a time (openpyxl's read-only mode) and padded with empty cells to the
    width of the first one, the header. Raises FileFormatError when the file is not a workbook,
    breaks a limit, or has a row that cannot be read (at that row).
    """
    if max_rows is None:
        max_rows = MAX_SHEET_CELLS
    try:
        check_archive(raw, max_rows=max_rows)
        # openpyxl raises whatever its parsers meet in a crafted file: any of it means "unreadable".
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except FileFormatError:
        raise
    except Exception:
        raise _unreadable() from None
    try:
        if not workbook.worksheets:
            raise FileFormatError([InputError(1, gettext("The file is empty"))])
        sheet = workbook.worksheets[0]
        # Some programs write a wrong size into the sheet; read every row there is instead.
        sheet.reset_dimensions()
        yield from _stream(iter(sheet.iter_rows(values_only=True)), max_rows)
    finally:
        workbook.close()


def _stream(values: Iterator[tuple[Any, ...]], max_rows: int) -> Iterator[Row]:
    width = 0
    seen = 0
    number = 0
    while True:
        try:
            row = next(values, None)
        except Exception:
            # A cell that openpyxl cannot turn into a value: the row after the last one read.
            raise _row_error(number + 1) from None
        if row is None:
            return
        number += 1
        if number > max_rows:
            raise _too_many_rows(max_rows, number)
        if len(row) > MAX_COLUMNS:
            raise _refusal(
                gettext("This row reaches column %(found)d; a sheet can have at most %(limit)d.")
                % {"found": len(row), "limit": MAX_COLUMNS},
                number,
            )
        cells = [_cell(value) for value in row]
        if all(type(cell) is str for cell in cells) and not "".join(cells).strip():  # type: ignore[arg-type]
            continue
        if not width:
            while cells and cells[-1] == "":
                cells.pop()
            width = len(cells)
        elif len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        seen += len(cells)
        if seen > MAX_SHEET_CELLS:
            raise _too_many_cells()
        yield number, cells


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
