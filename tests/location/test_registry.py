"""The fleet registry, diversion alerts and the engine's location source."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import ValidationError
from sqlalchemy import Engine, event, update
from sqlalchemy.orm import Session

from chipgate.errors import InputError, StoreError
from chipgate.facts import LocationSource
from chipgate.location.alerts import NewAlert, record_alerts
from chipgate.location.models import DiversionAlert
from chipgate.location.protocol import encode_public_key
from chipgate.location.provider import StoreLocationSource, load_location_source
from chipgate.location.registry import (
    ChipEntry,
    FleetRegistry,
    owner_key,
    read_chip_file,
)
from chipgate.settings import Settings


def _key() -> str:
    return encode_public_key(Ed25519PrivateKey.generate().public_key())


def _entry(chip_id: str, owner: str = "Acme Compute, Inc.") -> ChipEntry:
    return ChipEntry(
        chip_id=chip_id,
        model="H100",
        public_key=_key(),
        owner=owner,
        licensed_country="de",
        licensed_site="Frankfurt DC-2",
        license_ref="D123456",
    )


def test_owner_names_match_ignoring_case_spaces_and_punctuation() -> None:
    assert owner_key("ACME compute inc") == owner_key("Acme Compute, Inc.")
    assert owner_key("Acme Compute") != owner_key("Acme Computing")


def test_register_list_and_refuse_duplicates(engine: Engine) -> None:
    registry = FleetRegistry(engine)
    assert registry.register([_entry("C1"), _entry("C2")]) == 2
    chips = registry.chips()
    assert sorted(chips) == ["C1", "C2"]
    assert chips["C1"].licensed_country == "DE"
    with pytest.raises(StoreError, match="already registered"):
        registry.register([_entry("C2"), _entry("C3")])
    assert sorted(registry.chips()) == ["C1", "C2"]  # nothing half-written
    registry.register([_entry("C2", owner="New Owner")], replace=True)
    assert registry.chips(["C2"])["C2"].owner == "New Owner"
    with pytest.raises(StoreError, match="twice"):
        registry.register([_entry("C9"), _entry("C9")])


def test_chip_files_in_csv_and_jsonl(tmp_path: Path) -> None:
    key = _key()
    csv_file = tmp_path / "chips.csv"
    csv_file.write_text(
        "chip_id,model,public_key,owner,licensed_country,licensed_site,license_ref\n"
        f"C1,H100,{key},Acme,DE,Frankfurt,D1\n"
    )
    assert [c.chip_id for c in read_chip_file(csv_file)] == ["C1"]
    jsonl = tmp_path / "chips.jsonl"
    jsonl.write_text(
        f'{{"chip_id": "C1", "model": "H100", "public_key": "{key}", "owner": "A",'
        ' "licensed_country": "DE", "licensed_site": "F", "license_ref": "D1"}\n'
        '{"chip_id": "C2", "model": "H100", "public_key": "short", "owner": "A",'
        ' "licensed_country": "Germany", "licensed_site": "F", "license_ref": "D1"}\n'
        '{"chip_id": "C3",\n'
    )
    with pytest.raises(InputError) as caught:
        read_chip_file(jsonl)
    text = str(caught.value)
    assert "line 2" in text
    assert "public_key" in text
    assert "licensed_country" in text
    assert "line 3" in text
    assert "not valid JSON" in text


def test_a_chip_file_row_longer_than_its_header_is_named_not_cut(
    tmp_path: Path,
) -> None:
    # read leniently, "Acme, Inc." was the owner "Acme" and " Inc." was dropped
    key = _key()
    header = (
        "chip_id,model,public_key,owner,licensed_country,licensed_site,license_ref\n"
    )
    chips = tmp_path / "chips.csv"
    chips.write_text(
        header
        + f"C1,H100,{key},Acme,DE,Frankfurt,D1\n"
        + f"C2,H100,{key},Acme, Inc.,DE,Frankfurt,D1\n"
    )
    with pytest.raises(InputError) as caught:
        read_chip_file(chips)
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert "8 cells where the header has 7" in problem.message
    broken = tmp_path / "broken.csv"
    broken.write_bytes(
        header.encode() + f"C1,H100,{key},Caf\xe9,DE,F,D1\n".encode("latin-1")
    )
    with pytest.raises(InputError, match="not UTF-8") as caught:
        read_chip_file(broken)
    assert caught.value.problems[0].line == 2


def test_open_alerts_reach_the_engine_by_owner_name(engine: Engine) -> None:
    registry = FleetRegistry(engine)
    registry.register([_entry("C1"), _entry("C2", owner="Other Ltd")])
    chips = registry.chips()
    seen_at = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    alert = NewAlert(chips["C1"], seen_at, "POLYGON ((1 1, 2 1, 2 2, 1 1))", "evidence")
    assert record_alerts(engine, [alert]) == 1
    assert record_alerts(engine, [alert]) == 0  # same observation stored once
    source: LocationSource = StoreLocationSource(engine)
    (found,) = source.alerts_for("ACME COMPUTE INC")
    assert found.chip_id == "C1"
    assert found.licensed_country == "DE"
    assert found.verdict == "diverted"
    assert found.observed_at == seen_at
    assert source.alerts_for("Other Ltd") == []
    assert source.alerts_for("") == []
    with Session(engine) as session, session.begin():
        session.execute(update(DiversionAlert).values(status="closed"))
    assert source.alerts_for("Acme Compute, Inc.") == []


def test_load_location_source_uses_the_settings_store(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    source = load_location_source(settings)
    assert source.alerts_for("anyone") == []
    assert (tmp_path / "chipgate.db").exists()


def test_chip_models_resolve_through_the_chip_catalog() -> None:
    entry = _entry("C1")
    assert entry.model == "NVIDIA H100 SXM5"  # registered as "H100"
    with pytest.raises(ValidationError, match="not in the chip catalog"):
        ChipEntry.model_validate({**entry.model_dump(), "model": "Quantum Widget 9"})
    with pytest.raises(ValidationError, match="is a system of 8 chips"):
        ChipEntry.model_validate({**entry.model_dump(), "model": "DGX H100"})


def test_chips_are_found_across_several_id_queries(engine: Engine) -> None:
    """1,201 ids ask three bounded queries (500 ids each at most), not one that
    could pass SQLite's bound-variable limit, and every chip comes back in order."""
    registry = FleetRegistry(engine)
    registry.register([_entry(f"C{i:04d}") for i in range(1_200)])
    selects: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        found = registry.chips([f"C{i:04d}" for i in range(1_200)] + ["nope"])
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(found) == 1_200
    assert list(found)[:2] == ["C0000", "C0001"]
    assert len(selects) == 3


