"""The store every persistent part of chipgate shares: one SQLAlchemy metadata.

SQLite is the embedded default (one file, created on first use); PostgreSQL (psycopg 3)
serves several users through the same models and Alembic migrations. Dialect quirks
are confined to this module: how a write transaction takes its lock, how an
"insert unless present" is spelled, how the schema is serialized while migrating and
how a table is made append-only.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, insert, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql.dml import Insert

from chipgate.errors import StoreError

WRITE_OPTION = "chipgate_write"
"""Execution option marking a connection whose next transaction writes."""

_STATEMENT_DIALECTS: dict[str, Any] = {"postgresql": postgresql, "sqlite": sqlite}
"""Dialects whose insert constructs know ``ON CONFLICT``."""

MIGRATION_LOCK_KEY = 0x43484950  # arbitrary advisory-lock key ("CHIP") for migrations


class Base(DeclarativeBase):
    """Declarative base of every table (ledger, audit log, fleet registry)."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL for concurrent readers, a busy timeout instead of instant lock errors.

    The driver's own transaction handling is switched off (``isolation_level = None``)
    so that :func:`_sqlite_begin` decides how each transaction begins.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.execute("PRAGMA synchronous=FULL")  # a committed draw survives power loss
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """Writers take the database lock when they begin, readers do not.

    A deferred transaction that reads a balance and later writes can fail with
    "database is locked" when another writer got in between; ``BEGIN IMMEDIATE``
    makes every writer queue up front, so check-then-draw is atomic.
    """
    if conn.get_execution_options().get(WRITE_OPTION):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def is_sqlite(url_or_engine: str | Engine | Connection) -> bool:
    """Whether the store is SQLite (the embedded default)."""
    if isinstance(url_or_engine, str):
        return url_or_engine.startswith("sqlite")
    return url_or_engine.dialect.name == "sqlite"


URL_SETTING = "CHIPGATE_DATABASE_URL"


def shown_url(url: str) -> str:
    """``url`` as a message may show it: its password hidden, and nothing of a
    URL that does not parse (it may hold one)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a URL)"


def _create_private(path: Path) -> None:
    """Create a new SQLite file readable by its owner only (0600) before SQLite
    does: a ledger named in a shared folder was created 0644, every user of the
    machine able to read its orders and parties. SQLite gives the file's mode to
    its ``-wal`` and ``-shm`` companions; an existing file is left as it is."""
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` (nothing is connected yet).

    A SQLite file's folder must exist: the default store's is the data folder,
    created private before (``Settings.resolved_database_url``); one a user
    named is never created for them (``/nonexistent/dir/x.db`` made folders).

    Raises:
        StoreError: ``url`` is no database URL, names a driver not installed, or
            a SQLite file in a folder that does not exist; the message names the
            setting.
    """
    try:
        if is_sqlite(url):
            path = url.split("///", 1)[-1]
            if path and path != ":memory:" and not Path(path).parent.is_dir():
                raise StoreError(
                    f"cannot open the store {shown_url(url)}: its folder "
                    f"{Path(path).parent} does not exist (check {URL_SETTING})"
                )
            database = make_url(url).database
            if database and database != ":memory:" and not database.startswith("file:"):
                # a file path; not an in-memory database or a URI (``?uri=true``)
                _create_private(Path(database))
            engine = create_engine(url, **kwargs)
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
            return engine
        return create_engine(url, pool_pre_ping=True, **kwargs)
    except (ArgumentError, ImportError) as exc:
        raise StoreError(
            f"cannot use the store {shown_url(url)}: {exc} (check {URL_SETTING}; "
            "sqlite:///PATH or postgresql+psycopg://USER@HOST/DB)"
        ) from None


