"""Licenses record the end user and end uses they were granted for.

Before, a license file had no end_user or end_use column (either was an unknown
field), so a distributor's license for another end user could not be imported as
granted, and a store holding licenses had nowhere to keep them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from ledger_helpers import assert_refused, license_csv, store_at
from sqlalchemy import text

from chipgate.errors import InputError
from chipgate.ledger import Ledger, migrate
from chipgate.ledger.db import write_transaction
from chipgate.settings import Settings

HEADER = "number,items,quantity,destination,consignee,end_user,end_use\n"


def _csv(tmp_path: Path, *lines: str) -> Path:
    return license_csv(tmp_path, HEADER, *lines)


def test_end_user_and_end_use_are_imported_and_audited(
    ledger: Ledger, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path,
        "D100001,H100,50,VN,Saigon Distribution Co,Hanoi Research Institute,"
        "Training; WMD",
        "D100002,H100,50,VN,Saigon Distribution Co,,",
    )
    assert ledger.import_licenses(path, "officer") == 2
    named, plain = ledger.get("D100001"), ledger.get("D100002")
    assert named is not None
    assert plain is not None
    assert (named.end_user, named.end_use) == (
        "Hanoi Research Institute",
        ("training", "wmd"),
    )
    assert (plain.end_user, plain.end_use) == (None, ())
    assert named.source == str(path)
    [entry] = list(ledger.export())
    first = entry["payload"]["licenses"][0]
    assert (first["end_user"], first["end_use"]) == (
        "Hanoi Research Institute",
        ["training", "wmd"],
    )
    assert ledger.verify().ok


def test_jsonl_end_uses_may_be_a_list(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "licenses.jsonl"
    path.write_text(
        json.dumps(
            {
                "number": "D100003",
                "quantity": 5,
                "consignee": "Acme",
                "end_user": "Globex",
                "end_use": ["research", "datacenter"],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    ledger.import_licenses(path, "officer")
    found = ledger.get("D100003")
    assert found is not None
    assert found.end_use == ("datacenter", "research")


@pytest.mark.parametrize(
    ("cells", "field", "message"),
    [
        ("Acme,Globex,militray", "end_use", "'militray' is not one of datacenter"),
        ("Acme,Globex,training;;gaming;x", "end_use", "'x' is not one of"),
        ("Acme,---,training", "end_user", "a name with a letter or digit"),
        (f"Acme,{'G' * 501},training", "end_user", "at most 500 characters"),
    ],
)
def test_a_bad_cell_names_file_line_and_column_and_writes_nothing(
    ledger: Ledger, tmp_path: Path, cells: str, field: str, message: str
) -> None:
    path = _csv(
        tmp_path, "D100004,,1,VN,Acme,Globex,training", f"D100005,,1,VN,{cells}"
    )
    assert_refused(ledger, path, 3, field, message)


def test_a_jsonl_end_use_that_is_no_list_of_words_is_refused(
    ledger: Ledger, tmp_path: Path
) -> None:
    path = tmp_path / "licenses.jsonl"
    path.write_text(
        json.dumps({"number": "D100006", "quantity": 5, "end_use": {"a": 1}}) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        ledger.import_licenses(path, "officer")
    [problem] = info.value.problems
    assert (problem.line, problem.field) == (1, "end_use")


def _upgrade_to(engine: Any, revision: str) -> None:
    config = migrate.alembic_config()
    with write_transaction(engine) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


_OLD_LICENSE = (
    "INSERT INTO ledger_licenses (number, items, quantity, consignee, conditions,"
    " source, imported_at, imported_by) VALUES (:n, '[]', :q, 'Acme', '', 'old.csv',"
    " 't', 'me')"
)


def test_a_store_with_licenses_is_upgraded_and_its_chain_still_verifies(
    settings: Settings,
) -> None:
    """Licenses imported before ledger_0004 keep their meaning (end user = consignee,
    no end use) and the audit chain still accounts for their rows."""
    engine = store_at(settings.resolved_database_url(), "ledger_0002")
    with write_transaction(engine) as conn:
        conn.execute(text(_OLD_LICENSE), {"n": "D1", "q": 5})
        conn.execute(text(_OLD_LICENSE), {"n": "D2", "q": 7})
    _upgrade_to(engine, "ledger_0003")
    migrate.upgrade(engine)
    ledger = Ledger(engine)
    kinds = [e["kind"] for e in ledger.export()]
    assert kinds == ["audit.rows_covered", "audit.rows_reimaged"]
    assert ledger.verify().ok
    old = ledger.get("D1")
    assert old is not None
    assert (old.quantity, old.consignee, old.end_user, old.end_use) == (
        5,
        "Acme",
        None,
        (),
    )
    engine.dispose()


def test_a_license_row_edited_before_the_upgrade_is_still_reported(
    settings: Settings,
) -> None:
    engine = store_at(settings.resolved_database_url(), "ledger_0002")
    with write_transaction(engine) as conn:
        conn.execute(text(_OLD_LICENSE), {"n": "D1", "q": 5})
        conn.execute(text(_OLD_LICENSE), {"n": "D2", "q": 7})
    _upgrade_to(engine, "ledger_0003")
    with write_transaction(engine) as conn:  # outside the ledger
        conn.execute(
            text("UPDATE ledger_licenses SET quantity = 500 WHERE number = 'D1'")
        )
    migrate.upgrade(engine)
    ledger = Ledger(engine)
    [reimaged] = [e for e in ledger.export() if e["kind"] == "audit.rows_reimaged"]
    assert [row[1] for row in reimaged["rows"]] == [["D2"]]
    report = ledger.verify()
    assert not report.ok
    [problem] = report.row_mismatches
    assert problem.startswith('ledger_licenses ["D1"]: row differs')
    engine.dispose()
