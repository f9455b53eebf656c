"""The benchmark's list change is built from the real current lists."""

from __future__ import annotations

from pathlib import Path

from bench.diligence import CHANGE, CSL_SOURCES, list_change

from chipgate.diligence.matching import entry_key
from chipgate.screening.model import ListEntry
from chipgate.screening.sources import load_lists


def listed_on(entries: list[ListEntry]) -> dict[str, str]:
    """Each CSL party's latest listing date."""
    dated: dict[str, str] = {}
    for e in entries:
        if e.source in CSL_SOURCES and e.start_date:
            dated[entry_key(e)] = max(dated.get(entry_key(e), ""), e.start_date)
    return dated


def test_change_is_the_200_csl_parties_listed_last(shared_data: Path) -> None:
    loaded = load_lists(shared_data / "lists")
    latest, before = list_change(loaded.entries)
    keys = {entry_key(e) for e in latest}
    assert len(keys) == CHANGE == 200  # the diff adds 200 parties
    assert not keys & {entry_key(e) for e in before}
    assert len(latest) + len(before) == len(loaded.entries)
    changed, kept = listed_on(latest), listed_on(before)
    assert set(changed) == keys
    # the parties listed last: none left behind is listed later, all are recent
    assert min(changed.values()) >= max(kept.values())
    assert min(changed.values()) > "2024"
