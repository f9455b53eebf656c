"""Root Typer application; each area registers its commands from its own module.

Exit codes: 0 success; 1 the command ran but found something the user must act on
(e.g. ``audit verify`` found tampering); 2 bad input or usage.
"""

from __future__ import annotations

import os

import typer
from pydantic import ValidationError

from chipgate.cli.context import build_settings, fail
from chipgate.datadir import prepare_data_dir
from chipgate.errors import ChipgateError

app = typer.Typer(
    name="chipgate",
    help="Export-control compliance engine for AI chips, AI compute and model weights.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(ctx: typer.Context) -> None:
    """Build the settings once, check the data folder, hand them to every command.

    Files chipgate creates are never writable by group or others (the data folder
    refuses such files), whatever the user's umask.
    """
    os.umask(os.umask(0o022) | 0o022)
    try:
        settings = build_settings()
    except ValidationError as exc:
        fail(f"invalid CHIPGATE_ setting: {exc}")
    try:
        prepare_data_dir(settings.data_dir)
    except ChipgateError as exc:
        fail(exc)
    ctx.obj = settings


def _register() -> None:
    """Attach each area's commands; one line per area keeps merges trivial."""
    from chipgate.cli import engine_commands, ledger, location, screening

    engine_commands.register(app)
    ledger.register(app)
    screening.register(app)
    location.register(app)


_register()


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