def unreachable(url: str | Engine, exc: DBAPIError) -> StoreError:
    """The error of a store that could not be reached or refused the connection."""
    shown = shown_url(url if isinstance(url, str) else str(url.url))
    return StoreError(
        f"cannot connect to the store {shown}: {str(exc.orig).strip()} "
        f"(check {URL_SETTING} and that the server is up)"
    )


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One write transaction: committed on exit, rolled back on error.

    SQLite: ``BEGIN IMMEDIATE`` (one writer at a time). PostgreSQL: READ COMMITTED
    plus explicit row locks or guarded updates taken by the caller.
    """
    with engine.connect() as conn:
        conn = conn.execution_options(**{WRITE_OPTION: True})
        with conn.begin():
            yield conn


@contextmanager
def read_transaction(engine: Engine, *, snapshot: bool = False) -> Iterator[Connection]:
    """A read-only transaction that never waits for the writers' lock.

    With ``snapshot``, every statement sees the same state (PostgreSQL: REPEATABLE
    READ; SQLite in WAL mode reads from one snapshot per transaction anyway).
    """
    with engine.connect() as conn:
        if snapshot and conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def read_row(engine: Engine, sql: str, params: tuple[Any, ...]) -> Any | None:
    """The first row of one read statement, on a pooled connection of the driver.

    For the read every request makes (an API key's lookup): SQLAlchemy's statement,
    connection and transaction layers cost ten times the query on SQLite. ``sql``
    uses ``?`` placeholders (turned into psycopg's ``%s`` for PostgreSQL) and must
    be a constant; values go in ``params`` only. The pool rolls the connection back
    when it is returned, so no transaction outlives the read.
    """
    if not is_sqlite(engine):
        sql = sql.replace("?", "%s")
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            cursor.execute(sql, params)
            return cursor.fetchone()
        finally:
            cursor.close()
    finally:
        raw.close()


class KeptReader:
    """One read statement on a connection of the driver kept for one thread.

    ``read_row`` checks a pooled connection out and rolls it back for every read:
    on SQLite that is most of a key lookup's cost, on PostgreSQL two more round trips
    (the pool's liveness ping and the rollback). Here the thread that made the
    reader (a worker's event loop) keeps a connection of its own, out of the pool, in
    autocommit mode, so each read sees what is committed at that moment and no
    transaction stays open; other threads read through the pool. A connection that
    fails is dropped, that read goes through the pool, and the next opens another.
    """

    def __init__(self, engine: Engine, sql: str) -> None:
        self.engine = engine
        self.sql = sql  # with ? placeholders, as read_row takes it
        self._driver_sql = sql if is_sqlite(engine) else sql.replace("?", "%s")
        self._owner = threading.get_ident()
        self._raw: Any | None = None

    def row(self, params: tuple[Any, ...]) -> Any | None:
        """The first row of the statement with ``params``."""
        if threading.get_ident() != self._owner:
            return read_row(self.engine, self.sql, params)
        try:
            if self._raw is None:
                raw = self.engine.raw_connection()
                if not is_sqlite(self.engine):  # SQLite's driver is autocommit here
                    raw.rollback()  # the pool's liveness ping left a transaction
                    raw.driver_connection.autocommit = True  # type: ignore[union-attr]
                raw.detach()  # ours until closed: never back in the pool
                self._raw = raw
            cursor = self._raw.cursor()
            try:
                cursor.execute(self._driver_sql, params)
                return cursor.fetchone()
            finally:
                cursor.close()
        except Exception:  # the driver's error, whatever its class: drop and retry
            self.close()
            return read_row(self.engine, self.sql, params)

    def close(self) -> None:
        """Close the kept connection (the next read opens another)."""
        raw, self._raw = self._raw, None
        if raw is not None:
            with suppress(Exception):
                raw.close()


@cache
def _insert_ignore(dialect: str, table: Table) -> Insert:
    stmt: Insert = _STATEMENT_DIALECTS[dialect].insert(table).on_conflict_do_nothing()
    return stmt


_PLAIN_INSERTS: dict[
    tuple[str, str, tuple[str, ...]], tuple[str, tuple[str, ...] | None]
] = {}


def insert_plain(
    conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert rows of plain values (text, numbers, booleans, None) with one
    ``executemany`` of the driver, in the connection's transaction.

    ``conn.execute(insert(table), rows)`` goes through SQLAlchemy's statement cache,
    parameter processing and result set-up: for the one decision row of a checked
    order that cost several times the driver's own insert, in the writer every
    worker waits for. The statement is compiled once per dialect, table and set of
    columns; each row must have the first row's keys, and values that need no
    conversion by a column type (none of ``Text``, ``String``, ``Integer`` and
    ``Boolean`` needs one on SQLite or PostgreSQL). The driver's errors are raised
    as SQLAlchemy's (``OperationalError`` ...), so retries see what they expect.
    """
    if not rows:
        return
    keys = tuple(rows[0])
    cache_key = (conn.dialect.name, table.name, keys)
    found = _PLAIN_INSERTS.get(cache_key)
    if found is None:
        compiled = insert(table).compile(dialect=conn.dialect, column_keys=list(keys))
        order = tuple(compiled.positiontup or ()) if compiled.positional else None
        found = _PLAIN_INSERTS[cache_key] = (compiled.string, order)
    sql, order = found
    params: list[Any] = (
        [tuple(row[k] for k in order) for row in rows]
        if order is not None
        else [dict(row) for row in rows]
    )
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None  # a connection in a transaction has one
    cursor = dbapi.cursor()
    try:
        cursor.executemany(sql, params)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(
            sql, params, exc, conn.dialect.loaded_dbapi.Error, dialect=conn.dialect
        ) from exc
    finally:
        cursor.close()


def insert_ignore(conn: Connection, table: Table) -> Insert:
    """``INSERT ... ON CONFLICT DO NOTHING`` in the connection's dialect (built once).

    On PostgreSQL a conflicting insert waits for the other transaction and then does
    nothing, which is what makes idempotency by key race-free.
    """
    if conn.dialect.name not in _STATEMENT_DIALECTS:
        raise StoreError(
            f"unsupported database dialect {conn.dialect.name!r}: use SQLite or PostgreSQL"
        )
    return _insert_ignore(conn.dialect.name, table)


@cache
def _upsert(dialect: str, table: Table, keys: tuple[str, ...]) -> Insert:
    stmt = _STATEMENT_DIALECTS[dialect].insert(table)
    upsert: Insert = stmt.on_conflict_do_update(
        index_elements=list(keys), set_={keys[0]: stmt.excluded[keys[0]]}
    )
    return upsert


def upsert_and_lock(
    conn: Connection, table: Table, rows: list[dict[str, Any]], keys: list[str]
) -> None:
    """Insert the missing ``rows`` and lock the existing ones, in the order given.

    ``INSERT ... ON CONFLICT (keys) DO UPDATE`` that changes nothing: a new row is
    created, an existing one is locked as by ``SELECT ... FOR UPDATE``. Given in key
    order, every writer takes its locks in the same order, so writers never deadlock,
    even on rows that do not exist yet.
    """
    if conn.dialect.name not in _STATEMENT_DIALECTS:
        raise StoreError(
            f"unsupported database dialect {conn.dialect.name!r}: use SQLite or PostgreSQL"
        )
    if rows:
        conn.execute(_upsert(conn.dialect.name, table, tuple(keys)), rows)


def has_row_locks(conn: Connection) -> bool:
    """Whether ``SELECT ... FOR UPDATE`` means anything (SQLite locks the file)."""
    return conn.dialect.name != "sqlite"


_RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock detected


def is_retryable(exc: BaseException) -> bool:
    """Whether a failed transaction may simply be run again (deadlock, lock timeout).

    PostgreSQL aborts one side of a deadlock; SQLite gives up on a lock after its
    busy timeout. Either way nothing was written, and the ledger's operations are
    idempotent, so running the transaction again is safe.
    """
    orig = getattr(exc, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate in _RETRYABLE_SQLSTATES:
        return True
    return "database is locked" in str(orig or "")


def lock_for_migration(conn: Connection) -> None:
    """Serialize concurrent first-use migrations (several processes opening at once).

    SQLite is already serialized by ``BEGIN IMMEDIATE``; PostgreSQL takes a
    transaction-scoped advisory lock.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(
            text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY}
        )


def append_only_sql(dialect: str, table: str) -> list[str]:
    """DDL that makes ``table`` refuse UPDATE and DELETE (defence in depth)."""
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            for op in ("UPDATE", "DELETE")
        ]
    if dialect == "postgresql":
        return [
            f"CREATE FUNCTION {table}_append_only() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{table} is append-only'; END $$",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()",
        ]
    return []


def drop_append_only_sql(dialect: str, table: str) -> list[str]:
    """The reverse of :func:`append_only_sql` (downgrades, and tamper tests)."""
    if dialect == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_no_{op}" for op in ("update", "delete")
        ]
    if dialect == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
            f"DROP FUNCTION IF EXISTS {table}_append_only()",
        ]
    return []
