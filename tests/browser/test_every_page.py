"""Every page of the product on a 360-px phone, in every language: nothing wider than the screen.

The pages come from the URL resolver, so a new page is visited the day it is added: a URL name
that is in none of the tables below fails the test until it is given a visitor (or a reason).
English and Arabic (right to left) also run axe on every page; French, Dutch and Ukrainian
check the width and the charts only, which keeps the run short.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Browser, BrowserContext, Page, expect

from accounts.models import User
from accounts.signup import Applicant, signup_token
from guidance.models import GuidePage
from metrics.engine import add_months
from metrics.management.commands.load_demo import ENTREPRENEUR, MENTOR
from metrics.matching.services import pool_invite
from metrics.mentoring.invitations import invitation_create
from metrics.models.business import Business, CustomFigure, CustomKpi
from metrics.models.comments import Comment
from metrics.models.goals import Goal, Target
from metrics.models.matching import PoolMentor, Proposal
from metrics.models.mentoring import Mentorship
from metrics.models.programmes import CohortMembership, Consent, Coordinator, Programme
from metrics.months.services import entries_save_month
from metrics.pages import current_month
from metrics.programmes.services import cohort_create, coordinator_invite, membership_join
from tests.browser.conftest import PHONE, axe_violations
from tests.metrics.peers.factories import peers_of

OWNER, MENTOR_ROLE, READER = "owner", "mentor", "reader"

# Who opens each page. The owner opens every page of her business; the mentor every page he
# may read; a reader without an account the public ones.
VISITORS: dict[str, tuple[str, ...]] = {
    "home": (READER, OWNER),
    "accounts:signup": (READER,),
    "accounts:signup_sent": (READER,),
    "accounts:signup_confirm": (READER,),
    "accounts:email_change": (OWNER,),
    "accounts:password_change": (OWNER,),
    "accounts:login": (READER,),
    "accounts:password_reset": (READER,),
    "accounts:password_reset_done": (READER,),
    "accounts:password_reset_confirm": (READER,),
    "accounts:password_reset_complete": (READER,),
    "accounts:profile": (OWNER,),
    "accounts:delete": (OWNER,),
    "guidance:index": (READER, OWNER),
    "guidance:kpi": (READER,),
    "guidance:topic": (READER, OWNER),
    "guidance:page": (READER,),
    "metrics:business_list": (OWNER,),
    "metrics:business_create": (OWNER,),
    "metrics:business_edit": (OWNER,),
    "metrics:kpis": (OWNER, MENTOR_ROLE),
    "metrics:custom_kpi_create": (OWNER,),
    "metrics:custom_figure_create": (OWNER,),
    "metrics:custom_kpi_edit": (OWNER,),
    "metrics:custom_kpi_delete": (OWNER,),
    "metrics:custom_figure_edit": (OWNER,),
    "metrics:custom_figure_delete": (OWNER,),
    "metrics:goals": (OWNER, MENTOR_ROLE),
    "metrics:goal_create": (OWNER,),
    "metrics:goal_edit": (OWNER,),
    "metrics:target_create": (OWNER,),
    "metrics:target_edit": (OWNER,),
    "metrics:ledger_import": (OWNER,),
    "metrics:ledger_preview": (OWNER,),
    "metrics:import": (OWNER,),
    "metrics:import_preview": (OWNER,),
    "metrics:months": (OWNER, MENTOR_ROLE),
    "metrics:month": (OWNER, MENTOR_ROLE),
    "metrics:month_history": (OWNER, MENTOR_ROLE),
    "metrics:dashboard": (OWNER, MENTOR_ROLE),
    # With ten similar businesses in her programme, so "peers like me" shows its quartiles.
    "metrics:kpi": (OWNER, MENTOR_ROLE),
    "metrics:review_latest": (OWNER, MENTOR_ROLE),
    "metrics:review": (OWNER, MENTOR_ROLE),
    "metrics:mentor_home": (MENTOR_ROLE,),
    "metrics:invitation_accept": (READER,),
    "metrics:mentors": (OWNER,),
    "metrics:comments": (OWNER, MENTOR_ROLE),
    "metrics:month_comments": (OWNER, MENTOR_ROLE),
    "metrics:kpi_comments": (OWNER, MENTOR_ROLE),
    "metrics:review_comments": (OWNER, MENTOR_ROLE),
    "metrics:report": (OWNER, MENTOR_ROLE),
    # The mentor coordinates a programme in which the owner's business is a named member.
    "metrics:programmes": (MENTOR_ROLE,),
    "metrics:programme": (MENTOR_ROLE,),
    "metrics:cohort_new": (MENTOR_ROLE,),
    "metrics:coordinator_new": (MENTOR_ROLE,),
    "metrics:funder_report_latest": (MENTOR_ROLE,),
    "metrics:funder_report": (MENTOR_ROLE,),
    "metrics:coordinator_accept": (OWNER,),
    "metrics:cohort_join": (OWNER,),
    "metrics:business_programmes": (OWNER,),
    # The mentor coordinates it and is in its pool too; the owner reads an invitation to it.
    "metrics:pool": (MENTOR_ROLE,),
    "metrics:pool_entry": (MENTOR_ROLE,),
    "metrics:matching": (MENTOR_ROLE,),
    "metrics:pool_accept": (OWNER,),
    # The guided start, as the owner resumes it; the templates download.
    "metrics:start": (OWNER,),
    "metrics:start_business": (OWNER,),
    "metrics:start_channel": (OWNER,),
    "metrics:start_kpis": (OWNER,),
    "metrics:start_target": (OWNER,),
    "metrics:start_month": (OWNER,),
}
# URL names that are not pages, and why.
NOT_PAGES = {
    "accounts:logout": "POST only",
    "accounts:set_language": "POST only",
    "accounts:set_country": "POST only",
    "accounts:export": "a download",
    "metrics:export_figures": "a download",
    "metrics:export_kpis": "a download",
    "metrics:goal_delete": "POST only",
    "metrics:import_template": "a download",
    "metrics:ledger_template": "a download",
    "metrics:import_columns": "reached only from an upload whose columns must be chosen",
    "metrics:ledger_columns": "reached only from an upload whose columns must be chosen",
    "metrics:funder_report_csv": "a download",
    "metrics:ledger_reading": (
        "reached only while a task reads a big sales list; with the in-process task backend of "
        "the browser tests it goes straight on to the preview "
        "(tests/metrics/imports/test_big_uploads.py renders it)"
    ),
    "metrics:cohort_link": "POST only",
    "metrics:membership_consent": "POST only",
    "metrics:membership_leave": "POST only",
    "metrics:pool_leave": "POST only",
    "metrics:proposal_new": "POST only",
    "metrics:proposal_accept": "POST only",
    "metrics:proposal_decline": "POST only",
    "metrics:target_delete": "POST only",
    "metrics:mentorship_leave": "POST only",
    "metrics:invite_link": "POST only",
    "metrics:invitation_cancel": "POST only",
    "metrics:mentorship_revoke": "POST only",
    "metrics:comment_delete": "POST only",
    "metrics:comment_edit": "POST only: its page shows only an edit that was refused",
}
NAMESPACES_OUTSIDE = {"admin"}
# The empty choice of a list, as Django writes it when no translation applies.
UNTRANSLATED_EMPTY_CHOICES = ["- Select an option -", "---------"]

MEASURE = """
(untranslated) => {
  const viewport = window.innerWidth;
  const problems = [];
  const width = document.documentElement.scrollWidth;
  if (width > viewport) {
    // The elements past the edge, leaving out the closed menus of the header.
    const wide = [...document.querySelectorAll('body *')]
      .filter(el => !el.closest('details:not([open])'))
      .filter(el => el.getBoundingClientRect().right > viewport + 1
                 || el.getBoundingClientRect().left < -1)
      .filter(el => el.getBoundingClientRect().width > 0)
      .slice(0, 4)
      .map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className)
        .trim().split(/\\s+/).join('.') : ''));
    problems.push(`the page is ${width} px wide (${wide.join(', ')})`);
  }
  for (const chart of document.querySelectorAll('.kpi-chart')) {
    const box = chart.getBoundingClientRect();
    const ticks = [...chart.querySelectorAll('.xtick text, .ytick text')];
    const outside = ticks.filter(tick => {
      const r = tick.getBoundingClientRect();
      return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1
        || r.top < box.top - 1 || r.bottom > box.bottom + 1);
    });
    if (outside.length) {
      problems.push(`${chart.dataset.chart}: tick labels outside the chart: `
        + outside.slice(0, 3).map(t => t.textContent).join(', '));
    }
    const xs = [...chart.querySelectorAll('.xtick text')]
      .map(tick => tick.getBoundingClientRect()).filter(r => r.width > 0)
      .sort((a, b) => a.left - b.left);
    for (let i = 1; i < xs.length; i++) {
      if (xs[i].left < xs[i - 1].right - 1 && xs[i].top < xs[i - 1].bottom) {
        problems.push(`${chart.dataset.chart}: month labels overlap under the chart`);
        break;
      }
    }
  }
  const empty = [...document.querySelectorAll('select option')]
    .map(option => option.textContent.trim())
    .filter(text => untranslated.includes(text));
  if (empty.length && document.documentElement.lang !== 'en') {
    problems.push(`an untranslated empty choice: ${empty[0]}`);
  }
  return problems;
}
"""


@dataclass(frozen=True)
class Visit:
    name: str
    role: str
    url: str


def _pages(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, tuple[str, ...]]]:
    """Every named URL and the names of its parameters."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            full = f"{namespace}:{inner}" if namespace and inner else namespace or inner
            yield from _pages(pattern, full)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, tuple(pattern.pattern.regex.groupindex)


