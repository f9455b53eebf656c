"""The ledger's rows under the audit chain: a digest of every row an entry changed.

Balances, orders, draws, licenses and compute bases are tables updated in place; the
chain alone could not tell an edited license quantity or a deleted order row from a
genuine one. So every entry carries, in its hashed form, the image of each covered
row its transaction wrote: ``[table, primary key, digest]`` with the SHA-256 of the
row's canonical JSON, or ``null`` for a row that no longer exists. Replaying the
images in chain order gives what every covered table must hold now; comparing it
with the tables finds any field edited, any row inserted and any row deleted
outside the ledger.

Other stores that keep rows beside the chain register their tables with
:func:`cover` and pass :func:`images` of what they wrote with their entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any

import orjson
from sqlalchemy import Connection, MetaData, Select, Table, bindparam, select

from chipgate.ledger.canonical import canonical_json
from chipgate.ledger.models import ACCOUNTS, BASES, DRAWS, LICENSES, ORDERS

_SORTED = orjson.OPT_SORT_KEYS
RowImage = tuple[str, tuple[Any, ...], str | None]
"""One covered row as an entry records it: table, primary key, digest or None."""

COVERED: dict[str, Table] = {
    t.name: t for t in (ACCOUNTS, ORDERS, DRAWS, LICENSES, BASES)
}
"""Tables whose every row the chain accounts for, by name."""


def cover(table: Table) -> None:
    """Put ``table`` under the chain (its rows must then come with audit entries)."""
    COVERED[table.name] = table


def _key_columns(table: Table) -> list[Any]:
    return list(table.primary_key.columns)


@cache
def _names(table: Table) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Primary key column names and every column name (looked up once per table)."""
    # plain str: a reflected table names its columns with a str subclass, which
    # orjson refuses as a key
    return (
        tuple(str(c.name) for c in table.primary_key.columns),
        tuple(str(c.name) for c in table.columns),
    )


@cache
def _rows_where_in(table: Table, column_name: str) -> Select[Any]:
    """``SELECT * FROM table WHERE column IN :values``, built once (expanding)."""
    column = table.c[column_name]
    return select(table).where(column.in_(bindparam("values", expanding=True)))


def row_key(table: Table, row: Mapping[Any, Any]) -> tuple[Any, ...]:
    """The primary key of ``row`` as a tuple."""
    return tuple(row[name] for name in _names(table)[0])


def row_digest(table: Table, row: Mapping[Any, Any]) -> str:
    """SHA-256 of the table name and every column's value, as sorted-key JSON.

    orjson, not the chain's canonical JSON: a digest is computed for every row a
    transaction writes, and only needs to be the same each time it is computed.
    """
    return _digest(table, {name: row[name] for name in _names(table)[1]})


def _digest(table: Table, values: dict[str, Any]) -> str:
    text = orjson.dumps({"row": values, "table": str(table.name)}, option=_SORTED)
    return hashlib.sha256(text).hexdigest()


def images(
    conn: Connection, table: Table, keys: Iterable[tuple[Any, ...]]
) -> list[RowImage]:
    """The image of each keyed row as the transaction leaves it (None if absent)."""
    wanted = sorted(set(keys))
    if not wanted:
        return []
    first = _key_columns(table)[0]
    found: dict[tuple[Any, ...], str] = {}
    for start in range(0, len(wanted), 500):
        chunk = sorted({k[0] for k in wanted[start : start + 500]})
        query = _rows_where_in(table, first.name)
        for row in conn.execute(query, {"values": chunk}).mappings():
            found[row_key(table, row)] = row_digest(table, row)
    return [(table.name, key, found.get(key)) for key in wanted]


def images_where(conn: Connection, table: Table, *where: Any) -> list[RowImage]:
    """The image of every row of ``table`` matching ``where`` (rows just written)."""
    return [
        (table.name, row_key(table, row), row_digest(table, row))
        for row in conn.execute(select(table).where(*where)).mappings()
    ]


