"""The column-wise path writes exactly what the ordinary path writes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from bench.orderbook import generate

from chipgate.book.batch import Fallback, check_to_jsonl
from chipgate.book.pipeline import Checker, FactSources
from chipgate.book.writer import write_decisions
from chipgate.decide.engine import Engine
from chipgate.facts import ScreeningHit
from chipgate.orders.reader import read_orders

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "orders.csv"


def both(
    book: Path, tmp_path: Path, **options: object
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    fast = tmp_path / "fast.jsonl"
    check_to_jsonl(book, Checker(Engine()), fast, **options)  # type: ignore[arg-type]
    engine = Engine()
    orders = read_orders(book, engine.catalog).orders
    slow = tmp_path / "slow.jsonl"
    write_decisions(Checker(engine).decide(orders, **options), slow, "jsonl")  # type: ignore[arg-type]
    load = lambda p: [json.loads(line) for line in p.read_text().splitlines()]  # noqa: E731
    return load(fast), load(slow)


@pytest.mark.parametrize(
    "options",
    [{}, {"regime": "aid-2025"}, {"regime": "ac-2023"}, {"as_of": date(2026, 11, 23)}],
)
def test_the_example_book_gives_the_same_lines(
    tmp_path: Path, options: dict[str, object]
) -> None:
    fast, slow = both(EXAMPLE, tmp_path, **options)
    assert fast == slow


def test_a_generated_book_gives_the_same_lines(tmp_path: Path) -> None:
    book = generate(tmp_path / "book.csv", 3000, seed=7)
    fast, slow = both(book, tmp_path)
    assert fast == slow
    fast, slow = both(book, tmp_path, regime="aid-2025")
    assert fast == slow


def test_a_bad_book_falls_back_to_the_ordinary_reader(tmp_path: Path) -> None:
    lines = EXAMPLE.read_text().splitlines()
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([lines[0], lines[1].replace(",256,", ",0,")]) + "\n")
    with pytest.raises(Fallback):
        check_to_jsonl(bad, Checker(Engine()), tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()


def test_deciding_on_several_cores_gives_the_same_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import chipgate.book.batch

    monkeypatch.setattr(chipgate.book.batch, "PARALLEL_FROM", 1)
    monkeypatch.setattr(chipgate.book.batch.os, "cpu_count", lambda: 2)
    book = generate(tmp_path / "book.csv", 1500, seed=11)
    fast, slow = both(book, tmp_path)
    assert fast == slow


def test_orders_decided_one_by_one_land_on_their_lines_across_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks of 7 lines: the example book's orders that cannot share a decision
    (they draw on caps) fall in several chunks and must each land on their line."""
    monkeypatch.setattr("chipgate.book.batch.CHUNK", 7)
    fast, slow = both(EXAMPLE, tmp_path)
    assert fast == slow


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_book_read_in_chunks_gives_the_bytes_of_one_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    """Chunks of 400 orders under the AI Diffusion rule: orders drawing on the
    cumulative caps fall in every chunk and are decided in the whole book's date
    order; an order repeated across chunks is decided once (the cache)."""
    import polars as pl

    import chipgate.book.batch

    book = generate(tmp_path / "book.csv", 3000, seed=7)
    if suffix == ".parquet":
        pl.read_csv(book, infer_schema=False).write_parquet(
            tmp_path / "book.parquet", row_group_size=256
        )
        book = tmp_path / "book.parquet"
    whole = tmp_path / "whole.jsonl"
    check_to_jsonl(book, Checker(Engine()), whole, regime="aid-2025")
    monkeypatch.setattr(chipgate.book.batch, "CHUNK_ROWS", 400)
    chunked = tmp_path / "chunked.jsonl"
    result = check_to_jsonl(book, Checker(Engine()), chunked, regime="aid-2025")
    assert result.one_by_one > 100, "the book must draw on cumulative caps"
    assert chunked.read_bytes() == whole.read_bytes()
    fast, slow = both(book, tmp_path, regime="aid-2025")
    assert fast == slow
    assert not list(tmp_path.glob(".*staged*"))


def test_an_id_repeated_in_another_chunk_sends_the_book_to_the_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("chipgate.book.batch.CHUNK_ROWS", 4)
    lines = EXAMPLE.read_text().splitlines()
    twice = tmp_path / "twice.csv"
    twice.write_text("\n".join([*lines[:6], lines[1]]) + "\n")
    with pytest.raises(Fallback):
        check_to_jsonl(twice, Checker(Engine()), tmp_path / "out.jsonl")
    assert not list(tmp_path.glob("*out.jsonl*"))


def _stage(book: Path, checker: Checker, cache: object, out: Path) -> int:
    """Stage ``book`` as one partition with ``cache``; the distinct orders decided."""
    from chipgate.book.batch import read_chunks, stage_columns

    with out.open("wb") as stream:
        staged = stage_columns(
            read_chunks(book),
            checker,
            stream,
            regime="ac-2023",
            cache=cache,  # type: ignore[arg-type]
        )
    return staged.decided_once


