"""Every language renders the shared pages with the right language and direction."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_has_lang_and_dir(client: Client, language: str) -> None:
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    direction = "rtl" if language == "ar" else "ltr"
    assert response.status_code == 200
    assert f'<html lang="{language}" dir="{direction}">' in html
    stylesheet = "bootstrap.rtl.min.css" if language == "ar" else "bootstrap.min.css"
    assert stylesheet in html


@pytest.mark.django_db
def test_home_page_is_translated(client: Client) -> None:
    english = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Know whether your business is working" in english
    assert "Know whether your business is working" not in french
    assert "Sachez si votre entreprise fonctionne" in french


@pytest.mark.django_db
def test_home_page_has_landmarks_and_links(client: Client) -> None:
    html = client.get(reverse("home")).content.decode()
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html
    assert reverse("accounts:signup") in html
    assert reverse("guidance:index") in html


@pytest.mark.django_db
def test_security_headers(client: Client) -> None:
    response = client.get(reverse("home"))
    policy = response.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_unknown_page_is_a_translated_404(client: Client) -> None:
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()
