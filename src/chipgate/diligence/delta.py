"""Re-screening the register after a list change: the difference, and only what it touches.

A change of the lists is three sets of entry keys: added, removed and changed (same
key, different content). A register name's matches can change only if

* it shares a word (or a near word) with an added or changed entry: it is scored
  against a small index of just those entries, which carries the full index's word
  weights so that every score equals the full re-screen's; or
* it held a match with any entry: that pair is scored afresh against every name the
  entry has in the new lists (word weights move with the lists, a changed entry has
  new names), and dropped when removed or below the floor.

Everything else keeps its (empty) result. ``full_rescreen`` scores every name against
the whole index; the tests hold the two to the same result.

Word weights move with the lists, so a pair just below the review threshold may rise
above it when unrelated entries change. The register therefore keeps every pair down
to ``DRIFT_MARGIN`` below the review threshold (stored, not shown) and re-scores
those too; each run reports the largest drift it saw (``max_drift``), and a drift
near the margin is reported as a reason to run a full re-screen.
"""

from __future__ import annotations

import gc
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from multiprocessing import get_all_start_methods, get_context

import numpy as np
import polars as pl

from chipgate.diligence.matching import (
    KEY_PARTS,
    RegisterMatcher,
    StoredMatch,
    entry_key,
)
from chipgate.screening.index import ScreeningIndex, build_index
from chipgate.screening.model import ListEntry

Matches = dict[int, dict[str, StoredMatch]]
"""Register name id -> entry key -> match."""

DRIFT_MARGIN = 0.15
"""How far below the review threshold pairs are kept, so that re-weighting by a list
change cannot lift an unseen pair into view (observed drifts: docs/diligence.md; the
person rules that depend on how rare a listed name is move a score by up to 0.117
when a list change carries the name across their rarity line)."""


def keep_floor(review_threshold: float) -> float:
    """The lowest score the register stores for a review threshold."""
    return max(0.0, review_threshold - DRIFT_MARGIN)


@dataclass(frozen=True, slots=True)
class EntryState:
    """What the register remembers of one listed party: its content hash and name."""

    fingerprint: str
    list_code: str
    name: str


def _fingerprint(entries: Iterable[ListEntry]) -> str:
    digest = hashlib.sha256()
    for e in sorted(entries, key=lambda x: (x.source, x.name, x.aliases)):
        for part in (
            e.source,
            e.name,
            *e.aliases,
            "|",
            *e.countries,
            "|",
            e.kind,
            e.license_requirement or "",
            e.license_policy or "",
            e.federal_register or "",
            *e.footnotes,
        ):
            digest.update(part.encode())
            digest.update(b"\x1f")
        digest.update(b"\x1e")
    return digest.hexdigest()


def list_state(index: ScreeningIndex) -> dict[str, EntryState]:
    """Every entry key of ``index`` with the hash of what the lists say about it."""
    grouped: dict[str, list[ListEntry]] = defaultdict(list)
    for entry in index.entries:
        grouped[entry_key(entry)].append(entry)
    return {
        key: EntryState(_fingerprint(group), group[0].list_code, group[0].name)
        for key, group in grouped.items()
    }


@dataclass(frozen=True)
class ListChange:
    """Entry keys added, removed and changed between two list states."""

    added: frozenset[str]
    removed: frozenset[str]
    changed: frozenset[str]

    @property
    def touched(self) -> frozenset[str]:
        """Keys whose new content must be screened (added or changed)."""
        return self.added | self.changed

    def cause(self, key: str) -> str:
        """Why a match with ``key`` may have moved."""
        if key in self.added:
            return "added"
        if key in self.removed:
            return "removed"
        if key in self.changed:
            return "changed"
        return "rescored"

    def __len__(self) -> int:
        return len(self.added) + len(self.removed) + len(self.changed)


def diff_lists(
    old: Mapping[str, EntryState], new: Mapping[str, EntryState]
) -> ListChange:
    """The difference between the state the register was screened at and the new one."""
    old_keys, new_keys = set(old), set(new)
    return ListChange(
        added=frozenset(new_keys - old_keys),
        removed=frozenset(old_keys - new_keys),
        changed=frozenset(
            k for k in old_keys & new_keys if old[k].fingerprint != new[k].fingerprint
        ),
    )


