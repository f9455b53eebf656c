"""The audit chain: intact chains verify; any edit, deletion or reordering is caught."""

from __future__ import annotations

import hashlib
import itertools
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ledger_helpers import copy_store, draw, filled_store, request
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from chipgate.ledger import Ledger
from chipgate.ledger.audit import canonical_json, entry_hash
from chipgate.ledger.db import drop_append_only_sql, make_engine, write_transaction

FIELDS = ("at", "kind", "who", "order_id", "payload", "prev_hash", "hash", "seq")
ENTRIES = 8


def _fill(ledger: Ledger) -> None:
    """Eight entries of every kind: commits, a refusal, a release, a compute base."""
    for i in range(5):
        ledger.commit_batch(
            [request(f"o{i}", draw("cap/x", 30.0, 120.0, unit="units"))]
        )
    ledger.release("o0", "cancelled", "officer")
    ledger.record(
        "decision.checked", {"order": {"id": "o9"}, "outcome": "license"}, "me"
    )
    ledger.commit_batch([request("o5", draw("lpp/y", 1.0, 10.0))])


def _rows(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT * FROM audit_entries ORDER BY seq")))


def _tamper(engine: Engine, *statements: tuple[str, dict[str, Any]]) -> None:
    """What someone with write access to the database could do, triggers dropped."""
    with write_transaction(engine) as conn:
        for ddl in drop_append_only_sql(engine.dialect.name, "audit_entries"):
            conn.exec_driver_sql(ddl)
        for sql, params in statements:
            conn.execute(text(sql), params)


def _swap(a: int, b: int) -> list[tuple[str, dict[str, Any]]]:
    move = "UPDATE audit_entries SET seq = :new WHERE seq = :old"
    return [
        (move, {"old": a, "new": -1}),
        (move, {"old": b, "new": a}),
        (move, {"old": -1, "new": b}),
    ]


def _edit(column: str, seq: int, value: Any) -> tuple[str, dict[str, Any]]:
    return (
        f"UPDATE audit_entries SET {column} = :v WHERE seq = :s",
        {"v": value, "s": seq},
    )


def test_canonical_json_is_sorted_and_compact() -> None:
    assert canonical_json({"b": [1, 2.5], "a": {"z": None, "y": "é"}}) == (
        '{"a":{"y":"é","z":null},"b":[1,2.5]}'
    )


def test_the_hashed_form_is_the_canonical_json_of_the_whole_entry() -> None:
    entry = {
        "at": "2025-06-01T00:00:00+00:00",
        "kind": "k",
        "order_id": None,
        "payload": {"b": [1.5], "a": "é"},
        "prev_hash": "0" * 64,
        "seq": 7,
        "who": "me",
    }
    expected = hashlib.sha256(canonical_json(entry).encode()).hexdigest()
    fields = {k: v for k, v in entry.items() if k != "payload"}
    digest = entry_hash(payload_text=canonical_json(entry["payload"]), **fields)
    assert digest == expected


def test_row_images_are_part_of_the_hashed_form() -> None:
    entry = {
        "at": "2025-06-01T00:00:00+00:00",
        "kind": "k",
        "order_id": "o1",
        "payload": {"a": 1},
        "prev_hash": "0" * 64,
        "rows": [["ledger_orders", ["o1"], "ab" * 32]],
        "seq": 7,
        "who": "me",
    }
    expected = hashlib.sha256(canonical_json(entry).encode()).hexdigest()
    fields = {k: v for k, v in entry.items() if k not in ("payload", "rows")}
    digest = entry_hash(
        payload_text=canonical_json(entry["payload"]),
        rows_text=canonical_json(entry["rows"]),
        **fields,
    )
    assert digest == expected


def test_an_untouched_chain_verifies(ledger: Ledger) -> None:
    _fill(ledger)
    report = ledger.verify()
    assert (report.ok, report.entries) == (True, ENTRIES)
    exported = list(ledger.export())
    assert [e["seq"] for e in exported] == list(range(1, ENTRIES + 1))
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(exported))
    assert report.head_hash == exported[-1]["hash"]


