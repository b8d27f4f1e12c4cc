"""Who counts as a peer, and the peers' KPI values, in a fixed number of queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from accounts.personal_data import account_delete
from metrics.engine import PeriodKind, period_of
from metrics.models.business import Business
from metrics.models.programmes import Cohort, CohortMembership, Programme
from metrics.peers.quartiles import Comparison, Quarter, Quartiles, Status
from metrics.peers.selectors import kpi_among_peers, member_programmes
from metrics.programmes.services import membership_join, membership_leave
from tests.base import BaseTestCase
from tests.metrics.factories import add_entries, make_business, track
from tests.metrics.peers.factories import peer as make_peer
from tests.metrics.programmes.helpers import make_programme

MARCH = date(2026, 3, 1)
D = Decimal
NINE = D(9)  # her conversion in March: 9 orders from 100 visitors


def peer(cohort: Cohort, name: str, orders: int, **fields: str) -> Business:
    """A member whose conversion in March 2026 is ``orders`` %: orders over 100 visitors."""
    return make_peer(cohort, name, orders, month=MARCH, **fields)


class PeerSelectionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = make_programme(cls.charlie)
        cls.antwerp = Cohort.objects.create(programme=cls.programme, name="Antwerp", country="be")
        cls.ghent = Cohort.objects.create(programme=cls.programme, name="Ghent", country="be")
        cls.lyon = Cohort.objects.create(programme=cls.programme, name="Lyon", country="fr")
        cls.business = make_business(cls.alice, sector="food")
        add_entries(cls.business, MARCH, 1, {"orders": 9, "visitors": 100})
        CohortMembership.objects.create(cohort=cls.antwerp, business=cls.business)
        # Ten peers with conversions of 1 % to 10 %, in two cohorts, with either consent.
        cls.peers = [
            peer(
                cls.antwerp if orders % 2 else cls.ghent,
                f"peer{orders}",
                orders,
                consent="named" if orders == 3 else "aggregate",
            )
            for orders in range(1, 11)
        ]
        # None of these is a peer; each would change the numbers if it counted (100 %).
        peer(cls.antwerp, "retail", 100, sector="retail")
        peer(cls.antwerp, "nosector", 100, sector="")
        peer(cls.lyon, "lyon", 100, country="fr")
        other = make_programme(cls.charlie, name="Other roots")
        peer(Cohort.objects.create(programme=other, name="Brussels", country="be"), "other", 100)
        left = peer(cls.antwerp, "left", 100)
        CohortMembership.objects.filter(business=left).update(left_at=timezone.now())

    def compared(self, code: str = "conversion_rate", own: Decimal | None = NINE) -> Comparison:
        march = period_of(MARCH, PeriodKind.MONTH)
        found = kpi_among_peers(self.business, [self.programme], code, march, own)
        self.assertEqual([item.programme for item in found], [self.programme])
        return found[0].comparison

    def test_ten_peers_of_the_same_programme_country_and_sector_are_compared(self) -> None:
        # 1 … 10 %: Q1 at h = 9 × 0.25 = 2.25 → 3 + 0.25 = 3.25; median at 4.5 → 5.5;
        # Q3 at 6.75 → 7 + 0.75 = 7.75. Her 9 % is above Q3: the best quarter.
        self.assertEqual(
            self.compared(),
            Comparison(
                Status.COMPARED, 10, Quartiles(D("3.25"), D("5.5"), D("7.75")), Quarter.BEST
            ),
        )

    def test_a_member_who_leaves_drops_out_and_nine_are_too_few(self) -> None:
        CohortMembership.objects.filter(business=self.peers[0]).update(left_at=timezone.now())
        self.assertEqual(self.compared(), Comparison(Status.TOO_FEW, 9))

    def test_a_deleted_account_drops_out(self) -> None:
        account_delete(user=self.peers[0].owner)
        self.assertEqual(self.compared(), Comparison(Status.TOO_FEW, 9))

    def test_a_peer_without_a_value_is_not_counted(self) -> None:
        self.peers[0].entries.filter(figure="visitors").update(value=0)  # conversion n/a
        self.assertEqual(self.compared(), Comparison(Status.TOO_FEW, 9))

    def test_a_peer_who_joins_another_cohort_of_the_programme_counts_once(self) -> None:
        CohortMembership.objects.create(cohort=self.antwerp, business=self.peers[1])
        self.assertEqual(self.compared().peers, 10)

    def test_money_is_compared_only_in_the_same_currency(self) -> None:
        # Revenue is 100 × orders: €100 … €1,000; one peer in pounds leaves nine.
        self.assertEqual(self.compared("revenue", D(900)).peers, 10)
        Business.objects.filter(pk=self.peers[0].pk).update(currency="GBP")
        self.assertEqual(self.compared("revenue", D(900)), Comparison(Status.TOO_FEW, 9))
        self.assertEqual(self.compared().peers, 10)  # a percentage still compares

    def test_each_of_her_programmes_is_compared_on_its_own(self) -> None:
        other = Programme.objects.get(name="Other roots")
        CohortMembership.objects.create(cohort=other.cohorts.get(), business=self.business)
        programmes = member_programmes(self.business)
        self.assertEqual(programmes, [self.programme, other])  # by name
        march = period_of(MARCH, PeriodKind.MONTH)
        with self.assertNumQueries(2):
            found = kpi_among_peers(self.business, programmes, "conversion_rate", march, NINE)
        # New Roots: the ten peers; Other roots: one peer, too few to even count.
        self.assertEqual(
            [(item.programme, item.comparison.status, item.comparison.peers) for item in found],
            [(self.programme, Status.COMPARED, 10), (other, Status.TOO_FEW, None)],
        )

    def test_the_programmes_are_those_of_her_active_memberships(self) -> None:
        self.assertEqual(member_programmes(self.business), [self.programme])
        CohortMembership.objects.filter(business=self.business).update(left_at=timezone.now())
        self.assertEqual(member_programmes(self.business), [])


class PeerQueryTests(BaseTestCase):
    """Two queries for the peers and their figures, whatever their number."""

    def _compare(self, peers: int) -> Comparison:
        programme = Programme.objects.get()
        march = period_of(MARCH, PeriodKind.QUARTER)  # Q1 2026: January to March
        business = Business.objects.get(owner=self.alice)
        with self.assertNumQueries(2):
            found = kpi_among_peers(business, [programme], "revenue_growth", march, D(5))
        self.assertEqual(found[0].comparison.peers, peers)
        return found[0].comparison

    def _grow(self, total: int) -> None:
        cohort = Cohort.objects.get()
        for index in range(Business.objects.count() - 1, total):
            business = peer(cohort, f"p{index}", 1)
            # Q4 2025 at €1,000 a month, Q1 2026 at €1,100: +10 % each.
            add_entries(business, date(2025, 10, 1), 3, {"revenue": 1000})
            business.entries.filter(figure="revenue").filter(month__gte=date(2026, 1, 1)).delete()
            add_entries(business, date(2026, 1, 1), 3, {"revenue": 1100})

    def test_ten_and_thirty_peers_take_the_same_queries(self) -> None:
        programme = make_programme(self.charlie)
        cohort = Cohort.objects.create(programme=programme, name="Antwerp", country="be")
        business = make_business(self.alice, sector="food")
        CohortMembership.objects.create(cohort=cohort, business=business)
        self._grow(10)
        # Ten growths of exactly 10 %: every quartile is 10; her 5 % is the weakest quarter.
        self.assertEqual(
            self._compare(10),
            Comparison(Status.COMPARED, 10, Quartiles(D(10), D(10), D(10)), Quarter.WEAKEST),
        )
        self._grow(30)
        self.assertEqual(self._compare(30).peers, 30)


class ComparisonLinkTests(BaseTestCase):
    """The cards link to similar businesses only while the business is in a programme."""

    def test_joining_and_leaving_change_the_kept_cards(self) -> None:
        business = make_business(self.alice)
        track(business, "revenue")
        add_entries(business, date(2026, 1, 1), 2, {"revenue": 900})
        self.client.force_login(self.alice)
        url = reverse("metrics:dashboard", args=[business.pk])
        link = "Compare with similar businesses"
        self.assertNotContains(self.client.get(url), link)
        cohort = Cohort.objects.create(
            programme=make_programme(self.bob), name="Ghent", country="be"
        )
        membership = membership_join(cohort=cohort, business=business, consent="aggregate")
        self.assertContains(self.client.get(url), link)
        membership_leave(membership=membership)
        self.assertNotContains(self.client.get(url), link)
