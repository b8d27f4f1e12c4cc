"""Sales ledgers: one row per sale in, monthly figures out (kpi-reference section 5)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext

from metrics.engine.compute import MonthlyFigures
from metrics.engine.periods import (
    FIRST_YEAR,
    LAST_YEAR,
    add_months,
)
from metrics.files.cells import (
    Cell,
    FileFormatError,
    InputError,
    Row,
    cell_text,
    filled,
    fits,
    width_error,
)
from metrics.files.csv import csv_rows
from metrics.files.numbers import DecimalSeparator, FileNumbers, NumberCell

DERIVED_FIGURES = (
    "revenue",
    "orders",
    "units_sold",
    "customers_end",
    "new_customers",
    "customers_start",
    "customers_lost",
)


@dataclass(frozen=True, slots=True)
class Transaction:
    """One sale from a transactions file."""

    day: date
    customer: str
    amount: Decimal
    quantity: Decimal | None
    line: int


_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def read_transactions_csv(text: str, decimal: DecimalSeparator | None = None) -> list[Transaction]:
    """Read ``date,customer,amount[,quantity]`` rows (columns in any order; others ignored)."""
    return read_transactions_rows(csv_rows(text), decimal)


def _columns(header_line: int, header: Sequence[Cell]) -> tuple[dict[str, int], int]:
    """Where each named column is (the first of a name wins), and the header's width."""
    names = [cell_text(cell).lower() for cell in header]
    columns = {name: index for index, name in reversed(list(enumerate(names)))}
    missing = [name for name in ("date", "customer", "amount") if name not in columns]
    if missing:
        message = gettext(
            "The header lacks the columns: %(columns)s; it must start with %(header)s"
        ) % {"columns": ", ".join(missing), "header": "date,customer,amount[,quantity]"}
        raise FileFormatError([InputError(header_line, message)])
    width = len(names)
    while width > 1 and not names[width - 1]:
        width -= 1
    return columns, width


# A sale read up to its numbers: line, day, customer, amount and quantity.
_Pending = tuple[int, date, str, NumberCell, NumberCell | None]


def read_transactions_rows(
    rows: Iterable[Row], decimal: DecimalSeparator | None = None
) -> list[Transaction]:
    """``read_transactions_csv`` for rows already split into cells; they are read as they come."""
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        raise FileFormatError([InputError(1, gettext("The file is empty"))])
    header_line, header = first
    columns, width = _columns(header_line, header)
    at_date, at_customer, at_amount = columns["date"], columns["customer"], columns["amount"]
    at_quantity = columns.get("quantity")
    errors: list[InputError] = []
    numbers = FileNumbers(decimal)
    pending: list[_Pending] = []
    seen_data = False
    for line, cells in iterator:
        seen_data = True
        if not fits(cells, width):
            errors.append(width_error(line, len(cells), width))
            continue
        day = _day(line, cells[at_date], errors)
        customer = cell_text(cells[at_customer])
        if not customer:
            errors.append(InputError(line, gettext("The customer is empty")))
        amount = None
        if filled(cells[at_amount]):
            amount = numbers.add(line, cells[at_amount], errors)
        else:
            errors.append(InputError(line, gettext("The amount is empty")))
        quantity = None
        if at_quantity is not None and filled(cells[at_quantity]):
            quantity = numbers.add(line, cells[at_quantity], errors)
        if day is not None and customer and amount is not None:
            pending.append((line, day, customer, amount, quantity))
    if not seen_data:
        raise FileFormatError(
            [InputError(header_line, gettext("The file has a header but no data"))]
        )
    separator = numbers.decide(errors)
    if separator is None:
        raise FileFormatError(errors)
    sales = _sales(pending, separator, errors)
    if errors:
        raise FileFormatError(errors)
    return sales


def _sales(
    pending: list[_Pending], separator: DecimalSeparator, errors: list[InputError]
) -> list[Transaction]:
    sales = []
    for line, day, customer, amount, quantity in pending:
        count = None
        if quantity is not None:
            count = quantity.value(separator)
            if count < 0 or count != count.to_integral_value():
                message = gettext("The quantity “%(text)s” must be a whole number of 0 or more")
                errors.append(InputError(line, message % {"text": quantity.raw}))
        sales.append(Transaction(day, customer, amount.value(separator), count, line))
    return sales


def _day(line: int, raw: Cell, errors: list[InputError]) -> date | None:
    if isinstance(raw, date):
        if FIRST_YEAR <= raw.year <= LAST_YEAR:
            return raw
        raw = raw.isoformat()
    text = cell_text(raw)
    match = _DATE_RE.fullmatch(text)
    day = None
    if match:
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        errors.append(
            InputError(
                line,
                gettext("“%(text)s” is not a date; write it as YYYY-MM-DD, for example 2025-03-31")
                % {"text": text},
            )
        )
        return None
    return day


def derive_figures(transactions: Iterable[Transaction]) -> MonthlyFigures:
    """Monthly figures from sales, as kpi-reference.md §5 defines them.

    Every month from the first sale to the last is included; a month without sales inside that
    span had none, so its counts are 0 rather than missing.
    """
    sales = list(transactions)
    if not sales:
        return MonthlyFigures()
    first_purchase: dict[str, date] = {}
    buyers: dict[date, set[str]] = {}
    totals: dict[date, list[Decimal]] = {}
    for sale in sales:
        month = date(sale.day.year, sale.day.month, 1)
        known = first_purchase.get(sale.customer)
        if known is None or month < known:
            first_purchase[sale.customer] = month
        buyers.setdefault(month, set()).add(sale.customer)
        revenue, orders, units = totals.setdefault(month, [Decimal(0), Decimal(0), Decimal(0)])
        totals[month] = [
            revenue + sale.amount,
            orders + 1,
            units + (sale.quantity if sale.quantity is not None else 1),
        ]
    newcomers: dict[date, int] = {}
    for month in first_purchase.values():
        newcomers[month] = newcomers.get(month, 0) + 1
    first, last = min(buyers), max(buyers)
    data: dict[date, dict[str, Decimal]] = {}
    month = first
    previous: set[str] | None = None
    while month <= last:
        current = buyers.get(month, set())
        revenue, orders, units = totals.get(month, [Decimal(0), Decimal(0), Decimal(0)])
        row = {
            "revenue": revenue,
            "orders": orders,
            "units_sold": units,
            "customers_end": Decimal(len(current)),
            "new_customers": Decimal(newcomers.get(month, 0)),
        }
        if previous is not None:
            row["customers_start"] = Decimal(len(previous))
            row["customers_lost"] = Decimal(len(previous - current))
        data[month] = row
        previous = current
        month = add_months(month, 1)
    return MonthlyFigures(data)
