"""Header rows as people write them: figure labels and column words in any enabled language.

A figures file's header may name a figure by its code (``revenue``) or by the label the month
form shows in any of the app's languages (``Chiffre d'affaires``, ``Omzet``); a sales list's
header may say ``date``, ``montant``, ``bedrag``, ``المبلغ`` or ``сума``. Words are compared
without case, accents or a unit in brackets (``Montant (€)``). What is not recognised goes to
the column-mapping step (``metrics.imports.mapping``).

Recognised or mapped, a header becomes the canonical one the readers of ``metrics.files.csv``
and ``metrics.files.ledger`` know (``month,<code>,…``; ``date,customer,amount,quantity``), and
month cells become ``YYYY-MM`` and day cells the day they name (``metrics.files.dates``), so the
readers, their checks and their messages stay as they are.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext, pgettext_lazy

from metrics.engine import FigureDef
from metrics.files.cells import Cell, FileFormatError, Row, cell_text, check_width
from metrics.files.dates import (
    DayOrder,
    fold,
    month_first_possible,
    order_matters,
    read_day,
    read_month,
)
from metrics.files.ledger import ORDER, RETURNED

MONTH, FIGURE, VALUE = "month", "figure", "value"
DATE, CUSTOMER, AMOUNT, QUANTITY = "date", "customer", "amount", "quantity"
# The columns of the sales-list template; a list may also have an order id and a returned mark.
LEDGER_COLUMNS = (DATE, CUSTOMER, AMOUNT, QUANTITY)
LEDGER_MAPPABLE = (*LEDGER_COLUMNS, ORDER, RETURNED)
LEDGER_REQUIRED = (DATE, CUSTOMER, AMOUNT)

# The column words people see in templates and exports, translated in the catalogues.
COLUMN_WORDS = {
    MONTH: pgettext_lazy("file column", "month"),
    FIGURE: pgettext_lazy("file column", "figure"),
    VALUE: pgettext_lazy("file column", "value"),
    DATE: pgettext_lazy("file column", "date"),
    CUSTOMER: pgettext_lazy("file column", "customer"),
    AMOUNT: pgettext_lazy("file column", "amount"),
    QUANTITY: pgettext_lazy("file column", "quantity"),
    ORDER: pgettext_lazy("file column", "order"),
    RETURNED: pgettext_lazy("file column", "returned"),
}

# Other words tills, web shops and bookkeeping exports use for the same columns; only read.
_SYNONYMS = {
    FIGURE: ("chiffre", "cijfer", "الرقم", "показник"),
    VALUE: ("valeur", "waarde", "القيمة", "значення"),
    MONTH: ("mois", "maand", "شهر", "الشهر", "місяць", "period", "periode", "période"),
    DATE: ("day", "datum", "تاريخ", "التاريخ", "дата", "sale date", "date de vente"),
    CUSTOMER: (
        "client",
        "klant",
        "buyer",
        "عميل",
        "العميل",
        "الزبون",
        "زبون",
        "клієнт",
        "покупець",
    ),
    AMOUNT: (
        "total",
        "price",
        "montant",
        "prix",
        "bedrag",
        "totaal",
        "prijs",
        "مبلغ",
        "المبلغ",
        "сума",
        "ціна",
    ),
    QUANTITY: ("qty", "quantite", "qte", "aantal", "hoeveelheid", "كمية", "الكمية", "кількість"),
    ORDER: (
        "order id",
        "order number",
        "commande",
        "n° de commande",
        "numero de commande",
        "bestelling",
        "ordernummer",
        "bestelnummer",
        "طلب",
        "الطلب",
        "رقم الطلب",
        "замовлення",
        "номер замовлення",
    ),
    RETURNED: (
        "return",
        "retour",
        "retourne",
        "rembourse",
        "geretourneerd",
        "مرتجع",
        "مسترجع",
        "повернено",
        "повернення",
    ),
}

IGNORE = ""


def header_key(text: str) -> str:
    """A header cell as compared: folded, without a unit in brackets or a trailing colon."""
    key = fold(text).strip(" :*")
    return re.sub(r"\s*[(\[][^)\]]*[)\]]$", "", key).strip(" :*")


def headers_signature(names: Sequence[str]) -> str:
    """The same for two header rows that differ only in case, accents or spacing."""
    joined = "\x1f".join(header_key(name) for name in names)
    return hashlib.sha256(joined.encode()).hexdigest()


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def column_word(column: str) -> str:
    """A column's word in the active language, as templates and exports write it."""
    return str(COLUMN_WORDS[column])


def _words(columns: Iterable[str]) -> dict[str, str]:
    words: dict[str, str] = {}
    for column in columns:
        words[column] = column
        for synonym in _SYNONYMS.get(column, ()):
            words[header_key(synonym)] = column
        for language in _languages():
            with translation.override(language):
                words[header_key(pgettext("file column", column))] = column
    return words


