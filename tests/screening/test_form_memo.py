"""Matches of a query form read off a name, remembered (``NameMatcher._form_steps``).

A numbered repeat of a name ("Acme Co., Ltd. 123456") has forms without its
number (the short name "Acme Co."): their matches are made once and handed to
every repeat. These tests hold them to the matches of a matcher meeting each name
first.
"""

from __future__ import annotations

import random
from typing import Any

from chipgate.screening.index import ScreeningIndex
from chipgate.screening.matcher import Match, NameMatcher, _letters_only, query_forms
from chipgate.screening.normalize import normalize

from .counting import Counting


def _matched(matches: list[Match]) -> list[tuple[str, str, float, Any]]:
    return [(m.entry.entry_id, m.matched_name, m.score, m.features) for m in matches]


def _names(index: ScreeningIndex) -> list[str]:
    """Listed names and made-up ones, each with a company form and numbers after."""
    rng = random.Random(5)
    listed = rng.sample(index.name_text, 40)
    words = [w for w in index.vocabulary if w.isalpha() and len(w) > 3]
    made = [" ".join(w.capitalize() for w in rng.sample(words, 2)) for _ in range(40)]
    return [
        f"{base} Co., Ltd.{number}"
        for base in listed + made
        for number in ("", " 123456", " 654321", " 1000")
    ]


def test_repeats_get_the_matches_of_a_matcher_meeting_each_name_first(
    real_index: ScreeningIndex,
) -> None:
    remembering = NameMatcher(real_index)
    counts = remembering._forms = Counting()
    for name in _names(real_index):
        # the country and the floor are the caller's: each its own answer
        for country, floor in ((None, 0.5), ("CN", 0.5), (None, 0.8)):
            fresh = NameMatcher(real_index).match(name, country, floor)
            found = remembering.match(name, country, floor)
            assert _matched(found) == _matched(fresh), (name, country, floor)
    assert counts.asked > 300
    assert counts.found > counts.asked / 2  # most were remembered


def test_only_forms_read_off_a_name_in_letters_alone_are_remembered() -> None:
    assert _letters_only(normalize("Acme Co., Ltd."))
    assert not _letters_only(normalize("Acme Co., Ltd. 123456"))
    assert not _letters_only(normalize("Acme 7 Co"))
    readings = [reading for _, reading in query_forms("Acme Co., Ltd. 123456")]
    assert readings[0] == ""  # the name as written: never remembered
    assert any(readings[1:])
