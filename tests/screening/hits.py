"""The check that a query is a hit on a listed name by a named rule."""

from __future__ import annotations

from chipgate.screening.features import ABJAD
from chipgate.screening.matcher import Match
from chipgate.screening.normalize import normalize_person
from chipgate.screening.screener import Screener

HIT = 0.90  # the screener's hit threshold (``real_screener``)


def hit_by(
    screener: Screener, query: str, listed: str, rule: str, best: bool = False
) -> Match:
    """The match of ``query`` on ``listed``, checked a hit that the
    explanation says ``rule`` gave; with ``best``, also the first match."""
    found = screener.matches(query)
    named = {m.matched_name: m for m in reversed(found)}
    assert listed in named, (query, [m.matched_name for m in found])
    match = named[listed]
    if best:
        assert found[0].matched_name == listed
    assert match.score >= HIT, (query, match.score)
    assert rule in match.explanation()
    return match


def person_detail(screener: Screener, query: str, listed: str) -> str:
    """What the person rules say of ``query`` (its best reading) against the
    person name ``listed``, as a match's explanation would."""
    candidate = normalize_person(listed)
    found = [
        screener.matcher.compare_normalized(form, candidate, True)[1][0]
        for form, _ in screener.matcher.forms(query)
    ]
    return max(found, key=lambda feature: feature.score).detail


REVIEW = 0.80  # the screener's review threshold (``real_screener``)


def on_consonants_for_review(
    screener: Screener, written: str, listed: str, person: bool = True
) -> None:
    """Check that a name written in Arabic script meets ``listed`` as a
    possible match for review, and no more: consonants alone are never a hit
    (``features.ABJAD``)."""
    score = screener.matcher.compare(written, listed, person)
    assert REVIEW <= score <= ABJAD, (written, listed, score)


def offered(screener: Screener, query: str) -> set[int]:
    """The ids of the listed names screening ``query`` scores: those its
    ranking offers for each of its forms at the review threshold."""
    matcher = screener.matcher
    return {
        name_id
        for form, _ in matcher.forms(query)
        for name_id in matcher.retrieve(form, screener.review_threshold)
    }
