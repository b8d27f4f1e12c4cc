"""Reading and writing the CSV files of kpi-reference.md §5: figures, transactions, results.

Every problem in an input file is collected, with its line number as a spreadsheet shows it
(the header is line 1), and raised together in one FileFormatError, so nothing is half-read.

The readers take rows of cells, so a spreadsheet's sheet (metrics.files.xlsx) is read by the
same code as a CSV file: a cell is text, or a number or a date that the spreadsheet typed.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext

from metrics.engine.catalogue import FIGURES
from metrics.engine.compute import MonthlyFigures
from metrics.engine.periods import (
    FIRST_YEAR,
    LAST_YEAR,
    Period,
    PeriodError,
    parse_month,
)
from metrics.engine.results import KpiResult
from metrics.files.cells import (
    QUOTE_LENGTH,
    Cell,
    FileFormatError,
    InputError,
    Problems,
    Row,
    cell_text,
    check_width,
    filled,
    fits,
    format_decimal,
    quoted,
    width_error,
)
from metrics.files.file_numbers import MAX_REMEMBERED, DecimalSeparator, FileNumbers, NumberCell

# What a NUL in a file becomes. Text of a file is saved (the header row of a column mapping,
# the problems of a sales list read by a task) and PostgreSQL stores no NUL: a header with one
# was a 500. The replacement character shows where it was and is no digit, so nothing that did
# not read before reads now. (An .xlsx cannot hold a NUL: its XML refuses one.)
NUL_REPLACEMENT = "\ufffd"


def decode_csv_bytes(raw: bytes) -> str:
    """The text of an uploaded or opened file, which must be UTF-8 (a BOM is allowed)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        message = gettext("The file is not UTF-8 text; save it as “CSV UTF-8” and try again")
        raise FileFormatError([InputError(line, message)]) from None
    return text.replace("\x00", NUL_REPLACEMENT) if "\x00" in text else text


def csv_rows(text: str) -> list[Row]:
    """Non-blank rows with their line numbers, from comma- or semicolon-separated text."""
    return list(iter_csv_rows(text))


def _first_line(text: str) -> str | None:
    """The first line that is not blank, found without splitting the whole text."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if text[start:end].strip():
            return text[start:end]
        start = end + 1
    return None


def iter_csv_rows(text: str) -> Iterator[Row]:
    """``csv_rows`` one row at a time, so a big file's rows are never all held at once.

    Lines that cannot be read as CSV are collected; they are raised together at the end, after
    the good rows (FileFormatError), so a reader stops with them as ``csv_rows`` would.
    """
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    header = _first_line(text)
    if header is None:
        raise FileFormatError([InputError(1, gettext("The file is empty"))])
    # Figure codes contain neither separator, so the header line tells which one the file uses.
    delimiter = ";" if ";" in header else ","
    return _rows(text, delimiter)


def _rows(text: str, delimiter: str) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    errors = Problems()
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            errors.append(
                InputError(
                    reader.line_num,
                    gettext("This line cannot be read as CSV (%(error)s)") % {"error": error},
                )
            )
            continue
        if "".join(cells).strip():
            yield reader.line_num, cells
    if errors:
        raise FileFormatError(errors)


# Close matches cost a comparison with every known code: only the first few unknown names get
# one. A person who mistyped a code mistyped a few, not thousands.
MAX_SUGGESTIONS = 5


class _Suggester:
    """Says a name is unknown, with the closest known code for the first MAX_SUGGESTIONS."""

    def __init__(self, known: Collection[str]) -> None:
        self.known = sorted(known)
        self.left = MAX_SUGGESTIONS

    def __call__(self, name: str) -> str:
        close: list[str] = []
        if self.left > 0 and len(name) <= QUOTE_LENGTH:
            self.left -= 1
            close = difflib.get_close_matches(name.lower(), self.known, n=1, cutoff=0.6)
        if close:
            return gettext("Unknown figure code “%(code)s” — did you mean “%(close)s”?") % {
                "code": name,
                "close": close[0],
            }
        return gettext("Unknown figure code “%(code)s”") % {"code": quoted(name)}


def _known_code(name: str, known: Collection[str]) -> str | None:
    if name in known:
        return name
    lowered = name.lower()
    return lowered if lowered in known else None


def _month(line: int, raw: Cell, errors: list[InputError]) -> date | None:
    if isinstance(raw, date):
        # A spreadsheet turns 2025-03 into the date 1 March 2025.
        if FIRST_YEAR <= raw.year <= LAST_YEAR:
            return date(raw.year, raw.month, 1)
        raw = raw.isoformat()
    try:
        return parse_month(cell_text(raw))
    except PeriodError as error:
        errors.append(InputError(line, str(error)))
        return None


@dataclass(slots=True)
class _Reading:
    """What reading a figures file collects before the decimal separator is known."""

    numbers: FileNumbers
    # (month, code, cell) for every non-empty value.
    entries: list[tuple[date, str, NumberCell]] = field(default_factory=list)
    months: dict[date, int] = field(default_factory=dict)  # the first line of each month
    errors: Problems = field(default_factory=Problems)
    warnings: list[InputError] = field(default_factory=list)
    suggest: _Suggester = field(default_factory=lambda: _Suggester(()))


class UndecidedSeparator(FileFormatError):
    """The file's only problem is its decimal separator, which it does not settle."""


