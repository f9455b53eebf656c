"""Location commands on raw measurements: ``chipgate location mesh check`` and
``chipgate location assess``.

Exit codes: 0 nothing found; 1 a flagged landmark (mesh check) or a target judged
diverted, relocated or invalid (assess); 2 bad input.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer

from chipgate.cli.context import EXIT_FINDINGS, console, fail
from chipgate.cli.location import OutputFormat, emit_table, write_output
from chipgate.errors import ChipgateError

if TYPE_CHECKING:
    from rich.table import Table

    from chipgate.location.assess import Assessment
    from chipgate.location.meshcheck import MeshReport

mesh_app = typer.Typer(
    help="Check a landmark mesh: positions its RTTs contradict.", no_args_is_help=True
)


def _write(data: bytes, output: Path | None) -> None:
    if output:
        write_output(output, data)
    else:
        console.file.write(data.decode())


def _check_output(output: Path | None, *inputs: Path | None) -> None:
    """Refuse, before any work, an output that is an input, a folder or a link."""
    from chipgate.outputs import check_output_path

    if output is not None:
        check_output_path(output, [p for p in inputs if p is not None])


@mesh_app.command("check")
def mesh_check(
    pings: Annotated[Path, typer.Argument(help="Pings CSV: source, destination, min.")],
    servers: Annotated[
        Path, typer.Argument(help="Landmark CSV: id, latitude, longitude, country.")
    ],
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    output: Annotated[Path | None, typer.Option(help="Write the report here.")] = None,
) -> None:
    """Name the landmarks whose RTTs beat light in fibre, break triangle bounds, or
    whose coordinates lie outside their country; they are left out of `assess`."""
    from chipgate.location.borders import load_borders
    from chipgate.location.meshcheck import check_mesh
    from chipgate.location.rttmesh import read_mesh

    try:
        _check_output(output, pings, servers)
        report = check_mesh(read_mesh(servers, pings), load_borders())
    except ChipgateError as exc:
        fail(exc)
    if fmt is OutputFormat.jsonl:
        _write(
            b"".join(orjson.dumps(f.as_json()) + b"\n" for f in report.flags), output
        )
    else:
        _mesh_table(report, output)
    if report.flags:
        raise typer.Exit(EXIT_FINDINGS)


def _mesh_table(report: MeshReport, output: Path | None) -> None:
    from rich.table import Table

    table = Table(
        title=f"Mesh check: {report.landmarks} landmarks, {report.pairs:,} pairs, "
        f"{len(report.flags)} flagged (left out until fixed)"
    )
    for column in ("id", "name", "country"):
        table.add_column(column, no_wrap=True)
    table.add_column("why", overflow="fold", min_width=60)
    for flag in report.flags:
        table.add_row(flag.id, flag.name, flag.country, "\n".join(flag.reasons))
    _print(table, output)


def _print(table: Table, output: Path | None) -> None:
    emit_table(table, output)


def assess(
    measurements: Annotated[
        Path, typer.Argument(help="JSONL: one target with its RTTs per line.")
    ],
    landmarks: Annotated[
        Path,
        typer.Option(help="Landmark CSV: id, latitude, longitude, country."),
    ],
    mesh: Annotated[
        Path | None,
        typer.Option(
            help="Pings CSV among the landmarks: calibrates the bounds and runs the "
            "mesh check (physical bounds only without it)."
        ),
    ] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    output: Annotated[
        Path | None, typer.Option(help="Write the verdicts here.")
    ] = None,
) -> None:
    """Judge raw RTT measurements (no signatures) as `location verify` judges chips."""
    from chipgate.location.assess import (
        assess_all,
        assessments_jsonl,
        mesh_bounds,
        mesh_landmarks,
        read_targets,
    )
    from chipgate.location.borders import load_borders
    from chipgate.location.geolocate import BREACHES, Verdict
    from chipgate.location.meshcheck import check_mesh
    from chipgate.location.rttmesh import read_mesh

    try:
        _check_output(output, measurements, landmarks, mesh)
        known = read_mesh(landmarks, mesh)
        targets = read_targets(measurements, set(known.ids))
        borders = load_borders()
        flagged: dict[str, str] = {}
        bounds = None
        if mesh is not None:
            report = check_mesh(known, borders)
            flagged = {f.id: " / ".join(f.reasons) for f in report.flags}
            bounds = mesh_bounds(known, exclude=set(flagged))
        sites = {lm.id: lm for lm in mesh_landmarks(known)}
        results = assess_all(targets, sites, borders, bounds, flagged)
    except ChipgateError as exc:
        fail(exc)
    if fmt is OutputFormat.jsonl:
        _write(assessments_jsonl(results), output)
    else:
        _assess_table(results, output)
    if any(r.verdict in BREACHES or r.verdict is Verdict.INVALID for r in results):
        raise typer.Exit(EXIT_FINDINGS)


def _assess_table(results: list[Assessment], output: Path | None) -> None:
    from rich.table import Table

    table = Table(title=f"Location assessment ({len(results)} targets)")
    for column in ("target", "verdict", "region touches", "area km²"):
        table.add_column(column, no_wrap=True)
    table.add_column("reason", overflow="fold", min_width=60)
    for r in results:
        table.add_row(
            r.id,
            r.verdict.value,
            ", ".join(r.countries),
            f"{r.area_km2:,.0f}",
            r.reason,
        )
    _print(table, output)
