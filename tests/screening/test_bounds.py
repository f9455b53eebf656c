"""Bounds on a listed name's score (``bounds.py``): never below the score, and
a query whose candidates fall below the floor by the bound is not scored against
them, with the same matches as a matcher that scores every candidate."""

from __future__ import annotations

import random
from typing import Any

import pytest

from chipgate.screening import companies
from chipgate.screening import matcher as matcher_module
from chipgate.screening.bounds import (
    BOUND_MARGIN,
    ExactWords,
    below_floor,
    exact_bound,
    exact_key,
)
from chipgate.screening.index import ScreeningIndex
from chipgate.screening.matcher import Match, NameMatcher
from chipgate.screening.normalize import NormalizedName, name_variant_key

from .counting import Calls

# Names in Hangul and Chinese characters: listed persons (Kim Jong Un, Choe
# Ryong Hae, Kim Yo Jong, Zhang Wei, Kim Yong Chol, Ri Su Yong) and others.
SYLLABIC_NAMES = (
    "김정은",
    "최룡해",
    "김여정",
    "张伟",
    "김영철",
    "리수용",
    "리병철",
    "金正恩",
    "王建国",
    "朴正天",
    "민석 박",
    "惠美 林",
    "淑珍 建军 高",
    "李娟 梅",
    "정숙 이",
    "张 伟",
    "华为技术有限公司",
    "長安海連技術有限公司",
    "華信船務(香港)有限公司",
    "国防科技大学",
    "中国电子科技集团公司",
    "中芯国际集成电路制造有限公司",
    "北京航空航天大学",
    "조선광선은행",
)


def _matched(matches: list[Match]) -> list[tuple[str, str, float, Any]]:
    return [(m.entry.entry_id, m.matched_name, m.score, m.features) for m in matches]


def _variant(word: str, rng: random.Random, spellings: dict[str, list[str]]) -> str:
    """Another spelling of ``word`` in its name variant group, when it has one."""
    key = name_variant_key(word)
    others = spellings.get(key or "", [])
    return rng.choice(others) if others else word


def _queries(
    listed: tuple[str, ...], rng: random.Random, spellings: dict[str, list[str]]
) -> list[tuple[str, ...]]:
    """Queries made from a listed name: itself, words dropped, turned round,
    other spellings, two words written together, one split, a word added."""
    words = list(listed)
    made = [tuple(words), tuple(reversed(words)), tuple(words[1:]), tuple(words[:-1])]
    made.append(tuple(_variant(w, rng, spellings) for w in words))
    if len(words) >= 2:
        at = rng.randrange(len(words) - 1)
        made.append((*words[:at], words[at] + words[at + 1], *words[at + 2 :]))
    long_ = [i for i, w in enumerate(words) if len(w) >= 4]
    if long_:
        at = rng.choice(long_)
        cut = rng.randrange(2, len(words[at]) - 1)
        made.append(
            (*words[:at], words[at][:cut], words[at][cut:], *words[at + 1 :])
        )
    made.append((*words, rng.choice(("kim", "li", "mohammed", "ivanovich"))))
    return [q for q in made if q]


def test_the_letter_for_letter_bound_is_never_below_the_person_score(
    real_index: ScreeningIndex,
) -> None:
    matcher = NameMatcher(real_index)
    rng = random.Random(7)
    spellings: dict[str, list[str]] = {}
    for word in real_index.vocabulary:
        key = name_variant_key(word)
        if key is not None:
            spellings.setdefault(key, []).append(word)
    persons = [
        i for i, person in enumerate(real_index.name_person.tolist()) if person
    ]
    weigh = real_index.weight
    checked = high = 0
    for name_id in rng.sample(persons, 1500):
        listed = real_index.name_norm[name_id]
        for tokens in _queries(listed.tokens, rng, spellings):
            query = NormalizedName(tokens, script="syllabic")
            score, _ = matcher.compare_normalized(query, listed, True, query)
            bound = exact_bound(
                ExactWords.of(query.tokens, weigh), ExactWords.of(listed.tokens, weigh)
            )
            # the same weights summed in another order: the last bit may differ
            assert bound + BOUND_MARGIN >= score, (tokens, listed.tokens, bound)
            checked += 1
            high += score >= 0.8
    assert checked > 10_000
    assert high > 2_000  # the bound holds where it matters: at the floor


def test_words_of_one_name_variant_group_share_a_key() -> None:
    assert exact_key("aleksandr") == exact_key("alexander")
    # "zhang" and "chang" share one (Wade-Giles): ``two_syllables`` parts them
    assert exact_key("zhang") == exact_key("chang")
    assert exact_key("jong") != exact_key("un")
    assert exact_key("qqqzzz") == "qqqzzz"


