"""Uploads built to tie up a worker, and workbooks that openpyxl cannot read row by row.

Each crafted file of issue 13 is answered within the budget: 2 s and 256 MB of extra memory
(the targets themselves are measured by bench/uploads.py). Each refusal names its limit.
"""

from __future__ import annotations

import functools
import io
import os
import time
import tracemalloc
from collections.abc import Callable

import openpyxl
from defusedxml import EntitiesForbidden
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase
from django.urls import reverse

from metrics.files import xlsx
from metrics.files.cells import MAX_COLUMNS, FileFormatError
from metrics.files.csv import MAX_SUGGESTIONS, read_figures_csv
from metrics.models.business import Business
from tests.base import BaseTestCase
from tests.metrics.factories import make_business
from tests.metrics.files import crafted

BUDGET_SECONDS = 2.0
BUDGET_BYTES = 256 * 1024 * 1024

# The crafted files take seconds to pack; each is built once for the whole module.
long_row = functools.cache(crafted.one_long_row)
many_rows = functools.cache(crafted.many_rows_no_dimension)
huge_strings = functools.cache(crafted.huge_shared_strings)
wide_csv = functools.cache(crafted.wide_unknown_csv)


def _errors(raw: bytes, **limits: int) -> list[str]:
    try:
        list(xlsx.sheet_rows(raw, **limits))
    except FileFormatError as error:
        return [str(problem) for problem in error.errors]
    return []


class UploadTestCase(BaseTestCase):
    business: Business

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice)

    def setUp(self) -> None:
        self.client.force_login(self.alice)

    def upload(self, name: str, raw: bytes, filename: str):
        url = reverse(name, args=[self.business.pk])
        file = SimpleUploadedFile(filename, raw)
        return self.client.post(url, {"file": file, "decimal": "detect"})

    def assert_within_budget(self, name: str, build: Callable[[], bytes], filename: str) -> str:
        """Upload the file twice: timed, then with memory traced; return the page's text."""
        raw = build()
        started = time.perf_counter()
        response = self.upload(name, raw, filename)
        elapsed = time.perf_counter() - started
        self.assertEqual(response.status_code, 200)
        self.assertLessEqual(elapsed, BUDGET_SECONDS, f"{filename} took {elapsed:.2f} s")
        tracemalloc.start()
        try:
            self.upload(name, raw, filename)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        self.assertLessEqual(peak, BUDGET_BYTES, f"{filename} used {peak / 2**20:.0f} MB")
        return response.content.decode()


class CraftedFilesTests(UploadTestCase):
    def test_a_header_of_200000_unknown_columns_is_refused_at_once(self) -> None:
        page = self.assert_within_budget("metrics:import", wide_csv, "wide.csv")
        self.assertIn(f"a file can have at most {MAX_COLUMNS}", page)

    def test_a_row_of_five_million_cells_is_refused_in_both_uploads(self) -> None:
        self.assertLess(len(long_row()), 200_000)
        for name in ("metrics:import", "metrics:ledger_import"):
            with self.subTest(name):
                page = self.assert_within_budget(name, long_row, "row.xlsx")
                self.assertIn("The workbook unpacks to more than 32.0", page)

    def test_three_million_rows_without_a_dimension_are_refused(self) -> None:
        page = self.assert_within_budget("metrics:ledger_import", many_rows, "rows.xlsx")
        self.assertIn("The workbook unpacks to more than 32.0", page)

    def test_shared_strings_of_340_mb_are_refused_in_both_uploads(self) -> None:
        self.assertLess(len(huge_strings()), 1024 * 1024)
        for name in ("metrics:import", "metrics:ledger_import"):
            with self.subTest(name):
                page = self.assert_within_budget(name, huge_strings, "strings.xlsx")
                self.assertIn("340.0", page)


class BrokenCellTests(UploadTestCase):
    """Cells that openpyxl raises on while it reads rows: a message at the row, never a 500."""

    def test_each_broken_cell_is_a_message_at_its_row_in_both_uploads(self) -> None:
        for problem, cell in crafted.BROKEN_CELLS.items():
            for name, build in (
                ("metrics:import", crafted.figures_with),
                ("metrics:ledger_import", crafted.ledger_with),
            ):
                with self.subTest(problem=problem, upload=name):
                    response = self.upload(name, build(cell), "broken.xlsx")
                    self.assertEqual(response.status_code, 200)
                    self.assertContains(response, "Row 3: This row cannot be read")


