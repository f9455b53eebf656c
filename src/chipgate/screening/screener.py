"""The ``PartyScreener`` the engine calls: matches as ``ScreeningHit`` facts, memoized.

The engine screens every consignee and end user of every order, and the same
parties recur across orders, so results are memoized per (name, country).
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import NamedTuple, TypeVar

from chipgate.facts import ScreeningHit
from chipgate.screening.freshness import list_dates
from chipgate.screening.index import ScreeningIndex
from chipgate.screening.matcher import Match, NameMatcher
from chipgate.screening.model import ListEntry, ListInfo

DEFAULT_MAX_HITS = 10
NEAR_MISSES = 3  # near misses shown beside a single name's matches
T = TypeVar("T")
MEMO_SIZE = 262144
# A party as the memo keys it (name, country in capitals or None), and what is
# kept for it: each match as a hit, with its entry (for the date filter).
Party = tuple[str, str | None]
Found = tuple[tuple[ScreeningHit, ListEntry], ...]
# One name per path that builds a table on first use (``Screener.warm``): a
# person in another transliteration, a company with a number, a foreign name in
# Chinese characters, Cyrillic, Arabic and Hangul script.
WARM_UP_NAMES = (
    "Ivan Chtchoukine",
    "Acme Trading Co 12",
    "贝拉克·奥巴马",
    "Иван Петров",
    "محمد علي",
    "김정은",
)


def to_hit(
    match: Match,
    queried: str,
    threshold: float,
    list_dates: Mapping[str, str] | None = None,
    country: str | None = None,
) -> ScreeningHit:
    """Turn a match into the fact the engine consumes (role left empty).

    The entry's country shown is the queried one when the entry lists it.
    """
    entry = match.entry
    located = country if country and country in entry.countries else None
    explanation = match.explanation()
    if entry.listing:
        explanation += f"; listing {entry.listing}"
    return ScreeningHit(
        role="",
        queried_name=queried,
        list_code=entry.list_code,
        list_name=entry.list_name,
        entry_id=entry.entry_id,
        matched_name=match.matched_name,
        score=match.score,
        is_hit=match.score >= threshold,
        explanation=explanation,
        license_requirement=entry.license_requirement,
        license_policy=entry.license_policy,
        federal_register=entry.federal_register,
        footnotes=entry.footnotes,
        entry_country=located or (entry.countries[0] if entry.countries else None),
        source_url=entry.source_url,
        list_date=(list_dates or {}).get(entry.source),
        listed_from=entry.start_date,
        entry_kind=entry.kind,
    )


class Screener:
    """Screens party names against an index of the restricted-party lists.

    Args:
        index: the built index.
        threshold: score from which a match is a hit.
        review_threshold: score from which a match below ``threshold`` is still
            returned as a possible match (``is_hit`` False).
        max_hits: most matches returned per query, best first, when fewer of
            them are hits: every hit is returned, the possible matches fill
            the rest.
    """

    def __init__(
        self,
        index: ScreeningIndex,
        *,
        threshold: float,
        review_threshold: float,
        max_hits: int = DEFAULT_MAX_HITS,
    ) -> None:
        self.index = index
        self.matcher = NameMatcher(index)
        self.threshold = threshold
        self.review_threshold = min(review_threshold, threshold)
        self.max_hits = max_hits
        self._memo = Remembered(self._screen, MEMO_SIZE)
        self.list_dates = {i.source: i.list_date for i in index.infos if i.list_date}
        # what every decision records of the lists: fixed for the screener's life,
        # so built once here rather than for each order's facts
        self.lists_used = list_dates(index.infos)
        # The index is a large object graph that lives as long as the process:
        # moving it out of the cyclic collector's generations stops every full
        # collection from rescanning it (a third of batch time, and the latency tail).
        gc.freeze()

    def warm(self) -> None:
        """Build what the first queries would otherwise build on their way.

        The matcher reads some tables on the first name that asks (the name
        tables of ``name_groups``, the index's listed spellings of each name,
        the numbers' tables): a few hundred milliseconds that a long-running
        process (``chipgate serve``) should pay before it says it is ready, not
        inside a caller's request. Made here, they are also frozen out of the
        cyclic collector like the index. The answers are thrown away and the
        screener's memo is left empty.
        """
        for name in WARM_UP_NAMES:
            self.matcher.match(name, None, self.review_threshold)
        gc.freeze()

    @property
    def infos(self) -> list[ListInfo]:
        """The lists (files, hashes, dates) this screener was built from."""
        return self.index.infos

    def matches(
        self,
        name: str,
        country: str | None = None,
        floor: float | None = None,
        as_of: date | None = None,
    ) -> list[Match]:
        """Matches at ``floor`` (default: the review threshold) or above, best first.

        Only entries in force on ``as_of`` (default: today) count: a party listed
        after that date, or removed by then, is no match. The same party published
        by two files of one list (an SDN entry in the CSL and in OFAC's own file)
        is reported once.
        """
        found = self.matcher.match(
            name, country, self.review_threshold if floor is None else floor
        )
        return self._in_force(
            found, as_of, lambda m: m.entry, lambda m: m.score >= self.threshold
        )

    def _in_force(
        self,
        found: Iterable[T],
        as_of: date | None,
        entry_of: Callable[[T], ListEntry],
        is_hit: Callable[[T], bool],
    ) -> list[T]:
        """The items whose entry is in force on ``as_of``, one per entry, best
        first: every hit, and possible matches up to ``max_hits`` in all.

        A name that hits a group listed entry by entry (China State
        Shipbuilding's institutes, Huawei's affiliates) must show every entry
        it hits: each may carry its own list and license requirement, and
        capped at ten the NONSDN listing of "China State Shipbuilding
        Corporation Limited" was never shown behind the Entity List's.
        """
        day = as_of or datetime.now(UTC).date()
        seen: set[tuple[str, str]] = set()
        kept: list[T] = []
        for item in found:
            entry = entry_of(item)
            key = (entry.list_code, entry.entry_id)
            if entry.in_force(day) and key not in seen:
                seen.add(key)
                if len(kept) < self.max_hits or is_hit(item):
                    kept.append(item)
        return kept

    def _screen(self, name: str, country: str | None) -> Found:
        """Every match on any date (the date is applied per call, so the memo
        serves orders of every date)."""
        found = self.matcher.match(name, country, self.review_threshold)
        return self._found(name, country, found)

    def _found(self, name: str, country: str | None, found: list[Match]) -> Found:
        """The matches of ``name`` as the memo keeps them."""
        return tuple(
            (to_hit(m, name, self.threshold, self.list_dates, country), m.entry)
            for m in found
        )

    def screen(
        self, name: str, country: str | None = None, as_of: date | None = None
    ) -> Sequence[ScreeningHit]:
        """Hits and possible matches for ``name`` on ``as_of`` (default: today).

        The ``PartyScreener`` protocol; the entry point for any caller::

            screener = load_screener(Settings())
            for hit in screener.screen("Sophgo Technologies", "CN", date(2025, 3, 1)):
                print(hit.list_code, hit.matched_name, hit.score, hit.is_hit)
        """
        found = self._memo(name, _country_key(country))
        return self._on(found, as_of)

    def near_misses(
        self,
        name: str,
        country: str | None,
        as_of: date | None,
        floor: float,
        shown: Sequence[ScreeningHit] = (),
        limit: int = NEAR_MISSES,
    ) -> list[ScreeningHit]:
        """Up to ``limit`` listed names scoring from ``floor`` to just under the
        review threshold, best first, none of the entries ``shown``: no
        finding, but a name one letter from a listed one should not read "No
        match" with nothing to look at (``CHIPGATE_SCREENING_NEAR_MISS``)."""
        if floor >= self.review_threshold:
            return []
        seen = {(h.list_code, h.entry_id) for h in shown}
        out = []
        for match in self.matches(name, country, floor, as_of):
            hit = to_hit(match, name, self.threshold, self.list_dates, country)
            if (
                hit.score < self.review_threshold
                and (hit.list_code, hit.entry_id) not in seen
            ):
                out.append(replace(hit, is_hit=False))
        return out[:limit]

    def _on(self, found: Found, as_of: date | None) -> Sequence[ScreeningHit]:
        """The hits of ``found`` in force on ``as_of``."""
        return tuple(
            hit
            for hit, _ in self._in_force(
                found, as_of, lambda f: f[1], lambda f: f[0].is_hit
            )
        )

    def screen_all(
        self, parties: Sequence[tuple[str, str | None]], as_of: date | None = None
    ) -> list[Sequence[ScreeningHit]]:
        """``screen(name, country, as_of)`` of each party, in order: the same
        hits, the parties not remembered matched together
        (``NameMatcher.match_many``: their rankings made at once), for a
        batch's chunk of names."""
        keys = [(name, _country_key(country)) for name, country in parties]
        kept = [self._memo.find(key) for key in keys]
        missing = list(
            dict.fromkeys(
                key for key, found in zip(keys, kept, strict=True) if found is None
            )
        )
        made = self.matcher.match_many(missing, self.review_threshold)
        fresh: dict[Party, Found] = {}
        for key, matches in zip(missing, made, strict=True):
            fresh[key] = self._found(key[0], key[1], matches)
            self._memo.keep(key, fresh[key])
        return [
            self._on(fresh[key] if found is None else found, as_of)
            for key, found in zip(keys, kept, strict=True)
        ]

    def screen_many(
        self, parties: Iterable[tuple[str, str | None]], as_of: date | None = None
    ) -> Iterator[Sequence[ScreeningHit]]:
        """Screen ``(name, country)`` pairs in order (memoized like ``screen``)."""
        for name, country in parties:
            yield self.screen(name, country, as_of)


def _country_key(country: str | None) -> str | None:
    """A party's country as the memo keys it: in capitals, or None."""
    return (country or "").strip().upper() or None


class MemoInfo(NamedTuple):
    """``Remembered``'s counts, named as ``functools.lru_cache`` names them."""

    hits: int
    misses: int
    maxsize: int
    currsize: int


class Remembered:
    """The matches of the ``size`` parties last asked for, by (name, country).

    What ``functools.lru_cache`` kept (the least recently asked dropped), with a
    look-up that makes nothing (``find``) and a way in (``keep``), so that a
    batch looks its chunk's parties up first and matches the others together
    (``Screener.screen_all``). A lock guards the order (a service's threads
    share one screener); a party asked by two threads at once may be matched
    twice, as with ``lru_cache``, to the same matches.
    """

    def __init__(self, make: Callable[[str, str | None], Found], size: int) -> None:
        self._make = make
        self._size = size
        self._kept: OrderedDict[Party, Found] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def __call__(self, name: str, country: str | None) -> Found:
        """The kept matches of the party, made and kept if none are."""
        found = self.find((name, country))
        if found is None:
            found = self._make(name, country)
            self.keep((name, country), found)
        return found

    def find(self, party: Party) -> Found | None:
        """The matches kept for ``party`` (now the most recently asked), or None."""
        with self._lock:
            found = self._kept.get(party)
            if found is None:
                self.misses += 1
            else:
                self._kept.move_to_end(party)
                self.hits += 1
            return found

    def keep(self, party: Party, found: Found) -> None:
        """Keep ``found`` for ``party``, dropping the least recently asked party
        past the size."""
        with self._lock:
            self._kept[party] = found
            self._kept.move_to_end(party)
            if len(self._kept) > self._size:
                self._kept.popitem(last=False)

    def cache_info(self) -> MemoInfo:
        """The hits, misses, size and parties kept."""
        with self._lock:
            return MemoInfo(self.hits, self.misses, self._size, len(self._kept))
