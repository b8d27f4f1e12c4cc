"""Sales ledgers: one row per sale in, monthly figures out (kpi-reference section 5)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
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
    Problems,
    Row,
    cell_text,
    fits,
    quoted,
    width_error,
)
from metrics.files.csv import csv_rows
from metrics.files.file_numbers import MAX_REMEMBERED, Both, DecimalSeparator, StreamedNumbers
from metrics.files.numbers import Shape

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
    """One sale from a transactions file; ``order`` is its order id ("" when none is given)."""

    day: date
    customer: str
    amount: Decimal
    quantity: Decimal | None
    line: int
    order: str = ""


_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


# The optional columns of a sales list beyond ``quantity`` (kpi-reference §5 names the others).
ORDER, RETURNED = "order", "returned"


# What marks a returned sale in the ``returned`` column: yes in the app's languages, and what
# spreadsheets write for a ticked box. Compared without case; an empty cell is "not returned".
YES_WORDS = frozenset(
    {"yes", "y", "true", "1", "x", "✓", "✔", "oui", "vrai", "ja", "waar", "j", "نعم", "так", "т"}
)
NO_WORDS = frozenset({"no", "n", "false", "0", "non", "faux", "nee", "onwaar", "لا", "ні"})


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


# A sale as read before the file's decimal separator is known: line, day, customer, amount and
# quantity each read both ways (``metrics.files.numbers.Both``; quantity None when not given),
# and the order id.
_Sale = tuple[int, date, str, Both, Both | None, str]


class SalesReader:
    """Reads a sales list's rows as they come, keeping no row once it is read.

    ``sales()`` yields each good sale (a returned one is checked, counted and left out);
    ``finish()`` then names the decimal separator or raises FileFormatError with the problems,
    the first ``MAX_KEPT_ERRORS`` of them and a count of the rest. A day cell is read once per
    distinct text: a ledger repeats its days.
    """

    def __init__(self, rows: Iterable[Row], decimal: DecimalSeparator | None = None) -> None:
        self.iterator = iter(rows)
        first = next(self.iterator, None)
        if first is None:
            raise FileFormatError([InputError(1, gettext("The file is empty"))])
        self.header_line, header = first
        self.columns, self.width = _columns(self.header_line, header)
        self.errors = Problems()
        self.numbers = StreamedNumbers(decimal)
        self.returned = 0
        # Problems that hold with one decimal separator only: a quantity of 1,500 is 1.5 with a
        # decimal comma.
        self.if_separator: dict[DecimalSeparator, Problems] = {
            "point": Problems(),
            "comma": Problems(),
        }
        self.days: dict[Cell, date | None] = {}
        # The quantities that are whole numbers both ways and fit the separator, by their text:
        # the rest are read again each time, for their messages.
        self.whole: dict[str, Both] = {}
        self.seen_data = False

    def sales(self) -> Iterator[_Sale]:
        columns, width, errors = self.columns, self.width, self.errors
        at_date, at_customer, at_amount = columns["date"], columns["customer"], columns["amount"]
        at_quantity, at_order = columns.get("quantity"), columns.get(ORDER)
        at_returned = columns.get(RETURNED)
        numbers = self.numbers
        # The quick path of each cell inline (a known text, a day already read); the methods
        # for the rest. A big file has hundreds of thousands of lines and few distinct texts.
        known, wrong, whole = numbers.known, numbers.wrong, self.whole
        read_number, read_day, read_quantity = numbers.read, self._day, self._quantity
        for line, cells in self.iterator:
            self.seen_data = True
            if len(cells) != width and not fits(cells, width):
                errors.append(width_error(line, len(cells), width))
                continue
            raw = cells[at_date]
            if type(raw) is date and FIRST_YEAR <= raw.year <= LAST_YEAR:
                day: date | None = raw
            else:
                day = read_day(line, raw)
            raw = cells[at_customer]
            customer = raw.strip() if type(raw) is str else cell_text(raw)
            if not customer:
                errors.append(InputError(line, gettext("The customer is empty")))
            raw = cells[at_amount]
            amount = known.get(raw) if type(raw) is str else None
            if amount is None or amount[0] is wrong:
                if type(raw) is not str or raw.strip():
                    amount = read_number(line, raw, errors)
                else:
                    errors.append(InputError(line, gettext("The amount is empty")))
            quantity = None
            if at_quantity is not None:
                raw = cells[at_quantity]
                quantity = whole.get(raw) if type(raw) is str else None
                if quantity is None and (type(raw) is not str or raw.strip()):
                    quantity = read_quantity(line, raw)
            order = cell_text(cells[at_order]) if at_order is not None else ""
            returned = at_returned is not None and self._returned(line, cells[at_returned])
            if day is None or not customer or amount is None:
                continue
            if returned:
                self.returned += 1
                continue
            yield line, day, customer, amount, quantity, order

    def finish(self) -> DecimalSeparator:
        """The file's decimal separator; raises FileFormatError when the file has problems."""
        if not self.seen_data:
            raise FileFormatError(
                [InputError(self.header_line, gettext("The file has a header but no data"))]
            )
        separator = self.numbers.decide(self.errors)
        if separator is not None:
            for problem in self.if_separator[separator]:
                self.errors.append(problem)
            self.errors.dropped += self.if_separator[separator].dropped
        if self.errors or separator is None:
            raise FileFormatError(self.errors)
        return separator

    def _day(self, line: int, raw: Cell) -> date | None:
        if isinstance(raw, date):
            return _day(line, raw, self.errors)
        if raw in self.days:
            day = self.days[raw]
        else:
            day = _day(line, raw, [])
            if len(self.days) < MAX_REMEMBERED:
                self.days[raw] = day
        if day is None:
            _day(line, raw, self.errors)
        return day

    def _quantity(self, line: int, raw: Cell) -> Both | None:
        both = self.numbers.read(line, raw, self.errors)
        if both is None:
            return None
        wrong = (not _whole(both[1]), not _whole(both[2]))
        if wrong[0] or wrong[1]:
            message = gettext("The quantity “%(text)s” must be a whole number of 0 or more")
            problem = InputError(line, message % {"text": cell_text(raw)})
            if wrong[0] and wrong[1]:
                self.errors.append(problem)
            else:
                self.if_separator["point" if wrong[0] else "comma"].append(problem)
        elif (
            isinstance(raw, str)
            and both[0] is not self.numbers.wrong
            and len(self.whole) < MAX_REMEMBERED
        ):
            self.whole[raw] = both
        return both

    def _returned(self, line: int, raw: Cell) -> bool:
        word = cell_text(raw).casefold()
        if not word or word in NO_WORDS:
            return False
        if word in YES_WORDS:
            return True
        message = gettext(
            "“%(text)s” does not say whether the sale was returned: write yes (or 1, x) for a "
            "returned sale and leave the cell empty for the others"
        ) % {"text": quoted(cell_text(raw))}
        self.errors.append(InputError(line, message))
        return False


