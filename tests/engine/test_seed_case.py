"""The seed case, across separate runs of `chipgate check --commit` on one store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipgate.cli.app import app
from chipgate.orders.columns import CORE_COLUMNS


def book(path: Path, *rows: tuple[str, str, int, str]) -> Path:
    lines = [",".join(CORE_COLUMNS)]
    for order_id, day, quantity, consignee in rows:
        lines.append(
            f"{order_id},{day},export,NVIDIA H100 SXM5,{quantity},IN,{consignee},IN,,,datacenter,,,"
        )
    path.write_text("\n".join(lines) + "\n")
    return path


def run(runner: CliRunner, path: Path, out: Path) -> dict[str, dict[str, object]]:
    args = [
        "check",
        str(path),
        "--regime",
        "aid-2025",
        "--commit",
        "--no-screening",
        "--format",
        "jsonl",
        "--output",
        str(out),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}


def test_lpp_balances_persist_across_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "store"))
    runner = CliRunner()
    june = run(
        runner,
        book(tmp_path / "june.csv", ("S1", "2025-06-10", 1000, "Tata AI")),
        tmp_path / "o1.jsonl",
    )
    assert june["S1"]["outcome"] == "authorized"
    assert "LPP" in str(june["S1"]["authorization"])
    july = run(
        runner,
        book(
            tmp_path / "july.csv",
            ("S2", "2025-07-10", 1000, "Tata AI"),
            ("S3", "2025-07-11", 600, "Infosys Compute"),
        ),
        tmp_path / "o2.jsonl",
    )
    assert july["S2"]["outcome"] == "license_required"
    assert july["S3"]["outcome"] == "authorized"
    again = run(runner, tmp_path / "june.csv", tmp_path / "o3.jsonl")
    assert again["S1"]["outcome"] == "authorized"
    balances = runner.invoke(app, ["ledger", "balances", "--json"])
    assert balances.exit_code == 0, balances.output
    by_account = {b["account"]: b for b in json.loads(balances.stdout)}
    assert by_account["lpp/tata-ai/2025"]["committed"] == pytest.approx(1000 * 15832)
    assert by_account["lpp/infosys-compute/2025"]["committed"] == pytest.approx(
        600 * 15832
    )
    verify = runner.invoke(app, ["audit", "verify"])
    assert verify.exit_code == 0, verify.output
