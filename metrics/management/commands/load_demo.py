"""Create (or re-create) the demo entrepreneur, her business and her mentor, and a programme.

The programme has two cohorts (Antwerp and Lyon) of six businesses each, Samira's among them,
three mentors in its pool (Marc, who already mentors Samira, among them) and a coordinator.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from metrics.demo import DEMO_KPIS, DEMO_MEMBERS, demo_figures, member_figures
from metrics.engine.periods import add_months
from metrics.models.business import Business, TrackedKpi
from metrics.models.entries import Entry
from metrics.models.goals import Goal, Target
from metrics.models.matching import PoolMentor, Proposal
from metrics.models.mentoring import Mentorship
from metrics.models.programmes import Cohort, CohortMembership, Coordinator, Programme
from metrics.programmes.summaries import summaries_rebuild

ENTREPRENEUR = "samira@demo.example"
MENTOR = "marc@demo.example"
COORDINATOR = "ines@demo.example"
PASSWORD = "try the demo"
PROGRAMME = "New Ground"
# email, name, own language, languages spoken, sectors, country, mentees at most
POOL = [
    (MENTOR, "Marc Peeters", "fr", "fr nl en", "food retail crafts", "be", 3),
    ("nadia@demo.example", "Nadia Belkacem", "fr", "ar fr en", "food beauty care", "fr", 2),
    (
        "olena@demo.example",
        "Olena Kovalenko",
        "uk",
        "uk en nl",
        "digital services transport",
        "be",
        2,
    ),
]
PROGRAMME_KPIS = ["revenue", "conversion_rate", "gross_margin"]


class Command(BaseCommand):
    help = "Load the demo entrepreneur (24 months of figures) and her mentor."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        today = timezone.localdate()
        last_month = add_months(date(today.year, today.month, 1), -1)
        samira = self._user(ENTREPRENEUR, "Samira Haddad", "nl")
        marc = self._user(MENTOR, "Marc Peeters", "fr")
        Business.objects.filter(owner=samira).delete()
        business = Business.objects.create(
            owner=samira,
            name="Samira's Kitchen",
            country="be",
            region="flanders",
            currency="EUR",
            sells="Home-made Syrian food: market stall and catering",
            channel="shop",
        )
        Entry.objects.bulk_create(
            Entry(business=business, figure=code, month=month, value=value)
            for month, values in demo_figures(last_month).items()
            for code, value in values.items()
        )
        TrackedKpi.objects.bulk_create(
            TrackedKpi(business=business, kpi=code, why=why, position=index)
            for index, (code, why) in enumerate(DEMO_KPIS)
        )
        self._goals(business, year_start=date(last_month.year, 1, 1))
        Mentorship.objects.create(business=business, mentor=marc)
        self._programme(samira=business, last_month=last_month)
        # The rows above went in without signals: the programme dashboard's summaries after them.
        demo_owners = [ENTREPRENEUR, *(member.email for member in DEMO_MEMBERS)]
        summaries_rebuild(
            Business.objects.filter(owner__email__in=demo_owners).values_list("pk", flat=True)
        )
        self.stdout.write(
            f"Demo ready. Entrepreneur: {ENTREPRENEUR} / Mentor: {MENTOR} / "
            f"Coordinator: {COORDINATOR} (password for all: {PASSWORD})"
        )

    def _programme(self, *, samira: Business, last_month: date) -> None:
        """The programme, its two cohorts of six, its pool of three, and one proposal waiting."""
        Programme.objects.filter(name=PROGRAMME).delete()
        Business.objects.filter(owner__email__in=[m.email for m in DEMO_MEMBERS]).delete()
        programme = Programme.objects.create(
            name=PROGRAMME,
            countries=["be", "fr"],
            languages=["en", "fr", "nl", "ar", "uk"],
            start=add_months(last_month, -12),
        )
        coordinator = self._user(COORDINATOR, "Inès Laurent", "fr", country="fr")
        Coordinator.objects.create(programme=programme, user=coordinator)
        cohorts = {
            "be": Cohort.objects.create(programme=programme, name="Antwerp", country="be"),
            "fr": Cohort.objects.create(programme=programme, name="Lyon", country="fr"),
        }
        samira.sector = "food"
        samira.save(update_fields=["sector"])
        CohortMembership.objects.create(cohort=cohorts["be"], business=samira, consent="named")
        entries, tracked, targets = [], [], []
        for seed, member in enumerate(DEMO_MEMBERS):
            owner = self._user(member.email, member.name, member.language, country=member.cohort)
            business = Business.objects.create(
                owner=owner,
                name=member.business,
                country=member.cohort,
                region="flanders" if member.cohort == "be" else "",
                currency="EUR",
                sells=member.sells,
                sector=member.sector,
            )
            CohortMembership.objects.create(
                cohort=cohorts[member.cohort], business=business, consent=member.consent
            )
            figures = member_figures(member, last_month, seed)
            entries += [
                Entry(business=business, figure=code, month=month, value=value)
                for month, values in figures.items()
                for code, value in values.items()
            ]
            tracked += [
                TrackedKpi(business=business, kpi=code, position=index)
                for index, code in enumerate(PROGRAMME_KPIS)
            ]
            targets.append(
                Target(
                    business=business,
                    kpi="revenue",
                    comparison="at_least",
                    value=Decimal(round(member.revenue * 1.15, -1)),
                    first_month=min(figures),
                    deadline=add_months(last_month, 6),
                )
            )
        Entry.objects.bulk_create(entries)
        TrackedKpi.objects.bulk_create(tracked)
        Target.objects.bulk_create(targets)
        pool = {}
        for email, name, language, languages, sectors, country, capacity in POOL:
            user = self._user(email, name, language, country=country)
            pool[email] = PoolMentor.objects.create(
                programme=programme,
                user=user,
                languages=languages.split(),
                sectors=sectors.split(),
                country=country,
                capacity=capacity,
            )
        # Nadia (Arabic, food, France) is proposed to Lina's Pastries; Lina has not answered.
        Proposal.objects.create(
            membership=CohortMembership.objects.get(business__name="Lina's Pastries"),
            mentor=pool["nadia@demo.example"],
            proposed_by=coordinator,
        )

    def _goals(self, business: Business, *, year_start: date) -> None:
        """Two goals with their targets: one ramping revenue up, two keeping customers."""
        income = Goal.objects.create(
            business=business,
            title="Earn €4,000 a month from the kitchen",
            deadline=add_months(year_start, 17),
            description="Enough to stop my part-time job.",
        )
        happy = Goal.objects.create(
            business=business,
            title="Keep customers happy and coming back",
            deadline=add_months(year_start, 11),
        )
        Target.objects.create(
            business=business,
            kpi="revenue",
            goal=income,
            comparison="at_least",
            value=Decimal(4000),
            baseline=Decimal(2600),
            first_month=year_start,
            deadline=income.deadline,
        )
        Target.objects.create(
            business=business,
            kpi="csat",
            goal=happy,
            comparison="at_least",
            value=Decimal(80),
            first_month=year_start,
            deadline=happy.deadline,
        )
        Target.objects.create(
            business=business,
            kpi="churn_rate",
            goal=happy,
            comparison="at_most",
            value=Decimal(8),
            first_month=year_start,
            deadline=happy.deadline,
        )

    def _user(self, email: str, name: str, language: str, country: str = "be") -> User:
        region = "flanders" if country == "be" else ""
        user, _created = User.objects.get_or_create(
            email=email,
            defaults={"name": name, "language": language, "country": country, "region": region},
        )
        user.set_password(PASSWORD)
        user.save()
        return user
