"""Each loader reads the real files with the counts SOURCES.md gives, and the quirks."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from chipgate.errors import InputError
from chipgate.screening.model import ListEntry
from chipgate.screening.sources import REGISTRY, LoadedLists, load_lists, load_source
from chipgate.screening.sources.csl import ConsolidatedScreeningList, list_code
from chipgate.screening.sources.ofac import OfacSdnLegacy
from chipgate.screening.sources.readers import headerless_rows
from chipgate.screening.sources.un import UnConsolidatedList

from .conftest import FIXTURE_LISTS, FIXTURES

# Rows per file as SOURCES.md counts them (and the UN entries).
EXPECTED_COUNTS = {
    "csl": 14_160,
    "bis-dpl": 581,
    "ofac-sdn": 8_976,
    "ofac-sdn-2024": 14_965,
    "ofac-nonsdn": 442,
    "un": 1_003,
    "csl-2026": 25_921,
    "el-history": 1,  # the one removal with a date (the IFS, 2023-11-16)
}
NOT_IN_SHARED = {"csl-json", "ofac-sdn-xml", "opensanctions"}  # read from fixtures
EXPECTED_SHA = {
    "csl": "80e780b91b7b50e193c0077b17d75ec6f6dbd8223ae0bd54b343d297db5e767f",
    "un": "66b392a4090868d2d39161e8d748efd39138377b0e6e60b7921aa67a4f99c8bf",
}


def _by_source(lists: LoadedLists, source: str) -> list[ListEntry]:
    return [e for e in lists.entries if e.source == source]


def test_registry_has_one_loader_per_list() -> None:
    assert sorted(cls.name for cls in REGISTRY) == sorted(
        set(EXPECTED_COUNTS) | NOT_IN_SHARED
    )


def test_the_2026_list_is_the_default_set(real_lists: LoadedLists) -> None:
    assert [i.source for i in real_lists.infos] == ["csl-2026", "el-history", "un"]
    dates = {i.source: i.list_date for i in real_lists.infos}
    assert dates == {
        "csl-2026": "2026-07-31",
        "el-history": "2025-10-09",
        "un": "2026-02-27",
    }


@pytest.mark.parametrize(("source", "count"), sorted(EXPECTED_COUNTS.items()))
def test_each_loader_reads_the_documented_number_of_rows(
    every_list: LoadedLists, source: str, count: int
) -> None:
    info = next(i for i in every_list.infos if i.source == source)
    assert info.entries == count
    assert len(_by_source(every_list, source)) == count


@pytest.mark.parametrize(("source", "sha"), sorted(EXPECTED_SHA.items()))
def test_list_hashes_are_recorded(
    every_list: LoadedLists, source: str, sha: str
) -> None:
    info = next(i for i in every_list.infos if i.source == source)
    assert info.sha256 == sha


def test_csl_sources_map_to_the_engine_list_codes(every_list: LoadedLists) -> None:
    codes = Counter(e.list_code for e in _by_source(every_list, "csl"))
    assert codes["EL"] == 2_001
    assert codes["MEU"] == 71
    assert codes["UVL"] == 201
    assert codes["DPL"] == 462
    assert codes["SDN"] == 10_026
    assert codes["NONSDN"] == 290 + 78 + 68 + 53 + 17 + 3


def test_list_dates_come_from_the_data(every_list: LoadedLists) -> None:
    dates = {i.source: i.list_date for i in every_list.infos}
    assert dates["un"] == "2026-02-27"
    assert dates["csl"] == "2022-04-21"
    assert dates["bis-dpl"] == "2022-09-02"  # typos such as 2922-09-01 ignored
    assert dates["ofac-sdn"] is None


def test_huawei_entity_list_entry_carries_footnote_1_and_license_terms(
    every_list: LoadedLists,
) -> None:
    entry = next(
        e
        for e in _by_source(every_list, "csl")
        if e.name == "Huawei Technologies Co., Ltd. (Huawei)"
    )
    assert entry.list_code == "EL"
    assert entry.footnotes == ("1",)
    assert entry.license_policy is not None
    assert entry.license_policy.startswith("Presumption of denial")
    assert entry.federal_register is not None
    assert "84 FR" in entry.federal_register
    assert entry.raw["name"] == "Huawei Technologies Co., Ltd. (Huawei)"


def test_russian_entity_list_entries_carry_footnote_3(every_list: LoadedLists) -> None:
    footnoted = [e for e in _by_source(every_list, "csl") if "3" in e.footnotes]
    assert len(footnoted) == 147
    assert all(e.list_code == "EL" for e in footnoted)


def test_ofac_aliases_and_addresses_are_joined(every_list: LoadedLists) -> None:
    legacy = _by_source(every_list, "ofac-sdn")
    assert sum(1 for e in legacy if e.aliases) > 4_000
    assert all("\x1a" not in e.entry_id for e in legacy)
    assert not any(e.raw["Remarks"] == "-0-" for e in legacy)
    assert Counter(e.kind for e in legacy)["entity"] == 3_673


def test_un_keeps_original_script_names(real_lists: LoadedLists) -> None:
    un = _by_source(real_lists, "un")
    assert Counter(e.kind for e in un) == {"individual": 730, "entity": 273}
    assert any(not a.isascii() for e in un for a in e.aliases)


def test_fixture_ofac_quirks_ctrl_z_crlf_and_empty_marker(
    fixture_lists: LoadedLists,
) -> None:
    ofac = {e.entry_id: e for e in fixture_lists.entries if e.source == "ofac-sdn"}
    assert set(ofac) == {"101", "102", "103"}
    acme = ofac["101"]
    assert acme.kind == "entity"
    assert acme.raw["Title"] == ""
    assert acme.aliases == ("ROCKET WORKS ACME", "ACME RAKETA")
    assert acme.countries == ("RU",)
    assert ofac["102"].programs == ("RUSSIA-EO14024", "UKRAINE-EO13662")


def test_fixture_csl_multi_values_newlines_and_affiliates(
    fixture_lists: LoadedLists,
) -> None:
    csl = {e.entry_id: e for e in fixture_lists.entries if e.source == "csl"}
    huawei = csl["el1"]
    assert huawei.countries == ("CN", "HK")
    assert huawei.aliases == ("Shenzhen Huawei Technologies", "Huawei Technology")
    assert huawei.federal_register == "84 FR 22961, 85 FR 51603"
    assert csl["el2"].name == "Huawei Example Cloud Co., Ltd."
    assert csl["el3"].footnotes == ("3",)
    assert "JSC 140 Example Repair Plant" in csl["el3"].aliases
    assert csl["dpl1"].name == "I. EXAMPLE"


def test_fixture_dpl_date_ignores_typo_years(fixture_lists: LoadedLists) -> None:
    info = next(i for i in fixture_lists.infos if i.source == "bis-dpl")
    assert info.list_date == "2022-08-24"


def test_malformed_ofac_row_names_file_and_line() -> None:
    path = FIXTURES / "malformed" / "ofac-wrong-columns" / "sdn.csv"
    with pytest.raises(InputError) as caught:
        list(headerless_rows(path, 12))
    problem = caught.value.problems[0]
    assert problem.source == str(path)
    assert problem.line == 2
    assert "expected 12 columns, found 3" in problem.message


def test_malformed_csl_row_names_file_and_line(tmp_path: Path) -> None:
    bad = FIXTURES / "malformed" / "csl-short-row" / "consolidated.csv"
    target = tmp_path / "csl" / "consolidated-2022.csv"
    target.parent.mkdir()
    target.write_bytes(bad.read_bytes())
    with pytest.raises(InputError) as caught:
        load_source(ConsolidatedScreeningList(), tmp_path)
    assert caught.value.problems[0].line == 3
    assert str(target) in str(caught.value)


def test_malformed_un_xml_names_file_and_line(tmp_path: Path) -> None:
    target = tmp_path / "un" / "consolidated.xml"
    target.parent.mkdir()
    target.write_bytes((FIXTURES / "malformed" / "un-broken.xml").read_bytes())
    with pytest.raises(InputError) as caught:
        load_source(UnConsolidatedList(), tmp_path)
    assert caught.value.problems[0].line == 5


def test_missing_required_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "ofac").mkdir()
    with pytest.raises(InputError, match=r"ofac/sdn\.csv"):
        load_source(OfacSdnLegacy(), tmp_path)


def test_folder_without_lists_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no list file found"):
        load_lists(tmp_path)


def test_fixture_folder_loads_every_list() -> None:
    loaded = load_lists(FIXTURE_LISTS)
    assert {i.source for i in loaded.infos} == set(EXPECTED_COUNTS) - {
        "csl-2026",
        "el-history",
    }


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("Entity List (EL) - Bureau of Industry and Security", "EL"),
        ("Military End User (MEU) List - Bureau of Industry and Security", "MEU"),
        (
            "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department",
            "NONSDN",
        ),
        ("Nonproliferation Sanctions (ISN) - State Department", "ISN"),
    ],
)
def test_list_code_of_csl_source(source: str, code: str) -> None:
    assert list_code(source) == code
