"""A committed run prints what the ledger holds, line by line, even under races.

Before, an order refused because another user drew meanwhile was decided again on
balances that took the book's own earlier orders out without replaying them: it was
``authorized`` again, refused again, and the output kept the ``authorized`` line with
draws never taken (and ``check --commit`` exited 0).
"""

from __future__ import annotations

import multiprocessing
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledger_helpers import book_worker, checker_on, h100_order, open_url, run_book
from sqlalchemy import text
from typer.testing import CliRunner

from chipgate.book.commit import commit_book, lines, own_draws
from chipgate.cli.app import app
from chipgate.ledger import CommitStatus, Ledger
from chipgate.ledger.migrate import upgrade
from chipgate.rules.base import Outcome
from chipgate.settings import Settings

H100_TPP = 15_832.0
LPP_ROOM = 1699  # H100 that fit 26,900,000 TPP per consignee and year
_FORK = multiprocessing.get_context("fork")


def _outside_order(ledger: Ledger, order_id: str, units: int) -> None:
    """Another officer's order on the same consignee, committed through the ledger."""
    assert run_book(ledger, [h100_order(order_id, "2025-03-01", units, "Tata AI")])


def test_a_retry_replays_the_book_s_earlier_orders(ledger: Ledger) -> None:
    """June's 1,000 committed earlier, July's 600 decided, then 500 drawn meanwhile."""
    june = h100_order("june", "2025-06-10", 1000, "Tata AI")
    july = h100_order("july", "2025-07-10", 600, "Tata AI")
    run_book(ledger, [june])
    orders = [june, july]
    checker = checker_on(ledger)
    checker.own_draws = own_draws(ledger, orders)
    decisions = checker.decide(orders, regime="aid-2025")
    assert decisions[1].outcome is Outcome.AUTHORIZED  # 1,600 fit the LPP
    _outside_order(ledger, "other", 500)  # now 1,500 are used: 600 more do not fit
    results = commit_book(
        checker, ledger, orders, decisions, who="officer", regime="aid-2025"
    )
    assert [r.status for r in results] == [
        CommitStatus.ALREADY_COMMITTED,
        CommitStatus.COMMITTED,
    ]
    assert decisions[1].outcome is Outcome.LICENSE_REQUIRED
    out = lines(ledger, decisions, results)
    assert out[1]["outcome"] == "license_required"
    assert [d["timing"] for d in out[1]["draws"]] == ["on_license"]
    assert ledger.used("lpp/tata-ai/2025") == 1500 * H100_TPP


def _race_every_commit(monkeypatch: pytest.MonkeyPatch, units: int) -> None:
    """During each commit of the book, another officer holds ``units`` of the room.

    The rival commits just before the book's batch and cancels just after, so every
    decision sees the room free and every commit finds it taken.
    """
    original = Ledger.commit_batch
    counter = iter(range(1000))

    def racing(self: Ledger, requests: Any, progress: Any = None) -> Any:
        if requests[0].order_id.startswith("rival"):
            return original(self, requests, progress)
        rival = h100_order(f"rival-{next(counter)}", "2025-01-20", units, "Tata AI")
        checker = checker_on(self)
        [decision] = checker.decide([rival], regime="aid-2025")
        commit_book(checker, self, [rival], [decision], who="rival")
        try:
            return original(self, requests, progress)
        finally:
            self.release(rival.id, "cancelled", "rival")

    monkeypatch.setattr(Ledger, "commit_batch", racing)


