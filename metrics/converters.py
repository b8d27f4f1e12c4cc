"""URL parts with a shape of their own, so that no pattern can swallow another's URLs.

Registered once in ``metrics.apps``: ``<month:month>`` is a ``date`` (the first of the month),
``<quarter:quarter>`` a label such as ``2025-Q1`` (read with the business's financial year by
the view), ``<token:token>`` the random key of an upload waiting to be confirmed.
"""

from __future__ import annotations

from datetime import date

from metrics.engine import parse_month


class MonthConverter:
    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> date:
        return parse_month(value)  # a PeriodError is a ValueError: the URL does not match

    def to_url(self, value: date | str) -> str:
        return f"{value:%Y-%m}" if isinstance(value, date) else parse_month(value).strftime("%Y-%m")


class QuarterConverter:
    regex = r"[0-9]{4}-Q[1-4]"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: object) -> str:
        return str(value)


class TokenConverter:
    """``secrets.token_urlsafe(16)``: 22 letters, digits, dashes and underscores."""

    regex = r"[A-Za-z0-9_-]{22}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
