"""Screening commands: ``screen`` (a name or a file of names) and ``lists``.

Exit codes: 0 no hit; 1 at least one hit (the user must act); 2 bad input.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer

from chipgate.cli.context import (
    EXIT_FINDINGS,
    console,
    day_option,
    err_console,
    fail,
    safe,
    settings_of,
)
from chipgate.cli.formats import Format, FormatOption, chosen, emit
from chipgate.errors import ChipgateError, InputError
from chipgate.limits import PARTY_NAME_MAX
from chipgate.outputs import check_dataset_path, check_output_path

if TYPE_CHECKING:
    from chipgate.facts import ScreeningHit
    from chipgate.screening.index import ScreeningIndex
    from chipgate.screening.model import ListInfo
    from chipgate.screening.screener import Screener
    from chipgate.settings import Settings

OUTPUT_FORMATS = ("table", "json", "jsonl", "csv")
SMALL_FILE = 256 * 1024
PARTY_TYPES = {"person": "individual", "individual": "individual", "entity": "entity"}
NEAR = "near miss"
PATH_SUFFIXES = {".csv", ".jsonl", ".parquet", ".txt", ".json", ".xlsx", ".tsv"}
"""Suffixes that make a screen target a file (the batch formats and their kin)."""


def default_workers() -> int:
    """Processes for a batch file: the cores this process may use, at most 4."""
    return max(
        1,
        min(
            4,
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else os.cpu_count() or 1,
        ),
    )


def looks_like_path(target: str) -> bool:
    """Whether a screen target is meant as a file (a separator or a file suffix).

    >>> looks_like_path("parties.csv"), looks_like_path("Huawei Technologies Co.")
    (True, False)
    """
    if "/" in target or "\\" in target:
        return True
    suffix = Path(target).suffix.lower()
    return suffix in PATH_SUFFIXES


def _row(hit: ScreeningHit, status: str) -> dict[str, Any]:
    data = asdict(hit)
    data["status"] = status
    return data


def _status(hit: ScreeningHit) -> str:
    from chipgate.screening.batch import HIT, POSSIBLE

    return HIT if hit.is_hit else POSSIBLE


def _render_hits(
    name: str, hits: Sequence[ScreeningHit], near: Sequence[ScreeningHit]
) -> None:
    if not hits:
        console.print(f"[green]No match[/] for {safe(repr(name))}.")
    else:
        from rich.table import Table

        table = Table(title=f"Matches for {safe(repr(name))}", show_lines=True)
        for column in (
            "list",
            "entry",
            "matched name",
            "score",
            "hit",
            "license / listing",
        ):
            table.add_column(column)
        for hit in hits:
            legal = [hit.license_policy or ""]
            if hit.footnotes:
                legal.append(f"FDP footnote(s): {', '.join(hit.footnotes)}")
            legal.append(hit.federal_register or "")
            if hit.listed_from:
                legal.append(f"listed from {hit.listed_from}")
            table.add_row(
                safe(hit.list_code),
                safe(f"{hit.entry_id}\n{hit.entry_country or ''}"),
                safe(hit.matched_name),
                f"{hit.score:.3f}",
                "[bold red]HIT[/]" if hit.is_hit else "possible",
                safe("\n".join(p for p in legal if p)),
            )
        console.print(table)
        for hit in hits:
            console.print(
                f"[dim]{safe(hit.list_code)} {safe(hit.entry_id)}: "
                f"{safe(hit.explanation)}[/]",
                highlight=False,
            )
    for miss in near:
        console.print(
            "near miss (below the review threshold, not a finding): "
            f"{safe(miss.list_code)} {safe(miss.entry_id)} "
            f"{safe(repr(miss.matched_name))} score {miss.score:.3f}",
            highlight=False,
        )


def _keep(hit: ScreeningHit, lists: set[str], kinds: set[str]) -> bool:
    """Whether ``--list`` and ``--type`` keep ``hit``. An entry whose list
    states no type (the Entity List's, the DPL's, the UVL's ... in the CSL) is
    kept by either type: filtered out, ``--type entity`` dropped every Entity
    List hit."""
    if lists and hit.list_code not in lists:
        return False
    return not kinds or not hit.entry_kind or hit.entry_kind in kinds


def _check_list_codes(codes: set[str], screener: Screener) -> None:
    """Fail on a ``--list`` code no loaded list has: a typo would otherwise
    filter every match away and answer "No match"."""
    known = {entry.list_code for entry in screener.index.entries}
    unknown = sorted(codes - known)
    if unknown:
        fail(
            f"--list: no loaded list has the code(s) {', '.join(unknown)}; "
            f"the codes are {', '.join(sorted(known))}"
        )


def _country_code(country: str | None) -> str | None:
    """``--country`` in capitals, or a failure when it is no ISO 3166 alpha-2
    code (a country the matcher cannot compare would be ignored silently)."""
    if country is None:
        return None
    from chipgate.countries.registry import iso_code, not_an_iso_code

    code = iso_code(country)
    if code is None:
        fail(f"--country: {not_an_iso_code(country)}")
    return code


def _parse_filters(
    lists: str | None, party_type: str | None
) -> tuple[set[str], set[str]]:
    codes = {c.strip().upper() for c in (lists or "").split(",") if c.strip()}
    kinds = set()
    for word in (party_type or "").split(","):
        word = word.strip().lower()
        if not word:
            continue
        if word not in PARTY_TYPES:
            fail(f"--type: {word!r} is not person or entity")
        kinds.add(PARTY_TYPES[word])
    return codes, kinds


def _write_single(
    output: Path, name: str, country: str | None, hits: Sequence[ScreeningHit]
) -> None:
    """A single name's result as a batch of one row writes it (its columns, one
    row per match), so ``--output`` keeps the screening record for a name too."""
    from chipgate.screening.batch import ResultWriter, result_names

    row: dict[str, Any] = {"name": name, "country": country}
    with ResultWriter(list(row), path=output) as writer:
        writer.write_result(row, name, hits, result_names(list(row)))


def _screen_file(
    screener: Screener,
    path: Path,
    output: Path | None,
    fmt: str,
    column: list[str] | None,
    as_of: date | None,
    filters: tuple[set[str], set[str]],
    workers: int = 1,
    executor: tuple[str, Settings] | None = None,
) -> Counter[str]:
    from chipgate.screening.batch import (
        ResultWriter,
        open_parties,
        result_names,
    )

    parties = open_parties(path, column)
    if len(parties.name_columns) > 1:
        err_console.print(
            f"screening each of the columns {', '.join(parties.name_columns)}: one "
            "result per party, the column it came from in 'screen_column'"
        )
    if path.stat().st_size < SMALL_FILE:
        workers = 1  # starting processes costs more than it saves
    counts: Counter[str] = Counter()

    def screened() -> Iterator[tuple[dict[str, Any], str, Sequence[ScreeningHit]]]:
        from chipgate.screening.batch import screen_rows

        if executor is None or executor[0] == "local":
            yield from screen_rows(screener, parties, as_of, workers)
            return
        from chipgate.executors import make_executor
        from chipgate.executors.screen_job import screen_rows_on

        name, settings = executor
        runner = make_executor(
            name, settings.dask_scheduler, settings.dask_local_workers
        )
        try:
            yield from screen_rows_on(runner, settings, parties, as_of)
        finally:
            runner.close()

    def results() -> Iterator[tuple[dict[str, Any], str, Sequence[ScreeningHit]]]:
        from chipgate.screening.batch import status_of

        for row, name, found in screened():
            hits = [h for h in found if _keep(h, *filters)]
            counts[status_of(hits, name)] += 1
            yield row, name, hits

    if output is None and fmt == "table":
        for _ in results():
            pass
        return counts
    kind = {"csv": ".csv", "json": ".jsonl", "jsonl": ".jsonl"}.get(fmt, ".jsonl")
    if output is not None and executor is not None and executor[0] != "local":
        from chipgate.executors.screen_job import write_screened

        write_screened(
            output,
            parties.columns,
            results(),
            suffix=kind,
            manifest={"input": str(path), "executor": executor[0], "as_of": as_of},
        )
        return counts
    writer = ResultWriter(parties.columns, path=output, stream=sys.stdout, kind=kind)
    names = result_names(parties.columns)
    with writer:
        for row, name, hits in results():
            writer.write_result(row, name, hits, names)
    return counts


def _summary(counts: Counter[str]) -> str:
    from chipgate.screening.batch import HIT, NO_NAME, POSSIBLE

    total = sum(counts.values()) - counts[NO_NAME]
    unnamed = (
        f"; {counts[NO_NAME]} row(s) without a name, not screened (status '{NO_NAME}')"
        if counts[NO_NAME]
        else ""
    )
    return (
        f"{total} parties screened: {counts[HIT]} with a hit, "
        f"{counts[POSSIBLE]} with only possible matches, "
        f"{total - counts[HIT] - counts[POSSIBLE]} with no match{unnamed}"
    )


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
        fmt: Annotated[
            str, typer.Option("--format", help="table, json, jsonl or csv")
        ] = "table",
        as_json: Annotated[
            bool, typer.Option("--json", help="Deprecated: same as --format json.")
        ] = False,
        output: Annotated[
            Path | None,
            typer.Option(
                help="Write the results (CSV/JSONL/Parquet, by suffix) to this file."
            ),
        ] = None,
        column: Annotated[
            list[str] | None,
            typer.Option(
                help="Name column of a batch file; repeat it for several (default: "
                "every one of name, party, consignee, end_user the file has)."
            ),
        ] = None,
        as_of: Annotated[
            str | None,
            typer.Option(
                "--as-of",
                help="Screen against the lists as they stood on this date (YYYY-MM-DD).",
            ),
        ] = None,
        lists: Annotated[
            str | None,
            typer.Option("--list", help="Only these list codes (EL,SDN,...)."),
        ] = None,
        party_type: Annotated[
            str | None,
            typer.Option(
                "--type",
                help="Only listed persons or entities (entries whose list states "
                "no type, as the Entity List's, are kept).",
            ),
        ] = None,
        workers: Annotated[
            int,
            typer.Option(
                help="Processes screening a file (default: the machine's cores, at most 4)."
            ),
        ] = 0,
        executor: Annotated[
            str | None,
            typer.Option(
                "--executor",
                help="local or dask (CHIPGATE_EXECUTOR): where a file's names are "
                "screened; dask writes --output as a dataset folder of parts",
            ),
        ] = None,
    ) -> None:
        """Screen a party name, or a file of names, against the lists."""
        from chipgate.screening.batch import HIT
        from chipgate.screening.provider import load_screener

        settings = settings_of(ctx)
        fmt = "json" if as_json else fmt
        if fmt not in OUTPUT_FORMATS:
            fail(f"--format: {fmt!r} is not one of {', '.join(OUTPUT_FORMATS)}")
        day = day_option(as_of)
        filters = _parse_filters(lists, party_type)
        country = _country_code(country)
        path = Path(target)
        try:
            is_file = path.is_file()
        except OSError:  # a name longer than a file name may be
            is_file = False
        if not is_file and not target.strip():
            # "No match for ''" read as a party found on no list
            fail("the name to screen is empty")
        if not is_file and len(target) > PARTY_NAME_MAX:
            fail(
                f"a name of {len(target)} characters, more than the "
                f"{PARTY_NAME_MAX} allowed"
            )
        if not is_file and looks_like_path(target):
            fail(
                InputError.single(
                    "no such file (a name that looks like a path is not screened)",
                    source=target,
                )
            )
        on_cluster = (executor or settings.executor) != "local" and is_file
        try:
            # on a cluster the output is a dataset folder (executors.dataset)
            if output is not None:
                check = check_dataset_path if on_cluster else check_output_path
                check(output, [path] if is_file else [])
                if not on_cluster:
                    from chipgate.screening.batch import file_format

                    file_format(output)  # a type we cannot write: before any work
            screener = load_screener(settings)
            _check_list_codes(filters[0], screener)
            on = day or datetime.now(UTC).date()
            basis = f"screened as of {on}; lists: {', '.join(screener.lists_used)}"
            if is_file:
                counts = _screen_file(
                    screener,
                    path,
                    output,
                    fmt,
                    column,
                    day,
                    filters,
                    workers or default_workers(),
                    (executor or settings.executor, settings),
                )
                if output is not None:
                    err_console.print(f"wrote results to {safe(output)}")
                shown = console if fmt == "table" else err_console
                shown.print(_summary(counts))
                shown.print(f"[dim]{safe(basis)}[/]", highlight=False)
                found = counts[HIT] > 0
            else:
                hits = [
                    h
                    for h in screener.screen(target, country, day)
                    if _keep(h, *filters)
                ]
                near = [
                    h
                    for h in screener.near_misses(
                        target, country, day, settings.screening_near_miss, hits
                    )
                    if _keep(h, *filters)
                ]
                _print_single(target, hits, near, fmt, basis)
                if output is not None:
                    _write_single(output, target, country, hits)
                    err_console.print(f"wrote the result to {safe(output)}")
                found = any(h.is_hit for h in hits)
        except ChipgateError as exc:
            fail(exc)
        if found:
            raise typer.Exit(EXIT_FINDINGS)

    lists_app = typer.Typer(help="Show or update the restricted-party lists.")
    app.add_typer(lists_app, name="lists")

    @lists_app.callback(invoke_without_command=True)
    def lists_command(
        ctx: typer.Context,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
        fmt: FormatOption = Format.table,
    ) -> None:
        """Show the loaded lists: entries, dates, age and file hashes."""
        from chipgate.screening.provider import load_screener

        if ctx.invoked_subcommand is not None:
            return
        settings = settings_of(ctx)
        try:
            infos = load_screener(settings).infos
        except ChipgateError as exc:
            fail(exc)
        _render_infos(infos, chosen(fmt, as_json), settings)

    @lists_app.command("update")
    def update(
        ctx: typer.Context,
        source: Annotated[
            str | None,
            typer.Argument(
                help="A list file or URL (CSL JSON/CSV, OFAC SDN XML/CSV, OFAC non-SDN CSV (cons_prim.csv), UN XML, OpenSanctions FtM JSON, the Entity List changes CSV of el-history); format read from its content.",
            ),
        ] = None,
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
        from chipgate.screening.provider import active_lists_dir, update_lists

        settings = settings_of(ctx)
        try:
            current = active_lists_dir(settings.data_dir, settings.lists_dir)
        except ChipgateError:
            current = None
        try:
            with console.status("building the new index"):
                index = update_lists(
                    settings.data_dir,
                    source or origin or settings.lists_url,
                    current,
                    allow_shrink=allow_shrink,
                    keep=settings.lists_keep,
                    max_shrink=settings.lists_max_shrink,
                )
        except ChipgateError as exc:
            fail(exc)
        _render_infos(index.infos, chosen(Format.table, as_json), settings)
        rescreen_register_after_update(settings, index, as_json)

    @lists_app.command("rollback")
    def rollback(
        ctx: typer.Context,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Switch back to the list set that was active before the last update."""
        from chipgate.screening.provider import (
            active_lists_dir,
            load_index,
            rollback_lists,
        )

        settings = settings_of(ctx)
        try:
            rollback_lists(settings.data_dir)
            folder = active_lists_dir(settings.data_dir, None)
            index = load_index(folder, settings.data_dir)
        except ChipgateError as exc:
            fail(exc)
        _render_infos(index.infos, chosen(Format.table, as_json), settings)
        rescreen_register_after_update(settings, index, as_json)