def test_a_refused_order_says_refused_with_why(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    _race_every_commit(monkeypatch, 800)
    orders = [h100_order("big", "2025-06-10", 1000, "Tata AI")]
    out = run_book(ledger, orders)
    [line] = out
    assert line["outcome"] == "refused"
    assert line["draws"] == []
    assert line["ledger"]["status"] == "refused"
    assert "lpp/tata-ai/2025" in line["ledger"]["refusal"]["message"]
    assert line["explanation"].startswith("refused by the ledger")
    entries = {e["seq"]: e for e in ledger.export()}
    assert entries[line["ledger"]["audit_seq"]]["kind"] == "order.refused"
    assert ledger.order_records(["big"]) == {}


def test_check_commit_exits_1_when_an_order_was_refused(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("CHIPGATE_DATABASE_URL", settings.database_url)
    book = tmp_path / "book.csv"
    book.write_text(
        "id,date,kind,item,quantity,destination,consignee,consignee_hq,end_user,"
        "end_user_hq,end_use,training_operations,open_weights,authorizations\n"
        "big,2025-06-10,export,NVIDIA H100 SXM5,1000,IN,Tata AI,IN,,,datacenter,,,\n"
        "small,2025-06-11,export,NVIDIA H100 SXM5,10,IN,Infosys,IN,,,datacenter,,,\n",
        encoding="utf-8",
    )
    _race_every_commit(monkeypatch, 800)
    out = tmp_path / "out.jsonl"
    args = ["check", str(book), "--regime", "aid-2025", "--commit", "--no-screening"]
    result = CliRunner().invoke(app, [*args, "--format", "jsonl", "--output", str(out)])
    assert result.exit_code == 1, result.output
    import json

    got = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert got["big"]["outcome"] == "refused"
    assert got["small"]["outcome"] == "authorized"
    assert got["small"]["ledger"]["status"] == "committed"
    table = CliRunner().invoke(app, args)
    assert table.exit_code == 1
    assert "refused" in table.output


# -- the property: several processes, overlapping books, output == ledger -----------

CONSIGNEES = ("Tata AI", "Infosys")
_ORDER = st.tuples(
    st.integers(min_value=0, max_value=11),  # order id from a shared pool
    st.integers(min_value=1, max_value=12),  # month
    st.integers(min_value=50, max_value=900),  # units of H100
    st.sampled_from(CONSIGNEES),
)
BOOKS = st.lists(
    st.lists(_ORDER, min_size=1, max_size=6, unique_by=lambda o: o[0]),
    min_size=3,
    max_size=3,
)


def _orders(book: list[tuple[int, int, int, str]]) -> list[Any]:
    # the same id always means the same order, whichever book holds it
    return [
        h100_order(
            f"o{i}", f"2025-{(i % 12) + 1:02d}-15", 100 + 60 * i, CONSIGNEES[i % 2]
        )
        for i, _month, _units, _who in book
    ]


def _fresh_store(kind: str, pg_server: Any, folder: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder / 'chipgate.db'}"
    name = "p_" + uuid.uuid4().hex[:12]
    with psycopg.connect(str(pg_server.get_uri("postgres")), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    uri = str(pg_server.get_uri(name))
    return uri.replace("postgresql://", "postgresql+psycopg://", 1)


def _check_line(line: dict[str, Any], entries: dict[int, Any], draws: Any) -> None:
    """One output line against the ledger: its audit entry and its draw rows."""
    entry = entries[line["ledger"]["audit_seq"]]
    assert entry["order_id"] == line["id"]
    payload = entry["payload"]
    if line["ledger"]["status"] == "refused":
        assert entry["kind"] == "order.refused"
        assert line["outcome"] == "refused"
        assert line["draws"] == []
        refusal = line["ledger"]["refusal"]
        assert refusal["message"] == payload["refusal"]["message"]
        return
    assert entry["kind"] == "order.committed"
    assert line["outcome"] == payload["decision"]["outcome"]
    rows = sorted(
        (r.account_key, r.unit, r.amount, r.used_before, r.limit)
        for r in draws.get(line["id"], [])
    )
    now = [d for d in line["draws"] if d["timing"] == "now"]
    assert (
        sorted(
            (d["account"], d["unit"], d["amount"], d["used_before"], d["limit"])
            for d in now
        )
        == rows
    )
    for d in now:
        assert d["remaining_after"] == pytest.approx(
            d["limit"] - d["used_before"] - d["amount"]
        )


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(books=BOOKS)
def test_output_equals_the_ledger_line_by_line_under_concurrency(
    kind: str, pg_server: Any, books: list[list[tuple[int, int, int, str]]]
) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        url = _fresh_store(kind, pg_server, folder)
        ledger = open_url(url)
        upgrade(ledger.engine)
        ledger.close()
        barrier = _FORK.Barrier(len(books))
        queue = _FORK.Queue()
        procs = [
            _FORK.Process(target=book_worker, args=(url, _orders(b), barrier, queue))
            for b in books
        ]
        for p in procs:
            p.start()
        outputs = [queue.get(timeout=120) for _ in procs]
        for p in procs:
            p.join(timeout=60)
            assert p.exitcode == 0
        ledger = open_url(url)
        entries = {e["seq"]: e for e in ledger.export()}
        with ledger.engine.connect() as conn:
            draws: dict[str, list[Any]] = {}
            for row in conn.execute(text("SELECT * FROM ledger_draws")):
                draws.setdefault(row.order_id, []).append(row)
        for output in outputs:
            for line in output:
                _check_line(line, entries, draws)
        assert ledger.verify().ok
        ledger.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
