"""Candidate ranking: the array path and the one-by-one path agree with the plain loop.

The plain loop below is the ranking as first written (a dict of sums, every
candidate's words read); the fast paths must give the very same ids in the very same
order, since the matcher keeps the first of equal scores.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import replace
from itertools import pairwise
from typing import Any

import numpy as np
import pytest

from chipgate.screening import name_groups, retrieval
from chipgate.screening.abjad_letters import abjad_keys, short_keys
from chipgate.screening.features import fold_person, transliteration
from chipgate.screening.generations import Generations
from chipgate.screening.index import (
    JOINED_TRANSLITERATION_MIN,
    SHORT_POSTING_LETTERS,
    SPLIT_MIN,
    Posting,
    ScreeningIndex,
)
from chipgate.screening.matcher import (
    NameMatcher,
    _resplit,
    query_forms,
)
from chipgate.screening.normalize import NormalizedName, normalize, person_form
from chipgate.screening.retrieval import Ranker
from chipgate.screening.screener import Screener
from chipgate.screening.scripts import consonant_key

from .counting import Calls


def plain_ranking(
    index: ScreeningIndex,
    used: list[Posting],
    rest: Mapping[str, float],
    query_weight: float,
    cutoff: float,
    limit: int,
    subset: bool = False,
) -> list[tuple[float, int]]:
    sums: dict[int, float] = {}
    if sum(len(ids) for ids, _, _ in used) <= retrieval.SMALL_POSTINGS:
        for ids, weight, _ in used:
            for name_id in ids.tolist():
                sums[name_id] = sums.get(name_id, 0.0) + weight
    else:
        ids = np.concatenate([h[0] for h in used])
        weights = np.repeat(
            np.asarray([h[1] for h in used], dtype=np.float64),
            [len(h[0]) for h in used],
        )
        unique, inverse = np.unique(ids, return_inverse=True)
        totals = np.bincount(inverse, weights=weights)
        bound = 2.0 * (totals + sum(rest.values()))
        reach = index.name_weight[unique] + query_weight
        if subset:
            reach = np.minimum(reach, 2.0 * query_weight)
        hopeful = bound >= cutoff * reach
        sums = dict(
            zip(unique[hopeful].tolist(), totals[hopeful].tolist(), strict=True)
        )
    name_weight = index.name_weight.tolist()
    rest_total = sum(rest.values())
    ranked = []
    for name_id, total in sums.items():
        scale = 2.0 / (name_weight[name_id] + query_weight)
        reach = max(scale, 1.0 / query_weight) if subset else scale
        if (total + rest_total) * reach < cutoff:
            continue
        extra = (
            sum(rest.get(t, 0.0) for t in index.name_norm[name_id].tokens)
            if rest
            else 0.0
        )
        if (total + extra) * reach >= cutoff:
            ranked.append(((total + extra) * scale, name_id))
    return heapq.nlargest(limit, ranked)


def queries(index: ScreeningIndex, count: int) -> list[str]:
    """Listed names, names made of list words (common ones too), numbers added."""
    rng = random.Random(13)
    words = [w for w in index.vocabulary if w.isalpha() and len(w) > 2]
    common = sorted(index.postings, key=lambda w: -len(index.postings[w]))[:60]
    found = []
    for i in range(count):
        if i % 3 == 0:
            found.append(rng.choice(index.name_text))
            continue
        picked = rng.sample(words, rng.randint(1, 3)) + rng.sample(
            common, rng.randint(0, 3)
        )
        rng.shuffle(picked)
        found.append(" ".join(picked) + (f" {rng.randint(1, 99999)}" if i % 2 else ""))
    return found


def ranking_calls(
    screener: Screener,
    monkeypatch: pytest.MonkeyPatch,
    count: int,
    more: Sequence[str] = (),
    floors: Sequence[float] = (),
) -> list[tuple[Any, ...]]:
    """The arguments of each ranking made while matching ``count`` queries and
    ``more`` names, at the review threshold or at each of ``floors``."""
    calls: list[tuple[Any, ...]] = []
    ranked = Ranker.ranked

    def recording(self: Ranker, *args: Any) -> list[tuple[float, int]]:
        calls.append(args)
        return ranked(self, *args)

    monkeypatch.setattr(Ranker, "ranked", recording)
    for name in [*queries(screener.index, count), *more]:
        for floor in floors or (screener.review_threshold,):
            screener.matcher.match(name, None, floor)
    monkeypatch.setattr(Ranker, "ranked", ranked)
    return calls


@pytest.mark.parametrize("small_ranking", [0, retrieval.SMALL_RANKING, 10**9])
def test_ranking_equals_the_plain_loop(
    real_screener: Screener, monkeypatch: pytest.MonkeyPatch, small_ranking: int
) -> None:
    index = real_screener.index
    ranker = Ranker(index)
    calls: list[tuple[Any, ...]] = []
    seen = {"array": 0}
    ranked, original_vectorised = Ranker.ranked, Ranker._vectorised

    def recording(self: Ranker, *args: Any) -> list[tuple[float, int]]:
        calls.append(args)
        return ranked(self, *args)

    def counting(self: Ranker, *args: Any) -> list[tuple[float, int]]:
        seen["array"] += 1
        return original_vectorised(self, *args)

    monkeypatch.setattr(retrieval, "SMALL_RANKING", small_ranking)
    # rankings remembered by earlier tests would not reach the ranker
    monkeypatch.setattr(real_screener.matcher, "_ranked", Generations())
    monkeypatch.setattr(real_screener.matcher, "_shaped", Generations())
    monkeypatch.setattr(Ranker, "ranked", recording)
    monkeypatch.setattr(Ranker, "_vectorised", counting)
    for name in queries(index, 600):
        real_screener.matcher.match(name, None, real_screener.review_threshold)
    assert len(calls) >= 600
    by_initials = 0
    for used, rest, query_weight, cutoff, limit, subset, size in calls:
        assert size == sum(len(ids) for ids, _, _ in used)
        if subset:
            # a person's name written with initials (``_pruned_by``): its
            # ranking keeps the names that cover its other words too, as the
            # subset test below checks
            by_initials += 1
            continue
        fast = ranked(ranker, used, rest, query_weight, cutoff, limit)
        assert fast == plain_ranking(index, used, rest, query_weight, cutoff, limit)
    if small_ranking == 0:
        assert seen["array"] > 50  # the array path was taken, not only the loop
    # the screener ranks by Dice alone but for the few names with initials
    assert by_initials < len(calls) // 20


def test_subset_ranking_keeps_every_dice_name_and_names_covering_the_query(
    real_screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The register's retrieval (``subset``): the array path and the one-by-one
    path keep the same names with the same scores, a superset of the Dice
    ranking's, and among them names whose shared weight covers the query though
    their Dice does not reach the cutoff."""
    index = real_screener.index
    ranker = Ranker(index)
    ranked = Ranker.ranked
    calls = ranking_calls(real_screener, monkeypatch, 300)
    covering = 0
    for used, rest, query_weight, cutoff, *_ in calls:
        limit = 10**9
        dice = ranked(ranker, used, rest, query_weight, cutoff, limit)
        monkeypatch.setattr(retrieval, "SMALL_RANKING", 0)
        wide = ranked(ranker, used, rest, query_weight, cutoff, limit, True)
        monkeypatch.setattr(retrieval, "SMALL_RANKING", 10**9)
        assert ranked(ranker, used, rest, query_weight, cutoff, limit, True) == wide
        assert set(dice) <= set(wide)
        covering += any(score < cutoff for score, _ in wide)
    assert covering > 10


