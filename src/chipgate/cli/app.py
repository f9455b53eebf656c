"""Root Typer application; each area registers its commands from its own module.

Exit codes: 0 success; 1 the command ran but found something the user must act on
(e.g. ``audit verify`` found tampering); 2 bad input or usage.
"""

from __future__ import annotations

import os
from typing import Any

import typer
from typer.main import get_command_name

from chipgate.cli.lazy_groups import defer_groups

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
    commands that use them, and each group is built only when a command line names
    it (``lazy_groups``), so that ``chipgate --help`` and ``chipgate version`` start
    in a fraction of a second.
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


def _unset_flags(group: typer.Typer, root: bool = False) -> dict[str, Any]:
    """Click's ``default_map`` for ``group``: its help flag (and the root's completion
    flags) default to ``False``, for it and each of its commands and groups.

    Typer declares these flags with no default (``None``) and builds a pydantic
    adapter for every parameter whose value is not already a bool, pydantic's import
    included: about a third of the instructions ``chipgate version`` or
    ``chipgate --help`` executed. A ``False`` from the default map is a bool, so
    no adapter is built until a command has a parameter that needs one. Nothing a
    command sees changes: an absent flag was ``None`` and is ``False`` now, both
    meaning not given, and a given flag is ``True`` as before.
    """
    flags = ("help", "install_completion", "show_completion") if root else ("help",)
    defaults: dict[str, Any] = dict.fromkeys(flags, False)
    for command in group.registered_commands:
        if command.callback is not None:
            name = command.name or get_command_name(command.callback.__name__)
            defaults[name] = {"help": False}
    for sub in group.registered_groups:
        if sub.name and sub.typer_instance is not None:
            defaults[sub.name] = _unset_flags(sub.typer_instance)
    return defaults


_register()
app.info.context_settings = {"default_map": _unset_flags(app, root=True)}
defer_groups(app)


def main() -> None:
    """Console-script entry point.

    An error chipgate raised on purpose that no command caught (a store that refuses
    to open, say, when a migration names rows to correct) is printed plainly, exit
    2, rather than as a traceback.
    """
    from chipgate.errors import ChipgateError

    try:
        app()
    except ChipgateError as exc:
        from chipgate.cli.context import fail

        fail(exc)


if __name__ == "__main__":
    main()
