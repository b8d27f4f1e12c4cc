"""Readers on prepaid data: each guidance page is under 100 KB compressed on a first visit."""

from __future__ import annotations

import gzip
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from guidance.models import GuidePage

BUDGET = 100 * 1024
_STATIC = re.compile(r'(?:href|src)="' + re.escape(settings.STATIC_URL) + r'([^"?#]+)"')


def first_visit_bytes(html: str) -> tuple[int, list[str]]:
    """The gzip-compressed size of the HTML and of every static file it links, each once."""
    files = sorted(set(_STATIC.findall(html)))
    total = len(gzip.compress(html.encode(), compresslevel=6))
    for name in files:
        path = finders.find(name)
        assert path, f"{name} is linked but not found by the static finders"
        with open(path, "rb") as handle:
            total += len(gzip.compress(handle.read(), compresslevel=6))
    return total, files


def _urls() -> list[str]:
    pages = [page.get_absolute_url() for page in GuidePage.objects.order_by("slug")]
    return [
        reverse("guidance:index"),
        reverse("guidance:index") + "?q=a",
        reverse("guidance:topic", args=["kpis"]),
        reverse("guidance:topic", args=["register"]),
        reverse("guidance:topic", args=["start"]),
        *pages,
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "country"),
    [("en", ""), ("fr", "fr"), ("nl", "nl"), ("ar", "be"), ("uk", "gb")],
)
def test_every_guidance_page_is_under_100_kb_compressed(language: str, country: str) -> None:
    client = Client()
    client.post(reverse("accounts:set_language"), {"language": language, "next": "/"})
    if country:
        client.post(reverse("accounts:set_country"), {"country": country, "next": "/"})
    too_heavy = {}
    for url in _urls():
        response = client.get(url)
        assert response.status_code == 200, url
        size, files = first_visit_bytes(response.content.decode())
        assert any(name.startswith("vendor/bootstrap/") for name in files), url
        if size >= BUDGET:
            too_heavy[url] = size
    assert too_heavy == {}


def test_the_measure_counts_linked_static_files() -> None:
    html = '<link rel="stylesheet" href="/static/css/app.css"><script src="/static/js/app.js">'
    size, files = first_visit_bytes(html)
    assert files == ["css/app.css", "js/app.js"]
    assert size > len(gzip.compress(html.encode()))
