"""Generated input to every form field, upload and URL parameter of the business pages.

As the owner, on SQLite (and PostgreSQL when DATABASE_URL is set): no answer is a 5xx and none
takes more than 2 s of the server's time. The time is the process's CPU time, not the wall
clock, so that a machine busy with other work cannot fail an example; the wall-clock budget of
uploads is measured by bench/uploads.py and tests/metrics/imports/test_upload_limits.py.

Generators (hypothesis strategies), each named in the final report of issue 13:
``nasty_text`` (any Unicode but surrogates, NUL and other control characters, right-to-left and
zero-width marks, combining accents, Arabic-Indic digits, format strings and markup, strings of
1,000 to 200,000 characters), ``huge_numbers`` (integers of up to 400 digits, decimals with
exponents, NaN, Infinity, 10^14 at the edge), ``months`` (well- and ill-formed YYYY-MM),
``csv_files``, ``raw_bytes`` and ``xlsx_files`` (a workbook whose cell has generated type,
reference and value).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from accounts.models import User
from metrics.models.business import Business, CustomFigure, CustomKpi
from metrics.models.comments import Comment
from metrics.models.goals import Goal, Target
from tests.base import PASSWORD
from tests.metrics.factories import add_entries, make_business, track
from tests.metrics.files import crafted

CPU_BUDGET = 2.0

_ODD = [
    "\x00",
    "\x01",
    "\x07",
    "\x0b",
    "\x1f",
    "\x7f",
    "\t",
    "\r\n",
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\u200b",  # zero-width space
    "\ufeff",
    "e\u0301",  # a combining accent
    "١٢٣٫٥",
    "٬",
    "%(name)s",
    "%s",
    "{0}",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "🙂",
    "\U0010ffff",
]

_CHARACTERS = st.characters(exclude_categories=("Cs",))

nasty_text = st.one_of(
    st.text(_CHARACTERS, max_size=60),
    st.lists(st.sampled_from(_ODD) | st.text(_CHARACTERS, max_size=5), max_size=8).map("".join),
    st.builds(
        lambda piece, count: piece * count,
        st.sampled_from(["x", "é", "\x00", "9", "مرحبا "]),
        st.integers(1_000, 200_000),
    ),
)

huge_numbers = st.one_of(
    st.integers(-(10**400), 10**400).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        [
            "99999999999999.9999",
            "99999999999999.9",
            "-99999999999999.9",
            "100000000000000",
            "1E+999999",
            "1e5",
            "NaN",
            "-0",
            "0.00001",
            "999999999999999999999999999999",
        ]
    ),
)

months = st.one_of(
    st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(0, 9999), st.integers(0, 99)),
    nasty_text,
)

values = st.one_of(nasty_text, huge_numbers, months)

csv_files = st.lists(st.lists(values, max_size=6), max_size=12).map(
    lambda rows: "\n".join(",".join(row) for row in rows).encode("utf-8")
)

raw_bytes = st.binary(max_size=4000)

_CELL_TYPES = ["", "s", "n", "d", "b", "e", "str", "inlineStr", "bogus"]

xlsx_files = st.builds(
    lambda kind, reference, value, ledger: (
        crafted.ledger_with if ledger else crafted.figures_with
    )(
        f"<c r={quoteattr(reference)}"
        + (f' t="{kind}"' if kind else "")
        + f"><v>{escape(value)}</v></c>"
    ),
    st.sampled_from(_CELL_TYPES),
    st.one_of(st.sampled_from(["C3", "B3", "B-5", "XFD3", "A0", "ZZZZ9", "", "3C"]), nasty_text),
    st.one_of(huge_numbers, nasty_text.filter(lambda text: len(text) < 2000)),
    st.booleans(),
)

uploads = st.one_of(csv_files, raw_bytes, xlsx_files)

# A value each path parameter's page knows.
PATH_SAMPLES = {
    "month": "2025-02",
    "history": "2025-01",
    "review": "2025-Q1",
    "kpi comments": "revenue",
    "kpi": "stalls_kpi",
    "figure": "stalls",
    "token": "no-such-upload-0000000",
}


class GeneratedInputTests(TestCase):
    business: Business
    alice: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.alice = User.objects.create_user("alice@example.org", PASSWORD, name="Alice")
        cls.business = make_business(cls.alice)
        track(cls.business, "revenue", "average_order_value", "stalls_kpi")
        add_entries(cls.business, date(2025, 1, 1), 3, {"revenue": 900, "orders": 30})
        CustomFigure.objects.create(
            business=cls.business, code="stalls", name="Stalls", unit="count"
        )
        CustomKpi.objects.create(
            business=cls.business, code="stalls_kpi", name="Per stall", formula="revenue / stalls"
        )
        cls.goal = Goal.objects.create(
            business=cls.business, title="Grow", deadline=date(2026, 12, 1)
        )
        cls.target = Target.objects.create(
            business=cls.business,
            kpi="revenue",
            value=Decimal(1000),
            first_month=date(2025, 1, 1),
            deadline=date(2026, 12, 1),
        )
        cls.comment = Comment.objects.create(
            business=cls.business, author=cls.alice, on="month", subject="2025-01", body="Hi"
        )

    @property
    def owner(self) -> Client:
        """A client logged in as the owner (hypothesis's test case runs no setUp per example)."""
        client = Client()
        client.force_login(self.alice)
        return client

    def url(self, name: str, *args: object) -> str:
        return reverse(name, args=[self.business.pk, *args])

    def answer(self, send: Callable[[Client], Any], what: str) -> None:
        client = self.owner
        started = time.process_time()
        response = send(client)
        spent = time.process_time() - started
        event(f"status {response.status_code}")
        self.assertLess(response.status_code, 500, what)
        self.assertLessEqual(spent, CPU_BUDGET, f"{what} took {spent:.2f} s of CPU")

    # -- forms --------------------------------------------------------------------------------

    def forms(self) -> dict[str, tuple[str, list[str]]]:
        """Each form page and the fields it reads."""
        return {
            "business": (
                self.url("metrics:business_edit"),
                ["name", "sells", "channel", "country", "region", "currency", "fy_start"],
            ),
            "month": (
                self.url("metrics:month", "2025-02"),
                ["revenue", "orders", "visitors", "note-revenue", "note-orders", "then"],
            ),
            "kpis": (
                self.url("metrics:kpis"),
                ["kpi", "why_revenue", "why_average_order_value", "why_stalls_kpi"],
            ),
            "new kpi": (
                self.url("metrics:custom_kpi_create"),
                ["code", "name", "description", "formula", "unit", "direction", "domain"],
            ),
            "change kpi": (
                self.url("metrics:custom_kpi_edit", "stalls_kpi"),
                ["name", "description", "formula", "unit", "direction", "domain", "check"],
            ),
            "new figure": (
                self.url("metrics:custom_figure_create"),
                ["code", "name", "description", "unit", "aggregation"],
            ),
            "change figure": (
                self.url("metrics:custom_figure_edit", "stalls"),
                ["name", "description", "unit", "aggregation"],
            ),
            "goal": (
                self.url("metrics:goal_edit", self.goal.pk),
                ["title", "deadline", "description"],
            ),
            "target": (
                self.url("metrics:target_edit", self.target.pk),
                [
                    "kpi",
                    "goal",
                    "comparison",
                    "value",
                    "baseline",
                    "tolerance",
                    "first_month",
                    "deadline",
                ],
            ),
            "comment": (self.url("metrics:month_comments", "2025-01"), ["body"]),
            "comment edit": (self.url("metrics:comment_edit", self.comment.pk), ["body"]),
            "review": (self.url("metrics:review", "2025-Q1"), ["action", "reflection", "kpis"]),
            "report": (self.url("metrics:report"), ["period", "reflection", "comments"]),
            "mentors": (self.url("metrics:mentors"), ["email"]),
            "history": (self.url("metrics:month_history", "2025-01"), ["restore"]),
            "separator": (
                self.url("metrics:import_preview", "no-such-upload-0000000"),
                ["decimal"],
            ),
        }

    @settings(max_examples=150, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def test_every_form_field(self, data: st.DataObject) -> None:
        forms = self.forms()
        page = data.draw(st.sampled_from(sorted(forms)))
        url, fields = forms[page]
        sent = {
            field: data.draw(values, label=field) for field in fields if data.draw(st.booleans())
        }
        self.answer(lambda client: client.post(url, sent), f"POST {page} {sent!r:.300}")

    # -- query and path parameters ------------------------------------------------------------

    @settings(max_examples=100, suppress_health_check=list(HealthCheck))
    @given(
        page=st.sampled_from(["dashboard", "kpis.csv", "report", "guidance", "mentor", "target"]),
        text=values,
    )
    def test_every_query_parameter(self, page: str, text: str) -> None:
        requests = {
            "dashboard": (self.url("metrics:dashboard"), {"period": text}),
            "kpis.csv": (self.url("metrics:export_kpis"), {"period": text, "all": text}),
            "report": (self.url("metrics:report"), {"period": text}),
            "guidance": (reverse("guidance:index"), {"q": text}),
            "mentor": (reverse("metrics:mentor_home"), {"sort": text}),
            "target": (self.url("metrics:target_create"), {"goal": text}),
        }
        url, query = requests[page]
        self.answer(lambda client: client.get(url, query), f"GET {page} {text!r:.300}")

    @settings(max_examples=100, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def test_every_path_parameter(self, data: st.DataObject) -> None:
        page = data.draw(st.sampled_from(sorted(PATH_SAMPLES)))
        # The page's own value a third of the time, so the views run and not only the 404.
        known = data.draw(st.sampled_from([True, False, False]), label="known")
        text = PATH_SAMPLES[page] if known else data.draw(values, label="segment")
        segment = quote(text[:2000], safe="")
        base = f"/b/{self.business.pk}"
        paths = {
            "month": f"{base}/months/{segment}/",
            "history": f"{base}/months/{segment}/history/",
            "review": f"{base}/review/{segment}/",
            "kpi comments": f"{base}/kpis/{segment}/comments/",
            "kpi": f"{base}/kpis/{segment}/change/",
            "figure": f"{base}/figures/{segment}/delete/",
            "token": f"{base}/import/{segment}/",
        }
        self.answer(lambda client: client.get(paths[page]), f"GET {paths[page]:.300}")

    # -- uploads ------------------------------------------------------------------------------

    @settings(max_examples=80, suppress_health_check=list(HealthCheck))
    @given(
        upload=st.sampled_from(["metrics:import", "metrics:ledger_import"]),
        content=uploads,
        decimal=st.sampled_from(["detect", "point", "comma"]) | nasty_text,
    )
    def test_every_upload(self, upload: str, content: bytes, decimal: str) -> None:
        file = SimpleUploadedFile("generated.xlsx", content)
        self.answer(
            lambda client: client.post(self.url(upload), {"file": file, "decimal": decimal}),
            f"POST {upload} {content[:300]!r}",
        )
