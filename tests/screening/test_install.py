"""Screening needs no ICU: nothing that compiles from source is imported.

The install itself is checked by ``.ci/install-check`` (a throwaway venv built
from wheels only); this test shows that the code never reaches for the ICU
bindings, or for the libraries that required them.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BLOCKED = ("icu", "rigour", "normality")

SCRIPT = """
import sys
for name in {blocked!r}:
    sys.modules[name] = None  # any import of it raises ImportError
from chipgate.screening.normalize import normalize
print(normalize("ООО «Рособоронэкспорт»").text, "|", normalize("金正恩").text)
"""


def test_dependencies_have_no_icu() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = {
        d.split(">")[0].split("=")[0].strip().lower()
        for d in project["project"]["dependencies"]
    }
    assert not names & {"pyicu", "rigour", "normality"}


def test_normalization_runs_without_icu() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(blocked=BLOCKED)],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(ROOT / "src")},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "rosoboroneksport | jin zheng en"
