"""Transfers of fleet chips go through the engine like any order."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from chipgate.diligence import api
from chipgate.diligence.store import open_store
from chipgate.diligence.transfer import Transfer, decide_transfer, recipient_of
from chipgate.errors import InputError
from chipgate.location.protocol import encode_public_key
from chipgate.location.registry import ChipEntry, FleetRegistry
from chipgate.orders.model import Party
from chipgate.settings import Settings


def _chip(chip_id: str, country: str) -> ChipEntry:
    return ChipEntry(
        chip_id=chip_id,
        model="H100",
        public_key=encode_public_key(Ed25519PrivateKey.generate().public_key()),
        owner="Example Cloud",
        licensed_country=country,
        licensed_site="DC-1",
        license_ref="L1",
    )


def test_transfer_to_a_d5_parented_customer_needs_a_licence(
    store_settings: Settings, tmp_path: Path
) -> None:
    engine = open_store(store_settings)
    try:
        FleetRegistry(engine).register(
            [_chip("G1", "SG"), _chip("G2", "SG"), _chip("G3", "MY")]
        )
    finally:
        engine.dispose()
    customers = tmp_path / "c.csv"
    customers.write_text(
        "id,name,headquarters,parent,parent_headquarters,parent_share\n"
        "p,Parented Compute,SG,Big Parent,CN,70\n"
        "q,Plain Compute,SG,,,\n"
    )
    api.import_file(store_settings, customers)
    day = date(2026, 12, 1)
    to_parented = decide_transfer(
        store_settings,
        Transfer("T1", day, ("G1", "G2", "G3"), recipient_of(store_settings, "p"), "p"),
    )
    assert [(r["id"], r["quantity"]) for r in to_parented] == [("T1/1", 1), ("T1/2", 2)]
    assert {r["outcome"] for r in to_parented} == {"license_required"}
    assert all("AC.HQ" in r["rules"] for r in to_parented)
    to_plain = decide_transfer(
        store_settings,
        Transfer("T2", day, ("G1",), recipient_of(store_settings, "q"), "q"),
    )
    assert to_plain[0]["outcome"] != "license_required"
    assert "XFER.INCOUNTRY" in to_plain[0]["rules"]


def test_unknown_chips_are_refused(store_settings: Settings) -> None:
    with pytest.raises(InputError, match="not in the fleet registry"):
        decide_transfer(
            store_settings,
            Transfer("T", date(2026, 12, 1), ("NOPE",), Party(name="X", hq="DE")),
        )


@pytest.mark.parametrize("hq", ["XX", "UK"])
def test_a_transfer_to_a_headquarters_that_is_no_country_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hq: str
) -> None:
    # --to-hq XX was taken as a headquarters no rule knows: no_license_required
    from typer.testing import CliRunner

    from chipgate.cli.app import app

    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(
        app,
        ["customers", "transfer", "--chips", "G1", "--to-name", "X", "--to-hq", hq],
    )
    assert result.exit_code == 2
    assert f"--to-hq: '{hq}' is not an ISO 3166" in result.output


def test_a_chip_given_twice_is_refused(store_settings: Settings) -> None:
    # --chips A,A made one order of two chips out of one
    engine = open_store(store_settings)
    try:
        FleetRegistry(engine).register([_chip("G1", "SG")])
    finally:
        engine.dispose()
    with pytest.raises(InputError, match="given more than once: G1"):
        decide_transfer(
            store_settings,
            Transfer("T", date(2026, 12, 1), ("G1", "G1"), Party(name="X", hq="SG")),
        )


def test_the_owner_is_the_consignee_and_its_diversion_alerts_apply(
    store_settings: Settings,
) -> None:
    # the order named no holder of the chips: an owner whose chips were found
    # abroad could hand more of them on with no location finding
    from datetime import UTC, datetime

    from chipgate.location.alerts import NewAlert, record_alerts

    engine = open_store(store_settings)
    try:
        registry = FleetRegistry(engine)
        registry.register([_chip("G1", "SG"), _chip("G2", "SG")])
        seen = datetime(2026, 11, 20, tzinfo=UTC)
        record_alerts(
            engine, [NewAlert(registry.chips()["G2"], seen, "POLYGON EMPTY", "rtt")]
        )
    finally:
        engine.dispose()
    (record,) = decide_transfer(
        store_settings,
        Transfer("T", date(2026, 12, 1), ("G1",), Party(name="Plain Co", hq="SG")),
    )
    assert "LOC.DIVERTED" in record["rules"]
    assert "Example Cloud" in str(record)