def read_figures_csv(
    text: str, known_figures: Collection[str], decimal: DecimalSeparator | None = None
) -> tuple[MonthlyFigures, list[InputError]]:
    """Read a wide (``month,<code>,…``) or long (``month,figure,value``) figures file.

    Returns the figures and warnings (problems that were safe to pass over); raises
    FileFormatError with every problem otherwise. Numbers are read as the month form reads
    them (``metrics.files.numbers.scan``); the file's other cells settle an ambiguous 1,234.
    """
    return read_figures_rows(csv_rows(text), known_figures, decimal)


def read_figures_rows(
    rows: Sequence[Row], known_figures: Collection[str], decimal: DecimalSeparator | None = None
) -> tuple[MonthlyFigures, list[InputError]]:
    """``read_figures_csv`` for rows that are already split into cells (a CSV file or a sheet)."""
    if not rows:
        raise FileFormatError([InputError(1, gettext("The file is empty"))])
    header_line, header = rows[0]
    check_width(header_line, header)
    names = [cell_text(cell) for cell in header]
    lowered = [name.lower() for name in names]
    reading = _Reading(FileNumbers(decimal), suggest=_Suggester(known_figures))
    errors = reading.errors
    if lowered[:3] == ["month", "figure", "value"] and fits(header, 3):
        _read_long(rows[1:], known_figures, reading)
    elif lowered[:2] == ["month", "figure"]:
        errors.append(InputError(header_line, gettext("The header lacks the column “value”")))
    elif lowered and lowered[0] == "month":
        _read_wide(rows, names, known_figures, reading)
    else:
        errors.append(
            InputError(
                header_line,
                gettext(
                    "The first column must be “month” (found “%(found)s”); the header is "
                    "month,<figure code>,… or month,figure,value"
                )
                % {"found": quoted(names[0]) if names else ""},
            )
        )
    if not errors and len(rows) == 1:
        errors.append(InputError(header_line, gettext("The file has a header but no data")))
    other_problems = bool(errors)
    separator = reading.numbers.decide(errors)
    if errors:
        raise FileFormatError(errors) if other_problems else UndecidedSeparator(errors)
    assert separator is not None
    data: dict[date, dict[str, Decimal]] = {month: {} for month in sorted(reading.months)}
    for month, code, cell in reading.entries:
        data[month][code] = cell.value(separator)
    return MonthlyFigures(data), reading.warnings


def _wide_columns(
    rows: Sequence[Row],
    names: list[str],
    known: Collection[str],
    reading: _Reading,
) -> tuple[int, dict[int, str]]:
    """The header's width (without trailing empty cells) and the figure code of each column."""
    errors, warnings = reading.errors, reading.warnings
    header_line = rows[0][0]
    width = len(names)
    while width > 1 and not names[width - 1]:
        width -= 1  # trailing empty header cells, as spreadsheets write them
    columns: dict[int, str] = {}
    nameless = {index for index in range(1, width) if not names[index]}
    used: set[int] = set()
    if nameless:
        # One pass over the cells there are, not one per nameless column.
        for _line, cells in rows[1:]:
            used.update(
                index
                for index in range(1, min(len(cells), width))
                if index in nameless and filled(cells[index])
            )
    for index, name in enumerate(names[1:width], start=1):
        if not name:
            if index in used:
                message = gettext("Column %(column)d has values but no figure code in the header")
                errors.append(InputError(header_line, message % {"column": index + 1}))
            else:
                message = gettext("Column %(column)d has no name and no values; it was ignored")
                warnings.append(InputError(header_line, message % {"column": index + 1}))
            continue
        code = _known_code(name, known)
        if code is None:
            errors.append(InputError(header_line, reading.suggest(name)))
        elif code in columns.values():
            message = gettext("The figure “%(code)s” has two columns") % {"code": code}
            errors.append(InputError(header_line, message))
        else:
            columns[index] = code
    if width == 1:
        errors.append(
            InputError(header_line, gettext("The header has no figure codes after “month”"))
        )
    return width, columns


