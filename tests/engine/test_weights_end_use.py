"""Closed model weights meet the end-use controls that reach any item subject to
the EAR, but not 744.23(a)'s, which reach items on the CCL: weights carry no
ECCN here, so a declared supercomputer end use asks for their classification."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from chipgate.cli.app import app

HEADER = (
    "id,date,kind,item,quantity,destination,consignee,consignee_hq,end_user,"
    "end_user_hq,end_use,training_operations,open_weights\n"
)


def _decided(tmp_path: Path, end_use: str) -> dict[str, object]:
    book = tmp_path / "weights.csv"
    book.write_text(
        HEADER
        + f"W1,2026-03-01,model_weights,,1,CN,Lab,CN,Lab,CN,{end_use},1e24,false\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["check", str(book), "--no-screening", "--format", "jsonl"]
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("{"))
    return json.loads(line)  # type: ignore[no-any-return]


def test_a_supercomputer_end_use_asks_to_classify_the_weights(tmp_path: Path) -> None:
    decided = _decided(tmp_path, "supercomputer")
    # not a license taken as needed: the weights were "treated as listed"
    assert decided["outcome"] == "no_license_required"
    assert "classify the weights" in str(decided["red_flags"])


def test_a_wmd_end_use_needs_a_license_for_the_weights(tmp_path: Path) -> None:
    decided = _decided(tmp_path, "wmd")
    assert decided["outcome"] == "license_required"
    assert "EUC.WMD" in decided["rules"]  # type: ignore[operator]
