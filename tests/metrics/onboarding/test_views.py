"""The guided start, page by page: owner, mentor, stranger; skipping and resuming."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.core import mail
from django.urls import reverse

from accounts.models import User
from metrics.businesses.advice import advice_for
from metrics.engine import add_months
from metrics.models.business import Business, StartStep, TrackedKpi
from metrics.models.entries import Entry
from metrics.models.goals import Target
from metrics.pages import last_complete_month
from tests.base import BaseTestCase, page_text
from tests.metrics.factories import make_business, make_mentor, track

START = reverse("metrics:start")
BUSINESS_STEP = reverse("metrics:start_business")


def step_url(name: str, business: Business) -> str:
    return reverse(f"metrics:start_{name}", args=[business.pk])


class StartTestCase(BaseTestCase):
    """Alice is in the middle of her guided start; Bob mentors her business."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice, start_step=StartStep.CHANNEL, sells="")
        make_mentor(cls.business, cls.bob)
        cls.former = User.objects.create_user("former@example.org", "x" * 12)
        make_mentor(cls.business, cls.former, revoked=True)


class AccessTests(StartTestCase):
    STEPS = ("channel", "kpis", "target", "month")

    def test_the_owner_opens_every_step(self) -> None:
        self.client.force_login(self.alice)
        for name in self.STEPS:
            response = self.client.get(step_url(name, self.business))
            self.assertEqual(response.status_code, 200, name)
            self.assertContains(response, "Getting started: step")

    def test_a_mentor_may_neither_open_nor_send_a_step(self) -> None:
        self.client.force_login(self.bob)
        for name in self.STEPS:
            self.assertEqual(self.client.get(step_url(name, self.business)).status_code, 403)
            response = self.client.post(step_url(name, self.business), {"skip": "1"})
            self.assertEqual(response.status_code, 403, name)
        self.business.refresh_from_db()
        self.assertEqual(self.business.start_step, StartStep.CHANNEL)

    def test_strangers_and_former_mentors_get_404(self) -> None:
        for user in (self.charlie, self.former):
            self.client.force_login(user)
            for name in self.STEPS:
                url = step_url(name, self.business)
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.post(url, {"skip": "1"}).status_code, 404)

    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        for url in (START, BUSINESS_STEP, step_url("kpis", self.business)):
            response = self.client.get(url)
            self.assertRedirects(
                response, f"{reverse('accounts:login')}?next={url}", fetch_redirect_response=False
            )


class BusinessStepTests(BaseTestCase):
    def test_a_new_user_starts_with_the_business_prefilled_from_the_flag(self) -> None:
        self.alice.region = "wallonia"
        self.alice.save()
        self.client.force_login(self.alice)
        response = self.client.get(START, follow=True)
        self.assertEqual(response.redirect_chain, [(BUSINESS_STEP, 302)])
        html = page_text(response)
        self.assertIn("Getting started: step 1 of 5", html)
        self.assertRegex(html, r'<option value="be" selected>')
        self.assertRegex(html, r'<option value="wallonia" selected>')

    def test_a_country_without_regions_asks_for_none(self) -> None:
        self.charlie.country = "fr"
        self.charlie.save()
        self.client.force_login(self.charlie)
        html = self.client.get(BUSINESS_STEP).content.decode()
        self.assertRegex(html, r'<option value="fr" selected>')
        self.assertNotIn('name="region"', html)

    def test_choosing_belgium_brings_the_page_back_with_its_regions(self) -> None:
        self.charlie.country = "nl"
        self.charlie.save()
        self.client.force_login(self.charlie)
        response = self.client.post(BUSINESS_STEP, {"name": "Fietsen", "country": "be"})
        self.assertContains(response, "Choose your region.")
        self.assertContains(response, 'name="region"')
        self.assertContains(response, 'value="Fietsen"')
        self.assertFalse(Business.objects.filter(owner=self.charlie).exists())

    def test_saving_creates_the_business_and_sets_the_flag(self) -> None:
        self.client.force_login(self.charlie)
        response = self.client.post(
            BUSINESS_STEP, {"name": "Yonas Vélos", "country": "be", "region": "brussels"}
        )
        business = Business.objects.get(owner=self.charlie)
        self.assertRedirects(response, step_url("channel", business))
        self.assertEqual(
            (business.name, business.country, business.region, business.currency),
            ("Yonas Vélos", "be", "brussels", "EUR"),
        )
        self.assertEqual(business.start_step, StartStep.CHANNEL)
        self.charlie.refresh_from_db()
        self.assertEqual((self.charlie.country, self.charlie.region), ("be", "brussels"))
        self.assertEqual(self.client.session["country"], "be")
        # The header's flag now shows Belgium.
        self.assertContains(self.client.get(response.url), "flags/be.svg")

    def test_a_british_business_counts_in_pounds(self) -> None:
        self.client.force_login(self.charlie)
        self.client.post(BUSINESS_STEP, {"name": "Leeds Web", "country": "gb"})
        self.assertEqual(Business.objects.get(owner=self.charlie).currency, "GBP")

    def test_skipping_keeps_the_flag_and_names_the_business_for_now(self) -> None:
        self.client.force_login(self.alice)
        self.client.post(BUSINESS_STEP, {"country": "be", "region": "flanders", "skip": "1"})
        business = Business.objects.get(owner=self.alice)
        self.assertEqual((business.name, business.country), ("My business", "be"))

    def test_an_empty_form_shows_the_error_summary(self) -> None:
        self.client.force_login(self.charlie)
        response = self.client.post(BUSINESS_STEP, {})
        self.assertContains(response, "There is a problem")
        self.assertContains(response, '<a href="#id_name">')
        self.assertContains(response, "<title>Error: ")


