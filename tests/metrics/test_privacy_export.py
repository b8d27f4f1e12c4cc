"""The download of everything a user put in: one zip, only theirs, checked against the database."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import formats, timezone, translation

from accounts.personal_data import export_files
from metrics.businesses.selectors import business_engine, business_figures
from metrics.comments.labels import comment_where, kpi_names
from metrics.dashboard.review import tracked_kpis_set
from metrics.engine import MonthlyFigures
from metrics.files.csv import read_figures_csv, write_figures_csv
from metrics.imports.mapping import mapping_remember
from metrics.mentoring.invitations import invitation_create
from metrics.models.business import CustomFigure, CustomKpi
from metrics.models.comments import Comment
from metrics.models.goals import Goal, Target
from metrics.models.reviews import QuarterlyReview
from metrics.months.services import entries_save_month
from metrics.privacy import business_folder
from tests.base import BaseTestCase
from tests.metrics.factories import make_business, make_mentor

MARCH, APRIL = date(2025, 3, 1), date(2025, 4, 1)


class ExportTestCase(BaseTestCase):
    """Alice owns a business Bob mentors; she mentors Charlie's business too."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.business = make_business(cls.alice, name="Amal's Kitchen")
        CustomFigure.objects.create(business=cls.business, code="catering", name="Catering")
        CustomKpi.objects.create(
            business=cls.business,
            code="catering_share",
            name="Catering share",
            formula="catering / revenue",
            unit="ratio",
        )
        tracked_kpis_set(business=cls.business, codes=["revenue", "catering_share"])
        cls.business.tracked_kpis.filter(kpi="revenue").update(why="To pay myself a wage")
        for month, revenue in ((MARCH, "900.50"), (APRIL, "1200")):
            entries_save_month(
                business=cls.business,
                month=month,
                values={"revenue": Decimal(revenue), "catering": Decimal(300)},
                user=cls.alice,
            )
        entries_save_month(
            business=cls.business, month=APRIL, values={"revenue": Decimal(1250)}, user=cls.alice
        )
        cls.goal = Goal.objects.create(
            business=cls.business, title="Pay myself", deadline=date(2025, 12, 1)
        )
        Target.objects.create(
            business=cls.business,
            kpi="revenue",
            goal=cls.goal,
            value=Decimal(1000),
            first_month=date(2025, 1, 1),
            deadline=date(2025, 12, 1),
        )
        QuarterlyReview.objects.create(
            business=cls.business, quarter="2025-Q1", reflection="Lunch menus sold well."
        )
        mapping_remember(
            business=cls.business, kind="ledger", names=["Quand", "Qui", "Payé", "Caisse"],
            mapping=["date", "customer", "amount", ""],
        )  # fmt: skip
        make_mentor(cls.business, cls.bob)
        Comment.objects.create(
            business=cls.business, author=cls.alice, on="month", subject="2025-03", body="Own note"
        )
        Comment.objects.create(
            business=cls.business, author=cls.bob, on="month", subject="2025-03", body="Bob's tip"
        )
        cls.other = make_business(cls.charlie, name="Yonas Bikes")
        make_mentor(cls.other, cls.alice)
        Comment.objects.create(
            business=cls.other, author=cls.alice, on="kpi", subject="revenue", body="Alice advises"
        )
        Comment.objects.create(
            business=cls.other, author=cls.charlie, on="month", subject="2025-03", body="Secret"
        )
        cls.invitation, _token = invitation_create(
            business=cls.business, invited_by=cls.alice, email="mentor@example.org"
        )

    def download(self, user=None) -> zipfile.ZipFile:
        self.client.force_login(user or self.alice)
        response = self.client.get(reverse("accounts:export"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/zip")
        self.assertIn("attachment;", response["Content-Disposition"])
        self.assertIn(".zip", response["Content-Disposition"])
        return zipfile.ZipFile(io.BytesIO(response.content))

    def text(self, archive: zipfile.ZipFile, name: str) -> str:
        return archive.read(name).decode("utf-8")

    def json(self, archive: zipfile.ZipFile, name: str) -> Any:
        return json.loads(self.text(archive, name))


class ExportAccessTests(ExportTestCase):
    def test_it_requires_log_in(self) -> None:
        url = reverse("accounts:export")
        self.assertRedirects(self.client.get(url), f"{reverse('accounts:login')}?next={url}")

    def test_it_is_a_download_not_a_form(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.client.post(reverse("accounts:export")).status_code, 405)

    def test_it_is_never_cached(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("accounts:export"))
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("private", response["Cache-Control"])

    def test_another_user_gets_only_their_own_data(self) -> None:
        archive = self.download(self.charlie)
        folder = business_folder(self.other)
        self.assertIn(f"{folder}/business.json", archive.namelist())
        self.assertNotIn(f"{business_folder(self.business)}/business.json", archive.namelist())
        everything = "".join(self.text(archive, name) for name in archive.namelist())
        for foreign in ("Amal's Kitchen", "Own note", "Alice advises", "Lunch menus"):
            self.assertNotIn(foreign, everything)
        self.assertEqual(self.json(archive, "profile.json")["email"], "charlie@example.org")

    def test_the_profile_page_links_to_it_and_to_deletion(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("accounts:profile"))
        self.assertContains(response, reverse("accounts:export"))
        self.assertContains(response, reverse("accounts:delete"))


class ExportContentsTests(ExportTestCase):
    def test_it_holds_every_documented_file(self) -> None:
        folder = business_folder(self.business)
        self.assertEqual(
            sorted(self.download().namelist()),
            sorted(
                [
                    "README.txt",
                    "profile.json",
                    "comments.json",
                    "mentorships.json",
                    "invitations.json",
                    "programmes.json",
                    f"{folder}/business.json",
                    f"{folder}/figures.csv",
                    f"{folder}/kpis-month.csv",
                    f"{folder}/kpis-quarter.csv",
                    f"{folder}/kpis-year.csv",
                    f"{folder}/history.json",
                ]
            ),
        )
        self.assertEqual(folder, f"businesses/amals-kitchen-{self.business.pk}")

    def test_the_readme_explains_each_file(self) -> None:
        readme = self.text(self.download(), "README.txt")
        for name in (
            "profile.json",
            "comments.json",
            "mentorships.json",
            "invitations.json",
            "programmes.json",
            "business.json",
            "figures.csv",
            "kpis-quarter.csv",
            "history.json",
            business_folder(self.business),
        ):
            self.assertIn(name, readme)
        self.assertIn("alice@example.org", readme)
        self.assertNotIn("&#x27;", readme)

    def test_the_readme_is_written_in_the_users_language(self) -> None:
        self.alice.language = "fr"
        self.alice.save()
        readme = export_files(self.alice)["README.txt"]
        with translation.override("fr"):
            today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
        self.assertIn(today, readme.splitlines()[0])
        self.assertEqual(translation.get_language(), "en")

    def test_the_profile(self) -> None:
        profile = self.json(self.download(), "profile.json")
        self.assertEqual(profile["email"], "alice@example.org")
        self.assertEqual(profile["name"], "Alice Haddad")
        self.assertEqual((profile["country"], profile["region"]), ("be", "flanders"))
        self.assertEqual(profile["date_joined"][:10], self.alice.date_joined.date().isoformat())

    def test_the_figures_are_the_documented_file_and_read_back_as_stored(self) -> None:
        archive = self.download()
        folder = business_folder(self.business)
        exported = self.text(archive, f"{folder}/figures.csv")
        months_page = self.client.get(reverse("metrics:export_figures", args=[self.business.pk]))
        self.assertEqual(exported, months_page.content.decode())
        self.assertEqual(exported.splitlines()[0], "month,revenue,catering")
        stored = business_figures(self.business)
        plain = MonthlyFigures(
            {
                month: {code: value.normalize() for code, value in stored[month].items()}
                for month in stored
            }
        )
        self.assertEqual(exported, write_figures_csv(plain, ["revenue", "catering"]))
        read, warnings = read_figures_csv(exported, business_engine(self.business).figures)
        self.assertEqual((read, warnings), (stored, []))

    def test_the_kpi_results_are_the_documented_files(self) -> None:
        archive = self.download()
        folder = business_folder(self.business)
        for kind in ("month", "quarter", "year"):
            url = reverse("metrics:export_kpis", args=[self.business.pk])
            download = self.client.get(url, {"period": kind}).content.decode()
            self.assertEqual(self.text(archive, f"{folder}/kpis-{kind}.csv"), download)
        month = self.text(archive, f"{folder}/kpis-month.csv")
        self.assertIn("2025-03,catering_share,", month)
        self.assertIn("2025-04,revenue,1250", month)

    def test_the_business_with_its_choices_formulas_goals_targets_and_reviews(self) -> None:
        data = self.json(self.download(), f"{business_folder(self.business)}/business.json")
        self.assertEqual(data["business"]["name"], "Amal's Kitchen")
        self.assertEqual(data["business"]["currency"], "EUR")
        self.assertEqual(data["custom_figures"][0]["code"], "catering")
        self.assertEqual(data["custom_kpis"][0]["formula"], "catering / revenue")
        choices = {row["kpi"]: row["why"] for row in data["kpi_choices"]}
        self.assertEqual(choices, {"revenue": "To pay myself a wage", "catering_share": ""})
        self.assertEqual(data["goals"][0]["deadline"], "2025-12-01")
        (target,) = data["targets"]
        self.assertEqual(target["value"], "1000.0000")
        self.assertEqual(target["tolerance"], "0.1000")
        self.assertEqual(target["goal_id"], self.goal.pk)
        self.assertIsNone(target["baseline"])
        self.assertEqual(data["quarterly_reviews"][0]["reflection"], "Lunch menus sold well.")
        (mapping,) = data["import_mappings"]
        self.assertEqual(mapping["kind"], "ledger")
        self.assertEqual(mapping["headers"], ["Quand", "Qui", "Payé", "Caisse"])
        self.assertEqual(mapping["mapping"], ["date", "customer", "amount", ""])

    def test_the_history_of_entries_targets_choices_and_reviews(self) -> None:
        history = self.json(self.download(), f"{business_folder(self.business)}/history.json")
        stored = self.business.entries.model.history.filter(business_id=self.business.pk)
        self.assertEqual(len(history["entries"]), stored.count())
        april = [row for row in history["entries"] if row["month"] == "2025-04-01"]
        revenue = [
            (row["history_type"], row["value"]) for row in april if row["figure"] == "revenue"
        ]
        self.assertEqual(revenue, [("+", "1200.0000"), ("~", "1250.0000")])
        self.assertEqual(april[0]["changed_by"], "Alice Haddad")
        self.assertEqual(len(history["targets"]), 1)
        self.assertEqual(
            {row["kpi"] for row in history["kpi_choices"]}, {"revenue", "catering_share"}
        )
        self.assertEqual(history["quarterly_reviews"][0]["quarter"], "2025-Q1")

    def test_the_comments_the_user_wrote_anywhere_and_no_others(self) -> None:
        comments = self.json(self.download(), "comments.json")
        self.assertEqual(
            [(row["business"], row["body"]) for row in comments],
            [("Amal's Kitchen", "Own note"), ("Yonas Bikes", "Alice advises")],
        )
        self.assertEqual(comments[0]["about"], "Figures for March 2025")
        self.assertEqual(comments[1]["about"], "Revenue")
        self.assertEqual((comments[1]["on"], comments[1]["subject"]), ("kpi", "revenue"))
        written = Comment.objects.get(body="Own note").created
        self.assertEqual(comments[0]["created"][:19], written.isoformat()[:19])

    def test_the_places_are_named_in_the_users_language(self) -> None:
        self.alice.language = "fr"
        self.alice.save()
        comments = json.loads(export_files(self.alice)["comments.json"])
        comment = Comment.objects.select_related("business").get(body="Own note")
        with translation.override("fr"):
            expected = comment_where(comment, kpi_names(business_engine(self.business)))
        self.assertEqual(comments[0]["about"], expected)
        self.assertNotEqual(expected, "Figures for March 2025")

    def test_the_mentorships_on_both_sides(self) -> None:
        mentorships = self.json(self.download(), "mentorships.json")
        (mentor,) = mentorships["as_mentor"]
        self.assertEqual((mentor["business"], mentor["owner"]), ("Yonas Bikes", "Charlie Martin"))
        self.assertIsNone(mentor["revoked_at"])
        (owner,) = mentorships["as_owner"]
        self.assertEqual(
            (owner["business"], owner["mentor"], owner["mentor_email"]),
            ("Amal's Kitchen", "Bob Janssens", "bob@example.org"),
        )
        self.assertIsNotNone(owner["granted_at"])

    def test_the_invitations_the_user_sent_without_their_token(self) -> None:
        archive = self.download()
        (invitation,) = self.json(archive, "invitations.json")
        self.assertEqual(invitation["email"], "mentor@example.org")
        self.assertEqual(invitation["state"], "pending")
        self.assertEqual(invitation["business"], "Amal's Kitchen")
        self.assertNotIn(self.invitation.token_hash, self.text(archive, "invitations.json"))

    def test_a_user_without_a_business_gets_the_account_files(self) -> None:
        names = self.download(self.bob).namelist()
        self.assertEqual(
            sorted(names),
            [
                "README.txt",
                "comments.json",
                "invitations.json",
                "mentorships.json",
                "profile.json",
                "programmes.json",
            ],
        )
        comments = self.json(self.download(self.bob), "comments.json")
        self.assertEqual([row["body"] for row in comments], ["Bob's tip"])
