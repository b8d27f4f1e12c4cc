"""Numbers as people type them: decimal comma or point, grouping, signs, other digits."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils import formats, translation
from django.utils.translation import gettext as _

from metrics.engine import FIGURES, FigureDef, Unit
from metrics.files.csv import (
    format_decimal,
)
from metrics.formatting import format_number

# The Entry.value column: 18 digits, 4 of them after the decimal separator.
MAX_PLACES = 4


MAX_WHOLE_DIGITS = 14


# Built-in figures that may be below zero: a bank balance can be overdrawn. Other built-in
# figures are counts, or flows of money that are never negative.
SIGNED_FIGURES = frozenset({"cash_end"})


# A business's own figures may be below zero when they are money or a rate.
SIGNED_UNITS = frozenset({Unit.MONEY, Unit.PERCENT, Unit.RATIO})


_ARABIC_DECIMAL = "\u066b"


_ARABIC_GROUP = "\u066c"


_NORMALISE = str.maketrans(
    {
        # Arabic-Indic and Persian digits are digits too.
        **{ord(char): str(index) for index, char in enumerate("٠١٢٣٤٥٦٧٨٩")},
        **{ord(char): str(index) for index, char in enumerate("۰۱۲۳۴۵۶۷۸۹")},
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
        _ARABIC_GROUP: " ",
    }
)


_CURRENCY = "€£$"


_ALLOWED = re.compile(r"[0-9., \u066b]*")


_GROUPED = re.compile(r"\d{1,3}(?:[ .,]\d{3})*")


class NumberError(ValueError):
    """Typed text that is not a number this application can store; ``message`` says why."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def decimal_separator(language: str | None = None) -> str:
    """The decimal separator of a language: ``.`` in English, ``,`` in French or Dutch."""
    lang = (language or translation.get_language() or "en").split("-")[0]
    return str(formats.get_format("DECIMAL_SEPARATOR", lang=lang, use_l10n=True))


def number_example(language: str | None = None) -> str:
    """A number written the language's way, to show in messages: 1 234,50 or 1,234.50."""
    return format_number(Decimal("1234.5"), 2, language)


def _split_sign(text: str) -> tuple[bool, str]:
    body = text.translate(_NORMALISE).strip().strip(_CURRENCY).strip()
    negative = body.startswith("-")
    if negative or body.startswith("+"):
        body = body[1:].strip().strip(_CURRENCY).strip()
    return negative, body


def _decimal_mark(body: str, language: str | None) -> str | None:
    """Which character separates the decimals in ``body``, or None for a whole number."""
    if _ARABIC_DECIMAL in body:
        return _ARABIC_DECIMAL
    last_point, last_comma = body.rfind("."), body.rfind(",")
    if last_point >= 0 and last_comma >= 0:
        # Both: the one that comes last separates decimals, as in 1.234,5 or 1,234.5.
        return "." if last_point > last_comma else ","
    mark = "." if last_point >= 0 else "," if last_comma >= 0 else None
    if mark is None:
        return None
    if body.count(mark) > 1:
        return None  # 1.234.567: only thousands separators.
    whole, decimals = body.split(mark)
    if len(decimals) != 3 or " " in whole or not 1 <= len(whole) <= 3 or whole.startswith("0"):
        return mark
    # 1,234 or 1.234: the reader's language decides.
    return mark if mark == decimal_separator(language) else None


def parse_decimal(text: str, language: str | None = None, label: str | None = None) -> Decimal:
    """Read a number typed with a decimal comma or point, e.g. ``1 234,50`` or ``-12.5``.

    When one separator is followed by exactly three digits (``1,234``), the separator of the
    language decides whether it groups thousands or starts the decimals. Raises NumberError.
    """
    name = label or _("The value")
    example = number_example(language)
    negative, body = _split_sign(text)
    if not body or not _ALLOWED.fullmatch(body) or not any(char.isdigit() for char in body):
        raise NumberError(
            _("%(name)s must be a number, for example %(example)s.")
            % {"name": name, "example": example}
        )
    mark = _decimal_mark(body, language)
    whole, decimals = body.rsplit(mark, 1) if mark else (body, "")
    if mark and not decimals.isdigit():
        raise NumberError(
            _("%(name)s must be a number, for example %(example)s.")
            % {"name": name, "example": example}
        )
    if _ARABIC_DECIMAL in whole:
        raise NumberError(
            _("“%(text)s” has more than one decimal separator.") % {"text": text.strip()}
        )
    grouped = whole not in ("",) and not whole.isdigit()
    if grouped and (not _GROUPED.fullmatch(whole) or len(set(re.sub(r"\d", "", whole))) > 1):
        raise NumberError(
            _(
                "%(name)s: check the thousands separators in “%(text)s”. Write the number "
                "without them, or like %(example)s."
            )
            % {"name": name, "text": text.strip(), "example": example}
        )
    digits = re.sub(r"\D", "", whole) or "0"
    try:
        value = Decimal(f"{digits}.{decimals}" if decimals else digits)
    except InvalidOperation:  # pragma: no cover - the patterns above only let digits through
        raise NumberError(
            _("%(name)s must be a number, for example %(example)s.")
            % {"name": name, "example": example}
        ) from None
    if len(decimals.rstrip("0")) > MAX_PLACES:
        raise NumberError(
            _("%(name)s can have at most %(places)d digits after the decimal separator.")
            % {"name": name, "places": MAX_PLACES}
        )
    if len(digits.lstrip("0")) > MAX_WHOLE_DIGITS:
        raise NumberError(_("%(name)s is too large.") % {"name": name}, code="too_large")
    return -value if negative and value else value


def format_for_input(value: Decimal, language: str | None = None) -> str:
    """A stored value as a person would type it again: no grouping, trailing zeros cut."""
    return format_decimal(value.normalize(), None).replace(".", decimal_separator(language))


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
    """Whether a value has at most 14 digits before and 4 after the decimal separator."""
    exponent = value.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else MAX_PLACES + 1
    return places <= MAX_PLACES and abs(value) < Decimal(10) ** MAX_WHOLE_DIGITS