def images_by(
    conn: Connection, table: Table, column: Any, values: Sequence[Any]
) -> dict[Any, list[RowImage]]:
    """The images of the rows whose ``column`` is one of ``values``, grouped by it."""
    keys, names = _names(table)
    position = names.index(column.name)
    grouped: dict[Any, list[RowImage]] = {}
    for start in range(0, len(values), 500):
        chunk = list(values[start : start + 500])
        query = _rows_where_in(table, column.name)
        for row in conn.execute(query, {"values": chunk}):
            mapping = dict(zip(names, row, strict=True))
            grouped.setdefault(row[position], []).append(
                (table.name, tuple(mapping[k] for k in keys), _digest(table, mapping))
            )
    return grouped


def rows_text(rows: Sequence[RowImage]) -> str | None:
    """The canonical JSON an entry stores and hashes for its rows (None: no rows)."""
    if not rows:
        return None
    return canonical_json([[t, list(k), d] for t, k, d in rows])


def parse_rows(text: str) -> list[RowImage]:
    """Read an entry's rows back; ValueError when they are not well formed."""
    data = json.loads(text)
    if not isinstance(data, list):
        raise ValueError("rows are not a list")
    out: list[RowImage] = []
    for item in data:
        if (
            not isinstance(item, list)
            or len(item) != 3
            or not isinstance(item[0], str)
            or not isinstance(item[1], list)
            or not (item[2] is None or isinstance(item[2], str))
        ):
            raise ValueError(f"row image {item!r} is not [table, key, digest]")
        out.append((item[0], tuple(item[1]), item[2]))
    return out


class ExpectedRows:
    """What the covered tables must hold, replayed from the chain's row images."""

    def __init__(self) -> None:
        self.digests: dict[tuple[str, tuple[Any, ...]], tuple[str | None, int]] = {}

    def add(self, seq: int, rows: Iterable[RowImage]) -> None:
        """Record the images of entry ``seq`` (later entries override earlier)."""
        for table, key, digest in rows:
            self.digests[(table, key)] = (digest, seq)

    def mismatches(self, conn: Connection, limit: int = 20) -> list[str]:
        """Every covered row that differs from the chain (the first ``limit``)."""
        problems: list[str] = []
        seen: set[tuple[str, tuple[Any, ...]]] = set()
        for name, table in sorted(COVERED.items()):
            for key, digest in _stream(conn, table):
                ident = (name, key)
                shown = canonical_json(list(key))
                seen.add(ident)
                want = self.digests.get(ident)
                if want is None:
                    problems.append(
                        f"{name} {shown}: row on no audit entry (inserted outside the "
                        "ledger)"
                    )
                elif want[0] is None:
                    problems.append(
                        f"{name} {shown}: entry {want[1]} records it removed, but the "
                        "row is there (inserted outside the ledger)"
                    )
                elif want[0] != digest:
                    problems.append(
                        f"{name} {shown}: row differs from its image in entry "
                        f"{want[1]} (edited outside the ledger)"
                    )
        for (name, key), (recorded, seq) in self.digests.items():
            if recorded is not None and (name, key) not in seen and name in COVERED:
                problems.append(
                    f"{name} {canonical_json(list(key))}: entry {seq} records this row, but it is gone "
                    "(deleted outside the ledger)"
                )
        return problems[:limit]


def _stream(conn: Connection, table: Table) -> Iterator[tuple[tuple[Any, ...], str]]:
    # a statement option: the connection may be a migration's, which writes next
    result = conn.execute(select(table).execution_options(yield_per=5000))
    try:
        for row in result.mappings():
            yield row_key(table, row), row_digest(table, row)
    finally:
        result.close()


def all_images(
    conn: Connection, tables: Iterable[Table] | None = None
) -> list[RowImage]:
    """Every row of every covered table (a store's baseline, when coverage starts).

    A migration passes ``tables`` as the store holds them (``stored_tables``):
    the models describe the newest store, whose columns an older one lacks.
    """
    out: list[RowImage] = []
    for table in COVERED.values() if tables is None else tables:
        for key, digest in _stream(conn, table):
            out.append((str(table.name), key, digest))
    return out


def stored_tables(conn: Connection, names: Iterable[str] | None = None) -> list[Table]:
    """The covered tables (or those ``names``) with the columns the store has now.

    A row's digest is over every column it has, so a migration that images rows
    before or after changing a table reads the table as it stands, not the model.
    """
    meta = MetaData()
    return [
        Table(name, meta, autoload_with=conn)
        for name in (sorted(COVERED) if names is None else names)
    ]
