"""The screen and lists commands, on the small fixture lists."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from chipgate.cli.app import app

from .conftest import FIXTURE_LISTS, FIXTURES


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CHIPGATE_LISTS_DIR", str(FIXTURE_LISTS))
    return tmp_path


def test_screen_name_json_reports_the_entity_list_hit(env: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["screen", "Huawei Technologies Company Limited", "--country", "CN", "--json"],
    )
    assert result.exit_code == 1, result.output
    hits = json.loads(result.stdout)
    assert hits[0]["list_code"] == "EL"
    assert hits[0]["footnotes"] == ["1"]
    assert hits[0]["is_hit"] is True
    assert "token_alignment" in hits[0]["explanation"]


def test_screen_name_table_and_no_match_exit_code(env: Path) -> None:
    result = CliRunner().invoke(app, ["screen", "Huawei Technologies Co Ltd"])
    assert result.exit_code == 1
    assert "footnote" in result.stdout
    clean = CliRunner().invoke(app, ["screen", "Completely Unrelated Bakery"])
    assert clean.exit_code == 0
    assert "No match" in clean.stdout


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_screen_file_writes_every_party(env: Path, suffix: str) -> None:
    out = env / f"results{suffix}"
    result = CliRunner().invoke(
        app, ["screen", str(FIXTURES / "batch.csv"), "--output", str(out)]
    )
    assert result.exit_code == 1, result.output
    frame = {
        ".csv": pl.read_csv,
        ".jsonl": pl.read_ndjson,
        ".parquet": pl.read_parquet,
    }[suffix](out)
    assert set(frame["query"].to_list()) == {
        "Huawei Technologies Company Limited",
        "Acme Rocket Works",
        "Completely Unrelated Bakery",
    }
    bakery = frame.filter(pl.col("query") == "Completely Unrelated Bakery")
    assert bakery.height == 1
    assert bakery["list_code"].to_list() == [None]


def test_screen_jsonl_input(env: Path) -> None:
    source = env / "parties.jsonl"
    source.write_text(
        '{"name": "Acme Rocket Works", "country": "RU"}\n', encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["screen", str(source), "--json"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[0]["entry_id"] == "101"


def test_screen_file_without_name_column_is_bad_input(env: Path) -> None:
    source = env / "parties.csv"
    source.write_text("company\nAcme\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["screen", str(source)])
    assert result.exit_code == 2
    assert "no name column" in result.output


def test_lists_shows_counts_dates_and_hashes(env: Path) -> None:
    result = CliRunner().invoke(app, ["lists", "--json"])
    assert result.exit_code == 0, result.output
    infos = {i["source"]: i for i in json.loads(result.stdout)}
    assert infos["ofac-sdn"]["entries"] == 3
    assert infos["un"]["list_date"] == "2026-02-27"
    assert len(infos["csl"]["files"][0]["sha256"]) == 64


def test_lists_update_bad_file_names_file_and_line(env: Path) -> None:
    ok = CliRunner().invoke(app, ["lists", "update", "--from", str(FIXTURE_LISTS)])
    assert ok.exit_code == 0, ok.output
    broken = env / "broken"
    shutil.copytree(FIXTURE_LISTS, broken)
    (broken / "ofac" / "sdn.csv").write_bytes(
        (FIXTURES / "malformed" / "ofac-wrong-columns" / "sdn.csv").read_bytes()
    )
    bad = CliRunner().invoke(app, ["lists", "update", "--from", str(broken)])
    assert bad.exit_code == 2
    message = bad.output.replace("\n", "")
    assert "broken/ofac/sdn.csv, line 2" in message
    still = CliRunner().invoke(app, ["screen", "Acme Rocket Works", "--json"])
    assert json.loads(still.stdout)[0]["entry_id"] == "101"


def test_lists_update_defaults_to_the_configured_url(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHIPGATE_LISTS_URL", FIXTURE_LISTS.as_uri())
    result = CliRunner().invoke(app, ["lists", "update", "--json"])
    assert result.exit_code == 0, result.output
    assert {i["source"] for i in json.loads(result.stdout)} >= {"csl", "ofac-sdn", "un"}


def test_lists_update_from_official_urls_reports_a_failed_download(
    env: Path, http_server: Callable[[int, bytes], None]
) -> None:
    http_server(503, b"")
    result = CliRunner().invoke(app, ["lists", "update"])
    assert result.exit_code == 2
    assert "download failed" in result.output
    assert not list((env / "data" / "screening").glob(".staging-*"))
