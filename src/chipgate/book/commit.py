"""Commit a decided book to the ledger, and say exactly what the ledger holds.

Each order is all-or-nothing in the store, and a book commits in date order, batch by
batch. An order refused because another user drew on the same account meanwhile is
decided again, right after its batch, on the ledger's balances as they are (the
book's earlier orders replayed by the ledger itself, since they are committed) and
committed with its new decision. An order still refused after the retries stays
refused, and says so.

The output of a committed run is the ledger's record of each order (:func:`line`),
never the engine's first opinion: the decision committed with the draws as taken
(what was used before, what is left, as the ledger saw them), or the order marked
``refused`` with the draw that did not fit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, fields, is_dataclass
from datetime import date
from enum import Enum
from typing import Any

from chipgate.book.pipeline import Checker
from chipgate.decide.decision import Decision
from chipgate.draws import Draw, DrawTiming
from chipgate.ledger import (
    CommitResult,
    CommitStatus,
    Ledger,
    OrderRecord,
    OrderRequest,
    Refusal,
)
from chipgate.orders.model import Order
from chipgate.snapshot import rules_version

MAX_RETRIES = 3
REFUSED = "refused"
"""The outcome of an order the ledger refused (a commit run's output only)."""
REFUSED_STATUS = CommitStatus.REFUSED


_FIELDS: dict[type, tuple[str, ...]] = {}
_LEAVES = frozenset({str, int, float, bool, date, type(None)})
"""Types kept as they are, looked up by exact type before any ``isinstance``."""
_KEPT = (str, int, float, date, Enum)
_SEQUENCES = (tuple, list)


def _plain(value: Any) -> Any:
    """What ``dataclasses.asdict`` makes of a value, without its deep copies.

    An order holds only immutable values (strings, numbers, dates, enums, frozen
    dataclasses and tuples of them), so copying them bought nothing and was most of
    the cost of recording an order (``asdict`` deep-copies every leaf). Most of an
    order's values are plain leaves: their exact type is looked up first (an
    ``isinstance`` of a union built per call cost more than the rest of a leaf).
    """
    if type(value) in _LEAVES or isinstance(value, _KEPT):
        return value
    names = _FIELDS.get(type(value))
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS[type(value)] = tuple(f.name for f in fields(value))
    if names is not None:  # a leaf kept without a call
        return {
            name: v if type(v := getattr(value, name)) in _LEAVES else _plain(v)
            for name in names
        }
    if isinstance(value, _SEQUENCES):
        return type(value)([v if type(v) in _LEAVES else _plain(v) for v in value])
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    return value


def order_payload(order: Order) -> dict[str, Any]:
    """The order as recorded in the audit log (JSON-ready)."""
    data: dict[str, Any] = _plain(order)
    data["date"] = order.date.isoformat()
    data["kind"] = order.kind.value
    data["end_use"] = sorted(u.value for u in order.end_use)
    data["authorizations"] = [str(a) for a in order.authorizations]
    return data


def _request(order: Order, decision: Decision, who: str) -> OrderRequest:
    return OrderRequest(
        order_id=order.id,
        order=order_payload(order),
        decision=decision.to_record(),
        draws=decision.draws,
        regime=decision.regime,
        rules_version=rules_version(),
        who=who,
    )


def own_draws(ledger: Ledger, orders: Sequence[Order]) -> dict[tuple[str, str], float]:
    """What the book's orders already hold on the ledger, per account and unit."""
    return ledger.committed_draws([o.id for o in orders])


def commit_book(
    checker: Checker,
    ledger: Ledger,
    orders: Sequence[Order],
    decisions: list[Decision],
    *,
    who: str,
    regime: str | None = None,
    as_of: date | None = None,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
) -> list[CommitResult]:
    """Commit decisions in date order; re-decide and retry orders refused by a race.

    ``decisions`` is updated in place where an order had to be decided again, so it
    holds the decision the ledger last saw for each order.
    """
    order_of = sorted(range(len(orders)), key=lambda i: orders[i].date)
    results: dict[str, CommitResult] = {}
    for start in range(0, len(order_of), batch_size):
        chunk = order_of[start : start + batch_size]
        requests = [_request(orders[i], decisions[i], who) for i in chunk]
        for result in ledger.commit_batch(requests):
            results[result.order_id] = result
        refused = [i for i in chunk if results[orders[i].id].status is REFUSED_STATUS]
        if refused:
            _retry(
                checker, ledger, orders, decisions, refused, results, who, regime, as_of
            )
        if progress is not None:
            progress(len(chunk))
    return [results[o.id] for o in orders]


def _retry(
    checker: Checker,
    ledger: Ledger,
    orders: Sequence[Order],
    decisions: list[Decision],
    refused: Sequence[int],
    results: dict[str, CommitResult],
    who: str,
    regime: str | None,
    as_of: date | None,
) -> None:
    """Decide refused orders again on the ledger's balances as they are now.

    Nothing is taken out of the balances this time: the book's orders committed so
    far (its earlier ones included) and every other user's are all on the ledger,
    and the refused order is not, so the decision is one the ledger can commit
    unless yet another user draws first.
    """
    saved = checker.own_draws
    checker.own_draws = {}
    try:
        for _attempt in range(MAX_RETRIES):
            for index in refused:
                order = orders[index]
                fresh = checker.engine.evaluate(
                    order,
                    regime=regime,
                    facts=checker.facts_for(order),
                    balances=checker.balances(),
                    as_of=as_of,
                )
                decisions[index] = fresh
                [result] = ledger.commit_batch([_request(order, fresh, who)])
                results[order.id] = result
            refused = [
                i for i in refused if results[orders[i].id].status is REFUSED_STATUS
            ]
            if not refused:
                return
    finally:
        checker.own_draws = saved


def _with_taken(
    draws: Sequence[Mapping[str, Any]], taken: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The draws as the ledger holds them: ``now`` ones as taken, then the rest."""
    now = [{k: v for k, v in d.items() if k != "limit_enforced"} for d in taken]
    later = [dict(d) for d in draws if d.get("timing") != DrawTiming.NOW.value]
    return now + later


def _ledger_field(
    status: str, seq: int | None, refusal: Refusal | None = None
) -> dict[str, Any]:
    return {
        "status": status,
        "audit_seq": seq,
        "refusal": None
        if refusal is None
        else {**asdict(refusal), "message": refusal.message},
    }


def _from_record(record: OrderRecord, status: str) -> dict[str, Any]:
    line = dict(record.decision)
    line["draws"] = _with_taken(record.draws, record.taken)
    line["ledger"] = _ledger_field(status, record.audit_seq)
    return line


def _draw_dicts(draws: Sequence[Draw]) -> list[dict[str, Any]]:
    return [d.to_dict() for d in draws]


def lines(
    ledger: Ledger,
    decisions: Sequence[Decision],
    results: Sequence[CommitResult],
) -> list[dict[str, Any]]:
    """The output line of each order of a committed run: what the ledger holds.

    An order committed by this run is shown as committed (the decision and the
    draws as taken); one committed before, from the ledger's own record (even where
    today's decision would differ); another order under an id committed before, as
    the ledger's record with ledger status ``conflict`` and the fields that differ;
    one refused, as ``refused`` with why and nothing drawn.
    """
    held = (CommitStatus.ALREADY_COMMITTED, CommitStatus.CONFLICT)
    earlier = ledger.order_records([r.order_id for r in results if r.status in held])
    out: list[dict[str, Any]] = []
    for decision, result in zip(decisions, results, strict=True):
        if result.status is CommitStatus.CONFLICT:
            # the ledger's order, said to be another than the one given
            line = _from_record(earlier[result.order_id], result.status.value)
            line["explanation"] = f"{result.detail} | {line.get('explanation', '')}"
            out.append(line)
            continue
        if result.status is CommitStatus.ALREADY_COMMITTED:
            record = earlier[result.order_id]
            status = "released" if record.status == "released" else result.status.value
            out.append(_from_record(record, status))
            continue
        line = decision.to_record()
        if result.status is CommitStatus.COMMITTED:
            line["draws"] = _with_taken(line["draws"], _draw_dicts(result.drawn))
            line["ledger"] = _ledger_field(result.status.value, result.audit_seq)
        else:
            refusal = result.refusal
            assert refusal is not None
            line["outcome"] = REFUSED
            line["authorization"] = None
            line["draws"] = []
            line["explanation"] = (
                f"refused by the ledger: {refusal.message}; the engine had decided "
                + line["explanation"]
            )
            line["ledger"] = _ledger_field(REFUSED, result.audit_seq, refusal)
        out.append(line)
    return out
