"""Location commands: ``chipgate location verify|simulate|export-sample``; the
``fleet`` commands live in :mod:`chipgate.cli.location_fleet`, ``location assess``
and ``location mesh check`` in :mod:`chipgate.cli.location_real`, ``location
alerts`` in :mod:`chipgate.cli.location_alerts`.

Exit codes: 0 every chip verified or inconclusive; 1 a chip is diverted or its
records are invalid; 2 bad input.
"""

from __future__ import annotations

import io
import math
from collections import Counter
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer

from chipgate.cli.context import (
    EXIT_FINDINGS,
    console,
    err_console,
    fail,
    safe,
    settings_of,
)
from chipgate.errors import ChipgateError

if TYPE_CHECKING:
    from rich.table import Table

    from chipgate.location.landmarks import Landmark
    from chipgate.location.registry import FleetRegistry
    from chipgate.location.scoring import SimulationResult
    from chipgate.location.service import ChipVerdict
    from chipgate.location.verify import RecordCheck
    from chipgate.settings import Settings

# The location library (shapely, pyproj, numpy, matplotlib) loads inside each command,
# so that every other chipgate command starts without it.

location_app = typer.Typer(
    help="Chip location verification by signed round-trip times.", no_args_is_help=True
)


class OutputFormat(StrEnum):
    """How verdicts are printed."""

    table = "table"
    jsonl = "jsonl"


def register(app: typer.Typer) -> None:
    """Attach ``location`` and ``fleet`` to the root app."""
    from chipgate.cli.location_alerts import alerts_app
    from chipgate.cli.location_fleet import fleet_app
    from chipgate.cli.location_real import assess, mesh_app

    location_app.add_typer(mesh_app, name="mesh")
    location_app.add_typer(alerts_app, name="alerts")
    location_app.command("assess")(assess)
    app.add_typer(location_app, name="location")
    app.add_typer(fleet_app, name="fleet")


def _landmarks(settings: Settings) -> tuple[Landmark, ...]:
    from chipgate.location.landmarks import load_landmarks

    return load_landmarks(settings.location_landmarks_file)


def registry_of(settings: Settings) -> FleetRegistry:
    from chipgate.ledger.db import make_engine
    from chipgate.location.registry import FleetRegistry

    return FleetRegistry(make_engine(settings.resolved_database_url()))


@location_app.command("verify")
def verify(
    ctx: typer.Context,
    records: Annotated[Path, typer.Argument(help="JSONL file of measurement records.")],
    landmark_keys: Annotated[
        Path,
        typer.Option(help="JSON/YAML map of landmark id to base64 Ed25519 public key."),
    ],
    calibration: Annotated[
        Path | None,
        typer.Option(help="Per-landmark bounds (JSON); physics alone when omitted."),
    ] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    output: Annotated[Path | None, typer.Option(help="Write verdicts here.")] = None,
    now: Annotated[
        datetime | None,
        typer.Option(help="Verifier clock (UTC); default: the current time."),
    ] = None,
    store: Annotated[
        bool, typer.Option(help="Store diversion alerts and consumed nonces.")
    ] = True,
    executor: Annotated[
        str | None,
        typer.Option(
            "--executor",
            help="local or dask (CHIPGATE_EXECUTOR): where records are checked",
        ),
    ] = None,
) -> None:
    """Check signed records and give each chip a verdict with its region outline."""
    from chipgate.location.alerts import known_nonces
    from chipgate.location.borders import load_borders
    from chipgate.location.bulk import verify_lines
    from chipgate.location.geolocate import BREACHES, Verdict
    from chipgate.location.inputs import (
        named_keys,
        read_calibration,
        read_landmark_keys,
        read_record_lines,
    )
    from chipgate.location.registry import shared_with
    from chipgate.location.service import (
        flag_shared,
        judge_checks,
        persist_outcome,
        usable_landmark_keys,
    )
    from chipgate.outputs import check_dataset_path, check_output_path

    settings = settings_of(ctx)
    clock = (
        now.replace(tzinfo=UTC) if now and now.tzinfo is None else now
    ) or datetime.now(UTC)
    chosen = executor or settings.executor
    try:
        # on a cluster the verdicts are written as a dataset folder
        if output is not None:
            check = check_output_path if chosen == "local" else check_dataset_path
            check(output, [p for p in (records, landmark_keys, calibration) if p])
        raw = read_record_lines(records)
        keys = read_landmark_keys(landmark_keys)
        lines = read_calibration(calibration) if calibration else None
        registry = registry_of(settings)
        chip_ids, pairs = named_keys(raw)
        chips = registry.chips(chip_ids)
        sites = _landmarks(settings)
        chip_keys = {cid: chip.public_key for cid, chip in chips.items()}
        max_age = timedelta(seconds=settings.location_max_age_seconds)
        seen = known_nonces(registry.engine, pairs)
        with console.status(f"checking {len(raw):,} records"):
            if chosen == "local":
                checks = verify_lines(
                    raw,
                    chip_keys,
                    usable_landmark_keys(keys, sites),
                    now=clock,
                    max_age=max_age,
                    seen=seen,
                )
            else:
                checks = _verify_on(
                    chosen,
                    settings,
                    raw,
                    chip_keys,
                    usable_landmark_keys(keys, sites),
                    clock,
                    max_age,
                    seen,
                )
        outcome = judge_checks(checks, chips, sites, load_borders(), lines)
        outcome = flag_shared(outcome, shared_with(registry.engine, chips))
        if store:
            persist_outcome(registry.engine, outcome, chips)
    except ChipgateError as exc:
        fail(exc)
    verdicts = sorted(outcome.verdicts, key=lambda v: v.chip_id)
    if output is not None and chosen != "local":
        _write_verdicts(verdicts, output, records, chosen, len(raw))
    else:
        _emit(verdicts, fmt, output)
    if any(v.verdict in BREACHES or v.verdict is Verdict.INVALID for v in verdicts):
        raise typer.Exit(EXIT_FINDINGS)


