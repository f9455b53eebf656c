"""Shared helpers for commands: settings, console, error reporting."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console

from chipgate.errors import ChipgateError

if TYPE_CHECKING:
    from chipgate.settings import Settings

console = Console()
err_console = Console(stderr=True)

EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


def build_settings() -> Settings:
    """Read settings from the environment (on first use, not at start-up, so that
    ``--help`` and ``version`` stay fast); exit 2 on a bad one."""
    from chipgate.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"CHIPGATE_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
            for e in exc.errors()
        )
        fail(f"bad setting: {problems}")


def settings_of(ctx: typer.Context) -> Settings:
    """The settings of this invocation, read once and kept on the root context."""
    from chipgate.settings import Settings

    settings = ctx.obj if isinstance(ctx.obj, Settings) else None
    if settings is None:
        root = ctx.find_root()
        if not isinstance(root.obj, Settings):
            root.obj = build_settings()
        settings = root.obj
    return settings


def fail(error: ChipgateError | str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print an error plainly on stderr and exit with ``code``."""
    # soft-wrapped: the terminal folds long lines, so a path or a name copied from
    # the message never carries a line break rich inserted
    err_console.print(
        f"[bold red]error:[/] {error}", highlight=False, markup=True, soft_wrap=True
    )
    sys.exit(code)
