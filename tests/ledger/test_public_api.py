"""The ledger's public surface is what ``__all__`` says, sorted, and all importable."""

from __future__ import annotations

import chipgate.ledger as ledger_package


def test_all_is_sorted_and_every_name_is_exported() -> None:
    names = ledger_package.__all__
    assert names == sorted(names)
    assert all(hasattr(ledger_package, name) for name in names)
    public = {n for n in vars(ledger_package) if not n.startswith("_")}
    modules = {
        n for n in public if type(getattr(ledger_package, n)).__name__ == "module"
    }
    assert public - modules == set(names)
