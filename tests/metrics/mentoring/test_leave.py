"""A mentor ends their own access to a business; the owner's record of access shows it."""

from __future__ import annotations

from django.urls import reverse

from metrics.models.mentoring import Mentorship, MentorshipEvent
from tests.base import BaseTestCase
from tests.metrics.factories import make_business, make_mentor


class MentorLeaveTests(BaseTestCase):
    def setUp(self) -> None:
        self.business = make_business(self.alice)
        self.mentorship = make_mentor(self.business, self.bob)
        self.url = reverse("metrics:mentorship_leave", args=[self.business.pk])

    def leave(self, user=None):
        self.client.force_login(user or self.bob)
        return self.client.post(self.url)

    def test_the_mentor_leaves_and_goes_back_to_their_mentees(self) -> None:
        response = self.leave()
        self.assertRedirects(
            response, reverse("metrics:mentor_home"), fetch_redirect_response=False
        )
        self.mentorship.refresh_from_db()
        self.assertIsNotNone(self.mentorship.revoked_at)
        home = self.client.get(reverse("metrics:mentor_home"))
        self.assertContains(home, "You no longer mentor Amal&#x27;s Kitchen")
        self.assertEqual(home.context["rows"], [])

    def test_the_next_request_to_the_business_is_not_found(self) -> None:
        dashboard = reverse("metrics:dashboard", args=[self.business.pk])
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(dashboard).status_code, 200)
        self.leave()
        self.assertEqual(self.client.get(dashboard).status_code, 404)
        self.assertEqual(self.client.post(self.url).status_code, 404)

    def test_it_is_recorded_like_a_revocation_by_the_mentor(self) -> None:
        self.leave()
        event = MentorshipEvent.objects.get()
        self.assertEqual(event.kind, MentorshipEvent.Kind.REVOKED)
        self.assertEqual((event.mentor, event.actor), (self.bob, self.bob))
        self.assertEqual(event.actor_name, "Bob Janssens <bob@example.org>")
        self.assertEqual(event.mentorship, self.mentorship)

    def test_the_owner_sees_it_in_the_record_of_access(self) -> None:
        self.leave()
        self.client.force_login(self.alice)
        response = self.client.get(reverse("metrics:mentors", args=[self.business.pk]))
        self.assertEqual(response.context["active"], [])
        (event,) = response.context["events"]
        self.assertEqual(event.actor, self.bob)
        self.assertContains(response, "Access revoked")
        self.assertContains(response, "Bob Janssens &lt;bob@example.org&gt;", count=2)

    def test_it_only_accepts_post(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(self.url).status_code, 405)
        self.assertIsNone(Mentorship.objects.get().revoked_at)

    def test_it_requires_log_in(self) -> None:
        response = self.client.post(self.url)
        self.assertRedirects(
            response, f"{reverse('accounts:login')}?next={self.url}", fetch_redirect_response=False
        )

    def test_a_stranger_and_a_former_mentor_get_not_found(self) -> None:
        make_mentor(self.business, self.charlie, revoked=True)
        self.assertEqual(self.leave(self.charlie).status_code, 404)
        self.client.logout()
        other = make_business(self.charlie, name="Yonas Bikes")
        self.client.force_login(self.bob)
        url = reverse("metrics:mentorship_leave", args=[other.pk])
        self.assertEqual(self.client.post(url).status_code, 404)
        self.assertFalse(MentorshipEvent.objects.exists())

    def test_the_owner_has_nothing_to_leave(self) -> None:
        response = self.leave(self.alice)
        self.assertRedirects(
            response,
            reverse("metrics:dashboard", args=[self.business.pk]),
            fetch_redirect_response=False,
        )
        self.assertIsNone(Mentorship.objects.get().revoked_at)
        self.assertFalse(MentorshipEvent.objects.exists())

    def test_it_ends_only_this_mentors_access(self) -> None:
        make_mentor(self.business, self.charlie)
        self.leave()
        active = Mentorship.objects.filter(revoked_at__isnull=True)
        self.assertEqual([m.mentor for m in active], [self.charlie])

    def test_the_mentees_page_has_a_button_for_each_business(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(reverse("metrics:mentor_home"))
        self.assertContains(response, f'action="{self.url}"')
        self.assertContains(response, "Stop mentoring")
        self.assertContains(response, '<span class="visually-hidden">: Amal&#x27;s Kitchen</span>')