def _whole(value: Decimal) -> bool:
    return value >= 0 and value == value.to_integral_value()


def read_transactions_rows(
    rows: Iterable[Row], decimal: DecimalSeparator | None = None
) -> list[Transaction]:
    """``read_transactions_csv`` for rows already split into cells; they are read as they come.

    Each sale is kept: for small files (the command line, tests). An upload is summed as it is
    read (``summarise_sales``).
    """
    reader = SalesReader(rows, decimal)
    sales = list(reader.sales())
    comma = reader.finish() == "comma"
    return [
        Transaction(
            day,
            customer,
            amount[2] if comma else amount[1],
            None if quantity is None else quantity[2] if comma else quantity[1],
            line,
            order,
        )
        for line, day, customer, amount, quantity, order in sales
    ]


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


class _Months:
    """Sales summed by month as they are read, both ways until the decimal separator is known.

    kpi-reference §5, and the two columns it is silent on:

    - **order**: when a sale has an order id, the month's orders are its distinct order ids
      (the lines of one order are one order; an order whose lines fall in two months counts in
      each). A sale without an order id is an order of its own, as every line is when the
      column is not there. Revenue still sums every line's amount.
    - **returned**: a sale marked returned (yes, 1, x, oui, ja, نعم, так…) is left out of
      revenue, orders, units and customers, as if it had not been made. The mark sits on the
      sale that was given back, so leaving it out gives the month's revenue net of returns;
      adding it as a refund would need the sale itself a second time, which the list does not
      hold, and could take a month's revenue below zero, which revenue never is.
    """

    def __init__(self) -> None:
        # Per month: revenue with a decimal point and what a decimal comma adds to it, the
        # same for units, then the sales without an order id.
        self.totals: dict[date, list[Decimal | int]] = {}
        self.orders: dict[date, set[str]] = {}
        self.buyers: dict[date, set[str]] = {}
        self.month_lines: dict[date, int] = {}
        self.sales = 0
        self.first_day: date | None = None
        self.last_day: date | None = None

    def add(self, sales: Iterable[_Sale]) -> None:
        """Sum ``sales``, which come in line order (the first sale of a month is its line)."""
        totals_of, orders_of, buyers_of = self.totals, self.orders, self.buyers
        month_lines = self.month_lines
        # Each day met, with its month's totals, order ids and buyers: a ledger has a few
        # hundred days and many sales a day, so a sale costs one look-up.
        days: dict[date, tuple[list[Decimal | int], set[str], set[str]]] = {}
        first_day, last_day, count = self.first_day, self.last_day, self.sales
        for line, day, customer, amount, quantity, order in sales:
            found = days.get(day)
            if found is None:
                month = date(day.year, day.month, 1)
                if month not in totals_of:
                    totals_of[month] = [Decimal(0), Decimal(0), Decimal(0), Decimal(0), 0]
                    orders_of[month] = set()
                    buyers_of[month] = set()
                    month_lines[month] = line
                found = days[day] = (totals_of[month], orders_of[month], buyers_of[month])
                first_day = day if first_day is None or day < first_day else first_day
                last_day = day if last_day is None or day > last_day else last_day
            totals, orders, buyers = found
            # With a decimal point, and what a decimal comma changes (0 unless ambiguous).
            totals[0] += amount[1]
            if amount[2] is not amount[1]:
                totals[1] += amount[2] - amount[1]
            if quantity is None:
                totals[2] += 1
            else:
                totals[2] += quantity[1]
                if quantity[2] is not quantity[1]:
                    totals[3] += quantity[2] - quantity[1]
            if order:
                orders.add(order)
            else:
                totals[4] += 1
            buyers.add(customer)
            count += 1
        self.first_day, self.last_day, self.sales = first_day, last_day, count

    def figures(self, separator: DecimalSeparator) -> MonthlyFigures:
        """The monthly figures, with the amounts read with ``separator``.

        Every month from the first sale to the last is included; a month without sales inside
        that span had none, so its counts are 0 rather than missing.
        """
        if not self.totals:
            return MonthlyFigures()
        comma = separator == "comma"
        # A customer is new in the first month they bought in.
        newcomers: dict[date, int] = {}
        known: set[str] = set()
        for month in sorted(self.buyers):
            newcomers[month] = len(self.buyers[month] - known)
            known |= self.buyers[month]
        first, last = min(self.totals), max(self.totals)
        data: dict[date, dict[str, Decimal]] = {}
        month = first
        previous: set[str] | None = None
        nobody: set[str] = set()
        while month <= last:
            current = self.buyers.get(month, nobody)
            totals = self.totals.get(month)
            revenue, units, orders = Decimal(0), Decimal(0), Decimal(0)
            if totals:
                revenue = Decimal(totals[0]) + (Decimal(totals[1]) if comma else 0)
                units = Decimal(totals[2]) + (Decimal(totals[3]) if comma else 0)
                orders = Decimal(len(self.orders[month]) + totals[4])
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


