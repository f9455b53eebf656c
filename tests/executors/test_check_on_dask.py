"""A check on a Dask cluster gives the single-process decisions, byte for byte.

The book is replayed under the AI Diffusion rule, whose LPP and country allocations
are cumulative caps: thousands of its orders can only be decided in date order, so
identity here shows that draws add up across partitions run in parallel.
"""

from __future__ import annotations

import csv
import io
import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import polars as pl
import pytest
from bench.orderbook import generate

from chipgate.book.pipeline import Checker
from chipgate.book.sources import load_sources
from chipgate.decide.engine import Engine
from chipgate.errors import InputError
from chipgate.executors.check_job import CheckJob, check_partitioned
from chipgate.executors.dataset import MANIFEST
from chipgate.executors.runner import DaskExecutor, LocalExecutor
from chipgate.ledger import Ledger
from chipgate.orders.reader import read_orders
from chipgate.settings import Settings

REGIME = "aid-2025"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "orders.csv"
ORDERS = 3_000
PARTS = 6


@pytest.fixture(scope="module")
def cluster() -> Iterator[DaskExecutor]:
    """A local cluster of two worker processes, shared by the module's tests."""
    executor = DaskExecutor(local_workers=2)
    yield executor
    executor.close()


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same seeded book as one CSV file and as a folder of Parquet parts."""
    folder = tmp_path_factory.mktemp("book")
    single = generate(folder / "book.csv", ORDERS)
    frame = pl.read_csv(single, infer_schema=False)
    dataset = folder / "dataset"
    dataset.mkdir()
    size = ORDERS // PARTS
    for index in range(PARTS):
        frame.slice(index * size, size).write_parquet(dataset / f"p{index}.parquet")
    return single, dataset


def _checker(settings: Settings) -> Checker:
    return Checker(Engine(), load_sources(settings, screening=False))


def _job(settings: Settings) -> CheckJob:
    return CheckJob(settings.model_dump_json(), False, REGIME, None, "")


def _local_lines(single: Path, settings: Settings) -> list[bytes]:
    """The single-process answer: the ordinary reader and ``evaluate_book``."""
    checker = _checker(settings)
    orders = read_orders(single, checker.engine.catalog).orders
    decisions = checker.decide(orders, regime=REGIME)
    return sorted(orjson.dumps(d.to_record()) for d in decisions)


def _dataset_lines(folder: Path) -> list[bytes]:
    manifest = orjson.loads((folder / MANIFEST).read_bytes())
    lines: list[bytes] = []
    for part in manifest["parts"]:
        lines.extend((folder / part["file"]).read_bytes().splitlines())
    assert len(lines) == manifest["orders"]
    return sorted(lines)


def test_dask_run_of_a_dataset_equals_the_single_process_run(
    cluster: DaskExecutor, book: tuple[Path, Path], tmp_path: Path
) -> None:
    single, dataset = book
    settings = Settings(data_dir=tmp_path / "data", lists_dir=None)
    expected = _local_lines(single, settings)
    run = check_partitioned(
        dataset, tmp_path / "out", cluster, _checker(settings), _job(settings)
    )
    assert run.pending > 100, "the book must exercise cumulative draws"
    assert run.partitions == PARTS
    assert run.column_wise == PARTS, "every partition is decided column-wise"
    assert _dataset_lines(tmp_path / "out") == expected


def test_one_file_is_split_into_partitions_with_the_same_answer(
    cluster: DaskExecutor,
    book: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    single, _dataset = book
    monkeypatch.setattr("chipgate.executors.check_job.ROWS_PER_PARTITION", 700)
    settings = Settings(data_dir=tmp_path / "data", lists_dir=None)
    run = check_partitioned(
        single, tmp_path / "out", cluster, _checker(settings), _job(settings)
    )
    assert run.partitions == 5
    assert run.column_wise == 5
    assert _dataset_lines(tmp_path / "out") == _local_lines(single, settings)


def test_a_worker_killed_mid_run_does_not_change_the_result(
    cluster: DaskExecutor, book: tuple[Path, Path], tmp_path: Path
) -> None:
    single, dataset = book
    settings = Settings(data_dir=tmp_path / "data", lists_dir=None)
    expected = _local_lines(single, settings)
    pids = cluster.client.run(os.getpid)
    victim = sorted(pids.values())[0]
    killed = threading.Event()
    finished = threading.Event()

    def kill_when_started() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not finished.is_set():
            if any(tmp_path.glob(".out.partial-*/_staging/decided-*.jsonl")):
                os.kill(victim, signal.SIGKILL)
                killed.set()
                return
            time.sleep(0.02)

    watcher = threading.Thread(target=kill_when_started, daemon=True)
    watcher.start()
    try:
        run = check_partitioned(
            dataset, tmp_path / "out", cluster, _checker(settings), _job(settings)
        )
    finally:
        finished.set()
        watcher.join()
    assert killed.is_set(), "the worker was not killed while the run was going"
    assert run.count == ORDERS
    assert _dataset_lines(tmp_path / "out") == expected
    # the cluster replaced the lost worker
    deadline = time.monotonic() + 60
    while len(cluster.client.run(os.getpid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert victim not in cluster.client.run(os.getpid).values()


def _balances(data_dir: Path) -> list[tuple[str, str, float]]:
    """The committed balances of the store in ``data_dir`` (its audit chain intact)."""
    with Ledger.open(Settings(data_dir=data_dir)) as ledger:
        assert ledger.verify().ok
        return sorted((b.account, b.unit, b.committed) for b in ledger.balances())


def _with_cell(frame: pl.DataFrame, row: int, column: str, value: str) -> pl.DataFrame:
    """``frame`` with one cell (0-based ``row``) replaced."""
    return frame.with_columns(
        pl.when(pl.int_range(pl.len()) == row)
        .then(pl.lit(value))
        .otherwise(pl.col(column))
        .alias(column)
    )


def test_a_bad_row_in_any_partition_names_its_file_and_line_and_writes_nothing(
    cluster: DaskExecutor, book: tuple[Path, Path], tmp_path: Path
) -> None:
    _single, dataset = book
    broken = tmp_path / "broken"
    broken.mkdir()
    for part in sorted(dataset.iterdir()):
        (broken / part.name).write_bytes(part.read_bytes())
    frame = _with_cell(pl.read_parquet(broken / "p3.parquet"), 7, "quantity", "-5")
    frame.write_parquet(broken / "p3.parquet")
    settings = Settings(data_dir=tmp_path / "data", lists_dir=None)
    with pytest.raises(InputError) as caught:
        check_partitioned(
            broken, tmp_path / "out", cluster, _checker(settings), _job(settings)
        )
    problem = caught.value.problems[0]
    assert problem.source is not None
    assert problem.source.endswith("p3.parquet")
    assert (problem.line, problem.field) == (8, "quantity")
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.glob(".out.partial-*"))


def test_an_order_id_used_in_two_partitions_is_refused(
    book: tuple[Path, Path], tmp_path: Path
) -> None:
    _single, dataset = book
    twice = tmp_path / "twice"
    twice.mkdir()
    (twice / "a.parquet").write_bytes((dataset / "p0.parquet").read_bytes())
    (twice / "b.parquet").write_bytes((dataset / "p0.parquet").read_bytes())
    settings = Settings(data_dir=tmp_path / "data", lists_dir=None)
    with pytest.raises(InputError, match=r"'B00000000' already used in .*a\.parquet"):
        check_partitioned(
            twice, tmp_path / "out", LocalExecutor(), _checker(settings), _job(settings)
        )


def test_an_id_in_two_partitions_is_named_with_its_line_in_each(
    tmp_path: Path,
) -> None:
    header, *rows = EXAMPLE.read_text(encoding="utf-8").splitlines()
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "p0.csv").write_text("\n".join([header, *rows[:10]]) + "\n")
    # p1.csv's last line (line 12) repeats p0.csv's line 5, id and all
    (folder / "p1.csv").write_text("\n".join([header, *rows[10:20], rows[3]]) + "\n")
    first_id = rows[3].split(",")[0]
    settings = Settings(data_dir=tmp_path / "data", lists_dir=None)
    with pytest.raises(InputError) as caught:
        check_partitioned(
            folder,
            tmp_path / "out",
            LocalExecutor(),
            _checker(settings),
            _job(settings),
        )
    [problem] = caught.value.problems
    assert problem.source == str(folder / "p1.csv")
    assert (problem.line, problem.field) == (12, "id")
    assert f"order id {first_id!r} already used in {folder / 'p0.csv'}, line 5" in (
        problem.message
    )
    assert not (tmp_path / "out").exists()


def test_an_id_in_two_slices_of_one_file_is_named_with_both_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    header, *rows = EXAMPLE.read_text(encoding="utf-8").splitlines()
    single = tmp_path / "book.csv"
    single.write_text("\n".join([header, *rows[:30], rows[2]]) + "\n")
    monkeypatch.setattr("chipgate.executors.check_job.ROWS_PER_PARTITION", 10)
    settings = Settings(data_dir=tmp_path / "data", lists_dir=None)
    with pytest.raises(InputError) as caught:
        check_partitioned(
            single,
            tmp_path / "out",
            LocalExecutor(),
            _checker(settings),
            _job(settings),
        )
    [problem] = caught.value.problems
    assert (problem.source, problem.line, problem.field) == (str(single), 32, "id")
    assert f"order id {rows[2].split(',')[0]!r} already used on line 4" in (
        problem.message
    )


def test_keep_going_leaves_out_an_id_repeated_in_a_later_slice_of_one_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The slices read column-wise are read again as row slices, without the
    repeated line: the other 30 orders are written, the first use among them."""
    header, *rows = EXAMPLE.read_text(encoding="utf-8").splitlines()
    single = tmp_path / "book.csv"
    single.write_text("\n".join([header, *rows[:30], rows[2]]) + "\n")
    monkeypatch.setattr("chipgate.executors.check_job.ROWS_PER_PARTITION", 10)
    settings = Settings(data_dir=tmp_path / "data", lists_dir=None)
    going = CheckJob(
        settings.model_dump_json(), False, REGIME, None, "", keep_going=True
    )
    run = check_partitioned(
        single, tmp_path / "out", LocalExecutor(), _checker(settings), going
    )
    [problem] = run.left_out
    assert (problem.source, problem.line, problem.field) == (str(single), 32, "id")
    assert run.count == 30
    ids = [orjson.loads(line)["id"] for line in _dataset_lines(tmp_path / "out")]
    assert sorted(ids) == sorted(row.split(",")[0] for row in rows[:30])


