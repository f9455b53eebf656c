"""The allocation ledger: what ``chipgate check --commit`` draws on, what auditors read.

One :class:`Ledger` wraps one store (SQLite file or PostgreSQL). Each commit is one
transaction: idempotent by order id, all draws of an order or none, and the audit
entry in the same transaction, so the audit log and the balances cannot disagree.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from chipgate.draws import Draw
from chipgate.errors import ChipgateError, InputError, StoreError
from chipgate.facts import LicenseFacts
from chipgate.ledger import anchor as anchor_file
from chipgate.ledger import audit, coverage, queries, reconcile, registry
from chipgate.ledger.commit import commit_in, release_in
from chipgate.ledger.db import (
    is_retryable,
    make_engine,
    read_transaction,
    unreachable,
    write_transaction,
)
from chipgate.ledger.license_file import read_license_file
from chipgate.ledger.migrate import ensure_current
from chipgate.ledger.results import (
    Balance,
    CommitResult,
    HistoryLine,
    OrderRecord,
    OrderRequest,
    ReleaseResult,
    ReportedBase,
)
from chipgate.ledger.validation import validate
from chipgate.limits import USER_MAX, too_long
from chipgate.settings import Settings

_RETRIES = 5
T = TypeVar("T")


def _check_who(who: str) -> None:
    """Who acts must fit the columns that record it (orders, licenses, audit)."""
    if too_long(who, USER_MAX):
        raise InputError.single(
            f"the user (CHIPGATE_USER) must be 1-{USER_MAX} characters, got {len(who)}",
            field="who",
        )


class UnknownAccount(ChipgateError, LookupError):
    """No draw was ever made on the account asked for: an unknown id, as an
    unknown case is (the service's 404, the CLI's bad input)."""


class Ledger:
    """Balances, licenses and the audit chain of one store."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, settings: Settings, *, migrate: bool = True) -> Ledger:
        """Open the configured store, creating and migrating it on first use."""
        url = settings.resolved_database_url()
        engine = make_engine(url)
        if migrate:
            try:
                ensure_current(engine)
            except DBAPIError as exc:  # no server, refused, bad credentials
                engine.dispose()
                raise unreachable(url, exc) from None
        return cls(engine)

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in a write transaction, again if the store asks for a retry."""
        for attempt in range(_RETRIES):
            try:
                with write_transaction(self.engine) as conn:
                    return work(conn)
            except OperationalError as exc:
                if not is_retryable(exc) or attempt == _RETRIES - 1:
                    raise StoreError(f"the ledger store failed: {exc.orig}") from exc
                time.sleep(0.01 * 2**attempt)
        raise StoreError("unreachable")  # pragma: no cover

    # -- facts for the engine (BalanceSource, LicenseSource) -------------------------

    def used(self, account: str, unit: str | None = None) -> float:
        """Committed plus reserved on ``account`` (0 for an account never drawn on).

        Raises:
            StoreError: the account has balances in several units and none was named.
        """
        with read_transaction(self.engine) as conn:
            return queries.used(conn, account, unit)

    def get(self, number: str) -> LicenseFacts | None:
        """The imported license ``number`` with what is used of it, or None."""
        with read_transaction(self.engine) as conn:
            return queries.license_facts(conn, number)

    # -- commits -------------------------------------------------------------------

    def commit_order(
        self,
        order_id: str,
        order: Mapping[str, Any],
        decision: Mapping[str, Any],
        draws: Sequence[Draw],
        regime: str,
        rules_version: str,
        who: str,
    ) -> CommitResult:
        """Commit one order's decision: every ``now`` draw or none, and its audit entry.

        Raises:
            InputError: a draw is malformed or names a license that was never imported.
        """
        request = OrderRequest(
            order_id, order, decision, draws, regime, rules_version, who
        )
        return self.commit_batch([request])[0]

    def commit_batch(
        self,
        requests: Sequence[OrderRequest],
        progress: Callable[[int], None] | None = None,
    ) -> list[CommitResult]:
        """Commit many orders in one transaction, each one all-or-nothing.

        A refused order rolls back to its savepoint and leaves only its refusal entry;
        the others commit. ``progress`` is called with the count of orders handled.
        """
        problems = validate(requests)
        if problems:
            raise InputError(problems)
        return self._write(lambda conn: commit_in(conn, requests, progress))

    def release(self, order_id: str, reason: str, who: str) -> ReleaseResult:
        """Give an order's draws back to their accounts (shipment cancelled).

        Raises:
            InputError: no order with that id was committed, or the reason is empty.
        """
        if not reason.strip():
            raise InputError.single(
                "a reason is required to release an order", field="reason"
            )
        return self._write(lambda conn: release_in(conn, order_id, reason, who))

    def record(
        self,
        kind: str,
        payload: Mapping[str, Any],
        who: str,
        order_id: str | None = None,
    ) -> int:
        """Append an audit entry that draws nothing (a decision checked only)."""
        entry = audit.PendingEntry(kind, who, dict(payload), order_id)
        return self._write(lambda conn: audit.append(conn, [entry])[0])

    # -- licenses and compute bases --------------------------------------------------

    def import_licenses(self, path: Path, who: str) -> int:
        """Import a CSV or JSONL license file: all of it or, on any problem, none.

        Raises:
            InputError: every problem found (file, line, field), including numbers
                repeated in the file or already imported.
        """
        _check_who(who)
        records = read_license_file(path)
        return self._write(
            lambda conn: registry.import_licenses(conn, path, records, who)
        )

    def licenses(self) -> list[LicenseFacts]:
        """Every imported license with what is used of it."""
        with read_transaction(self.engine) as conn:
            return queries.licenses(conn)

    def report_base(self, holder: str, tpp: float, as_of: date, who: str) -> int:
        """Record a UVEU holder's reported compute base (audited); returns its seq."""
        _check_who(who)
        return self._write(
            lambda conn: registry.report_base(conn, holder, tpp, as_of, who)
        )

    def compute_base(self, holder: str, on: date | None = None) -> ReportedBase | None:
        """The compute base the holder last reported on or before ``on``."""
        with read_transaction(self.engine) as conn:
            return queries.compute_base(conn, holder, on)

    # -- reading -------------------------------------------------------------------

    def holds_draws(self) -> bool:
        """Whether any order holds a committed draw: a book checked against an
        empty ledger need not look its own ids up."""
        with read_transaction(self.engine) as conn:
            return queries.holds_draws(conn)

    def committed_draws(self, order_ids: Sequence[str]) -> dict[tuple[str, str], float]:
        """What these orders already hold, per (account, unit).

        A re-run of a book subtracts it from the balances so that each order meets
        the same balances as when it was first committed (idempotent re-runs).
        """
        with read_transaction(self.engine) as conn:
            return queries.committed_draws(conn, order_ids)

    def held_by_order(
        self, order_ids: Sequence[str]
    ) -> dict[str, dict[tuple[str, str], float]]:
        """What each of these orders holds, per (account, unit); absent: nothing."""
        with read_transaction(self.engine) as conn:
            return queries.held_by_order(conn, order_ids)

    def order_records(self, order_ids: Sequence[str]) -> dict[str, OrderRecord]:
        """The ledger's record of each of these orders that is on it."""
        with read_transaction(self.engine) as conn:
            return queries.order_records(conn, order_ids)

    def balances(self) -> list[Balance]:
        """Every account balance, in key order."""
        with read_transaction(self.engine) as conn:
            return queries.balances(conn)

    def history(self, account: str) -> list[HistoryLine]:
        """Every draw on ``account``, oldest first.

        Raises:
            UnknownAccount: nothing was ever drawn on that account.
        """
        with read_transaction(self.engine) as conn:
            lines = queries.history(conn, account)
        if not lines:
            raise UnknownAccount(
                f"unknown account {account!r}: nothing was ever drawn on it"
            )
        return lines

    def verify(self) -> audit.VerifyReport:
        """Walk the audit chain, then check every ledger row and balance against it.

        The chain's row images say what each covered table must hold; any row
        edited, inserted or deleted outside the ledger is named (the first 20).
        """
        expected = coverage.ExpectedRows()
        with read_transaction(self.engine, snapshot=True) as conn:
            report = audit.verify(conn, expected)
            if not report.ok:
                return report
            rows = expected.mismatches(conn)
            problems = reconcile.mismatches(conn)
        if not problems and not rows:
            return report
        reasons = []
        if rows:
            reasons.append("ledger rows differ from the audit chain")
        if problems:
            reasons.append(f"{len(problems)} balance(s) disagree with the audit log")
        return audit.VerifyReport(
            False,
            report.entries,
            report.head_hash,
            reason="; ".join(reasons),
            balance_mismatches=tuple(problems),
            row_mismatches=tuple(rows),
        )

    def anchor(self, key: Ed25519PrivateKey) -> dict[str, Any]:
        """The chain head as a signed, dated statement (after checking the chain).

        Raises:
            StoreError: the chain does not verify; an anchor of a broken chain would
                vouch for it.
        """
        report = self.verify()
        if not report.ok:
            raise StoreError(
                f"the audit chain does not verify ({report.reason}); no anchor made"
            )
        return anchor_file.sign(key, report.entries, report.head_hash, audit.utc_now())

    def holds(self, anchored: anchor_file.Anchor) -> str:
        """Why the chain no longer holds the anchored head, or "" when it does."""
        with read_transaction(self.engine) as conn:
            found = audit.entry_at(conn, anchored.seq)
        if anchored.seq == 0:
            return "" if anchored.head_hash == audit.GENESIS_HASH else "bad anchor"
        if found is None:
            return (
                f"the chain has no entry {anchored.seq}: entries the anchor vouches "
                "for were removed"
            )
        if found[1] != anchored.head_hash:
            return (
                f"entry {anchored.seq} has hash {found[1]}, the anchor of "
                f"{anchored.at} says {anchored.head_hash}: the chain was rewritten"
            )
        return ""

    def export(self) -> Iterator[dict[str, Any]]:
        """Every audit entry in chain order."""
        with read_transaction(self.engine) as conn:
            yield from audit.export(conn)
