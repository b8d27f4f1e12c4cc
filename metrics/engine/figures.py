"""The engine's input: figures per month, and how months roll up into a longer period."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType

from metrics.engine.catalogue import Aggregation

EMPTY: Mapping[str, Decimal] = MappingProxyType({})


class MonthlyFigures(Mapping[date, Mapping[str, Decimal]]):
    """Immutable figures per month (the first day); a figure that was not entered is absent."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[date, Mapping[str, Decimal | int | None]] | None = None):
        rows: dict[date, dict[str, Decimal]] = {}
        for month, values in (data or {}).items():
            if isinstance(month, datetime) or not isinstance(month, date) or month.day != 1:
                raise ValueError(f"Months must be dates on the first day, not {month!r}")
            row: dict[str, Decimal] = {}
            for code, value in values.items():
                if value is None:
                    continue
                if isinstance(value, bool) or not isinstance(value, int | Decimal):
                    raise TypeError(f"Figure {code} must be a Decimal or an int, not {value!r}")
                number = Decimal(value)
                if not number.is_finite():
                    raise ValueError(f"Figure {code} must be a finite number, not {value!r}")
                row[code] = number
            rows[month] = row
        self._data = dict(sorted(rows.items()))

    def __getitem__(self, month: date) -> Mapping[str, Decimal]:
        return MappingProxyType(self._data[month])

    def __iter__(self) -> Iterator[date]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"MonthlyFigures({self._data!r})"

    @property
    def rows(self) -> Mapping[date, Mapping[str, Decimal]]:
        """The months and their figures, unwrapped, for the engine's inner loops (read only)."""
        return self._data

    @property
    def first_month(self) -> date | None:
        """The earliest month in the data, or None when there is none."""
        return next(iter(self._data), None)

    @property
    def last_month(self) -> date | None:
        """The latest month in the data, or None when there is none."""
        return next(reversed(self._data), None)

    def value(self, month: date, code: str) -> Decimal | None:
        """One figure for one month, or None when it is missing."""
        return self._data.get(month, EMPTY).get(code)

    def codes(self) -> set[str]:
        """Every figure code that has at least one value."""
        return {code for row in self._data.values() for code in row}


def aggregate(
    aggregations: list[tuple[str, Aggregation]], rows: list[Mapping[str, Decimal]]
) -> dict[str, Decimal]:
    """Roll months up by each figure's aggregation; a figure absent from any month is left out."""
    first, last = rows[0], rows[-1]
    count = Decimal(len(rows))
    figures: dict[str, Decimal] = {}
    for code, aggregation in aggregations:
        try:
            values = [row[code] for row in rows]
        except KeyError:
            continue
        if aggregation is Aggregation.SUM:
            figures[code] = sum(values, Decimal(0))
        elif aggregation is Aggregation.LAST:
            figures[code] = last[code]
        elif aggregation is Aggregation.FIRST:
            figures[code] = first[code]
        else:
            figures[code] = sum(values, Decimal(0)) / count
    return figures