def _upload(client: Client, name: str, business: Business, content: str) -> str:
    """Upload a file as the owner; the preview's token then waits in her session."""
    upload = SimpleUploadedFile("upload.csv", content.encode(), content_type="text/csv")
    response = client.post(reverse(name, args=[business.pk]), {"file": upload, "decimal": "point"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.url.rstrip("/").rsplit("/", 1)[-1]


@dataclass
class Demo:
    """The demo entrepreneur and her mentor, with something on every page, and their sessions."""

    business: Business
    sessions: dict[str, str]
    parameters: dict[str, Callable[[str], object]]


def _demo() -> Demo:
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_guidance", verbosity=0)
    owner = User.objects.get(email=ENTREPRENEUR)
    mentor = User.objects.get(email=MENTOR)
    business = Business.objects.get(owner=owner)
    month = add_months(current_month(), -1)
    # Two changes to last month, so its history has rows with restore buttons.
    for revenue in (Decimal("4321.50"), Decimal("123456.78")):
        entries_save_month(business=business, month=month, values={"revenue": revenue}, user=owner)
    comment = Comment.objects.create(
        business=business, author=mentor, on="month", subject=f"{month:%Y-%m}", body="Good month."
    )
    _invitation, invitation_token = invitation_create(business=business, invited_by=owner)
    # A figure and a KPI of her own, so their pages to change and delete them have a subject.
    CustomFigure.objects.create(
        business=business, code="stalls", name="Market stalls", unit="count"
    )
    CustomKpi.objects.create(
        business=business, code="per_stall", name="Per stall", formula="revenue / stalls"
    )
    signup_link = signup_token(Applicant(email="new@example.org", name="Newcomer", next="/"))
    programme = Programme.objects.create(
        name="New Roots", countries=["be"], languages=["fr", "ar"], start=date(2025, 1, 1)
    )
    Coordinator.objects.create(programme=programme, user=mentor)
    cohort, join_token = cohort_create(programme=programme, name="Antwerp", country="be")
    membership_join(cohort=cohort, business=business, consent=Consent.NAMED)
    business.sector = "food"
    business.save(update_fields=["sector"])
    peers_of(business, cohort, month, range(1, 11))
    _invited, coordinator_token = coordinator_invite(
        programme=programme, email="new-coordinator@example.org", invited_by=mentor
    )
    # The mentor is in the pool; another pool mentor is proposed to the owner; a demo member
    # without a mentor joins by name, so the matching page has suggestions to show.
    PoolMentor.objects.create(
        programme=programme, user=mentor, languages=["fr", "nl"], sectors=["food"], country="be"
    )
    proposed = PoolMentor.objects.create(
        programme=programme,
        user=User.objects.create_user("pool@example.org", name="Nour Saleh"),
        languages=["ar", "en"],
        sectors=["food", "retail"],
        country="be",
    )
    Proposal.objects.create(
        membership=CohortMembership.objects.get(business=business, cohort=cohort),
        mentor=proposed,
    )
    membership_join(
        cohort=cohort, business=Business.objects.get(name="Yonas Bikes"), consent=Consent.NAMED
    )
    _pool_invitation, pool_token = pool_invite(
        programme=programme, email="new-mentor@example.org", invited_by=mentor
    )
    quarter_month = add_months(month, -((month.month - 1) % 3) - 3)
    quarter = f"{quarter_month.year}-Q{(quarter_month.month - 1) // 3 + 1}"
    sessions: dict[str, str] = {}
    clients: dict[str, Client] = {}
    for role, user in ((OWNER, owner), (MENTOR_ROLE, mentor)):
        clients[role] = Client()
        clients[role].force_login(user)
    # Last month's figures again, so the previews show old and new values side by side.
    figures = f"month,revenue,visitors\n{month:%Y-%m},98765.43,1234\n"
    ledger = (
        "date,customer,amount,quantity\n"
        f"{month:%Y-%m}-05,alice,1000.00,2\n{month:%Y-%m}-09,bob,20345.00,1\n"
    )
    figures_token = _upload(clients[OWNER], "metrics:import", business, figures)
    ledger_token = _upload(clients[OWNER], "metrics:ledger_import", business, ledger)
    for role, client in clients.items():
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    tokens = {"metrics:import_preview": figures_token, "metrics:ledger_preview": ledger_token}
    parameters: dict[str, Callable[[str], object]] = {
        "business_id": lambda _name: business.pk,
        "goal_id": lambda _name: Goal.objects.filter(business=business).first().pk,
        "target_id": lambda _name: Target.objects.filter(business=business).first().pk,
        "comment_id": lambda _name: comment.pk,
        "mentorship_id": lambda _name: Mentorship.objects.get(business=business).pk,
        "month": lambda _name: f"{month:%Y-%m}",
        "quarter": lambda _name: quarter,
        "kpi": lambda _name: "revenue",
        "uidb64": lambda _name: urlsafe_base64_encode(force_bytes(owner.pk)),
        "code": lambda _name: "conversion_rate",
        "custom_kpi": lambda _name: "per_stall",
        "custom_figure": lambda _name: "stalls",
        "programme_id": lambda _name: programme.pk,
        "cohort_id": lambda _name: cohort.pk,
        "name": lambda _name: "register",
        "slug": lambda _name: GuidePage.objects.filter(kpis=[]).order_by("slug").first().slug,
    }
    tokens["accounts:signup_confirm"] = signup_link
    tokens["metrics:cohort_join"] = join_token
    tokens["metrics:coordinator_accept"] = coordinator_token
    tokens["metrics:pool_accept"] = pool_token
    parameters["token"] = lambda name: (
        default_token_generator.make_token(owner)
        if name == "accounts:password_reset_confirm"
        else tokens.get(name, invitation_token)
    )
    return Demo(business, sessions, parameters)


def _visits(demo: Demo) -> list[Visit]:
    pages = {
        name: keys
        for name, keys in _pages(get_resolver())
        if name.split(":")[0] not in NAMESPACES_OUTSIDE
    }
    unknown = [name for name in pages if name not in VISITORS and name not in NOT_PAGES]
    assert unknown == [], f"Say who visits these pages in VISITORS (or why not): {unknown}"
    stale = [name for name in [*VISITORS, *NOT_PAGES] if name not in pages]
    assert stale == [], f"No such URL names: {stale}"
    visits = []
    for name, roles in VISITORS.items():
        kwargs = {key: demo.parameters[key](name) for key in pages[name]}
        visits.extend(Visit(name, role, reverse(name, kwargs=kwargs)) for role in roles)
    return visits


def _context(browser: Browser, base_url: str, session: str | None, language: str):
    context = browser.new_context(viewport=PHONE, locale="en-GB", base_url=base_url)
    context.set_default_timeout(10_000)
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    if session:
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url})
    context.add_cookies(cookies)
    return context


