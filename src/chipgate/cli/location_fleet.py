"""Fleet registry commands: ``chipgate fleet register|list``.

Exit codes: 0 done; 2 bad input (a file registers whole or not at all).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chipgate.cli.context import console, fail, safe, settings_of
from chipgate.cli.formats import Format, FormatOption, chosen, emit
from chipgate.cli.location import registry_of
from chipgate.errors import ChipgateError, InputError

FLEET_COLUMNS = (
    "chip_id",
    "model",
    "owner",
    "licensed_country",
    "licensed_site",
    "license_ref",
    "public_key",
)

fleet_app = typer.Typer(
    help="The fleet registry of chips, keys, owners and licenses.", no_args_is_help=True
)


@fleet_app.command("register")
def fleet_register(
    ctx: typer.Context,
    file: Annotated[Path | None, typer.Option(help="CSV or JSONL of chips.")] = None,
    chip_id: Annotated[str | None, typer.Option()] = None,
    model: Annotated[
        str | None, typer.Option(help="Chip model (catalog name).")
    ] = None,
    public_key: Annotated[str | None, typer.Option(help="Base64 Ed25519 key.")] = None,
    owner: Annotated[str | None, typer.Option()] = None,
    country: Annotated[str | None, typer.Option(help="Licensed country (ISO).")] = None,
    site: Annotated[str | None, typer.Option(help="Licensed site.")] = None,
    license_ref: Annotated[str | None, typer.Option(help="License reference.")] = None,
    replace: Annotated[
        bool, typer.Option(help="Update chips already registered.")
    ] = False,
) -> None:
    """Register one chip by options, or many with ``--file``."""
    from chipgate.location.registry import ChipEntry, read_chip_file

    settings = settings_of(ctx)
    try:
        if file is not None:
            entries = read_chip_file(file)
        else:
            given = {
                "chip_id": chip_id,
                "model": model,
                "public_key": public_key,
                "owner": owner,
                "licensed_country": country,
                "licensed_site": site,
                "license_ref": license_ref,
            }
            missing = [k for k, v in given.items() if v is None]
            if missing:
                raise InputError.single(
                    "give --file, or every one of --chip-id --model --public-key "
                    f"--owner --country --site --license-ref (missing: {missing})"
                )
            entries = [ChipEntry.model_validate(given)]
        count = registry_of(settings).register(entries, replace=replace)
    except ChipgateError as exc:
        fail(exc)
    except ValueError as exc:
        fail(f"invalid chip: {exc}")
    except OSError as exc:
        fail(f"{file}: cannot be read: {exc.strerror or exc}")
    console.print(f"registered {count} chip(s)")


@fleet_app.command("list")
def fleet_list(
    ctx: typer.Context,
    fmt: FormatOption = Format.table,
    as_json: Annotated[
        bool, typer.Option("--json", help="Same as --format jsonl.", hidden=True)
    ] = False,
) -> None:
    """List registered chips."""
    chips = registry_of(settings_of(ctx)).chips()
    fmt = chosen(fmt, as_json, legacy=Format.jsonl)
    if fmt is not Format.table:
        emit(
            (
                {
                    "chip_id": chip.chip_id,
                    "model": chip.model,
                    "owner": chip.owner,
                    "licensed_country": chip.licensed_country,
                    "licensed_site": chip.licensed_site,
                    "license_ref": chip.license_ref,
                    "public_key": chip.public_key,
                }
                for chip in chips.values()
            ),
            fmt,
            FLEET_COLUMNS,
        )
        return
    from rich.table import Table

    table = Table(title=f"Fleet registry ({len(chips)} chips)")
    for column in ("chip", "model", "owner", "country", "site", "license"):
        table.add_column(column)
    for chip in chips.values():
        table.add_row(
            *(
                safe(value)
                for value in (
                    chip.chip_id,
                    chip.model,
                    chip.owner,
                    chip.licensed_country,
                    chip.licensed_site,
                    chip.license_ref,
                )
            )
        )
    console.print(table)