def test_a_date_before_every_regime_names_its_partition_line(
    book: tuple[Path, Path], tmp_path: Path
) -> None:
    _single, dataset = book
    early = tmp_path / "early"
    early.mkdir()
    frame = pl.read_parquet(dataset / "p0.parquet").head(20)
    _with_cell(frame, 4, "date", "2021-06-02").write_parquet(early / "p0.parquet")
    settings = Settings(data_dir=tmp_path / "data", lists_dir=None)
    by_dates = CheckJob(settings.model_dump_json(), False, None, None, "")
    with pytest.raises(InputError) as caught:
        check_partitioned(
            early, tmp_path / "out", LocalExecutor(), _checker(settings), by_dates
        )
    problem = caught.value.problems[0]
    assert (problem.line, problem.field) == (5, "date")
    assert "no regime is modelled for 2021-06-02" in problem.message
    assert not (tmp_path / "out").exists()


def test_the_local_executor_runs_the_same_partition_functions(
    book: tuple[Path, Path], tmp_path: Path
) -> None:
    single, dataset = book
    settings = Settings(data_dir=tmp_path / "data", lists_dir=None)
    check_partitioned(
        dataset, tmp_path / "out", LocalExecutor(), _checker(settings), _job(settings)
    )
    assert _dataset_lines(tmp_path / "out") == _local_lines(single, settings)