def figure_names(figures: Mapping[str, FigureDef], language: str | None) -> dict[str, str]:
    """Every way a header may name a figure (code, or label in a language), to its code.

    A label that two figures share in some language is left out, unless it is in ``language``.
    """
    names: dict[str, str] = {}
    clashes: set[str] = set()
    for other in [lang for lang in _languages() if lang != language]:
        with translation.override(other):
            for code, figure in figures.items():
                key = header_key(str(figure.name))
                if names.setdefault(key, code) != code:
                    clashes.add(key)
    for key in clashes:
        del names[key]
    if language:
        with translation.override(language):
            names.update({header_key(str(figure.name)): code for code, figure in figures.items()})
    names.update({code.lower(): code for code in figures})
    return names


class NeedsMapping(FileFormatError):
    """The header row is not one the app knows: the person says what each column holds.

    ``guesses`` holds, per column, what it was recognised as (``IGNORE`` when not at all).
    """

    def __init__(self, names: list[str], guesses: list[str], samples: Sequence[Cell] = ()) -> None:
        super().__init__([])
        self.names = names
        self.guesses = guesses
        # The first data row, to show beside each column.
        self.samples = [cell_text(cell)[:40] for cell in samples]


def figure_guesses(
    names: Sequence[str],
    figures: Mapping[str, FigureDef],
    language: str | None,
    *,
    close: bool = False,
) -> list[str]:
    """What each header cell of a figures file names: ``month``, a figure code or ``IGNORE``.

    With ``close``, a near miss (revenu for revenue) is guessed too: only to propose.
    """
    words = {**figure_names(figures, language), **_words([MONTH])}
    guesses = []
    for name in names:
        key = header_key(name)
        # A typing slip (revenu for revenue) is guessed, for the person to confirm.
        near = difflib.get_close_matches(key, list(words), n=1, cutoff=0.85) if close else []
        guesses.append(words.get(key) or (words[near[0]] if near else IGNORE))
    return guesses


def ledger_guesses(names: Sequence[str]) -> list[str]:
    """What each header cell of a sales list names: date, customer, amount, quantity, order,
    returned or none."""
    words = _words(LEDGER_MAPPABLE)
    guesses: list[str] = []
    for name in names:
        guess = words.get(header_key(name), IGNORE)
        guesses.append(IGNORE if guess in guesses else guess)
    return guesses


def _is_long(names: Sequence[str]) -> bool:
    words = _words([MONTH, FIGURE, VALUE])
    keys = [words.get(header_key(name)) for name in names if name.strip()]
    return keys == [MONTH, FIGURE, VALUE]


def _figures_complete(names: Sequence[str], guesses: Sequence[str]) -> bool:
    """Every named column recognised, one month column, no figure twice."""
    named = [guess for name, guess in zip(names, guesses, strict=True) if name.strip()]
    chosen = [guess for guess in named if guess != IGNORE]
    return (
        IGNORE not in named
        and chosen.count(MONTH) == 1
        and len(chosen) > 1
        and len(set(chosen)) == len(chosen)
    )


def _month_cell(cell: Cell, language: str | None, order: DayOrder) -> Cell:
    if not isinstance(cell, str):
        return cell
    month = read_month(cell, language, order)
    return cell if month is None else f"{month:%Y-%m}"


# A file's distinct day texts remembered while it is read: a ledger repeats its days.
MAX_REMEMBERED_DAYS = 65_536


def _texts(rows: Iterable[Row], index: int) -> Iterator[str]:
    """The texts of one column, each once (the order of days is the same for every repeat)."""
    seen: set[str] = set()
    for _line, cells in rows:
        if len(cells) > index:
            text = cells[index]
            if isinstance(text, str) and text not in seen:
                if len(seen) < MAX_REMEMBERED_DAYS:
                    seen.add(text)
                yield text


def _pick(cells: Sequence[Cell], indexes: Sequence[int]) -> list[Cell]:
    return [cells[index] if index < len(cells) else "" for index in indexes]


def prepare_figures_rows(
    rows: Sequence[Row],
    figures: Mapping[str, FigureDef],
    *,
    language: str | None,
    mapping: Sequence[str] | None = None,
) -> list[Row]:
    """A figures file's rows with the canonical header and ``YYYY-MM`` months.

    ``mapping`` (what each column holds, as ``figure_guesses`` writes it) is the person's
    choice, remembered or just made; without it the header must be recognised, or
    NeedsMapping is raised. A header of codes and ``month`` is passed on unchanged.
    """
    if not rows:
        return list(rows)
    header_line, header = rows[0]
    # Before a name is read or matched: a header of 200,000 columns is refused at once.
    check_width(header_line, header)
    names = [cell_text(cell) for cell in header]
    if mapping is None and _is_long(names):
        return _prepare_long(rows, figures, language)
    guesses = figure_guesses(names, figures, language)
    if mapping is None or len(mapping) != len(names):
        if not _figures_complete(names, guesses):
            guesses = figure_guesses(names, figures, language, close=True)
            raise NeedsMapping(names, guesses, rows[1][1] if len(rows) > 1 else ())
        mapping = guesses
    month_at = list(mapping).index(MONTH) if MONTH in mapping else 0
    kept = [month_at] + [
        index for index, target in enumerate(mapping) if target not in (IGNORE, MONTH)
    ]
    order = DayOrder.of(_texts(rows[1:], month_at), language)
    prepared: list[Row] = [(header_line, [MONTH, *(mapping[index] for index in kept[1:])])]
    for line, cells in rows[1:]:
        picked = [*_pick(cells, kept), *cells[len(names) :]]
        picked[0] = _month_cell(picked[0], language, order)
        prepared.append((line, picked))
    return prepared