def small_index(full: ScreeningIndex, keys: frozenset[str]) -> ScreeningIndex:
    """An index of just the entries under ``keys``, weighted like ``full``.

    Scores depend on word weights (rarer words weigh more), which depend on all the
    lists; the small index borrows the full index's weights so its scores are the
    full re-screen's.
    """
    entries = [e for e in full.entries if entry_key(e) in keys]
    small = build_index(full.infos, entries)
    weights = np.asarray(
        [sum(full.idf[t] for t in n.tokens) for n in small.name_norm],
        dtype=np.float32,
    )
    # every word's weight, not only the small vocabulary's: a query word the change
    # does not contain still weighs what it weighs in the full lists
    return replace(
        small, idf=full.idf, unknown_weight=full.unknown_weight, name_weight=weights
    )


@dataclass
class RescreenResult:
    """New match sets of the names whose matches may have moved."""

    matches: Matches
    screened: int
    candidates: int = 0
    rescored: int = 0
    max_drift: float = 0.0
    change: ListChange | None = None
    notes: list[str] = field(default_factory=list)


def _words(frame: pl.LazyFrame, column: str) -> pl.LazyFrame:
    """``(id, k)``: one row per word of a space-separated column."""
    return (
        frame.select("id", pl.col(column).str.split(" ").alias("k"))
        .explode("k")
        .filter(pl.col("k").is_not_null() & (pl.col("k") != ""))
    )


def _reach_table(index: ScreeningIndex, words: list[str]) -> pl.DataFrame:
    """``(k, n, c)``: how much retrieval weight register word ``k`` can bring to
    listed name ``n`` of ``index``: the weights of the listed words it stands for
    (itself, near words) times their similarity, once per time the listed name
    has that word."""
    has: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for name_id, norm in enumerate(index.name_norm):
        for word, times in Counter(norm.tokens).items():
            has[word].append((name_id, times))
    rows = [
        (k, name_id, index.idf[w] * similarity * times)
        for k in words
        for w, similarity in index.expand(k)
        for name_id, times in has.get(w, ())
    ]
    return pl.DataFrame(
        rows, schema={"k": pl.Utf8, "n": pl.Int32, "c": pl.Float64}, orient="row"
    )


def _reach(subset: bool) -> pl.Expr:
    """The denominator of the retrieval bound (``Ranker.ranked``): both names'
    weights, or with subset retrieval the lesser of that and twice the query's."""
    both = pl.col("nw") + pl.col("qw").fill_null(0.0)
    if not subset:
        return both
    return pl.min_horizontal(both, 2.0 * pl.col("qw").fill_null(0.0))


