"""Every command that prints results takes --format table|json|jsonl|csv."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipgate.cli.app import app

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "orders.csv"
SAP = REPO / "examples" / "sap-gts-orders.csv"
SAP_MAPPING = REPO / "examples" / "sap-gts-mapping.yaml"


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_classify_prints_each_format(runner: CliRunner) -> None:
    name = "NVIDIA H100 SXM5"
    assert json.loads(run(runner, "classify", name, "--format", "json"))["tpp"] == 15832
    (line,) = run(runner, "classify", name, "--format", "jsonl").splitlines()
    assert json.loads(line)["eccn"] == "3A090.a"
    (row,) = csv.DictReader(
        io.StringIO(run(runner, "classify", name, "--format", "csv"))
    )
    assert row["eccn"] == "3A090.a"


def test_regimes_print_each_format(runner: CliRunner) -> None:
    lines = run(runner, "regimes", "--format", "jsonl").splitlines()
    assert {json.loads(x)["id"] for x in lines} >= {"ac-2023", "aid-2025"}
    rows = list(csv.DictReader(io.StringIO(run(runner, "regimes", "--format", "csv"))))
    assert len(rows) == len(lines)


def test_check_prints_a_json_document_and_csv(runner: CliRunner) -> None:
    args = ("check", str(SAP), "--mapping", str(SAP_MAPPING), "--no-screening")
    records = json.loads(run(runner, *args, "--format", "json"))
    assert len(records) == 12
    rows = list(csv.DictReader(io.StringIO(run(runner, *args, "--format", "csv"))))
    assert [r["id"] for r in rows] == [r["id"] for r in records]


def test_compare_prints_one_csv_column_per_regime(runner: CliRunner) -> None:
    out = run(
        runner,
        "compare",
        str(EXAMPLE),
        "--regimes",
        "ac-2023,aid-2025",
        "--format",
        "csv",
        "--no-screening",
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"ac-2023", "aid-2025", "ac-2023 basis"} <= set(rows[0])
    assert any(r["differs"] == "True" for r in rows)


def test_explain_prints_the_findings_with_their_citations(runner: CliRunner) -> None:
    out = run(
        runner,
        "explain",
        str(EXAMPLE),
        "--id",
        "ORD-002",
        "--format",
        "json",
        "--no-screening",
    )
    record = json.loads(out)
    assert record["outcome"] == "license_required"
    cites = [c["cite"] for f in record["findings"] for c in f["citations"]]
    assert any("744.23" in c or "742.6" in c for c in cites)


@pytest.mark.parametrize(
    "args",
    [
        ("ledger", "balances"),
        ("license", "list"),
        ("audit", "verify"),
        ("fleet", "list"),
    ],
)
def test_store_listings_take_every_format(
    runner: CliRunner, args: tuple[str, ...]
) -> None:
    runner.invoke(app, ["db", "upgrade"])
    for fmt in ("json", "jsonl", "csv"):
        run(runner, *args, "--format", fmt)
    if args == ("audit", "verify"):
        assert json.loads(run(runner, *args, "--format", "json"))["ok"] is True


def test_an_unknown_format_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["regimes", "--format", "xml"])
    assert result.exit_code == 2