def test_expansions_are_remembered_in_two_bounded_generations(
    real_index: ScreeningIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chipgate.screening import index as index_module

    monkeypatch.setattr(index_module, "EXPANSION_CACHE", 10)
    real_index.__dict__.pop("_expansions", None)
    words = [f"huawei{i}" for i in range(12)]
    first = [real_index.expand(w) for w in words]
    memo = real_index.__dict__["_expansions"]
    young, old = memo.young, memo.old
    assert len(young) <= 5
    assert len(old) <= 5
    assert "huawei0" not in {**young, **old}  # aged out
    assert [real_index.expand(w) for w in words] == first  # made again, the same
    postings = real_index.expand_postings("huawei")
    assert [(w, weight) for _, weight, w in postings] == [
        (w, real_index.idf[w] * s) for w, s in real_index.expand("huawei")
    ]
    assert real_index.expand("20260731") == real_index.expand("20260731")
    assert "20260731" not in memo.young  # numbers not kept among the words
    real_index.__dict__.pop("_expansions", None)


def test_numbers_are_remembered_apart_in_a_bounded_memo(
    real_index: ScreeningIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A number's expansion is kept in a small memo of its own (asked twice for
    one name: ranked, then scored), bounded by ``NUMBER_CACHE``."""
    from chipgate.screening import index as index_module

    monkeypatch.setattr(index_module, "NUMBER_CACHE", 10)
    real_index.__dict__.pop("_numbers_expanded", None)
    numbers = [str(20260700 + i) for i in range(12)]
    first = [real_index.expand(n) for n in numbers]
    memo = real_index.__dict__["_numbers_expanded"]
    assert numbers[-1] in memo.young
    assert len(memo.young) <= 5
    assert len(memo.old) <= 5
    assert numbers[0] not in {**memo.young, **memo.old}  # aged out
    assert [real_index.expand(n) for n in numbers] == first
    real_index.__dict__.pop("_numbers_expanded", None)


def test_numbers_expand_as_through_the_whole_tables(
    real_index: ScreeningIndex,
) -> None:
    """A number is expanded through tables cut down to numbers: the same words,
    with the same similarities, in the same order as through the whole tables
    (every listed number, one digit left out, added, changed or two swapped, and
    numbers no list holds)."""
    from chipgate.screening import index as index_module

    listed = [w for w in real_index.vocabulary if w.isdecimal()]
    assert len(listed) > 100
    rng = random.Random(13)
    numbers = set(listed)
    for word in rng.sample(listed, 200):
        at = rng.randrange(len(word))
        numbers.add(word[:at] + word[at + 1 :])
        numbers.add(word[:at] + str(rng.randrange(10)) + word[at:])
        numbers.add(word[:at] + str(rng.randrange(10)) + word[at + 1 :])
        numbers.add(
            word[:at] + word[at + 1 : at + 2] + word[at : at + 1] + word[at + 2 :]
        )
    numbers.update(str(rng.randrange(10**k)) for k in range(1, 8) for _ in range(50))
    numbers.discard("")
    # as numbers where they are, and each as a word of the whole tables
    cut = {n: real_index._expand(n, index_module._number(n)) for n in sorted(numbers)}
    whole = {n: real_index._expand(n, False) for n in sorted(numbers)}
    assert cut == whole
    assert [list(v) for v in cut.values()] == [list(v) for v in whole.values()]
    assert sum(len(v) > 1 for v in cut.values()) > 100  # near numbers found


def test_a_number_expands_without_the_name_tables(
    real_index: ScreeningIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No name of the name table and no word of the table of shuffles holds a
    digit, so a number is not looked up in either (most of a large file's new
    words are numbers; ``test_numbers_expand_as_through_the_whole_tables``
    holds the answers to those of the whole tables)."""
    assert not any(ch.isdigit() for key in name_groups._groups() for ch in key)
    shuffles = real_index._shuffles()
    assert not any(ch.isdigit() for key in shuffles for ch in key)
    asked = {"spellings": 0, "shuffles": 0}
    spellings = real_index._spellings

    def counting(token: str) -> list[str]:
        asked["spellings"] += 1
        return spellings(token)

    def shuffled() -> dict[str, tuple[str, ...]]:
        asked["shuffles"] += 1
        return shuffles

    monkeypatch.setattr(real_index, "_spellings", counting)
    monkeypatch.setattr(real_index, "_shuffles", shuffled)
    for number in ("123456", "9876543", "100000", "31337"):
        real_index._expand(number, True)
    assert asked == {"spellings": 0, "shuffles": 0}
    real_index._expand("vidlamirr", False)  # a word of letters asks both
    assert asked == {"spellings": 1, "shuffles": 1}


_ABJAD_WEIGHTS: dict[tuple[int, str], float] = {}


def _plain_abjad_weight(index: ScreeningIndex, token: str) -> float:
    """The lightest listed word an Arabic-script word may be
    (``NameMatcher._abjad_weight``), every word of the lists tried; kept, as
    the whole vocabulary is read for each word."""
    key = (id(index), token)
    if key not in _ABJAD_WEIGHTS:
        idf = index.idf
        reached = [idf[w] for _, _, w in index.expand_postings(token)]
        reached += [idf[w] for _, _, w in index.abjad_postings(token)]
        short = short_keys(token)
        reached += [v for w, v in idf.items() if w.isalpha() and short_keys(w) & short]
        _ABJAD_WEIGHTS[key] = min([idf.get(token, index.unknown_weight), *reached])
    return _ABJAD_WEIGHTS[key]


def _plain_short_posting(index: ScreeningIndex, token: str) -> list[Posting]:
    """The persons' names holding a listed word of a short key of two letters
    or more that an Arabic-script word has (``ScreeningIndex.short_abjad``),
    but none of the listed words its expansion and consonants reach, as one
    posting weighing the lightest listed word of those of its keys a person's
    name holds a word of; every word of the lists tried."""

    def in_persons(key: str) -> bool:
        return any(
            index.name_person[index.postings[w]].any()
            for w in index.postings
            if w.isalpha() and key in short_keys(w)
        )

    keys = {
        k
        for k in short_keys(token)
        if len(k) >= SHORT_POSTING_LETTERS and in_persons(k)
    }
    words = [w for w in index.postings if w.isalpha() and short_keys(w) & keys]
    reached = {
        int(i)
        for ids, _, _ in (*index.expand_postings(token), *index.abjad_postings(token))
        for i in ids
    }
    names = sorted(
        {
            int(i)
            for w in words
            for i in index.postings[w]
            if index.name_person[i] and int(i) not in reached
        }
    )
    if not names:
        return []
    lightest = min(
        index.idf[w] for w in index.postings if w.isalpha() and short_keys(w) & keys
    )
    return [(np.asarray(names, dtype=np.int32), lightest, token)]


def _plain_abjad_split(
    index: ScreeningIndex, token: str, short: list[Posting]
) -> list[Posting]:
    """The persons' names in Latin letters two adjacent words of which, written
    together, have a consonant key of the Arabic-script word (``abjad_keys``;
    ``ScreeningIndex.abjad_split``), but none its expansion, consonants or
    short words reach (``short``: the word's short posting, last when it has
    one); every name of the lists read."""
    keys = set(abjad_keys(token))
    reached = {
        int(i)
        for ids, _, _ in (*index.expand_postings(token), *index.abjad_postings(token))
        for i in ids
    }
    if short and short[-1][2] == token:
        reached |= set(short[-1][0].tolist())
    names: list[int] = []
    weights: list[float] = []
    for name_id, name in enumerate(index.name_norm):
        if not index.name_person[name_id] or name.script:
            continue
        for a, b in pairwise(name.tokens):
            if a.isalpha() and b.isalpha() and consonant_key(a + b) in keys:
                weights.append(index.idf[a] + index.idf[b])
                if name_id not in reached:
                    names.append(name_id)
    if not names:
        return []
    weight = min(min(weights), index.weight(token))
    return [(np.asarray(sorted(set(names)), dtype=np.int32), weight, token)]


_ADJACENT: dict[int, tuple[ScreeningIndex, dict[str, dict[tuple[str, str], None]]]] = {}


def _persons_adjacent_words(
    index: ScreeningIndex,
) -> dict[str, dict[tuple[str, str], None]]:
    """Every two adjacent words of persons' names in Latin letters, in the
    order first met, by the consonants of the two written together: read
    once an index (every name read, 0.3 s), as each query word asks."""
    kept = _ADJACENT.get(id(index))
    if kept is not None and kept[0] is index:
        return kept[1]
    pairs: dict[str, dict[tuple[str, str], None]] = {}
    for name, person in zip(index.name_norm, index.name_person, strict=True):
        if person and not name.script:
            for left, right in pairwise(name.tokens):
                joined = left + right
                if len(joined) >= JOINED_TRANSLITERATION_MIN and joined.isalpha():
                    key = consonant_key(fold_person(joined))
                    pairs.setdefault(key, {})[left, right] = None
    _ADJACENT[id(index)] = (index, pairs)
    return pairs


def _plain_joined_transliterations(
    index: ScreeningIndex, token: str
) -> list[tuple[str, str, float]]:
    """The adjacent words of persons' names in Latin letters that ``token``
    writes together in another transliteration
    (``ScreeningIndex.joined_transliterations``): every such name read, the
    pairs in the order first met, each read by the transliteration rules."""
    if len(token) < JOINED_TRANSLITERATION_MIN or not token.isalpha():
        return []
    key = consonant_key(fold_person(token))
    found = []
    for left, right in _persons_adjacent_words(index).get(key, {}):
        if left + right != token:
            score, rule = transliteration(token, left + right)
            if rule:
                found.append((left, right, score))
    return found


def _plain_split_postings(index: ScreeningIndex, token: str) -> list[Posting]:
    """The names holding two listed words one after the other that ``token``
    writes together (``ScreeningIndex.split_words``), as written or in
    another transliteration at that reading's score, but none that a word
    of its expansion reaches as heavily as the cut weighs, for each cut of
    it: every name holding both words read."""
    if not token.isalpha():
        return []
    found: list[Posting] = []
    cuts = [
        (token[:at], token[at:], 1.0)
        for at in range(SPLIT_MIN, len(token) - SPLIT_MIN + 1)
    ]
    for left, right, similarity in cuts + _plain_joined_transliterations(index, token):
        if left not in index.postings or right not in index.postings:
            continue
        weight = (
            min(index.idf[left] + index.idf[right], index.weight(token)) * similarity
        )
        reached = {
            int(i)
            for ids, each, _ in index.expand_postings(token)
            if each >= weight
            for i in ids
        }
        both = set(index.postings[left].tolist()) & set(index.postings[right].tolist())
        names = [
            name_id
            for name_id in sorted(both - reached)
            if (left, right) in set(pairwise(index.name_norm[name_id].tokens))
        ]
        if names:
            found.append((np.asarray(names, dtype=np.int32), weight, token))
    return found


def lightest_reading(
    tokens: Sequence[str], weight: Any, idf: Mapping[str, float]
) -> float:
    """A form's weight (``NameMatcher._form_weight``), every reading tried: its
    distinct words summed, or, where two adjacent words written together are a
    listed word, each way of counting such pairs as that word (summed in the
    words' order), the lightest of all."""
    distinct = math.fsum(weight(t) for t in sorted(set(tokens)))
    if not any(a + b in idf for a, b in pairwise(tokens)):
        return distinct

    def readings(at: int) -> list[list[float]]:
        if at == len(tokens):
            return [[]]
        found = [[weight(tokens[at]), *rest] for rest in readings(at + 1)]
        if at + 1 < len(tokens) and (joined := tokens[at] + tokens[at + 1]) in idf:
            found += [[idf[joined], *rest] for rest in readings(at + 2)]
        return found

    def in_order(parts: list[float]) -> float:
        total = 0.0
        for part in parts:
            total += part
        return total

    return min(distinct, *(in_order(parts) for parts in readings(0)))


def plain_retrieve(
    matcher: NameMatcher, query: NormalizedName, floor: float
) -> list[int]:
    """The retrieval as first written: the person form made here, every posting
    measured, sorted by its size through a key, common words summed by a
    generator."""
    index = matcher.index
    hits: list[Posting] = []
    person = person_form(query)
    # a person's initials reach no name, and the name is ranked by its other
    # words, keeping the names that cover them (``NameMatcher._pruned_by``)
    initials = matcher._initials(query, person)
    short: list[Posting] = []
    for token in dict.fromkeys((*query.tokens, *person.tokens)):
        if token in initials:
            continue
        hits += index.expand_postings(token)
        if query.script == "abjad":
            hits += index.abjad_postings(token)
            short += _plain_short_posting(index, token)
            short += _plain_abjad_split(index, token, short)
        else:
            short += _plain_split_postings(index, token)
    for a, b in zip(query.tokens, query.tokens[1:], strict=False):
        joined = a + b
        if joined in index.postings:
            hits.append((index.postings[joined], index.idf[joined], joined))
        for word in _resplit(a, b, index.postings):
            hits.append((index.postings[word], index.idf[word], word))
        if query.script == "abjad":
            for word, similarity in index.expand_abjad(joined):
                hits.append((index.postings[word], index.idf[word] * similarity, word))
    if not hits and not short:
        return []
    sizes = [len(ids) for ids, _, _ in hits]
    if sizes and max(sizes) > matcher.common >= min(sizes):
        hits = [
            h for h, size in zip(hits, sizes, strict=True) if size <= matcher.common
        ]
    idf, unknown = index.idf, index.unknown_weight

    def weight(token: str) -> float:
        if query.script != "abjad":
            return idf.get(token, unknown)
        return _plain_abjad_weight(index, token)

    query_weight = min(
        lightest_reading(query.tokens, weight, idf),
        lightest_reading(person.tokens, weight, idf),
    )
    if initials:
        query_weight = lightest_reading(
            [t for t in person.tokens if t not in initials], weight, idf
        )
    cutoff = floor - matcher.PRUNE_MARGIN
    ordered = sorted(hits, key=lambda h: len(h[0]))
    rest: dict[str, float] = {}
    split = len(ordered)
    if cutoff > 0:
        weight_left = 0.0
        while split > 1:
            _, weight, word = ordered[split - 1]
            reach = 2.0 * (weight_left + weight) / (query_weight + weight_left + weight)
            if reach >= cutoff:
                break
            weight_left += weight
            rest[word] = max(rest.get(word, 0.0), weight)
            split -= 1
    used = ordered[:split] + short  # each short word's names read, always
    ranked = plain_ranking(
        index, used, rest, query_weight, cutoff, matcher.candidates, bool(initials)
    )
    return [name_id for _, name_id in ranked]


def test_retrieval_equals_the_plain_retrieval(real_screener: Screener) -> None:
    """The sizes remembered with each expansion, the person form made once and
    the ranking's shortcuts give the very ids, in the very order, of the
    retrieval as first written; and scoring with the person form made once
    gives the scores of scoring without it."""
    matcher = real_screener.matcher
    arabic = [
        "محمد علي حسن",
        "عبد الله بن محمد",
        "علي خامنئي",
        "جانان آغا",  # both words short (``ScreeningIndex.short_abjad``)
        "احمد جان آخوندزاده وزیر",
        "عبدالرحمان زاهد",  # a word listed as two (``ScreeningIndex.abjad_split``)
        # a word listed as two (``ScreeningIndex.split_words``)
        "Abdulghani Baradar",
        "Speedjet",
        # a word read with the article and as two words ("ali" + "akbar")
        "Aliakbar",
        # transliterations (``ScreeningIndex.transliterations``)
        "Ayman Zawahiri",
        "Ismail Haniya",
        # two words written together in another transliteration
        # (``ScreeningIndex.joined_transliterations``)
        "DROUKDAL, Abdelmalek",
        "NAGHDI, Mohammedreza",
        "Abubakar Ahmed",
    ]
    compared = scored = 0
    for name in queries(matcher.index, 500) + arabic:
        for query, _ in query_forms(name):
            if not query.tokens:
                continue
            for floor in (real_screener.review_threshold, 0.5, 0.1):
                found = matcher.retrieve(query, floor)
                assert found == plain_retrieve(matcher, query, floor), (name, floor)
                compared += 1
            asked = person_form(query)
            for name_id in found[:5]:
                assert matcher.score(query, name_id, asked) == matcher.score(
                    query, name_id
                )
                scored += 1
    assert compared > 1500
    assert scored > 500


def test_names_differing_in_a_number_share_a_remembered_ranking(
    real_screener: Screener,
) -> None:
    """A batch's names that differ only in a number no listed word is near
    ("Acme Trading 123456", "Acme Trading 234567") are ranked once: the ranking
    remembered is the very one each would get on its own (the retrieval as
    first written), also after the young generation has been turned old."""
    matcher = NameMatcher(real_screener.index)
    matcher.RANKED_CACHE = 400  # type: ignore[misc]
    floor = real_screener.review_threshold
    calls = 0
    ranked = matcher._request = Calls(matcher._request)  # type: ignore[method-assign]
    for name in queries(matcher.index, 150):
        for number in (123457, 876531, 450913):
            for query, _ in query_forms(f"{name} {number}"):
                if not query.tokens:
                    continue
                assert matcher.retrieve(query, floor) == plain_retrieve(
                    matcher, query, floor
                ), (name, number)
                calls += 1
    assert calls > 450
    assert len(matcher._ranked) <= 400
    assert ranked.made < calls / 2  # most numbered names reused a ranking


def _joined_pair(index: ScreeningIndex) -> tuple[str, str, str]:
    """A listed word that is two words written together (``a`` + ``b``), ``a`` a
    listed word and ``b`` a word that reaches no listed name, and a word ``z`` of
    ``b``'s length that reaches none either and joins ``a`` into no listed word."""
    for word in index.vocabulary:
        for cut in range(2, len(word) - 1):
            a, b = word[:cut], word[cut:]
            if a not in index.postings or index.expand(b) or b in index.idf:
                continue
            for z in (f"{n}" for n in range(10 ** len(b) - 1, 10 ** len(b) - 40, -1)):
                if len(z) == len(b) and not (
                    index.expand(z) or z in index.idf or a + z in index.postings
                ):
                    return a, b, z
    raise AssertionError("no listed word is two words written together")


def test_a_ranking_is_remembered_with_the_words_two_query_words_join_into(
    real_screener: Screener,
) -> None:
    """Two queries alike in their words that reach listed names and in their
    weight, one of whose other words joins a neighbour into a listed word ("hua
    wei" for "huawei"), are ranked each on its own: the joined word's postings
    are part of what the remembered ranking is kept by."""
    index = real_screener.index
    a, b, z = _joined_pair(index)
    # the joined word reaches names of its own
    assert _ranked_apart(index, NormalizedName((a, b)), NormalizedName((a, z)), 0.5)


def _ranked_apart(
    index: ScreeningIndex, one: NormalizedName, other: NormalizedName, floor: float
) -> bool:
    """Whether two queries, retrieved one after the other by one matcher (in
    both orders), are ranked apart; each ranking is the plain retrieval's."""
    apart = True
    for first, second in ((one, other), (other, one)):
        matcher = NameMatcher(index)
        found = [matcher.retrieve(first, floor), matcher.retrieve(second, floor)]
        assert found == [
            plain_retrieve(matcher, first, floor),
            plain_retrieve(matcher, second, floor),
        ]
        apart = apart and found[0] != found[1]
    return apart


def test_an_arabic_script_ranking_is_not_that_of_its_latin_spelling(
    real_screener: Screener,
) -> None:
    """A name in Arabic script is also looked up by its consonants; the same
    words in Latin letters are not: the script is part of what the remembered
    ranking is kept by (a name of one word: no two words join)."""
    index = real_screener.index
    floor = real_screener.review_threshold
    differ = 0
    for name in ("خامنئي", "نصرالله", "حسن"):
        arabic = normalize(name)
        assert arabic.script == "abjad"
        assert len(arabic.tokens) == 1
        differ += _ranked_apart(index, arabic, replace(arabic, script=""), floor)
    assert differ >= 1


def test_names_differing_in_an_inert_number_share_a_ranking_by_their_shape(
    real_screener: Screener,
) -> None:
    """A query with an inert number (``_inert_number``) that reaches no listed
    word is ranked by its shape (``_retrieval_shape``): the ranking remembered
    for one number is the very one another gets on its own, also after the
    young generation has been turned old, and the words' rankings are not
    looked up again."""
    matcher = NameMatcher(real_screener.index)
    matcher.RANKED_CACHE = 400  # type: ignore[misc]
    floor = real_screener.review_threshold
    calls = 0
    ranked = matcher._ranking = Calls(matcher._ranking)  # type: ignore[method-assign]
    for name in queries(matcher.index, 150):
        for number in (123457, 876531, 450913):
            for query, _ in query_forms(f"{name} {number}"):
                inert = matcher._inert_number(query) if query.tokens else None
                if inert is None:
                    continue
                found = matcher._retrieve(query, person_form(query), floor, inert)
                assert found == plain_retrieve(matcher, query, floor), (name, number)
                calls += 1
    assert calls > 250
    assert len(matcher._shaped) <= 400
    assert ranked.made < calls / 2  # most were found by their shape


def test_a_number_that_reaches_a_listed_word_gives_no_shape(
    real_screener: Screener,
) -> None:
    """A number near a listed number, or joined with the word before it into a
    listed word ("a320" of "Airbus A 320"), changes the ranking: no shape."""
    matcher = NameMatcher(real_screener.index)
    index = matcher.index
    floor = real_screener.review_threshold

    def shape(words: tuple[str, ...], number: str) -> tuple[object, ...] | None:
        query = NormalizedName(words)
        person = person_form(query)
        return matcher._retrieval_shape(
            query,
            person,
            floor,
            number,
            matcher.candidates,
            matcher._initials(query, person),
        )

    listed = next(w for w in index.vocabulary if w.isdigit() and len(w) == 5)
    near = listed[:-1] + str((int(listed[-1]) + 1) % 10)
    assert index.expand_sized(near)[0]
    assert shape(("acme", near), near) is None
    word = next(
        w
        for w in index.vocabulary
        if w[:1].isalpha() and w[-3:].isdigit() and w[:-3].isalpha()
    )
    head, tail = word[:-3], word[-3:]
    assert shape((head, tail), tail) is None
    assert shape(("acme", "trading", "654321"), "654321") is not None


@pytest.mark.parametrize("bound", [10, 10_000])
def test_consonant_postings_are_remembered_as_made(
    real_index: ScreeningIndex, monkeypatch: pytest.MonkeyPatch, bound: int
) -> None:
    """``abjad_sized`` gives each word's consonant postings and their sizes as
    ``abjad_postings`` makes them, when made, when found again (all kept) and
    after being dropped (two generations of a few)."""
    from chipgate.screening import index as index_module

    monkeypatch.setattr(index_module, "EXPANSION_CACHE", bound)
    real_index.__dict__.pop("_abjad_sized", None)
    words = list(
        dict.fromkeys(
            token
            for norm in real_index.name_norm
            if norm.script == "abjad"
            for token in norm.tokens
        )
    )[:200]

    def seen(found: tuple[tuple[Posting, ...], tuple[int, ...]]) -> list[object]:
        postings, sizes = found
        return [
            (w, weight, id(ids), size)
            for (ids, weight, w), size in zip(postings, sizes, strict=True)
        ]

    made = [
        [
            (w, weight, id(ids), len(ids))
            for ids, weight, w in real_index.abjad_postings(t)
        ]
        for t in words
    ]
    assert sum(1 for m in made if m) > 20  # most words reach a listed word
    assert len({repr(m) for m in made}) > 20  # and not all the same ones
    for _ in range(3):  # made, then found (young, then old), then made again
        assert [seen(real_index.abjad_sized(t)) for t in words] == made
        assert [seen(real_index.abjad_sized(t)) for t in reversed(words)] == made[::-1]
    memo = real_index.__dict__["_abjad_sized"]
    if bound > len(words):
        assert len(memo) == len(words)  # all kept, all found again
    else:
        assert len(memo) <= bound
    real_index.__dict__.pop("_abjad_sized", None)


def test_query_weight_is_the_lighter_form(real_screener: Screener) -> None:
    """The query's weight is the lighter of its two forms' weights, also when
    the person form has the very words of the query (summed once), each sum of
    distinct words exactly rounded (the same double in whatever order its words
    come), each form read as lightly as the listed words its adjacent words
    make allow ("智谱", zhi pu, as the one listed word "zhipu")."""
    matcher = real_screener.matcher
    idf, unknown = matcher.index.idf, matcher.index.unknown_weight

    def weight(token: str) -> float:
        return idf.get(token, unknown)

    same = other = joined = 0
    names = [
        *queries(matcher.index, 300),
        "Dr. Ivan Petrov",
        "Mr John Smith",
        "智谱",
        "大连政华贸易有限公司",
    ]
    for name in names:
        for query, _ in query_forms(name):
            if query.script == "abjad":
                continue
            person = person_form(query)
            expected = min(
                lightest_reading(query.tokens, weight, idf),
                lightest_reading(person.tokens, weight, idf),
            )
            joined += expected < min(
                math.fsum(weight(t) for t in sorted(set(query.tokens))),
                math.fsum(weight(t) for t in sorted(set(person.tokens))),
            )
            assert matcher._query_weight(query, person) == expected
            if person.tokens == query.tokens:
                same += 1
            else:
                other += 1
    assert same > 100
    assert other > 5
    assert joined >= 2  # 智谱 and the Dalian company at least


def test_rankings_made_on_several_threads_are_the_same(
    real_screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each thread ranks with its own table of slots (``Ranker._unique_inverse``):
    rankings made on four threads at once equal those made on one."""
    from concurrent.futures import ThreadPoolExecutor

    ranked = Ranker.ranked
    # rankings remembered by earlier tests would not reach the ranker
    monkeypatch.setattr(real_screener.matcher, "_ranked", Generations())
    calls = ranking_calls(real_screener, monkeypatch, 300)
    monkeypatch.setattr(retrieval, "SMALL_POSTINGS", 0)  # every call on arrays
    ranker = Ranker(real_screener.index)
    alone = [ranked(ranker, *args) for args in calls]
    assert sum(1 for found in alone if found) > 100
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(3):
            together = list(pool.map(lambda args: ranked(ranker, *args), calls))
            assert together == alone
