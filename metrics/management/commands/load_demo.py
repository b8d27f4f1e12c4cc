"""Create (or re-create) the demo entrepreneur, her business and her mentor."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from metrics.demo import DEMO_KPIS, demo_figures
from metrics.engine.periods import add_months
from metrics.models.business import Business, TrackedKpi
from metrics.models.entries import Entry
from metrics.models.goals import Goal, Target
from metrics.models.mentoring import Mentorship
from metrics.programmes.summaries import summaries_rebuild

ENTREPRENEUR = "samira@demo.example"
MENTOR = "marc@demo.example"
PASSWORD = "try the demo"


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
        # The rows above went in without signals: the programme dashboard's summaries after them.
        summaries_rebuild([business.pk])
        self.stdout.write(
            f"Demo ready. Entrepreneur: {ENTREPRENEUR} / Mentor: {MENTOR} "
            f"(password for both: {PASSWORD})"
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

    def _user(self, email: str, name: str, language: str) -> User:
        user, _created = User.objects.get_or_create(
            email=email,
            defaults={"name": name, "language": language, "country": "be", "region": "flanders"},
        )
        user.set_password(PASSWORD)
        user.save()
        return user
