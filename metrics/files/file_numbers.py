"""The numbers of a file, read once the whole file shows its decimal separator.

A file is read in two passes over its number cells: each cell is scanned as the month form
scans a typed number (``metrics.files.numbers.scan``), and only once every cell is in does the
file settle an ambiguous 1,234. ``StreamedNumbers`` does the same while a sales list streams,
reading each distinct text once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _

from metrics.files.cells import Cell, InputError
from metrics.files.numbers import NotANumber, Problem, Shape, Typed, scan

DecimalSeparator = Literal["point", "comma"]


_MARKS: dict[str, str] = {"point": ".", "comma": ","}


MAX_NUMBER_LENGTH = 40


@dataclass(slots=True)
class NumberCell:
    """A number cell of a file: typed text, or a Decimal a spreadsheet typed (``exact``)."""

    line: int
    raw: str
    typed: Typed | None
    exact: Decimal | None = None

    def value(self, separator: DecimalSeparator) -> Decimal:
        if self.typed is None:
            assert self.exact is not None
            return self.exact
        return self.typed.value(_MARKS[separator])


class FileNumbers:
    """Number cells of one file, read once the whole file shows its decimal separator.

    kpi-reference §5: a thousands separator is allowed only where it cannot be mistaken for a
    decimal separator, and the importer asks (or takes an option) when in doubt.
    """

    def __init__(self, separator: DecimalSeparator | None) -> None:
        self.separator = separator
        self.cells: list[NumberCell] = []

    def add(self, line: int, raw: Cell, errors: list[InputError]) -> NumberCell | None:
        if isinstance(raw, Decimal):
            return NumberCell(line, str(raw), None, raw)
        text = raw.isoformat() if isinstance(raw, date) else raw
        try:
            if len(text.strip()) > MAX_NUMBER_LENGTH:
                raise NotANumber(Problem.NOT_A_NUMBER)
            typed = scan(text)
        except NotANumber:
            errors.append(InputError(line, _not_a_number(text)))
            return None
        cell = NumberCell(line, text.strip(), typed)
        self.cells.append(cell)
        return cell

    def _first(self, shape: Shape) -> NumberCell | None:
        return next((cell for cell in self.cells if cell.typed and cell.typed.shape is shape), None)

    def decide(self, errors: list[InputError]) -> DecimalSeparator | None:
        """The file's decimal separator, or None (with errors) when it cannot be decided."""
        if self.separator is not None:
            return self._check_option(self.separator, errors)
        first = {
            shape: None if cell is None else (cell.line, cell.raw)
            for shape in (Shape.POINT, Shape.COMMA, Shape.AMBIGUOUS)
            for cell in [self._first(shape)]
        }
        return decide_separator(first, errors)

    def _check_option(
        self, separator: DecimalSeparator, errors: list[InputError]
    ) -> DecimalSeparator | None:
        other = Shape.COMMA if separator == "point" else Shape.POINT
        wrong = [cell for cell in self.cells if cell.typed and cell.typed.shape is other]
        for cell in wrong:
            errors.append(InputError(cell.line, _option_message(cell.raw, other, separator)))
        return None if wrong else separator


# A number cell as kept for the decision: its line and its text.
Seen = tuple[int, str]


def decide_separator(
    first: dict[Shape, Seen | None], errors: list[InputError]
) -> DecimalSeparator | None:
    """The decimal separator of a file from the first cell of each shape, or None with errors."""
    point, comma = first.get(Shape.POINT), first.get(Shape.COMMA)
    if point and comma:
        message = _(
            "The file mixes a decimal point (“%(point)s” on line %(point_line)d) "
            "and a decimal comma (“%(comma)s” on line %(comma_line)d)"
        ) % {
            "point": point[1],
            "point_line": point[0],
            "comma": comma[1],
            "comma_line": comma[0],
        }
        errors.append(InputError(max(point[0], comma[0]), message))
        return None
    if point or comma:
        return "point" if point else "comma"
    ambiguous = first.get(Shape.AMBIGUOUS)
    if ambiguous:
        message = _(
            "Cannot tell whether “%(text)s” uses a decimal point or a decimal comma "
            "(a thousands separator); say which decimal separator the file uses"
        ) % {"text": ambiguous[1]}
        errors.append(InputError(ambiguous[0], message))
        return None
    return "point"


