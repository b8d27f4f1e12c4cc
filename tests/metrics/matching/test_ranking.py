"""The ranking of pool mentors, against orders worked out by hand."""

from __future__ import annotations

from unittest import TestCase

from metrics.matching.ranking import (
    COUNTRY,
    LANGUAGE,
    SECTOR,
    Candidate,
    Mentee,
    Suggestion,
    rank_mentors,
)


def candidate(
    id: int,
    languages: str = "",
    sectors: str = "",
    country: str = "be",
    capacity: int = 2,
    taken: int = 0,
    active: bool = True,
) -> Candidate:
    return Candidate(
        id,
        frozenset(languages.split()),
        frozenset(sectors.split()),
        country,
        capacity,
        taken,
        active,
    )


class RankingTests(TestCase):
    # An Arabic-speaking caterer in Antwerp.
    samira = Mentee(language="ar", sector="food", country="be")

    def test_language_outweighs_sector_and_country_together(self) -> None:
        # 1: language only = 4. 2: sector and country = 2 + 1 = 3. 3: all three = 7.
        ranked = rank_mentors(
            self.samira,
            [
                candidate(1, "ar en", "retail", "fr"),
                candidate(2, "nl", "food", "be"),
                candidate(3, "ar fr", "food crafts", "be"),
            ],
        )
        self.assertEqual(
            ranked,
            [
                Suggestion(3, 7, (LANGUAGE, SECTOR, COUNTRY), 2),
                Suggestion(1, 4, (LANGUAGE,), 2),
                Suggestion(2, 3, (SECTOR, COUNTRY), 2),
            ],
        )

    def test_sector_outweighs_country(self) -> None:
        ranked = rank_mentors(
            self.samira, [candidate(1, "en", "", "be"), candidate(2, "en", "food", "fr")]
        )
        self.assertEqual([(s.mentor_id, s.score) for s in ranked], [(2, 2), (1, 1)])

    def test_between_equals_the_mentor_with_more_free_places_comes_first(self) -> None:
        # Both score 5 (language + country); 1 has 3 − 2 = 1 free, 2 has 4 − 1 = 3 free.
        ranked = rank_mentors(
            self.samira,
            [candidate(1, "ar", capacity=3, taken=2), candidate(2, "ar", capacity=4, taken=1)],
        )
        self.assertEqual([(s.mentor_id, s.free) for s in ranked], [(2, 3), (1, 1)])

    def test_full_or_paused_mentors_are_never_suggested(self) -> None:
        ranked = rank_mentors(
            self.samira,
            [
                candidate(1, "ar", "food", capacity=2, taken=2),
                candidate(2, "ar", "food", capacity=1, taken=3),
                candidate(3, "ar", "food", active=False),
                candidate(4, "uk", "digital", "fr"),
            ],
        )
        self.assertEqual(ranked, [Suggestion(4, 0, (), 2)])

    def test_a_business_without_a_sector_matches_no_mentor_on_sector(self) -> None:
        mentee = Mentee(language="fr", sector="", country="fr")
        (only,) = rank_mentors(mentee, [candidate(7, "fr", "food", "fr")])
        self.assertEqual((only.score, only.reasons), (5, (LANGUAGE, COUNTRY)))

    def test_at_most_three_by_default_ties_to_the_lower_id(self) -> None:
        ranked = rank_mentors(self.samira, [candidate(i, "nl") for i in (9, 4, 6, 2, 8)])
        self.assertEqual([s.mentor_id for s in ranked], [2, 4, 6])
        self.assertEqual(len(rank_mentors(self.samira, [candidate(1)], limit=0)), 0)