class ChannelStepTests(StartTestCase):
    def test_saving_the_way_of_selling_goes_on_to_the_kpis(self) -> None:
        self.client.force_login(self.alice)
        page = self.client.get(step_url("channel", self.business))
        self.assertContains(page, "Getting started: step 2 of 5")
        self.assertContains(page, "Online shop")
        response = self.client.post(step_url("channel", self.business), {"channel": "online"})
        self.assertRedirects(response, step_url("kpis", self.business))
        self.business.refresh_from_db()
        self.assertEqual((self.business.channel, self.business.start_step), ("online", "kpis"))

    def test_skipping_keeps_the_way_of_selling(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            step_url("channel", self.business), {"channel": "online", "skip": "1"}
        )
        self.assertRedirects(response, step_url("kpis", self.business))
        self.business.refresh_from_db()
        self.assertEqual((self.business.channel, self.business.start_step), ("shop", "kpis"))


class KpiStepTests(StartTestCase):
    def test_the_starter_set_is_ticked_with_its_reasons_as_notes(self) -> None:
        self.client.force_login(self.alice)
        html = self.client.get(step_url("kpis", self.business)).content.decode()
        ticked = re.findall(r'name="kpis" value="(\w+)" id="[\w-]+" checked', html)
        self.assertEqual(ticked, list(advice_for("shop")))
        reason = "You sell in a shop: conversion tells you how many visitors buy."
        self.assertIn(f'id="reason-conversion_rate">{reason}', html)
        self.assertIn(f'id="id_why_conversion_rate">{reason}</textarea>', html)
        self.assertIn(reverse("guidance:kpi", args=["conversion_rate"]), html)

    def test_the_set_follows_the_way_of_selling(self) -> None:
        self.business.channel = "subscription"
        self.business.save()
        self.client.force_login(self.alice)
        html = self.client.get(step_url("kpis", self.business)).content.decode()
        self.assertIn('value="mrr"', html)
        self.assertNotIn('value="conversion_rate"', html)

    def test_saving_follows_the_ticked_kpis_with_the_notes_as_edited(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            step_url("kpis", self.business),
            {
                "kpis": ["revenue", "visitors"],
                "why_revenue": "To pay the rent.",
                "why_visitors": "Footfall.",
                "why_csat": "not ticked",
            },
        )
        self.assertRedirects(response, step_url("target", self.business))
        tracked = list(TrackedKpi.objects.filter(business=self.business).values_list("kpi", "why"))
        # In the page's order, not the order of the request.
        self.assertEqual(tracked, [("visitors", "Footfall."), ("revenue", "To pay the rent.")])

    def test_nothing_ticked_is_explained_and_keeps_the_notes(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(step_url("kpis", self.business), {"why_revenue": "Kept"})
        self.assertContains(response, "Tick at least one KPI, or skip this step.")
        self.assertContains(response, '<a href="#kpi-visitors">')
        self.assertContains(response, ">Kept</textarea>")
        self.assertFalse(TrackedKpi.objects.filter(business=self.business).exists())

    def test_skipping_follows_nothing(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(step_url("kpis", self.business), {"skip": "1"})
        self.assertRedirects(response, step_url("target", self.business))
        self.assertFalse(TrackedKpi.objects.filter(business=self.business).exists())

    def test_coming_back_shows_what_is_followed(self) -> None:
        TrackedKpi.objects.create(business=self.business, kpi="revenue", why="Mine")
        self.client.force_login(self.alice)
        html = self.client.get(step_url("kpis", self.business)).content.decode()
        ticked = re.findall(r'name="kpis" value="(\w+)" id="[\w-]+" checked', html)
        self.assertEqual(ticked, ["revenue"])
        self.assertIn(">Mine</textarea>", html)


class TargetStepTests(StartTestCase):
    def test_it_offers_only_the_kpis_followed_and_fills_in_an_example(self) -> None:
        track(self.business, "visitors", "csat", "revenue")
        self.client.force_login(self.alice)
        html = self.client.get(step_url("target", self.business)).content.decode()
        options = re.findall(r'<option value="(\w+)"', html)
        self.assertEqual(options, ["visitors", "csat", "revenue"])
        self.assertRegex(html, r'<option value="revenue" selected>')
        self.assertRegex(html, r'name="value" value="2,000"')
        self.assertIn("Usual first targets for your other KPIs", html)

    def test_saving_sets_a_year_from_last_month(self) -> None:
        track(self.business, "revenue", "churn_rate")
        self.client.force_login(self.alice)
        response = self.client.post(
            step_url("target", self.business), {"kpi": "revenue", "value": "2.500,50"}
        )
        self.assertRedirects(response, step_url("month", self.business))
        target = Target.objects.get(business=self.business)
        first = last_complete_month()
        self.assertEqual(
            (target.kpi, target.comparison, target.value, target.first_month, target.deadline),
            ("revenue", "at_least", Decimal("2500.50"), first, add_months(first, 11)),
        )

    def test_a_kpi_where_lower_is_better_gets_a_ceiling(self) -> None:
        track(self.business, "churn_rate")
        self.client.force_login(self.alice)
        self.client.post(step_url("target", self.business), {"kpi": "churn_rate", "value": "5"})
        self.assertEqual(Target.objects.get(business=self.business).comparison, "at_most")

    def test_a_kpi_not_followed_is_refused(self) -> None:
        track(self.business, "revenue")
        self.client.force_login(self.alice)
        response = self.client.post(
            step_url("target", self.business), {"kpi": "mrr", "value": "10"}
        )
        self.assertContains(response, "There is a problem")
        self.assertFalse(Target.objects.exists())

    def test_with_no_kpi_followed_it_only_offers_to_go_on(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(step_url("target", self.business))
        self.assertContains(response, 'id="no-kpis"')
        self.assertNotContains(response, 'name="value"')


class MonthStepTests(StartTestCase):
    def test_it_asks_only_for_the_figures_the_kpis_need(self) -> None:
        track(self.business, "conversion_rate")
        self.client.force_login(self.alice)
        html = self.client.get(step_url("month", self.business)).content.decode()
        fields = re.findall(r'<input type="text" name="([\w-]+)"', html)
        self.assertEqual(fields, ["visitors", "orders"])
        self.assertNotIn("note-", html)  # notes wait for the Months tab: one thing a page

    def test_saving_stores_the_month_and_opens_the_dashboard(self) -> None:
        track(self.business, "revenue", "conversion_rate")
        self.client.force_login(self.alice)
        self.client.post(reverse("accounts:set_language"), {"language": "fr", "next": "/"})
        self.alice.language = "fr"
        self.alice.save()
        response = self.client.post(
            step_url("month", self.business),
            {"visitors": "400", "orders": "", "revenue": "1 234,50"},
        )
        self.assertRedirects(
            response,
            reverse("metrics:dashboard", args=[self.business.pk]),
            fetch_redirect_response=False,
        )
        stored = dict(
            Entry.objects.filter(business=self.business, month=last_complete_month()).values_list(
                "figure", "value"
            )
        )
        self.assertEqual(stored, {"visitors": Decimal(400), "revenue": Decimal("1234.50")})
        self.business.refresh_from_db()
        self.assertEqual(self.business.start_step, StartStep.DONE)

    def test_a_wrong_number_is_explained_in_the_summary(self) -> None:
        track(self.business, "revenue")
        self.client.force_login(self.alice)
        response = self.client.post(step_url("month", self.business), {"revenue": "lots"})
        self.assertContains(response, "There is a problem")
        self.assertContains(response, '<a href="#id_revenue">')
        self.assertFalse(Entry.objects.exists())

    def test_skipping_ends_the_guided_start_on_the_dashboard(self) -> None:
        track(self.business, "revenue")
        self.client.force_login(self.alice)
        response = self.client.post(step_url("month", self.business), {"skip": "1"})
        self.assertRedirects(
            response,
            reverse("metrics:dashboard", args=[self.business.pk]),
            fetch_redirect_response=False,
        )
        self.business.refresh_from_db()
        self.assertEqual(self.business.start_step, StartStep.DONE)
        self.assertFalse(Entry.objects.exists())


class ResumeTests(StartTestCase):
    def test_coming_back_resumes_at_the_step_reached(self) -> None:
        self.client.force_login(self.alice)
        self.client.post(step_url("channel", self.business), {"channel": "services"})
        self.client.post(step_url("kpis", self.business), {"skip": "1"})
        self.client.logout()
        self.client.force_login(self.alice)
        self.assertRedirects(
            self.client.get(reverse("metrics:business_list")), START, target_status_code=302
        )
        self.assertRedirects(self.client.get(START), step_url("target", self.business))

    def test_going_back_to_an_earlier_step_does_not_rewind(self) -> None:
        self.business.start_step = StartStep.MONTH
        self.business.save()
        self.client.force_login(self.alice)
        self.client.post(step_url("channel", self.business), {"channel": "online"})
        self.business.refresh_from_db()
        self.assertEqual(self.business.start_step, StartStep.MONTH)

    def test_a_finished_start_leaves_the_user_on_the_dashboard(self) -> None:
        self.business.start_step = StartStep.DONE
        self.business.save()
        self.client.force_login(self.alice)
        self.assertRedirects(
            self.client.get(START), reverse("metrics:business_list"), target_status_code=302
        )
        self.assertRedirects(
            self.client.get(reverse("metrics:business_list")),
            reverse("metrics:dashboard", args=[self.business.pk]),
            fetch_redirect_response=False,
        )

    def test_a_business_set_up_on_the_full_form_never_enters_it(self) -> None:
        self.client.force_login(self.charlie)
        self.client.post(
            reverse("metrics:business_create"),
            {
                "name": "Full",
                "sells": "Bread",
                "channel": "shop",
                "country": "fr",
                "currency": "EUR",
                "fy_start": "1",
            },
        )
        business = Business.objects.get(owner=self.charlie)
        self.assertEqual(business.start_step, StartStep.DONE)


class FromSignUpTests(BaseTestCase):
    def test_the_sign_up_link_leads_into_the_guided_start(self) -> None:
        self.client.post(reverse("accounts:set_country"), {"country": "fr"})
        self.client.post(
            reverse("accounts:signup"), {"name": "Samira", "email": "samira@example.org"}
        )
        link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)
        response = self.client.post(link, {"password": "tulips in antwerp"}, follow=True)
        self.assertEqual(response.redirect_chain, [(START, 302), (BUSINESS_STEP, 302)])
        self.assertContains(response, "Welcome! Your account is ready.")
        self.assertRegex(page_text(response), r'<option value="fr" selected>')

    def test_an_invited_mentor_still_goes_where_the_link_said(self) -> None:
        self.client.post(
            reverse("accounts:signup"),
            {"name": "Marc", "email": "marc@example.org", "next": "/mentor/"},
        )
        link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)
        response = self.client.post(link, {"password": "tulips in antwerp"})
        self.assertRedirects(response, "/mentor/", fetch_redirect_response=False)


def test_month_used_is_the_last_complete_one() -> None:
    today = date.today()
    assert last_complete_month() == add_months(date(today.year, today.month, 1), -1)