def _read_wide(
    rows: Sequence[Row], names: list[str], known: Collection[str], reading: _Reading
) -> None:
    errors, months = reading.errors, reading.months
    width, columns = _wide_columns(rows, names, known, reading)
    for line, cells in rows[1:]:
        if not fits(cells, width):
            errors.append(width_error(line, len(cells), width))
            continue
        month = _month(line, cells[0], errors)
        if month is None:
            continue
        if month in months:
            errors.append(_duplicate_month(line, month, months[month]))
            continue
        months[month] = line
        for index, code in columns.items():
            raw = cells[index]
            if filled(raw):
                cell = reading.numbers.add(line, raw, errors)
                if cell is not None:
                    reading.entries.append((month, code, cell))


def _duplicate_month(line: int, month: date, first_line: int) -> InputError:
    return InputError(
        line,
        gettext("The month %(month)s is already on line %(first)d")
        % {"month": f"{month:%Y-%m}", "first": first_line},
    )


_UNSEEN = "\0"  # not a code: codes hold no NUL


def _read_long(rows: Sequence[Row], known: Collection[str], reading: _Reading) -> None:
    errors = reading.errors
    seen: dict[tuple[date, str], int] = {}
    # A long file repeats its months and figure names on every line: each text is read once.
    months: dict[Cell, date] = {}
    codes: dict[str, str | None] = {}
    for line, cells in rows:
        if not fits(cells, 3):
            errors.append(width_error(line, len(cells), 3))
            continue
        month = months.get(cells[0])
        if month is None:
            month = _month(line, cells[0], errors)
            if month is not None and len(months) < MAX_REMEMBERED:
                months[cells[0]] = month
        name = cell_text(cells[1])
        code = codes.get(name, _UNSEEN)
        if code is _UNSEEN:
            code = _known_code(name, known)
            if len(codes) < MAX_REMEMBERED:
                codes[name] = code
        if code is None and errors.keeps():
            errors.append(
                InputError(line, reading.suggest(name) if name else gettext("The figure is empty"))
            )
        if month is None or code is None:
            continue
        reading.months.setdefault(month, line)
        if (month, code) in seen:
            if errors.keeps():
                errors.append(
                    InputError(
                        line,
                        gettext("%(code)s for %(month)s is already on line %(first)d")
                        % {"code": code, "month": f"{month:%Y-%m}", "first": seen[month, code]},
                    )
                )
            continue
        seen[month, code] = line
        if filled(cells[2]):
            cell = reading.numbers.add(line, cells[2], errors)
            if cell is not None:
                reading.entries.append((month, code, cell))


def write_figures_csv(data: MonthlyFigures, codes: Iterable[str]) -> str:
    """A wide figures file: catalogue figures in catalogue order, then the others as given."""
    wanted = list(dict.fromkeys(codes))
    ordered = [code for code in FIGURES if code in wanted]
    ordered += [code for code in wanted if code not in FIGURES]
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(["month", *ordered])
    for month in data:
        row = data[month]
        writer.writerow(
            [
                f"{month:%Y-%m}",
                *(format_decimal(row[code], None) if code in row else "" for code in ordered),
            ]
        )
    return output.getvalue()


def write_results_csv(series: Mapping[Period, Mapping[str, KpiResult]]) -> str:
    """The KPI results file: ``period,kpi,value,note`` by period, then by KPI code."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(["period", "kpi", "value", "note"])
    for period in sorted(series):
        results = series[period]
        for code in sorted(results):
            result = results[code]
            if result.value is None:
                writer.writerow([period.label, code, "", result.note()])
            else:
                # A value "so far" says so: partial 2 of 3 months.
                writer.writerow([period.label, code, format_decimal(result.value), result.note()])
    return output.getvalue()
