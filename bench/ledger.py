"""Benchmark: a year of 100,000 sales from upload to preview, as CSV and as an Excel workbook.

Run from the project folder:

    .venv/bin/python bench/ledger.py [--rows 100000] [--runs 3]

It writes the sales ledger three times into a temporary folder: a CSV file, and an .xlsx
workbook (dates as real date cells, amounts as numbers) in two forms — as openpyxl writes it,
with each text in its cell ("inline strings"), and as Excel and LibreOffice save it, with the
texts in one shared table ("shared strings"), which is quicker to read. It builds a temporary
SQLite database and times, for each file:

- parse + derive: reading every sale and deriving the monthly figures (``read_ledger_upload``,
  the code behind the upload form), without HTTP or database;
- upload → preview: the real pages through Django's test client, logged in, with production
  settings: the POST of the file (read, derived, checked, kept in the session) and the GET of
  the preview (compared with what is stored, rendered) — the time a person waits;
- confirm: the POST that writes the twelve months, with their history, all or nothing.

The target is upload → preview under 10 seconds. It prints the medians (and the slowest run),
the size of what the session keeps, and PASS or FAIL.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 10.0
CUSTOMERS = 4000
YEAR = 2024


def sales(rows: int, seed: int = 7) -> Iterator[tuple[date, str, float, int | None]]:
    """A shop's year: busier in December, regulars and passers-by, a quantity most of the time."""
    rng = random.Random(seed)
    weights = [8, 7, 8, 8, 9, 9, 10, 9, 8, 8, 9, 12]
    months = rng.choices(range(1, 13), weights=weights, k=rows)
    months.sort()
    for month in months:
        day = date(YEAR, month, rng.randint(1, 28))
        customer = (
            f"C{rng.randint(1, CUSTOMERS):05d}"
            if rng.random() < 0.8
            else f"P{rng.randint(1, 10**6)}"
        )
        amount = rng.randint(150, 25000) / 100
        quantity = rng.randint(1, 6) if rng.random() < 0.9 else None
        yield day, customer, amount, quantity


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["date", "customer", "amount", "quantity"])
        for day, customer, amount, quantity in sales(rows):
            writer.writerow([day.isoformat(), customer, f"{amount:.2f}", quantity or ""])


def write_xlsx(path: Path, rows: int) -> None:
    """A workbook as openpyxl writes it: its size recorded, real date cells, inline strings."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "Sales"
    sheet.append(["date", "customer", "amount", "quantity"])
    for day, customer, amount, quantity in sales(rows):
        sheet.append([day, customer, amount, quantity])
    book.save(path)


SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
SHARED_STRINGS_RELATION = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
)
INLINE_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t>([^<]*)</t></is></c>')


def write_excel_like(source: Path, path: Path) -> None:
    """The same workbook with its texts in a shared table, as Excel and LibreOffice save it."""
    strings: dict[str, int] = {}

    def shared(match: re.Match[str]) -> str:
        index = strings.setdefault(match[2], len(strings))
        return f'<c r="{match[1]}" t="s"><v>{index}</v></c>'

    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = INLINE_CELL.sub(shared, data.decode()).encode()
            elif item.filename == "[Content_Types].xml":
                part = (
                    f'<Override PartName="/xl/sharedStrings.xml" '
                    f'ContentType="{SHARED_STRINGS_TYPE}"/></Types>'
                )
                data = data.replace(b"</Types>", part.encode())
            elif item.filename == "xl/_rels/workbook.xml.rels":
                relation = (
                    f'<Relationship Id="rIdShared" Type="{SHARED_STRINGS_RELATION}" '
                    'Target="sharedStrings.xml"/></Relationships>'
                )
                data = data.replace(b"</Relationships>", relation.encode())
            copy.writestr(item.filename, data)
        table = "".join(f"<si><t>{text}</t></si>" for text in strings)
        copy.writestr(
            "xl/sharedStrings.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{table}</sst>',
        )


def _configure(database_url: str) -> None:
    """Production-like settings, read by config/settings.py from the environment."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "false"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(48)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(BASE_DIR))
    # Whitenoise looks for collected static files, which pages without assets do not need.
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


def _parse(path: Path) -> object:
    from metrics.engine import FIGURES
    from metrics.files.csv import csv_rows, decode_csv_bytes
    from metrics.files.xlsx import looks_like_xlsx, sheet_rows
    from metrics.imports.reading import read_ledger_upload

    raw = path.read_bytes()
    rows = sheet_rows(raw) if looks_like_xlsx(raw) else csv_rows(decode_csv_bytes(raw))
    return read_ledger_upload(rows, FIGURES, last_month=date(YEAR + 1, 1, 1))


