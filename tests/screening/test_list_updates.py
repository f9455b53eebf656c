"""``lists update``: what a new list or list file may replace, and what it is refused for.

Each test names the outside tester's report it answers (notes/probe-lists.md).
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipgate.cli.app import app
from chipgate.facts import ScreeningHit
from chipgate.screening.freshness import staleness
from chipgate.screening.model import ListInfo
from chipgate.screening.provider import update_lists
from chipgate.screening.screener import Screener
from chipgate.screening.sources import LoadedLists
from chipgate.screening.store import read_pointer
from chipgate.settings import Settings

from .conftest import FIXTURE_LISTS, FIXTURES

FORMATS = FIXTURES / "formats"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder whose active set is the fixture lists."""
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CHIPGATE_LISTS_DIR", str(FIXTURE_LISTS))
    monkeypatch.setenv("COLUMNS", "2000")
    update_lists(tmp_path / "data", str(FIXTURE_LISTS))
    return tmp_path


def _update(*args: str) -> tuple[int, str]:
    """Exit code and output of ``lists update``, its words one space apart."""
    result = CliRunner().invoke(app, ["lists", "update", *args])
    return result.exit_code, " ".join(result.output.split())


def _names(output: str, path: Path) -> bool:
    """Whether ``output`` names ``path`` (a narrow console breaks a long path)."""
    return str(path) in output.replace(" ", "")


def test_an_xml_entity_declaration_is_a_clear_error_not_a_traceback(env: Path) -> None:
    # #18: the folder path named the file; the single-file path let defusedxml's
    # EntitiesForbidden (a ValueError) through as a traceback
    before = read_pointer(env / "data")
    xml = (FORMATS / "sdn.xml").read_text(encoding="utf-8")
    head, rest = xml.split("<sdnList", 1)
    planted = env / "sdn-entity.xml"
    planted.write_text(
        f'{head}<!DOCTYPE sdnList [<!ENTITY co "Cuba">]>\n<sdnList{rest}',
        encoding="utf-8",
    )
    code, output = _update(str(planted))
    assert code == 2, output
    assert "Traceback" not in output
    assert "list 'ofac-sdn-xml' cannot be read" in output
    assert "EntitiesForbidden" in output
    assert _names(output, planted)
    assert read_pointer(env / "data") == before


EL_HEADER = "name,action,federal_register,published,effective\n"


@pytest.mark.parametrize(
    ("row", "line", "field"),
    [
        # a removal dated the US way was compared as text: never in force
        (
            "Example Institute,remove,88 FR 80000,11/16/2023,11/16/2023\n",
            3,
            "published",
        ),
        ("Example Institute,Remove,88 FR 80000,2023-11-16,2023-11-16\n", 3, "action"),
        ("Example Institute,add,88 FR 80000,2023-11-16,2023-02-30\n", 3, "effective"),
    ],
)
def test_a_change_history_row_must_have_a_known_action_and_iso_dates(
    env: Path, row: str, line: int, field: str
) -> None:
    # #10: el-history is written by hand; a bad row is refused before any switch
    before = read_pointer(env / "data")
    history = env / "el.csv"
    history.write_text(
        EL_HEADER
        + "Huawei Example Cloud Co.,add,84 FR 43495,2019-08-21,2019-08-19\n"
        + row,
        encoding="utf-8",
    )
    code, output = _update(str(history))
    assert code == 2, output
    assert f"line {line}, field '{field}'" in output
    assert _names(output, history)
    assert read_pointer(env / "data") == before


def test_a_stored_list_date_that_is_no_date_has_an_unknown_age() -> None:
    # #10: a set activated before the dates were checked crashed `lists` and `check`
    info = ListInfo("el-history", "EL changes", (), "11/17/2023", 1, 1)
    assert info.age_days(date(2026, 12, 7)) is None


def _dart_aviation(screener: Screener, day: date) -> list[ScreeningHit]:
    return [
        h
        for h in screener.screen("Dart Aviation", None, day)
        if h.list_code == "EL" and h.is_hit
    ]


def test_an_entry_a_later_rule_only_modified_keeps_its_earlier_listing(
    real_screener: Screener, real_lists: LoadedLists
) -> None:
    # #2: the add row of 90 FR 14046 (2025-03-25) dated the two Dart Aviation
    # entries listed in 2019 (84 FR 61538; 90 FR 14046) too, so an order of 2024
    # met no Entity List entry
    old = _dart_aviation(real_screener, date(2024, 6, 1))
    assert old
    assert all((h.federal_register or "").startswith("84 FR 615") for h in old)
    assert len(old) == 2  # both 2019 entries, each its own id (#20)
    dart = {
        e.federal_register: e
        for e in real_lists.entries
        if e.name == "Dart Aviation" and e.list_code == "EL"
    }
    assert dart["84 FR 61538; 90 FR 14046"].start_date is None
    assert dart["84 FR 61541; 85 FR 14794; 90 FR 14046"].start_date is None
    # the entry the 2025 rule added applies from its effective date only
    new = dart["90 FR 14046"]
    assert not new.in_force(date(2025, 3, 24))
    assert new.in_force(date(2025, 3, 25))


