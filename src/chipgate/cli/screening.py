"""Screening commands: ``screen`` (a name or a file of names) and ``lists``.

Exit codes: 0 no hit; 1 at least one hit (the user must act); 2 bad input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer

from chipgate.cli.context import EXIT_FINDINGS, console, fail, settings_of
from chipgate.errors import ChipgateError

if TYPE_CHECKING:
    from chipgate.facts import ScreeningHit
    from chipgate.screening.model import ListInfo
    from chipgate.screening.screener import Screener

# The screening index (rapidfuzz, ICU, Polars) loads inside each command, so that
# every other chipgate command starts without it.


def _hit_json(hit: ScreeningHit) -> dict[str, object]:
    return asdict(hit)


def _render_hits(name: str, hits: list[ScreeningHit]) -> None:
    if not hits:
        console.print(f"[green]No match[/] for {name!r}.")
        return
    from rich.table import Table

    table = Table(title=f"Matches for {name!r}", show_lines=True)
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
            hit.list_code,
            f"{hit.entry_id}\n{hit.entry_country or ''}",
            hit.matched_name,
            f"{hit.score:.3f}",
            "[bold red]HIT[/]" if hit.is_hit else "possible",
            legal.strip(),
        )
    console.print(table)
    for hit in hits:
        console.print(
            f"[dim]{hit.list_code} {hit.entry_id}: {hit.explanation}[/]",
            highlight=False,
        )


def _screen_file(
    screener: Screener,
    path: Path,
    output: Path | None,
    as_json: bool,
    column: str | None,
) -> bool:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TimeRemainingColumn,
    )

    from chipgate.screening.batch import read_parties, result_rows, write_results

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
        task = progress.add_task(f"screening {path.name}", total=len(parties))
        for hits in screener.screen_many(parties):
            results.append(list(hits))
            progress.advance(task)
    rows = list(result_rows(parties, results))
    if output is not None:
        write_results(output, rows)
        console.print(f"wrote {len(rows)} rows to {output}")
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
        from chipgate.screening.provider import load_screener

        settings = settings_of(ctx)
        try:
            screener = load_screener(settings)
            path = Path(target)
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
        from chipgate.screening.provider import load_screener

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
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Fetch new list files, build their index, then switch to them atomically."""
        from chipgate.screening.provider import update_lists

        settings = settings_of(ctx)
        try:
            with console.status("building the new index"):
                index = update_lists(settings.data_dir, origin or settings.lists_url)
        except ChipgateError as exc:
            fail(exc)
        _render_infos(index.infos, as_json)


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
    from rich.table import Table

    table = Table(title="Restricted-party lists")
    for column in ("list", "title", "entries", "date", "sha256 (main file)"):
        table.add_column(column)
    for info in rows:
        table.add_row(
            info.source,
            info.title,
            str(info.entries),
            info.list_date or "not given",
            info.sha256[:16],
        )
    console.print(table)
