"""Which pool mentors to suggest for a mentee: plain data in, an ordered list out.

What counts, most first: a shared language (a mentor who cannot talk with the mentee helps
little), the same sector, the same country (its rules and its banks); between equals, the mentor
with more free places, so the work is spread. A mentor who is full or not taking mentees is
never suggested, however good the fit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

LANGUAGE, SECTOR, COUNTRY = "language", "sector", "country"
WEIGHTS = {LANGUAGE: 4, SECTOR: 2, COUNTRY: 1}
SUGGESTIONS = 3


@dataclass(frozen=True, slots=True)
class Mentee:
    language: str
    sector: str  # empty when the business has not said
    country: str


@dataclass(frozen=True, slots=True)
class Candidate:
    id: int
    languages: frozenset[str]
    sectors: frozenset[str]
    country: str
    capacity: int
    taken: int  # active mentees, and proposals still waiting for an answer
    active: bool = True

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.taken)


@dataclass(frozen=True, slots=True)
class Suggestion:
    mentor_id: int
    score: int
    reasons: tuple[str, ...]  # LANGUAGE, SECTOR, COUNTRY: what the mentor shares with the mentee
    free: int


def shared(mentee: Mentee, candidate: Candidate) -> tuple[str, ...]:
    """What the candidate has in common with the mentee, in the order of WEIGHTS."""
    found = {
        LANGUAGE: mentee.language in candidate.languages,
        SECTOR: bool(mentee.sector) and mentee.sector in candidate.sectors,
        COUNTRY: mentee.country == candidate.country,
    }
    return tuple(reason for reason in WEIGHTS if found[reason])


def rank_mentors(
    mentee: Mentee, candidates: Iterable[Candidate], limit: int = SUGGESTIONS
) -> list[Suggestion]:
    """The best ``limit`` candidates with a free place, best first; ties go to the lower id."""
    suggestions = []
    for candidate in candidates:
        if not candidate.active or candidate.free <= 0:
            continue
        reasons = shared(mentee, candidate)
        score = sum(WEIGHTS[reason] for reason in reasons)
        suggestions.append(Suggestion(candidate.id, score, reasons, candidate.free))
    suggestions.sort(key=lambda s: (-s.score, -s.free, s.mentor_id))
    return suggestions[:limit]
