"""Public pages: the home page and the guidance for readers without an account."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "guidance/index.html")
