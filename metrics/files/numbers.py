"""Numbers as people type them: decimal comma or point, grouping, signs, other digits.

One reader for the month form and for files. ``scan`` reads the text alone; what it cannot know,
whether ``1,234`` groups thousands or starts decimals, the caller decides: the form from the
reader's language, a file from its other cells (``metrics.files.csv``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _

from metrics.engine import FIGURES, FigureDef, Unit
from metrics.formatting import decimal_symbol, format_number

# The Entry.value column: 18 digits, 4 of them after the decimal separator.
MAX_PLACES = 4


MAX_WHOLE_DIGITS = 14


# SQLite keeps 15 significant digits of a number, as Excel does; PostgreSQL keeps all 18 of the
# column. A value of at most 15 digits reads back the same from both: 99999999999999.9999 came
# back from SQLite as 10^14, which no longer fits the column, and every page that read it failed.
MAX_DIGITS = 15


# Every value that fits: below this in size, at most MAX_PLACES decimals and MAX_DIGITS digits.
VALUE_LIMIT = Decimal(10) ** MAX_WHOLE_DIGITS


# Built-in figures that may be below zero: a bank balance can be overdrawn. Other built-in
# figures are counts, or flows of money that are never negative.
SIGNED_FIGURES = frozenset({"cash_end"})


# A business's own figures may be below zero when they are money or a rate.
SIGNED_UNITS = frozenset({Unit.MONEY, Unit.PERCENT, Unit.RATIO})


_ARABIC_DECIMAL = "\u066b"


_NORMALISE = str.maketrans(
    {
        # Arabic-Indic and Persian digits are digits too.
        **{char: str(index) for index, char in enumerate("٠١٢٣٤٥٦٧٨٩")},
        **{char: str(index) for index, char in enumerate("۰۱۲۳۴۵۶۷۸۹")},
        # Minus signs that phones and word processors put in.
        "\u2212": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\ufe63": "-",
        "\uff0d": "-",
        # Spaces and apostrophes that group thousands.
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "'": " ",
        "\u2019": " ",
        "\u066c": " ",  # the Arabic thousands separator
    }
)


# Symbols people type around an amount; "$" too, though no business keeps its books in dollars.
_CURRENCY = "€£$"


_ALLOWED = re.compile(r"[0-9., \u066b]*")


_GROUPED = re.compile(r"\d{1,3}(?:[ .,]\d{3})*")


class Shape(StrEnum):
    """What a typed number says about the decimal separator of the text it comes from."""

    WHOLE = "whole"  # no decimal separator: 1234, 1 234
    ARABIC = "arabic"  # the Arabic decimal separator, which nothing else can mean: ١٢٣٫٥
    POINT = "point"  # 1.5, 1,234.5, 1,234,567
    COMMA = "comma"  # 1,5, 1.234,5, 1.234.567
    AMBIGUOUS = "ambiguous"  # 1,234 or 1.234: a thousand and more, or one and a bit


class Problem(StrEnum):
    """Why a text is not a number."""

    NOT_A_NUMBER = "not_a_number"
    GROUPING = "grouping"  # 12 34, 1.2.3: the thousands separators are wrong
    DECIMAL_MARKS = "decimal_marks"  # two Arabic decimal separators


@dataclass(frozen=True, slots=True)
class Typed:
    """A number as typed, read as far as the text alone allows."""

    negative: bool
    shape: Shape
    whole: str  # the digits before the decimal separator ("0" when none were typed)
    decimals: str  # the digits after it
    mark: str  # the separator before ``decimals``; "" when there is none

    def value(self, decimal: str) -> Decimal:
        """The number, with ``decimal`` ("." or ",") deciding what an ambiguous 1,234 means."""
        whole, decimals = self.whole, self.decimals
        if self.shape is Shape.AMBIGUOUS and self.mark != decimal:
            whole, decimals = whole + decimals, ""
        number = Decimal(f"{whole}.{decimals}" if decimals else whole)
        return -number if self.negative and number else number


class NotANumber(ValueError):
    """Text that ``scan`` cannot read as a number."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def _split_sign(text: str) -> tuple[bool, str]:
    body = text.translate(_NORMALISE).strip().strip(_CURRENCY).strip()
    negative = body.startswith("-")
    if negative or body.startswith("+"):
        body = body[1:].strip().strip(_CURRENCY).strip()
    return negative, body


def _mark(body: str) -> tuple[str, Shape]:
    """Which character separates the decimals in ``body`` ("" for none), and the shape."""
    if _ARABIC_DECIMAL in body:
        return _ARABIC_DECIMAL, Shape.ARABIC
    last_point, last_comma = body.rfind("."), body.rfind(",")
    if last_point >= 0 and last_comma >= 0:
        # Both: the one that comes last separates decimals, as in 1.234,5 or 1,234.5.
        return (".", Shape.POINT) if last_point > last_comma else (",", Shape.COMMA)
    mark = "." if last_point >= 0 else "," if last_comma >= 0 else ""
    if not mark:
        return "", Shape.WHOLE
    if body.count(mark) > 1:
        # 1.234.567: only thousands separators, so the decimals would take the other one.
        return "", Shape.COMMA if mark == "." else Shape.POINT
    shape = Shape.POINT if mark == "." else Shape.COMMA
    whole, decimals = body.split(mark)
    if len(decimals) != 3 or " " in whole or not 1 <= len(whole) <= 3 or whole.startswith("0"):
        return mark, shape
    return mark, Shape.AMBIGUOUS


