"""``manage.py derive_figures TRANSACTIONS.csv``: monthly figures derived from sales."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from metrics.files.cells import FileFormatError
from metrics.files.csv import write_figures_csv
from metrics.files.ledger import DERIVED_FIGURES, derive_figures, read_transactions_csv
from metrics.management.commands.compute_kpis import file_error, read_text


class Command(BaseCommand):
    help = (
        "Print the wide figures file derived from a transactions file "
        "(date,customer,amount[,quantity]). Needs no database."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("transactions", help="transactions CSV file")
        parser.add_argument(
            "--decimal",
            choices=["point", "comma"],
            default=None,
            help="the file's decimal separator, when its amounts do not show it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = read_text(options["transactions"])
        try:
            transactions = read_transactions_csv(text, options["decimal"])
        except FileFormatError as error:
            raise file_error(error) from None
        output = write_figures_csv(derive_figures(transactions), DERIVED_FIGURES)
        self.stdout.write(output, ending="")