def rescreen_register_after_update(
    settings: Settings, index: ScreeningIndex, as_json: bool
) -> None:
    """Call-out at the end of a successful ``lists update`` (or ``lists rollback``):
    re-screen the customer register against the lists just made active (the delta
    only), print the alerts."""
    from chipgate.diligence.api import after_lists_update

    try:
        summary = after_lists_update(settings, index)
    except ChipgateError as exc:
        fail(exc)
    if summary is None or summary.run_id is None:
        return
    text = (
        f"customer register re-screened (run {summary.run_id}): list change "
        f"+{summary.added} -{summary.removed} ~{summary.changed}; "
        f"{summary.new_hits} new hit(s), {summary.cleared_hits} cleared"
    )
    if as_json:
        err_console.print(text, highlight=False)
    else:
        console.print(text, highlight=False)


def _print_single(
    name: str,
    hits: Sequence[ScreeningHit],
    near: Sequence[ScreeningHit],
    fmt: str,
    basis: str = "",
) -> None:
    """One name's matches and near misses in ``fmt``; a table ends with
    ``basis``, the date and the lists it was screened on (a "No match" says
    nothing without them)."""
    from chipgate.screening.batch import ResultWriter

    rows = [_row(h, _status(h)) for h in hits] + [_row(h, NEAR) for h in near]
    if fmt == "table":
        _render_hits(name, hits, near)
        if basis:
            console.print(f"[dim]{safe(basis)}[/]", highlight=False)
    elif fmt == "json":
        typer.echo(orjson.dumps(rows).decode())
    elif fmt == "jsonl":
        for row in rows:
            typer.echo(orjson.dumps(row).decode())
    else:
        writer = ResultWriter([], stream=sys.stdout, kind=".csv")
        with writer:
            for row in rows:
                row["footnotes"] = ",".join(row["footnotes"])
                row["query"] = name
                writer.write(row)


