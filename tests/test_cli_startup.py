"""The CLI starts without its heavy libraries: they load inside the commands.

(Its start-up time is measured by ``python -m bench cli``, not here.)
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = (
    "polars",
    "pyarrow",
    "sqlalchemy",
    "alembic",
    "rapidfuzz",
    "icu",
    "numpy",
    "shapely",
    "pyproj",
    "matplotlib",
    "fastapi",
    "uvicorn",
    "pydantic_settings",
    "chipgate.decide.engine",
    "chipgate.screening",
    "chipgate.ledger",
)


def test_importing_the_cli_loads_no_heavy_library() -> None:
    code = (
        "import sys, chipgate.cli.app\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def _loaded_after(args: list[str], names: tuple[str, ...]) -> list[str]:
    code = (
        f"import sys\nsys.argv = ['chipgate', *{args!r}]\nimport chipgate.cli.app as a\n"
        "try:\n    a.main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {names!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    return [line for line in out if line.startswith("[")][-1:]


def test_version_runs_without_them() -> None:
    assert _loaded_after(["version"], HEAVY) == ["[]"]


def test_version_and_help_load_no_pydantic() -> None:
    # typer builds a pydantic adapter for a flag left at no default (app._unset_flags)
    light = ("pydantic", "chipgate.orders.model", "chipgate.settings")
    assert _loaded_after(["version"], (*light, "rich.table", "rich.progress")) == ["[]"]
    assert _loaded_after(["--help"], light) == ["[]"]
