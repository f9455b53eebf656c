"""Names matched together (``NameMatcher.match_many``, ``Screener.screen_all``).

A batch's chunk of names has the rankings of its query forms made at once
(``Ranker.ranked_many``); these tests hold every path of it to the matches and
rankings made one name at a time, on listed names, names made of list words and
yente's unlisted persons (many scripts).
"""

from __future__ import annotations

import csv
import random
import threading
from typing import Any

import pytest

from chipgate.screening import retrieval
from chipgate.screening.index import ScreeningIndex
from chipgate.screening.matcher import Match, NameMatcher
from chipgate.screening.retrieval import Ranker, RankRequest
from chipgate.screening.screener import Remembered, Screener

from .conftest import shared_lists
from .counting import Calls
from .test_retrieval import queries, ranking_calls


def _matched(matches: list[Match]) -> list[tuple[str, str, str, float, Any]]:
    return [
        (m.entry.list_code, m.entry.entry_id, m.matched_name, m.score, m.features)
        for m in matches
    ]


def _unlisted(count: int) -> list[str]:
    """Names of yente's unlisted persons (``negatives_global.csv``: Chinese,
    Hangul, Arabic script, Cyrillic and Latin letters), every so many."""
    path = shared_lists().parent / "screening-bench" / "negatives_global.csv"
    if not path.is_file():
        pytest.fail(f"bench data missing: expected the file {path.resolve()}")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    step = max(1, len(rows) // count)
    return [row["full_name"] for row in rows[::step]][:count]


def _names(index: ScreeningIndex) -> list[str]:
    """Listed names, names made of list words (numbered repeats of one name
    among them, near each other), and unlisted persons of many scripts."""
    rng = random.Random(7)
    made = queries(index, 240)
    repeats = [
        f"{base} Co., Ltd. {number}"
        for base in rng.sample(index.name_text, 12)
        for number in (123456, 654321)
    ]
    names = [*made, *repeats, *_unlisted(300)]
    rng.shuffle(names)
    return names


def test_names_matched_together_are_matched_as_one_by_one(
    real_index: ScreeningIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = _names(real_index)
    for floor in (0.8, 0.5):
        alone = NameMatcher(real_index)
        expected = [_matched(alone.match(name, None, floor)) for name in names]
        together = NameMatcher(real_index)
        settled = Calls(together._settle)
        monkeypatch.setattr(together, "_settle", settled)
        found: list[list[Match]] = []
        for start in range(0, len(names), 97):
            chunk = [(name, None) for name in names[start : start + 97]]
            found += together.match_many(chunk, floor)
        assert [_matched(m) for m in found] == expected
        assert sum(1 for m in expected if m) > 20  # matches to compare
        # a round for each query form of the chunks' names, not one a name
        assert settled.made < len(names) / 10


def test_a_form_being_matched_by_a_name_before_waits_for_it(
    real_index: ScreeningIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Numbered repeats of one name in one chunk share the matches of their
    form without the number ("Acme Co."), made once, as one by one."""
    base = real_index.name_text[123]
    names = [(f"{base} Co., Ltd. {number}", "CN") for number in range(100100, 100110)]
    matcher = NameMatcher(real_index)
    made = Calls(matcher._matched_steps)
    monkeypatch.setattr(matcher, "_matched_steps", made)
    found = matcher.match_many(names, 0.5)
    alone = NameMatcher(real_index)
    assert [_matched(m) for m in found] == [
        _matched(alone.match(name, country, 0.5)) for name, country in names
    ]
    forms = len(matcher.forms(names[0][0]))
    assert forms > 1
    # each name's own form with its number, and the forms without it once
    assert made.made == len(names) + forms - 1


@pytest.fixture(scope="module")
def matcher_rankings(real_screener: Screener) -> list[tuple[Any, ...]]:
    """The rankings the matcher asks for while matching 300 queries and 200
    unlisted names at floors 0.8 and 0 (a screener of its own: none
    remembered), made once for the module's three runs below: matching them
    takes most of each run."""
    screener = Screener(real_screener.index, threshold=0.9, review_threshold=0.8)
    with pytest.MonkeyPatch.context() as patch:
        return ranking_calls(screener, patch, 300, _unlisted(200), (0.8, 0.0))


@pytest.mark.parametrize(("subset", "postings"), [(False, None), (True, None), (False, 3000)])
def test_rankings_made_together_are_those_made_one_by_one(
    real_screener: Screener,
    matcher_rankings: list[tuple[Any, ...]],
    monkeypatch: pytest.MonkeyPatch,
    subset: bool,
    postings: int | None,
) -> None:
    """``ranked_many`` gives ``ranked``'s lists, for runs of queries cut at
    ``BATCH_POSTINGS`` names too (3000: runs of a few queries, some below
    ``SMALL_BATCH``)."""
    if postings is not None:
        monkeypatch.setattr(retrieval, "BATCH_POSTINGS", postings)
    ranker = Ranker(real_screener.index)
    calls = matcher_rankings
    requests = [RankRequest(*call)._replace(subset=subset) for call in calls]
    # every path of ``ranked`` is among them: few and many names, common words
    # credited (three to a name, or repeated), a floor of 0
    sizes = [r.size for r in requests]
    assert min(sizes) <= retrieval.SMALL_POSTINGS < max(sizes)
    assert any(len(r.rest) >= 3 for r in requests)
    assert any(r.cutoff <= 0 for r in requests)
    expected = [ranker.ranked(*r) for r in requests]
    found = []
    for start in range(0, len(requests), 250):
        found += ranker.ranked_many(requests[start : start + 250])
    assert found == expected
    assert sum(1 for f in expected if f) > 100
    # a batch below SMALL_BATCH is ranked one by one: the same
    assert ranker.ranked_many(requests[:3]) == expected[:3]
    assert ranker.ranked_many([]) == []


def test_screen_all_gives_the_hits_of_screen_and_remembers_them(
    real_index: ScreeningIndex,
) -> None:
    names = [*_unlisted(60), "Huawei Technologies", "ROSOBORONEKSPORT OAO"]
    parties = [(name, "cn" if i % 3 == 0 else None) for i, name in enumerate(names)]
    parties += parties[:5]  # a party twice in one chunk
    one = Screener(real_index, threshold=0.9, review_threshold=0.8)
    expected = [one.screen(name, country) for name, country in parties]
    batch = Screener(real_index, threshold=0.9, review_threshold=0.8)
    assert batch.screen_all(parties[:10]) == expected[:10]
    matched = Calls(batch.matcher.match_many)
    batch.matcher.match_many = matched  # type: ignore[method-assign]
    assert batch.screen_all(parties) == expected
    assert any(expected)
    # the parties of the first chunk were remembered, not matched again
    assert batch._memo.cache_info().hits >= 10
    assert batch._memo.cache_info().currsize == len(set(parties))


def test_remembered_keeps_the_parties_last_asked_for() -> None:
    made: list[tuple[str, str | None]] = []

    def make(name: str, country: str | None) -> Any:
        made.append((name, country))
        return ((name, country),)

    memo = Remembered(make, 3)
    for name in ("a", "b", "c", "a", "d"):  # "b" is the least recently asked
        memo(name, None)
    assert made == [("a", None), ("b", None), ("c", None), ("d", None)]
    assert memo.find(("b", None)) is None
    assert memo.find(("a", None)) == (("a", None),)
    memo.keep(("e", "CN"), ())
    assert memo.find(("e", "CN")) == ()  # no match is remembered too
    assert memo.find(("c", None)) is None  # dropped for "e"
    info = memo.cache_info()
    assert (info.hits, info.maxsize, info.currsize) == (3, 3, 3)


def test_threads_sharing_a_screener_get_the_hits_of_one(
    real_index: ScreeningIndex,
) -> None:
    names = [*_unlisted(40), "Huawei Technologies", "Sophgo Technologies"]
    expected = [
        Screener(real_index, threshold=0.9, review_threshold=0.8).screen(name)
        for name in names
    ]
    shared = Screener(real_index, threshold=0.9, review_threshold=0.8)
    results: dict[int, list[Any]] = {}

    def work(turn: int) -> None:
        order = names[turn:] + names[:turn]
        if turn % 2:
            found = shared.screen_all([(name, None) for name in order])
        else:
            found = [shared.screen(name) for name in order]
        results[turn] = found[len(names) - turn :] + found[: len(names) - turn]

    threads = [threading.Thread(target=work, args=(turn,)) for turn in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [results[turn] for turn in range(6)] == [expected] * 6

