"""Numbers in names: the short cuts taken for them give what the rules give.

A large batch's names carry numbers (registration numbers, branch numbers) that no
list holds; the matcher answers for them without trying every rule
(``tokens.apart``). These tests hold the short cuts to the rules as written.
"""

from __future__ import annotations

import random

import pytest

from chipgate.screening import features, tokens
from chipgate.screening.index import ScreeningIndex
from chipgate.screening.matcher import _resplit
from chipgate.screening.screener import Screener


def _pairs(index: ScreeningIndex) -> list[tuple[str, str]]:
    rng = random.Random(4)
    numbers = [w for w in index.vocabulary if w.isdecimal()]
    numbers += [str(rng.randrange(10**k)) for k in range(1, 8) for _ in range(20)]
    letters = [w for w in index.vocabulary if w.isalpha()]
    # persons' words and words starting with the article, for the person rules
    chosen = rng.sample(letters, 300) + [w for w in letters if w.startswith("al")][:100]
    chosen += ["a", "i", "o", "al", "alla", "dh", "eun", "oo", "mohammed"]
    return [(n, w) for n in rng.sample(numbers, 60) for w in chosen]


def _answers(pairs: list[tuple[str, str]]) -> list[tuple[tuple[float, str], ...]]:
    """Every similarity of each pair, both ways round, as the rules give it
    (``lru_cache`` bypassed)."""
    plain_token = tokens.token_similarity.__wrapped__
    plain_person = features.person_token_similarity.__wrapped__
    found = []
    for a, b in pairs:
        row = [plain_token(a, b), plain_token(b, a)]
        for x, y in ((a, b), (b, a)):
            for fuzzy in (True, False):
                for abjad in (True, False):
                    row.append(plain_person(x, y, fuzzy, abjad))
        found.append(tuple(row))
    return found


def test_digits_against_letters_agree_as_through_every_rule(
    real_index: ScreeningIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    pairs = _pairs(real_index)
    assert all(tokens.apart(a, b) for a, b in pairs)
    assert all(tokens.apart(b, a) for a, b in pairs)
    fast = _answers(pairs)
    monkeypatch.setattr(tokens, "apart", lambda a, b: False)
    monkeypatch.setattr(features, "apart", lambda a, b: False)
    tokens.token_similarity.cache_clear()
    features.person_token_similarity.cache_clear()
    try:
        slow = _answers(pairs)
    finally:
        tokens.token_similarity.cache_clear()
        features.person_token_similarity.cache_clear()
    assert fast == slow
    assert all(r == (0.0, "") for row in slow for r in row)


def test_apart_is_digits_against_letters_only() -> None:
    assert tokens.apart("2811", "road")
    assert tokens.apart("road", "2811")
    assert not tokens.apart("2811", "28a")  # a letter and digits: not apart
    assert not tokens.apart("a1", "b")
    assert not tokens.apart("12", "34")
    assert not tokens.apart("", "road")


def test_a_word_and_a_number_split_again_as_the_plain_loop(
    real_screener: Screener,
) -> None:
    """A word and the number after it, cut again elsewhere (``_resplit``): the
    matcher's early answer gives what trying every cut gives, on listed words
    written letters then digits cut at every place, and on listed words with
    numbers no list holds."""
    matcher = real_screener.matcher
    vocabulary = real_screener.index.postings
    rng = random.Random(7)
    mixed = [w for w in vocabulary if any(c.isdigit() for c in w) and w[0].isalpha()]
    assert len(mixed) > 50
    pairs = {(w[:i], w[i:]) for w in mixed for i in range(1, len(w))}
    pairs |= {(w + "x", "1" + w) for w in mixed}  # joined, cut elsewhere
    letters = [w for w in vocabulary if w.isalpha()]
    pairs |= {
        (rng.choice(letters), str(rng.randrange(10**k)))
        for k in range(1, 8)
        for _ in range(300)
    }
    found = 0
    for a, b in sorted(pairs):
        plain = _resplit(a, b, vocabulary)
        assert matcher._resplit(a, b) == plain, (a, b)
        found += bool(plain)
    assert found > 5  # pairs that do split again, not only empty answers
