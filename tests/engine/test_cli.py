"""The engine commands, end to end through the Typer app, on the example book."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipgate.cli.app import app

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "orders.csv"


def test_classify_h100_gives_tpp_15832_and_3a090a_with_sources(
    runner: CliRunner,
) -> None:
    result = runner.invoke(app, ["classify", "NVIDIA H100 SXM5", "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["tpp"] == 15832
    assert record["eccn"] == "3A090.a"
    assert record["sources"]
    assert any("88 FR 73458" in c for c in record["citations"])


def test_classify_from_raw_figures(runner: CliRunner) -> None:
    args = ["classify", "--tpp", "3000", "--die-area", "1000", "--format", "json"]
    record = json.loads(runner.invoke(app, args).stdout)
    assert record["paragraph"] == "3A090.b.1"


@pytest.mark.parametrize(
    "figures",
    [
        ["--tpp", "2400", "--die-area", "-300"],
        ["--tpp", "2400", "--die-area", "0"],
        ["--tpp", "nan", "--die-area", "300"],
        ["--tpp", "-1", "--die-area", "300"],
    ],
)
def test_classify_refuses_figures_no_chip_has(
    runner: CliRunner, figures: list[str]
) -> None:
    # a negative die area made a 3A090.a.2 chip "uncontrolled", exit 0
    result = runner.invoke(app, ["classify", *figures, "--format", "json"])
    assert result.exit_code == 2, result.output
    assert "is not a figure a chip has" in result.output


def test_classify_an_unknown_chip_suggests_names(runner: CliRunner) -> None:
    result = runner.invoke(app, ["classify", "H100 SXM6"])
    assert result.exit_code == 2
    assert "NVIDIA H100" in result.output


def test_regimes_lists_the_timeline(runner: CliRunner) -> None:
    rows = json.loads(runner.invoke(app, ["regimes", "--format", "json"]).stdout)
    ids = [r["id"] for r in rows]
    assert {"ac-2023", "aid-2025", "post-rescission-2025"} <= set(ids)
    (current,) = [r for r in rows if r["in_force_today"]]
    assert current["id"] == "post-rescission-2025"


def test_check_writes_one_json_line_per_order(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "decisions.jsonl"
    args = [
        "check",
        str(EXAMPLE),
        "--format",
        "jsonl",
        "--output",
        str(out),
        "--no-screening",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == len(EXAMPLE.read_text().splitlines()) - 1
    keys = {
        "id",
        "outcome",
        "authorization",
        "review_policy",
        "rules",
        "citations",
        "tpp",
        "h100_equivalents",
        "draws",
        "red_flags",
        "explanation",
    }
    assert keys <= set(records[0])
    outcomes = {r["outcome"] for r in records}
    assert outcomes == {
        "prohibited",
        "license_required",
        "authorized",
        "no_license_required",
    }


def test_check_table_shows_a_summary(runner: CliRunner) -> None:
    result = runner.invoke(app, ["check", str(EXAMPLE), "--no-screening"])
    assert result.exit_code == 0, result.output
    assert "Summary" in result.stdout
    assert "ORD-016" in result.stdout


def test_check_csv_to_stdout(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["check", str(EXAMPLE), "--format", "csv", "--no-screening"]
    )
    assert result.stdout.splitlines()[0].startswith("id,outcome,authorization")


def test_a_bad_book_exits_2_and_writes_no_output(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    lines = EXAMPLE.read_text().splitlines()
    bad.write_text("\n".join([lines[0], lines[1].replace(",256,", ",0,")]) + "\n")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["check", str(bad), "--format", "jsonl", "--output", str(out)]
    )
    assert result.exit_code == 2
    assert "line 2" in result.output
    assert "quantity" in result.output
    assert not out.exists()
    assert not list(tmp_path.glob(".out.jsonl.*"))


@pytest.mark.parametrize("name", ["out.xls", "out.txt", "out"])
def test_an_output_suffix_that_names_no_format_is_refused(
    runner: CliRunner, tmp_path: Path, name: str
) -> None:
    out = tmp_path / name
    args = ["check", str(EXAMPLE), "--output", str(out), "--no-screening"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    message = " ".join(result.output.split())
    assert "names no output format" in message
    assert ".jsonl, .ndjson, .json, .csv, .xlsx" in message
    assert "wrote" not in message
    assert not out.exists()
    assert not list(tmp_path.glob(f".{name}*"))


def test_format_names_the_format_of_an_output_without_a_suffix(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "decided"
    args = ["check", str(EXAMPLE), "--format", "csv", "--output", str(out)]
    result = runner.invoke(app, [*args, "--no-screening"])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("id,outcome,")


@pytest.mark.parametrize("day", ["2025W01", "20250601", "2025-W23-1", "2025-02-30"])
@pytest.mark.parametrize(
    "command",
    [
        ["check", str(EXAMPLE), "--no-screening", "--as-of"],
        ["explain", str(EXAMPLE), "--id", "ORD-033", "--no-screening", "--as-of"],
        ["report", str(EXAMPLE), "-o", "r.html", "--no-screening", "--as-of"],
        ["screen", "Acme Trading", "--as-of"],
        ["ledger", "report-base", "Holder", "--tpp", "1", "--as-of"],
        ["usage", "report", "--as-of"],
        ["customers", "import", "customers.csv", "--as-of"],
        ["customers", "transfer", "--chips", "C1", "--to-name", "Acme", "--date"],
    ],
)
def test_a_date_option_takes_yyyy_mm_dd_only(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    day: str,
) -> None:
    """Python reads 2025W01 as 2024-12-30 and 20250601 as a date: an option that
    says YYYY-MM-DD refuses them, naming itself."""
    monkeypatch.chdir(tmp_path)  # a command that took the date writes nothing here
    result = runner.invoke(app, [*command, day])
    assert result.exit_code == 2, result.output
    # nothing is written but the runner's store folder
    assert [p.name for p in tmp_path.iterdir() if p.name != "store"] == []
    message = " ".join(result.output.split())
    assert f"{command[-1]}: '{day}' is not a date (YYYY-MM-DD)" in message


def test_keep_going_decides_the_good_lines_and_exits_1(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    lines = EXAMPLE.read_text().splitlines()
    bad.write_text(
        "\n".join([lines[0], lines[1].replace(",256,", ",0,"), lines[2]]) + "\n"
    )
    out = tmp_path / "out.jsonl"
    args = [
        "check",
        str(bad),
        "--format",
        "jsonl",
        "--output",
        str(out),
        "--keep-going",
        "--no-screening",
    ]
    result = runner.invoke(app, args)
    # README: exit 2 means no output was written; --keep-going writes the good
    # lines, so a run that left bad lines out ends with 1 (something to act on)
    assert result.exit_code == 1, result.output
    assert len(out.read_text().splitlines()) == 1
    assert "line 2" in result.output
    assert "1 bad line(s) left out" in result.output


def test_explain_prints_the_chain_with_citations(runner: CliRunner) -> None:
    args = ["explain", str(EXAMPLE), "--id", "ORD-033", "--no-screening"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "case_by_case" in result.stdout
    assert "91 FR 1684" in result.stdout


EXPLAIN = Path(__file__).resolve().parents[2] / "examples" / "explain.csv"


@pytest.mark.parametrize(
    ("order_id", "shown"),
    [
        ("WMD-1", ["EUC.WMD", "15 CFR 744.2", "unconfirmed: enduse.wmd_review_policy"]),
        (
            "DEAL-1",
            [
                "DEAL.QUOTA",
                "not an authorization",
                "15 CFR 750.7",
                "unconfirmed: deals.ksa-2025",
            ],
        ),
        ("ASCEND-1", ["GP10.PRC_IC", "license_required", "736.2(b)(10)"]),
        (
            "SYRIA-1",
            ["EMBARGO.DENIAL", "90 FR 42315", "unconfirmed: embargo.denial.SY"],
        ),
        ("H20-1", ["INFORMED.LETTERS", "Form 8-K", "unconfirmed: informed.nvidia-h20"]),
    ],
)
def test_explain_shows_finding_citation_and_unconfirmed(
    runner: CliRunner, order_id: str, shown: list[str]
) -> None:
    result = runner.invoke(
        app, ["explain", str(EXPLAIN), "--id", order_id, "--no-screening"]
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    for part in shown:
        assert part in text, (part, result.stdout)


def test_compare_shows_where_regimes_differ(runner: CliRunner) -> None:
    args = [
        "compare",
        str(EXAMPLE),
        "--regimes",
        "ac-2023,aid-2025,post-rescission-2025",
        "--format",
        "jsonl",
        "--no-screening",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    differing = [r for r in rows if len(set(r["outcomes"].values())) > 1]
    assert differing
    ascend = next(r for r in rows if r["id"] == "ORD-016")
    assert ascend["outcomes"]["post-rescission-2025"] == "license_required"
    assert ascend["outcomes"]["ac-2023"] == "no_license_required"


def test_an_unknown_regime_is_a_clear_error(runner: CliRunner) -> None:
    args = ["check", str(EXAMPLE), "--regime", "aid-2024", "--no-screening"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "unknown regime 'aid-2024'" in result.output
