"""Screening commands: ``screen`` (a name or a file of names) and ``lists``.

Exit codes: 0 no hit; 1 at least one hit (the user must act); 2 bad input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

from chipgate.cli.context import EXIT_FINDINGS, console, fail, safe, settings_of
from chipgate.errors import ChipgateError
from chipgate.facts import ScreeningHit
from chipgate.orders.columns import MAX_NAME_LENGTH
from chipgate.outputs import check_output_path
from chipgate.screening.batch import read_parties, result_rows, write_results
from chipgate.screening.model import ListInfo
from chipgate.screening.provider import (
    active_lists_dir,
    load_index,
    load_screener,
    rollback_lists,
    update_lists,
)
from chipgate.screening.screener import Screener


def _hit_json(hit: ScreeningHit) -> dict[str, object]:
    return asdict(hit)


def _render_hits(name: str, hits: list[ScreeningHit]) -> None:
    if not hits:
        console.print(f"[green]No match[/] for {safe(repr(name))}.")
        return
    table = Table(title=f"Matches for {safe(repr(name))}", show_lines=True)
    for column in (
        "list",
        "entry",
        "matched name",
        "score",
        "hit",
        "license / footnotes",
    ):
        table.add_column(column)
    for hit in hits:
        legal = ""
        if hit.license_policy or hit.footnotes:
            notes = ", ".join(hit.footnotes) or "-"
            legal = "\n".join(
                (
                    hit.license_policy or "",
                    f"FDP footnote(s): {notes}",
                    hit.federal_register or "",
                )
            )
        table.add_row(
            safe(hit.list_code),
            safe(f"{hit.entry_id}\n{hit.entry_country or ''}"),
            safe(hit.matched_name),
            f"{hit.score:.3f}",
            "[bold red]HIT[/]" if hit.is_hit else "possible",
            safe(legal.strip()),
        )
    console.print(table)
    for hit in hits:
        console.print(
            f"[dim]{safe(hit.list_code)} {safe(hit.entry_id)}: {safe(hit.explanation)}[/]",
            highlight=False,
        )


def _screen_file(
    screener: Screener,
    path: Path,
    output: Path | None,
    as_json: bool,
    column: str | None,
) -> bool:
    parties = read_parties(path, column)
    results: list[list[ScreeningHit]] = []
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=as_json and output is None,
    ) as progress:
        task = progress.add_task(f"screening {safe(path.name)}", total=len(parties))
        for hits in screener.screen_many(parties):
            results.append(list(hits))
            progress.advance(task)
    rows = list(result_rows(parties, results))
    if output is not None:
        write_results(output, rows)
        console.print(f"wrote {len(rows)} rows to {safe(output)}")
    elif as_json:
        for row in rows:
            typer.echo(orjson.dumps(row).decode())
    else:
        flagged = sum(1 for hits in results if hits)
        hit_count = sum(1 for hits in results if any(h.is_hit for h in hits))
        console.print(
            f"{len(parties)} parties screened: {hit_count} with a hit, "
            f"{flagged - hit_count} with only possible matches"
        )
    return any(h.is_hit for hits in results for h in hits)


def register(app: typer.Typer) -> None:
    """Attach ``screen`` and ``lists`` to the root app."""

    @app.command()
    def screen(
        ctx: typer.Context,
        target: Annotated[
            str,
            typer.Argument(help="A party name, or a CSV/JSONL/Parquet file of names."),
        ],
        country: Annotated[
            str | None, typer.Option(help="ISO-2 country of the party.")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
        output: Annotated[
            Path | None, typer.Option(help="Write batch results (CSV/JSONL/Parquet).")
        ] = None,
        column: Annotated[
            str | None, typer.Option(help="Name column of a batch file.")
        ] = None,
    ) -> None:
        """Screen a party name, or a file of names, against the lists."""
        settings = settings_of(ctx)
        try:
            if len(target) > MAX_NAME_LENGTH:
                fail(
                    f"a name of {len(target)} characters, more than the "
                    f"{MAX_NAME_LENGTH} allowed"
                )
            path = Path(target)
            if output is not None:
                check_output_path(output, [path] if path.is_file() else [])
            screener = load_screener(settings)
            if path.is_file():
                found = _screen_file(screener, path, output, as_json, column)
            else:
                hits = list(screener.screen(target, country))
                if as_json:
                    typer.echo(orjson.dumps([_hit_json(h) for h in hits]).decode())
                else:
                    _render_hits(target, hits)
                found = any(h.is_hit for h in hits)
        except ChipgateError as exc:
            fail(exc)
        if found:
            raise typer.Exit(EXIT_FINDINGS)

    lists_app = typer.Typer(help="Show or update the restricted-party lists.")
    app.add_typer(lists_app, name="lists")

    @lists_app.callback(invoke_without_command=True)
    def lists(
        ctx: typer.Context,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Show the loaded lists: entries, dates and file hashes."""
        if ctx.invoked_subcommand is not None:
            return
        try:
            infos = load_screener(settings_of(ctx)).infos
        except ChipgateError as exc:
            fail(exc)
        _render_infos(infos, as_json)

    @lists_app.command("update")
    def update(
        ctx: typer.Context,
        origin: Annotated[
            str | None,
            typer.Option(
                "--from",
                help="Folder or URL with the list files (default: CHIPGATE_LISTS_URL, else the official URLs).",
            ),
        ] = None,
        allow_shrink: Annotated[
            bool,
            typer.Option(
                "--allow-shrink",
                help="Accept lists that lost more entries than CHIPGATE_LISTS_MAX_SHRINK allows.",
            ),
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Fetch new list files, check and index them, then switch to them atomically.

        Every list must be present and non-empty, and none may shrink by more than
        CHIPGATE_LISTS_MAX_SHRINK without --allow-shrink; the previous set is kept
        for 'lists rollback' (CHIPGATE_LISTS_KEEP sets in all).
        """
        settings = settings_of(ctx)
        try:
            with console.status("building the new index"):
                index = update_lists(
                    settings.data_dir,
                    origin or settings.lists_url,
                    allow_shrink=allow_shrink,
                    keep=settings.lists_keep,
                    max_shrink=settings.lists_max_shrink,
                )
        except ChipgateError as exc:
            fail(exc)
        _render_infos(index.infos, as_json)

    @lists_app.command("rollback")
    def rollback(
        ctx: typer.Context,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Switch back to the list set that was active before the last update."""
        settings = settings_of(ctx)
        try:
            rollback_lists(settings.data_dir)
            folder = active_lists_dir(settings.data_dir, None)
            infos = load_index(folder, settings.data_dir).infos
        except ChipgateError as exc:
            fail(exc)
        _render_infos(infos, as_json)


def _render_infos(rows: Sequence[ListInfo], as_json: bool) -> None:
    if as_json:
        payload = [
            {
                "source": i.source,
                "title": i.title,
                "entries": i.entries,
                "list_date": i.list_date,
                "files": [
                    {"path": f.path, "sha256": f.sha256, "size": f.size}
                    for f in i.files
                ],
            }
            for i in rows
        ]
        typer.echo(orjson.dumps(payload).decode())
        return
    table = Table(title="Restricted-party lists")
    for column in ("list", "title", "entries", "date", "sha256 (main file)"):
        table.add_column(column)
    for info in rows:
        table.add_row(
            safe(info.source),
            safe(info.title),
            str(info.entries),
            safe(info.list_date or "not given"),
            info.sha256[:16],
        )
    console.print(table)