class SheetLimitTests(SimpleTestCase):
    """Each limit of metrics.files.xlsx on its own, with the message that names it."""

    def test_too_many_cells_are_counted_before_openpyxl_reads_one(self) -> None:
        cells = b"<c/>" * (xlsx.MAX_SHEET_CELLS + 1)
        raw = crafted.workbook(crafted.FIGURES_HEADER + b'<row r="2">' + cells + b"</row>")
        (message,) = _errors(raw)
        self.assertIn("more than 30,000 cells", message)

    def test_cells_up_to_the_limit_are_read(self) -> None:
        sales = crafted.row(2, "2025-01-05", "ana", "1") * 10
        self.assertEqual(_errors(crafted.workbook(crafted.LEDGER_HEADER + sales)), [])

    def test_too_many_rows_are_counted_before_openpyxl_reads_one(self) -> None:
        raw = crafted.workbook(crafted.FIGURES_HEADER + b"<row/>" * 101)
        self.assertEqual(
            _errors(raw, max_rows=100),
            ["Line 101: The sheet has more than 100 rows; split it in two"],
        )

    def test_rows_far_down_stop_at_the_row_limit_while_streaming(self) -> None:
        # One row numbered a million: openpyxl would make up every empty row before it.
        raw = crafted.workbook(crafted.FIGURES_HEADER + crafted.row(1_000_000, "2025-01", "1"))
        started = time.perf_counter()
        self.assertEqual(
            _errors(raw, max_rows=1000),
            ["Line 1001: The sheet has more than 1000 rows; split it in two"],
        )
        self.assertLess(time.perf_counter() - started, BUDGET_SECONDS)

    def test_a_part_that_packs_too_well_is_refused_by_its_ratio(self) -> None:
        raw = crafted.workbook(crafted.FIGURES_HEADER + b"<row/>" * 400_000)
        (message,) = _errors(raw)
        self.assertIn("the most this service accepts is 100 times", message)

    def test_a_part_too_big_unpacked_is_refused(self) -> None:
        noise = os.urandom(9 * 1024 * 1024).hex().encode()  # 18 MB that packs only 2 to 1
        raw = crafted.workbook(crafted.FIGURES_HEADER, strings=[b"<si><t>", noise, b"</t></si>"])
        (message,) = _errors(raw)
        self.assertIn("The workbook unpacks to more than 32.0", message)

    def test_a_part_that_lies_about_its_size_is_unreadable(self) -> None:
        honest = crafted.workbook(crafted.FIGURES_HEADER + crafted.row(2, "2025-01", "1") * 500)
        lying = crafted.lying_sizes(honest, "xl/worksheets/sheet1.xml", 100)
        (message,) = _errors(lying)
        self.assertIn("cannot be read as an Excel workbook", message)

    def test_a_row_wider_than_the_column_limit_is_refused(self) -> None:
        raw = crafted.workbook(
            crafted.FIGURES_HEADER + b'<row r="2"><c r="XFD2"><v>1</v></c></row>'
        )
        self.assertEqual(
            _errors(raw),
            [f"Line 2: This row reaches column 16384; a sheet can have at most {MAX_COLUMNS}."],
        )

    def test_xml_is_parsed_through_defusedxml(self) -> None:
        self.assertTrue(openpyxl.DEFUSEDXML)
        raw = crafted.entity_expansion()
        with self.assertRaises(ValueError) as caught:
            openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
        self.assertIsInstance(caught.exception.__cause__, EntitiesForbidden)
        (message,) = _errors(raw)
        self.assertIn("cannot be read as an Excel workbook", message)


class CsvHeaderTests(SimpleTestCase):
    def test_only_the_first_unknown_names_get_a_close_match(self) -> None:
        header = ",".join(f"revenu{index}" for index in range(20))
        with self.assertRaises(FileFormatError) as caught:
            read_figures_csv(f"month,{header}\n2025-01{',1' * 20}\n", {"revenue": None})
        messages = [problem.message for problem in caught.exception.errors]
        suggested = [message for message in messages if "did you mean" in message]
        self.assertEqual(len(messages), 20)
        self.assertEqual(len(suggested), MAX_SUGGESTIONS)

    def test_a_long_unknown_name_is_quoted_short(self) -> None:
        with self.assertRaises(FileFormatError) as caught:
            read_figures_csv(f"month,{'x' * 5000}\n2025-01,1\n", {"revenue": None})
        (problem,) = caught.exception.errors
        self.assertLess(len(problem.message), 100)
        self.assertIn("x" * 39 + "…", problem.message)

    def test_a_header_one_column_over_the_limit_is_refused(self) -> None:
        header = ",".join(f"c{index}" for index in range(MAX_COLUMNS))
        with self.assertRaises(FileFormatError) as caught:
            read_figures_csv(f"month,{header}\n", {"revenue": None})
        self.assertIn(
            f"The header has {MAX_COLUMNS + 1} columns", caught.exception.errors[0].message
        )
