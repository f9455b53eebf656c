"""The screen and lists commands, on the small fixture lists."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from chipgate.cli.app import app
from chipgate.screening.batch import open_parties, screen_rows
from chipgate.screening.screener import Screener

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


def test_a_single_name_is_written_to_the_output_file(env: Path) -> None:
    # --output was ignored for a name: the officer kept no screening record
    out = env / "one.csv"
    result = CliRunner().invoke(
        app,
        [
            "screen",
            "Huawei Technologies Co Ltd",
            "--country",
            "CN",
            "--output",
            str(out),
        ],
    )
    assert result.exit_code == 1, result.output
    assert "wrote the result to" in result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows
    assert {r["name"] for r in rows} == {"Huawei Technologies Co Ltd"}
    assert {r["country"] for r in rows} == {"CN"}
    assert rows[0]["status"] == "hit"
    assert "EL" in {r["list_code"] for r in rows}
    bad = CliRunner().invoke(
        app, ["screen", "Huawei Technologies Co Ltd", "--output", str(env / "o.txt")]
    )
    assert bad.exit_code == 2, bad.output
    assert not (env / "o.txt").exists()
    assert "Huawei" not in bad.stdout  # refused before any screening
    # a folder that cannot be made (procfs refuses it): an error, not a traceback
    unwritable = CliRunner().invoke(
        app, ["screen", "Acme", "--output", "/proc/no-such-folder/o.csv"]
    )
    assert unwritable.exit_code == 2, unwritable.output
    assert "cannot write the results" in unwritable.stderr


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_a_jsonl_file_keeps_the_keys_of_every_line(env: Path, suffix: str) -> None:
    # the columns were the first line's keys: later lines' ids were dropped, and
    # a later key named as a result column was overwritten
    source = env / "parties.jsonl"
    lines = [
        {"name": "Completely Unrelated Bakery"},
        {"name": "Huawei Technologies Company Limited", "customer_id": "C-1"},
        {"name": "Another Bakery", "customer_id": "C-2", "status": "vip"},
    ]
    source.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    out = env / f"out{suffix}"
    result = CliRunner().invoke(app, ["screen", str(source), "--output", str(out)])
    assert result.exit_code == 1, result.output
    frame = {
        ".csv": lambda p: pl.read_csv(p, infer_schema=False),
        ".jsonl": pl.read_ndjson,
        ".parquet": pl.read_parquet,
    }[suffix](out)
    assert frame.columns[:3] == ["name", "customer_id", "status"]
    assert "screen_status" in frame.columns
    by_name = {r["name"]: r for r in frame.iter_rows(named=True)}
    assert by_name["Huawei Technologies Company Limited"]["customer_id"] == "C-1"
    assert by_name["Huawei Technologies Company Limited"]["screen_status"] == "hit"
    assert by_name["Another Bakery"]["status"] == "vip"
    assert by_name["Another Bakery"]["screen_status"] == "no match"
    assert by_name["Completely Unrelated Bakery"]["customer_id"] is None


def test_every_party_column_of_a_file_is_screened(env: Path) -> None:
    # only the consignee was screened: a listed end user's row read "no match"
    source = env / "two.csv"
    source.write_text(
        "ref,consignee,end_user\n"
        "R1,Completely Unrelated Bakery,Huawei Technologies Company Limited\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["screen", str(source), "--format", "csv"])
    assert result.exit_code == 1, result.output
    assert "screening each of the columns consignee, end_user" in " ".join(
        result.stderr.split()
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    status = {(r["screen_column"], r["query"]): r["status"] for r in rows}
    assert status[("consignee", "Completely Unrelated Bakery")] == "no match"
    assert status[("end_user", "Huawei Technologies Company Limited")] == "hit"
    assert {r["ref"] for r in rows} == {"R1"}
    # --column picks the columns, repeated for several; one the file lacks is an error
    one = CliRunner().invoke(
        app, ["screen", str(source), "--format", "csv", "--column", "consignee"]
    )
    assert one.exit_code == 0, one.output
    assert "screen_column" not in one.stdout
    lacking = CliRunner().invoke(
        app, ["screen", str(source), "--column", "consignee", "--column", "buyer"]
    )
    assert lacking.exit_code == 2, lacking.output
    assert "no name column buyer" in " ".join(lacking.output.split())


def test_a_column_named_twice_is_bad_input(env: Path) -> None:
    # the second cell replaced the first in the output
    source = env / "dup.csv"
    source.write_text("name,ref,name\nAcme,R1,Huawei\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["screen", str(source)])
    assert result.exit_code == 2, result.output
    assert "column name named twice" in " ".join(result.output.split())


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


FORMATS = FIXTURES / "formats"


def test_a_missing_file_is_bad_input_not_a_name(env: Path) -> None:
    result = CliRunner().invoke(app, ["screen", "no_such_file.csv"])
    assert result.exit_code == 2
    assert "no such file" in result.output
    nested = CliRunner().invoke(app, ["screen", "data/parties"])
    assert nested.exit_code == 2


def test_near_misses_are_shown_with_their_score(env: Path) -> None:
    result = CliRunner().invoke(app, ["screen", "Huawei Example", "--format", "json"])
    rows = json.loads(result.stdout)
    near = [r for r in rows if r["status"] == "near miss"]
    assert near, rows
    assert all(r["score"] < 0.80 and not r["is_hit"] for r in near)
    table = CliRunner().invoke(app, ["screen", "Huawei Example"])
    assert "near miss (below the review threshold" in table.stdout


def test_batch_output_keeps_every_input_column_and_counts(env: Path) -> None:
    source = env / "book.csv"
    source.write_text(
        "order_ref,name,country,score\n"
        "A-1,Huawei Technologies Company Limited,CN,x\n"
        "A-2,Completely Unrelated Bakery,FR,y\n",
        encoding="utf-8",
    )
    out = env / "out.csv"
    result = CliRunner().invoke(app, ["screen", str(source), "--output", str(out)])
    assert result.exit_code == 1, result.output
    assert "2 parties screened: 1 with a hit, 0 with only possible matches" in (
        result.output.replace("\n", " ")
    )
    frame = pl.read_csv(out, infer_schema=False)
    assert frame.columns[:4] == ["order_ref", "name", "country", "score"]
    assert "screen_score" in frame.columns  # the input's own 'score' is kept
    bakery = frame.filter(pl.col("order_ref") == "A-2")
    assert bakery["status"].to_list() == ["no match"]
    assert set(frame.filter(pl.col("order_ref") == "A-1")["status"]) == {"hit"}


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_batch_prints_rows_in_the_chosen_format(env: Path, fmt: str) -> None:
    result = CliRunner().invoke(
        app, ["screen", str(FIXTURES / "batch.csv"), "--format", fmt]
    )
    assert result.exit_code == 1
    if fmt == "jsonl":
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        assert {r["name"] for r in rows} >= {"Acme Rocket Works"}
    else:
        assert result.stdout.splitlines()[0].startswith("name,country,query,status")


def test_filters_by_list_and_party_type(env: Path) -> None:
    both = CliRunner().invoke(
        app, ["screen", "Huawei Technologies Co Ltd", "--format", "json"]
    )
    assert {r["list_code"] for r in json.loads(both.stdout)} >= {"EL"}
    only_sdn = CliRunner().invoke(
        app,
        ["screen", "Huawei Technologies Co Ltd", "--list", "SDN", "--format", "json"],
    )
    assert all(r["list_code"] == "SDN" for r in json.loads(only_sdn.stdout))
    persons = CliRunner().invoke(
        app,
        [
            "screen",
            "Huawei Technologies Co Ltd",
            "--type",
            "person",
            "--format",
            "json",
        ],
    )
    # an entry whose list states no type (the Entity List's) is kept by either
    assert all(
        r["entry_kind"] in ("individual", "") for r in json.loads(persons.stdout)
    )
    bad = CliRunner().invoke(app, ["screen", "X", "--type", "ship"])
    assert bad.exit_code == 2


def test_a_type_filter_keeps_entries_of_no_stated_type(env: Path) -> None:
    # the CSL states no type for the Entity List's entries: "--type entity"
    # dropped every Entity List hit and answered "No match"
    result = CliRunner().invoke(
        app,
        [
            "screen",
            "Huawei Technologies Co Ltd",
            "--type",
            "entity",
            "--format",
            "json",
        ],
    )
    found = json.loads(result.stdout)
    assert result.exit_code == 1, result.output
    assert any(r["list_code"] == "EL" and r["entry_kind"] == "" for r in found)
    assert all(r["entry_kind"] in ("entity", "") for r in found)


@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_name_is_bad_input_not_no_match(env: Path, name: str) -> None:
    result = CliRunner().invoke(app, ["screen", name])
    assert result.exit_code == 2, result.output
    assert "the name to screen is empty" in result.output


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--list", "EL,XX", "no loaded list has the code(s) XX"),
        ("--country", "ZZ", "not an ISO 3166 alpha-2 country code"),
    ],
)
def test_a_filter_that_names_nothing_is_bad_input(
    env: Path, option: str, value: str, message: str
) -> None:
    # a typo would otherwise answer "No match", exit 0
    result = CliRunner().invoke(app, ["screen", "Huawei Technologies", option, value])
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())


@pytest.mark.parametrize(
    ("file", "source", "query", "code"),
    [
        ("consolidated.json", "csl-json", "Example Compute Pte Ltd", "EL"),
        ("sdn.xml", "ofac-sdn-xml", "Example Rocket Plant", "SDN"),
        ("entities.ftm.json", "opensanctions", "Example Lattice Systems", "NONSDN"),
    ],
)
def test_lists_update_reads_a_downloaded_file_by_its_format(
    env: Path, file: str, source: str, query: str, code: str
) -> None:
    saved = env / f"download-{file}"  # any name: the content decides
    saved.write_bytes((FORMATS / file).read_bytes())
    # (smaller than the fixture lists they replace, so --allow-shrink)
    result = CliRunner().invoke(
        app, ["lists", "update", str(saved), "--json", "--allow-shrink"]
    )
    assert result.exit_code == 0, result.output
    infos = {i["source"]: i for i in json.loads(result.stdout)}
    assert source in infos
    assert "un" in infos  # the other lists in use stay
    found = CliRunner().invoke(app, ["screen", query, "--format", "json"])
    assert found.exit_code == 1, found.output
    assert json.loads(found.stdout)[0]["list_code"] == code


def test_lists_update_from_a_file_url(env: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["lists", "update", (FORMATS / "sdn.xml").as_uri(), "--json", "--allow-shrink"],
    )
    assert result.exit_code == 0, result.output
    dates = {i["source"]: i["list_date"] for i in json.loads(result.stdout)}
    assert dates["ofac-sdn-xml"] == "2026-11-25"


def test_lists_update_refuses_an_unknown_format(env: Path) -> None:
    result = CliRunner().invoke(app, ["lists", "update", str(FORMATS / "unknown.json")])
    assert result.exit_code == 2
    assert "list format chipgate reads" in result.output.replace("\n", " ")


def test_lists_warns_about_old_lists(env: Path) -> None:
    result = CliRunner().invoke(app, ["lists", "--json"])
    infos = {i["source"]: i for i in json.loads(result.stdout)}
    assert infos["un"]["stale"] is True
    assert infos["un"]["age_days"] > 30
    assert "days old" in result.stderr


def test_screen_as_of_a_date(env: Path) -> None:
    CliRunner().invoke(
        app, ["lists", "update", str(FORMATS / "consolidated.json"), "--allow-shrink"]
    )
    before = CliRunner().invoke(
        app, ["screen", "Example Compute Pte Ltd", "--as-of", "2026-09-30"]
    )
    after = CliRunner().invoke(
        app, ["screen", "Example Compute Pte Ltd", "--as-of", "2026-10-01"]
    )
    assert before.exit_code == 0
    assert after.exit_code == 1


def test_parallel_batch_gives_the_same_rows_in_order(
    fixture_screener: Screener, tmp_path: Path
) -> None:
    source = tmp_path / "many.csv"
    # names repeat (sent to the workers once per chunk), once with another country
    names = ["Huawei Technologies Co Ltd", "Acme Rocket Works", "Plain Bakery"] * 1500
    countries = ["CN", "", "US", "", "", "CN"] * 750
    source.write_text(
        "name,country\n"
        + "\n".join(f"{n},{c}" for n, c in zip(names, countries, strict=True))
        + "\n",
        encoding="utf-8",
    )

    def rows(workers: int) -> list[tuple[Any, ...]]:
        parties = open_parties(source)
        return [
            (r["name"], r["country"], tuple((h.entry_id, h.explanation) for h in hits))
            for r, _, hits in screen_rows(fixture_screener, parties, None, workers)
        ]

    one, two = rows(1), rows(2)
    assert one == two
    # one process screens in chunks (``screen_all``): the same as name by name
    alone = [
        tuple(
            (h.entry_id, h.explanation) for h in fixture_screener.screen(n, c or None)
        )
        for n, c in zip(names, countries, strict=True)
    ]
    assert [hits for _, _, hits in one] == alone
    assert len(two) == len(names)
    huawei = {explained for _, country, hits in one if hits for _, explained in hits}
    assert len(huawei) >= 2  # the country shows in the explanation


def test_csv_cells_written_straight_are_the_output_rows(tmp_path: Path) -> None:
    # ``ResultWriter.write_result`` writes a CSV's cells without the dicts of
    # ``output_rows``: the same file, also when input columns take the result
    # columns' names (prefixed, or already prefixed), a row lacks a column or a
    # cell looks like a formula
    for columns in (
        ["id", "name", "query", "screen_query", "status", "note"],
        ["id", "name", "note"],  # no result column's name: input cells, then results
    ):
        _write_both_ways(tmp_path, columns)


def _write_both_ways(tmp_path: Path, columns: list[str]) -> None:
    from chipgate.facts import ScreeningHit
    from chipgate.screening.batch import ResultWriter, output_rows, result_names

    hit = ScreeningHit(
        role="",
        queried_name="=Acme 12",
        list_code="EL",
        list_name="Entity List",
        entry_id="1",
        matched_name="ACME",
        score=0.9123,
        is_hit=True,
        explanation="-token_alignment",
        footnotes=("1", "4"),
        entry_country="CN",
    )
    other = ScreeningHit(
        role="",
        queried_name="=Acme 12",
        list_code="SDN",
        list_name="SDN List",
        entry_id="2",
        matched_name="ACME CO",
        score=0.8,
        is_hit=False,
    )
    rows: list[tuple[dict[str, Any], str, tuple[ScreeningHit, ...]]] = [
        ({"id": "1", "name": "=Acme 12", "query": "q", "note": "+x"}, "=Acme 12", ()),
        ({"id": "2", "name": "Acme", "screen_query": "s"}, "Acme", (hit, other)),
        ({"id": "3", "name": None, "status": "@s", "extra": "e"}, "", (other,)),
    ]
    names = result_names(columns)
    written = []
    for straight in (True, False):
        path = tmp_path / f"out{straight}{len(columns)}.csv"
        with ResultWriter(columns, path=path) as writer:
            for row, query, hits in rows:
                if straight:
                    writer.write_result(row, query, hits, names)
                else:
                    for out in output_rows(row, query, hits, names):
                        writer.write(out)
        written.append(path.read_bytes())
    assert written[0] == written[1]
    assert written[0].count(b"\n") == 5


def test_csv_rows_with_the_line_each_starts_on(tmp_path: Path) -> None:
    # blank lines and records of empty cells left out, missing cells None, a
    # repeated column's last cell, empty cells past the header allowed (a
    # trailing comma), a record over two lines at the line it starts on
    from chipgate.screening.batch import _csv_rows

    text = (
        "\ufeffid,name,country,name\n"
        '1,"Acme, Inc.",CN,Other\n'
        "\n"
        "2,Short\n"
        ",,,\n"
        '4,"two\nlines",,,\n'
        "5\n"
    )
    path = tmp_path / "parties.csv"
    path.write_text(text, encoding="utf-8")
    header = ["id", "name", "country", "name"]
    assert list(_csv_rows(path)) == [
        (header, 2, {"id": "1", "name": "Other", "country": "CN"}),
        (header, 4, {"id": "2", "name": None, "country": None}),
        (header, 6, {"id": "4", "name": None, "country": None}),
        (header, 8, {"id": "5", "name": None, "country": None}),
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        # a lenient reader screened "Acme" and dropped " Inc."
        ("id,name\n1,Acme\n2,Acme, Inc.\n", 3, "3 cells where the header has 2"),
        # ... and ran the rest of the file into one name
        ('id,name\n1,"Acme\n2,Beta\n3,Gamma\n', 4, "malformed CSV"),
        ('id,name\n1,"Acme" Co\n', 2, "malformed CSV"),
        ("", 1, "the file is empty"),
    ],
)
def test_a_party_file_that_would_lose_names_is_bad_input(
    env: Path, text: str, line: int, message: str
) -> None:
    source = env / "parties.csv"
    source.write_text(text, encoding="utf-8")
    out = env / "out.csv"
    result = CliRunner().invoke(app, ["screen", str(source), "--output", str(out)])
    assert result.exit_code == 2, result.output
    assert f"{source}, line {line}: {message}" in " ".join(result.output.split())
    assert not out.exists()
    assert list(env.glob(".out.csv*")) == []


@pytest.mark.parametrize("workers", ["1", "2"])
def test_bytes_not_utf8_deep_in_a_party_file_name_their_line(
    env: Path, workers: str
) -> None:
    # past the first chunks, so that rows were screened before the error
    source = env / "parties.csv"
    with source.open("wb") as handle:
        handle.write(b"id,name\n")
        for i in range(5000):
            handle.write(b"%d,Party %d\n" % (i, i))
        handle.write(b"x,Caf\xe9 Trading\n")
    out = env / "out.csv"
    result = CliRunner().invoke(
        app, ["screen", str(source), "--output", str(out), "--workers", workers]
    )
    assert result.exit_code == 2, result.output
    assert f"{source}, line 5002: not UTF-8 text" in " ".join(result.output.split())
    assert not out.exists()
    assert list(env.glob(".out.csv*")) == []


def test_a_row_without_a_name_is_not_screened_not_no_match(env: Path) -> None:
    source = env / "parties.csv"
    source.write_text(
        "id,name,country\n1,,CN\n2,Nordlicht Rechenzentrum GmbH,DE\n3,   ,\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["screen", str(source), "--format", "csv"])
    assert result.exit_code == 0, result.output
    statuses = {
        row["id"]: row["status"] for row in csv.DictReader(io.StringIO(result.stdout))
    }
    assert statuses == {"1": "no name", "2": "no match", "3": "no name"}
    assert "1 parties screened" in result.output
    assert "2 row(s) without a name, not screened" in result.output
    assert "screened as of " in result.output  # and the lists, after the counts


def test_a_country_that_is_no_iso_code_names_its_line(env: Path) -> None:
    # "China" was compared with no entry's country, in silence
    source = env / "parties.csv"
    source.write_text(
        "id,name,country\n1,Acme,cn\n2,Beta, DE \n3,Gamma,\n4,Delta,China\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["screen", str(source)])
    assert result.exit_code == 2, result.output
    assert f"{source}, line 5, field 'country': 'China' is not an ISO 3166" in (
        " ".join(result.output.split())
    )


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_a_file_without_parties_screens_none(env: Path, suffix: str) -> None:
    # a header alone (CSV), no line (JSONL), a schema and no row (Parquet)
    source = env / f"parties{suffix}"
    if suffix == ".csv":
        source.write_text("id,name\n", encoding="utf-8")
    elif suffix == ".jsonl":
        source.write_text("", encoding="utf-8")
    else:
        pl.DataFrame(schema={"id": pl.Int64, "name": pl.Utf8}).write_parquet(source)
    result = CliRunner().invoke(app, ["screen", str(source)])
    assert result.exit_code == 0, result.output
    assert "0 parties screened" in result.output


def test_a_name_that_is_a_list_is_bad_input(env: Path) -> None:
    source = env / "parties.jsonl"
    source.write_text(
        '{"name": "Acme"}\n{"name": ["Acme", "Beta"]}\n', encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["screen", str(source)])
    assert result.exit_code == 2, result.output
    assert "line 2, field 'name': a name must be text, not a list" in (
        " ".join(result.output.split())
    )


def test_a_single_name_says_the_date_and_lists_it_was_screened_on(env: Path) -> None:
    result = CliRunner().invoke(
        app, ["screen", "Completely Unrelated Bakery", "--as-of", "2024-03-01"]
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "No match for 'Completely Unrelated Bakery'." in text
    assert "screened as of 2024-03-01; lists: csl of " in text