def test_a_snapshot_reads_every_open_alert_once_and_matches_owners_loosely(
    engine: Engine,
) -> None:
    registry = FleetRegistry(engine)
    registry.register([_entry("C1"), _entry("C2", owner="Other Ltd")])
    chips = registry.chips()
    seen_at = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    record_alerts(engine, [NewAlert(chips["C1"], seen_at, "POLYGON EMPTY", "e")])
    snapshot = StoreLocationSource(engine).snapshot()
    record_alerts(engine, [NewAlert(chips["C2"], seen_at, "POLYGON EMPTY", "e")])
    (found,) = snapshot.alerts_for("acme compute inc")
    assert found.chip_id == "C1"
    assert snapshot.alerts_for("Other Ltd") == ()  # stored after the snapshot
    assert len(StoreLocationSource(engine).snapshot().alerts_for("Other Ltd")) == 1


@pytest.mark.parametrize("country", ["UK", "XX", "ZZ", "Germany"])
def test_a_licensed_country_must_be_an_iso_country(
    tmp_path: Path, country: str
) -> None:
    # "UK" or "XX" passed the two-letter pattern: a chip licensed to no country
    # can never be proved outside it, so a diverted chip stayed inconclusive
    with pytest.raises(ValidationError, match="not an ISO 3166"):
        ChipEntry(**{**_entry("C1").model_dump(), "licensed_country": country})
    chips = tmp_path / "chips.csv"
    chips.write_text(
        "chip_id,model,public_key,owner,licensed_country,licensed_site,license_ref\n"
        f"C1,H100,{_key()},Acme,{country},Frankfurt,D1\n"
    )
    with pytest.raises(InputError) as caught:
        read_chip_file(chips)
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (2, "licensed_country")
    assert f"'{country}' is not an ISO 3166" in problem.message
    assert _entry("C1").licensed_country == "DE"  # any case, kept in capitals


def test_a_site_coordinate_that_is_a_boolean_is_refused(tmp_path: Path) -> None:
    # "site_lat": true was read as 1.0 degree
    jsonl = tmp_path / "chips.jsonl"
    jsonl.write_text(
        f'{{"chip_id": "C1", "model": "H100", "public_key": "{_key()}", "owner": "A",'
        ' "licensed_country": "DE", "licensed_site": "F", "license_ref": "D1",'
        ' "site_lat": true, "site_lon": 8.7}\n'
    )
    with pytest.raises(InputError) as caught:
        read_chip_file(jsonl)
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (1, "site_lat")
    csv_file = tmp_path / "chips.csv"
    csv_file.write_text(
        "chip_id,model,public_key,owner,licensed_country,licensed_site,license_ref,"
        f"site_lat,site_lon\nC1,H100,{_key()},Acme,DE,Frankfurt,D1,50.1,8.7\n"
    )
    assert read_chip_file(csv_file)[0].site_lat == 50.1  # text from CSV is read