def test_location_records_verified_on_the_cluster_match_one_process(
    cluster: DaskExecutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chipgate.executors import verify_job
    from chipgate.executors.verify_job import verify_partitioned
    from chipgate.location.bulk import verify_lines
    from tests.location.format2 import MAX_AGE, NOW, Deployment

    dep = Deployment()
    sessions = [dep.session("C1"), dep.session("C2")]
    records = dep.records(dep.seal([dep.entry(s) for s in sessions * 8]), sessions)
    lines = [r.to_json() for r in records]
    lines.insert(4, b'{"chip_id": "C1", "truncated')
    lines.append(lines[0])  # a replay of a record checked by another worker
    expected = verify_lines(
        lines, dep.chip_keys, dep.landmark_keys, now=NOW, max_age=MAX_AGE, workers=1
    )
    monkeypatch.setattr(verify_job, "LINES_PER_PARTITION", 5)
    got = verify_partitioned(
        lines, dep.chip_keys, dep.landmark_keys, cluster, now=NOW, max_age=MAX_AGE
    )
    assert got == expected
    assert any(c.problem and "replay" in c.problem for c in got)
    assert any(c.problem and "JSON" in c.problem for c in got)


def test_commit_through_the_cluster_writes_what_a_local_commit_writes(
    book: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from chipgate.cli.app import app

    _single, full = book
    dataset = tmp_path / "small"  # two parts: a commit costs more than a decision
    dataset.mkdir()
    for name in ("p0.parquet", "p1.parquet"):
        (dataset / name).write_bytes((full / name).read_bytes())
    single = tmp_path / "small.csv"
    pl.concat([pl.read_parquet(p) for p in sorted(dataset.iterdir())]).write_csv(single)
    runner = CliRunner()
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("CHIPGATE_DASK_LOCAL_WORKERS", "2")
    common = ["--regime", REGIME, "--no-screening", "--format", "jsonl", "--commit"]

    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "local"))
    local = runner.invoke(
        app, ["check", str(single), *common, "--output", str(tmp_path / "l.jsonl")]
    )
    assert local.exit_code == 0, local.output
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "dask"))
    args = ["check", str(dataset), *common, "--executor", "dask"]
    on_dask = runner.invoke(app, [*args, "--output", str(tmp_path / "d")])
    assert on_dask.exit_code == 0, on_dask.output
    assert _dataset_lines(tmp_path / "d") == sorted(
        (tmp_path / "l.jsonl").read_bytes().splitlines()
    )
    assert _balances(tmp_path / "dask") == _balances(tmp_path / "local")
    # a second committed run of the same book draws nothing twice
    again = runner.invoke(app, [*args, "--output", str(tmp_path / "d")])
    assert again.exit_code == 0, again.output
    assert _balances(tmp_path / "dask") == _balances(tmp_path / "local")


