"""The decision table fits an 80-column terminal without breaking a word."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from chipgate.cli.render import Col, fitted_table

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "orders.csv"
FRAME = re.compile(r"[\s│┃]+")


@pytest.fixture(scope="module")
def at_80(
    tmp_path_factory: pytest.TempPathFactory, shared_data: Path
) -> tuple[str, Path]:
    """``COLUMNS=80 chipgate check examples/orders.csv``, screening included, run as
    a user runs it; the decisions also go to a file to know what each cell holds."""
    store = tmp_path_factory.mktemp("store")
    decisions = store / "decisions.jsonl"
    env = {
        **os.environ,
        "COLUMNS": "80",
        "CHIPGATE_DATA_DIR": str(store),
        "CHIPGATE_LISTS_DIR": str(shared_data / "lists"),
        "PYTHONPATH": str(REPO / "src"),
    }
    env.pop("LINES", None)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "chipgate.cli.app",
            "check",
            str(EXAMPLE),
            "--output",
            str(decisions),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, decisions


def cells_shown(decisions: Path) -> list[list[str]]:
    """id, date, item, destination, outcome and basis of every order."""
    with EXAMPLE.open(newline="", encoding="utf-8") as handle:
        orders = {row["id"]: row for row in csv.DictReader(handle)}
    rows = []
    for line in decisions.read_text().splitlines():
        record = json.loads(line)
        order = orders[record["id"]]
        basis = record["authorization"] or (record["review_policy"] or "").replace(
            "_", " "
        )
        if record["red_flags"]:
            basis += f" +{len(record['red_flags'])} red flag(s)"
        rows.append(
            [
                record["id"],
                order["date"],
                record["item"] or "",
                order["destination"],
                record["outcome"],
                basis,
            ]
        )
    return rows


def test_every_word_of_the_decision_table_is_whole_at_80_columns(
    at_80: tuple[str, Path],
) -> None:
    output, decisions = at_80
    shown = set(FRAME.split(output))
    rows = cells_shown(decisions)
    assert len(rows) == len(EXAMPLE.read_text().splitlines()) - 1
    broken = [
        (row[0], word)
        for row in rows
        for cell in row
        for word in cell.split()
        if word not in shown
    ]
    assert broken == []
    assert any("red flag" in row[5] for row in rows)  # the basis column is exercised


def test_no_line_is_wider_than_the_terminal(at_80: tuple[str, Path]) -> None:
    output, _ = at_80
    assert max(len(line.rstrip()) for line in output.splitlines()) <= 80
    header = next(
        line for line in output.splitlines() if line.split()[:2] == ["id", "date"]
    )
    assert header.split() == ["id", "date", "item", "dest", "outcome", "basis"]


def test_wider_terminals_show_more_columns() -> None:
    cols = (Col("id"), Col("kind", priority=1), Col("text"), Col("rules", priority=2))
    rows = [["A-1", "export", "some words to wrap", "R.ONE, R.TWO"]]
    narrow = Console(width=30, record=True)
    narrow.print(fitted_table("t", cols, rows, narrow))
    wide = Console(width=120, record=True)
    wide.print(fitted_table("t", cols, rows, wide))
    narrow_text, wide_text = narrow.export_text(), wide.export_text()
    assert "kind" not in narrow_text
    assert "rules" in wide_text
    assert "some words to wrap" in wide_text
    words = set(FRAME.split(narrow_text))
    assert {"some", "words", "to", "wrap", "A-1"} <= words
