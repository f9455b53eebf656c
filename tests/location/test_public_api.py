"""The package's public names: sorted, complete and all importable."""

from __future__ import annotations

import subprocess
import sys

import pytest

import chipgate.location as location


def test_all_is_sorted_and_every_name_resolves() -> None:
    assert location.__all__ == sorted(location.__all__)
    for name in location.__all__:
        assert getattr(location, name) is not None
    with pytest.raises(AttributeError):
        _ = location.not_a_name  # type: ignore[attr-defined]


def test_the_engine_hook_does_not_load_the_geometry_stack() -> None:
    heavy = "('shapely', 'pyproj', 'matplotlib')"
    code = (
        "import sys, chipgate.location.provider; "
        f"print(any(m.startswith({heavy}) for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
