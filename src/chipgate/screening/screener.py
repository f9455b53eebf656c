"""The ``PartyScreener`` the engine calls: matches as ``ScreeningHit`` facts, memoized.

The engine screens every consignee and end user of every order, and the same
parties recur across orders, so results are memoized per (name, country).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import TypeVar

from chipgate.facts import ScreeningHit
from chipgate.screening.freshness import list_dates
from chipgate.screening.index import ScreeningIndex
from chipgate.screening.matcher import Match, NameMatcher
from chipgate.screening.model import ListEntry, ListInfo

DEFAULT_MAX_HITS = 10
T = TypeVar("T")
MEMO_SIZE = 262144
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
        max_hits: most matches returned per query, best first.
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
        self._memo = lru_cache(maxsize=MEMO_SIZE)(self._screen)
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
        return self._in_force(found, as_of, lambda m: m.entry)

    def _in_force(
        self, found: Iterable[T], as_of: date | None, entry_of: Callable[[T], ListEntry]
    ) -> list[T]:
        """The items whose entry is in force on ``as_of``, one per entry, capped."""
        day = as_of or datetime.now(UTC).date()
        seen: set[tuple[str, str]] = set()
        kept: list[T] = []
        for item in found:
            entry = entry_of(item)
            key = (entry.list_code, entry.entry_id)
            if entry.in_force(day) and key not in seen:
                seen.add(key)
                kept.append(item)
        return kept[: self.max_hits]

    def _screen(
        self, name: str, country: str | None
    ) -> tuple[tuple[ScreeningHit, ListEntry], ...]:
        """Every match on any date (the date is applied per call, so the memo
        serves orders of every date)."""
        found = self.matcher.match(name, country, self.review_threshold)
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
        found = self._memo(name, (country or "").strip().upper() or None)
        return tuple(hit for hit, _ in self._in_force(found, as_of, lambda f: f[1]))

    def screen_many(
        self, parties: Iterable[tuple[str, str | None]], as_of: date | None = None
    ) -> Iterator[Sequence[ScreeningHit]]:
        """Screen ``(name, country)`` pairs in order (memoized like ``screen``)."""
        for name, country in parties:
            yield self.screen(name, country, as_of)
