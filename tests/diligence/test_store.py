"""The register in the store, on SQLite and PostgreSQL: imports are all or nothing,
every customer is screened and classified, a list change raises alerts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from chipgate.diligence import api, reads
from chipgate.diligence.models import ALERTS, CUSTOMERS, MATCHES, PARTIES
from chipgate.diligence.store import open_store
from chipgate.errors import InputError
from chipgate.screening.provider import update_lists
from chipgate.settings import Settings

GOOD = """id,name,aliases,country,headquarters,parent,parent_headquarters,parent_share,owners,opened,declared_use,payment_country
c1,Northwind Compute Pte Ltd,,SG,SG,Lotus Holdings,MO,75,,2026-01-02,training,SG
c2,200G PSA Holdings LLC,,US,US,,,,,2025-05-01,inference,US
c3,Blue Lake Analytics GmbH,BLA,DE,DE,,,,Anna Example;183rd Guard Air Defense Missile Regiment,2024-02-01,,CH
"""


def _counts(settings: Settings) -> tuple[int, int, int]:
    engine = open_store(settings)
    try:
        with engine.connect() as conn:
            return tuple(  # type: ignore[return-value]
                int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                for t in (CUSTOMERS, PARTIES, MATCHES)
            )
    finally:
        engine.dispose()


def _customers(settings: Settings) -> dict[str, dict]:  # type: ignore[type-arg]
    engine = open_store(settings)
    try:
        with engine.connect() as conn:
            rows = reads.customers(conn, review=settings.screening_review_threshold)
    finally:
        engine.dispose()
    return {r["id"]: r for r in rows}


def test_import_screens_classifies_and_flags(
    store_settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(GOOD)
    summary = api.import_file(store_settings, path)
    assert summary.customers == 3
    found = _customers(store_settings)
    assert found["c1"]["hq_class"] == "parent"
    assert any("744.23" in c for c in found["c1"]["hq"]["citations"])
    assert [h["list"] for h in found["c2"]["hits"]] == ["SDN"]
    # an owner is screened too
    assert any(h["role"] == "owner" for h in found["c3"]["hits"])
    codes = {f["code"] for f in found["c3"]["flags"]}
    assert {"RF.NO_DECLARED_USE", "RF.THIRD_COUNTRY_PAYMENT"} <= codes
    assert "RF.HQ_OF_CONCERN" in {f["code"] for f in found["c1"]["flags"]}
    assert found["c2"]["open_alerts"][0]["cause"] == "import"


def test_a_bad_file_changes_nothing(store_settings: Settings, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    api.import_file(store_settings, good)
    before = _counts(store_settings)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        GOOD.replace("c2,200G PSA Holdings LLC,,US", "c2,Renamed,,US")
        + "c4,Bad Share,,,,,,101,,,,\n"
    )
    with pytest.raises(InputError) as caught:
        api.import_file(store_settings, bad)
    assert [(p.line, p.field) for p in caught.value.problems] == [(5, "parent_share")]
    assert _counts(store_settings) == before
    assert _customers(store_settings)["c2"]["name"] == "200G PSA Holdings LLC"


def test_list_update_raises_alerts_through_the_hook(
    store_settings: Settings, tmp_path: Path, ofac_2021: Path, ofac_2024: Path
) -> None:
    update_lists(store_settings.data_dir, str(ofac_2021))
    path = tmp_path / "customers.csv"
    # on both lists; removed by 2024; added by 2024; on neither
    path.write_text(
        "id,name\n"
        "a,AEROCARIBBEAN AIRLINES\n"
        "b,Concretos Cali S.A.\n"
        "c,Belluga Ic ve Dis Ticaret Limited Sirketi\n"
        "d,Unlisted Example Trading Ltd\n"
    )
    api.import_file(store_settings, path)
    index = update_lists(store_settings.data_dir, str(ofac_2024))
    summary = api.after_lists_update(store_settings, index)
    assert summary is not None
    assert summary.kind == "delta"
    assert summary.added
    assert summary.removed
    assert summary.changed
    engine = open_store(store_settings)
    try:
        with engine.connect() as conn:
            runs = reads.runs(conn)
            alerts = list(conn.execute(select(ALERTS)))
    finally:
        engine.dispose()
    assert runs[0]["kind"] == "delta"
    changed = {
        (a.customer_id, a.kind, a.cause) for a in alerts if a.run_id == runs[0]["id"]
    }
    assert ("b", "cleared_hit", "removed") in changed
    assert ("c", "new_hit", "added") in changed
    assert not {c for c, _, _ in changed} & {"a", "d"}
    # a second call has nothing to do
    again = api.rescreen(store_settings)
    assert again.run_id is None
    full = api.rescreen(store_settings, full=True)
    assert full.new_hits == full.cleared_hits == 0  # the delta left nothing to find
