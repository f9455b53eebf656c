"""Every ledger row is under the audit chain: any edit, insert or delete is found.

Before, draws, orders, licenses, account limits and reservations were outside the
chain: a license quantity raised from 256 to 25,600, or a deleted order row, passed
``audit verify``.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ledger_helpers import copy_store, draw, filled_store, request, store_at
from sqlalchemy import Float, Integer, Table, delete, insert, select, update
from sqlalchemy.exc import DBAPIError

from chipgate.ledger import Ledger
from chipgate.ledger.coverage import COVERED
from chipgate.ledger.db import make_engine, write_transaction
from chipgate.ledger.migrate import upgrade
from chipgate.settings import Settings

LICENSES = (
    "number,items,quantity,value_usd,tpp,destination,consignee,valid_from,expires,"
    "conditions\nD200001,H100,256,,,AE,G42,2025-01-01,2026-12-31,\n"
)


def fill(ledger: Ledger, folder: Path) -> None:
    """Rows in every covered table: licenses, orders, draws, accounts, bases."""
    lic = folder / "licenses.csv"
    lic.write_text(LICENSES, encoding="utf-8")
    ledger.import_licenses(lic, "officer")
    for i in range(4):
        ledger.commit_batch(
            [
                request(
                    f"o{i}",
                    draw("license/D200001", 60.0, None, unit="units", kind="license"),
                    draw("lpp/g42/2025", 1000.0, 3500.0, h100e=1.0),
                )
            ]
        )
    ledger.release("o1", "cancelled", "officer")
    ledger.report_base("G42", 5e8, date(2025, 4, 1), "officer")
    assert ledger.verify().ok


def _value(column: Any, current: Any) -> st.SearchStrategy[Any]:
    """Any value of the column's type other than the current one."""
    if isinstance(column.type, Integer):
        options: st.SearchStrategy[Any] = st.integers(-(2**31), 2**31 - 1)
    elif isinstance(column.type, Float):
        options = st.floats(allow_nan=False, allow_infinity=False, width=32)
    else:
        length = getattr(column.type, "length", None) or 30
        options = st.text(
            alphabet="abcdefghijklmnopqrstuvwxyz0123456789-/ ",
            min_size=1,
            max_size=min(length, 30),
        )
    if column.nullable:
        options = options | st.none()
    return options.filter(lambda v: v != current)


def _key_where(table: Table, row: Any) -> list[Any]:
    return [c == row[c.name] for c in table.primary_key.columns]


def _new_key(table: Table, row: Any) -> dict[str, Any]:
    """A copy of ``row`` under a primary key no row has."""
    first = next(iter(table.primary_key.columns))
    copy = dict(row)
    if isinstance(first.type, Integer):
        copy[first.name] = int(row[first.name]) + 10_000
    else:
        limit = getattr(first.type, "length", None) or 200
        copy[first.name] = (str(row[first.name]) + "x")[-limit:] + "z"
        copy[first.name] = copy[first.name][-limit:]
    return copy


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    table_name=st.sampled_from(sorted(COVERED)),
    action=st.sampled_from(["edit", "delete", "insert"]),
    data=st.data(),
)
def test_any_single_change_to_a_ledger_table_is_detected(
    kind: str, pg_server: Any, table_name: str, action: str, data: st.DataObject
) -> None:
    table = COVERED[table_name]
    url, folder = copy_store(kind, filled_store(kind, pg_server, fill), pg_server)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = list(conn.execute(select(table)).mappings())
        assume(rows)
        row = data.draw(st.sampled_from(rows))
        try:
            with write_transaction(engine) as conn:
                if action == "delete":
                    conn.execute(delete(table).where(*_key_where(table, row)))
                elif action == "insert":
                    conn.execute(insert(table).values(**_new_key(table, row)))
                else:
                    column = data.draw(st.sampled_from(list(table.columns)))
                    value = data.draw(_value(column, row[column.name]))
                    conn.execute(
                        update(table)
                        .where(*_key_where(table, row))
                        .values({column.name: value})
                    )
        except DBAPIError:
            assume(False)  # the store itself refused the change (key, type, length)
        report = Ledger(engine).verify()
        assert not report.ok
        assert any(m.startswith(table_name) for m in report.row_mismatches), report
    finally:
        engine.dispose()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def test_the_audit_s_examples_are_caught(ledger: Ledger, tmp_path: Path) -> None:
    """A license quantity raised from 256 to 25,600; a deleted order row."""
    fill(ledger, tmp_path)
    with write_transaction(ledger.engine) as conn:
        conn.execute(
            update(COVERED["ledger_licenses"])
            .where(COVERED["ledger_licenses"].c.number == "D200001")
            .values(quantity=25_600)
        )
    report = ledger.verify()
    assert not report.ok
    [problem] = report.row_mismatches
    assert problem.startswith('ledger_licenses ["D200001"]: row differs')
    assert "edited outside the ledger" in problem


def test_a_deleted_order_row_is_caught(ledger: Ledger, tmp_path: Path) -> None:
    fill(ledger, tmp_path)
    draws, orders = COVERED["ledger_draws"], COVERED["ledger_orders"]
    with write_transaction(ledger.engine) as conn:
        conn.execute(delete(draws).where(draws.c.order_id == "o2"))
        conn.execute(delete(orders).where(orders.c.order_id == "o2"))
    report = ledger.verify()
    assert not report.ok
    assert any(
        m.startswith('ledger_orders ["o2"]') and "deleted" in m
        for m in report.row_mismatches
    )


def test_a_store_with_rows_before_coverage_gets_a_baseline_entry(
    settings: Settings, tmp_path: Path
) -> None:
    """Migrating a store made before ``ledger_0003`` records its rows as they stand."""
    engine = store_at(settings.resolved_database_url(), "ledger_0002")
    lic = tmp_path / "licenses.csv"
    lic.write_text(LICENSES, encoding="utf-8")
    with write_transaction(engine) as conn:
        conn.execute(
            insert(COVERED["ledger_licenses"]).values(
                number="D1",
                items="[]",
                quantity=5,
                conditions="",
                source="",
                imported_at="t",
                imported_by="me",
            )
        )
    upgrade(engine)
    ledger = Ledger(engine)
    # ledger_0004 then images the license row again with its new columns
    entry, reimaged = list(ledger.export())
    assert entry["kind"] == "audit.rows_covered"
    assert reimaged["kind"] == "audit.rows_reimaged"
    assert ledger.verify().ok
    ledger.import_licenses(lic, "officer")
    assert ledger.verify().ok
    engine.dispose()
