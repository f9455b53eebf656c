"""Root Typer application; each area registers its commands from its own module.

Exit codes: 0 success; 1 the command ran but found something the user must act on
(e.g. ``audit verify`` found tampering); 2 bad input or usage.
"""

from __future__ import annotations

import os

import typer

app = typer.Typer(
    name="chipgate",
    help="Export-control compliance engine for AI chips, AI compute and model weights.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(ctx: typer.Context) -> None:
    """Settings are read on first use (``context.settings_of``), once per run; the
    data folder is checked then (``context.build_settings``).

    Files chipgate creates are never writable by group or others (the data folder
    refuses such files), whatever the user's umask. Every command module imports its
    heavy libraries (Polars, SQLAlchemy, the screening index, FastAPI) inside the
    commands that use them, so that ``chipgate --help`` and ``chipgate version``
    start in a fraction of a second.
    """
    os.umask(os.umask(0o022) | 0o022)
    ctx.obj = None


def _register() -> None:
    """Attach each area's commands; one line per area keeps merges trivial."""
    from chipgate.cli import (
        diligence,
        engine_commands,
        ledger,
        location,
        screening,
        service,
    )

    engine_commands.register(app)
    ledger.register(app)
    screening.register(app)
    location.register(app)
    diligence.register(app)
    diligence.register_usage(app)
    service.register(app)


_register()


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
