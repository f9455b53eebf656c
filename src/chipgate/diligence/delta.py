"""Re-screening the register after a list change: the difference, and only what it touches.

A change of the lists is three sets of entry keys: added, removed and changed (same
key, different content). A register name's matches can change only if

* it shares a word (or a near word) with an added or changed entry: it is scored
  against a small index of just those entries, which carries the full index's word
  weights so that every score equals the full re-screen's; or
* it held a match with any entry: that pair is scored afresh against the new lists
  (word weights move with the lists), and dropped when removed or below the floor.

Everything else keeps its (empty) result. ``full_rescreen`` scores every name against
the whole index; the tests hold the two to the same result.

Word weights move with the lists, so a pair just below the review threshold may rise
above it when unrelated entries change. The register therefore keeps every pair down
to ``DRIFT_MARGIN`` below the review threshold (stored, not shown) and re-scores
those too; each run reports the largest drift it saw (``max_drift``), and a drift
near the margin is reported as a reason to run a full re-screen.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import polars as pl

from chipgate.diligence.matching import RegisterMatcher, StoredMatch, entry_key
from chipgate.screening.index import ScreeningIndex, build_index
from chipgate.screening.model import ListEntry

Matches = dict[int, dict[str, StoredMatch]]
"""Register name id -> entry key -> match."""

DRIFT_MARGIN = 0.1
"""How far below the review threshold pairs are kept, so that re-weighting by a list
change cannot lift an unseen pair into view (observed drifts: docs/diligence.md)."""


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
    idf = {word: full.idf[word] for word in small.idf}
    weights = np.asarray(
        [sum(idf[t] for t in n.tokens) for n in small.name_norm], dtype=np.float32
    )
    return replace(
        small, idf=idf, unknown_weight=full.unknown_weight, name_weight=weights
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


def candidate_names(parties: pl.DataFrame, matcher: RegisterMatcher) -> list[int]:
    """Ids of register names sharing a word (or a near word) with ``matcher``'s index.

    Args:
        parties: columns ``id`` and ``keys`` (see ``matching.party_keys``).
    """
    words = parties.select(pl.col("keys").str.split(" ").explode().unique())
    hot = [w for w in words.to_series().to_list() if w and matcher.reaches(w)]
    if not hot:
        return []
    found = (
        parties.lazy()
        .select("id", pl.col("keys").str.split(" ").alias("word"))
        .explode("word")
        .filter(pl.col("word").is_in(hot))
        .select(pl.col("id").unique())
        .collect()
    )
    return sorted(found.to_series().to_list())


def delta_rescreen(
    parties: pl.DataFrame,
    stored: Matches,
    full: ScreeningIndex,
    change: ListChange,
    *,
    floor: float,
    threshold: float,
) -> RescreenResult:
    """Apply a list change to the stored matches of the register's names.

    Args:
        parties: register names, columns ``id``, ``name``, ``keys``.
        stored: the current matches, by name id.
        full: the index of the new lists.
        change: the difference between the lists ``stored`` was made with and these.
        floor: lowest score kept (``keep_floor`` of the review threshold).
        threshold: hit threshold.

    Returns:
        The new match set of every name that was screened again (others keep theirs).
    """
    names = dict(zip(parties["id"].to_list(), parties["name"].to_list(), strict=True))
    result: Matches = {}
    rescored = 0
    drift = 0.0
    whole = RegisterMatcher(full, floor, threshold)
    for party_id, held in stored.items():
        kept: dict[str, StoredMatch] = {}
        for key in held:
            if key in change.removed or key in change.changed:
                continue
            rescored += 1
            found = whole.rescore(names[party_id], key)
            drift = max(drift, abs((found.score if found else floor) - held[key].score))
            if found is not None:
                kept[key] = found
        result[party_id] = kept
    candidates: list[int] = []
    if change.touched:
        matcher = RegisterMatcher(small_index(full, change.touched), floor, threshold)
        candidates = candidate_names(parties.select("id", "keys"), matcher)
        for party_id in candidates:
            found_new = matcher.match(names[party_id])
            if found_new:
                result.setdefault(party_id, {}).update(found_new)
            else:
                result.setdefault(party_id, {})
    return RescreenResult(
        matches=result,
        screened=len(result),
        candidates=len(candidates),
        rescored=rescored,
        max_drift=round(drift, 4),
        change=change,
    )


def full_rescreen(
    parties: pl.DataFrame, full: ScreeningIndex, *, floor: float, threshold: float
) -> RescreenResult:
    """Screen every register name against the whole index."""
    matcher = RegisterMatcher(full, floor, threshold)
    result: Matches = {}
    for party_id, name in zip(
        parties["id"].to_list(), parties["name"].to_list(), strict=True
    ):
        result[party_id] = matcher.match(name)
    return RescreenResult(matches=result, screened=len(result))
