"""`manage.py check_guidance`: what is due for a new check, and the strict mode that CI runs."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tests.guidance.test_content_loader import GOOD, OLD_FORMAT

OVERDUE = Path(__file__).resolve().parent / "fixtures" / "overdue"


def _check(directory: Path, *args: str) -> str:
    out = StringIO()
    call_command("check_guidance", *args, directory=directory, stdout=out)
    return out.getvalue()


def _strict_failure(directory: Path, *args: str) -> tuple[str, str]:
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("check_guidance", "--strict", *args, directory=directory, stdout=out)
    return out.getvalue(), str(caught.value)


def _write(directory: Path, name: str, text: str) -> None:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_it_lists_a_page_past_its_review_date_and_exits_0() -> None:
    output = _check(OVERDUE, "--today", "2026-12-06")
    assert "Checked 1 guide pages on 2026-12-06." in output
    assert "Pages past their review date: 1\n" in output
    assert "  - general/overdue.md: review by 2026-06-01 (reviewed 2025-12-01)\n" in output
    assert "Pages whose figures are for a past year: 1\n" in output
    assert "  - general/overdue.md: figures for 2025\n" in output
    assert output.rstrip().endswith("Done.")


def test_strict_mode_fails_on_a_page_past_its_review_date() -> None:
    output, error = _strict_failure(OVERDUE, "--today", "2026-12-06")
    assert "Problems (these fail --strict): 1\n" in output
    assert "general/overdue.md: review by 2026-06-01 (reviewed 2025-12-01) (past its" in output
    assert error == "1 problem(s) in the guide pages: see the list above."


def test_the_same_page_passes_before_its_dates() -> None:
    # On 1 June 2026 the review is due that very day (not past) and 2025 is last year's figures.
    output = _check(OVERDUE, "--strict", "--today", "2026-06-01")
    assert "Pages past their review date: none" in output
    assert "Problems (these fail --strict): none" in output
    output = _check(OVERDUE, "--strict", "--today", "2025-12-31")
    assert "Pages whose figures are for a past year: none" in output


def test_the_command_line_exits_with_status_1_in_strict_mode() -> None:
    command = [sys.executable, "manage.py", "check_guidance", "--directory", str(OVERDUE)]
    run = {"cwd": settings.BASE_DIR, "capture_output": True, "text": True, "check": False}
    plain = subprocess.run([*command, "--today", "2026-12-06"], **run)
    assert plain.returncode == 0, plain.stderr
    strict = subprocess.run([*command, "--strict", "--today", "2026-12-06"], **run)
    assert strict.returncode == 1
    assert "general/overdue.md: review by 2026-06-01" in strict.stdout
    assert "1 problem(s) in the guide pages" in strict.stderr


def test_strict_mode_fails_on_missing_sources_dates_and_links(tmp_path: Path) -> None:
    _write(tmp_path, "kpis/conversion_rate.md", OLD_FORMAT)
    no_source = GOOD.replace('kpis = ["conversion_rate"]', 'kpis = ["churn_rate"]').replace(
        'slug = "kpi-conversion-rate"', 'slug = "kpi-churn"'
    )
    no_source = no_source.split("sources = [")[0] + "sources = []\n" + no_source.split("]\n", 2)[2]
    no_source = no_source.replace("English body.", "[Conversion](guide:kpi-conversion)")
    _write(tmp_path, "kpis/churn_rate.md", no_source)
    output, error = _strict_failure(tmp_path, "--today", "2026-12-06")
    problems = output.split("Problems (these fail --strict): ", 1)[1]
    assert problems.splitlines() == [
        "5",
        "  - kpis/churn_rate.md: no source",
        "  - kpis/conversion_rate.md: no review_by date",
        "  - kpis/conversion_rate.md: source 1 (URSSAF) has no checked date",
        "  - kpis/conversion_rate.md: source 2 (INSEE) has no checked date",
        "  - kpis/churn_rate.md: the link guide:kpi-conversion (en) names no page; use the slug "
        "of a page in guidance/content/",
    ]
    assert "  - kpis/conversion_rate.md: not yet in ar, uk" in output
    assert error.startswith("5 problem(s)")
    # Without --strict the same pages are listed but nothing fails.
    assert "Problems" not in _check(tmp_path, "--today", "2026-12-06")


def test_a_source_naming_a_section_the_page_lacks_is_noted(tmp_path: Path) -> None:
    _write(tmp_path, "kpis/conversion_rate.md", GOOD.replace('["what-to-try"]', '["acre"]'))
    output = _check(tmp_path, "--strict", "--today", "2026-12-06")
    assert (
        "kpis/conversion_rate.md: source 'URSSAF' names sections the page does not have: acre"
        in output
    )


def test_a_file_that_does_not_parse_is_an_error_naming_it(tmp_path: Path) -> None:
    _write(tmp_path, "kpis/conversion_rate.md", GOOD.replace("<!-- fr -->", ""))
    with pytest.raises(CommandError, match=r"^kpis/conversion_rate\.md: the marker <!-- fr -->"):
        _check(tmp_path)
