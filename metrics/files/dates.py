"""Months and days as people write them in a spreadsheet, in any of the app's languages.

A figures file's month may be ``2026-10``, ``10/2026``, ``oct. 2026``, ``octobre 2026``,
``Oct 2026``, ``жовтень 2026`` or ``жовт. 2026``, or a whole day such as ``01/10/2026``; a sales
list's day may be ``2026-10-01``, ``01/10/2026``, ``1.10.2026``, ``1 octobre 2026`` or
``1 жовтня 2026``, with a time after it as tills write. Month names are CLDR's (through Babel)
for every enabled language: wide and abbreviated, with and without the dot, in the format
(genitive, ``жовтня``) and stand-alone (nominative, ``жовтень``) forms, matched without case or
accents.

The order of day and month in ``A/B/YYYY`` (also with ``.`` or ``-``):

- a year first (``2026/10/01``) is always year, month, day;
- otherwise the day comes first, as in French, Dutch, Arabic, Ukrainian and British English:
  ``01/10/2026`` is 1 October 2026;
- only when the person's language is English is month first possible, and only when the
  numbers prove it: the second number is over 12 (``10/25/2026`` is 25 October), or the file
  (``DayOrder.of``) has such a date and none whose first number is over 12. A file that has
  both is read day first, and its month-first dates are refused line by line;
- in the other languages ``10/25/2026`` is not a date: the message says to write the day first.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from enum import StrEnum

from babel.dates import get_month_names
from django.conf import settings

from metrics.engine.periods import FIRST_YEAR, LAST_YEAR


class DayOrder(StrEnum):
    """Which of ``A/B/YYYY`` is the day."""

    DAY_FIRST = "day_first"
    MONTH_FIRST = "month_first"

    @classmethod
    def of(cls, texts: Iterable[str], language: str | None) -> DayOrder:
        """The order of a whole file's dates: month first only in English, and when proved."""
        if not month_first_possible(language):
            return cls.DAY_FIRST
        month_first = False
        for text in texts:
            numbers = _numeric(text)
            if numbers is None or numbers[0] > 31:  # year first: says nothing about the order
                continue
            if numbers[0] > 12:
                return cls.DAY_FIRST
            month_first = month_first or numbers[1] > 12
        return cls.MONTH_FIRST if month_first else cls.DAY_FIRST


def month_first_possible(language: str | None) -> bool:
    """Whether 10/25/2026 may be read month first: only for someone reading in English."""
    return (language or "en").split("-")[0].lower() == "en"


def fold(text: str) -> str:
    """Text without case, accents, hamza or tatweel, and with single spaces: to compare words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("\u0640", ""))
    kept = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(kept.split())


@functools.cache
def month_words() -> dict[str, int]:
    """Every CLDR month name of the enabled languages, folded, with its month number.

    A word that would name two different months in two languages is left out.
    """
    words: dict[str, int] = {}
    clashes: set[str] = set()
    for language, _name in settings.LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, language).items():
                    folded = fold(name)
                    for word in {folded, folded.rstrip(".")}:
                        if words.setdefault(word, number) != number:
                            clashes.add(word)
    for word in clashes:
        del words[word]
    return words


_YEAR = r"(\d{4})"
_NUMERIC_DAY = re.compile(r"(\d{1,4})([/.\-])(\d{1,2})\2(\d{1,4})")
_NUMERIC_MONTH = re.compile(r"(\d{1,4})[/.\-](\d{1,4})")
_NAMED = re.compile(r"(?:(\d{1,2})\.?\s+)?([^\d\s,]+)\.?\s*(\d{1,2})?,?\s+" + _YEAR)
_YEAR_NAMED = re.compile(_YEAR + r"\s+([^\d\s,]+)\.?(?:\s+(\d{1,2}))?")
# A time after the day, as tills write: 01/10/2026 14:32 or 2026-10-01T14:32:05.
_TIME = re.compile(r"[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?$", re.I)


def _numeric(text: str) -> tuple[int, int, int] | None:
    match = _NUMERIC_DAY.fullmatch(_TIME.sub("", text.strip()))
    if match is None:
        return None
    return int(match[1]), int(match[3]), int(match[4])


def order_matters(text: str) -> bool:
    """Whether ``text`` is a day whose reading depends on the file's ``DayOrder``: A/B/YYYY."""
    numbers = _numeric(text)
    return numbers is not None and numbers[0] <= 31


def _day_of(year: int, month: int, day: int) -> date | None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _named(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) of ``1 octobre 2026``, ``Oct 1, 2026``, ``oct. 2026`` (day 1)."""
    folded = fold(text)
    if match := _NAMED.fullmatch(folded):
        day, word, after, year = match[1], match[2], match[3], match[4]
    elif match := _YEAR_NAMED.fullmatch(folded):
        year, word, day, after = match[1], match[2], match[3], None
    else:
        return None
    month = month_words().get(word.rstrip(".")) or month_words().get(word)
    if month is None or (day and after):
        return None
    return int(year), month, int(day or after or 1)


def read_day(text: str, language: str | None, order: DayOrder | None = None) -> date | None:
    """The day ``text`` names, or None; ``order`` is the file's (``DayOrder.of``), if known."""
    cleaned = _TIME.sub("", text.strip())
    numbers = _numeric(cleaned)
    if numbers is not None:
        first, second, last = numbers
        if first > 31:
            return _day_of(first, second, last)
        if last < 1000:
            return None  # a two-digit year could be any century
        chosen = order or DayOrder.of([cleaned], language)
        if chosen is DayOrder.MONTH_FIRST:
            return _day_of(last, first, second)
        return _day_of(last, second, first)
    named = _named(cleaned)
    return _day_of(*named) if named else None


def read_month(text: str, language: str | None, order: DayOrder | None = None) -> date | None:
    """The month ``text`` names (its first day), or None.

    ``2026-10``, ``10/2026``, ``oct. 2026``, ``octobre 2026``, ``2026 oct`` or a whole day.
    """
    cleaned = text.strip()
    if match := _NUMERIC_MONTH.fullmatch(cleaned):
        first, second = int(match[1]), int(match[2])
        year, month = (first, second) if first > 31 else (second, first)
        return _day_of(year, month, 1) if year >= 1000 else None
    day = read_day(cleaned, language, order)
    return None if day is None else day.replace(day=1)
