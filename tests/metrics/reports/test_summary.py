"""The report's first-page summary: every KPI against its target and on a year (issue 12)."""

from __future__ import annotations

from metrics.engine import Verdict
from tests.metrics.reports.test_report import ReportTestCase


class ReportSummaryTests(ReportTestCase):
    def test_the_summary_of_a_quarter_worked_out_by_hand(self) -> None:
        # Q4 2024: revenue 1,000 + 100 × (9, 10, 11) = 1,900 + 2,000 + 2,100 = 6,000;
        # Q4 2023: 3 × 800 = 2,400, so +3,600.00, +150.0 %. Target 3 × 1,500 = 4,500.
        # Average order value: 6,000 / 150 = 40; a year earlier 2,400 / 120 = 20: +20.00, +100.0 %.
        report = self.get(period="2024-Q4").context["report"]
        rows = [
            (row.name, row.value, row.target, row.verdict, row.change, row.change_tone)
            for row in report.summary
        ]
        self.assertEqual(
            rows,
            [
                (
                    "Revenue",
                    "€6,000.00",
                    "at least €4,500.00",
                    Verdict.ON_TRACK,
                    "+€3,600.00 (+150.0%)",
                    "better",
                ),
                ("Average order value", "€40.00", "", None, "+€20.00 (+100.0%)", "better"),
            ],
        )

    def test_the_summary_is_a_table_that_scrolls_in_its_own_box(self) -> None:
        html = self.get(period="2024-Q4").content.decode()
        start = html.index('id="report-summary"')
        summary = html[start : html.index("</section>", start)]
        self.assertIn('class="table-responsive" tabindex="0" role="region"', summary)
        self.assertIn('<th scope="col">Change on a year</th>', summary)
        self.assertIn('<a href="#report-kpi-revenue">Revenue</a>', summary)
        self.assertIn("at least €4,500.00", summary)
        self.assertIn("+€3,600.00 (+150.0%)", summary)
