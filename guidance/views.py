"""Public pages: the home page and the guidance for readers without an account."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from accounts.http import VisitorRequest
from accounts.inputs import CONTROL_CHARACTERS, text_problem
from guidance import selectors
from guidance.models import COUNTRY_TOPICS, SHARED_TOPICS, GuidePage, GuideSource, Topic
from guidance.rendering import add_section_notes, render_markdown
from metrics.engine.catalogue import KPIS

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def index(request: VisitorRequest) -> HttpResponse:
    """Topics, the pages for the reader's flag (and region), and a search over them."""
    language = translation.get_language()
    typed = request.GET.get("q", "")
    problem = text_problem(typed, _("The search"), max_length=selectors.SEARCH_MAX_LENGTH)
    # Shown again in the box even when refused, without what cannot be shown.
    query = " ".join(CONTROL_CHARACTERS.sub(" ", typed).split())
    results = None
    if query and problem is None:
        found = selectors.search(query, language, request.country, request.region)
        results = selectors.entries(found, language)
    country_entries = []
    if request.country is not None:
        country_entries = selectors.country_entries(request.country, request.region, language)
    context = {
        "query": query,
        "results": results,
        "general": selectors.entries(
            selectors.shared_pages(Topic.GENERAL, Topic.INVESTORS), language
        ),
        "country_entries": country_entries,
        "country_topics": COUNTRY_TOPICS,
        "search_error": problem,
    }
    return render(request, "guidance/index.html", context, status=400 if problem else 200)


def page(request: HttpRequest, slug: str) -> HttpResponse:
    """One guide page, by its slug."""
    found = selectors.page_by_slug(slug)
    if found is None:
        raise Http404("No guide page with this slug.")
    return _render_page(request, found)


def kpi(request: HttpRequest, code: str) -> HttpResponse:
    """The page that explains a catalogue KPI; the dashboard links here."""
    found = selectors.page_for_kpi(code) if code in KPIS else None
    if found is None:
        raise Http404("No guide page for this KPI.")
    return _render_page(request, found)


def topic(request: VisitorRequest, name: str) -> HttpResponse:
    """A topic: the page for the reader's country and region, or what to choose first."""
    if name not in Topic.values:
        raise Http404("No such topic.")
    language = translation.get_language()
    context: dict[str, object] = {"topic": Topic(name)}
    if name in SHARED_TOPICS:
        context["entries"] = selectors.entries(selectors.shared_pages(name), language)
    elif request.country is not None:
        choice = selectors.choose_topic_page(name, request.country, request.region)
        if choice.page is not None:
            return _render_page(request, choice.page)
        context["regional"] = selectors.entries(choice.regional, language)
    return render(request, "guidance/topic.html", context)


def _checked_on(day: date) -> SafeString:
    """A <time> element with the date written the way the reader's language writes dates."""
    return format_html('<time datetime="{}">{}</time>', day.isoformat(), date_format(day))


def section_note(source: GuideSource) -> SafeString:
    """The note "Source: <title>, checked on <date>." in the reader's language, linked."""
    link = format_html('<a href="{}" rel="noopener noreferrer">{}</a>', source.url, source.title)
    if source.checked is None:
        text = escape(gettext("Source: %(title)s.")) % {"title": link}
    else:
        text = escape(gettext("Source: %(title)s, checked on %(date)s.")) % {
            "title": link,
            "date": _checked_on(source.checked),
        }
    return format_html('<p class="guide-source" data-source-note>{}</p>', mark_safe(text))


def _body_html(body: str, sources: list[GuideSource]) -> str:
    """The rendered body with a source note at the end of each section a source names."""
    notes: dict[str, list[str]] = {}
    for source in sources:
        for anchor in source.sections or []:
            notes.setdefault(anchor, []).append(section_note(source))
    return add_section_notes(render_markdown(body), notes)


def _render_page(request: HttpRequest, page: GuidePage) -> HttpResponse:
    language = translation.get_language()
    text = page.text(language)
    sources = list(page.sources.all())
    today = timezone.localdate()
    context = {
        "page": page,
        "text": text,
        "text_direction": "rtl" if translation.get_language_info(text.language)["bidi"] else "ltr",
        "body_html": _body_html(text.body, sources),
        "review_overdue": page.review_overdue(today),
        "fallback": text.language != language,
        "language_name": LANGUAGE_NAMES.get(language, language),
        "languages": [(code, LANGUAGE_NAMES[code]) for code in page.languages()],
        "topic": Topic(page.topic),
        "formulas": [KPIS[code] for code in page.kpis if code in KPIS],
        "sources": sources,
    }
    if page.is_country_page:
        # The flag switcher then shows the same topic for the new country.
        context["country_next"] = reverse("guidance:topic", args=[page.topic])
    return render(request, "guidance/page.html", context)
