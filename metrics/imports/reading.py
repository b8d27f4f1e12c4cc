"""Reading uploads into monthly figures: figures files and sales ledgers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from metrics.engine import FigureDef, MonthlyFigures, parse_month
from metrics.files.cells import FileFormatError, InputError, Row
from metrics.files.csv import UndecidedSeparator, csv_rows, read_figures_rows
from metrics.files.file_numbers import DecimalSeparator
from metrics.files.ledger import summarise_sales
from metrics.files.numbers import storage_problem, value_problem


@dataclass(frozen=True, slots=True)
class AmbiguousExample:
    """A value that reads differently with a decimal point and with a decimal comma."""

    month: date
    code: str
    with_point: Decimal
    with_comma: Decimal


class AmbiguousSeparatorError(FileFormatError):
    """The file can be read with a decimal point and with a decimal comma, to different values."""

    def __init__(self, errors: list[InputError], example: AmbiguousExample | None) -> None:
        super().__init__(errors)
        self.example = example


def _label(cell: object) -> str:
    if isinstance(cell, date):
        return f"{cell:%Y-%m}"
    return str(cell).strip()


def figure_lines(rows: Sequence[Row]) -> dict[tuple[str, str], int]:
    """The line of each ``(YYYY-MM, figure code)`` value in a wide or long figures file."""
    lines: dict[tuple[str, str], int] = {}
    names: list[str] | None = None
    for line, cells in rows:
        if names is None:
            names = [_label(cell).lower() for cell in cells]
            continue
        month = _label(cells[0]) if cells else ""
        if names[:3] == ["month", "figure", "value"] and len(cells) > 1:
            lines.setdefault((month, _label(cells[1]).lower()), line)
        else:
            for name in names[1:]:
                lines.setdefault((month, name), line)
    return lines


def _differing(one: MonthlyFigures, other: MonthlyFigures) -> AmbiguousExample | None:
    for month in one:
        for code, value in one[month].items():
            if other.value(month, code) != value:
                return AmbiguousExample(month, code, value, other[month][code])
    return None


def figure_problems(
    data: MonthlyFigures,
    figures: Mapping[str, FigureDef],
    *,
    last_month: date,
    line_of: Callable[[date, str | None], int],
) -> list[InputError]:
    """Every value the month form would refuse, and every month that has not started yet.

    ``line_of(month, code)`` tells where a value (or, with None, a month) is in the file.
    """
    problems: list[InputError] = []
    for month in data:
        label = f"{month:%Y-%m}"
        if month > last_month:
            problems.append(
                InputError(
                    line_of(month, None),
                    _("%(month)s is in the future; figures can be logged once a month starts.")
                    % {"month": label},
                )
            )
            continue
        for code, value in data[month].items():
            name = f"“{code}”"
            figure = figures.get(code)
            if figure is None:
                # Deleted after the upload: the file was read when the figure still existed.
                problem: str | None = _("The figure %(name)s no longer exists.") % {"name": name}
            else:
                problem = value_problem(figure, value, name)
            if problem is None:
                problem = storage_problem(value, name)
            if problem:
                problems.append(InputError(line_of(month, code), f"{label}: {problem}"))
    return problems


def read_figures_upload(
    source: str | Sequence[Row],
    figures: Mapping[str, FigureDef],
    *,
    last_month: date,
    decimal: DecimalSeparator | None = None,
) -> MonthlyFigures:
    """Read an uploaded figures file (CSV text, or a sheet's rows) and check every value.

    Each value is checked as the month form would check it. ``decimal`` is ``"point"``,
    ``"comma"`` or None to detect it. Raises FileFormatError with every problem (line by
    line), or AmbiguousSeparatorError when only the decimal separator is in doubt. Months
    after ``last_month`` are refused.
    """
    rows = csv_rows(source) if isinstance(source, str) else source
    try:
        data, _warnings = read_figures_rows(rows, figures, decimal)
    except UndecidedSeparator as error:
        # Only then can reading it both ways tell anything: a file with other problems is
        # refused after one reading, not three.
        if decimal is not None:
            raise
        try:
            with_point, _warnings = read_figures_rows(rows, figures, "point")
            with_comma, _warnings = read_figures_rows(rows, figures, "comma")
        except FileFormatError:
            raise error from None
        raise AmbiguousSeparatorError(error.errors, _differing(with_point, with_comma)) from None
    check_figures(data, figures, last_month=last_month, lines=figure_lines(rows))
    return data


def check_figures(
    data: MonthlyFigures,
    figures: Mapping[str, FigureDef],
    *,
    last_month: date,
    lines: Mapping[tuple[str, str], int],
) -> None:
    """Raise FileFormatError for every value the month form would refuse, at its line."""

    def line_of(month: date, code: str | None) -> int:
        label = f"{month:%Y-%m}"
        if code is None:
            return min((line for (at, _code), line in lines.items() if at == label), default=1)
        return lines.get((label, code), lines.get((label, code.lower()), 1))

    problems = figure_problems(data, figures, last_month=last_month, line_of=line_of)
    if problems:
        raise FileFormatError(problems)


def lines_to_json(lines: Mapping[tuple[str, str], int]) -> dict[str, int]:
    """``figure_lines`` as JSON values (``{"2025-03 revenue": 4}``), to keep in a session."""
    return {f"{month} {code}": line for (month, code), line in lines.items()}


def lines_from_json(values: Mapping[str, int]) -> dict[tuple[str, str], int]:
    """The lines ``lines_to_json`` wrote."""
    found: dict[tuple[str, str], int] = {}
    for key, line in values.items():
        month, _space, code = key.partition(" ")
        found[month, code] = int(line)
    return found


@dataclass(frozen=True, slots=True)
class Ledger:
    """The monthly figures derived from a sales ledger, and where each month starts in it.

    ``sales`` counts the sales summed; ``returned`` those marked returned and left out.
    """

    figures: MonthlyFigures
    sales: int
    first_day: date
    last_day: date
    month_lines: dict[date, int]
    returned: int = 0


def read_ledger_upload(
    rows: Iterable[Row],
    figures: Mapping[str, FigureDef],
    *,
    last_month: date,
    decimal: DecimalSeparator | None = None,
) -> Ledger:
    """Read a sales ledger and derive its monthly figures, as ``derive_figures`` does.

    The rows are summed as they come (``summarise_sales``), so a big file is never held sale by
    sale. The derived values are checked as the month form would check them. Raises
    FileFormatError with every problem, line by line (an undecided decimal separator is one).
    """
    summary = summarise_sales(rows, decimal)
    check_ledger(summary.figures, figures, last_month=last_month, month_lines=summary.month_lines)
    return Ledger(
        summary.figures,
        summary.sales,
        summary.first_day,
        summary.last_day,
        summary.month_lines,
        summary.returned,
    )


def check_ledger(
    derived: MonthlyFigures,
    figures: Mapping[str, FigureDef],
    *,
    last_month: date,
    month_lines: Mapping[date, int],
) -> None:
    """Raise FileFormatError when a derived value cannot be stored; each at its month's line."""
    problems = figure_problems(
        derived,
        figures,
        last_month=last_month,
        line_of=lambda month, _code: month_lines.get(month, 1),
    )
    if problems:
        raise FileFormatError(problems)


def figures_to_json(data: MonthlyFigures) -> dict[str, dict[str, str]]:
    """Figures as JSON values (``{"2025-03": {"revenue": "1234.5"}}``), to keep in a session."""
    return {
        f"{month:%Y-%m}": {code: str(value) for code, value in data[month].items()}
        for month in data
    }


def figures_from_json(values: Mapping[str, Mapping[str, str]]) -> MonthlyFigures:
    """The figures ``figures_to_json`` wrote."""
    return MonthlyFigures(
        {
            parse_month(month): {code: Decimal(value) for code, value in row.items()}
            for month, row in values.items()
        }
    )
