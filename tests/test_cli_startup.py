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


def test_version_runs_without_them() -> None:
    code = (
        "import sys\nsys.argv = ['chipgate', 'version']\nimport chipgate.cli.app as a\n"
        "try:\n    a.main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[-1] == "[]"
