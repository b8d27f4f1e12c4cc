"""Changing and deleting a business's own figures and KPIs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from metrics.models.business import Business, CustomFigure, CustomKpi, TrackedKpi
from metrics.models.comments import Comment
from metrics.models.entries import Entry
from metrics.models.goals import Target
from tests.base import BaseTestCase
from tests.metrics.factories import make_business, make_mentor, track


class DefinitionsTestCase(BaseTestCase):
    business: Business

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice)
        make_mentor(cls.business, cls.bob)
        CustomFigure.objects.create(
            business=cls.business, code="stalls", name="Market stalls", unit="count"
        )
        CustomFigure.objects.create(
            business=cls.business, code="tastings", name="Tastings", unit="count"
        )
        CustomKpi.objects.create(
            business=cls.business, code="per_stall", name="Per stall", formula="revenue / stalls"
        )
        CustomKpi.objects.create(
            business=cls.business, code="double", name="Double", formula="per_stall * 2"
        )
        track(cls.business, "revenue", "double")
        Entry.objects.create(
            business=cls.business, figure="tastings", month=date(2025, 1, 1), value=Decimal(7)
        )

    def setUp(self) -> None:
        self.client.force_login(self.alice)

    def url(self, name: str, code: str) -> str:
        return reverse(name, args=[self.business.pk, code])


class EditTests(DefinitionsTestCase):
    def test_the_owner_changes_a_kpis_formula_but_not_its_code(self) -> None:
        response = self.client.post(
            self.url("metrics:custom_kpi_edit", "double"),
            {
                "code": "renamed",
                "name": "Triple",
                "formula": "per_stall * 3",
                "unit": "count",
                "direction": "up",
                "domain": "sales",
                "save": "",
            },
        )
        self.assertRedirects(response, reverse("metrics:kpis", args=[self.business.pk]))
        kpi = CustomKpi.objects.get(business=self.business, name="Triple")
        self.assertEqual((kpi.code, kpi.formula), ("double", "per_stall * 3"))

    def test_a_formula_that_would_loop_is_refused(self) -> None:
        response = self.client.post(
            self.url("metrics:custom_kpi_edit", "per_stall"),
            {
                "name": "Per stall",
                "formula": "double / 2",
                "unit": "count",
                "direction": "up",
                "domain": "sales",
                "save": "",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["formula"])
        self.assertEqual(CustomKpi.objects.get(code="per_stall").formula, "revenue / stalls")

    def test_the_owner_changes_a_figures_name(self) -> None:
        response = self.client.post(
            self.url("metrics:custom_figure_edit", "stalls"),
            {"code": "x", "name": "Stalls at markets", "unit": "count", "aggregation": "sum"},
        )
        self.assertRedirects(response, reverse("metrics:kpis", args=[self.business.pk]))
        figure = CustomFigure.objects.get(business=self.business, code="stalls")
        self.assertEqual(figure.name, "Stalls at markets")

    def test_a_mentor_gets_403_and_a_stranger_404(self) -> None:
        for user, status in ((self.bob, 403), (self.charlie, 404)):
            self.client.force_login(user)
            for name, code in (
                ("metrics:custom_kpi_edit", "double"),
                ("metrics:custom_kpi_delete", "double"),
                ("metrics:custom_figure_edit", "stalls"),
                ("metrics:custom_figure_delete", "tastings"),
            ):
                with self.subTest(user=user.email, page=name):
                    self.assertEqual(self.client.get(self.url(name, code)).status_code, status)
                    self.assertEqual(self.client.post(self.url(name, code)).status_code, status)
        self.assertEqual(CustomKpi.objects.count(), 2)
        self.assertEqual(CustomFigure.objects.count(), 2)

    def test_another_business_definitions_are_404(self) -> None:
        other = make_business(self.charlie)
        CustomKpi.objects.create(business=other, code="theirs", name="Theirs", formula="revenue")
        response = self.client.get(self.url("metrics:custom_kpi_edit", "theirs"))
        self.assertEqual(response.status_code, 404)


class DeleteTests(DefinitionsTestCase):
    def test_a_kpi_another_kpi_uses_cannot_be_deleted_and_the_page_says_which(self) -> None:
        response = self.client.post(self.url("metrics:custom_kpi_delete", "per_stall"))
        self.assertContains(response, "“per_stall” cannot be deleted")
        self.assertContains(response, "Double")
        self.assertTrue(CustomKpi.objects.filter(code="per_stall").exists())

    def test_a_figure_a_kpi_uses_cannot_be_deleted_and_the_page_says_which(self) -> None:
        response = self.client.post(self.url("metrics:custom_figure_delete", "stalls"))
        self.assertContains(response, "“stalls” cannot be deleted")
        self.assertContains(response, "Per stall")
        self.assertTrue(CustomFigure.objects.filter(code="stalls").exists())

    def test_deleting_a_tracked_kpi_stops_following_it_and_deletes_its_targets(self) -> None:
        Target.objects.create(
            business=self.business,
            kpi="double",
            value=Decimal(3),
            first_month=date(2025, 1, 1),
            deadline=date(2025, 12, 1),
        )
        Comment.objects.create(
            business=self.business, author=self.alice, on="kpi", subject="double", body="Hi"
        )
        page = self.client.get(self.url("metrics:custom_kpi_delete", "double"))
        self.assertContains(page, "It is no longer on your dashboard.")
        self.assertContains(page, "Its target is deleted too.")
        response = self.client.post(self.url("metrics:custom_kpi_delete", "double"), follow=True)
        self.assertContains(
            response, "The KPI “Double” is deleted. It is no longer on your dashboard."
        )
        self.assertFalse(CustomKpi.objects.filter(code="double").exists())
        self.assertEqual(list(TrackedKpi.objects.values_list("kpi", flat=True)), ["revenue"])
        self.assertFalse(Target.objects.exists())
        self.assertTrue(Comment.objects.exists())
        self.assertEqual(
            self.client.get(reverse("metrics:dashboard", args=[self.business.pk])).status_code, 200
        )

    def test_deleting_a_figure_keeps_its_values_and_says_so_first(self) -> None:
        page = self.client.get(self.url("metrics:custom_figure_delete", "tastings"))
        self.assertContains(page, "The value you entered for it is kept")
        self.client.post(self.url("metrics:custom_figure_delete", "tastings"))
        self.assertFalse(CustomFigure.objects.filter(code="tastings").exists())
        self.assertEqual(Entry.objects.get(figure="tastings").value, Decimal(7))
        month = self.client.get(reverse("metrics:month", args=[self.business.pk, "2025-01"]))
        self.assertContains(month, "tastings")

    def test_the_kpi_list_links_to_changing_and_deleting(self) -> None:
        page = self.client.get(reverse("metrics:kpis", args=[self.business.pk]))
        for name, code in (
            ("metrics:custom_kpi_edit", "double"),
            ("metrics:custom_kpi_delete", "per_stall"),
            ("metrics:custom_figure_edit", "stalls"),
            ("metrics:custom_figure_delete", "tastings"),
        ):
            self.assertContains(page, f'href="{self.url(name, code)}"')