def candidate_names(parties: pl.DataFrame, matcher: RegisterMatcher) -> list[int]:
    """Ids of register names that may reach the review floor against ``matcher``'s
    (small) index.

    The matcher scores a listed name only when its retrieval score, twice the
    weight the two names share over their summed weights (or, with subset
    retrieval, the shared weight over the register name's), reaches its
    retrieval floor less its prune margin. This bounds that score for every pair of a register name
    and a listed name of the change, column-wise over the stored ``keys``
    (``matching.party_keys``): the shared weight is at most the weights of the
    listed name's words that the register name's words (and person-form words)
    stand for, times their similarity, summed over the register words, plus its
    joined word pairs that the listed name has; the weights are the listed
    name's and the lighter form of the register name. Names with no pair whose
    bound reaches the cutoff are skipped: the same result as scoring every name,
    for work proportional to the pairs that share a word with the change.

    Names in Arabic script (retrieved by consonants too) and keys stored before
    the person form was kept are always scored.

    Args:
        parties: columns ``id`` and ``keys``.
    """
    index = matcher.index
    if not len(index.name_weight):
        return []
    cutoff = (matcher.retrieval_floor - matcher.matcher.PRUNE_MARGIN) / (1 + 1e-6)
    # with subset retrieval a name is also kept on its share of the query alone
    # (``Ranker.ranked``): the reach is then the lesser of the two denominators
    subset = matcher.matcher.subset
    parts = pl.col("keys").str.split("|")
    split = parties.lazy().select(
        "id",
        *(parts.list.get(i, null_on_oob=True).alias(c) for i, c in enumerate("tjpf")),
        (parts.list.len() < KEY_PARTS).alias("_old"),
    )
    always = split.filter(pl.col("_old") | (pl.col("f") == "abjad")).select("id")
    usual = split.filter(~pl.col("_old") & (pl.col("f") != "abjad"))
    words = pl.concat([_words(usual, "t"), _words(usual, "p")])
    pairs = _words(usual, "j")
    vocabulary = words.select(pl.col("k").unique()).collect().to_series().to_list()
    reach = _reach_table(index, vocabulary)
    exact = pl.DataFrame(
        [
            (k, int(name_id), index.idf[k])
            for k, ids in index.postings.items()
            for name_id in ids.tolist()
        ],
        schema={"k": pl.Utf8, "n": pl.Int32, "c": pl.Float64},
        orient="row",
    )
    listed = pl.DataFrame(
        {
            "n": np.arange(len(index.name_weight), dtype=np.int32),
            "nw": index.name_weight.astype(np.float64),
        }
    ).lazy()
    shared = (
        pl.concat(
            [
                # a word of both forms is one retrieval word
                words.join(reach.lazy(), on="k").unique(["id", "k", "n"]),
                pairs.join(exact.lazy(), on="k"),
            ]
        )
        .group_by("id", "n")
        .agg(pl.col("c").sum())
        .join(listed, on="n")
        # a first cut: the register name's own weight is above 0
        .filter(2.0 * pl.col("c") >= (0.0 if subset else cutoff) * pl.col("nw"))
        .collect()
    )
    weights = pl.DataFrame(
        {"k": vocabulary, "w": [index.weight(k) for k in vocabulary]},
        schema={"k": pl.Utf8, "w": pl.Float64},
    ).lazy()
    near = usual.join(shared.lazy().select(pl.col("id").unique()), on="id")

    def weight(column: str) -> pl.LazyFrame:
        return (
            _words(near, column)
            .join(weights, on="k")
            .group_by("id")
            .agg(pl.col("w").sum().alias(column))
        )

    lighter = weight("t").join(weight("p"), on="id", how="full", coalesce=True)
    found = (
        shared.lazy()
        .join(
            lighter.select(
                "id",
                pl.min_horizontal(pl.col("t"), pl.col("p")).fill_null(0.0).alias("qw"),
            ),
            on="id",
            how="left",
        )
        .filter(2.0 * pl.col("c") >= cutoff * _reach(subset))
        .select("id")
    )
    ids = pl.concat([found, always]).unique().collect().to_series().to_list()
    return sorted(ids)


def delta_rescreen(
    parties: pl.DataFrame,
    stored: Matches,
    full: ScreeningIndex,
    change: ListChange,
    *,
    floor: float,
    threshold: float,
    workers: int = 1,
) -> RescreenResult:
    """Apply a list change to the stored matches of the register's names.

    Args:
        parties: register names, columns ``id``, ``name``, ``keys``.
        stored: the current matches, by name id.
        full: the index of the new lists.
        change: the difference between the lists ``stored`` was made with and these.
        floor: lowest score kept (``keep_floor`` of the review threshold).
        threshold: hit threshold.
        workers: processes that score the selected names (forked; 1: this one).

    Returns:
        The new match set of every name that was screened again (others keep theirs).
    """
    names = dict(zip(parties["id"].to_list(), parties["name"].to_list(), strict=True))
    result: Matches = {}
    rescored = 0
    drift = 0.0
    whole = RegisterMatcher(full, floor, threshold)
    todo = []
    for party_id, held in stored.items():
        # changed entries too: the pair is scored on the entry's new names
        keys = [k for k in held if k not in change.removed]
        rescored += len(keys)
        todo.append((party_id, names[party_id], tuple(keys)))
    for party_id, kept in rescore_all(whole, todo, workers):
        held = stored[party_id]
        for key in held:
            if key in change.removed or key in change.changed:
                continue  # drift is what re-weighting alone does
            found = kept.get(key)
            drift = max(drift, abs((found.score if found else floor) - held[key].score))
        result[party_id] = kept
    candidates: list[int] = []
    if change.touched:
        matcher = RegisterMatcher(small_index(full, change.touched), floor, threshold)
        candidates = candidate_names(parties.select("id", "keys"), matcher)
        work = [(pid, names[pid]) for pid in candidates]
        for party_id, found_new in match_all(matcher, work, workers):
            held_now = result.setdefault(party_id, {})
            for key, match in found_new.items():
                # a stored pair re-scored on every name of the entry is at least
                # as good as the best name retrieval found
                held_now.setdefault(key, match)
    return RescreenResult(
        matches=result,
        screened=len(result),
        candidates=len(candidates),
        rescored=rescored,
        max_drift=round(drift, 4),
        change=change,
    )