@pytest.mark.parametrize("cores", [1, 2])
def test_a_cache_kept_across_partitions_decides_a_repeat_once_with_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cores: int
) -> None:
    """A worker's cache across partitions: the second partition holds the same
    distinct orders, none is decided again, and its lines are the first's bytes
    (also when each partition's templates come numbered from forked processes)."""
    import chipgate.book.batch
    from chipgate.book.batch import TemplateCache

    monkeypatch.setattr(chipgate.book.batch, "PARALLEL_FROM", 1)
    monkeypatch.setattr(chipgate.book.batch.os, "cpu_count", lambda: cores)
    book = generate(tmp_path / "book.csv", 1500, seed=3)
    checker = Checker(Engine())
    cache = TemplateCache()
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    assert _stage(book, checker, cache, first) > 0
    assert _stage(book, checker, cache, second) == 0
    assert second.read_bytes() == first.read_bytes()
    alone = tmp_path / "alone.jsonl"
    _stage(book, Checker(Engine()), None, alone)
    assert first.read_bytes() == alone.read_bytes()


def test_a_full_cache_starts_afresh_and_the_lines_stay_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import chipgate.book.batch
    from chipgate.book.batch import TemplateCache

    book = generate(tmp_path / "book.csv", 600, seed=5)
    alone = tmp_path / "alone.jsonl"
    _stage(book, Checker(Engine()), None, alone)
    monkeypatch.setattr(chipgate.book.batch, "CACHE_MAX", 2)
    checker = Checker(Engine())
    cache = TemplateCache()
    for name in ("first", "second", "third"):
        out = tmp_path / f"{name}.jsonl"
        _stage(book, checker, cache, out)
        assert out.read_bytes() == alone.read_bytes()
        assert len(cache) <= 2


def test_what_a_partition_froze_is_given_back_unless_the_process_froze_before(
    tmp_path: Path,
) -> None:
    """A long-lived worker runs partition after partition: each one's frozen
    objects go back to the collector at its end; a process that froze objects of
    its own before keeps them (and the partition's) frozen."""
    import gc

    book = generate(tmp_path / "book.csv", 300, seed=2)
    checker = Checker(Engine())
    gc.unfreeze()
    try:
        _stage(book, checker, None, tmp_path / "a.jsonl")
        assert gc.get_freeze_count() == 0
        check_to_jsonl(book, checker, tmp_path / "b.jsonl")
        assert gc.get_freeze_count() == 0
        gc.freeze()
        assert gc.get_freeze_count() > 0
        _stage(book, checker, None, tmp_path / "c.jsonl")
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_nested_and_overlapping_runs_give_back_at_the_last_end() -> None:
    import gc

    from chipgate.collector import thawed_after

    gc.unfreeze()
    with thawed_after():
        with thawed_after():
            gc.freeze()
        assert gc.get_freeze_count() > 0, "an inner run must not thaw the outer's"
    assert gc.get_freeze_count() == 0


class _OneNameScreener:
    """Finds one consignee of the generated book on the Entity List."""

    def screen(
        self, name: str, country: str | None = None, as_of: date | None = None
    ) -> list[ScreeningHit]:
        if name != "Customer 02487 Ltd":
            return []
        return [
            ScreeningHit(
                "",
                name,
                "EL",
                "Entity List",
                "el-7",
                name,
                100.0,
                True,
                license_requirement="For all items subject to the EAR",
                license_policy="Presumption of denial",
            )
        ]


def test_facts_that_depend_on_the_parties_are_gathered_per_pair(
    tmp_path: Path,
) -> None:
    """With a screener the facts differ by party, so the column-wise path may not
    share one set of facts between them: its lines stay those of the ordinary path."""
    book = generate(tmp_path / "book.csv", 3000, seed=7)
    sources = FactSources(screener=_OneNameScreener())
    assert Checker(Engine(), sources).parties_matter()
    assert not Checker(Engine()).parties_matter()
    fast = tmp_path / "fast.jsonl"
    check_to_jsonl(book, Checker(Engine(), sources), fast)
    engine = Engine()
    orders = read_orders(book, engine.catalog).orders
    slow = tmp_path / "slow.jsonl"
    write_decisions(Checker(engine, sources).decide(orders), slow, "jsonl")
    assert fast.read_bytes() == slow.read_bytes()
    listed = [json.loads(line) for line in fast.read_text().splitlines()]
    assert any("SCREEN.LISTS" in record["rules"] for record in listed)


def test_the_example_book_on_a_ledger_of_licenses_gives_the_same_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Orders naming a license take its facts on both paths: the column-wise path
    once gathered its parties' facts only, and every licensed order was refused."""
    from chipgate.ledger import Ledger
    from chipgate.settings import Settings

    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(data))
    ledger = Ledger.open(Settings())
    try:
        ledger.import_licenses(EXAMPLE.with_name("licenses.csv"), "test")
        sources = FactSources(licenses=ledger, balances=ledger, compute_bases=ledger)
        fast = tmp_path / "fast.jsonl"
        check_to_jsonl(EXAMPLE, Checker(Engine(), sources), fast)
        engine = Engine()
        orders = read_orders(EXAMPLE, engine.catalog).orders
        decided = Checker(engine, sources).decide(orders)
    finally:
        ledger.close()
    assert "authorized" in {d.outcome.value for d in decided}
    lines = [json.loads(line) for line in fast.read_text().splitlines()]
    assert lines == [d.to_record() for d in decided]
