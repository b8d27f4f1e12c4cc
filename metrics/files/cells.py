"""Rows and cells as every file reader sees them, and the problems found in them.

A cell is text from a CSV file or a text cell, or a number or a date that a spreadsheet typed.
Every problem carries its line as a spreadsheet shows it (the header is line 1); a reader
collects them all and raises them together, so nothing is half-read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal

from django.utils.translation import gettext

# Text from a CSV file or a text cell; a Decimal or a date typed in a spreadsheet.
Cell = str | Decimal | date


# A row of cells and its line (the row number in a spreadsheet).
Row = tuple[int, Sequence[Cell]]


# A figures file has a column per figure and a ledger four: a header wider than this is not a
# mistake but a file built to tie up the server (200,000 columns took 31 s to check).
MAX_COLUMNS = 500


# How much of a cell a message quotes: enough to find it, never a megabyte on the page.
QUOTE_LENGTH = 40


@dataclass(frozen=True, slots=True)
class InputError:
    """One problem in an input file: the 1-based line and what is wrong there."""

    line: int
    message: str

    def __str__(self) -> str:
        return gettext("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


# How many problems a reader keeps of a file; the rest are only counted. A file of a million
# bad lines would otherwise hold a million messages in memory to show 25 of them.
MAX_KEPT_ERRORS = 200


class Problems(list[InputError]):
    """A file's problems as a reader finds them: the first ``limit`` kept, the rest counted."""

    def __init__(self, limit: int = MAX_KEPT_ERRORS) -> None:
        super().__init__()
        self.limit = limit
        self.dropped = 0

    def append(self, error: InputError) -> None:
        if len(self) < self.limit:
            super().append(error)
        else:
            self.dropped += 1

    def keeps(self) -> bool:
        """Whether the next problem would be kept; if not, it is counted here and now.

        Lets a reader skip building (and translating) a message nobody will see: a file of
        80,000 repeated lines would otherwise translate 80,000 messages to show 25.
        """
        if len(self) < self.limit:
            return True
        self.dropped += 1
        return False


class FileFormatError(ValueError):
    """Every problem found in an input file, in line order; ``more`` counts those not kept."""

    def __init__(self, errors: Iterable[InputError], more: int = 0) -> None:
        self.errors = sorted(errors, key=lambda error: error.line)
        self.more = more + (errors.dropped if isinstance(errors, Problems) else 0)
        super().__init__(self.errors)

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


def format_decimal(value: Decimal, places: int | None = 4) -> str:
    """A plain decimal without exponent, rounded half up to ``places`` with trailing zeros cut."""
    if places is not None:
        context = Context(prec=max(28, value.adjusted() + places + 2), rounding=ROUND_HALF_UP)
        # Enough digits for the whole number and the places: quantize never fails then.
        value = value.quantize(Decimal(1).scaleb(-places), context=context).normalize(context)
    if value == 0:
        return "0"
    return format(value, "f")


def cell_text(cell: Cell) -> str:
    """A cell as text: a typed number without exponent, a typed date as YYYY-MM-DD."""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, Decimal):
        return format_decimal(cell, None)
    return cell.isoformat()


def quoted(text: str) -> str:
    """Text from a file as a message quotes it: cut to QUOTE_LENGTH characters."""
    text = text.strip()
    return text if len(text) <= QUOTE_LENGTH else text[: QUOTE_LENGTH - 1] + "…"


def check_width(line: int, header: Sequence[Cell]) -> None:
    """Refuse a header wider than MAX_COLUMNS before anything reads its names."""
    if len(header) > MAX_COLUMNS:
        raise FileFormatError(
            [
                InputError(
                    line,
                    gettext(
                        "The header has %(found)d columns; a file can have at most %(limit)d. "
                        "Keep only the columns with your figures."
                    )
                    % {"found": len(header), "limit": MAX_COLUMNS},
                )
            ]
        )


def filled(cell: Cell) -> bool:
    return not isinstance(cell, str) or bool(cell.strip())


def fits(cells: Sequence[Cell], width: int) -> bool:
    # Spreadsheets often add empty cells at the end of a line; those do no harm.
    size = len(cells)
    return size == width or (size > width and not any(filled(cell) for cell in cells[width:]))


def width_error(line: int, found: int, expected: int) -> InputError:
    return InputError(
        line,
        gettext("This line has %(found)d cells, but the header has %(expected)d")
        % {"found": found, "expected": expected},
    )