def _render_infos(rows: Sequence[ListInfo], fmt: Format, settings: Settings) -> None:
    """The lists as a table or records; ``stale`` is true unless a list is known
    to be fresh (a list of no date, or dated in the future, was ``false``), with
    the ``warning`` that says why, as ``GET /lists`` gives them."""
    from chipgate.screening.freshness import staleness

    today = datetime.now(UTC).date()
    warned = {i.source: staleness(i, settings, today) for i in rows}
    warnings = [w for w in warned.values() if w is not None]
    if fmt is not Format.table:
        payload = [
            {
                "source": i.source,
                "title": i.title,
                "entries": i.entries,
                "changes": i.changes,
                "list_date": i.list_date,
                "age_days": i.age_days(today),
                "stale": warned[i.source] is not None,
                "warning": warned[i.source],
                "files": [
                    {"path": f.path, "sha256": f.sha256, "size": f.size}
                    for f in i.files
                ],
            }
            for i in rows
        ]
        emit(payload, fmt)
    else:
        from rich.table import Table

        table = Table(title="Restricted-party lists")
        for column in (
            "list",
            "title",
            "entries",
            "date",
            "age (days)",
            "sha256 (main file)",
        ):
            table.add_column(column)
        for info in rows:
            age = info.age_days(today)
            table.add_row(
                safe(info.source),
                safe(info.title),
                info.counted,
                safe(info.list_date or "not given"),
                "?" if age is None else str(age),
                info.sha256[:16],
            )
        console.print(table)
    for warning in warnings:
        err_console.print(f"[yellow]warning:[/] {safe(warning)}", highlight=False)
