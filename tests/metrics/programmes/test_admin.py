"""Staff set a programme up in the admin: its coordinators and cohorts on one page."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import User
from metrics.models.programmes import Cohort, Coordinator, Programme
from tests.base import PASSWORD, BaseTestCase
from tests.metrics.programmes.helpers import make_programme, member_business


class ProgrammeAdminTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.staff = User.objects.create_superuser("staff@example.org", PASSWORD)
        cls.programme = make_programme(cls.bob)
        cls.cohort = Cohort.objects.create(programme=cls.programme, name="Ghent", country="be")
        member_business(cls.cohort, "Amal")

    def setUp(self) -> None:
        self.client.force_login(self.staff)

    def test_staff_create_a_programme_with_a_coordinator_and_a_cohort(self) -> None:
        data = {
            "name": "Fresh Start",
            "countries": '["nl"]',
            "languages": '["nl", "ar"]',
            "start": "2027-01-01",
            "end": "",
            "coordinators-TOTAL_FORMS": "1",
            "coordinators-INITIAL_FORMS": "0",
            "coordinators-0-user": str(self.alice.pk),
            "cohorts-TOTAL_FORMS": "1",
            "cohorts-INITIAL_FORMS": "0",
            "cohorts-0-name": "Utrecht",
            "cohorts-0-country": "nl",
        }
        response = self.client.post(reverse("admin:metrics_programme_add"), data)
        self.assertEqual(response.status_code, 302)
        programme = Programme.objects.get(name="Fresh Start")
        self.assertEqual(programme.languages, ["nl", "ar"])
        self.assertTrue(Coordinator.objects.filter(programme=programme, user=self.alice).exists())
        cohort = Cohort.objects.get(programme=programme)
        self.assertEqual((cohort.name, cohort.country, cohort.link_hash), ("Utrecht", "nl", None))

    def test_memberships_are_shown_but_not_changed(self) -> None:
        changelist = self.client.get(reverse("admin:metrics_cohortmembership_changelist"))
        self.assertContains(changelist, "Amal")
        self.assertEqual(
            self.client.get(reverse("admin:metrics_cohortmembership_add")).status_code, 403
        )

    def test_the_pool_lists(self) -> None:
        response = self.client.get(reverse("admin:metrics_poolmentor_changelist"))
        self.assertEqual(response.status_code, 200)