@dataclass(frozen=True, slots=True)
class SalesSummary:
    """What a sales list comes to: the monthly figures, and what the preview tells about it."""

    figures: MonthlyFigures
    sales: int
    returned: int
    first_day: date
    last_day: date
    month_lines: dict[date, int]


def summarise_sales(rows: Iterable[Row], decimal: DecimalSeparator | None = None) -> SalesSummary:
    """The monthly figures of a sales list, summed as its rows stream by (none is kept).

    Raises FileFormatError as ``read_transactions_rows`` does.
    """
    reader = SalesReader(rows, decimal)
    months = _Months()
    months.add(reader.sales())
    separator = reader.finish()
    if months.first_day is None or months.last_day is None:
        # Every sale was returned: nothing was sold.
        message = gettext("Every sale in the file is marked returned: there is nothing to import")
        raise FileFormatError([InputError(reader.header_line, message)])
    return SalesSummary(
        months.figures(separator),
        months.sales,
        reader.returned,
        months.first_day,
        months.last_day,
        months.month_lines,
    )


def derive_figures(transactions: Iterable[Transaction]) -> MonthlyFigures:
    """Monthly figures from sales, as kpi-reference.md §5 defines them (see ``_Months``)."""
    months = _Months()
    # Sorted by line, as a file gives them: the first sale of a month gives its line.
    months.add(
        (
            sale.line,
            sale.day,
            sale.customer,
            (Shape.WHOLE, sale.amount, sale.amount),
            None if sale.quantity is None else (Shape.WHOLE, sale.quantity, sale.quantity),
            sale.order,
        )
        for sale in sorted(transactions, key=lambda sale: sale.line)
    )
    return months.figures("point")