def _draw_charts(page: Page) -> None:
    """Charts are drawn as they come near the screen: bring each one there in turn."""
    charts = page.locator("[data-chart]")
    for index in range(charts.count()):
        charts.nth(index).scroll_into_view_if_needed()
    expect(page.locator(".kpi-chart:not(.chart-drawn)")).to_have_count(0)


def _check(page: Page, visit: Visit, with_axe: bool) -> list[str]:
    response = page.goto(visit.url)
    assert response is not None
    if response.status >= 400:
        return [f"{visit.role} {visit.url} ({visit.name}): status {response.status}"]
    _draw_charts(page)
    problems = page.evaluate(MEASURE, UNTRANSLATED_EMPTY_CHOICES)
    if with_axe:
        # A drawn chart is an image with a text alternative and the same numbers in a table.
        problems += axe_violations(page, exclude=".kpi-chart .svg-container")
    return [f"{visit.role} {visit.url} ({visit.name}): {problem}" for problem in problems]


@pytest.mark.parametrize("language", ["en", "ar", "fr", "nl", "uk"])
def test_every_page_fits_a_phone(
    browser: Browser, live_server, transactional_db, language: str
) -> None:
    demo = _demo()
    User.objects.filter(email__in=[ENTREPRENEUR, MENTOR]).update(language=language)
    visits = _visits(demo)
    assert len(visits) > 50
    with_axe = language in ("en", "ar")
    problems: list[str] = []
    errors: list[str] = []
    for role in (OWNER, MENTOR_ROLE, READER):
        context: BrowserContext = _context(
            browser, live_server.url, demo.sessions.get(role), language
        )
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        for visit in visits:
            if visit.role == role:
                problems += _check(page, visit, with_axe)
        # Every guide page, whose text comes from the content files, not from a template: in
        # every language for the width, with axe where the language runs it.
        if role == READER:
            for guide in GuidePage.objects.order_by("slug"):
                page.goto(guide.get_absolute_url())
                found = page.evaluate(MEASURE, UNTRANSLATED_EMPTY_CHOICES)
                if with_axe:
                    found += axe_violations(page)
                problems += [f"guide {guide.slug}: {p}" for p in found]
        expect(page.locator("html")).to_have_attribute("lang", language)
        context.close()
    assert errors == [], errors
    assert problems == [], "\n" + "\n".join(problems)