def scan(text: str) -> Typed:
    """Read ``text`` as far as it can be read alone; raises NotANumber."""
    negative, body = _split_sign(text)
    if not body or not _ALLOWED.fullmatch(body) or not any(char.isdigit() for char in body):
        raise NotANumber(Problem.NOT_A_NUMBER)
    mark, shape = _mark(body)
    whole, decimals = body.rsplit(mark, 1) if mark else (body, "")
    if mark and not decimals.isdigit():
        raise NotANumber(Problem.NOT_A_NUMBER)
    if _ARABIC_DECIMAL in whole:
        raise NotANumber(Problem.DECIMAL_MARKS)
    separators = set(re.sub(r"\d", "", whole))
    if separators and (not _GROUPED.fullmatch(whole) or len(separators) > 1):
        raise NotANumber(Problem.GROUPING)
    return Typed(negative, shape, re.sub(r"\D", "", whole) or "0", decimals, mark)


def number_example(language: str | None = None) -> str:
    """A number written the language's way, to show in messages: 1 234,50 or 1,234.50."""
    return format_number(Decimal("1234.5"), 2, language)


class NumberError(ValueError):
    """Typed text that is not a number this application can store; ``message`` says why."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _problem_message(problem: Problem, text: str, name: str, example: str) -> str:
    if problem is Problem.GROUPING:
        return _(
            "%(name)s: check the thousands separators in “%(text)s”. Write the number "
            "without them, or like %(example)s."
        ) % {"name": name, "text": text.strip(), "example": example}
    if problem is Problem.DECIMAL_MARKS:
        return _("“%(text)s” has more than one decimal separator.") % {"text": text.strip()}
    return _("%(name)s must be a number, for example %(example)s.") % {
        "name": name,
        "example": example,
    }


def parse_decimal(text: str, language: str | None = None, label: str | None = None) -> Decimal:
    """Read a number typed with a decimal comma or point, e.g. ``1 234,50`` or ``-12.5``.

    When one separator is followed by exactly three digits (``1,234``), the separator of the
    language decides whether it groups thousands or starts the decimals. Raises NumberError.
    """
    name = label or _("The value")
    try:
        typed = scan(text)
    except NotANumber as error:
        raise NumberError(
            _problem_message(error.problem, text, name, number_example(language))
        ) from None
    if len(typed.whole.lstrip("0")) > MAX_WHOLE_DIGITS:
        raise NumberError(_too_large(name), code="too_large")
    value = typed.value(decimal_symbol(language))
    problem = storage_problem(value, name)
    if problem:
        raise NumberError(problem)
    return value


def _too_large(name: str) -> str:
    return _(
        "%(name)s is too large: use at most %(whole)d digits before the decimal separator."
    ) % {"name": name, "whole": MAX_WHOLE_DIGITS}


def storage_problem(value: Decimal, name: str) -> str | None:
    """Why a value cannot be stored the same on every database, in a sentence; None if it can.

    The one bound of a figure's value, for the month form, the imports and the model.
    """
    if not value.is_finite() or abs(value) >= VALUE_LIMIT:
        return _too_large(name)
    _sign, digits, exponent = value.normalize().as_tuple()
    assert isinstance(exponent, int)
    if -exponent > MAX_PLACES:
        return _("%(name)s can have at most %(places)d digits after the decimal separator.") % {
            "name": name,
            "places": MAX_PLACES,
        }
    # Significant digits: what SQLite keeps 15 of (zeros after them are kept exactly).
    if len(digits) > MAX_DIGITS:
        return _(
            "%(name)s has too many digits: use at most %(digits)d in all, of which at most "
            "%(places)d after the decimal separator."
        ) % {"name": name, "digits": MAX_DIGITS, "places": MAX_PLACES}
    return None


def format_for_input(value: Decimal, language: str | None = None, *, places: int = 0) -> str:
    """A stored value as a person types it: 1 234,50 comes back as 1 234,50, not 1234,5.

    Grouped the language's way with a plain space and a hyphen-minus (what a keyboard has),
    with the decimals the value has and at least ``places`` (2 for money); ``parse_decimal``
    reads it back to the same value in the same language.
    """
    exponent = value.normalize().as_tuple().exponent
    decimals = min(MAX_PLACES, -exponent) if isinstance(exponent, int) and exponent < 0 else 0
    text = format_number(value, max(places, decimals), language)
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2212", "-")


def can_be_negative(figure: FigureDef) -> bool:
    """Whether a figure may be below zero (a bank balance may; a count of visitors may not)."""
    if figure.code in FIGURES:
        return figure.code in SIGNED_FIGURES
    return figure.unit in SIGNED_UNITS


def value_problem(figure: FigureDef, value: Decimal, label: str | None = None) -> str | None:
    """What is wrong with a value for this figure, in a sentence, or None when it is fine."""
    name = label or str(figure.name)
    if value < 0 and not can_be_negative(figure):
        return _("%(name)s cannot be negative.") % {"name": name}
    if figure.unit is Unit.COUNT and value != value.to_integral_value():
        return _("%(name)s is a count: enter a whole number.") % {"name": name}
    return None


def fits_storage(value: Decimal) -> bool:
    """Whether a value can be stored the same on every database (``storage_problem``)."""
    return storage_problem(value, "") is None
