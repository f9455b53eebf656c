"""The root command group builds each sub-group (``ledger``, ``fleet``, ...) when a
command line names it, not at start-up.

Typer turns every command of every group into a click command before it parses a
single argument, reading each function's signature and evaluating its annotations:
for chipgate's eighty-odd grouped commands that was a tenth of what ``chipgate
--help`` or ``chipgate version`` cost. A command line names at most one group, and
the root's help needs of each group only what its line shows (name, help, panel,
flags), which ``outline`` reads from the group's Typer settings without touching a
signature. Every other path (running a command, a group's own help, an unknown
command's suggestions, shell completion) gets the group built whole, exactly as
Typer builds it.
"""

from __future__ import annotations

from typing import Any, ClassVar

import typer
from typer.core import TyperGroup
from typer.main import get_group_from_info, solve_typer_info_defaults
from typer.models import TyperInfo


class LazyGroups(TyperGroup):
    """A ``TyperGroup`` whose sub-groups come from ``deferred`` on first use.

    Typer instantiates the root group itself, with its own keyword arguments, so the
    deferred groups and the settings to build them with live on a subclass made for
    one app by ``defer_groups``.
    """

    deferred: ClassVar[dict[str, TyperInfo]] = {}
    build_settings: ClassVar[dict[str, Any]] = {}
    _outlining: bool = False

    def list_commands(self, ctx: Any) -> list[str]:
        """Registration order, as Typer lists: the root's commands, then its groups."""
        later = [name for name in self.deferred if name not in self.commands]
        return [*self.commands, *later]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        built = self.commands.get(cmd_name)
        if built is not None:
            return built
        info = self.deferred.get(cmd_name)
        if info is None:
            return None
        if self._outlining:
            return outline(info, self.rich_markup_mode)
        group = get_group_from_info(info, **self.build_settings)
        self.commands[cmd_name] = group
        return group

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """A name that is no command has every group built first, so the "did you
        mean" suggestions weigh all of them, as they did when all were built."""
        if args and args[0] not in self.commands and args[0] not in self.deferred:
            for name in self.deferred:
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The help lists each group by its outline; nothing else sees an outline."""
        self._outlining = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._outlining = False


def outline(info: TyperInfo, rich_markup_mode: Any) -> TyperGroup:
    """The group as a help line sees it: name, help, short help, panel and flags,
    resolved by Typer's own precedence (``add_typer`` over callback over instance),
    without its commands or parameters."""
    solved = solve_typer_info_defaults(info)
    return TyperGroup(
        name=solved.name or "",
        help=solved.help,
        short_help=solved.short_help,
        hidden=solved.hidden,
        deprecated=solved.deprecated,
        rich_help_panel=solved.rich_help_panel,
        rich_markup_mode=rich_markup_mode,
    )


def defer_groups(app: typer.Typer) -> None:
    """Move ``app``'s registered groups into a ``LazyGroups`` root made for it.

    Call it after every area has registered; anything that walks
    ``app.registered_groups`` (the default map of ``app._unset_flags``) must run
    before it.
    """
    deferred = {info.name: info for info in app.registered_groups if info.name}
    if len(deferred) != len(app.registered_groups):
        raise ValueError("every group added to the root needs a name to be deferred")
    root = type(
        "DeferredRoot",
        (LazyGroups,),
        {
            "deferred": deferred,
            "build_settings": {
                "pretty_exceptions_short": app.pretty_exceptions_short,
                "rich_markup_mode": app.rich_markup_mode,
                "suggest_commands": app.suggest_commands,
            },
        },
    )
    app.info.cls = root
    app.registered_groups = []
