"""The client's address behind 0, 1 or 2 trusted proxies, for the lock-out and the rate limits."""

from __future__ import annotations

from django.test import RequestFactory, SimpleTestCase, override_settings
from django.urls import reverse

from accounts.addresses import client_ip
from tests.base import PASSWORD, BaseTestCase

PROXY = "10.0.0.9"


def request(forwarded: str | None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=PROXY, **extra)


class ClientIpTests(SimpleTestCase):
    @override_settings(TRUSTED_PROXY_COUNT=0)
    def test_without_a_trusted_proxy_the_header_is_ignored(self) -> None:
        self.assertEqual(client_ip(request("203.0.113.7")), PROXY)

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_one_proxy_gives_the_last_entry_and_ignores_forged_ones_before_it(self) -> None:
        self.assertEqual(client_ip(request("203.0.113.7")), "203.0.113.7")
        self.assertEqual(client_ip(request("1.2.3.4, 203.0.113.7")), "203.0.113.7")

    @override_settings(TRUSTED_PROXY_COUNT=2)
    def test_two_proxies_give_the_second_entry_from_the_end(self) -> None:
        self.assertEqual(client_ip(request("1.2.3.4, 203.0.113.7, 10.0.0.8")), "203.0.113.7")

    @override_settings(TRUSTED_PROXY_COUNT=2)
    def test_a_header_shorter_than_the_chain_falls_back_to_the_connection(self) -> None:
        self.assertEqual(client_ip(request("203.0.113.7")), PROXY)
        self.assertEqual(client_ip(request(None)), PROXY)

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_a_value_that_is_not_an_address_falls_back_to_the_connection(self) -> None:
        self.assertEqual(client_ip(request("not-an-ip")), PROXY)
        self.assertEqual(client_ip(request("2001:DB8::1")), "2001:db8::1")


class LockoutBehindAProxyTests(BaseTestCase):
    def fail(self, forwarded: str, password: str = "wrong password"):
        return self.client.post(
            reverse("accounts:login"),
            {"username": "alice@example.org", "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_the_proxy_an_attacker_does_not_lock_out_the_owner(self) -> None:
        for _ in range(5):
            last = self.fail("198.51.100.66")
        self.assertEqual(last.status_code, 429)
        # The owner, at another address behind the same proxy, still logs in.
        self.assertEqual(self.fail("203.0.113.7", PASSWORD).status_code, 302)

    @override_settings(TRUSTED_PROXY_COUNT=0)
    def test_with_no_trusted_proxy_a_forged_header_does_not_escape_the_lock(self) -> None:
        for number in range(5):
            last = self.fail(f"198.51.100.{number}")
        self.assertEqual(last.status_code, 429)
        self.assertEqual(self.fail("203.0.113.7", PASSWORD).status_code, 429)


@override_settings(RATE_LIMITS={"password_reset": {"ip": "2/h"}})
class RateLimitBehindAProxyTests(BaseTestCase):
    def reset(self, forwarded: str):
        return self.client.post(
            reverse("accounts:password_reset"),
            {"email": "nobody@example.org"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_the_proxy_each_client_has_its_own_count(self) -> None:
        self.assertEqual(self.reset("198.51.100.1").status_code, 302)
        self.assertEqual(self.reset("198.51.100.1").status_code, 302)
        self.assertEqual(self.reset("198.51.100.1").status_code, 429)
        self.assertEqual(self.reset("198.51.100.2").status_code, 302)

    @override_settings(TRUSTED_PROXY_COUNT=0)
    def test_with_no_trusted_proxy_the_connection_is_counted(self) -> None:
        self.assertEqual(self.reset("198.51.100.1").status_code, 302)
        self.assertEqual(self.reset("198.51.100.2").status_code, 302)
        self.assertEqual(self.reset("198.51.100.3").status_code, 429)
