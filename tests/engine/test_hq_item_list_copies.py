"""The headquarters requirement's item list is written once per citation period
(ac-2023 before and from 2025-01-13, bis-hq-2026 from the May 2026 guidance) only
so that each period cites what was in force: the items themselves never changed, so
an edit to one copy that the others miss would change dated answers silently."""

from __future__ import annotations

from chipgate.regimes.library import default_library

PARAMETER = "ac.hq_controlled_eccns"


def test_every_dated_copy_names_the_same_items() -> None:
    library = default_library()
    copies = [
        (pack_id, dated.since, frozenset(dated.value))
        for pack_id, pack in sorted(library.packs.items())
        if PARAMETER in pack.parameters
        for dated in pack.parameters[PARAMETER].values
    ]
    assert len(copies) >= 3, copies
    assert len({items for _, _, items in copies}) == 1, copies
