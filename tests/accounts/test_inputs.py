"""NUL bytes, control characters and over-long values: refused with a message, never a 500.

PostgreSQL cannot store or even compare a NUL byte; these tests run on SQLite and, with
DATABASE_URL set, on PostgreSQL, where each of them was a 500 before.
"""

from __future__ import annotations

import importlib
import pkgutil

from django import forms
from django.test import SimpleTestCase
from django.urls import reverse

import accounts
import guidance
import metrics
from accounts.inputs import MAX_TEXT_LENGTH, TextInputsMixin, text_problem
from metrics.models.business import Business
from metrics.models.comments import Comment
from metrics.models.entries import Entry
from tests.base import PASSWORD, BaseTestCase
from tests.metrics.factories import make_business, track

NUL_MESSAGE = "contains a NUL character, which cannot be saved"


class TextProblemTests(SimpleTestCase):
    def test_a_nul_byte_is_named(self) -> None:
        self.assertEqual(
            text_problem("a\x00b", "The note"),
            "The note contains a NUL character, which cannot be saved. Remove it and try again.",
        )

    def test_other_control_characters_are_named_by_their_code(self) -> None:
        self.assertIn("(U+0007)", text_problem("bell\x07", "Name") or "")
        self.assertIn("(U+007F)", text_problem("del\x7f", "Name") or "")

    def test_tabs_and_new_lines_only_where_a_field_has_lines(self) -> None:
        self.assertIn("must be on one line", text_problem("a\tb", "Name") or "")
        self.assertIn("must be on one line", text_problem("a\r\nb", "Name") or "")
        self.assertIsNone(text_problem("a\tb\r\nc", "Note", multiline=True))
        self.assertIn("U+000B", text_problem("a\x0bb", "Note", multiline=True) or "")

    def test_the_limit_is_named(self) -> None:
        self.assertEqual(
            text_problem("x" * 101, "The search", max_length=100),
            "The search can be at most 100 characters long; it has 101.",
        )
        self.assertIsNone(text_problem("x" * MAX_TEXT_LENGTH, "Note"))
        self.assertIsNotNone(text_problem("x" * (MAX_TEXT_LENGTH + 1), "Note"))

    def test_ordinary_text_in_any_script_is_fine(self) -> None:
        for text in ("Amal's Kitchen", "مطبخ أمل", "Кухня Амал", "café — 12,5 %", "🙂", ""):
            self.assertIsNone(text_problem(text, "Name"), text)


def _project_forms() -> list[type[forms.BaseForm]]:
    for package in (accounts, metrics, guidance):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)
    found, queue = [], list(forms.BaseForm.__subclasses__())
    while queue:
        form = queue.pop()
        queue.extend(form.__subclasses__())
        if form.__module__.split(".")[0] in {"accounts", "metrics", "guidance"}:
            found.append(form)
    return found


class OneMechanismTests(SimpleTestCase):
    def test_every_form_of_the_project_checks_its_text(self) -> None:
        project_forms = _project_forms()
        self.assertGreater(len(project_forms), 15)
        for form in project_forms:
            with self.subTest(form.__qualname__):
                self.assertTrue(issubclass(form, TextInputsMixin))

    def test_the_check_replaces_the_fields_own_error_and_keeps_the_text(self) -> None:
        from metrics.comments.forms import CommentForm

        form = CommentForm({"body": "hello\x00"})
        self.assertFalse(form.is_valid())
        self.assertEqual(
            form.errors["body"],
            [f"Your comment {NUL_MESSAGE}. Remove it and try again."],
        )
        self.assertIn("hello", str(form["body"]))


class RefusedOnEveryPageTests(BaseTestCase):
    business: Business

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice)
        track(cls.business, "average_order_value")

    def setUp(self) -> None:
        self.client.force_login(self.alice)

    def test_a_nul_byte_in_the_guidance_search(self) -> None:
        response = self.client.get(reverse("guidance:index"), {"q": "tax\x00es"})
        self.assertContains(response, f"The search {NUL_MESSAGE}", status_code=400)
        self.assertContains(response, 'value="tax es"', status_code=400)

    def test_an_over_long_guidance_search(self) -> None:
        response = self.client.get(reverse("guidance:index"), {"q": "x" * 250})
        self.assertContains(
            response, "The search can be at most 100 characters long; it has 250.", status_code=400
        )

    def test_a_nul_byte_in_why_i_track_this(self) -> None:
        response = self.client.post(
            reverse("metrics:kpis", args=[self.business.pk]),
            {"kpi": ["average_order_value"], "why_average_order_value": "because\x00"},
        )
        self.assertContains(response, NUL_MESSAGE)
        self.assertContains(response, "because")
        self.assertEqual(self.business.tracked_kpis.get().why, "")

    def test_an_over_long_why_i_track_this(self) -> None:
        response = self.client.post(
            reverse("metrics:kpis", args=[self.business.pk]),
            {"kpi": ["average_order_value"], "why_average_order_value": "x" * 1001},
        )
        self.assertContains(response, "can be at most 1000 characters long; it has 1001.")

    def test_a_nul_byte_in_the_month_note(self) -> None:
        response = self.client.post(
            reverse("metrics:month", args=[self.business.pk, "2025-01"]),
            {"revenue": "120", "note-revenue": "cash\x00only"},
        )
        self.assertContains(response, f"Note on Revenue {NUL_MESSAGE}")
        self.assertContains(response, 'value="120"')
        self.assertFalse(Entry.objects.filter(business=self.business).exists())

    def test_a_nul_byte_in_a_comment(self) -> None:
        url = reverse("metrics:month_comments", args=[self.business.pk, "2025-01"])
        response = self.client.post(url, {"body": "well\x00done"})
        self.assertIn(response.status_code, {200, 400})
        self.assertContains(response, NUL_MESSAGE, status_code=response.status_code)
        self.assertFalse(Comment.objects.exists())

    def test_a_nul_byte_in_the_business_name(self) -> None:
        response = self.client.post(
            reverse("metrics:business_edit", args=[self.business.pk]),
            {"name": "Amal\x00", "country": "be", "currency": "EUR", "channel": "shop"},
        )
        self.assertContains(response, NUL_MESSAGE)


class LogInTests(BaseTestCase):
    def test_a_user_name_of_250_characters(self) -> None:
        for name in ("a" * 250, "a" * 240 + "@example.org", "x" * 1000 + "@example.org"):
            with self.subTest(len(name)):
                response = self.client.post(
                    reverse("accounts:login"), {"username": name, "password": PASSWORD}
                )
                self.assertContains(response, "There is a problem")
                self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_nul_byte_in_the_user_name(self) -> None:
        response = self.client.post(
            reverse("accounts:login"), {"username": "alice\x00@example.org", "password": PASSWORD}
        )
        self.assertContains(response, NUL_MESSAGE)
