"""The bench of the lists' own alias pairs (``bench/screening_aliases.py``)."""

from __future__ import annotations

from bench.screening_aliases import (
    across,
    alias_pairs,
    listed_names,
    names,
    organisation,
    short_of_itself,
)

from chipgate.screening.index import build_index
from chipgate.screening.model import ListEntry
from chipgate.screening.screener import Screener

ENTRIES = [
    ListEntry(
        "t",
        "SDN",
        "SDN",
        "1",
        "AL-RAHMAH CHARITY FOUNDATION",
        ("EL RAHMAH CHARITY FOUNDATION", "مؤسسة الرحمة"),
        kind="entity",
    ),
    ListEntry("t", "UN", "UN", "2", "AL-RAHMAH CHARITY FOUNDATION", kind="entity"),
    ListEntry(
        "t",
        "SDN",
        "SDN",
        "3",
        "PUTIN, Vladimir",
        ("PUTIN, Vladimir Vladimirovich",),
        kind="individual",
    ),
    ListEntry("t", "SDN", "SDN", "4", "VICTORY", kind="vessel"),
]


def test_names_are_the_latin_ones_primary_first() -> None:
    assert names(ENTRIES[0]) == [
        "AL-RAHMAH CHARITY FOUNDATION",
        "EL RAHMAH CHARITY FOUNDATION",
    ]


def test_organisations_are_entities_not_vessels_or_persons() -> None:
    assert [organisation(e) for e in ENTRIES] == [True, True, False, False]


def test_pairs_of_one_entry_and_hits_across_entries() -> None:
    index = build_index([], ENTRIES)
    matcher = Screener(index, threshold=0.9, review_threshold=0.8).matcher
    persons = [(e.entry_id, q, s) for e, _, q, s in alias_pairs(index, matcher, True)]
    assert persons == [("3", "PUTIN, Vladimir Vladimirovich", 1.0)]
    organisations = list(alias_pairs(index, matcher, False))
    assert [(e.entry_id, q) for e, _, q, _ in organisations] == [
        ("1", "EL RAHMAH CHARITY FOUNDATION")
    ]
    # the UN entry has the SDN entry's primary name: the same party, not counted
    assert list(across(index, matcher)) == []
    assert list(across(index, matcher, persons=True)) == []


def test_listed_persons_across_entries() -> None:
    entries = [
        ListEntry("t", "SDN", "SDN", "1", "GADDAFI, Saadi", kind="individual"),
        ListEntry("t", "UN", "UN", "2", "SAADI QADHAFI", kind="individual"),
        ListEntry("t", "SDN", "SDN", "3", "JOHNSON, Boris", kind="individual"),
    ]
    index = build_index([], entries)
    matcher = Screener(index, threshold=0.9, review_threshold=0.8).matcher
    found = {(row[0], row[2]) for row in across(index, matcher, persons=True)}
    assert found == {("SDN:1", "UN:2"), ("UN:2", "SDN:1")}


def test_names_short_of_their_own_entry() -> None:
    entries = [
        *ENTRIES,
        # a name the index reads otherwise than a query did ("TEN" as 10)
        ListEntry("t", "SDN", "SDN", "5", "TEN, Sergey Yuryevich", kind="individual"),
    ]
    screener = Screener(build_index([], entries), threshold=0.9, review_threshold=0.8)
    for persons in (True, False):
        names = listed_names(screener.index, persons)
        assert names
        assert list(short_of_itself(screener, names)) == []
    # an entry out of force is no match of its own name
    gone = ListEntry(
        "t", "EL", "EL", "6", "ACME TRADING CO", kind="entity", end_date="2020-01-01"
    )
    screener = Screener(
        build_index([], [*entries, gone]), threshold=0.9, review_threshold=0.8
    )
    names = listed_names(screener.index, persons=False)
    assert list(short_of_itself(screener, names)) == [("ACME TRADING CO", 0.0)]
