"""The register's public surface is what ``__all__`` says, sorted, and all importable."""

from __future__ import annotations

import chipgate.diligence as package


def test_all_is_sorted_and_every_name_is_exported() -> None:
    names = package.__all__
    assert names == sorted(names)
    assert all(hasattr(package, name) for name in names)
    public = {n for n in vars(package) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(package, n)).__name__ == "module"}
    # names load on first use (``__getattr__``): none but these is public
    assert public - modules <= set(names)
