"""Every URL of a business, as owner, active mentor, revoked mentor, stranger and anonymous.

The test walks the URL resolver, so a new page is covered the day it is added: a page whose
parameters it cannot fill fails the test until PARAMETERS (or OUTSIDE_A_BUSINESS, with a reason)
says how.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import User
from metrics.mentoring.invitations import invitation_create
from metrics.models.business import CustomFigure, CustomKpi
from metrics.models.comments import Comment
from metrics.models.goals import Goal, Target
from metrics.models.matching import PoolMentor, Proposal
from metrics.models.programmes import Cohort, CohortMembership
from metrics.pages import last_complete_month
from metrics.programmes.funder import last_complete_quarter
from tests.base import BaseTestCase
from tests.metrics.factories import add_entries, make_business, make_mentor, track
from tests.metrics.programmes.helpers import make_programme

# How to fill each URL parameter that names a business or something that belongs to one.
# A new parameter needs a line here, made from the fixture objects of AccessMatrixTests.
PARAMETERS: dict[str, Callable[[AccessMatrixTests], object]] = {
    "business_id": lambda t: t.business.pk,
    "goal_id": lambda t: t.goal.pk,
    "target_id": lambda t: t.target.pk,
    "comment_id": lambda t: t.comment.pk,
    "invitation_id": lambda t: t.invitation.pk,
    "mentorship_id": lambda t: t.mentorship.pk,
    "membership_id": lambda t: t.membership.pk,
    "proposal_id": lambda t: t.proposal.pk,
    # Programme pages (walked by ProgrammeAccessMatrixTests, not by the business matrix).
    "programme_id": lambda t: t.membership.cohort.programme_id,
    "cohort_id": lambda t: t.membership.cohort_id,
    "month": lambda t: "2026-03",
    "quarter": lambda t: "2026-Q1",
    "kpi": lambda t: "revenue",
    "custom_kpi": lambda t: t.custom_kpi.code,
    "custom_figure": lambda t: t.custom_figure.code,
    # An upload waiting in the session for confirmation (figures or ledger import).
    "token": lambda t: "no-such-upload-0000000",  # the shape of a token, kept by no one
}

# Pages whose parameters name something outside any business, with the reason.
OUTSIDE_A_BUSINESS = {
    "accounts:password_reset_confirm": "a password-reset link: it names an account",
    "accounts:signup_confirm": "a sign-up link: it names an address, not a business",
    "guidance:kpi": "public guidance on a KPI of the catalogue",
    "guidance:topic": "public guidance",
    "guidance:page": "public guidance",
    "metrics:invitation_accept": (
        "the invitation's token is itself the credential: whoever holds the link may read it "
        "and accept it (tests/metrics/mentoring/test_mentors.py covers every case)"
    ),
}
# Pages of a programme, not of a business: ProgrammeAccessMatrixTests walks them.
PROGRAMME_PARAMETER = "programme_id"
OUTSIDE_A_BUSINESS |= {
    "metrics:cohort_join": (
        "a cohort's joining link: the token is the credential, and joining needs a log-in "
        "(tests/metrics/programmes/test_consent.py covers it)"
    ),
    "metrics:coordinator_accept": (
        "a coordinator's invitation: the token is the credential "
        "(tests/metrics/programmes/test_coordinators.py covers it)"
    ),
    "metrics:pool_accept": (
        "an invitation to a mentor pool: the token is the credential "
        "(tests/metrics/matching/test_pool.py covers it)"
    ),
}
# Programme pages for the mentors of its pool (their own offer), not for its coordinators.
POOL_MENTOR_PAGES = {"metrics:pool_entry", "metrics:pool_leave"}
NAMESPACES_OUTSIDE = {"admin": "staff only, behind the admin's own log-in and permissions"}

# Pages only the owner may open: an active mentor's GET gets 403, like their writes.
OWNER_ONLY = {
    "metrics:business_edit",
    # Forms whose POST a mentor is refused: since issue 13 their GET is refused too.
    "metrics:goal_edit",
    "metrics:target_edit",
    "metrics:import",
    "metrics:custom_kpi_create",
    "metrics:custom_figure_create",
    "metrics:custom_kpi_edit",
    "metrics:custom_kpi_delete",
    "metrics:custom_figure_edit",
    "metrics:custom_figure_delete",
    "metrics:goal_create",
    "metrics:target_create",
    "metrics:import_preview",
    "metrics:import_columns",
    "metrics:ledger_columns",
    "metrics:ledger_import",
    "metrics:ledger_preview",
    "metrics:ledger_reading",
    "metrics:mentors",
    "metrics:business_programmes",
    # The guided start: the owner's own set-up, one question a page.
    "metrics:start_channel",
    "metrics:start_kpis",
    "metrics:start_target",
    "metrics:start_month",
}
# The writes an active mentor may make: a comment, and ending their own access.
MENTOR_MAY_POST = {
    "metrics:month_comments",
    "metrics:kpi_comments",
    "metrics:review_comments",
    "metrics:mentorship_leave",
}
# An empty POST the owner may see refused as a bad request, and why.
EMPTY_POST_IS_BAD = {
    "metrics:review": "the page has two forms told apart by `action`; a POST naming neither "
    "is malformed, not a choice the owner could make",
    "metrics:review_latest": "the same view as metrics:review",
    "metrics:month_history": "a restore must name the version to restore; without it the "
    "request is malformed",
}

OK = range(200, 400)
LOGIN = reverse("accounts:login")


@dataclass(frozen=True)
class Page:
    name: str
    route: str
    parameters: tuple[str, ...]


def _pages(resolver: URLResolver, route: str = "", namespace: str = "") -> Iterator[Page]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            full = f"{namespace}:{inner}" if namespace and inner else namespace or inner
            yield from _pages(pattern, route + str(pattern.pattern), full)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield Page(name, route + str(pattern.pattern), tuple(pattern.pattern.regex.groupindex))


class Clients:
    """Clients that enforce CSRF, and requests rolled back so each sees the same data."""

    def client_for(self, user: User | None) -> tuple[Client, str]:
        """A client that enforces CSRF, and the token its pages gave it."""
        client = Client(enforce_csrf_checks=True)
        if user is not None:
            client.force_login(user)
        client.get(reverse("home"))
        return client, client.cookies["csrftoken"].value

    def request(self, client: Client, method: str, url: str, token: str | None) -> HttpResponse:
        """One request whose writes are rolled back, so every request sees the same data."""
        with transaction.atomic():
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, {"csrfmiddlewaretoken": token} if token else {})
            transaction.set_rollback(True)
        return response


class AccessMatrixTests(Clients, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice)
        track(cls.business, "revenue", "conversion_rate")
        add_entries(cls.business, date(2025, 10, 1), 6, {"revenue": 900, "visitors": 80})
        cls.goal = Goal.objects.create(
            business=cls.business, title="Pay myself", deadline=date(2026, 12, 1)
        )
        cls.target = Target.objects.create(
            business=cls.business,
            kpi="revenue",
            goal=cls.goal,
            value=Decimal(1000),
            first_month=date(2026, 1, 1),
            deadline=date(2026, 12, 1),
        )
        cls.mentorship = make_mentor(cls.business, cls.bob)
        cls.former = User.objects.create_user("former@example.org", "x" * 12)
        make_mentor(cls.business, cls.former, revoked=True)
        cls.comment = Comment.objects.create(
            business=cls.business, author=cls.alice, on="month", subject="2026-03", body="Hi"
        )
        cls.invitation, _token = invitation_create(business=cls.business, invited_by=cls.alice)
        cls.custom_figure = CustomFigure.objects.create(
            business=cls.business, code="stalls", name="Market stalls", unit="count"
        )
        cls.custom_kpi = CustomKpi.objects.create(
            business=cls.business,
            code="revenue_per_stall",
            name="Per stall",
            formula="revenue / stalls",
        )

        programme = make_programme(cls.charlie)
        cohort = Cohort.objects.create(programme=programme, name="Antwerp", country="be")
        cls.membership = CohortMembership.objects.create(
            cohort=cohort, business=cls.business, consent="named"
        )
        # A mentor of the programme's pool, proposed to Alice: still no access to her business.
        cls.pool_mentor = User.objects.create_user("pool@example.org", "x" * 12)
        entry = PoolMentor.objects.create(
            programme=programme, user=cls.pool_mentor, languages=["ar"], country="be"
        )
        cls.proposal = Proposal.objects.create(membership=cls.membership, mentor=entry)

    def client_for(self, user: User | None) -> tuple[Client, str]:
        """A client that enforces CSRF, and the token its pages gave it."""
        client = Client(enforce_csrf_checks=True)
        if user is not None:
            client.force_login(user)
        client.get(reverse("home"))
        return client, client.cookies["csrftoken"].value

    def request(self, client: Client, method: str, url: str, token: str | None) -> HttpResponse:
        """One request whose writes are rolled back, so every request sees the same data."""
        with transaction.atomic():
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, {"csrfmiddlewaretoken": token} if token else {})
            transaction.set_rollback(True)
        return response

    def test_every_business_url_allows_the_owner_and_the_mentor_to_read_and_no_one_else(
        self,
    ) -> None:
        pages = list(_pages(get_resolver()))
        names = {page.name for page in pages}
        tables = [*OWNER_ONLY, *MENTOR_MAY_POST, *EMPTY_POST_IS_BAD, *OUTSIDE_A_BUSINESS]
        self.assertEqual([name for name in tables if name not in names], [], "stale entries")

        roles = {
            "owner": self.client_for(self.alice),
            "mentor": self.client_for(self.bob),
            "revoked mentor": self.client_for(self.former),
            "pool mentor proposed to her": self.client_for(self.pool_mentor),
            "stranger and coordinator of her cohort": self.client_for(self.charlie),
            "anonymous": self.client_for(None),
        }
        problems: list[str] = []
        checked = 0
        for page in pages:
            if not page.parameters or page.name in OUTSIDE_A_BUSINESS:
                continue
            if PROGRAMME_PARAMETER in page.parameters:
                continue
            if page.name.split(":")[0] in NAMESPACES_OUTSIDE:
                continue
            missing = [name for name in page.parameters if name not in PARAMETERS]
            if missing:
                problems.append(
                    f"{page.name} ({page.route}): no value for the parameter(s) "
                    f"{', '.join(missing)}; add them to PARAMETERS in {__name__}"
                )
                continue
            url = reverse(
                page.name, kwargs={name: PARAMETERS[name](self) for name in page.parameters}
            )
            checked += 1
            for method in ("GET", "POST"):
                client, token = roles["owner"]
                owner = self.request(client, method, url, token).status_code
                accepted = owner != 405
                allowed = set(OK)
                if method == "POST" and page.name in EMPTY_POST_IS_BAD:
                    allowed.add(400)
                if accepted and owner not in allowed:
                    problems.append(f"{method} {url} ({page.name}) as the owner: {owner}")
                if accepted and method == "POST":
                    refused = self.request(client, method, url, None)
                    if refused.status_code != 403 or b"CSRF" not in refused.content:
                        problems.append(f"POST {url} ({page.name}) without a CSRF token passed")
                for role, (client, token) in roles.items():
                    if role == "owner":
                        continue
                    response = self.request(client, method, url, token)
                    verdict = self.judge(page.name, method, role, accepted, response)
                    if verdict:
                        problems.append(f"{method} {url} ({page.name}) as {role}: {verdict}")
        self.assertGreater(checked, 30)
        self.assertEqual(problems, [], "\n" + "\n".join(problems))

    def judge(
        self, name: str, method: str, role: str, accepted: bool, response: HttpResponse
    ) -> str:
        """What is wrong with ``response``, or an empty string."""
        status = response.status_code
        if role == "anonymous":
            to_login = status == 302 and response.url.startswith(f"{LOGIN}?next=")
            return "" if to_login or (not accepted and status == 405) else f"{status}"
        if role != "mentor":
            return "" if status == 404 or (not accepted and status == 405) else f"{status}"
        if not accepted:
            return "" if status in (405, 403) else f"{status}, not 405"
        if method == "GET":
            expected = 403 if name in OWNER_ONLY else None
        else:
            expected = None if name in MENTOR_MAY_POST else 403
        if expected is None:
            return "" if status in OK else f"{status}, not allowed"
        return "" if status == expected else f"{status}, not {expected}"

    def test_a_post_without_the_csrf_token_is_refused(self) -> None:
        client, token = self.client_for(self.alice)
        url = reverse("metrics:month_comments", args=[self.business.pk, "2026-03"])
        response = client.post(url, {"body": "No token"})
        self.assertEqual(response.status_code, 403)
        self.assertIn(b"CSRF", response.content)
        self.assertEqual(Comment.objects.count(), 1)
        self.assertEqual(
            client.post(url, {"body": "With", "csrfmiddlewaretoken": token}).status_code, 302
        )
        self.assertEqual(Comment.objects.count(), 2)


class ProgrammeAccessMatrixTests(Clients, BaseTestCase):
    """Every programme URL, for everyone who might try it: only its coordinators get in."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.coordinator = User.objects.create_user("coordinator@example.org", "x" * 12)
        cls.programme = make_programme(cls.coordinator)
        cls.cohort = Cohort.objects.create(programme=cls.programme, name="Lyon", country="fr")
        cls.other = User.objects.create_user("other@example.org", "x" * 12)
        make_programme(cls.other, "Elsewhere")
        member = make_business(cls.alice)
        CohortMembership.objects.create(cohort=cls.cohort, business=member, consent="named")
        make_mentor(member, cls.bob)  # mentors a member: still not a coordinator
        cls.pool_mentor = User.objects.create_user("pool@example.org", "x" * 12)
        make_mentor(make_business(cls.charlie, name="Elsewhere Bikes"), cls.pool_mentor)
        cls.left = User.objects.create_user("left@example.org", "x" * 12)
        CohortMembership.objects.create(
            cohort=cls.cohort, business=make_business(cls.left), left_at=timezone.now()
        )
        # In this programme's pool, proposed to no one and mentoring no member.
        cls.in_pool = User.objects.create_user("in-pool@example.org", "x" * 12)
        PoolMentor.objects.create(
            programme=cls.programme, user=cls.in_pool, languages=["fr"], country="fr"
        )
        cls.named = CohortMembership.objects.get(business=member)

    def test_only_a_coordinator_of_this_programme_opens_its_pages(self) -> None:
        pages = [p for p in _pages(get_resolver()) if PROGRAMME_PARAMETER in p.parameters]
        self.assertGreaterEqual(len(pages), 4)
        values = {
            "programme_id": self.programme.pk,
            "cohort_id": self.cohort.pk,
            # The funder report's quarter: the last complete one, so the coordinator gets 200.
            "quarter": last_complete_quarter(last_complete_month()).label,
            "membership_id": self.named.pk,
        }
        roles = {
            "coordinator": self.coordinator,
            "coordinator of another programme": self.other,
            "member with a named row": self.alice,
            "mentor of a member": self.bob,
            "mentor of another business": self.pool_mentor,
            "mentor in the pool without this mentee": self.in_pool,
            "entrepreneur who left": self.left,
            "stranger": self.charlie,
            "anonymous": None,
        }
        problems = []
        for page in pages:
            url = reverse(page.name, kwargs={name: values[name] for name in page.parameters})
            for method in ("GET", "POST"):
                for role, user in roles.items():
                    client, token = self.client_for(user)
                    response = self.request(client, method, url, token)
                    status = response.status_code
                    if role == "anonymous":
                        fine = status == 405 or (
                            status == 302 and response.url.startswith(f"{LOGIN}?next=")
                        )
                    elif role == (
                        "mentor in the pool without this mentee"
                        if page.name in POOL_MENTOR_PAGES
                        else "coordinator"
                    ):
                        fine = status in OK or status == 405
                    else:
                        fine = status in (404, 405)
                    if not fine:
                        problems.append(f"{method} {url} ({page.name}) as {role}: {status}")
        self.assertEqual(problems, [], "\n" + "\n".join(problems))