def test_a_file_of_names_screened_on_the_cluster_matches_one_process(
    cluster: DaskExecutor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chipgate.executors import screen_job
    from chipgate.executors.screen_job import screen_rows_on
    from chipgate.screening.batch import open_parties, screen_rows
    from chipgate.screening.provider import load_screener
    from tests.screening.conftest import FIXTURE_LISTS

    settings = Settings(data_dir=tmp_path / "data", lists_dir=FIXTURE_LISTS)
    screener = load_screener(settings)
    listed = [e.name for e in screener.index.entries][:40]
    names = [
        *listed,
        *(n.upper() + " LTD" for n in listed[:10]),
        "Nobody In Particular",
    ]
    book = tmp_path / "parties.csv"
    pl.DataFrame(
        {"name": names, "ref": [f"R{i}" for i in range(len(names))]}
    ).write_csv(book)
    expected = [
        (row, name, list(hits))
        for row, name, hits in screen_rows(screener, open_parties(book), None, 1)
    ]
    monkeypatch.setattr(screen_job, "NAMES_PER_TASK", 7)
    got = [
        (row, name, list(hits))
        for row, name, hits in screen_rows_on(cluster, settings, open_parties(book))
    ]
    assert got == expected
    assert sum(1 for _row, _name, hits in got if any(h.is_hit for h in hits)) >= 20


def test_a_bad_row_in_one_split_file_names_the_files_own_line(
    cluster: DaskExecutor,
    book: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The file is cut column-wise into slices; the slice holding the bad row sends
    the book back to row partitions, whose problem names the user's line."""
    single, _dataset = book
    lines = single.read_text().splitlines()
    cells = lines[2000].split(",")
    header = lines[0].split(",")
    cells[header.index("quantity")] = "-5"
    lines[2000] = ",".join(cells)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    monkeypatch.setattr("chipgate.executors.check_job.ROWS_PER_PARTITION", 700)
    settings = Settings(data_dir=tmp_path / "data", lists_dir=None)
    with pytest.raises(InputError) as caught:
        check_partitioned(
            bad, tmp_path / "out", cluster, _checker(settings), _job(settings)
        )
    problem = caught.value.problems[0]
    assert (problem.source, problem.line, problem.field) == (
        str(bad),
        2001,
        "quantity",
    )
    assert not (tmp_path / "out").exists()


def test_screening_on_the_cluster_writes_a_dataset_of_parts_with_a_manifest(
    cluster: DaskExecutor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``screen FILE --executor dask --output DIR``: parts in input order whose
    lines are those of the single-process output, and a manifest naming them."""
    from typer.testing import CliRunner

    from chipgate.cli.app import app
    from chipgate.executors import screen_job
    from chipgate.screening.provider import load_screener
    from tests.screening.conftest import FIXTURE_LISTS

    settings = Settings(data_dir=tmp_path / "data", lists_dir=FIXTURE_LISTS)
    listed = [e.name for e in load_screener(settings).index.entries][:30]
    names = [*listed, *(n.upper() for n in listed[:10]), "Nobody In Particular"]
    book = tmp_path / "parties.csv"
    pl.DataFrame(
        {"name": names, "ref": [f"R{i}" for i in range(len(names))]}
    ).write_csv(book)
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CHIPGATE_LISTS_DIR", str(FIXTURE_LISTS))
    monkeypatch.setenv("CHIPGATE_DASK_SCHEDULER", cluster.client.scheduler.address)
    monkeypatch.setattr(screen_job, "NAMES_PER_TASK", 7)
    monkeypatch.setattr(screen_job, "PARTIES_PER_PART", 12)
    runner = CliRunner()
    common = ["screen", str(book), "--format", "jsonl"]
    local = runner.invoke(app, [*common, "--output", str(tmp_path / "one.jsonl")])
    assert local.exit_code in (0, 1), local.output
    out = tmp_path / "screened"
    on_dask = runner.invoke(app, [*common, "--executor", "dask", "--output", str(out)])
    assert on_dask.exit_code == local.exit_code, on_dask.output
    manifest = orjson.loads((out / MANIFEST).read_bytes())
    assert manifest["job"] == "screen"
    sizes = [min(12, len(names) - start) for start in range(0, len(names), 12)]
    assert len(sizes) > 1
    assert [p["items"] for p in manifest["parts"]] == sizes
    lines = b"".join((out / p["file"]).read_bytes() for p in manifest["parts"])
    assert lines == (tmp_path / "one.jsonl").read_bytes()


def test_verdicts_of_a_cluster_run_are_a_dataset_equal_to_the_local_output(
    cluster: DaskExecutor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``location verify --executor dask --output DIR``: the verdicts by chip id in
    parts, with a manifest, the lines of the single-process output."""
    from typer.testing import CliRunner

    from chipgate.cli import location
    from chipgate.cli.app import app

    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    sample = tmp_path / "sample"
    made = runner.invoke(
        app,
        [
            "location",
            "export-sample",
            "--output-dir",
            str(sample),
            "--chips",
            "12",
            "--landmarks",
            "8",
        ],
    )
    assert made.exit_code == 0, made.output
    fleet = runner.invoke(
        app, ["fleet", "register", "--file", str(sample / "fleet.jsonl")]
    )
    assert fleet.exit_code == 0, fleet.output
    common = [
        "location",
        "verify",
        str(sample / "records.jsonl"),
        "--landmark-keys",
        str(sample / "landmark_keys.json"),
        "--now",
        "2026-12-01T00:00:00",
        "--no-store",
        "--format",
        "jsonl",
    ]
    one = tmp_path / "verdicts.jsonl"
    local = runner.invoke(app, [*common, "--output", str(one)])
    assert local.exit_code in (0, 1), local.output
    monkeypatch.setenv("CHIPGATE_DASK_SCHEDULER", cluster.client.scheduler.address)
    monkeypatch.setattr(location, "VERDICTS_PER_PART", 5)
    out = tmp_path / "verdicts"
    on_dask = runner.invoke(app, [*common, "--executor", "dask", "--output", str(out)])
    assert on_dask.exit_code == local.exit_code, on_dask.output
    manifest = orjson.loads((out / MANIFEST).read_bytes())
    assert manifest["job"] == "location verify"
    assert [p["items"] for p in manifest["parts"]] == [5, 5, 2]
    lines = b"".join((out / p["file"]).read_bytes() for p in manifest["parts"])
    assert lines == one.read_bytes()


KEPT_ROWS = 600
FILE_ROWS = 150
BAD_LINE = re.compile(
    r"^bad line: (.+?), line (\d+)(?:, field '([^']*)')?: (.*)$", re.M
)


def _set_cell(row: str, header: list[str], column: str, value: str) -> str:
    cells = next(csv.reader([row]))
    cells[header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


@pytest.fixture(scope="module")
def bad_book(
    book: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    """600 orders of the seeded book with bad lines (a quantity, an item, a date, an
    id used twice in one file, ids of one file used again in the last, one of them
    first on a bad line), as one CSV and as a folder of four CSV files of 150 of its
    lines each."""
    single, _dataset = book
    head, *rows = single.read_text(encoding="utf-8").splitlines()[: KEPT_ROWS + 1]
    header = next(csv.reader([head]))
    rows[10] = _set_cell(rows[10], header, "quantity", "-5")
    rows[170] = _set_cell(rows[170], header, "item", "No Such Chip")
    # the bad line's id is no use: its first use is the next line to carry it
    rows[180] = _set_cell(rows[180], header, "id", "B00000170")
    rows[500] = _set_cell(rows[500], header, "id", "B00000170")
    rows[200] = rows[190]
    rows[320] = _set_cell(rows[320], header, "date", "2025-02-30")
    rows[480] = rows[20]
    folder = tmp_path_factory.mktemp("bad")
    one = folder / "book.csv"
    one.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    parts = folder / "parts"
    parts.mkdir()
    for index, start in enumerate(range(0, KEPT_ROWS, FILE_ROWS)):
        chunk = rows[start : start + FILE_ROWS]
        (parts / f"p{index}.csv").write_text(
            "\n".join([head, *chunk]) + "\n", encoding="utf-8"
        )
    return one, parts


def _bad_lines(output: str) -> list[tuple[str, int, str | None, str]]:
    return [
        (source, int(line), field or None, message)
        for source, line, field, message in BAD_LINE.findall(output)
    ]


def _in_files(
    report: list[tuple[str, int, str | None, str]], folder: Path
) -> list[tuple[str, int, str | None, str]]:
    """The single file's bad lines as the files of ``folder`` hold them: each line
    in its file, a repeated id's first use named in its own file."""
    moved = []
    for _source, line, field, message in report:
        part, at = divmod(line - 2, FILE_ROWS)
        used = re.fullmatch(r"(order id '.*' already used) on line (\d+)", message)
        if used:
            first, first_at = divmod(int(used[2]) - 2, FILE_ROWS)
            message = (
                f"{used[1]} on line {first_at + 2}"
                if first == part
                else f"{used[1]} in {folder / f'p{first}.csv'}, line {first_at + 2} "
                "(another partition)"
            )
        moved.append((str(folder / f"p{part}.csv"), at + 2, field, message))
    return moved


def _keep_going_runs(
    bad_book: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cluster: DaskExecutor,
    executor: str,
    *flags: str,
) -> tuple[Any, Any]:
    """``check --keep-going`` of the single file and of its folder of files, each on
    its own store (``CHIPGATE_DATA_DIR``): the two CLI results."""
    from typer.testing import CliRunner

    from chipgate.cli.app import app

    one, parts = bad_book
    monkeypatch.setenv("COLUMNS", "2000")
    monkeypatch.setenv("CHIPGATE_DASK_SCHEDULER", cluster.client.scheduler.address)
    common = ["--regime", REGIME, "--no-screening", "--keep-going", *flags]
    runner = CliRunner()
    results = []
    for store, book, options in (
        ("single", one, ["--format", "jsonl", "--output", str(tmp_path / "one.jsonl")]),
        ("parts", parts, ["--executor", executor, "--output", str(tmp_path / "out")]),
    ):
        monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / store))
        results.append(runner.invoke(app, ["check", str(book), *common, *options]))
    single, split = results
    return single, split


@pytest.mark.parametrize("commit", [False, True], ids=["decide", "commit"])
@pytest.mark.parametrize("executor", ["local", "dask"])
def test_keep_going_on_files_equals_keep_going_on_one_file(
    cluster: DaskExecutor,
    bad_book: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    executor: str,
    commit: bool,
) -> None:
    """The same orders in one file and split over files: the same decisions (draws
    in date order across files), the same bad lines named in their own files, and
    with ``--commit`` the same balances committed."""
    _one, parts = bad_book
    flags = ["--commit"] if commit else []
    single, split = _keep_going_runs(
        bad_book, tmp_path, monkeypatch, cluster, executor, *flags
    )
    assert single.exit_code == 1, single.output
    assert split.exit_code == 1, split.output
    expected = _in_files(_bad_lines(single.output), parts)
    assert [(s, line, f) for s, line, f, _m in expected] == [
        (str(parts / "p0.csv"), 12, "quantity"),
        (str(parts / "p1.csv"), 22, "item"),
        (str(parts / "p1.csv"), 52, "id"),
        (str(parts / "p2.csv"), 22, "date"),
        (str(parts / "p3.csv"), 32, "id"),
        (str(parts / "p3.csv"), 52, "id"),
    ]
    assert _bad_lines(split.output) == expected
    assert "6 bad line(s) left out" in split.output
    manifest = orjson.loads((tmp_path / "out" / MANIFEST).read_bytes())
    assert [
        (p["source"], p["line"], p["field"], p["message"]) for p in manifest["left_out"]
    ] == expected
    assert manifest["decided_in_date_order"] > 10, "the book must draw on caps"
    assert _dataset_lines(tmp_path / "out") == sorted(
        (tmp_path / "one.jsonl").read_bytes().splitlines()
    )
    if commit:
        assert _balances(tmp_path / "parts") == _balances(tmp_path / "single")
        assert _balances(tmp_path / "parts"), "the good orders drew on the caps"