def test_unshared_words_bound_the_score_below_the_floor() -> None:
    def weigh(word: str) -> float:
        return {"kim": 2.0, "li": 2.0}.get(word, 10.0)

    query = ExactWords.of(("kim", "jong", "un"), weigh)
    assert exact_bound(query, ExactWords.of(("kim", "jong", "un"), weigh)) == 1.0
    assert exact_bound(query, ExactWords.of(("kim", "jongun"), weigh)) == 1.0
    assert exact_bound(query, ExactWords.of(("ri", "man", "gon"), weigh)) == 0.0
    shared = exact_bound(query, ExactWords.of(("kim", "yo", "jong"), weigh))
    assert shared == pytest.approx(12.0 / 22.0)


def _organisation_queries(
    listed: NormalizedName, rng: random.Random
) -> list[NormalizedName]:
    """A listed organisation's name as a query in Chinese characters would
    read: as it is, a word dropped, two written together, a company form
    added or taken away, a word of another name added."""
    words = list(listed.tokens)
    made = [words, words[1:], words[:-1], [*words, rng.choice(("group", "kim"))]]
    if len(words) >= 2:
        at = rng.randrange(len(words) - 1)
        made.append([*words[:at], words[at] + words[at + 1], *words[at + 2 :]])
    forms = [(), ("co", "ltd"), listed.org_forms]
    return [
        NormalizedName(tuple(w), org_forms=rng.choice(forms), script="syllabic")
        for w in made
        if w
    ]


def test_the_letter_for_letter_bound_is_never_below_the_organisation_score(
    real_index: ScreeningIndex,
) -> None:
    matcher = NameMatcher(real_index)
    rng = random.Random(11)
    organisations = [
        i for i, person in enumerate(real_index.name_person.tolist()) if not person
    ]
    checked = high = 0
    for name_id in rng.sample(organisations, 1500):
        listed = real_index.name_norm[name_id]
        for query in _organisation_queries(listed, rng):
            score, features = matcher._compare_organisation(query, listed, name_id)
            q, c, light, _ = companies.prepared(query, listed, matcher.rare)
            brand = q
            q, _ = companies.vowel_variants(q, c)
            forms = matcher.listed_forms(name_id) if c == listed else c
            weigh = companies.weigher(real_index.weight, light)
            bound = matcher._organisation_bound(q, forms, weigh)
            if any(companies.BRAND_ALONE_RULE in f.detail for f in features):
                # a trade name alone, asked apart from the bound before a
                # name is set aside (``_compare_organisation``)
                assert score == companies.BRAND_ALONE
                assert matcher._brand_alone(brand, c, query.script == "syllabic")
                continue
            assert bound + BOUND_MARGIN >= score, (query, listed.tokens, bound)
            checked += 1
            high += score >= 0.8
    assert checked > 6_000
    assert high > 1_000


def test_syllabic_queries_skip_candidates_below_the_floor_with_the_same_matches(
    real_index: ScreeningIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = Calls(matcher_module.person_alignment)
    monkeypatch.setattr(matcher_module, "person_alignment", calls)
    aligned = Calls(matcher_module.token_alignment)
    monkeypatch.setattr(matcher_module, "token_alignment", aligned)
    bounded = NameMatcher(real_index)
    found = {
        (name, floor): _matched(bounded.match(name, None, floor))
        for name in SYLLABIC_NAMES
        for floor in (0.8, 0.5)
    }
    with_bound, organisations = calls.made, aligned.made
    monkeypatch.setattr(NameMatcher, "_below", lambda *_: False)
    monkeypatch.setattr(NameMatcher, "_organisation_bound", lambda *_: 1.0)
    calls.made = aligned.made = 0
    full = NameMatcher(real_index)
    for (name, floor), matches in found.items():
        assert _matched(full.match(name, None, floor)) == matches, (name, floor)
    assert sum(1 for m in found.values() if m) >= 12  # matches among them
    assert with_bound < calls.made / 2  # most candidates were never scored
    assert organisations < aligned.made / 2


@pytest.mark.parametrize(
    ("bound", "floor", "below"),
    [
        (0.89996, 0.9, False),  # a score this high is reported 0.9000 and kept
        (0.89994, 0.9, True),  # every score at most this is reported 0.8999
        (0.8999499999999, 0.9, False),  # the margin: the last bit of the sum
        (0.5, 0.9, True),
        (0.9, 0.9, False),
    ],
)
def test_a_bound_skips_only_what_the_rounded_floor_drops(
    bound: float, floor: float, below: bool
) -> None:
    """The matcher keeps a score whose reported (rounded) value meets the floor
    (``rounded_floor``), so a bound skips a candidate only when the bound
    itself rounds below the floor: 0.89996 against a floor of 0.9 might be a
    0.89996 score, which is a 0.90 match."""
    assert below_floor(bound, floor) is below
