"""A KPI's own page: its card and "peers like me", in the owner's and the mentor's words."""

from __future__ import annotations

from datetime import date
from html import unescape

from django.urls import reverse
from django.utils import timezone

from metrics.models.business import Business, CustomKpi
from metrics.models.programmes import Cohort, CohortMembership
from tests.base import BaseTestCase
from tests.metrics.factories import add_entries, make_business, make_mentor, track
from tests.metrics.peers.test_selectors import MARCH, peer
from tests.metrics.programmes.helpers import make_programme

# Session, user, business, her span of months, her figures, her targets; her programmes, the
# peers there, and the peers' figures: the same for 10 and for 30 peers.
PAGE_QUERIES = 9


class KpiPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = make_programme(cls.charlie)
        cls.cohort = Cohort.objects.create(programme=cls.programme, name="Antwerp", country="be")
        cls.business = make_business(cls.alice, sector="food")
        track(cls.business, "conversion_rate")
        add_entries(cls.business, MARCH, 1, {"orders": 9, "visitors": 100})
        CohortMembership.objects.create(cohort=cls.cohort, business=cls.business)
        make_mentor(cls.business, cls.bob)
        # Conversions of 1 % to 10 %: Q1 3.25 %, median 5.5 %, Q3 7.75 % (worked out in
        # test_peer_selectors); her 9 % is in the best quarter.
        cls.peers = [peer(cls.cohort, f"peer{n}", n) for n in range(1, 11)]

    def url(self, kpi: str = "conversion_rate", period: str = "2026-03") -> str:
        base = reverse("metrics:kpi", args=[self.business.pk, kpi])
        return f"{base}?period={period}" if period else base

    def text(self, url: str | None = None) -> str:
        response = self.client.get(url or self.url())
        self.assertEqual(response.status_code, 200)
        return unescape(response.content.decode())

    def test_the_owner_reads_where_her_value_sits(self) -> None:
        self.client.force_login(self.alice)
        html = self.text()
        self.assertIn("Conversion rate for March 2026", html)
        self.assertIn(
            "Your value is in the best quarter of 10 similar businesses in New Roots.", html
        )
        self.assertIn("<dt>Median</dt><dd>5.5%</dd>", html)
        self.assertIn("<dt>Your value</dt><dd>9.0%</dd>", html)
        self.assertIn("<dt>Which way is better</dt><dd>Higher is better</dd>", html)
        self.assertIn('peer-quarter-best peer-quarter-own">You</span>', html)
        self.assertNotIn("This business", html)

    def test_the_mentor_reads_about_this_business(self) -> None:
        self.client.force_login(self.bob)
        html = self.text()
        self.assertIn(
            "This business's value is in the best quarter of 10 similar businesses in New Roots.",
            html,
        )
        self.assertIn("<dt>This business's value</dt><dd>9.0%</dd>", html)
        self.assertIn('peer-quarter-own">This business</span>', html)
        self.assertNotIn("Your value", html)

    def test_a_french_owner_reads_it_in_french_with_french_numbers(self) -> None:
        self.alice.language = "fr"
        self.alice.save()
        self.client.force_login(self.alice)
        html = self.text()
        self.assertIn('<html lang="fr"', html)
        self.assertIn(
            "Votre valeur se situe dans le meilleur quart des 10 entreprises similaires du "
            "programme New Roots.",
            html,
        )
        self.assertIn("<dt>Médiane</dt><dd>5,5\u00a0%</dd>", html)
        self.assertIn("<dt>Votre valeur</dt><dd>9,0\u00a0%</dd>", html)
        self.assertIn('peer-quarter-own">Vous</span>', html)

    def test_an_arabic_mentor_reads_it_right_to_left_with_arabic_plurals(self) -> None:
        self.bob.language = "ar"
        self.bob.save()
        self.client.force_login(self.bob)
        html = self.text()
        self.assertIn('dir="rtl"', html)
        # 10 takes the plural of 3 to 10 ("مشاريع"); 30 the singular accusative ("مشروعًا").
        self.assertIn(
            "قيمة هذا المشروع ضمن الربع الأفضل بين 10 مشاريع مماثلة في برنامج New Roots.", html
        )
        for n in range(11, 31):
            peer(self.cohort, f"peer{n}", n)
        html = self.text()
        self.assertIn(
            "قيمة هذا المشروع ضمن النصف الأضعف بين 30 مشروعًا مماثلًا في برنامج New Roots، "
            "لكنها ليست ضمن الربع الأضعف.",
            html,
        )
        self.assertIn('peer-quarter-own">هذا المشروع</span>', html)

    def test_a_quarter_compares_the_quarters_figures_and_leaves_out_partial_ones(self) -> None:
        self.client.force_login(self.alice)
        # Only March is logged: Q1 values are "so far" (1 of 3 months), and not compared.
        self.assertIn(
            "Too few similar businesses in New Roots have a value for Q1 2026",
            self.text(self.url(period="2026-Q1")),
        )
        # January with no orders, February and March with n: (0 + n + n) / 300 visitors
        # = 2n/3 %. Quartiles of n = 1 … 10 times 2/3: 3.25 → 2.17, 5.5 → 3.67, 7.75 → 5.17;
        # her (0 + 9 + 9) / 300 = 6 % is in the best quarter.
        for n, business in enumerate([*self.peers, self.business], start=1):
            orders = 9 if business == self.business else n
            add_entries(business, date(2026, 1, 1), 1, {"orders": 0, "visitors": 100})
            add_entries(business, date(2026, 2, 1), 1, {"orders": orders, "visitors": 100})
        html = self.text(self.url(period="2026-Q1"))
        self.assertIn("Your value is in the best quarter of 10 similar businesses", html)
        self.assertIn("<dt>Median</dt><dd>3.7%</dd>", html)
        self.assertIn("<dt>Your value</dt><dd>6.0%</dd>", html)

    def test_lower_is_better_puts_a_high_churn_in_the_weakest_quarter(self) -> None:
        # Churn = lost / start × 100: the peers lose 1 … 10 of 100 customers, she loses 12.
        for n, business in enumerate(self.peers, start=1):
            add_entries(business, MARCH, 1, {"customers_start": 100, "customers_lost": n})
        add_entries(self.business, MARCH, 1, {"customers_start": 100, "customers_lost": 12})
        self.client.force_login(self.alice)
        html = self.text(self.url("churn_rate"))
        self.assertIn("Your value is in the weakest quarter of 10 similar businesses", html)
        self.assertIn("<dd>Lower is better</dd>", html)

    def test_nine_peers_are_too_few_and_only_their_count_is_shown(self) -> None:
        CohortMembership.objects.filter(business=self.peers[0]).update(left_at=timezone.now())
        self.client.force_login(self.alice)
        html = self.text()
        self.assertIn(
            "Only 9 similar businesses in New Roots have a value for March 2026: a comparison "
            "needs at least 10.",
            html,
        )
        self.assertNotIn("Median", html)
        self.assertNotIn("peer-bar", html.replace(".peer-bar", ""))

    def test_below_five_not_even_their_count_is_shown(self) -> None:
        for business in self.peers[:6]:
            business.owner.delete()
        self.client.force_login(self.alice)
        html = self.text()
        self.assertIn(
            "Too few similar businesses in New Roots have a value for March 2026 to compare "
            "with: a comparison needs at least 10.",
            html,
        )
        self.assertNotIn("Only 4", html)

    def test_without_her_own_value_the_quartiles_are_shown_without_a_place(self) -> None:
        self.client.force_login(self.alice)
        html = self.text(self.url(period="2026-02"))
        self.assertIn("Too few similar businesses", html)  # nobody logged February
        self.business.entries.all().delete()
        add_entries(self.business, MARCH, 1, {"visitors": 100})  # no orders: n/a
        html = self.text()
        self.assertIn("10 similar businesses in New Roots have a value for March 2026.", html)
        self.assertIn("You have no value for the whole of March 2026 to place among them.", html)
        self.assertNotIn("peer-quarter-own", html)

    def test_a_business_without_a_sector_is_told_where_to_set_it(self) -> None:
        Business.objects.filter(pk=self.business.pk).update(sector="")
        self.client.force_login(self.alice)
        html = self.text()
        self.assertIn("Your business has no sector yet", html)
        settings = reverse("metrics:business_edit", args=[self.business.pk])
        self.assertIn(f'href="{settings}#id_sector"', html)
        self.client.force_login(self.bob)
        html = self.text()
        self.assertIn("This business has no sector set", html)
        self.assertNotIn(settings, html)

    def test_outside_a_programme_there_is_no_one_to_compare_with(self) -> None:
        CohortMembership.objects.filter(business=self.business).update(left_at=timezone.now())
        self.client.force_login(self.alice)
        self.assertIn("You are not a member of a programme's cohort now", self.text())
        self.client.force_login(self.bob)
        self.assertIn("This business is not a member of a programme's cohort now", self.text())

    def test_her_own_kpis_are_not_compared(self) -> None:
        CustomKpi.objects.create(
            business=self.business, code="orders_per_visit", name="Per visit", formula="orders"
        )
        self.client.force_login(self.alice)
        html = self.text(self.url("orders_per_visit"))
        self.assertIn("Per visit for March 2026", html)
        self.assertIn("This is a KPI of your own.", html)

    def test_strangers_and_unknown_kpis_get_404_and_bad_periods_no_error(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.url("no_such_kpi")).status_code, 404)
        for period in ("2026-13", "zzz", "9999-Q9", "x" * 500):
            with self.subTest(period):
                response = self.client.get(self.url(period=period))
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "is not a period we can read")
        # Without a period: the last month she logged.
        self.assertIn("Conversion rate for March 2026", self.text(self.url(period="")))

    def test_a_business_with_no_figures_yet_opens_the_page(self) -> None:
        empty = make_business(self.charlie, sector="food")
        CohortMembership.objects.create(cohort=self.cohort, business=empty)
        self.client.force_login(self.charlie)
        response = self.client.get(reverse("metrics:kpi", args=[empty.pk, "revenue"]))
        self.assertEqual(response.status_code, 200)
        # Last month, whatever it is: no peer logged it, so there is nothing to compare.
        self.assertContains(response, "Too few similar businesses in New Roots")

    def test_the_dashboard_card_links_to_the_page(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("metrics:dashboard", args=[self.business.pk]))
        self.assertContains(response, f'href="{self.url()}#peers"')

    def test_queries_do_not_grow_with_the_peers(self) -> None:
        self.client.force_login(self.alice)
        self.client.get(self.url())  # the session and the caches settle
        with self.assertNumQueries(PAGE_QUERIES):
            self.assertIn("best quarter of 10 similar", self.text())
        for n in range(11, 31):
            peer(self.cohort, f"peer{n}", n)
        # 1 … 30 %: Q3 at h = 29 × 0.75 = 21.75 → 22 + 0.75 = 22.75; median at 14.5 → 15.5.
        # Her 9 % is under the median, above Q1 (h = 7.25 → 8.25): the weaker half.
        with self.assertNumQueries(PAGE_QUERIES):
            html = self.text()
        self.assertIn("in the weaker half of 30 similar businesses", html)
        self.assertIn("<dd>15.5%</dd>", html)
