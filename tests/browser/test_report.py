"""In a real browser: the report printed to A4 PDF in two languages, and a sales ledger that
changes the dashboard.

The PDF's text is read with pdftotext (Debian's poppler-utils), page by page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from metrics.businesses.selectors import business_figures, business_targets, target_rule
from metrics.dashboard.cards import TargetInput
from metrics.engine import Engine, add_months, parse_period_label
from metrics.models.business import Business, TrackedKpi
from metrics.models.entries import Entry
from metrics.models.goals import Target
from metrics.models.mentoring import Mentorship
from metrics.pages import last_complete_month
from metrics.reports.build import Report, build_report
from tests.base import PASSWORD
from tests.browser.conftest import BASE_DIR, axe_violations, screenshot

PDFS = BASE_DIR / "artifacts" / "pdf"
# An A4 page less the report's 15 mm margins, in CSS pixels (96 per inch).
A4_TEXT_WIDTH = round(180 / 25.4 * 96)
A4_TEXT_HEIGHT = round(267 / 25.4 * 96)
KPIS = ["revenue", "average_order_value", "conversion_rate", "new_customers", "churn_rate"]


def _owner() -> User:
    return User.objects.create_user("amal@example.org", PASSWORD, name="Amal Haddad")


def _business_with_two_years(owner: User) -> Business:
    business = Business.objects.create(
        owner=owner,
        name="Amal's Kitchen",
        country="be",
        region="flanders",
        sells="Home-made Syrian food",
        channel="shop",
    )
    for position, code in enumerate(KPIS):
        TrackedKpi.objects.create(business=business, kpi=code, position=position)
    entries = []
    for index in range(24):
        month = add_months(date(2023, 1, 1), index)
        values = {
            "revenue": 900 + 60 * index,
            "orders": 40 + index,
            "visitors": 1000 + 10 * index,
            "new_customers": 8 + index % 5,
            "customers_start": 60 + index,
            "customers_end": 61 + index,
            "customers_lost": 3 + index % 3,
        }
        entries += [
            Entry(business=business, month=month, figure=code, value=Decimal(value))
            for code, value in values.items()
        ]
    Entry.objects.bulk_create(entries)
    for kpi, comparison, value in (
        ("revenue", "at_least", 2000),
        ("conversion_rate", "at_least", 6),
        ("churn_rate", "at_most", 5),
    ):
        Target.objects.create(
            business=business,
            kpi=kpi,
            comparison=comparison,
            value=Decimal(value),
            first_month=date(2024, 1, 1),
            deadline=date(2024, 12, 1),
        )
    return business


def _log_in(page: Page, language: str) -> None:
    User.objects.filter(email="amal@example.org").update(language=language)
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("amal@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _expected(business: Business, label: str, language: str) -> Report:
    """The report as the server builds it, to know the words and numbers the PDF must hold."""
    with translation.override(language):
        return build_report(
            engine=Engine.catalogue(),
            figures=business_figures(business),
            codes=KPIS,
            targets=[TargetInput(target_rule(t)) for t in business_targets(business)],
            period=parse_period_label(label, business.fy_start),
            currency=business.currency,
        )


def _plain(text: str) -> str:
    """Text as compatibility characters (ﬀ is ff, a no-break space a space), quotes straight."""
    return unicodedata.normalize("NFKC", text).replace("\u2019", "'")


def _pdf_pages(pdf: bytes, name: str) -> list[str]:
    """The text of each page as ``pdftotext -layout`` lays it out, with single spaces."""
    if shutil.which("pdftotext") is None:
        pytest.fail(
            "pdftotext is needed to read the report's PDF: install Debian's poppler-utils "
            "(apt-get install poppler-utils)."
        )
    PDFS.mkdir(parents=True, exist_ok=True)
    path = PDFS / f"{name}.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
    )
    pages = _plain(result.stdout.decode("utf-8")).split("\f")
    return [re.sub(r"[ \t]+", " ", page) for page in pages if page.strip()]


@pytest.mark.parametrize(
    ("language", "period"),
    [("en", "2024-Q4"), ("en", "2024"), ("fr", "2024-Q4"), ("fr", "2024")],
)
def test_the_report_prints_on_a4_without_cutting_a_kpi(
    page: Page, language: str, period: str
) -> None:
    business = _business_with_two_years(_owner())
    expected = _expected(business, period, language)
    _log_in(page, language)
    page.goto(f"/b/{business.pk}/report/?period={period}")
    expect(page.locator("html")).to_have_attribute("lang", language)

    # Every chart is drawn at once on this page, to be ready for printing.
    expect(page.locator(".report-kpi")).to_have_count(len(KPIS))
    expect(page.locator(".report-chart.chart-drawn")).to_have_count(len(KPIS))
    expect(page.locator("#print-report")).to_be_visible()
    expect(page.locator("#print-hint")).to_be_hidden()
    assert axe_violations(page) == []
    screenshot(page, f"report-{language}-{period}")

    # The button prints: window.print is replaced here, as a headless browser has no dialog.
    page.evaluate("window.print = () => { window.printed = true; }")
    page.locator("#print-report").click()
    assert page.evaluate("window.printed") is True

    # Laid out as on paper: one A4 text width, print styles. No KPI, chart or table may be cut.
    page.set_viewport_size({"width": A4_TEXT_WIDTH, "height": A4_TEXT_HEIGHT})
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".report-controls")).to_be_hidden()
    blocks = page.locator(".report-kpi, .report-chart, .report-trend").evaluate_all(
        """elements => elements.map(element => ({
            kind: element.className,
            breakInside: getComputedStyle(element).breakInside,
            height: element.getBoundingClientRect().height,
        }))"""
    )
    assert len(blocks) == 3 * len(KPIS)
    for block in blocks:
        assert block["breakInside"] == "avoid", block
        assert 0 < block["height"] <= A4_TEXT_HEIGHT, block

    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    pages = _pdf_pages(pdf, f"report-{language}-{period}")
    assert len(pages) >= 2
    # Page 1 holds the summary (issue 12): its title and every KPI's row, the name's first word
    # then the value on one line (a long name wraps inside its cell), so the first page is
    # never a header alone.
    first = pages[0]
    with translation.override(language):
        summary_title = _plain(str(translation.gettext("Summary: every KPI against its target")))
    assert summary_title in re.sub(r"\s+", " ", first)
    assert len(expected.summary) == len(KPIS)
    for row in expected.summary:
        start = re.escape(_plain(row.name).split()[0])
        pattern = rf"^ ?{start}[^\n]* {re.escape(_plain(row.value))}"
        assert re.search(pattern, first, re.MULTILINE), (row.name, row.value)
    everything = re.sub(r"\s+", " ", " ".join(pages))
    assert _plain(expected.title) in everything
    assert "Amal's Kitchen" in everything
    for item in expected.kpis:
        card = item.card
        name = _plain(card.name)
        assert _plain(card.value_text) in everything, name
        if card.target is not None and card.target.verdict is not None:
            with translation.override(language):
                verdict = str(card.target.verdict.label)
            assert verdict in everything, (name, verdict)
        # The KPI's heading is on one page, and so is the whole of its block: the table's
        # first and last rows (period, then value, on one line) are on that same page.
        on = [
            index
            for index, text in enumerate(pages)
            if re.search(rf"^ ?{re.escape(name)} ?$", text, re.MULTILINE)
        ]
        assert len(on) == 1, (name, on)
        text = pages[on[0]]
        for row in (item.trend[0], item.trend[-1]):
            pattern = rf"{re.escape(_plain(row.period))} {re.escape(_plain(row.value))}"
            assert re.search(pattern, text), (name, row.period, row.value)


def test_the_report_without_javascript_says_how_to_print(
    browser: Browser, live_server: object, transactional_db: None
) -> None:
    business = _business_with_two_years(_owner())
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        _log_in(page, "en")
        page.goto(f"/b/{business.pk}/report/?period=2024-Q4")
        expect(page.locator("#print-report")).to_be_hidden()
        expect(page.locator("#print-hint")).to_contain_text("Print command")
        # The numbers are in the tables even without the charts.
        expect(page.locator(".report-trend")).to_have_count(len(KPIS))
    finally:
        context.close()


def test_a_mentor_reads_the_report(page: Page) -> None:
    business = _business_with_two_years(_owner())
    mentor = User.objects.create_user("bob@example.org", PASSWORD, name="Bob")
    Mentorship.objects.create(business=business, mentor=mentor)
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("bob@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"/b/{business.pk}/report/")
    expect(page.locator(".report-kpi")).to_have_count(len(KPIS))
    page.locator("#id_period").select_option("2024")
    page.locator("#id_reflection").check()
    page.locator(".report-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"period=2024&reflection=1"))
    expect(page.locator("#report-title")).to_contain_text("2024")
    expect(page.locator(".report-reflections")).to_contain_text("No reflection")


# -- the sales ledger ---------------------------------------------------------------------------


def _ledger(first: date, last: date) -> bytes:
    """Two months of sales: 800.00 in the first month, 1,234.50 in the last."""
    return (
        "date;customer;amount;quantity\n"
        f"{first:%Y-%m}-03;Samira;500,00;2\n"
        f"{first:%Y-%m}-17;walk-in 4;300,00;\n"
        f"{last:%Y-%m}-02;Samira;1.000,00;1\n"
        f"{last:%Y-%m}-20;Yusuf;234,50;3\n"
    ).encode()


def test_an_entrepreneur_imports_her_sales_and_sees_the_dashboard_change(page: Page) -> None:
    owner = _owner()
    business = Business.objects.create(
        owner=owner, name="Amal's Kitchen", country="be", region="flanders", sells="Food"
    )
    TrackedKpi.objects.create(business=business, kpi="revenue", position=0)
    TrackedKpi.objects.create(business=business, kpi="new_customers", position=1)
    last = last_complete_month()
    first = add_months(last, -1)
    Entry.objects.create(business=business, month=first, figure="revenue", value=Decimal(750))
    _log_in(page, "en")

    page.goto(f"/b/{business.pk}/")
    revenue = page.locator(".kpi-card").filter(has=page.locator("#kpi-revenue"))
    expect(revenue.locator(".kpi-value")).to_have_text("€750.00")

    page.goto(f"/b/{business.pk}/import/")
    page.locator("#ledger-link").click()
    expect(page).to_have_url(f"/b/{business.pk}/import/ledger/")
    assert axe_violations(page) == []
    page.locator("#id_file").set_input_files(
        files=[{"name": "sales.csv", "mimeType": "text/csv", "buffer": _ledger(first, last)}]
    )
    page.locator("#check-ledger").click()

    expect(page.locator("#ledger-summary")).to_contain_text("4 sales")
    expect(page.locator(".preview-month")).to_have_count(2)
    # The first month has a revenue already entered, which differs: it asks, and keeps it
    # unless ticked. Replace it.
    choice = page.locator(f"#id_overwrite-{first:%Y-%m}")
    expect(choice).not_to_be_checked()
    expect(page.locator("#overwrite-explained")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "ledger-preview")
    assert Entry.objects.filter(business=business).count() == 1
    choice.check()
    page.locator("#confirm-import").click()
    expect(page).to_have_url(f"/b/{business.pk}/months/")
    expect(page.locator(".messages .alert-success")).to_contain_text("sales ledger is imported")

    assert Entry.objects.get(business=business, month=first, figure="revenue").value == 800
    page.goto(f"/b/{business.pk}/")
    expect(revenue.locator(".kpi-value")).to_have_text("€1,234.50")
    new_customers = page.locator(".kpi-card").filter(has=page.locator("#kpi-new_customers"))
    expect(new_customers.locator(".kpi-value")).to_have_text("1")

    # The month's history shows the import, and restoring puts the typed value back.
    page.goto(f"/b/{business.pk}/months/{first:%Y-%m}/history/")
    row = page.locator("#history tbody tr[data-figure='revenue']").first
    expect(row).to_contain_text("Sales ledger")
    expect(row).to_contain_text("Amal Haddad")
    assert axe_violations(page) == []
    row.locator(".restore-button").click()
    expect(page.locator(".messages .alert-success")).to_be_visible()
    assert Entry.objects.get(business=business, month=first, figure="revenue").value == 750
