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
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal
from enum import StrEnum
from typing import Literal

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

DecimalSeparator = Literal["point", "comma"]


# Text from a CSV file or a text cell; a Decimal or a date typed in a spreadsheet.
Cell = str | Decimal | date


# A row of cells and its line (the row number in a spreadsheet).
Row = tuple[int, Sequence[Cell]]


MAX_NUMBER_LENGTH = 40


@dataclass(frozen=True, slots=True)
class InputError:
    """One problem in an input file: the 1-based line and what is wrong there."""

    line: int
    message: str

    def __str__(self) -> str:
        return gettext("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class FileFormatError(ValueError):
    """Every problem found in an input file, in line order."""

    def __init__(self, errors: Iterable[InputError]) -> None:
        self.errors = sorted(errors, key=lambda error: error.line)
        super().__init__(self.errors)

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


def decode_csv_bytes(raw: bytes) -> str:
    """The text of an uploaded or opened file, which must be UTF-8 (a BOM is allowed)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        message = gettext("The file is not UTF-8 text; save it as “CSV UTF-8” and try again")
        raise FileFormatError([InputError(line, message)]) from None


def csv_rows(text: str) -> list[Row]:
    """Non-blank rows with their line numbers, from comma- or semicolon-separated text."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    header = next((line for line in lines if line.strip()), None)
    if header is None:
        raise FileFormatError([InputError(1, gettext("The file is empty"))])
    # Figure codes contain neither separator, so the header line tells which one the file uses.
    delimiter = ";" if ";" in header else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[Row] = []
    errors: list[InputError] = []
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
            rows.append((reader.line_num, cells))
    if errors:
        raise FileFormatError(errors)
    return rows


def _suggest(name: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(name.lower(), sorted(known), n=1, cutoff=0.6)
    if close:
        return gettext("Unknown figure code “%(code)s” — did you mean “%(close)s”?") % {
            "code": name,
            "close": close[0],
        }
    return gettext("Unknown figure code “%(code)s”") % {"code": name}


def _known_code(name: str, known: Collection[str]) -> str | None:
    if name in known:
        return name
    lowered = name.lower()
    return lowered if lowered in known else None


def _width_error(line: int, found: int, expected: int) -> InputError:
    return InputError(
        line,
        gettext("This line has %(found)d cells, but the header has %(expected)d")
        % {"found": found, "expected": expected},
    )


def _text(cell: Cell) -> str:
    """A cell as text: a typed number without exponent, a typed date as YYYY-MM-DD."""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, Decimal):
        return format_decimal(cell, None)
    return cell.isoformat()


def _filled(cell: Cell) -> bool:
    return not isinstance(cell, str) or bool(cell.strip())


def _fits(cells: Sequence[Cell], width: int) -> bool:
    # Spreadsheets often add empty cells at the end of a line; those do no harm.
    size = len(cells)
    return size == width or (size > width and not any(_filled(cell) for cell in cells[width:]))


def _month(line: int, raw: Cell, errors: list[InputError]) -> date | None:
    if isinstance(raw, date):
        # A spreadsheet turns 2025-03 into the date 1 March 2025.
        if FIRST_YEAR <= raw.year <= LAST_YEAR:
            return date(raw.year, raw.month, 1)
        raw = raw.isoformat()
    try:
        return parse_month(_text(raw))
    except PeriodError as error:
        errors.append(InputError(line, str(error)))
        return None


class _Shape(StrEnum):
    EXACT = "exact"  # typed in a spreadsheet: no separator to decide
    INTEGER = "integer"
    POINT = "point"
    COMMA = "comma"
    AMBIGUOUS = "ambiguous"
    BAD = "bad"


_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


_CURRENCY = "€£$"


_SHAPES = [
    (re.compile(r"\d+"), _Shape.INTEGER),
    (re.compile(r"\d{1,3}(?: \d{3})+"), _Shape.INTEGER),
    # One separator followed by exactly three digits could be either: 1,234 or 1.234.
    (re.compile(r"[1-9]\d{0,2}[.,]\d{3}"), _Shape.AMBIGUOUS),
    (re.compile(r"\d+\.\d+"), _Shape.POINT),
    (re.compile(r"\d{1,3}(?:,\d{3})+\.\d+"), _Shape.POINT),
    (re.compile(r"\d{1,3}(?:,\d{3}){2,}"), _Shape.POINT),
    (re.compile(r"\d{1,3}(?: \d{3})+\.\d+"), _Shape.POINT),
    (re.compile(r"\d+,\d+"), _Shape.COMMA),
    (re.compile(r"\d{1,3}(?:\.\d{3})+,\d+"), _Shape.COMMA),
    (re.compile(r"\d{1,3}(?:\.\d{3}){2,}"), _Shape.COMMA),
    (re.compile(r"\d{1,3}(?: \d{3})+,\d+"), _Shape.COMMA),
]


def _split_number(raw: str) -> tuple[bool, str]:
    """(negative, digits and separators), without spaces around, a minus or a currency symbol."""
    text = raw.translate(_SPACES).strip().strip(_CURRENCY).strip()
    negative = text.startswith("-")
    if negative:
        text = text[1:].strip().strip(_CURRENCY).strip()
    return negative, text


def _shape(body: str) -> _Shape:
    for pattern, shape in _SHAPES:
        if pattern.fullmatch(body):
            return shape
    return _Shape.BAD


def _to_decimal(negative: bool, body: str, separator: DecimalSeparator) -> Decimal:
    grouping, point = (",", ".") if separator == "point" else (".", ",")
    digits = body.replace(" ", "").replace(grouping, "").replace(point, ".")
    number = Decimal(digits)
    return -number if negative else number


@dataclass(slots=True)
class _Cell:
    line: int
    raw: str
    negative: bool
    body: str
    shape: _Shape
    exact: Decimal | None = None


class _Numbers:
    """Number cells of one file, read once the whole file shows its decimal separator."""

    def __init__(self, separator: DecimalSeparator | None) -> None:
        self.separator = separator
        self.cells: list[_Cell] = []

    def add(self, line: int, raw: Cell, errors: list[InputError]) -> _Cell | None:
        if isinstance(raw, Decimal):
            return _Cell(line, str(raw), raw < 0, "", _Shape.EXACT, raw)
        if isinstance(raw, date):
            raw = raw.isoformat()
        negative, body = _split_number(raw)
        shape = _shape(body) if len(body) <= MAX_NUMBER_LENGTH else _Shape.BAD
        if shape is _Shape.BAD:
            errors.append(
                InputError(
                    line,
                    gettext(
                        "“%(text)s” is not a number; write digits with a decimal point or a "
                        "decimal comma, without letters or exponents"
                    )
                    % {"text": raw.strip()[:MAX_NUMBER_LENGTH]},
                )
            )
            return None
        cell = _Cell(line, raw.strip(), negative, body, shape)
        self.cells.append(cell)
        return cell

    def decide(self, errors: list[InputError]) -> DecimalSeparator | None:
        """The file's decimal separator, or None (with errors) when it cannot be decided."""
        first = {
            shape: next((cell for cell in self.cells if cell.shape is shape), None)
            for shape in (_Shape.POINT, _Shape.COMMA, _Shape.AMBIGUOUS)
        }
        point, comma, ambiguous = first[_Shape.POINT], first[_Shape.COMMA], first[_Shape.AMBIGUOUS]
        if self.separator is not None:
            other = _Shape.COMMA if self.separator == "point" else _Shape.POINT
            wrong = [cell for cell in self.cells if cell.shape is other]
            for cell in wrong:
                errors.append(
                    InputError(
                        cell.line,
                        gettext(
                            "“%(text)s” uses a decimal %(found)s, but the decimal separator "
                            "was set to %(chosen)s"
                        )
                        % {"text": cell.raw, "found": other.value, "chosen": self.separator},
                    )
                )
            return None if wrong else self.separator
        if point and comma:
            later = max(point, comma, key=lambda cell: cell.line)
            errors.append(
                InputError(
                    later.line,
                    gettext(
                        "The file mixes a decimal point (“%(point)s” on line %(point_line)d) "
                        "and a decimal comma (“%(comma)s” on line %(comma_line)d)"
                    )
                    % {
                        "point": point.raw,
                        "point_line": point.line,
                        "comma": comma.raw,
                        "comma_line": comma.line,
                    },
                )
            )
            return None
        if point or comma:
            return "point" if point else "comma"
        if ambiguous:
            errors.append(
                InputError(
                    ambiguous.line,
                    gettext(
                        "Cannot tell whether “%(text)s” uses a decimal point or a decimal comma "
                        "(a thousands separator); say which decimal separator the file uses"
                    )
                    % {"text": ambiguous.raw},
                )
            )
            return None
        return "point"


def _value(cell: _Cell, separator: DecimalSeparator) -> Decimal:
    if cell.exact is not None:
        return cell.exact
    return _to_decimal(cell.negative, cell.body, separator)


def read_figures_csv(
    text: str, known_figures: Collection[str], decimal: DecimalSeparator | None = None
) -> tuple[MonthlyFigures, list[InputError]]:
    """Read a wide (``month,<code>,…``) or long (``month,figure,value``) figures file.

    Returns the figures and warnings (problems that were safe to pass over); raises
    FileFormatError with every problem otherwise. Currency symbols (€ £ $) before or after a
    number are ignored; spaces may group thousands.
    """
    return read_figures_rows(csv_rows(text), known_figures, decimal)


def read_figures_rows(
    rows: Sequence[Row], known_figures: Collection[str], decimal: DecimalSeparator | None = None
) -> tuple[MonthlyFigures, list[InputError]]:
    """``read_figures_csv`` for rows that are already split into cells (a CSV file or a sheet)."""
    if not rows:
        raise FileFormatError([InputError(1, gettext("The file is empty"))])
    header_line, header = rows[0]
    names = [_text(cell) for cell in header]
    lowered = [name.lower() for name in names]
    errors: list[InputError] = []
    warnings: list[InputError] = []
    numbers = _Numbers(decimal)
    # (month, code, cell) for every non-empty value, read once the separator is known.
    entries: list[tuple[date, str, _Cell]] = []
    months: dict[date, int] = {}

    if lowered[:3] == ["month", "figure", "value"] and _fits(header, 3):
        _read_long(rows[1:], known_figures, numbers, entries, months, errors)
    elif lowered[:2] == ["month", "figure"]:
        errors.append(InputError(header_line, gettext("The header lacks the column “value”")))
    elif lowered and lowered[0] == "month":
        _read_wide(rows, names, known_figures, numbers, entries, months, errors, warnings)
    else:
        errors.append(
            InputError(
                header_line,
                gettext(
                    "The first column must be “month” (found “%(found)s”); the header is "
                    "month,<figure code>,… or month,figure,value"
                )
                % {"found": names[0] if names else ""},
            )
        )
    if not errors and len(rows) == 1:
        errors.append(InputError(header_line, gettext("The file has a header but no data")))
    separator = numbers.decide(errors)
    if errors:
        raise FileFormatError(errors)
    assert separator is not None
    data: dict[date, dict[str, Decimal]] = {month: {} for month in sorted(months)}
    for month, code, cell in entries:
        data[month][code] = _value(cell, separator)
    return MonthlyFigures(data), warnings


def _read_wide(
    rows: Sequence[Row],
    names: list[str],
    known: Collection[str],
    numbers: _Numbers,
    entries: list[tuple[date, str, _Cell]],
    months: dict[date, int],
    errors: list[InputError],
    warnings: list[InputError],
) -> None:
    header_line = rows[0][0]
    width = len(names)
    while width > 1 and not names[width - 1]:
        width -= 1  # trailing empty header cells, as spreadsheets write them
    columns: dict[int, str] = {}
    for index, name in enumerate(names[1:width], start=1):
        if not name:
            if any(len(cells) > index and _filled(cells[index]) for _line, cells in rows[1:]):
                errors.append(
                    InputError(
                        header_line,
                        gettext("Column %(column)d has values but no figure code in the header")
                        % {"column": index + 1},
                    )
                )
            else:
                warnings.append(
                    InputError(
                        header_line,
                        gettext("Column %(column)d has no name and no values; it was ignored")
                        % {"column": index + 1},
                    )
                )
            continue
        code = _known_code(name, known)
        if code is None:
            errors.append(InputError(header_line, _suggest(name, known)))
        elif code in columns.values():
            errors.append(
                InputError(
                    header_line,
                    gettext("The figure “%(code)s” has two columns") % {"code": code},
                )
            )
        else:
            columns[index] = code
    if width == 1:
        errors.append(
            InputError(header_line, gettext("The header has no figure codes after “month”"))
        )
    for line, cells in rows[1:]:
        if not _fits(cells, width):
            errors.append(_width_error(line, len(cells), width))
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
            if _filled(raw):
                cell = numbers.add(line, raw, errors)
                if cell is not None:
                    entries.append((month, code, cell))


def _duplicate_month(line: int, month: date, first_line: int) -> InputError:
    return InputError(
        line,
        gettext("The month %(month)s is already on line %(first)d")
        % {"month": f"{month:%Y-%m}", "first": first_line},
    )


def _read_long(
    rows: Sequence[Row],
    known: Collection[str],
    numbers: _Numbers,
    entries: list[tuple[date, str, _Cell]],
    months: dict[date, int],
    errors: list[InputError],
) -> None:
    seen: dict[tuple[date, str], int] = {}
    for line, cells in rows:
        if not _fits(cells, 3):
            errors.append(_width_error(line, len(cells), 3))
            continue
        month = _month(line, cells[0], errors)
        name = _text(cells[1])
        code = _known_code(name, known)
        if code is None:
            errors.append(
                InputError(line, _suggest(name, known) if name else gettext("The figure is empty"))
            )
        if month is None or code is None:
            continue
        months.setdefault(month, line)
        if (month, code) in seen:
            errors.append(
                InputError(
                    line,
                    gettext("%(code)s for %(month)s is already on line %(first)d")
                    % {"code": code, "month": f"{month:%Y-%m}", "first": seen[month, code]},
                )
            )
            continue
        seen[month, code] = line
        if _filled(cells[2]):
            cell = numbers.add(line, cells[2], errors)
            if cell is not None:
                entries.append((month, code, cell))


def format_decimal(value: Decimal, places: int | None = 4) -> str:
    """A plain decimal without exponent, rounded half up to ``places`` with trailing zeros cut."""
    if places is not None:
        context = Context(prec=max(28, value.adjusted() + places + 2), rounding=ROUND_HALF_UP)
        # Enough digits for the whole number and the places: quantize never fails then.
        value = value.quantize(Decimal(1).scaleb(-places), context=context).normalize(context)
    if value == 0:
        return "0"
    return format(value, "f")


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
                note = result.reason.note() if result.reason else ""
                writer.writerow([period.label, code, "", note])
            else:
                writer.writerow([period.label, code, format_decimal(result.value), ""])
    return output.getvalue()