def _verify_on(
    executor_name: str,
    settings: Settings,
    raw: list[bytes],
    chip_keys: dict[str, str],
    landmark_keys: dict[str, str],
    clock: datetime,
    max_age: timedelta,
    seen: dict[tuple[str, str], str],
) -> list[RecordCheck]:
    """Check the records on a cluster (``--executor dask``); replays on the client."""
    from chipgate.executors import make_executor
    from chipgate.executors.verify_job import verify_partitioned

    runner = make_executor(
        executor_name, settings.dask_scheduler, settings.dask_local_workers
    )
    try:
        return verify_partitioned(
            raw, chip_keys, landmark_keys, runner, now=clock, max_age=max_age, seen=seen
        )
    finally:
        runner.close()


VERDICTS_PER_PART = 100_000
"""Chips per part file when the verdicts of a cluster run are written as a dataset."""


def _write_verdicts(
    verdicts: list[ChipVerdict],
    output: Path,
    records: Path,
    executor_name: str,
    count: int,
) -> None:
    """The verdicts of a cluster run as a dataset: JSONL parts by chip id, a
    manifest, all or nothing (``executors.dataset``)."""
    from chipgate.executors.dataset import write_dataset
    from chipgate.location.export import write_atomic

    def write_part(path: Path, chunk: list[ChipVerdict]) -> None:
        write_atomic(path, b"".join(orjson.dumps(v.as_json()) + b"\n" for v in chunk))

    try:
        write_dataset(
            output,
            verdicts,
            write_part,
            suffix=".jsonl",
            per_part=VERDICTS_PER_PART,
            manifest={
                "job": "location verify",
                "input": str(records),
                "records": count,
                "executor": executor_name,
            },
        )
    except ChipgateError as exc:
        fail(exc)
    counts = Counter(v.verdict.value for v in verdicts)
    err_console.print(
        f"wrote {len(verdicts)} verdicts to {output}: "
        + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())),
        highlight=False,
    )


def write_output(output: Path, data: bytes) -> None:
    """Write a command's output file atomically (its folder made when missing); a
    path that cannot be written is bad input (exit 2), not a traceback."""
    from chipgate.location.export import write_atomic

    try:
        write_atomic(output, data)
    except ChipgateError as exc:
        fail(exc)
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror or exc}")


def emit_table(table: Table, output: Path | None) -> None:
    """Print a table, or write it (200 columns wide) atomically to ``output``."""
    if output is None:
        console.print(table)
        return
    text = io.StringIO()
    type(console)(file=text, width=200).print(table)
    write_output(output, text.getvalue().encode())


def _emit(verdicts: list[ChipVerdict], fmt: OutputFormat, output: Path | None) -> None:
    from rich.table import Table

    from chipgate.location.geolocate import Verdict

    if fmt is OutputFormat.jsonl:
        data = b"".join(orjson.dumps(v.as_json()) + b"\n" for v in verdicts)
        if output:
            write_output(output, data)
        else:
            console.file.write(data.decode())
        return
    table = Table(title=f"Location verdicts ({len(verdicts)} chips)")
    for column in ("chip", "verdict", "licensed", "region touches", "area km²"):
        table.add_column(column, no_wrap=True)
    table.add_column(
        "explanation and region outline (WKT)", overflow="fold", min_width=60
    )
    colours = {
        "verified": "green",
        "diverted": "bold red",
        "relocated": "red",
        "inconclusive": "yellow",
        "invalid": "magenta",
    }
    for v in verdicts:
        table.add_row(
            safe(v.chip_id),
            f"[{colours[v.verdict.value]}]{v.verdict.value}[/]",
            safe(v.licensed_country),
            safe(", ".join(v.countries)),
            f"{v.area_km2:,.0f}",
            safe(f"{v.explanation}\nregion: {v.region_wkt}"),
        )
    emit_table(table, output)
    counts = {k.value: sum(v.verdict is k for v in verdicts) for k in Verdict}
    console.print(", ".join(f"{n} {k}" for k, n in counts.items()))


