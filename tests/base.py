"""A shared base with fixed people, used by the access tests of every app."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.test import TestCase
from django.urls import reverse

from accounts.models import User

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

PASSWORD = "correct horse battery staple"


def page_text(response: TestResponse) -> str:
    """A page without its CSRF tokens, which are masked afresh on every request."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


class BaseTestCase(TestCase):
    """Alice owns a business, Bob mentors her, Charlie is a stranger to both."""

    alice: User
    bob: User
    charlie: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.alice = User.objects.create_user(
            "alice@example.org", PASSWORD, name="Alice Haddad", country="be", region="flanders"
        )
        cls.bob = User.objects.create_user("bob@example.org", PASSWORD, name="Bob Janssens")
        cls.charlie = User.objects.create_user(
            "charlie@example.org", PASSWORD, name="Charlie Martin"
        )


def url_with(name: str, args: list, sample: str, text: str) -> str:
    """The URL of ``name`` with ``text`` where ``sample`` stands: for text ``reverse`` refuses."""
    return reverse(name, args=[*args, sample]).replace(f"/{sample}/", f"/{text}/")
