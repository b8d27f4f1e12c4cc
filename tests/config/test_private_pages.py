"""Every page of a business, and the mentor and programme pages, are private and not stored."""

from __future__ import annotations

from django.test import Client
from django.urls import get_resolver, reverse

# The module, not its class: a class imported by name would be collected and run here again.
from tests.metrics import test_access_matrix as matrix


def _no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


class PrivatePagesTests(matrix.AccessMatrixTests):
    """The fixture of the access matrix, walked over the same URL list."""

    def business_urls(self) -> list[str]:
        urls = [reverse("metrics:business_list"), reverse("metrics:mentor_home")]
        for page in matrix._pages(get_resolver()):
            if page.name.startswith("metrics:") and page.name not in matrix.OUTSIDE_A_BUSINESS:
                kwargs = {name: matrix.PARAMETERS[name](self) for name in page.parameters}
                urls.append(reverse(page.name, kwargs=kwargs))
        return urls

    def test_every_business_url_sends_private_no_store_to_every_role(self) -> None:
        urls = self.business_urls()
        self.assertGreater(len(urls), 30)
        problems = []
        for user in (self.alice, self.bob, self.charlie, None):
            client = Client()
            if user is not None:
                client.force_login(user)
            for url in urls:
                response = self.request(client, "GET", url, None)
                if not _no_store(response):
                    problems.append(f"{url} as {user}: {response.get('Cache-Control')!r}")
        self.assertEqual(problems, [])

    def test_public_pages_are_left_alone(self) -> None:
        response = Client().get(reverse("guidance:index"))
        self.assertFalse(_no_store(response))

    # The inherited matrix test runs in its own module; not twice.
    test_every_business_url_allows_the_owner_and_the_mentor_to_read_and_no_one_else = None
    test_a_post_without_the_csrf_token_is_refused = None