@dataclass
class Timings:
    parse: list[float] = field(default_factory=list)
    upload: list[float] = field(default_factory=list)
    preview: list[float] = field(default_factory=list)
    confirm: list[float] = field(default_factory=list)
    session_bytes: int = 0
    entries: int = 0
    history: int = 0

    @property
    def waited(self) -> list[float]:
        """Upload and preview together: from pressing the button to seeing the months."""
        return [upload + preview for upload, preview in zip(self.upload, self.preview, strict=True)]


def _expect(response: TestResponse, status: int, what: str) -> TestResponse:
    if response.status_code != status:
        raise SystemExit(f"{what} answered {response.status_code}: {response.content[-2000:]!r}")
    return response


def _bench_file(path: Path, runs: int) -> Timings:
    from django.test import Client

    from accounts.models import User
    from metrics.models.business import Business
    from metrics.models.entries import Entry

    user = User.objects.get(email="bench@example.org")
    client = Client()
    client.force_login(user)
    timings = Timings()
    for run in range(runs):
        started = time.perf_counter()
        _parse(path)
        timings.parse.append(time.perf_counter() - started)

        business = Business.objects.create(
            owner=user, name=f"Bench {path.stem} {run}", country="be", sells="Food"
        )
        started = time.perf_counter()
        with path.open("rb") as handle:
            response = client.post(
                f"/b/{business.pk}/import/ledger/",
                {"file": handle, "decimal": "detect"},
                secure=True,
            )
        timings.upload.append(time.perf_counter() - started)
        preview_url = _expect(response, 302, f"The upload of {path.name}")["Location"]

        started = time.perf_counter()
        response = client.get(preview_url, secure=True)
        timings.preview.append(time.perf_counter() - started)
        page = _expect(response, 200, "The preview").content.decode()
        fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', page)[1]  # type: ignore[index]  # a miss fails loudly
        timings.session_bytes = len(json.dumps(client.session[f"ledger_import:{business.pk}"]))

        started = time.perf_counter()
        response = client.post(preview_url, {"fingerprint": fingerprint}, secure=True)
        timings.confirm.append(time.perf_counter() - started)
        _expect(response, 302, "The confirmation")
        timings.entries = Entry.objects.filter(business=business).count()
        timings.history = Entry.history.filter(business_id=business.pk).count()
    return timings


def _line(label: str, values: list[float]) -> str:
    return (
        f"    {label:28} median {statistics.median(values):6.2f} s   slowest {max(values):6.2f} s"
    )


def _run(folder: Path, rows: int, runs: int) -> bool:
    from django.core.management import call_command
    from django.test.utils import override_settings

    from accounts.models import User

    files = {
        "CSV": folder / "ledger.csv",
        "XLSX as Excel saves it (shared strings)": folder / "ledger-excel.xlsx",
        "XLSX as openpyxl writes it (inline strings)": folder / "ledger-openpyxl.xlsx",
    }
    print(f"Sales-ledger benchmark: {rows:,} sales in {YEAR}, {runs} runs per file")
    started = time.perf_counter()
    write_csv(files["CSV"], rows)
    write_xlsx(files["XLSX as openpyxl writes it (inline strings)"], rows)
    write_excel_like(
        files["XLSX as openpyxl writes it (inline strings)"],
        files["XLSX as Excel saves it (shared strings)"],
    )
    print(f"  wrote the files in {time.perf_counter() - started:.1f} s (not timed)")

    # Hashed static names need collectstatic; they change nothing in the timings.
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    passed = True
    with override_settings(STORAGES=storages):
        call_command("migrate", verbosity=0)
        User.objects.create_user("bench@example.org", "bench-password", name="Bench")
        for label, path in files.items():
            timings = _bench_file(path, runs)
            ok = max(timings.waited) < TARGET_SECONDS
            passed = passed and ok
            print(f"  {label} ({path.stat().st_size / 1e6:.1f} MB):")
            print(_line("parse + derive (no HTTP)", timings.parse))
            print(_line("upload (POST, to redirect)", timings.upload))
            print(_line("preview (GET)", timings.preview))
            print(_line("upload → preview", timings.waited))
            print(_line("confirm (write 12 months)", timings.confirm))
            print(
                f"    the session keeps {timings.session_bytes:,} bytes; the confirmation wrote "
                f"{timings.entries} entries and {timings.history} history rows"
            )
            print(f"    {'PASS' if ok else 'FAIL'}  upload → preview < {TARGET_SECONDS:.0f} s")
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="sales in the ledger")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per file")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kpi-ledger-bench-") as name:
        folder = Path(name)
        _configure(f"sqlite:///{folder / 'bench.sqlite3'}")
        passed = _run(folder, options.rows, options.runs)
        from django.db import connections

        connections.close_all()
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
