"""The KPI chooser is short on a phone: suggestions first and ticked, the rest folded away."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import translation

from metrics.businesses.advice import advice_for, reasons_for
from metrics.businesses.selectors import chooser_rows
from metrics.engine import KPIS
from metrics.models.business import TrackedKpi
from tests.metrics.businesses.test_views import BusinessTestCase
from tests.metrics.factories import track

TICKED = re.compile(r'name="kpi" value="(\w+)" id="[\w-]+" checked')
BOXES = re.compile(r'name="kpi" value="(\w+)"')


class ChooserOrderTests(BusinessTestCase):
    def url(self) -> str:
        return reverse("metrics:kpis", args=[self.business.pk])

    def page(self) -> str:
        self.client.force_login(self.alice)
        return self.client.get(self.url()).content.decode()

    def test_a_business_that_follows_nothing_sees_its_suggestions_first_and_ticked(self) -> None:
        html = self.page()
        suggested = list(advice_for("shop"))
        self.assertEqual(BOXES.findall(html)[: len(suggested)], suggested)
        self.assertEqual(TICKED.findall(html), suggested)
        reason = "You sell in a shop: conversion tells you how many visitors buy."
        self.assertIn(f'id="explain-conversion_rate">{reason}', html)
        self.assertIn(f'id="why-conversion_rate">{reason}</textarea>', html)

    def test_the_rest_waits_behind_show_more_by_stage_then_domain(self) -> None:
        html = self.page()
        first_details = html.index('<details class="kpi-more')
        # Every suggested KPI comes before the first fold, every other one inside a fold.
        for code in advice_for("shop"):
            self.assertLess(html.index(f'id="kpi-{code}"'), first_details)
        for code in set(KPIS) - set(advice_for("shop")):
            self.assertGreater(html.index(f'id="kpi-{code}"'), first_details, code)
        stages = re.findall(r'<details class="kpi-more[^"]*" id="kpi-stage-(\w+)">', html)
        self.assertEqual(
            stages, ["acquisition", "activation", "retention", "referral", "revenue", "other"]
        )
        self.assertNotIn('<details class="kpi-more border-bottom py-2" open', html)
        self.assertIn("Show more: Acquisition (7 KPIs)", html)
        # In the acquisition fold, marketing's KPIs come before sales' (the domain order).
        fold = html[
            html.index('id="kpi-stage-acquisition"') : html.index('id="kpi-stage-activation"')
        ]
        self.assertEqual(
            re.findall(r'<legend class="h6 mb-1">([^<]+)<', fold), ["Marketing", "Sales"]
        )

    def test_every_kpi_has_its_explanation_and_its_guide(self) -> None:
        html = self.page()
        for code in KPIS:
            self.assertIn(f'id="explain-{code}"', html)
            self.assertIn(reverse("guidance:kpi", args=[code]), html)

    def test_followed_kpis_come_first_in_their_order_and_nothing_else_is_ticked(self) -> None:
        TrackedKpi.objects.create(business=self.business, kpi="mrr", why="Mine", position=0)
        TrackedKpi.objects.create(business=self.business, kpi="revenue", position=1)
        html = self.page()
        self.assertEqual(TICKED.findall(html), ["mrr", "revenue"])
        boxes = BOXES.findall(html)
        self.assertEqual(boxes[:2], ["mrr", "revenue"])
        # The suggestions not followed stay up front, unticked, with no note written for them.
        rest = [code for code in advice_for("shop") if code != "revenue"]
        self.assertEqual(boxes[2 : 2 + len(rest)], rest)
        self.assertIn('id="why-mrr">Mine</textarea>', html)
        self.assertIn('id="why-visitors"></textarea>', html)
        self.assertIn("Your KPIs and the suggested ones", html)

    def test_the_notes_typed_are_kept_when_nothing_is_ticked(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(self.url(), {"why_mrr": "typed"})
        html = response.content.decode()
        self.assertIn("Choose at least one KPI to follow.", html)
        self.assertIn('id="why-mrr">typed</textarea>', html)
        self.assertEqual(TICKED.findall(html), [])

    def test_saving_keeps_the_order_of_the_page(self) -> None:
        self.client.force_login(self.alice)
        self.client.post(self.url(), {"kpi": ["csat", "visitors"], "why_csat": "Regulars"})
        self.assertEqual(
            list(TrackedKpi.objects.filter(business=self.business).values_list("kpi", "why")),
            [("csat", "Regulars"), ("visitors", "")],
        )


class MentorChooserTests(BusinessTestCase):
    def test_the_mentor_reads_about_the_owner_in_the_third_person(self) -> None:
        track(self.business, "revenue", "csat")
        TrackedKpi.objects.filter(business=self.business, kpi="revenue").update(why="Pay rent")
        self.client.force_login(self.bob)
        html = self.client.get(reverse("metrics:kpis", args=[self.business.pk])).content.decode()
        self.assertIn("The KPIs of Amal&#x27;s Kitchen", html)
        self.assertIn("Alice Haddad follows 2 KPIs for this business.", html)
        self.assertIn("Why Alice Haddad tracks this:</strong> Pay rent", html)
        self.assertIn("Alice Haddad has not written down why.", html)
        for words in ("Choose your KPIs", "You follow", "Suggested for how you sell", "<form"):
            self.assertNotIn(words, html.split("<main", 1)[1].split("</main>")[0])
        self.assertNotIn('name="kpi"', html)

    def test_it_is_in_the_mentors_language(self) -> None:
        track(self.business, "revenue")
        self.bob.language = "fr"
        self.bob.save()
        self.client.force_login(self.bob)
        html = self.client.get(reverse("metrics:kpis", args=[self.business.pk])).content.decode()
        self.assertIn("Alice Haddad suit 1 KPI pour cette entreprise.", html)


def test_the_chooser_rows_put_a_custom_kpi_in_other() -> None:
    from metrics.engine import Engine, KpiDef
    from metrics.engine.catalogue import Direction, Domain, Unit

    engine = Engine.catalogue().with_custom(
        figures=[],
        kpis=[
            KpiDef(
                code="pies",
                name="Pies",
                description="Pies sold",
                formula="units_sold",
                unit=Unit.COUNT,
                direction=Direction.UP,
                stage=None,
                domain=Domain.SALES,
            )
        ],
    )
    with translation.override("en"):
        first, groups = chooser_rows(engine, whys={}, reasons=reasons_for("online"))
    other = groups[-1]
    assert other.stage == "other"
    codes = [row.code for _domain, rows in other.domains for row in rows]
    assert codes == ["pies", "employee_satisfaction"]
    pies = next(row for _domain, rows in other.domains for row in rows if row.code == "pies")
    assert pies.custom and not pies.ticked and pies.explanation == "Pies sold"
    assert [row.code for row in first] == list(advice_for("online"))
