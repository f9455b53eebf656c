"""The hash-chained audit log: append, verify, export.

Each entry's hash is SHA-256 over the canonical JSON of the entry (sorted keys, no
whitespace, timestamps as explicit ISO 8601 strings) including the previous entry's
hash, so editing, deleting or reordering any entry breaks every hash after it. Appends
lock the single chain-head row, so concurrent writers queue and the chain never forks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from chipgate.errors import InputError, Problem
from chipgate.ledger.canonical import canonical_json
from chipgate.ledger.coverage import ExpectedRows, RowImage, parse_rows, rows_text
from chipgate.ledger.models import ENTRIES as _ENTRIES
from chipgate.ledger.models import HEAD as _HEAD
from chipgate.limits import AUDIT_KIND_MAX, ORDER_ID_MAX, USER_MAX, too_long

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first entry."""


def utc_now() -> str:
    """An explicit UTC timestamp string, microsecond precision."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def entry_hash(
    *,
    seq: int,
    at: str,
    kind: str,
    who: str,
    order_id: str | None,
    payload_text: str,
    prev_hash: str,
    rows_text: str | None = None,
) -> str:
    """SHA-256 of the canonical form of one entry, chained to the previous hash.

    The canonical form is ``canonical_json`` of the envelope ``{at, kind, order_id,
    payload, prev_hash, rows, seq, who}`` (``rows`` only on entries that carry row
    images, so entries written before rows were covered keep their hashes); it is
    assembled around the payload's and rows' canonical text (already computed for
    storage) instead of serializing them twice.
    """
    head = canonical_json({"at": at, "kind": kind, "order_id": order_id})
    tail = canonical_json({"prev_hash": prev_hash, "seq": seq, "who": who})
    if rows_text is not None:
        prev = canonical_json({"prev_hash": prev_hash})
        rest = canonical_json({"seq": seq, "who": who})
        tail = f'{prev[:-1]},"rows":{rows_text},{rest[1:]}'
    envelope = f'{head[:-1]},"payload":{payload_text},{tail[1:]}'
    return hashlib.sha256(envelope.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class PendingEntry:
    """An entry waiting for its place in the chain."""

    kind: str
    who: str
    payload: dict[str, Any]
    order_id: str | None = None
    rows: tuple[RowImage, ...] = ()
    """Images of the covered rows the entry's transaction wrote
    (:mod:`chipgate.ledger.coverage`); hashed with the entry."""


def check_entries(entries: Sequence[PendingEntry]) -> None:
    """Refuse an entry whose fields would not fit the chain's columns.

    Raises:
        InputError: every field too long or empty, named by entry kind and field.
    """
    problems = []
    for entry in entries:
        for name, value, limit in (
            ("kind", entry.kind, AUDIT_KIND_MAX),
            ("who", entry.who, USER_MAX),
            ("order_id", entry.order_id, ORDER_ID_MAX),
        ):
            if value is not None and too_long(value, limit):
                problems.append(
                    Problem(
                        f"{name} must be 1-{limit} characters, got {len(value)}",
                        f"audit entry {entry.kind[:AUDIT_KIND_MAX]!r}",
                        None,
                        name,
                    )
                )
    if problems:
        raise InputError(problems)


def append(conn: Connection, entries: Sequence[PendingEntry]) -> list[int]:
    """Append ``entries`` in order, inside the caller's transaction.

    Lock the head row last thing before writing: every writer queues here, so the
    lock is held only for these few statements and the commit.

    Returns:
        The sequence numbers given to the entries.
    """
    if not entries:
        return []
    check_entries(entries)
    head = conn.execute(
        select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1).with_for_update()
    ).one()
    seq, prev = int(head.seq), str(head.hash)
    rows: list[dict[str, Any]] = []
    for entry in entries:
        seq += 1
        at = utc_now()
        payload_text = canonical_json(entry.payload)
        images = rows_text(entry.rows)
        digest = entry_hash(
            seq=seq,
            at=at,
            kind=entry.kind,
            who=entry.who,
            order_id=entry.order_id,
            payload_text=payload_text,
            prev_hash=prev,
            rows_text=images,
        )
        rows.append(
            {
                "seq": seq,
                "at": at,
                "kind": entry.kind,
                "who": entry.who,
                "order_id": entry.order_id,
                "payload": payload_text,
                "rows": images,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    conn.execute(insert(_ENTRIES), rows)
    conn.execute(update(_HEAD).where(_HEAD.c.id == 1).values(seq=seq, hash=prev))
    return [int(r["seq"]) for r in rows]


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """Outcome of walking the chain."""

    ok: bool
    entries: int
    head_hash: str
    first_bad_seq: int | None = None
    reason: str = ""
    balance_mismatches: tuple[str, ...] = ()
    """Accounts whose totals differ from the replayed chain (chain itself intact)."""
    row_mismatches: tuple[str, ...] = ()
    """Ledger rows that differ from the chain's images of them (chain intact)."""


