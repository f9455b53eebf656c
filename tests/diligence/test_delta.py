"""Delta re-screening gives the full re-screen's result, on a real list change.

The change is OFAC's SDN list of mid-2021 replaced by the SDN list of 2024-05-03:
thousands of entries added, hundreds removed, thousands changed (the 2024 file has no
separate aliases file). The register mixes names recombined from the lists' own
words with listed names of both years (planted hits, some removed in 2024).
"""

from __future__ import annotations

import random
from pathlib import Path

import polars as pl
import pytest

from chipgate.diligence import delta as delta_module
from chipgate.diligence.delta import (
    Matches,
    RescreenResult,
    candidate_names,
    delta_rescreen,
    diff_lists,
    full_rescreen,
    keep_floor,
    list_state,
    small_index,
)
from chipgate.diligence.matching import RegisterMatcher, party_keys
from chipgate.screening.index import ScreeningIndex, build_index
from chipgate.screening.sources import load_lists

REVIEW, THRESHOLD = 0.8, 0.9
FLOOR = keep_floor(REVIEW)


def _index(folder: Path) -> ScreeningIndex:
    loaded = load_lists(folder)
    return build_index(loaded.infos, loaded.entries)


@pytest.fixture(scope="module")
def indexes(ofac_2021: Path, ofac_2024: Path) -> tuple[ScreeningIndex, ScreeningIndex]:
    return _index(ofac_2021), _index(ofac_2024)


def _register(
    old: ScreeningIndex,
    new: ScreeningIndex,
    size: int,
    planted: list[str] | None = None,
) -> pl.DataFrame:
    rng = random.Random(17)
    words = [w for w in new.vocabulary if len(w) > 3]
    names = [
        " ".join(rng.sample(words, rng.choice((2, 3))))
        + rng.choice(("", " Ltd", " LLC"))
        for _ in range(size)
    ]
    names += rng.sample(old.name_text, size // 10) + rng.sample(
        new.name_text, size // 10
    )
    names += planted or []
    return pl.DataFrame(
        {
            "id": list(range(len(names))),
            "name": names,
            "keys": [party_keys(n) for n in names],
        }
    )


def _view(matches: Matches) -> dict[int, dict[str, tuple[float, bool, str]]]:
    return {
        pid: shown
        for pid, found in matches.items()
        if (
            shown := {
                k: (m.score, m.is_hit, m.matched_name)
                for k, m in found.items()
                if m.score >= REVIEW
            }
        )
    }


def _delta_and_full(
    old: ScreeningIndex, new: ScreeningIndex, parties: pl.DataFrame
) -> tuple[RescreenResult, Matches, Matches, Matches]:
    """The delta result, and the stored state before, after the delta, and in full."""
    change = diff_lists(list_state(old), list_state(new))
    before = full_rescreen(parties, old, floor=FLOOR, threshold=THRESHOLD).matches
    stored = {pid: found for pid, found in before.items() if found}
    delta = delta_rescreen(
        parties, stored, new, change, floor=FLOOR, threshold=THRESHOLD
    )
    after = dict(before)
    after.update(delta.matches)
    full = full_rescreen(
        parties, new, floor=FLOOR, threshold=THRESHOLD, stored=stored
    ).matches
    return delta, before, after, full


def test_delta_equals_full_rescreen_on_a_real_list_change(
    indexes: tuple[ScreeningIndex, ScreeningIndex],
) -> None:
    old, new = indexes
    change = diff_lists(list_state(old), list_state(new))
    assert change.added
    assert change.removed
    assert change.changed
    parties = _register(old, new, 1000)
    delta, before, after, full = _delta_and_full(old, new, parties)
    assert _view(after) == _view(full)
    assert delta.max_drift < REVIEW - FLOOR
    # the delta screened far fewer names than the register holds
    assert delta.screened < len(parties)
    # and the change mattered: hits appeared and hits cleared
    hits_before = {
        (p, k) for p, f in _view(before).items() for k, v in f.items() if v[1]
    }
    hits_after = {(p, k) for p, f in _view(full).items() for k, v in f.items() if v[1]}
    assert hits_after - hits_before
    assert hits_before - hits_after


def test_a_small_change_touches_only_names_sharing_its_words(
    indexes: tuple[ScreeningIndex, ScreeningIndex],
) -> None:
    """200 entries of the 2024 list added to it (as if newly listed): the delta
    screens a few names, finds the added entries' names written in the register,
    and agrees with the full re-screen."""
    _, new = indexes
    rng = random.Random(5)
    keys = sorted(list_state(new))
    dropped = set(rng.sample(keys, 200))
    older = build_index(
        new.infos,
        [e for e in new.entries if f"{e.list_code}:{e.entry_id}" not in dropped],
    )
    change = diff_lists(list_state(older), list_state(new))
    assert len(change.added) == 200
    assert not change.removed
    added_names = sorted(
        {e.name for e in new.entries if f"{e.list_code}:{e.entry_id}" in dropped}
    )
    parties = _register(older, new, 1000, planted=rng.sample(added_names, 20))
    delta, before, after, full = _delta_and_full(older, new, parties)
    assert _view(after) == _view(full)
    assert delta.candidates < len(parties) / 2
    # the added entries' own names became hits, which they were not before
    found = {k for f in _view(after).values() for k, v in f.items() if v[1]}
    assert len((found - {k for f in _view(before).values() for k in f}) & dropped) >= 10


def test_forked_workers_give_the_same_matches(
    indexes: tuple[ScreeningIndex, ScreeningIndex], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = indexes
    parties = _register(old, new, 300)
    monkeypatch.setattr(delta_module, "PARALLEL_FROM", 1)
    one = full_rescreen(parties, new, floor=FLOOR, threshold=THRESHOLD).matches
    two = full_rescreen(parties, new, floor=FLOOR, threshold=THRESHOLD, workers=2)
    assert _view(two.matches) == _view(one)


def test_prefilter_bounds_each_pair_and_scores_old_keys(
    indexes: tuple[ScreeningIndex, ScreeningIndex],
) -> None:
    """The prefilter keeps every name that matches a changed entry (checked by
    matching all), far fewer than the register; keys stored before the person form
    was kept, and Arabic-script names, are always scored."""
    old, new = indexes
    change = diff_lists(list_state(old), list_state(new))
    matcher = RegisterMatcher(
        small_index(new, frozenset(sorted(change.added)[:200])), FLOOR, THRESHOLD
    )
    parties = _register(old, new, 3000)
    names = parties["name"].to_list()
    picked = set(candidate_names(parties.select("id", "keys"), matcher))
    matching = {i for i, name in enumerate(names) if matcher.match(name)}
    assert matching
    assert matching <= picked
    assert len(picked) < len(names) / 4
    legacy = pl.DataFrame(
        {"id": [7, 8], "keys": ["zzqx zzqy|zzqxzzqy", party_keys("أسامة بن لادن")]}
    )
    assert candidate_names(legacy, matcher) == [7, 8]