def test_a_chip_file_naming_a_column_twice_is_refused(tmp_path: Path) -> None:
    # the last licensed_country was read and the first dropped unseen
    chips = tmp_path / "chips.csv"
    chips.write_text(
        "chip_id,model,public_key,owner,licensed_country,licensed_site,license_ref,"
        f"licensed_country\nC1,H100,{_key()},Acme,CN,Frankfurt,D1,DE\n"
    )
    with pytest.raises(InputError, match="duplicate column\\(s\\) licensed_country"):
        read_chip_file(chips)
    from chipgate.location.rttmesh import read_sites

    landmarks = tmp_path / "lm.csv"
    landmarks.write_text("id,latitude,longitude,country,country\nx,50,8,DE,FR\n")
    with pytest.raises(InputError, match="duplicate column\\(s\\) country"):
        read_sites(landmarks)


def test_one_device_key_belongs_to_one_chip(engine: Engine) -> None:
    """A device key registered for a second chip let that device answer for both:
    refused, naming both chips, whether the other chip is stored or in the file."""
    registry = FleetRegistry(engine)
    first = _entry("C1")
    registry.register([first])
    again = ChipEntry(**{**_entry("C2").model_dump(), "public_key": first.public_key})
    with pytest.raises(InputError) as caught:
        registry.register([again])
    (problem,) = caught.value.problems
    assert problem.field == "public_key"
    assert "C2" in problem.message
    assert "already registered for chip C1" in problem.message
    assert sorted(registry.chips()) == ["C1"]  # nothing written
    twin = ChipEntry(**{**_entry("C4").model_dump(), "public_key": again.public_key})
    with pytest.raises(InputError, match="chips C3 and C4 are given the same"):
        registry.register(
            [ChipEntry(**{**twin.model_dump(), "chip_id": "C3"}), twin],
        )
    # the same key with other base64 padding bits (ignored by decoding) is the same
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    text = first.public_key
    last = alphabet[alphabet.index(text[-2]) ^ 1]  # one of the two unused bits
    other_spelling = text[:-2] + last + "="
    assert other_spelling != text
    assert base64.b64decode(other_spelling) == base64.b64decode(text)
    with pytest.raises(InputError, match="already registered for chip C1"):
        registry.register(
            [ChipEntry(**{**_entry("C5").model_dump(), "public_key": other_spelling})]
        )
    # re-registering a chip with its own key, or two chips swapping, is fine
    second = _entry("C2")
    registry.register([second])
    swapped = [
        ChipEntry(**{**first.model_dump(), "public_key": second.public_key}),
        ChipEntry(**{**second.model_dump(), "public_key": first.public_key}),
    ]
    assert registry.register(swapped, replace=True) == 2
    assert registry.chips(["C1"])["C1"].public_key == second.public_key


def test_a_site_outside_its_licensed_country_is_refused(tmp_path: Path) -> None:
    """Frankfurt typed with latitude and longitude swapped passed the ranges (it is
    a point in Somalia) and made every honest chip there 'relocated'."""
    header = (
        "chip_id,model,public_key,owner,licensed_country,licensed_site,license_ref,"
        "site_lat,site_lon\n"
    )
    chips = tmp_path / "chips.csv"
    chips.write_text(
        header
        + f"C1,H100,{_key()},Acme,DE,Frankfurt,D1,50.11,8.68\n"
        + f"C2,H100,{_key()},Acme,DE,Frankfurt,D1,8.68,50.11\n"
        + f"C3,H100,{_key()},Acme,FR,Paris,D1,40.0,-100.0\n"
        + f"C4,H100,{_key()},Acme,DE,Frankfurt,D1,50.11,\n"
        + f"C5,H100,{_key()},Acme,DE,Frankfurt,D1,95,8.68\n"
    )
    with pytest.raises(InputError) as caught:
        read_chip_file(chips)
    found = {p.line: p for p in caught.value.problems}
    assert sorted(found) == [3, 4, 5, 6]
    swapped = found[3]
    assert swapped.field == "site_lon"
    assert "site_lat/site_lon: site (8.68, 50.11) lies" in swapped.message
    assert "outside DE (Germany)" in swapped.message
    assert "swapped" in swapped.message
    assert "outside FR (France), the licensed country" in found[4].message
    assert "give site_lat and site_lon together" in found[5].message
    assert found[6].field == "site_lat"  # the range, as before
    # a code the borders draw no polygon of its own for: the ranges alone
    reunion = _entry("C6").model_dump() | {
        "licensed_country": "RE",
        "site_lat": -20.88,
        "site_lon": 55.45,
    }
    assert ChipEntry.model_validate(reunion).site_lat == -20.88
    # a coastal site a few km off the drawn coastline is still its country's
    assert ChipEntry.model_validate(
        _entry("C7").model_dump()
        | {"licensed_country": "SG", "site_lat": 1.264, "site_lon": 103.82}
    )
