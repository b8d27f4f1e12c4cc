"""``manage.py compute_kpis FIGURES.csv``: the KPI results file for every period the file covers."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from metrics.engine import Engine, PeriodKind, periods_between
from metrics.files.cells import FileFormatError
from metrics.files.csv import decode_csv_bytes, read_figures_csv, write_results_csv

DECIMAL_HINT = "Run again with --decimal point or --decimal comma."


def read_text(path: str) -> str:
    """The UTF-8 text of a file, or a CommandError (exit status 2) saying why it cannot be read."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}", returncode=2) from None
    try:
        return decode_csv_bytes(raw)
    except FileFormatError as error:
        raise file_error(error) from None


def file_error(error: FileFormatError) -> CommandError:
    """One line per problem, each naming its line; exit status 2."""
    message = str(error)
    if "decimal separator" in message:
        message = f"{message}\n{DECIMAL_HINT}"
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = (
        "Print the KPI results file (period,kpi,value,note) for a figures file, for every "
        "period it covers. Needs no database."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("figures", help="figures CSV file (wide or long layout)")
        parser.add_argument(
            "--period",
            choices=[kind.value for kind in PeriodKind],
            default=PeriodKind.MONTH.value,
            help="month (default), quarter or year",
        )
        parser.add_argument(
            "--kpis", default="", help="KPI codes separated by commas (default: all)"
        )
        parser.add_argument(
            "--decimal",
            choices=["point", "comma"],
            default=None,
            help="the file's decimal separator, when its numbers do not show it",
        )
        parser.add_argument(
            "--fy-start",
            type=int,
            default=1,
            help="first month of the financial year, 1 to 12 (default 1, January)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        engine = Engine.catalogue()
        fy_start = options["fy_start"]
        if not 1 <= fy_start <= 12:
            raise CommandError(
                f"--fy-start must be a month number from 1 to 12, not {fy_start}", returncode=2
            )
        codes = self.kpi_codes(options["kpis"], engine)
        text = read_text(options["figures"])
        try:
            data, warnings = read_figures_csv(text, engine.figures, options["decimal"])
        except FileFormatError as error:
            raise file_error(error) from None
        first, last = data.first_month, data.last_month
        assert first is not None and last is not None
        periods = periods_between(first, last, options["period"], fy_start)
        # Built whole before anything is written, so a failure never leaves half a file.
        output = write_results_csv(engine.compute_series(data, periods, codes))
        for warning in warnings:
            self.stderr.write(str(warning))
        self.stdout.write(output, ending="")

    def kpi_codes(self, value: str, engine: Engine) -> list[str] | None:
        """The KPI codes named with --kpis, or None for all; unknown codes are an error."""
        codes = [code.strip() for code in value.split(",") if code.strip()]
        if not codes:
            return None
        unknown = [code for code in codes if code not in engine.kpis]
        if unknown:
            known = ", ".join(engine.kpis)
            raise CommandError(
                f"Unknown KPI code: {', '.join(unknown)}. Known codes: {known}", returncode=2
            )
        return codes
