"""Candidate ranking for one query: the names its words' postings reach, by shared weight.

``NameMatcher.retrieve`` gathers the postings of the query's words and decides which
of them a name must share (``_rarest_needed``); this module ranks the names they reach.
It is the hot loop of batch screening (most of a million-name run), so it avoids
per-name Python work where it can, without changing a single result:

- the postings of a query word's expansions are remembered with the expansion
  (``ScreeningIndex.expand_postings``);
- with many candidates, the ranking is done on NumPy arrays in the same IEEE double
  operations, in the same order, as the per-name loop it replaces, and the common
  words are credited by a binary search in their postings instead of reading every
  candidate's words (names where the order of additions could move the last bit
  of a sum, three common words or a repeated word, are summed as before);
- a candidate sharing no common word is credited nothing without reading its words;
- a batch's queries are ranked together (``Ranker.ranked_many``): the few dozen
  NumPy calls of a ranking, each of a fixed cost, made once for a chunk of names.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from itertools import chain, repeat
from operator import itemgetter
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from chipgate.screening.index import Posting, ScreeningIndex

# Below this many postings, summing in a dict beats NumPy's fixed costs.
SMALL_POSTINGS = 100
# Below this many candidates, ranking them one by one beats NumPy's fixed costs.
SMALL_RANKING = 32
# Below this many queries, ranking them one by one beats ranking them together.
SMALL_BATCH = 8
# Queries ranked together hold at most about this many postings' names, so
# that the arrays of a batch's ranking stay a few MiB (past it, the fixed
# costs shared are a small part already).
BATCH_POSTINGS = 1 << 16
# A posting's names and its weight (``Posting``).
_IDS, _WEIGHT = itemgetter(0), itemgetter(1)


class RankRequest(NamedTuple):
    """The arguments of one ``Ranker.ranked`` call, kept to be ranked with
    others (``Ranker.ranked_many``)."""

    used: list[Posting]
    rest: Mapping[str, float]
    query_weight: float
    cutoff: float
    limit: int
    subset: bool
    size: int  # the number of names of the ``used`` postings, all told


class Ranker:
    """Ranks the names reached by a query's postings by shared word weight (Dice).

    A name's retrieval score is ``2 (shared + common) / (name weight + query
    weight)``: ``shared`` sums the weights of the postings that reach it (in the
    order given), ``common`` the weights of the query's common words (``rest``)
    that the name holds, summed in the name's word order.

    With ``subset``, a name is also kept when the shared weight covers enough of
    the query alone (``shared / query weight``): a listed person is matched word
    for word with its extra words costing little (``person_alignment``), so a
    short query inside a long listed name scores far above its Dice. The
    register's matcher, which promises every pair at its floor, prunes this way;
    the ranking (and so the screener's capped candidate list) is unchanged.
    """

    def __init__(self, index: ScreeningIndex) -> None:
        self.index = index
        self.name_weight: list[float] = index.name_weight.tolist()
        self.weight64: npt.NDArray[np.float64] = index.name_weight.astype(np.float64)
        # 0, 1, 2, ... and a table of a slot per name for each thread
        # (``_unique_inverse``)
        self._places = np.arange(len(self.name_weight) + 1, dtype=np.intp)
        self._scratch = threading.local()

    @cached_property
    def tokens(self) -> list[tuple[str, ...]]:
        """Each name's words (made when first needed)."""
        return [n.tokens for n in self.index.name_norm]

    @cached_property
    def repeats(self) -> npt.NDArray[np.bool_]:
        """Whether a name repeats one of its words (made when first needed)."""
        return np.asarray(
            [len(set(n.tokens)) != len(n.tokens) for n in self.index.name_norm],
            dtype=np.bool_,
        )

    def ranked(
        self,
        used: list[Posting],
        rest: Mapping[str, float],
        query_weight: float,
        cutoff: float,
        limit: int,
        subset: bool = False,
        size: int | None = None,
    ) -> list[tuple[float, int]]:
        """``(score, id)`` of the ``limit`` best names at ``cutoff`` or above, best
        first (among equal scores, the higher id first). ``size``, when the
        caller knows it, is the number of names of all ``used`` postings."""
        if size is None:
            size = sum(len(ids) for ids, _, _ in used)
        if size <= SMALL_POSTINGS:
            sums: dict[int, float] = {}
            add = sums.get
            for ids, weight, _ in used:
                for name_id in ids.tolist():
                    sums[name_id] = add(name_id, 0.0) + weight
            return self._one_by_one(
                sums.items(), rest, query_weight, cutoff, limit, subset
            )
        arrays = list(map(_IDS, used))
        ids = np.concatenate(arrays)
        # array methods, not NumPy's functions: these run without the Python
        # wrapper the functions go through (``fromnumeric``), a few calls a query
        weights = np.fromiter(map(_WEIGHT, used), np.float64, len(used)).repeat(
            list(map(len, arrays))
        )
        unique, inverse = self._unique_inverse(ids)
        totals = np.asarray(np.bincount(inverse, weights=weights), dtype=np.float64)
        bound = 2.0 * (totals + sum(rest.values()))
        reach = self.index.name_weight[unique] + query_weight
        if subset:
            reach = np.minimum(reach, 2.0 * query_weight)
        hopeful = bound >= cutoff * reach
        unique, totals = unique[hopeful], totals[hopeful]
        if len(unique) <= SMALL_RANKING:
            pairs = zip(unique.tolist(), totals.tolist(), strict=True)
            return self._one_by_one(pairs, rest, query_weight, cutoff, limit, subset)
        return self._vectorised(
            unique, totals, rest, query_weight, cutoff, limit, subset
        )

    def _unique_inverse(
        self, ids: npt.NDArray[np.int32]
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.intp]]:
        """The distinct names of ``ids`` (in the order of one place of each)
        and the place of each of ``ids`` among them, without sorting.

        Each name's slot in a table as long as the index (one per thread, its
        old contents never read) is written with a place where it stands; the
        places that kept their slot give each name once. Writing the names'
        own numbers into their slots then gives each id its name's number.
        ``np.bincount`` over those adds a name's weights in the postings'
        order, as the sort it replaces did (the order of the names does not
        matter: the ranking sorts by score, then id).
        """
        slots: npt.NDArray[np.intp] | None = getattr(self._scratch, "slots", None)
        if slots is None:
            slots = self._scratch.slots = np.empty(len(self.name_weight), np.intp)
        at = self._places[: len(ids)]
        slots[ids] = at
        unique = ids[slots[ids] == at]
        slots[unique] = at[: len(unique)]
        return unique, slots[ids]

    def _one_by_one(
        self,
        sums: Iterable[tuple[int, float]],
        rest: Mapping[str, float],
        query_weight: float,
        cutoff: float,
        limit: int,
        subset: bool,
    ) -> list[tuple[float, int]]:
        name_weight = self.name_weight
        rest_total = sum(rest.values())
        ranked = []
        if not rest and not subset:
            # most queries of one word or two: no common word to credit, and the
            # reach is the Dice scale (``max(scale, 0.0)`` below)
            for name_id, total in sums:
                dice = total * (2.0 / (name_weight[name_id] + query_weight))
                if dice >= cutoff:
                    ranked.append((dice, name_id))
            return sorted(ranked, reverse=True)[:limit]
        names = self.tokens
        covered = 1.0 / query_weight if subset else 0.0
        common = rest.keys()
        credit, nothing = rest.get, repeat(0.0)
        for name_id, total in sums:
            scale = 2.0 / (name_weight[name_id] + query_weight)
            # ``max(scale, covered)``: the scale is positive, so without subset
            # (``covered`` 0.0) it is the scale itself
            reach = scale if scale >= covered else covered
            if (total + rest_total) * reach < cutoff:
                continue
            tokens = names[name_id]
            # the common words' weights in the name's word order, as summed by
            # ``sum(rest.get(t, 0.0) for t in tokens)``
            extra = (
                sum(map(credit, tokens, nothing))
                if rest and not common.isdisjoint(tokens)
                else 0.0
            )
            if (total + extra) * reach >= cutoff:
                ranked.append(((total + extra) * scale, name_id))
        # best first, among equal scores the higher id first (no two alike)
        return sorted(ranked, reverse=True)[:limit]

    def _vectorised(
        self,
        ids: npt.NDArray[np.int32],
        totals: npt.NDArray[np.float64],
        rest: Mapping[str, float],
        query_weight: float,
        cutoff: float,
        limit: int,
        subset: bool,
    ) -> list[tuple[float, int]]:
        scale = 2.0 / (self.weight64[ids] + query_weight)
        reach = np.maximum(scale, 1.0 / query_weight) if subset else scale
        # every test below is one name's own, so they are made on all the names
        # and joined, and the names cut once
        kept = (totals + sum(rest.values())) * reach >= cutoff
        if rest:
            extra = np.zeros(len(ids), dtype=np.float64)
            held = np.zeros(len(ids), dtype=np.intp)
            postings = self.index.postings
            for word, weight in rest.items():
                found = postings[word]
                at = found.searchsorted(ids)
                np.minimum(at, len(found) - 1, out=at)
                present = found[at] == ids
                extra += present * weight  # ``x + 0.0`` is ``x``
                held += present
            # two additions give the same double in either order; three may not,
            # and a repeated word counts twice: sum those in the name's word order
            names = self.tokens
            redo = (held >= 3) | ((held >= 1) & self.repeats[ids])
            for i in redo.nonzero()[0].tolist():
                extra[i] = sum(rest.get(t, 0.0) for t in names[int(ids[i])])
            totals = totals + extra
        passed = (kept & (totals * reach >= cutoff)).nonzero()[0]
        dice = (totals[passed] * scale[passed]).tolist()
        # best first, among equal scores the higher id first (no two names
        # alike: sorted whole, which for the few that pass beats a heap)
        return sorted(zip(dice, ids[passed].tolist(), strict=True), reverse=True)[
            :limit
        ]

    def ranked_many(
        self, requests: Sequence[RankRequest]
    ) -> list[list[tuple[float, int]]]:
        """``ranked(*request)`` for each of ``requests``, the same lists, made
        together: the few dozen NumPy calls a query's ranking makes, each of a
        fixed cost of about a microsecond, are made once for a run of queries
        (``_together``) holding up to ``BATCH_POSTINGS`` postings' names."""
        found: list[list[tuple[float, int]]] = []
        start = held = 0
        for end, request in enumerate(requests, 1):
            held += request.size
            if held >= BATCH_POSTINGS or end == len(requests):
                found += self._together(requests[start:end])
                start, held = end, 0
        return found

    def _together(
        self, requests: Sequence[RankRequest]
    ) -> list[list[tuple[float, int]]]:
        """``ranked_many`` of a run of requests, all at once.

        Each (query, name) pair is one element, keyed ``query * names + name``;
        its weights are summed by ``np.bincount`` in its postings' order, as
        ``ranked`` sums them, and every test below is the one ``ranked`` makes,
        in the same IEEE operations: the float32 test of the hopeful names only
        for a query with more than ``SMALL_POSTINGS`` names (the one-by-one
        path of ``ranked`` makes none), the common words credited as
        ``_vectorised`` credits them (summed in the name's word order when the
        order of additions could move the last bit), best first, among equal
        scores the higher id first.
        """
        if len(requests) < SMALL_BATCH:
            return [self.ranked(*request) for request in requests]
        names = len(self.name_weight)
        count = len(requests)
        arrays = list(chain.from_iterable(map(_IDS, r.used) for r in requests))
        if not arrays:
            return [[] for _ in requests]
        lengths = list(map(len, arrays))
        weights = np.fromiter(
            chain.from_iterable(map(_WEIGHT, r.used) for r in requests),
            np.float64,
            len(arrays),
        ).repeat(lengths)
        sizes = [request.size for request in requests]
        keys = np.arange(count, dtype=np.int64).repeat(sizes) * names
        keys += np.concatenate(arrays)
        unique, inverse = _merged_unique_inverse(keys)
        totals = np.bincount(inverse, weights=weights)
        query = unique // names
        ids = unique - query * names
        query_weight = np.fromiter(
            (r.query_weight for r in requests), np.float64, count
        )
        cutoff = np.fromiter((r.cutoff for r in requests), np.float64, count)
        rest_total = np.fromiter(
            (sum(r.rest.values()) for r in requests), np.float64, count
        )
        subset = np.fromiter((r.subset for r in requests), np.bool_, count)
        large = np.fromiter((s > SMALL_POSTINGS for s in sizes), np.bool_, count)
        # ``ranked``'s hopeful names, in float32 as it tests them (the weak
        # scalar is cast to the array's float32), for the large queries only
        reach32 = self.index.name_weight[ids] + query_weight.astype(np.float32)[query]
        if subset.any():
            halved = (2.0 * query_weight).astype(np.float32)[query]
            reach32 = np.where(subset[query], np.minimum(reach32, halved), reach32)
        hopeful = 2.0 * (totals + rest_total[query]) >= (
            cutoff.astype(np.float32)[query] * reach32
        )
        hopeful |= ~large[query]
        query, ids, totals = query[hopeful], ids[hopeful], totals[hopeful]
        own_weight = query_weight[query]
        own_cutoff = cutoff[query]
        scale = 2.0 / (self.weight64[ids] + own_weight)
        reach = scale
        if subset.any():
            reach = np.where(subset[query], np.maximum(scale, 1.0 / own_weight), scale)
        kept = (totals + rest_total[query]) * reach >= own_cutoff
        totals = totals + self._credits(requests, query, ids)
        passed = (kept & (totals * reach >= own_cutoff)).nonzero()[0]
        dice = totals[passed] * scale[passed]
        query, ids = query[passed], ids[passed]
        order = np.lexsort((-ids, -dice, query))
        query, ids, dice = query[order], ids[order], dice[order]
        bounds = np.searchsorted(query, np.arange(count + 1)).tolist()
        pairs = list(zip(dice.tolist(), ids.tolist(), strict=True))
        return [
            pairs[bounds[at] : min(bounds[at + 1], bounds[at] + request.limit)]
            for at, request in enumerate(requests)
        ]

    def _credits(
        self,
        requests: Sequence[RankRequest],
        query: npt.NDArray[np.int64],
        ids: npt.NDArray[np.int64],
    ) -> npt.NDArray[np.float64]:
        """The common words' weights (``rest``) each name of ``ids`` holds,
        for the query it is ranked for (``query``, sorted), as ``_vectorised``
        credits them: a name holding one or two of them gets their sum (the
        same double in either order), one holding three or repeating one of
        them gets the sum in its word order."""
        asked: list[int] = []
        index: dict[str, int] = {}
        words: list[int] = []
        weights: list[float] = []
        for place, request in enumerate(requests):
            for word, weight in request.rest.items():
                asked.append(place)
                words.append(index.setdefault(word, len(index)))
                weights.append(weight)
        if not asked:
            return np.zeros(len(ids), dtype=np.float64)
        names = len(self.name_weight)
        # each word's names, keyed ``word * names + name`` (sorted)
        parts = list(map(self.index.postings.__getitem__, index))
        table = np.concatenate(parts).astype(np.int64)
        table += np.arange(len(parts), dtype=np.int64).repeat(
            list(map(len, parts))
        ) * names
        # the places of each query's names (``query`` is sorted)
        bounds = np.searchsorted(query, np.arange(len(requests) + 1))
        low = bounds[:-1]
        spans = (bounds[1:] - low)[asked]
        starts = np.cumsum(spans) - spans
        places = np.arange(int(spans.sum())) + np.repeat(low[asked] - starts, spans)
        probe = np.repeat(np.asarray(words, dtype=np.int64) * names, spans)
        probe += ids[places]
        at = table.searchsorted(probe)
        np.minimum(at, len(table) - 1, out=at)
        present = table[at] == probe
        extra = np.asarray(
            np.bincount(
                places,
                weights=present * np.repeat(np.asarray(weights, np.float64), spans),
                minlength=len(ids),
            ),
            dtype=np.float64,
        )
        held = np.bincount(places, weights=present, minlength=len(ids))
        tokens = self.tokens
        redo = (held >= 3) | ((held >= 1) & self.repeats[ids])
        for i in redo.nonzero()[0].tolist():
            rest = requests[int(query[i])].rest
            extra[i] = sum(rest.get(t, 0.0) for t in tokens[int(ids[i])])
        return extra


def _merged_unique_inverse(
    keys: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """The distinct ``keys`` (sorted) and the place of each key among them.

    ``np.unique(keys, return_inverse=True)``, by a stable sort: the keys are
    runs already sorted (a posting's names, in order), which the stable sort
    merges at a fraction of the cost of the quicksort ``np.unique`` makes."""
    order = keys.argsort(kind="stable")
    ranked = keys[order]
    new = np.empty(len(keys), dtype=np.bool_)
    new[:1] = True
    np.not_equal(ranked[1:], ranked[:-1], out=new[1:])
    inverse = np.empty(len(keys), dtype=np.intp)
    inverse[order] = new.cumsum() - 1
    return ranked[new], inverse