def _option_message(raw: str, other: Shape, separator: DecimalSeparator) -> str:
    return _(
        "“%(text)s” uses a decimal %(found)s, but the decimal separator was set to %(chosen)s"
    ) % {"text": raw, "found": other.value, "chosen": separator}


def _not_a_number(text: str) -> str:
    return _(
        "“%(text)s” is not a number; write digits with a decimal point or a "
        "decimal comma, without letters or exponents"
    ) % {"text": text.strip()[:MAX_NUMBER_LENGTH]}


# Digits, and at most one decimal point or comma: how nearly every till writes an amount.
_PLAIN = re.compile(r"(\d+)(?:([.,])(\d+))?")


# Each distinct text is read once; a file repeats its amounts (prices) and quantities a lot.
MAX_REMEMBERED = 65_536


# A number as a file's reading keeps it: its shape, and its value with a decimal point and with
# a decimal comma (the same unless the shape is ambiguous).
Both = tuple[Shape, Decimal, Decimal]


def _plain(text: str) -> Both | None:
    """``scan`` for plain digits with at most one mark, in a fraction of its time; else None."""
    match = _PLAIN.fullmatch(text)
    if match is None:
        return None
    whole, mark, decimals = match.groups()
    if not mark:
        value = Decimal(whole)
        return Shape.WHOLE, value, value
    if len(decimals) == 3 and len(whole) <= 3 and not whole.startswith("0"):
        grouped = Decimal(whole + decimals)
        split = Decimal(f"{whole}.{decimals}")
        return (Shape.AMBIGUOUS, split, grouped) if mark == "." else (
            Shape.AMBIGUOUS, grouped, split
        )  # fmt: skip
    value = Decimal(f"{whole}.{decimals}")
    return (Shape.POINT if mark == "." else Shape.COMMA), value, value


class StreamedNumbers:
    """Number cells read as a file streams by, keeping only what decides its separator.

    ``FileNumbers`` keeps every cell until the end; a ledger of a million sales cannot. Each
    cell is read both ways at once (``Both``), so the caller can add up both readings and keep
    one when ``decide`` names the separator. The first cell of each shape is all the decision
    needs. Distinct texts are read once; plain digits skip ``scan`` (``_plain``).
    """

    def __init__(self, separator: DecimalSeparator | None) -> None:
        self.separator = separator
        self.first: dict[Shape, Seen | None] = {}
        self.known: dict[str, Both] = {}
        # The shape that contradicts the separator given, if one is.
        self.wrong: Shape | None = None
        if separator is not None:
            self.wrong = Shape.COMMA if separator == "point" else Shape.POINT
        self.wrong_found = False

    def read(self, line: int, raw: Cell, errors: list[InputError]) -> Both | None:
        """The cell both ways, or None with its error."""
        if isinstance(raw, Decimal):
            return Shape.WHOLE, raw, raw
        text = raw.isoformat() if isinstance(raw, date) else raw
        both = self.known.get(text)
        if both is None:
            both = self._read(text)
            if both is None:
                errors.append(InputError(line, _not_a_number(text)))
                return None
            # The first cell of a shape is the first of some text: only a new text can be it.
            shape = both[0]
            if shape is not Shape.WHOLE and self.first.get(shape) is None:
                self.first[shape] = (line, text.strip())
            if len(self.known) < MAX_REMEMBERED:
                self.known[text] = both
        if self.wrong is not None and both[0] is self.wrong:
            assert self.separator is not None
            self.wrong_found = True
            errors.append(
                InputError(line, _option_message(text.strip(), self.wrong, self.separator))
            )
        return both

    @staticmethod
    def _read(text: str) -> Both | None:
        stripped = text.strip()
        if len(stripped) > MAX_NUMBER_LENGTH:
            return None
        fast = _plain(stripped)
        if fast is not None:
            return fast
        try:
            typed = scan(stripped)
        except NotANumber:
            return None
        return typed.shape, typed.value("."), typed.value(",")

    def decide(self, errors: list[InputError]) -> DecimalSeparator | None:
        """The file's decimal separator, or None (with errors) when it cannot be decided."""
        if self.separator is not None:
            return None if self.wrong_found else self.separator
        return decide_separator(self.first, errors)