Job = tuple[int, str, tuple[str, ...] | None]
"""A name id, the name, and the listed parties to re-score (None: match afresh)."""

_SHARED: tuple[RegisterMatcher, list[Job]] | None = None
"""What forked workers read: the matcher and the jobs (inherited, not pickled)."""
PARALLEL_FROM = 2000
"""Fewer jobs than this run in this process (forking costs more)."""


def _run(matcher: RegisterMatcher, job: Job) -> tuple[int, dict[str, StoredMatch]]:
    party_id, name, keys = job
    if keys is None:
        return party_id, matcher.match(name)
    return party_id, matcher.rescore(name, keys) if keys else {}


def _slice(bounds: tuple[int, int]) -> list[tuple[int, dict[str, StoredMatch]]]:
    if _SHARED is None:
        raise RuntimeError("no work shared with the worker")
    matcher, jobs = _SHARED
    return [_run(matcher, job) for job in jobs[bounds[0] : bounds[1]]]


def _run_all(
    matcher: RegisterMatcher, jobs: list[Job], workers: int
) -> list[tuple[int, dict[str, StoredMatch]]]:
    """Run ``jobs`` in order, in ``workers`` forked processes when worth it."""
    global _SHARED
    if (
        workers <= 1
        or len(jobs) < PARALLEL_FROM
        or "fork" not in get_all_start_methods()
    ):
        return [_run(matcher, job) for job in jobs]
    _SHARED = (matcher, jobs)
    # the children inherit the parent's heap; a garbage collection there would
    # walk (and so copy) every page of it: freeze what exists before forking
    gc.freeze()
    try:
        step = -(-len(jobs) // workers)
        slices = [(i, min(i + step, len(jobs))) for i in range(0, len(jobs), step)]
        with get_context("fork").Pool(workers) as pool:
            parts = pool.map(_slice, slices)
    finally:
        _SHARED = None
        gc.unfreeze()
    return [item for part in parts for item in part]


def match_all(
    matcher: RegisterMatcher, work: list[tuple[int, str]], workers: int = 1
) -> list[tuple[int, dict[str, StoredMatch]]]:
    """Match every ``(name id, name)`` afresh."""
    return _run_all(matcher, [(pid, name, None) for pid, name in work], workers)


def rescore_all(
    matcher: RegisterMatcher,
    work: list[tuple[int, str, tuple[str, ...]]],
    workers: int = 1,
) -> list[tuple[int, dict[str, StoredMatch]]]:
    """Re-score each ``(name id, name, listed parties)``."""
    return _run_all(matcher, list(work), workers)


def full_rescreen(
    parties: pl.DataFrame,
    full: ScreeningIndex,
    *,
    floor: float,
    threshold: float,
    workers: int = 1,
    stored: Matches | None = None,
) -> RescreenResult:
    """Screen every register name against the whole index.

    With ``stored``, every pair the register held is also scored afresh against
    every name of the entry, as the delta does: the matcher's retrieval (which
    listed names it scores in full) is a heuristic on word weights, and a pair found
    once is not dropped, nor its best name missed, because the weights moved; it
    stays while its score stays at the floor.
    """
    matcher = RegisterMatcher(full, floor, threshold)
    work = list(zip(parties["id"].to_list(), parties["name"].to_list(), strict=True))
    result: Matches = dict(match_all(matcher, work, workers))
    if stored:
        names = dict(work)
        todo = [(pid, names[pid], tuple(held)) for pid, held in stored.items()]
        # scored against every name of the entry: at least the retrieved best
        for pid, kept in rescore_all(matcher, todo, workers):
            result.setdefault(pid, {}).update(kept)
    return RescreenResult(matches=result, screened=len(result))