def test_the_database_refuses_to_update_or_delete_entries(ledger: Ledger) -> None:
    _fill(ledger)
    for sql in ("UPDATE audit_entries SET who = 'x'", "DELETE FROM audit_entries"):
        with (
            pytest.raises(DBAPIError, match="append-only"),
            write_transaction(ledger.engine) as conn,
        ):
            conn.execute(text(sql))
    assert ledger.verify().ok


@pytest.mark.parametrize(
    ("statements", "first_bad"),
    [
        ([_edit("who", 3, "someone else")], 3),
        ([_edit("payload", 2, '{"outcome":"committed"}')], 2),
        ([("DELETE FROM audit_entries WHERE seq = 4", {})], 4),
        ([("DELETE FROM audit_entries WHERE seq = 8", {})], 8),
        (_swap(2, 6), 2),
    ],
    ids=["edit", "edit-payload", "delete", "delete-last", "reorder"],
)
def test_tampering_is_found_on_both_stores(
    ledger: Ledger, statements: list[tuple[str, dict[str, Any]]], first_bad: int
) -> None:
    _fill(ledger)
    _tamper(ledger.engine, *statements)
    report = ledger.verify()
    assert not report.ok
    assert report.first_bad_seq == first_bad


def test_a_balance_edited_in_the_database_disagrees_with_the_chain(
    ledger: Ledger,
) -> None:
    _fill(ledger)
    assert ledger.verify().balance_mismatches == ()
    with write_transaction(ledger.engine) as conn:
        conn.execute(
            text("UPDATE ledger_accounts SET committed = 0 WHERE key = 'cap/x'")
        )
    report = ledger.verify()
    assert not report.ok
    assert report.first_bad_seq is None  # the chain itself is intact
    [problem] = report.balance_mismatches
    assert problem.startswith("cap/x (units): balance 0")
    assert "audit log says 90" in problem  # four of 30 taken, one released


def _different(column: str, current: Any) -> st.SearchStrategy[Any]:
    """Any value of the column's type other than the current one."""
    if column == "seq":
        return st.integers(min_value=-3, max_value=50).filter(lambda v: v != current)
    options = st.text(max_size=30) | st.sampled_from(["", " ", "0" * 64, '{"a":1}'])
    if column == "order_id":
        options = options | st.none()
    return options.filter(lambda v: v != current)


def _fill_store(ledger: Ledger, _folder: Path) -> None:
    _fill(ledger)


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    action=st.sampled_from(["edit", "delete", "swap"]),
    seq=st.integers(min_value=1, max_value=ENTRIES),
    column=st.sampled_from(FIELDS),
    data=st.data(),
)
def test_any_single_change_to_the_log_is_detected(
    kind: str,
    pg_server: Any,
    action: str,
    seq: int,
    column: str,
    data: st.DataObject,
) -> None:
    url, folder = copy_store(kind, filled_store(kind, pg_server, _fill_store), pg_server)
    engine = make_engine(url)
    try:
        expected = seq
        if action == "delete":
            _tamper(engine, ("DELETE FROM audit_entries WHERE seq = :s", {"s": seq}))
        elif action == "swap":
            other = data.draw(st.integers(1, ENTRIES).filter(lambda s: s != seq))
            _tamper(engine, *_swap(seq, other))
            expected = min(seq, other)
        else:
            value = data.draw(
                _different(column, getattr(_rows(engine)[seq - 1], column))
            )
            try:
                if column == "seq" and 1 <= value <= ENTRIES:
                    _tamper(engine, *_swap(seq, value))  # seq is unique: a move
                else:
                    _tamper(engine, _edit(column, seq, value))
            except DBAPIError:
                assume(False)  # the store refused the value (length, NUL)
            if column == "seq":
                expected = min(seq, value) if value >= 1 else 1
        report = Ledger(engine).verify()
        assert not report.ok
        assert report.first_bad_seq == expected, report.reason
    finally:
        engine.dispose()
        if folder is not None:
            shutil.rmtree(folder)
