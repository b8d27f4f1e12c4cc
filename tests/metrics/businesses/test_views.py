"""Setting up a business: profile, KPI choice, own figures and KPIs, goals and targets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from metrics.models.business import Business, CustomFigure, CustomKpi, TrackedKpi
from metrics.models.entries import Entry
from metrics.models.goals import Goal, Target
from tests.base import BaseTestCase
from tests.metrics.factories import add_entries, make_business, make_mentor, track


class BusinessTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice)
        make_mentor(cls.business, cls.bob)
        cls.former = User.objects.create_user("former@example.org", "x" * 12)
        make_mentor(cls.business, cls.former, revoked=True)


class AccessTests(BusinessTestCase):
    """Owner full access, active mentor read-only, everyone else 404, anonymous to log-in."""

    def pages(self) -> list[str]:
        return [*self.read_pages(), *self.owner_only_pages()]

    def read_pages(self) -> list[str]:
        pk = self.business.pk
        return [reverse("metrics:kpis", args=[pk]), reverse("metrics:goals", args=[pk])]

    def owner_only_pages(self) -> list[str]:
        """Forms a mentor could not send: their page is refused too (issue 13)."""
        goal = Goal.objects.create(business=self.business, title="G", deadline=date(2026, 12, 1))
        target = Target.objects.create(
            business=self.business,
            kpi="revenue",
            value=Decimal(1000),
            first_month=date(2026, 1, 1),
            deadline=date(2026, 12, 1),
        )
        pk = self.business.pk
        return [
            reverse("metrics:goal_edit", args=[pk, goal.pk]),
            reverse("metrics:target_edit", args=[pk, target.pk]),
            reverse("metrics:custom_kpi_create", args=[pk]),
            reverse("metrics:custom_figure_create", args=[pk]),
            reverse("metrics:goal_create", args=[pk]),
            reverse("metrics:target_create", args=[pk]),
            reverse("metrics:business_edit", args=[pk]),
        ]

    def test_the_owner_can_open_every_page(self) -> None:
        self.client.force_login(self.alice)
        for url in self.pages():
            self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_an_active_mentor_reads_but_cannot_write(self) -> None:
        self.client.force_login(self.bob)
        owner_only = self.owner_only_pages()
        for url in owner_only:
            self.assertEqual(self.client.get(url).status_code, 403, url)
            self.assertEqual(self.client.post(url, {}).status_code, 403, url)
        for url in self.read_pages():
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            main = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
            self.assertNotIn('type="submit"', main, url)
            self.assertEqual(self.client.post(url, {}).status_code, 403, url)

    def test_strangers_and_former_mentors_get_404(self) -> None:
        for user in (self.charlie, self.former):
            self.client.force_login(user)
            for url in self.pages():
                self.assertEqual(self.client.get(url).status_code, 404, url)
                self.assertEqual(self.client.post(url, {}).status_code, 404, url)

    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        for url in self.pages():
            response = self.client.get(url)
            self.assertRedirects(response, f"{reverse('accounts:login')}?next={url}")

    def test_deleting_needs_the_owner(self) -> None:
        target = Target.objects.create(
            business=self.business,
            kpi="revenue",
            value=Decimal(1),
            first_month=date(2026, 1, 1),
            deadline=date(2026, 2, 1),
        )
        url = reverse("metrics:target_delete", args=[self.business.pk, target.pk])
        self.client.force_login(self.bob)
        self.assertEqual(self.client.post(url).status_code, 403)
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.post(url).status_code, 404)
        self.client.force_login(self.alice)
        self.assertRedirects(
            self.client.post(url), reverse("metrics:goals", args=[self.business.pk])
        )
        self.assertFalse(Target.objects.filter(pk=target.pk).exists())


class BusinessCreateTests(BaseTestCase):
    def test_the_flag_prefills_country_region_and_currency(self) -> None:
        self.client.force_login(self.charlie)
        self.client.post(reverse("accounts:set_country"), {"country": "gb", "next": "/"})
        page = self.client.get(reverse("metrics:business_create"))
        self.assertContains(page, '<option value="gb" selected>')
        self.assertContains(page, '<option value="GBP" selected>')

    def test_it_creates_the_business_and_goes_on_to_the_kpis(self) -> None:
        self.client.force_login(self.charlie)
        response = self.client.post(
            reverse("metrics:business_create"),
            {
                "name": "Bike Fix Lyon",
                "sells": "Bike repairs",
                "channel": "services",
                "country": "fr",
                "region": "",
                "currency": "EUR",
                "fy_start": "4",
            },
        )
        business = Business.objects.get(owner=self.charlie)
        self.assertRedirects(response, reverse("metrics:kpis", args=[business.pk]))
        self.assertEqual((business.fy_start, business.channel), (4, "services"))

    def test_a_wrong_region_keeps_the_values_and_explains(self) -> None:
        self.client.force_login(self.charlie)
        response = self.client.post(
            reverse("metrics:business_create"),
            {
                "name": "Bike Fix",
                "sells": "Repairs",
                "channel": "services",
                "country": "fr",
                "region": "wallonia",
                "currency": "EUR",
                "fy_start": "1",
            },
        )
        self.assertContains(response, "This region is not in the country you chose.")
        self.assertContains(response, 'value="Bike Fix"')
        self.assertFalse(Business.objects.filter(owner=self.charlie).exists())

    def test_the_list_sends_a_new_user_to_the_guided_start_and_one_business_to_its_dashboard(
        self,
    ) -> None:
        self.client.force_login(self.charlie)
        self.assertRedirects(
            self.client.get(reverse("metrics:business_list")),
            reverse("metrics:start"),
            fetch_redirect_response=False,
        )
        business = make_business(self.charlie)
        response = self.client.get(reverse("metrics:business_list"))
        self.assertRedirects(
            response,
            reverse("metrics:dashboard", args=[business.pk]),
            fetch_redirect_response=False,
        )
        make_business(self.charlie, name="Second")
        self.assertContains(self.client.get(reverse("metrics:business_list")), "Second")

    def test_a_mentor_without_a_business_goes_to_the_mentees(self) -> None:
        make_mentor(make_business(self.alice), self.bob)
        self.client.force_login(self.bob)
        self.assertRedirects(
            self.client.get(reverse("metrics:business_list")), reverse("metrics:mentor_home")
        )


class KpiChooserTests(BusinessTestCase):
    def url(self) -> str:
        return reverse("metrics:kpis", args=[self.business.pk])

    def test_it_suggests_kpis_for_how_the_business_sells(self) -> None:
        self.client.force_login(self.alice)
        html = self.client.get(self.url()).content.decode()
        self.assertIn("Suggested for how you sell", html)
        # A shop is nudged towards conversion, not towards monthly recurring revenue.
        conversion = html.index('id="kpi-conversion_rate"')
        mrr = html.index('id="kpi-mrr"')
        option = '<div class="kpi-option'
        self.assertIn("kpi-suggested", html[html.rfind(option, 0, conversion) : conversion])
        self.assertNotIn("kpi-suggested", html[html.rfind(option, 0, mrr) : mrr])
        self.assertIn(reverse("guidance:kpi", args=["conversion_rate"]), html)

    def test_it_saves_the_choice_and_the_reasons(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            self.url(),
            {
                "kpi": ["revenue", "conversion_rate", "not_a_kpi"],
                "why_revenue": "To pay myself a salary.",
            },
        )
        self.assertRedirects(
            response,
            reverse("metrics:dashboard", args=[self.business.pk]),
            fetch_redirect_response=False,
        )
        tracked = list(TrackedKpi.objects.filter(business=self.business).values_list("kpi", "why"))
        self.assertEqual(tracked, [("revenue", "To pay myself a salary."), ("conversion_rate", "")])

    def test_unticking_drops_a_kpi(self) -> None:
        track(self.business, "revenue", "csat")
        self.client.force_login(self.alice)
        self.client.post(self.url(), {"kpi": ["csat"]})
        self.assertEqual(
            list(TrackedKpi.objects.filter(business=self.business).values_list("kpi", flat=True)),
            ["csat"],
        )

    def test_choosing_nothing_is_an_error_that_keeps_what_was_typed(self) -> None:
        track(self.business, "revenue")
        self.client.force_login(self.alice)
        response = self.client.post(self.url(), {"why_revenue": "kept"})
        self.assertContains(response, "Choose at least one KPI to follow.")
        self.assertContains(response, "<title>Error: ")
        self.assertTrue(TrackedKpi.objects.filter(business=self.business, kpi="revenue").exists())

    def test_it_explains_how_many_kpis_to_follow(self) -> None:
        track(self.business, "revenue", "csat", "cac")
        self.client.force_login(self.alice)
        page = self.client.get(self.url())
        self.assertContains(page, "You follow 3 KPIs.")
        self.assertContains(page, "A good number is 5 to 10 in all")

    def test_its_query_count_does_not_grow_with_kpis_or_months(self) -> None:
        self.client.force_login(self.alice)
        counts = []
        for codes, months in ((["revenue", "csat", "cac"], 1), (list(_FIFTEEN), 36)):
            TrackedKpi.objects.filter(business=self.business).delete()
            Entry.objects.filter(business=self.business).delete()
            track(self.business, *codes)
            add_entries(self.business, date(2023, 1, 1), months, {"revenue": 100, "orders": 5})
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(self.url()).status_code, 200)
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])
        with self.assertNumQueries(counts[0]):
            self.client.get(self.url())


_FIFTEEN = [
    "visitors",
    "leads",
    "ad_ctr",
    "cpa",
    "cac",
    "conversion_rate",
    "new_customers",
    "churn_rate",
    "csat",
    "nps",
    "revenue",
    "gross_margin",
    "net_income",
    "mrr",
    "net_burn",
]


class CustomFormulaTests(BusinessTestCase):
    def test_a_custom_figure_cannot_take_a_built_in_code(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("metrics:custom_figure_create", args=[self.business.pk]),
            {"code": "revenue", "name": "Mine", "unit": "money", "aggregation": "sum"},
        )
        self.assertContains(response, "is already a built-in figure or KPI")
        self.assertFalse(CustomFigure.objects.exists())

    def test_a_bad_formula_gets_one_clear_message(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("metrics:custom_kpi_create", args=[self.business.pk]),
            {
                "code": "catering_share",
                "name": "Catering share",
                "formula": "revnue / orders",
                "unit": "ratio",
                "direction": "up",
                "domain": "sales",
                "save": "1",
            },
        )
        self.assertContains(response, "did you mean")
        self.assertContains(response, "revenue")
        self.assertContains(response, 'value="revnue / orders"')
        self.assertFalse(CustomKpi.objects.exists())

    def test_checking_previews_the_value_on_entered_data(self) -> None:
        CustomFigure.objects.create(
            business=self.business, code="revenue_catering", name="Catering", unit="money"
        )
        add_entries(self.business, date(2026, 3, 1), 1, {"revenue": 4000, "revenue_catering": 1000})
        self.client.force_login(self.alice)
        data = {
            "code": "catering_share",
            "name": "Catering share",
            "formula": "revenue_catering / revenue * 100",
            "unit": "percent",
            "direction": "up",
            "domain": "sales",
        }
        url = reverse("metrics:custom_kpi_create", args=[self.business.pk])
        preview = self.client.post(url, {**data, "check": "1"})
        # 1,000 ÷ 4,000 × 100 = 25.
        self.assertContains(preview, "The formula works. Its value for 2026-03:")
        self.assertContains(preview, "<strong>25.00</strong>")
        self.assertFalse(CustomKpi.objects.exists())
        saved = self.client.post(url, {**data, "save": "1"})
        self.assertRedirects(saved, reverse("metrics:kpis", args=[self.business.pk]))
        self.assertEqual(CustomKpi.objects.get().formula, "revenue_catering / revenue * 100")
        self.assertContains(
            self.client.get(reverse("metrics:kpis", args=[self.business.pk])), "Catering share"
        )

    def test_a_cycle_between_custom_kpis_is_refused(self) -> None:
        # Stored directly, as an older formula could be: it waits for second_kpi to exist.
        CustomKpi.objects.create(
            business=self.business, code="first_kpi", name="A", formula="second_kpi + 1"
        )
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("metrics:custom_kpi_create", args=[self.business.pk]),
            {
                "code": "second_kpi",
                "name": "B",
                "formula": "first_kpi * 2",
                "unit": "count",
                "direction": "up",
                "domain": "sales",
                "save": "1",
            },
        )
        self.assertContains(response, "first_kpi")
        self.assertContains(response, "second_kpi")
        self.assertContains(response, "<title>Error: ")
        self.assertEqual(CustomKpi.objects.count(), 1)


class GoalAndTargetTests(BusinessTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        track(cls.business, "revenue", "csat")

    def test_a_goal_then_a_target_with_a_decimal_comma(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("metrics:goal_create", args=[self.business.pk]),
            {"title": "€3,000 a month", "deadline": "2026-12", "description": ""},
        )
        self.assertRedirects(response, reverse("metrics:goals", args=[self.business.pk]))
        goal = Goal.objects.get()
        self.assertEqual(goal.deadline, date(2026, 12, 1))
        response = self.client.post(
            reverse("metrics:target_create", args=[self.business.pk]),
            {
                "kpi": "revenue",
                "goal": goal.pk,
                "comparison": "at_least",
                "value": "3.000,50",
                "baseline": "2000",
                "tolerance": "7,5",
                "first_month": "2026-01",
                "deadline": "2026-12",
            },
        )
        self.assertRedirects(response, reverse("metrics:goals", args=[self.business.pk]))
        target = Target.objects.get()
        self.assertEqual(
            (target.value, target.baseline, target.tolerance, target.goal_id),
            (Decimal("3000.50"), Decimal(2000), Decimal("0.075"), goal.pk),
        )
        page = self.client.get(reverse("metrics:goals", args=[self.business.pk]))
        self.assertContains(page, "at least 3,000.50")

    def test_a_deadline_before_the_first_month_is_refused(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("metrics:target_create", args=[self.business.pk]),
            {
                "kpi": "csat",
                "comparison": "at_least",
                "value": "80",
                "tolerance": "10",
                "first_month": "2026-06",
                "deadline": "2026-01",
            },
        )
        self.assertContains(response, "The deadline must be on or after the first month.")
        self.assertContains(response, '<a href="#id_deadline">')
        self.assertContains(response, 'value="80"')
        self.assertFalse(Target.objects.exists())

    def test_text_in_a_number_field_is_explained(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("metrics:target_create", args=[self.business.pk]),
            {
                "kpi": "csat",
                "comparison": "at_least",
                "value": "eighty",
                "tolerance": "10",
                "first_month": "2026-01",
                "deadline": "2026-13",
            },
        )
        self.assertContains(response, "Enter a number, for example 1250 or 12,5.")
        self.assertContains(response, "Enter a month as year-month, for example 2026-01.")
        self.assertContains(response, 'inputmode="decimal"')

    def test_another_business_goal_cannot_be_edited_through_this_one(self) -> None:
        other = make_business(self.charlie)
        goal = Goal.objects.create(business=other, title="Theirs", deadline=date(2026, 1, 1))
        self.client.force_login(self.alice)
        url = reverse("metrics:goal_edit", args=[self.business.pk, goal.pk])
        self.assertEqual(self.client.get(url).status_code, 404)


class BrokenFormulaTests(BusinessTestCase):
    def test_a_stored_formula_that_no_longer_works_is_left_out(self) -> None:
        from metrics.businesses.selectors import business_engine

        CustomKpi.objects.create(
            business=self.business, code="good_kpi", name="G", formula="revenue"
        )
        CustomKpi.objects.create(
            business=self.business, code="broken_kpi", name="B", formula="gone_figure * 2"
        )
        engine = business_engine(self.business)
        self.assertIn("good_kpi", engine.kpis)
        self.assertNotIn("broken_kpi", engine.kpis)
        self.client.force_login(self.alice)
        self.assertEqual(
            self.client.get(reverse("metrics:kpis", args=[self.business.pk])).status_code, 200
        )
