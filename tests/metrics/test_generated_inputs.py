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

``GeneratedInputNewPagesTests`` covers the pages that came later, each in its own role: the
guided start's steps as the owner of a business in it; a KPI's page (``period``, ``kpi``) and
the ledger's column mapping and big-upload reading page as an owner; cohorts, coordinators,
the pool's invitations, proposals and the funder report (``quarter``, ``format``) as a
coordinator; joining, consent and answering a proposal as an entrepreneur; the pool's offer
(languages, sectors, country, capacity) as a pool mentor. It adds ``choice`` and ``choices``
(a field's own choices mixed with any generated value), ``ids`` (digits far past 64 bits),
``quarters`` (well- and ill-formed YYYY-Qn) and ``tokens`` (what an upload token looks like).
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from accounts.countries import COUNTRY_CHOICES
from accounts.models import User
from metrics.businesses.advice import reasons_for
from metrics.files.headers import IGNORE, LEDGER_MAPPABLE, LEDGER_REQUIRED
from metrics.imports.mapping import Kind, upload_wait
from metrics.matching.services import pool_invite, proposal_create
from metrics.models.business import (
    Business,
    CustomFigure,
    CustomKpi,
    SalesChannel,
    Sector,
    StartStep,
)
from metrics.models.comments import Comment
from metrics.models.goals import Goal, Target
from metrics.models.imports import StoredUpload
from metrics.models.matching import PoolMentor
from metrics.models.programmes import CohortMembership, Consent, Coordinator, Programme
from metrics.programmes.services import cohort_create
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


# -- the pages that came later: the guided start, a KPI's page, programmes, matching, mapping --


def choice(valid: list[str]) -> st.SearchStrategy[str]:
    """One of a field's own choices half the time, else any generated value."""
    return st.one_of(st.sampled_from(valid), values)


def choices(valid: list[str]) -> st.SearchStrategy[list[str]]:
    """A multiple choice: several of the field's own choices mixed with generated values."""
    return st.lists(choice(valid), max_size=5)


# Any digits in a path segment: what ``<int:…>`` takes, up to far past a 64-bit integer.
ids = st.one_of(st.integers(0, 2**63 + 10), st.integers(0, 10**40)).map(str)

# What ``<token:…>`` takes (22 URL-safe letters), so the view runs, not only the resolver.
tokens = st.one_of(
    st.text(st.sampled_from("ABCXYZabcxyz0189_-"), min_size=22, max_size=22),
    values,
)

quarters = st.one_of(
    st.builds(lambda y, q: f"{y:04d}-Q{q}", st.integers(0, 9999), st.integers(0, 9)),
    nasty_text,
)

COUNTRIES = [code for code, _name in COUNTRY_CHOICES if code]
LANGUAGES = [code for code, _name in django_settings.LANGUAGES]
SECTORS = list(Sector.values)
CONSENTS = list(Consent.values)
LEDGER_TARGETS = [IGNORE, *LEDGER_MAPPABLE]

# A sales list whose header the app does not know: its columns wait to be chosen.
UNKNOWN_LEDGER = (
    "Wann,Wer,Wieviel,Stück,Bestellung,Zurück\n"
    "2025-01-03,Ann,12.50,1,A1,\n"
    "2025-01-04,Bo,7,2,A2,yes\n"
).encode()

# A column's name in a header row, no longer than a person would write.
header_names = values.map(lambda text: text[:2000])


def ledger_with_header(names: list[str]) -> bytes:
    """UNKNOWN_LEDGER's sales under a header row of ``names``, quoted as a spreadsheet would."""
    output = io.StringIO()
    csv.writer(output).writerow(names)
    return output.getvalue().encode() + UNKNOWN_LEDGER.split(b"\n", 1)[1]


class GeneratedInputNewPagesTests(TestCase):
    """The pages added since: each in the role it is for.

    Nadia is in the middle of her guided start. Carol coordinates New Roots, whose Antwerp
    cohort has Erin's Kitchen (named, with figures and a proposal of Dana waiting) and Sami's
    Salon (named); Erin's Bakery is in no cohort. Dana is in the mentor pool; Eve is invited to
    it. Kitchen has a column mapping to choose (made afresh in each example) and a big sales
    list being read.
    """

    @classmethod
    def setUpTestData(cls) -> None:
        def person(name: str) -> User:
            return User.objects.create_user(f"{name.lower()}@example.org", PASSWORD, name=name)

        cls.nadia, cls.carol, cls.erin = person("Nadia"), person("Carol"), person("Erin")
        cls.dana, cls.eve, cls.sami = person("Dana"), person("Eve"), person("Sami")
        cls.starting = make_business(
            cls.nadia, name="Nadia's Stall", sells="", start_step=StartStep.CHANNEL
        )
        track(cls.starting, "revenue", "average_order_value")

        cls.programme = Programme.objects.create(
            name="New Roots", countries=["be", "fr"], languages=["fr"], start=date(2025, 1, 1)
        )
        Coordinator.objects.create(programme=cls.programme, user=cls.carol)
        cls.cohort, cls.join_token = cohort_create(
            programme=cls.programme, name="Antwerp", country="be"
        )
        cls.kitchen = make_business(cls.erin, name="Kitchen", sector="food")
        cls.bakery = make_business(cls.erin, name="Bakery", sector="food")
        salon = make_business(cls.sami, name="Salon", sector="beauty")
        track(cls.kitchen, "revenue", "average_order_value")
        add_entries(cls.kitchen, date(2025, 1, 1), 6, {"revenue": 900, "orders": 30})
        cls.membership = CohortMembership.objects.create(
            cohort=cls.cohort, business=cls.kitchen, consent=Consent.NAMED
        )
        cls.salon_membership = CohortMembership.objects.create(
            cohort=cls.cohort, business=salon, consent=Consent.NAMED
        )
        cls.entry = PoolMentor.objects.create(
            programme=cls.programme,
            user=cls.dana,
            languages=["fr", "ar"],
            sectors=["food"],
            country="be",
            capacity=3,
        )
        cls.proposal = proposal_create(
            membership=cls.membership, mentor=cls.entry, proposed_by=cls.carol
        )
        _invitation, cls.pool_token = pool_invite(
            programme=cls.programme, email="eve@example.org", invited_by=cls.carol
        )
        cls.stored = StoredUpload.objects.create(
            business=cls.kitchen,
            token="kept-upload-0000000000",
            name="sales.csv",
            size=len(UNKNOWN_LEDGER),
            raw=UNKNOWN_LEDGER,
            decimal="detect",
            language="en",
            state=StoredUpload.State.WAITING,
        )

    def setup_example(self) -> None:
        """Each example starts with no rate-limit counts, so forms are read, not refused."""
        super().setup_example()
        caches["default"].clear()

    def answer(self, user: User, send: Callable[[Client], Any], page: str, what: str) -> None:
        client = Client()
        client.force_login(user)
        started = time.process_time()
        response = send(client)
        spent = time.process_time() - started
        # By page, so that the statistics show each page answering, not only its 404.
        event(f"{page}: {response.status_code}")
        self.assertLess(response.status_code, 500, what)
        self.assertLessEqual(spent, CPU_BUDGET, f"{what} took {spent:.2f} s of CPU")

    # -- forms --------------------------------------------------------------------------------

    def forms(self) -> dict[str, tuple[User, str, dict[str, st.SearchStrategy[Any]]]]:
        """Each form page, who sends it, and each field with what it is sent."""
        starting, programme = self.starting.pk, self.programme.pk
        starters = list(reasons_for(self.starting.channel))
        tracked = ["revenue", "average_order_value"]
        columns = len(UNKNOWN_LEDGER.split(b"\n")[0].split(b","))
        # "Skip this step" one time in five: every step then saves nothing of its page.
        skip = st.sampled_from(["", "", "", "", "1"])
        return {
            "start business": (
                self.nadia,
                reverse("metrics:start_business"),
                {
                    "name": values,
                    "country": choice(COUNTRIES),
                    "region": choice(["flanders", "wallonia", "brussels"]),
                    "skip": skip,
                },
            ),
            "start channel": (
                self.nadia,
                reverse("metrics:start_channel", args=[starting]),
                {
                    "channel": choice(list(SalesChannel.values)),
                    "sector": choice(SECTORS),
                    "skip": skip,
                },
            ),
            "start kpis": (
                self.nadia,
                reverse("metrics:start_kpis", args=[starting]),
                {
                    "kpis": choices([*starters, "stalls_kpi"]),
                    **{f"why_{code}": values for code in starters},
                    "skip": skip,
                },
            ),
            "start target": (
                self.nadia,
                reverse("metrics:start_target", args=[starting]),
                {"kpi": choice(tracked), "value": huge_numbers | values, "skip": skip},
            ),
            "start month": (
                self.nadia,
                reverse("metrics:start_month", args=[starting]),
                {
                    "revenue": huge_numbers | values,
                    "orders": huge_numbers | values,
                    "note-revenue": values,
                    "skip": skip,
                },
            ),
            "cohort": (
                self.carol,
                reverse("metrics:cohort_new", args=[programme]),
                {"name": values, "country": choice(COUNTRIES)},
            ),
            "coordinator": (
                self.carol,
                reverse("metrics:coordinator_new", args=[programme]),
                {"email": choice(["new@example.org", "carol@example.org"])},
            ),
            "pool invitation": (
                self.carol,
                reverse("metrics:pool", args=[programme]),
                {"email": choice(["new@example.org", "dana@example.org"])},
            ),
            "proposal": (
                self.carol,
                reverse("metrics:proposal_new", args=[programme, self.salon_membership.pk]),
                {"mentor": choice([str(self.entry.pk)])},
            ),
            "join": (
                self.erin,
                reverse("metrics:cohort_join", args=[self.join_token]),
                {
                    "business": choice([str(self.kitchen.pk), str(self.bakery.pk)]),
                    "consent": choice(CONSENTS),
                },
            ),
            "consent": (
                self.erin,
                reverse("metrics:membership_consent", args=[self.kitchen.pk, self.membership.pk]),
                {"consent": choice(CONSENTS)},
            ),
            "proposal accept": (
                self.erin,
                reverse("metrics:proposal_accept", args=[self.kitchen.pk, self.proposal.pk]),
                {"consent": values},
            ),
            "proposal decline": (
                self.erin,
                reverse("metrics:proposal_decline", args=[self.kitchen.pk, self.proposal.pk]),
                {"reason": values},
            ),
            "pool accept": (
                self.eve,
                reverse("metrics:pool_accept", args=[self.pool_token]),
                {
                    "languages": choices(LANGUAGES),
                    "sectors": choices(SECTORS),
                    "country": choice(COUNTRIES),
                    "capacity": choice(["1", "2", "10", "11", "0"]) | huge_numbers,
                },
            ),
            "pool entry": (
                self.dana,
                reverse("metrics:pool_entry", args=[programme]),
                {
                    "languages": choices(LANGUAGES),
                    "sectors": choices(SECTORS),
                    "country": choice(COUNTRIES),
                    "capacity": choice(["1", "2", "10", "11", "0"]) | huge_numbers,
                    "active": choice(["on", ""]),
                },
            ),
            "columns": (
                self.erin,
                "ledger columns",  # the token is made afresh in each example
                {f"column-{index}": choice(LEDGER_TARGETS) for index in range(columns)},
            ),
        }

    @settings(max_examples=250, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def test_every_form_field(self, data: st.DataObject) -> None:
        forms = self.forms()
        page = data.draw(st.sampled_from(sorted(forms)))
        user, url, fields = forms[page]
        if page == "columns":
            # The file's own header half the time, else one of generated names (a NUL in a name
            # was a 500 on PostgreSQL when the mapping was saved).
            header = data.draw(st.none() | st.lists(header_names, min_size=6, max_size=6))
            raw = UNKNOWN_LEDGER if header is None else ledger_with_header(header)
            token = upload_wait(
                self.kitchen, Kind.LEDGER, raw=raw, name="sales.csv", decimal="detect"
            )
            url = reverse("metrics:ledger_columns", args=[self.kitchen.pk, token])
        sent = {
            field: data.draw(strategy, label=field)
            for field, strategy in fields.items()
            if data.draw(st.booleans())
        }
        if page == "columns" and data.draw(st.booleans(), label="a mapping that fits"):
            # The file's own columns, the optional ones kept or ignored, so that the mapping is
            # saved and the file read with it, not only refused.
            sent = {
                f"column-{index}": (
                    target if target in LEDGER_REQUIRED or data.draw(st.booleans()) else IGNORE
                )
                for index, target in enumerate(LEDGER_MAPPABLE)
            }
        self.answer(user, lambda client: client.post(url, sent), page, f"POST {page} {sent!r:.300}")

    # -- query and path parameters ------------------------------------------------------------

    @settings(max_examples=100, suppress_health_check=list(HealthCheck))
    @given(page=st.sampled_from(["kpi", "funder report", "funder csv"]), data=st.data())
    def test_every_query_parameter(self, page: str, data: st.DataObject) -> None:
        programme = self.programme.pk
        requests = {
            "kpi": (
                self.erin,
                reverse("metrics:kpi", args=[self.kitchen.pk, "average_order_value"]),
                {"period": choice(["2025-03", "2025-Q1", "2025", "FY2025"])},
            ),
            "funder report": (
                self.carol,
                reverse("metrics:funder_report_latest", args=[programme]),
                {"quarter": choice(["2025-Q1", "2025-Q2"]) | quarters},
            ),
            "funder csv": (
                self.carol,
                reverse("metrics:funder_report_csv", args=[programme, "2025-Q1"]),
                {"format": choice(["excel", "csv", ""])},
            ),
        }
        user, url, fields = requests[page]
        query = {field: data.draw(strategy, label=field) for field, strategy in fields.items()}
        self.answer(user, lambda client: client.get(url, query), page, f"GET {page} {query!r:.300}")

    @settings(max_examples=150, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def test_every_path_parameter(self, data: st.DataObject) -> None:
        kitchen, programme = f"/b/{self.kitchen.pk}", f"/programmes/{self.programme.pk}"
        # Each page: who opens it, the path around the segment, its known value, and what to
        # generate for it; a POST where the page only answers a POST.
        pages: dict[str, tuple[User, str, str, st.SearchStrategy[str], bool]] = {
            "kpi": (self.erin, f"{kitchen}/kpi/{{}}/", "revenue", values, False),
            "funder report": (self.carol, f"{programme}/report/{{}}/", "2025-Q1", quarters, False),
            "funder csv": (self.carol, f"{programme}/report/{{}}.csv", "2025-Q2", quarters, False),
            "reading": (
                self.erin,
                f"{kitchen}/import/ledger/reading/{{}}/",
                self.stored.token,
                tokens,
                False,
            ),
            "cancel reading": (
                self.erin,
                f"{kitchen}/import/ledger/reading/{{}}/",
                self.stored.token,
                tokens,
                True,
            ),
            "columns": (
                self.erin,
                f"{kitchen}/import/ledger/columns/{{}}/",
                "no-such-upload-0000000",
                tokens,
                False,
            ),
            "join": (self.erin, "/programmes/join/{}/", self.join_token, values, False),
            "pool accept": (self.eve, "/programmes/pool/{}/", self.pool_token, values, False),
            "consent": (
                self.erin,
                f"{kitchen}/programmes/{{}}/consent/",
                str(self.membership.pk),
                ids | values,
                True,
            ),
            "proposal accept": (
                self.erin,
                f"{kitchen}/programmes/proposals/{{}}/accept/",
                str(self.proposal.pk),
                ids | values,
                True,
            ),
            "proposal decline": (
                self.erin,
                f"{kitchen}/programmes/proposals/{{}}/decline/",
                str(self.proposal.pk),
                ids | values,
                True,
            ),
            "proposal new": (
                self.carol,
                f"{programme}/matching/{{}}/propose/",
                str(self.salon_membership.pk),
                ids | values,
                True,
            ),
            "programme": (self.carol, "/programmes/{}/", str(self.programme.pk), ids, False),
            "start": (self.nadia, "/b/{}/start/kpis/", str(self.starting.pk), ids, False),
        }
        page = data.draw(st.sampled_from(sorted(pages)))
        user, pattern, sample, generated, post = pages[page]
        # The page's own value a third of the time, so the views run and not only the 404.
        known = data.draw(st.sampled_from([True, False, False]), label="known")
        text = sample if known else data.draw(generated, label="segment")
        path = pattern.format(quote(text[:2000], safe=""))

        def send(client: Client) -> Any:
            return client.post(path) if post else client.get(path)

        self.answer(user, send, page, f"{'POST' if post else 'GET'} {path:.300}")
