"""The target form offers the KPIs the business follows, and a way to follow another."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.urls import reverse

from metrics.models.business import TrackedKpi
from metrics.models.goals import Target
from tests.metrics.businesses.test_views import BusinessTestCase
from tests.metrics.factories import track

OPTIONS = re.compile(r'<option value="(\w+)"')


class TargetChoiceTests(BusinessTestCase):
    def url(self) -> str:
        return reverse("metrics:target_create", args=[self.business.pk])

    def test_only_the_kpis_followed_are_offered_in_their_order(self) -> None:
        track(self.business, "csat", "revenue")
        self.client.force_login(self.alice)
        html = self.client.get(self.url()).content.decode()
        kpi_select = html[
            html.index('name="kpi"') : html.index("</select>", html.index('name="kpi"'))
        ]
        self.assertEqual(OPTIONS.findall(kpi_select), ["csat", "revenue"])

    def test_it_links_to_the_chooser_to_follow_another(self) -> None:
        track(self.business, "revenue")
        self.client.force_login(self.alice)
        response = self.client.get(self.url())
        self.assertContains(
            response, f'<a href="{reverse("metrics:kpis", args=[self.business.pk])}">follow it'
        )

    def test_a_kpi_not_followed_is_refused(self) -> None:
        track(self.business, "revenue")
        self.client.force_login(self.alice)
        response = self.client.post(
            self.url(),
            {
                "kpi": "mrr",
                "comparison": "at_least",
                "value": "10",
                "tolerance": "10",
                "first_month": "2026-01",
                "deadline": "2026-12",
            },
        )
        self.assertContains(response, "There is a problem")
        self.assertContains(response, '<a href="#id_kpi">')
        self.assertFalse(Target.objects.exists())

    def test_with_nothing_followed_it_sends_to_the_chooser_and_saves_nothing(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url())
        self.assertContains(response, 'id="no-kpis"')
        self.assertNotContains(response, 'name="value"')
        posted = self.client.post(
            self.url(),
            {
                "kpi": "revenue",
                "comparison": "at_least",
                "value": "10",
                "tolerance": "10",
                "first_month": "2026-01",
                "deadline": "2026-12",
            },
        )
        self.assertEqual(posted.status_code, 200)
        self.assertFalse(Target.objects.exists())

    def test_a_target_whose_kpi_is_no_longer_followed_can_still_be_edited(self) -> None:
        track(self.business, "revenue")
        target = Target.objects.create(
            business=self.business,
            kpi="csat",
            value=Decimal(80),
            first_month=date(2026, 1, 1),
            deadline=date(2026, 12, 1),
        )
        self.client.force_login(self.alice)
        url = reverse("metrics:target_edit", args=[self.business.pk, target.pk])
        html = self.client.get(url).content.decode()
        self.assertEqual(OPTIONS.findall(html)[:2], ["revenue", "csat"])
        self.assertRegex(html, r'<option value="csat" selected>')
        response = self.client.post(
            url,
            {
                "kpi": "csat",
                "comparison": "at_least",
                "value": "85",
                "tolerance": "10",
                "first_month": "2026-01",
                "deadline": "2026-12",
            },
        )
        self.assertRedirects(response, reverse("metrics:goals", args=[self.business.pk]))
        target.refresh_from_db()
        self.assertEqual(target.value, Decimal(85))
        self.assertFalse(TrackedKpi.objects.filter(business=self.business, kpi="csat").exists())
