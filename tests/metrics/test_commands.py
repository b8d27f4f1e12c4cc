"""The compute_kpis and derive_figures commands, on good and bad files."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

BASE_DIR = Path(__file__).resolve().parents[2]

WIDE = """month,visitors,orders,revenue,cost_of_sales
2025-01,50,5,1000,400
2025-02,1000,50,1250,500
2025-03,950,95,1000,
"""


def write(tmp_path: Path, text: str, name: str = "figures.csv", encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fail(*args: str) -> tuple[str, str]:
    """Run a command that must fail with exit status 2; return its message and its stdout."""
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*args, stdout=out, stderr=StringIO())
    assert caught.value.returncode == 2
    return str(caught.value), out.getvalue()


# -- compute_kpis ------------------------------------------------------------------------------


def test_monthly_results(tmp_path: Path) -> None:
    out, _err = run(
        "compute_kpis",
        write(tmp_path, WIDE),
        "--kpis",
        "revenue_growth,conversion_rate,gross_margin",
    )
    assert out == (
        "period,kpi,value,note\n"
        "2025-01,conversion_rate,10,\n"  # 5 / 50 * 100
        "2025-01,gross_margin,60,\n"  # (1000 - 400) / 1000 * 100
        "2025-01,revenue_growth,,no previous period\n"
        "2025-02,conversion_rate,5,\n"  # 50 / 1000 * 100
        "2025-02,gross_margin,60,\n"  # (1250 - 500) / 1250 * 100
        "2025-02,revenue_growth,25,\n"  # (1250 - 1000) / 1000 * 100
        "2025-03,conversion_rate,10,\n"  # 95 / 950 * 100
        "2025-03,gross_margin,,missing cost_of_sales 2025-03\n"
        "2025-03,revenue_growth,-20,\n"  # (1000 - 1250) / 1250 * 100
    )


def test_every_builtin_kpi_by_default(tmp_path: Path) -> None:
    from metrics.engine import KPIS

    out, _err = run("compute_kpis", write(tmp_path, WIDE))
    lines = out.splitlines()
    assert len(lines) == 1 + 3 * len(KPIS)
    assert [line.split(",")[1] for line in lines[1 : 1 + len(KPIS)]] == sorted(KPIS)


def test_quarterly_results(tmp_path: Path) -> None:
    out, _err = run(
        "compute_kpis",
        write(tmp_path, WIDE),
        "--period",
        "quarter",
        "--kpis",
        "conversion_rate,revenue,gross_margin",
    )
    assert out == (
        "period,kpi,value,note\n"
        "2025-Q1,conversion_rate,7.5,\n"  # (5 + 50 + 95) / (50 + 1000 + 950) * 100
        # Changed on purpose (issue 12): a value so far, over January and February, which have
        # the cost of sales: (2250 - 900) / 2250 * 100 = 60.
        "2025-Q1,gross_margin,60,partial 2 of 3 months\n"
        "2025-Q1,revenue,3250,\n"
    )


def test_fiscal_years(tmp_path: Path) -> None:
    text = "month,revenue\n2025-03,10\n2025-04,20\n2025-05,30\n"
    out, _err = run(
        "compute_kpis",
        write(tmp_path, text),
        "--period",
        "year",
        "--fy-start",
        "4",
        "--kpis",
        "revenue",
    )
    assert out == (
        "period,kpi,value,note\n"
        # Changed on purpose (issue 12): values so far. 2024 is April 2024 to March 2025: 10;
        # 2025 has April and May: 20 + 30 = 50.
        "2024,revenue,10,partial 1 of 12 months\n"
        "2025,revenue,50,partial 2 of 12 months\n"
    )


def test_semicolons_decimal_commas_and_a_bom(tmp_path: Path) -> None:
    text = "\ufeffmonth;revenue;orders\n2025-01;1.234,50;10\n"
    out, _err = run("compute_kpis", write(tmp_path, text), "--kpis", "average_order_value")
    assert out == "period,kpi,value,note\n2025-01,average_order_value,123.45,\n"


def test_long_layout(tmp_path: Path) -> None:
    text = "month,figure,value\n2025-01,orders,4\n2025-01,revenue,10\n"
    out, _err = run("compute_kpis", write(tmp_path, text), "--kpis", "average_order_value")
    assert out == "period,kpi,value,note\n2025-01,average_order_value,2.5,\n"


def test_ambiguous_numbers_need_the_decimal_option(tmp_path: Path) -> None:
    path = write(tmp_path, "month;revenue\n2025-01;1.500\n")
    message, out = fail("compute_kpis", path)
    assert out == ""
    assert message.startswith("Line 2: Cannot tell whether “1.500” uses a decimal point")
    assert message.endswith("Run again with --decimal point or --decimal comma.")
    out, _err = run("compute_kpis", path, "--decimal", "comma", "--kpis", "revenue")
    assert out == "period,kpi,value,note\n2025-01,revenue,1500,\n"
    out, _err = run("compute_kpis", path, "--decimal", "point", "--kpis", "revenue")
    assert out == "period,kpi,value,note\n2025-01,revenue,1.5,\n"


NOT_A_NUMBER = (
    "“ten” is not a number; write digits with a decimal point or a decimal comma, "
    "without letters or exponents"
)
NOT_A_MONTH = "“2025-1” is not a month; write it as YYYY-MM, for example 2025-03"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "month,revenue,vistors\n2025-01,1,2\n",
            "Line 1: Unknown figure code “vistors” — did you mean “visitors”?",
        ),
        ("month,revenue\n2025-01,1\n2025-1,2\n", f"Line 3: {NOT_A_MONTH}"),
        ("month,revenue\n2025-01,1\n2025-01,2\n", "Line 3: The month 2025-01 is already on line 2"),
        ("month,revenue\n2025-01,ten\n", f"Line 2: {NOT_A_NUMBER}"),
        ("month,revenue\n2025-01,1,2\n", "Line 2: This line has 3 cells, but the header has 2"),
        ("", "Line 1: The file is empty"),
    ],
)
def test_bad_files_fail_with_the_line_and_nothing_on_stdout(
    tmp_path: Path, text: str, message: str
) -> None:
    assert fail("compute_kpis", write(tmp_path, text)) == (message, "")


def test_every_problem_gets_its_own_line(tmp_path: Path) -> None:
    text = "month,revenue\n2025-01,x\n2025-13,1\n2025-01,2\n"
    message, out = fail("compute_kpis", write(tmp_path, text))
    assert out == ""
    assert [line.split(":")[0] for line in message.splitlines()] == ["Line 2", "Line 3", "Line 4"]


def test_unknown_kpi_code(tmp_path: Path) -> None:
    message, out = fail("compute_kpis", write(tmp_path, WIDE), "--kpis", "revenue,churn,nps")
    assert out == ""
    assert message.startswith("Unknown KPI code: churn. Known codes: visitors, leads,")


def test_financial_year_must_start_in_a_real_month(tmp_path: Path) -> None:
    message, _out = fail("compute_kpis", write(tmp_path, WIDE), "--fy-start", "13")
    assert message == "--fy-start must be a month number from 1 to 12, not 13"


def test_missing_file(tmp_path: Path) -> None:
    message, out = fail("compute_kpis", str(tmp_path / "nowhere.csv"))
    assert out == ""
    assert message.startswith(f"Cannot read {tmp_path / 'nowhere.csv'}:")


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    message, _out = fail("compute_kpis", str(tmp_path))
    assert message.startswith("Cannot read")


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "month,revenue\n2025-01,5\n2025-02,\u00e9\n", encoding="latin-1")
    assert fail("compute_kpis", path) == (
        "Line 3: The file is not UTF-8 text; save it as “CSV UTF-8” and try again",
        "",
    )


# -- derive_figures -----------------------------------------------------------------------------

TRANSACTIONS = """date,customer,amount,quantity
2025-01-05,alice,10,2
2025-01-09,bob,20,
2025-02-03,bob,15.50,
2025-02-14,carol,30,3
"""


def test_derive_figures(tmp_path: Path) -> None:
    out, _err = run("derive_figures", write(tmp_path, TRANSACTIONS, "sales.csv"))
    assert out == (
        "month,new_customers,customers_start,customers_end,customers_lost,orders,units_sold,revenue\n"
        "2025-01,2,,2,,2,3,30\n"
        "2025-02,1,2,2,1,2,4,45.50\n"
    )


def test_derived_figures_feed_compute_kpis(tmp_path: Path) -> None:
    derived, _err = run("derive_figures", write(tmp_path, TRANSACTIONS, "sales.csv"))
    out, _err = run("compute_kpis", write(tmp_path, derived), "--kpis", "churn_rate,retention_rate")
    assert out == (
        "period,kpi,value,note\n"
        "2025-01,churn_rate,,missing customers_lost 2025-01\n"
        "2025-01,retention_rate,,missing customers_start 2025-01\n"
        "2025-02,churn_rate,50,\n"  # alice did not come back: 1 / 2 * 100
        "2025-02,retention_rate,50,\n"  # (2 - 1 new) / 2 * 100
    )


def test_derive_figures_with_bad_rows(tmp_path: Path) -> None:
    text = "date,customer,amount\n2025-01-32,alice,10\n2025-01-05,bob,ten\n"
    message, out = fail("derive_figures", write(tmp_path, text, "sales.csv"))
    assert out == ""
    assert message.splitlines() == [
        "Line 2: “2025-01-32” is not a date; write it as YYYY-MM-DD, for example 2025-03-31",
        "Line 3: “ten” is not a number; write digits with a decimal point or a decimal comma, "
        "without letters or exponents",
    ]


def test_derive_figures_missing_file(tmp_path: Path) -> None:
    message, _out = fail("derive_figures", str(tmp_path / "none.csv"))
    assert message.startswith("Cannot read")


# -- as a real process ----------------------------------------------------------------------------


def manage(*args: str) -> subprocess.CompletedProcess[str]:
    # A database that cannot exist: the commands must not need one.
    env = dict(os.environ, DATABASE_URL="postgres://nobody@127.0.0.1:9/none")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_bad_file_as_a_process_exits_2_with_nothing_on_stdout(tmp_path: Path) -> None:
    path = write(tmp_path, "month,revenue\n2025-01,1\n2025-01,2\n2025-02,oops\n")
    process = manage("compute_kpis", path)
    assert process.returncode == 2
    assert process.stdout == ""
    assert "Line 3: The month 2025-01 is already on line 2\n" in process.stderr
    assert "\nLine 4: “oops” is not a number" in process.stderr


def test_good_file_as_a_process(tmp_path: Path) -> None:
    process = manage("compute_kpis", write(tmp_path, WIDE), "--kpis", "conversion_rate")
    assert process.returncode == 0, process.stderr
    assert process.stdout.splitlines()[:2] == [
        "period,kpi,value,note",
        "2025-01,conversion_rate,10,",
    ]
