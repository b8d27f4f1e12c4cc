"""The month list and the month page: access, the form's rules, history, and query counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from metrics.engine import FIGURES, add_months
from metrics.files.numbers import NumberError, format_for_input, parse_decimal, value_problem
from metrics.models.business import Business, TrackedKpi
from metrics.models.entries import Entry
from metrics.models.mentoring import Mentorship
from metrics.pages import current_month, last_complete_month
from tests.base import BaseTestCase

# A month well in the past, so the tests do not depend on today's date.
MARCH = date(2024, 3, 1)
FEBRUARY = date(2024, 2, 1)


def make_business(owner: User, name: str = "Amal's Kitchen") -> Business:
    return Business.objects.create(
        owner=owner, name=name, country="be", region="flanders", sells="Food", currency="EUR"
    )


def track(business: Business, *codes: str) -> None:
    TrackedKpi.objects.bulk_create(
        TrackedKpi(business=business, kpi=code, position=index) for index, code in enumerate(codes)
    )


def add_entries(business: Business, month: date, **values: str) -> None:
    Entry.objects.bulk_create(
        Entry(business=business, month=month, figure=code, value=Decimal(value))
        for code, value in values.items()
    )


def stored(business: Business, month: date) -> dict[str, Decimal]:
    return dict(Entry.objects.filter(business=business, month=month).values_list("figure", "value"))


class MonthsTestCase(BaseTestCase):
    business: Business

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice)
        # conversion_rate needs visitors and orders; runway_months needs the cash figures.
        track(cls.business, "conversion_rate", "runway_months")
        Mentorship.objects.create(business=cls.business, mentor=cls.bob)

    def month_url(self, month: date | str = MARCH) -> str:
        if isinstance(month, str):  # any text, even one that reverse() would refuse
            return f"{reverse('metrics:months', args=[self.business.pk])}{month}/"
        return reverse("metrics:month", args=[self.business.pk, f"{month:%Y-%m}"])

    def list_url(self) -> str:
        return reverse("metrics:months", args=[self.business.pk])

    def use_language(self, user: User, language: str) -> None:
        user.language = language
        user.save(update_fields=["language"])


class MonthAccessTests(MonthsTestCase):
    def test_it_shows_the_month_list_to_the_owner(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.list_url())
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "metrics/months/month_list.html")

    def test_it_shows_the_month_form_to_the_owner(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.month_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'name="visitors"')
        self.assertContains(response, 'name="then" value="months"')

    def test_it_shows_the_month_read_only_to_the_mentor(self) -> None:
        add_entries(self.business, MARCH, visitors="950", cash_end="-120.5")
        self.client.force_login(self.bob)
        response = self.client.get(self.month_url())
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        main = content[content.index('<main id="main"') : content.index("</main>")]
        # Commenting is the one thing a mentor may write: its box is the only form.
        figures, _, comments = main.partition('<section class="comments')
        self.assertNotIn("<input", figures)
        self.assertNotIn("<form", figures)
        self.assertNotIn("<button", figures)
        self.assertIn(
            reverse("metrics:month_comments", args=[self.business.pk, "2024-03"]), comments
        )
        self.assertIn("950", main)
        self.assertIn("−€120.50", main)

    def test_it_refuses_the_mentors_post(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(self.month_url(), {"visitors": "10"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Entry.objects.exists())

    def test_it_shows_the_month_list_to_the_mentor_without_any_input(self) -> None:
        add_entries(self.business, MARCH, visitors="950")
        self.client.force_login(self.bob)
        response = self.client.get(self.list_url())
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        main = content[content.index('<main id="main"') : content.index("</main>")]
        self.assertNotIn("<input", main)
        self.assertNotIn("<form", main)
        self.assertIn(self.month_url(MARCH), main)

    def test_it_hides_every_page_from_a_stranger(self) -> None:
        self.client.force_login(self.charlie)
        for url in (self.list_url(), self.month_url()):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(self.month_url(), {"visitors": "1"}).status_code, 404)

    def test_it_hides_every_page_from_a_revoked_mentor(self) -> None:
        Mentorship.objects.filter(mentor=self.bob).update(revoked_at=timezone.now())
        self.client.force_login(self.bob)
        for url in (self.list_url(), self.month_url()):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_sends_an_anonymous_visitor_to_log_in(self) -> None:
        for url in (self.list_url(), self.month_url()):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertRedirects(
                    response,
                    f"{reverse('accounts:login')}?next={url}",
                    fetch_redirect_response=False,
                )

    def test_a_malformed_or_impossible_month_is_not_found(self) -> None:
        self.client.force_login(self.alice)
        for text in ("2024-13", "2024-00", "2024-3", "march", "1800-01", "99999-01", "2024-03-01"):
            with self.subTest(month=text):
                self.assertEqual(self.client.get(self.month_url(text)).status_code, 404)
                self.assertEqual(
                    self.client.post(self.month_url(text), {"visitors": "1"}).status_code, 404
                )

    def test_a_future_month_is_refused_with_a_message(self) -> None:
        self.client.force_login(self.alice)
        future = add_months(current_month(), 1)
        response = self.client.post(self.month_url(future), {"visitors": "5"})
        self.assertRedirects(response, self.list_url())
        self.assertFalse(Entry.objects.exists())
        response = self.client.get(self.month_url(future), follow=True)
        self.assertContains(response, "has not started yet")

    def test_the_current_month_can_be_logged(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(self.month_url(current_month()), {"visitors": "5"})
        self.assertRedirects(response, self.list_url(), fetch_redirect_response=False)
        self.assertEqual(stored(self.business, current_month()), {"visitors": Decimal(5)})


class MonthFormTests(MonthsTestCase):
    def test_it_asks_only_for_the_figures_the_tracked_kpis_need(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.month_url())
        names = [field for field in response.context["form"].fields if "-" not in field]
        # Catalogue order: visitors, orders (conversion), then cash_in, cash_out, cash_end.
        self.assertEqual(names, ["visitors", "orders", "cash_in", "cash_out", "cash_end"])
        self.assertNotContains(response, 'name="revenue"')
        self.assertContains(response, FIGURES["visitors"].description)

    def test_inputs_are_text_with_a_decimal_keypad_except_where_minus_is_allowed(self) -> None:
        self.client.force_login(self.alice)
        content = self.client.get(self.month_url()).content.decode()
        self.assertNotIn('type="number"', content)
        self.assertInHTML(
            '<input type="text" name="visitors" inputmode="decimal" autocomplete="off" '
            'spellcheck="false" class="form-control figure-input" '
            'aria-describedby="hint-visitors" id="id_visitors">',
            content,
        )
        self.assertInHTML(
            '<input type="text" name="cash_end" inputmode="text" autocomplete="off" '
            'spellcheck="false" class="form-control figure-input" '
            'aria-describedby="hint-cash_end" id="id_cash_end">',
            content,
        )

    def test_it_groups_figures_by_unit_with_the_currency_symbol(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.month_url())
        groups = response.context["groups"]
        self.assertEqual(
            [(group.key, [row.figure.code for row in group.rows]) for group in groups],
            [("counts", ["visitors", "orders"]), ("money", ["cash_in", "cash_out", "cash_end"])],
        )
        self.assertContains(response, "Money (€)")
        self.assertContains(response, '<span class="input-group-text" aria-hidden="true">€</span>')

    def test_it_shows_last_months_value_beside_each_figure(self) -> None:
        add_entries(self.business, FEBRUARY, visitors="1234", cash_end="1234.5")
        self.client.force_login(self.alice)
        response = self.client.get(self.month_url())
        self.assertContains(response, "Last month: 1,234<")
        self.assertContains(response, "Last month: €1,234.50")
        self.use_language(self.alice, "fr")
        response = self.client.get(self.month_url())
        self.assertContains(response, "1\u00a0234,50\u00a0€")

    def test_it_fills_the_form_with_stored_values_in_the_users_language(self) -> None:
        add_entries(self.business, MARCH, cash_end="1234.5000", visitors="950")
        self.use_language(self.alice, "nl")
        self.client.force_login(self.alice)
        response = self.client.get(self.month_url())
        self.assertContains(response, 'value="1.234,50"')
        self.assertContains(response, 'value="950"')

    def test_a_value_typed_with_grouping_comes_back_as_typed(self) -> None:
        for language, typed in (("fr", "1 234,50"), ("nl", "1.234,50"), ("en", "1,234.50"),
                                ("ar", "1.234,50")):  # fmt: skip
            with self.subTest(language=language):
                self.use_language(self.alice, language)
                self.client.force_login(self.alice)
                self.client.post(self.month_url(MARCH), {"cash_in": typed, "visitors": "1200"})
                self.assertEqual(stored(self.business, MARCH)["cash_in"], Decimal("1234.5"))
                page = self.client.get(self.month_url(MARCH))
                self.assertContains(page, f'value="{typed}"')
                visitors = "1,200" if language == "en" else "1 200" if language == "fr" else "1.200"
                self.assertContains(page, f'value="{visitors}"')

    def test_a_decimal_comma_and_a_decimal_point_store_the_same_number(self) -> None:
        self.use_language(self.alice, "fr")
        self.client.force_login(self.alice)
        response = self.client.post(self.month_url(MARCH), {"cash_end": "1 234,50"})
        self.assertRedirects(response, self.list_url(), fetch_redirect_response=False)
        self.use_language(self.alice, "en")
        response = self.client.post(self.month_url(FEBRUARY), {"cash_end": "1234.5"})
        self.assertRedirects(response, self.list_url(), fetch_redirect_response=False)
        self.assertEqual(stored(self.business, MARCH), {"cash_end": Decimal("1234.5")})
        self.assertEqual(stored(self.business, FEBRUARY), {"cash_end": Decimal("1234.5")})

    def test_saving_shows_a_message_and_can_go_on_to_the_dashboard(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(self.month_url(), {"visitors": "950"}, follow=True)
        self.assertContains(response, "The figures for March 2024 are saved.")
        response = self.client.post(self.month_url(), {"visitors": "950", "then": "dashboard"})
        self.assertRedirects(
            response,
            reverse("metrics:dashboard", args=[self.business.pk]),
            fetch_redirect_response=False,
        )

    def test_a_blank_deletes_the_stored_value_and_never_stores_zero(self) -> None:
        add_entries(self.business, MARCH, visitors="950", orders="120")
        self.client.force_login(self.alice)
        response = self.client.post(self.month_url(), {"visitors": "  ", "orders": "121"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(stored(self.business, MARCH), {"orders": Decimal(121)})

    def test_figures_the_form_does_not_ask_for_are_kept(self) -> None:
        add_entries(self.business, MARCH, revenue="500")
        self.client.force_login(self.alice)
        response = self.client.get(self.month_url())
        self.assertContains(response, "Also stored for this month")
        self.assertContains(response, "€500.00")
        self.client.post(self.month_url(), {"visitors": "10"})
        self.assertEqual(
            stored(self.business, MARCH), {"revenue": Decimal(500), "visitors": Decimal(10)}
        )

    def test_one_bad_value_saves_nothing_and_keeps_every_typed_value(self) -> None:
        add_entries(self.business, MARCH, visitors="950")
        self.client.force_login(self.alice)
        typed = {
            "visitors": "1000",
            "orders": "12x",
            "cash_in": "2 500,75",
            "cash_out": "",
            "cash_end": "-300",
            "note-cash_in": "market in the park",
        }
        response = self.client.post(self.month_url(), typed)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(stored(self.business, MARCH), {"visitors": Decimal(950)})
        content = response.content.decode()
        for value in ("1000", "12x", "2 500,75", "-300", "market in the park"):
            self.assertIn(f'value="{value}"', content)
        self.assertIn("<title>Error: ", content)
        self.assertInHTML(
            '<li><a href="#id_orders">Orders must be a number, for example 1,234.50.</a></li>',
            content,
        )
        self.assertIn('aria-describedby="error-orders hint-orders"', content)
        self.assertIn('aria-invalid="true"', content)

    def test_a_negative_count_is_refused_and_negative_cash_is_allowed(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(self.month_url(), {"visitors": "-5", "cash_end": "-250,5"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["form"].errors, {"visitors": ["Visitors cannot be negative."]}
        )
        self.assertFalse(Entry.objects.exists())
        response = self.client.post(self.month_url(), {"visitors": "5", "cash_end": "−250,5"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            stored(self.business, MARCH),
            {"visitors": Decimal(5), "cash_end": Decimal("-250.5")},
        )

    def test_a_count_must_be_a_whole_number(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(self.month_url(), {"orders": "2.5"})
        self.assertEqual(
            response.context["form"].errors,
            {"orders": ["Orders is a count: enter a whole number."]},
        )

    def test_a_note_is_stored_with_its_value_and_needs_one(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(self.month_url(), {"note-visitors": "Rainy month"})
        self.assertEqual(
            response.context["form"].errors,
            {"note-visitors": ["A note needs a value: enter Visitors, or clear the note."]},
        )
        self.client.post(self.month_url(), {"visitors": "40", "note-visitors": "Rainy month"})
        entry = Entry.objects.get()
        self.assertEqual((entry.value, entry.note), (Decimal(40), "Rainy month"))

    def test_every_change_leaves_a_history_row_with_the_user(self) -> None:
        self.client.force_login(self.alice)
        self.client.post(self.month_url(), {"visitors": "10", "orders": "2"})
        self.client.post(self.month_url(), {"visitors": "11", "orders": "2"})
        self.client.post(self.month_url(), {"visitors": "", "orders": "2"})
        rows = list(
            Entry.history.filter(figure="visitors")
            .order_by("history_id")
            .values_list("history_type", "value", "history_user")
        )
        self.assertEqual(
            rows,
            [
                ("+", Decimal(10), self.alice.pk),
                ("~", Decimal(11), self.alice.pk),
                ("-", Decimal(11), self.alice.pk),
            ],
        )
        # Orders did not change after the first save: one history row only.
        self.assertEqual(Entry.history.filter(figure="orders").count(), 1)

    def test_without_tracked_kpis_it_says_so_and_links_to_the_kpis(self) -> None:
        TrackedKpi.objects.all().delete()
        self.client.force_login(self.alice)
        response = self.client.get(self.month_url())
        self.assertContains(response, "You do not follow any KPIs yet")
        self.assertContains(response, reverse("metrics:kpis", args=[self.business.pk]))
        self.assertNotContains(response, 'name="then"')


class MonthListTests(MonthsTestCase):
    def test_it_lists_every_month_from_the_first_entry_newest_first(self) -> None:
        last = last_complete_month()
        first = add_months(last, -3)
        add_entries(self.business, first, visitors="1", orders="1", cash_in="1")
        add_entries(self.business, add_months(last, -1), visitors="1", orders="1", cash_in="1")
        add_entries(self.business, add_months(last, -1), cash_out="1", cash_end="1")
        add_entries(self.business, add_months(last, -2), revenue="10")
        self.client.force_login(self.alice)
        response = self.client.get(self.list_url())
        statuses = response.context["statuses"]
        self.assertEqual(
            [(status.month, status.state, status.entered, status.needed) for status in statuses],
            [
                (last, "empty", 0, 5),
                (add_months(last, -1), "complete", 5, 5),
                (add_months(last, -2), "empty", 0, 5),
                (first, "partial", 3, 5),
            ],
        )
        self.assertContains(response, "Partly logged: 3 of 5 figures")
        self.assertContains(response, "Complete")
        self.assertContains(response, self.month_url(first))

    def test_without_entries_it_lists_last_month(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.list_url())
        self.assertEqual(
            [status.month for status in response.context["statuses"]], [last_complete_month()]
        )
        self.assertContains(response, "Not logged")

    def test_it_names_the_figures_the_kpis_need(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.list_url())
        self.assertEqual(
            [figure.code for figure in response.context["needed_figures"]],
            ["visitors", "orders", "cash_in", "cash_out", "cash_end"],
        )
        self.assertContains(response, "Your KPIs need 5 figures each month:")

    def test_the_month_chooser_opens_any_month(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.list_url(), {"month": "2023-11"})
        self.assertRedirects(response, self.month_url("2023-11"), fetch_redirect_response=False)
        response = self.client.get(self.list_url(), {"month": "11/2023"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "is not a month")


class QueryCountTests(BaseTestCase):
    """The month page and the month list cost the same whatever the months and KPIs."""

    FEW = ["conversion_rate", "revenue", "churn_rate"]
    MANY = [
        *FEW,
        "cac",
        "gross_margin",
        "net_income",
        "average_order_value",
        "csat",
        "ad_ctr",
        "email_open_rate",
        "nps",
        "runway_months",
        "return_rate",
        "retention_rate",
        "ltv_to_cac",
    ]
    PAGE_QUERIES = 9  # 8, and the month's comments
    LIST_QUERIES = 8

    def setUp(self) -> None:
        self.client.force_login(self.alice)

    def business_with(self, months: int, kpis: list[str]) -> Business:
        business = make_business(self.alice, name=f"{months} months, {len(kpis)} KPIs")
        track(business, *kpis)
        last = last_complete_month()
        values = {code: Decimal(index + 1) for index, code in enumerate(FIGURES)}
        Entry.objects.bulk_create(
            Entry(business=business, month=add_months(last, -offset), figure=code, value=value)
            for offset in range(months)
            for code, value in values.items()
        )
        return business

    def test_the_month_page_costs_the_same(self) -> None:
        self.assertEqual(len(self.MANY), 15)
        for months, kpis in ((1, self.FEW), (36, self.FEW), (1, self.MANY), (36, self.MANY)):
            business = self.business_with(months, kpis)
            url = reverse("metrics:month", args=[business.pk, f"{last_complete_month():%Y-%m}"])
            with self.subTest(months=months, kpis=len(kpis)):
                with self.assertNumQueries(self.PAGE_QUERIES):
                    response = self.client.get(url)
                self.assertEqual(response.status_code, 200)

    def test_the_month_list_costs_the_same(self) -> None:
        for months, kpis in ((1, self.FEW), (36, self.FEW), (1, self.MANY), (36, self.MANY)):
            business = self.business_with(months, kpis)
            url = reverse("metrics:months", args=[business.pk])
            with self.subTest(months=months, kpis=len(kpis)):
                with self.assertNumQueries(self.LIST_QUERIES):
                    response = self.client.get(url)
                self.assertEqual(len(response.context["statuses"]), months)


class ParseDecimalTests(SimpleTestCase):
    def test_it_reads_a_decimal_comma_or_point_in_every_language(self) -> None:
        for language in ("en", "fr", "nl"):
            for text, expected in (
                ("1234,5", "1234.5"),
                ("1.234,5", "1234.5"),
                ("1 234,50", "1234.50"),
                ("1\u202f234,50", "1234.50"),
                ("-12.5", "-12.5"),
                ("\u221212,5", "-12.5"),
                ("1,234.50", "1234.50"),
                ("1.234.567", "1234567"),
                ("0,125", "0.125"),
                ("€ 1 234,50", "1234.50"),
                ("42", "42"),
                ("-0", "0"),
            ):
                with self.subTest(language=language, text=text):
                    self.assertEqual(parse_decimal(text, language), Decimal(expected))

    def test_one_separator_before_three_digits_follows_the_language(self) -> None:
        self.assertEqual(parse_decimal("1,234", "en"), Decimal(1234))
        self.assertEqual(parse_decimal("1.234", "en"), Decimal("1.234"))
        self.assertEqual(parse_decimal("1,234", "fr"), Decimal("1.234"))
        self.assertEqual(parse_decimal("1.234", "nl"), Decimal(1234))

    def test_it_reads_arabic_and_persian_digits(self) -> None:
        self.assertEqual(parse_decimal("١٢٣٫٥", "ar"), Decimal("123.5"))
        self.assertEqual(parse_decimal("۱۲۳", "ar"), Decimal(123))

    def test_it_explains_what_is_wrong_in_the_users_language_style(self) -> None:
        cases = {
            "12x": "Revenue must be a number, for example 1,234.50.",
            "1.2.3": "Revenue: check the thousands separators in “1.2.3”. Write the number "
            "without them, or like 1,234.50.",
            "1,23456": "Revenue can have at most 4 digits after the decimal separator.",
            "123456789012345": (
                "Revenue is too large: use at most 14 digits before the decimal separator."
            ),
            "1e5": "Revenue must be a number, for example 1,234.50.",
            "5,": "Revenue must be a number, for example 1,234.50.",
        }
        for text, message in cases.items():
            with self.subTest(text=text), self.assertRaises(NumberError) as raised:
                parse_decimal(text, "en", "Revenue")
            self.assertEqual(raised.exception.message, message)
        with self.assertRaises(NumberError) as raised:
            parse_decimal("abc", "fr", "Revenue")
        self.assertEqual(
            raised.exception.message, "Revenue must be a number, for example 1\u00a0234,50."
        )

    def test_it_formats_a_stored_value_for_typing_again(self) -> None:
        cases = [
            # value, language, places for money or none, shown, read back
            ("1234.5000", "fr", 2, "1 234,50"),
            ("1234.5000", "nl", 2, "1.234,50"),
            ("1234.5000", "en", 2, "1,234.50"),
            ("1234.5000", "ar", 2, "1.234,50"),
            ("1234.5000", "uk", 2, "1 234,50"),
            ("1000.0000", "nl", 0, "1.000"),
            ("950.0000", "fr", 0, "950"),
            ("1234567.1250", "fr", 2, "1 234 567,125"),
            ("-0.2500", "en", 0, "-0.25"),
            ("-1500.0000", "fr", 2, "-1 500,00"),
            ("3.5000", "en", 0, "3.5"),
        ]
        for value, language, places, shown in cases:
            with self.subTest(value=value, language=language):
                text = format_for_input(Decimal(value), language, places=places)
                self.assertEqual(text, shown)
                self.assertEqual(parse_decimal(text, language), Decimal(value))

    def test_only_some_figures_may_be_negative(self) -> None:
        with translation.override("en"):
            self.assertEqual(
                value_problem(FIGURES["revenue"], Decimal(-1)), "Revenue cannot be negative."
            )
            self.assertIsNone(value_problem(FIGURES["cash_end"], Decimal(-1)))
            self.assertIsNone(value_problem(FIGURES["search_position"], Decimal("3.5")))
