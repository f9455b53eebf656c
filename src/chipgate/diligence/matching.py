"""Screening register names: every match of one name, and one pair re-scored.

The register keeps every match at the review threshold or above, so a list change can
be applied as a difference. ``RegisterMatcher`` therefore lifts the ``NameMatcher``'s
two speed caps that make a name's result depend on the rest of the lists (the number
of names scored in full, and skipping very common words): what a name matches is then
decided by its score against each listed name alone, given the word weights.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from chipgate.screening.index import ScreeningIndex
from chipgate.screening.matcher import NameMatcher
from chipgate.screening.model import ListEntry
from chipgate.screening.normalize import NormalizedName, normalize, person_form

UNBOUNDED = sys.maxsize

RETRIEVAL_SLACK = 0.2
"""How much further below the floor than the interactive screener the register's
retrieval reaches. Retrieval ranks by shared word weight, which the company rules
(function and generic words set aside) and initials can beat by more than the
screener's margin; a pair it drops under one list's weights and keeps under the
next would make the delta re-screen differ from the full one."""


def entry_key(entry: ListEntry) -> str:
    """The key one listed party is known by across files: ``LIST:ID``.

    The same SDN entry published in the CSL and in OFAC's own file is one key.
    """
    return f"{entry.list_code}:{entry.entry_id}"


KEY_PARTS = 4
"""Parts of ``party_keys``: words, joined pairs, person-form words, script flag."""


def party_keys(name: str) -> str:
    """What retrieval reads of a name, computed once (on import), ``|``-separated.

    The words of the name; its adjacent word pairs written together; the words of
    its person form (company forms kept, titles dropped, particles joined: the
    matcher retrieves by those too, and weighs the name by the lighter of the two
    forms); and ``abjad`` for a name in Arabic script (retrieved by consonants
    as well). A name can only match a listed name that shares (or nearly shares)
    one of these words, which is what lets a list change skip every other
    customer.

    >>> party_keys("Hua Wei Technologies Co., Ltd.")
    'hua wei technologies|huawei weitechnologies|hua wei technologies co ltd|'
    """
    query = normalize(name)
    joined = [a + b for a, b in pairwise(query.tokens)]
    person = person_form(query).tokens
    flag = "abjad" if query.script == "abjad" else ""
    return "|".join((" ".join(query.tokens), " ".join(joined), " ".join(person), flag))


@dataclass(frozen=True, slots=True)
class StoredMatch:
    """One match of one register name against one listed party."""

    entry_key: str
    list_code: str
    entry_id: str
    matched_name: str
    score: float
    is_hit: bool
    explanation: str


class RegisterMatcher:
    """Scores register names against an index, without the lists-wide speed caps.

    Args:
        index: the list index; for a delta, a small index of the changed entries
            carrying the word weights of the full index.
        floor: lowest score kept (the review threshold).
        threshold: score from which a match is a hit.
    """

    def __init__(self, index: ScreeningIndex, floor: float, threshold: float) -> None:
        self.index = index
        self.floor = floor
        self.threshold = threshold
        self.matcher = NameMatcher(index, candidates=UNBOUNDED)
        self.matcher.common = UNBOUNDED
        self.matcher.subset = True  # a short name inside a long listed one
        names: dict[str, list[int]] = defaultdict(list)
        keys = [entry_key(e) for e in index.entries]
        for name_id, position in enumerate(index.name_entry.tolist()):
            names[keys[position]].append(name_id)
        self._keys = keys
        self._names = dict(names)

    def _best(
        self, query: NormalizedName, name_ids: list[int]
    ) -> dict[str, StoredMatch]:
        best: dict[str, tuple[float, int]] = {}
        scored = {}
        for name_id in name_ids:
            total, features = self.matcher.score(query, name_id)
            total = round(total, 4)
            if total < self.floor:
                continue
            key = self._keys[int(self.index.name_entry[name_id])]
            held = best.get(key)
            if held is None or (total, -name_id) > (held[0], -held[1]):
                best[key] = (total, name_id)
                scored[key] = features
        found = {}
        for key, (total, name_id) in best.items():
            entry = self.index.entries[int(self.index.name_entry[name_id])]
            text = self.index.name_text[name_id]
            kind = "alias" if self.index.name_kind[name_id] else "name"
            detail = "; ".join(
                f"{f.name}={f.score:.2f} ({f.detail})" for f in scored[key]
            )
            found[key] = StoredMatch(
                entry_key=key,
                list_code=entry.list_code,
                entry_id=entry.entry_id,
                matched_name=text,
                score=total,
                is_hit=total >= self.threshold,
                explanation=f"{kind} '{text}'; {detail}",
            )
        return found

    @property
    def retrieval_floor(self) -> float:
        """The floor retrieval prunes at (``RETRIEVAL_SLACK`` below the kept floor)."""
        return self.floor - RETRIEVAL_SLACK

    def match(self, name: str) -> dict[str, StoredMatch]:
        """Every listed party ``name`` matches at the floor or above, by entry key."""
        query = normalize(name)
        if not query.tokens:
            return {}
        return self._best(query, self.matcher.retrieve(query, self.retrieval_floor))

    def rescore(self, name: str, keys: Iterable[str]) -> dict[str, StoredMatch]:
        """The matches of ``name`` with the listed parties ``keys``, scored afresh
        (those now below the floor, or no longer listed, left out)."""
        query = normalize(name)
        ids = [i for key in keys for i in self._names.get(key, ())]
        if not query.tokens or not ids:
            return {}
        return self._best(query, ids)