def _prepare_long(
    rows: Sequence[Row], figures: Mapping[str, FigureDef], language: str | None
) -> list[Row]:
    names = figure_names(figures, language)
    order = DayOrder.of(_texts(rows[1:], 0), language)
    prepared: list[Row] = [(rows[0][0], [MONTH, FIGURE, VALUE])]
    # Each line repeats a month and a figure name: each distinct text is read once.
    months: dict[Cell, Cell] = {}
    figures_named: dict[Cell, str] = {}
    for line, cells in rows[1:]:
        changed = list(cells)
        if changed:
            month = months.get(changed[0])
            if month is None:
                month = _month_cell(changed[0], language, order)
                if len(months) < MAX_REMEMBERED_DAYS:
                    months[changed[0]] = month
            changed[0] = month
        if len(changed) > 1:
            figure = figures_named.get(changed[1])
            if figure is None:
                text = cell_text(changed[1])
                figure = names.get(header_key(text), text)
                if len(figures_named) < MAX_REMEMBERED_DAYS:
                    figures_named[changed[1]] = figure
            changed[1] = figure
        prepared.append((line, changed))
    return prepared


def prepare_ledger_rows(
    read: Callable[[], Iterable[Row]],
    *,
    language: str | None,
    mapping: Sequence[str] | None = None,
) -> Iterator[Row]:
    """A sales list's rows with the canonical header and the days read, as they come.

    ``read`` gives the rows from the start each time it is called: in English, at the first
    date whose order matters, the dates are read once more, to tell 10/01/2026 from
    01/10/2026 (``DayOrder``). Raises NeedsMapping
    when the header lacks a date, a customer or an amount and no ``mapping`` is given.
    """
    iterator = iter(read())
    first = next(iterator, None)
    if first is None:
        return iter(())
    header_line, header = first
    check_width(header_line, header)
    names = [cell_text(cell) for cell in header]
    guesses = ledger_guesses(names)
    if mapping is None or len(mapping) != len(names):
        if any(column not in guesses for column in LEDGER_REQUIRED):
            sample = next(iterator, None)
            raise NeedsMapping(names, guesses, sample[1] if sample else ())
        mapping = guesses
    kept = [index for index, target in enumerate(mapping) if target != IGNORE]
    date_at = list(mapping).index(DATE) if DATE in mapping else None
    column = date_at

    def file_order() -> DayOrder:
        """The order of the whole file's dates; read only when a date's order matters."""
        if column is None or not month_first_possible(language):
            return DayOrder.DAY_FIRST
        again = iter(read())
        next(again, None)
        return DayOrder.of(_texts(again, column), language)

    prepared = [mapping[index] for index in kept]
    at = kept.index(date_at) if date_at is not None else None
    return _ledger_rows(
        (header_line, prepared), iterator, kept, len(names), at, language, file_order
    )


def _ledger_rows(
    header: Row,
    rows: Iterator[Row],
    kept: list[int],
    width: int,
    at_date: int | None,
    language: str | None,
    file_order: Callable[[], DayOrder],
) -> Iterator[Row]:
    yield header
    # Asked for at the first date whose order matters (01/10/2026, not 2026-10-01): a file of
    # ISO dates is read once.
    order: DayOrder | None = None
    # Each distinct day text is read once; the reader gets the day itself.
    days: dict[str, Cell] = {}
    every = kept == list(range(width))
    for line, cells in rows:
        # Cells beyond the header stay, so the reader still finds a line that is too long.
        if every and len(cells) >= width:
            picked = list(cells)
        else:
            picked = [*_pick(cells, kept), *cells[width:]]
        if at_date is not None:
            cell = picked[at_date]
            if isinstance(cell, str):
                day = days.get(cell)
                if day is None:
                    if order is None and order_matters(cell):
                        order = file_order()
                    read = read_day(cell, language, order or DayOrder.DAY_FIRST)
                    day = cell if read is None else read
                    if len(days) < MAX_REMEMBERED_DAYS:
                        days[cell] = day
                picked[at_date] = day
        yield line, picked
