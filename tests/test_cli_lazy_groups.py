"""The root builds a command group only when a command line names it, and nobody
can tell from the output."""

from __future__ import annotations

import pytest
import typer
from typer.main import get_command, get_group_from_info
from typer.testing import CliRunner

from chipgate.cli.app import app
from chipgate.cli.lazy_groups import LazyGroups, defer_groups, outline

TOP_LEVEL = {
    c.name or c.callback.__name__ for c in app.registered_commands if c.callback
}


def _root() -> LazyGroups:
    root = get_command(app)
    assert isinstance(root, LazyGroups)
    return root


def test_every_group_is_deferred() -> None:
    assert app.registered_groups == []
    assert {"ledger", "fleet", "keys", "cases", "lists", "usage"} <= set(
        _root().deferred
    )


def test_help_and_version_build_no_group() -> None:
    for args in (["--help"], ["version"]):
        root = _root()
        root.main(args, prog_name="chipgate", standalone_mode=False)
        assert set(root.commands) == TOP_LEVEL


def test_a_named_group_is_built_and_only_it() -> None:
    root = _root()
    root.main(["ledger", "--help"], prog_name="chipgate", standalone_mode=False)
    assert set(root.commands) == TOP_LEVEL | {"ledger"}
    assert "balances" in root.commands["ledger"].commands  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(_root().deferred))
def test_an_outline_shows_what_the_built_group_shows(name: str) -> None:
    root = _root()
    info = root.deferred[name]
    built = get_group_from_info(info, **root.build_settings)
    drawn = outline(info, root.rich_markup_mode)
    shown = ("name", "help", "short_help", "hidden", "deprecated", "rich_help_panel")
    assert {a: getattr(drawn, a) for a in shown} == {
        a: getattr(built, a) for a in shown
    }
    assert drawn.get_short_help_str(80) == built.get_short_help_str(80)


def test_root_help_lists_every_group_with_its_line() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "160"})
    assert result.exit_code == 0
    root = _root()
    for name, info in root.deferred.items():
        line = outline(info, root.rich_markup_mode).get_short_help_str(120)
        assert f"{name} " in result.output
        assert line in result.output


def test_a_mistyped_group_is_still_suggested() -> None:
    result = CliRunner().invoke(app, ["ledgr"])
    assert result.exit_code == 2
    assert "Did you mean 'ledger'" in result.output


def test_a_group_command_runs_as_before() -> None:
    result = CliRunner().invoke(app, ["keys", "--help"])
    assert result.exit_code == 0
    assert "create" in result.output


def test_an_unnamed_group_cannot_be_deferred() -> None:
    other = typer.Typer()
    other.add_typer(typer.Typer())
    with pytest.raises(ValueError, match="needs a name"):
        defer_groups(other)