def test_a_list_dated_in_the_future_or_undated_is_not_fresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # #21: a mistyped year (2062) read as fresh for decades, and a list of no
    # date (the OFAC legacy CSV) was "stale": false in JSON beside its warning
    folder = tmp_path / "lists"
    shutil.copytree(FIXTURE_LISTS, folder)
    un = folder / "un" / "consolidated.xml"
    un.write_text(
        un.read_text(encoding="utf-8").replace(
            'dateGenerated="2026-02-27', 'dateGenerated="2062-12-05'
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("CHIPGATE_LISTS_DIR", str(folder))
    result = CliRunner().invoke(app, ["lists", "--format", "json"])
    assert result.exit_code == 0, result.output
    infos = {i["source"]: i for i in json.loads(result.stdout)}
    assert infos["un"]["list_date"] == "2062-12-05"
    assert infos["un"]["stale"] is True
    assert "after today" in infos["un"]["warning"]
    assert infos["ofac-sdn"]["stale"] is True
    assert "states no date" in infos["ofac-sdn"]["warning"]
    assert "after today" in " ".join(result.stderr.split())


def test_a_list_dated_tomorrow_by_its_publisher_is_fresh() -> None:
    info = ListInfo("un", "UN", (), "2026-12-08", 2)
    assert staleness(info, Settings(), date(2026, 12, 7)) is None


OFAC_SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "lists"


def test_the_ofac_non_sdn_file_is_read_as_the_non_sdn_list(env: Path) -> None:
    # #5: cons_prim.csv shares the SDN layout and was read as the SDN list: its
    # 442 non-SDN parties became SDN entries, orders to them prohibited
    saved = env / "download.csv"
    shutil.copy(OFAC_SHARED / "ofac-nonsdn" / "cons_prim.csv", saved)
    result = CliRunner().invoke(app, ["lists", "update", str(saved), "--json"])
    assert result.exit_code == 0, result.output
    counts = {i["source"]: i["entries"] for i in json.loads(result.stdout)}
    assert (counts["ofac-nonsdn"], counts["ofac-sdn"]) == (442, 3)
    found = CliRunner().invoke(
        app, ["screen", "HANIYA, Ismail Abdul Salah", "--format", "json"]
    )
    assert {h["list_code"] for h in json.loads(found.stdout)} == {"NONSDN"}


@pytest.mark.parametrize(
    ("rel", "what"),
    [
        ("ofac/alt.csv", "an OFAC alias file"),
        ("ofac/add.csv", "an OFAC address file"),
        ("ofac-nonsdn/cons_alt.csv", "an OFAC alias file"),
    ],
)
def test_an_ofac_alias_or_address_file_alone_is_refused_for_what_it_is(
    env: Path, rel: str, what: str
) -> None:
    # #5: read as sdn.csv, it failed with "expected 12 columns, found 5"
    before = read_pointer(env / "data")
    code, output = _update(str(OFAC_SHARED / rel))
    assert code == 2, output
    assert f"this file is {what}" in output
    assert "no list by itself" in output
    assert read_pointer(env / "data") == before


def test_the_ofac_non_sdn_xml_is_refused_not_read_as_the_sdn_list(env: Path) -> None:
    # #5: OFAC's non-SDN XML has the SDN XML's root, sdnList
    xml = (FORMATS / "sdn.xml").read_text(encoding="utf-8")
    planted = env / "consolidated.xml"
    planted.write_text(
        xml.replace("RUSSIA-EO14024", "NS-PLC").replace("CYBER2", "NS-PLC"),
        encoding="utf-8",
    )
    code, output = _update(str(planted))
    assert code == 2, output
    assert "non-SDN consolidated list as XML" in output


def test_a_new_sdn_csv_keeps_the_alias_and_address_files_in_use(env: Path) -> None:
    # #7: the update staged sdn.csv alone: every SDN alias stopped matching
    newer = env / "sdn.csv"
    newer.write_bytes(
        (FIXTURE_LISTS / "ofac" / "sdn.csv").read_bytes()
        + b'104,"EXAMPLE NEW TRADING LLC",-0- ,"IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,'
        b"-0- ,-0- ,-0- \r\n"
    )
    result = CliRunner().invoke(app, ["lists", "update", str(newer), "--json"])
    assert result.exit_code == 0, result.output
    (sdn,) = [i for i in json.loads(result.stdout) if i["source"] == "ofac-sdn"]
    assert sdn["entries"] == 4
    assert {f["path"] for f in sdn["files"]} == {
        "ofac/sdn.csv",
        "ofac/alt.csv",
        "ofac/add.csv",
    }
    found = CliRunner().invoke(app, ["screen", "ROCKET WORKS ACME", "--format", "json"])
    assert found.exit_code == 1, found.output
    (hit,) = [h for h in json.loads(found.stdout) if h["list_code"] == "SDN"]
    assert (hit["entry_id"], hit["matched_name"]) == ("101", "ROCKET WORKS ACME")


def _csl_page(path: Path, total: int) -> Path:
    """A saved page of the trade.gov search API: ``total`` beside few results."""
    data = json.loads((FORMATS / "consolidated.json").read_text(encoding="utf-8"))
    path.write_text(json.dumps({"total": total, "offset": 0, **data}), encoding="utf-8")
    return path


def test_a_list_replacing_another_is_held_to_its_size(env: Path) -> None:
    # #1: csl-json supersedes the CSL CSV (and the SDN and DPL files): it was
    # compared with nothing, so a 2-entry file replaced them all
    before = read_pointer(env / "data")
    code, output = _update(str(FORMATS / "consolidated.json"))
    assert code == 2, output
    assert "list 'csl' would be replaced by 'csl-json', from 7 to 2 entries" in output
    assert read_pointer(env / "data") == before
    code, output = _update(str(FORMATS / "consolidated.json"), "--allow-shrink")
    assert code == 0, output


def test_a_csl_json_that_states_more_entries_than_it_holds_is_partial(
    env: Path,
) -> None:
    # #1: a saved page of the search API (total 25921, one page of results)
    page = _csl_page(env / "consolidated.json", 25921)
    code, output = _update(str(page), "--allow-shrink")
    assert code == 2, output
    assert "a partial list: it states a total of 25921 entries and holds 2" in output
    assert _names(output, page)


def test_the_first_update_is_held_to_the_lists_in_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # #1: with no active set yet nothing was compared: the lists screened
    # until then (CHIPGATE_LISTS_DIR) could be replaced by a handful of entries
    data = tmp_path / "data"
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(data))
    monkeypatch.setenv("CHIPGATE_LISTS_DIR", str(FIXTURE_LISTS))
    monkeypatch.setenv("COLUMNS", "2000")
    code, output = _update(str(FORMATS / "sdn.xml"))
    assert code == 2, output
    assert "list 'ofac-sdn' would be replaced by 'ofac-sdn-xml', from 3 to 2" in output
    assert read_pointer(data) is None
    smaller = tmp_path / "lists"
    shutil.copytree(FIXTURE_LISTS, smaller)
    shutil.rmtree(smaller / "bis")
    code, output = _update("--from", str(smaller))
    assert code == 2, output
    assert "list 'bis-dpl'" in output
    assert "is missing" in output
    assert read_pointer(data) is None


@pytest.fixture
def shared_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder screening on the shared lists (csl-2026 in use)."""
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CHIPGATE_LISTS_DIR", str(OFAC_SHARED))
    monkeypatch.setenv("COLUMNS", "2000")
    return tmp_path


def test_the_official_csl_csv_replaces_the_projection_in_use(shared_env: Path) -> None:
    # #22: refused as "superseded by csl-2026; update csl-2026 instead", which
    # has no official download
    csv_file = FIXTURE_LISTS / "csl" / "consolidated-2022.csv"
    code, output = _update(str(csv_file))
    assert code == 2, output  # 7 entries for the projection's 25,921
    assert "list 'csl-2026' would be replaced by 'csl', from 25921 to 7" in output
    result = CliRunner().invoke(
        app, ["lists", "update", str(csv_file), "--allow-shrink", "--json"]
    )
    assert result.exit_code == 0, result.output
    # the lists the projection superseded stay unread (the CSL holds them)
    assert {i["source"] for i in json.loads(result.stdout)} == {
        "csl",
        "el-history",
        "un",
    }


def test_a_list_the_projection_supersedes_names_an_official_remedy(
    shared_env: Path,
) -> None:
    code, output = _update(str(OFAC_SHARED / "ofac" / "sdn.csv"))
    assert code == 2, output
    assert "update csl-2026 instead" not in output
    assert "give a file of csl or csl-json instead" in output
    assert read_pointer(shared_env / "data") is None