def _check_row(row: Any, expected_seq: int, prev: str) -> str:
    """Why ``row`` does not fit the chain at ``expected_seq``, or "" when it does."""
    if row.seq != expected_seq:
        return f"expected entry {expected_seq}, found {row.seq} (deleted or reordered)"
    if row.prev_hash != prev:
        return "prev_hash does not match the previous entry's hash"
    try:
        payload = json.loads(row.payload)
    except ValueError:
        return "payload is not valid JSON"
    if canonical_json(payload) != row.payload:
        return "payload is not in canonical form (edited)"
    if row.rows is not None:
        try:
            images = parse_rows(row.rows)
        except ValueError as exc:
            return f"row images are not well formed ({exc})"
        if rows_text(images) != row.rows:
            return "row images are not in canonical form (edited)"
    digest = entry_hash(
        seq=row.seq,
        at=row.at,
        kind=row.kind,
        who=row.who,
        order_id=row.order_id,
        payload_text=row.payload,
        prev_hash=row.prev_hash,
        rows_text=row.rows,
    )
    if digest != row.hash:
        return "hash does not match the entry's content (edited)"
    return ""


def _entries(conn: Connection) -> Iterator[Any]:
    """Stream the entries in chain order; the cursor is closed however it ends."""
    result = conn.execute(
        select(_ENTRIES).order_by(_ENTRIES.c.seq).execution_options(yield_per=2000)
    )
    try:
        yield from result
    finally:
        result.close()


def verify(conn: Connection, expected_rows: ExpectedRows | None = None) -> VerifyReport:
    """Walk the chain from the first entry; name the first one that does not match.

    With ``expected_rows``, the row images of every entry are gathered into it, to
    be compared with the ledger's tables afterwards.
    """
    prev = GENESIS_HASH
    expected = 1
    count = 0
    for row in _entries(conn):
        reason = _check_row(row, expected, prev)
        if reason:
            return VerifyReport(
                False, count, prev, first_bad_seq=expected, reason=reason
            )
        if expected_rows is not None and row.rows is not None:
            expected_rows.add(row.seq, parse_rows(row.rows))
        prev = row.hash
        expected += 1
        count += 1
    head = conn.execute(select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1)).one()
    if head.seq != count or head.hash != prev:
        return VerifyReport(
            False,
            count,
            prev,
            first_bad_seq=count + 1,
            reason=f"chain ends at entry {count} but the head records entry {head.seq}"
            " (entries deleted at the end, or head edited)",
        )
    return VerifyReport(True, count, prev)


def entry_at(conn: Connection, seq: int) -> tuple[int, str] | None:
    """The sequence number and hash of entry ``seq``, if the chain has it."""
    row = conn.execute(
        select(_ENTRIES.c.seq, _ENTRIES.c.hash).where(_ENTRIES.c.seq == seq)
    ).first()
    return None if row is None else (int(row.seq), str(row.hash))


def export(conn: Connection) -> Iterator[dict[str, Any]]:
    """Every entry in chain order, payload decoded, for an auditor's JSONL file."""
    for row in _entries(conn):
        yield {
            "seq": row.seq,
            "at": row.at,
            "kind": row.kind,
            "who": row.who,
            "order_id": row.order_id,
            "payload": json.loads(row.payload),
            "rows": None if row.rows is None else json.loads(row.rows),
            "prev_hash": row.prev_hash,
            "hash": row.hash,
        }