@location_app.command("simulate")
def simulate(
    ctx: typer.Context,
    chips: Annotated[int, typer.Option(min=10, help="Fleet size.")] = 10_000,
    landmarks: Annotated[
        list[str] | None,
        typer.Option(
            help="Landmark counts to compare: repeat the option or list them "
            "with commas (5,10,20,40)."
        ),
    ] = None,
    seed: Annotated[int, typer.Option()] = 0,
    output_dir: Annotated[
        Path, typer.Option(help="Where the plot and figures go.")
    ] = Path("location-sim"),
    workers: Annotated[int | None, typer.Option(min=1)] = None,
) -> None:
    """Simulate a fleet with adversaries; print rates and write a plot."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from chipgate.location.borders import load_borders
    from chipgate.location.export import write_atomic
    from chipgate.location.plot import plot_detection
    from chipgate.location.scoring import run_simulation, total_work
    from chipgate.location.simulate import SimulationConfig, landmark_count_ok

    settings = settings_of(ctx)
    try:
        counts = tuple(
            int(part)
            for text in landmarks or ["5,10,20,40"]
            for part in text.split(",")
        )
    except ValueError:
        fail(f"--landmarks takes whole numbers, got {landmarks}")
    config = SimulationConfig(
        chips=chips,
        landmark_counts=counts,
        seed=seed,
        workers=workers,
        adversary_landmarks=20 if 20 in counts else max(counts),
    )
    try:
        sites = _landmarks(settings)
        landmark_count_ok([*counts, config.adversary_landmarks], len(sites))
        load_borders()
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,}/{task.total:,}"),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task("geolocating", total=total_work(config))
            result = run_simulation(config, sites, lambda n: progress.advance(task, n))
    except (ChipgateError, ValueError) as exc:
        fail(str(exc))
    from chipgate.cli.location_render import render_simulation

    render_simulation(result, console)
    plot = plot_detection(result, output_dir / "location_detection.png")
    write_atomic(
        output_dir / "location_simulation.json",
        orjson.dumps(result_json(result), option=orjson.OPT_INDENT_2),
    )
    console.print(f"plot: {plot}\nfigures: {output_dir / 'location_simulation.json'}")


def result_json(result: SimulationResult) -> dict[str, object]:
    """The simulation figures as JSON (NaN becomes null)."""
    from dataclasses import asdict

    def clean(value: object) -> object:
        if isinstance(value, float) and math.isnan(value):
            return None
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        return value

    raw = asdict(result)
    raw["config"]["network"] = asdict(result.config.network)
    cleaned = clean(raw)
    assert isinstance(cleaned, dict)
    return cleaned


@location_app.command("export-sample")
def export_sample_command(
    ctx: typer.Context,
    output_dir: Annotated[
        Path, typer.Option(help="Folder for the sample files.")
    ] = Path("location-sample"),
    chips: Annotated[int, typer.Option(min=3)] = 40,
    landmarks: Annotated[int, typer.Option(min=1, help="Landmarks per chip.")] = 12,
    seed: Annotated[int, typer.Option()] = 0,
    record_format: Annotated[
        int,
        typer.Option(
            "--record-format",
            min=1,
            max=2,
            help="1: two signatures per record; 2: one per session and batch.",
        ),
    ] = 2,
) -> None:
    """Write a sample records file from the simulator, with its registry and keys."""
    from chipgate.location.export import export_sample

    settings = settings_of(ctx)
    try:
        files = export_sample(
            output_dir,
            _landmarks(settings),
            chips=chips,
            landmarks_per_chip=landmarks,
            seed=seed,
            now=datetime.now(UTC),
            version=record_format,
        )
    except (ChipgateError, ValueError) as exc:
        fail(str(exc))
    console.print(
        f"wrote {files.records} ({files.chips} chips, {files.moved} moved abroad), "
        f"{files.fleet}, {files.landmark_keys}, {files.calibration}\n"
        f"next:\n  chipgate fleet register --file {files.fleet}\n"
        f"  chipgate location verify {files.records} --landmark-keys "
        f"{files.landmark_keys} --calibration {files.calibration}"
    )
