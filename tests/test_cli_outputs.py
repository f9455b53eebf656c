"""Every command's output option refuses a path it would destroy or not become.

README "Outputs": an output that is one of the command's inputs, a folder, a FIFO or
a symbolic link is refused with exit 2 and nothing done; a partitioned run's output
folder (``--executor dask``, a folder book) may not be a link, a file, an input or a
folder holding an input. Never a traceback, never an input overwritten.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipgate.cli.app import app

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

Command = Callable[[Path], tuple[list[str], list[Path]]]
"""Given a folder, the command line (``OUT`` where the output goes) and its inputs."""

OUT = "<out>"


def _file(folder: Path, name: str, text: str = "x\n") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _check(folder: Path) -> tuple[list[str], list[Path]]:
    book = _file(folder, "book.csv", (EXAMPLES / "orders.csv").read_text())
    mapping = _file(folder, "map.yaml", "columns: {}\n")
    args = ["check", str(book), "--mapping", str(mapping), "--format", "csv"]
    return [*args, "--no-screening", "--output", OUT], [book, mapping]


def _report(folder: Path) -> tuple[list[str], list[Path]]:
    book = _file(folder, "book.csv", (EXAMPLES / "orders.csv").read_text())
    mapping = _file(folder, "map.yaml", "columns: {}\n")
    args = ["report", str(book), "--mapping", str(mapping), "--no-screening"]
    return [*args, "-o", OUT], [book, mapping]


def _screen(folder: Path) -> tuple[list[str], list[Path]]:
    names = _file(folder, "names.csv", "name\nAcme\n")
    return ["screen", str(names), "--executor", "local", "--output", OUT], [names]


def _verify(folder: Path) -> tuple[list[str], list[Path]]:
    records = _file(folder, "records.jsonl", "{}\n")
    keys = _file(folder, "keys.json", "{}\n")
    calibration = _file(folder, "calibration.json", "{}\n")
    args = ["location", "verify", str(records), "--landmark-keys", str(keys)]
    args += ["--calibration", str(calibration), "--executor", "local"]
    return [*args, "--output", OUT], [records, keys, calibration]


def _mesh(folder: Path) -> tuple[list[str], list[Path]]:
    pings = _file(folder, "pings.csv")
    servers = _file(folder, "servers.csv")
    args = ["location", "mesh", "check", str(pings), str(servers)]
    return [*args, "--output", OUT], [pings, servers]


def _assess(folder: Path) -> tuple[list[str], list[Path]]:
    targets = _file(folder, "targets.jsonl", "{}\n")
    landmarks = _file(folder, "servers.csv")
    pings = _file(folder, "pings.csv")
    args = ["location", "assess", str(targets), "--landmarks", str(landmarks)]
    return [*args, "--mesh", str(pings), "--output", OUT], [targets, landmarks, pings]


def _audit_anchor(folder: Path) -> tuple[list[str], list[Path]]:
    return ["audit", "anchor", "-o", OUT], []


def _audit_export(folder: Path) -> tuple[list[str], list[Path]]:
    return ["audit", "export", "-o", OUT], []


FILE_COMMANDS: dict[str, Command] = {
    "check": _check,
    "report": _report,
    "screen": _screen,
    "location verify": _verify,
    "location mesh check": _mesh,
    "location assess": _assess,
    "audit anchor": _audit_anchor,
    "audit export": _audit_export,
}


def _dask_check(folder: Path) -> tuple[list[str], list[Path]]:
    book = _file(folder, "book.csv", (EXAMPLES / "orders.csv").read_text())
    args = ["check", str(book), "--executor", "dask", "--format", "jsonl"]
    return [*args, "--no-screening", "--output", OUT], [book]


def _folder_check(folder: Path) -> tuple[list[str], list[Path]]:
    books = folder / "books"
    books.mkdir()
    book = _file(books, "p0.csv", (EXAMPLES / "orders.csv").read_text())
    args = ["check", str(books), "--format", "jsonl", "--no-screening"]
    return [*args, "--output", OUT], [books, book]


def _on_dask(command: Command) -> Command:
    """``command`` with ``--executor dask``: its output is a dataset folder."""

    def on_dask(folder: Path) -> tuple[list[str], list[Path]]:
        args, inputs = command(folder)
        return ["dask" if a == "local" else a for a in args], inputs

    return on_dask


DATASET_COMMANDS: dict[str, Command] = {
    "check --executor dask": _dask_check,
    "check FOLDER": _folder_check,
    "screen --executor dask": _on_dask(_screen),
    "location verify --executor dask": _on_dask(_verify),
}


def _run(args: list[str], output: Path) -> tuple[int, str]:
    line = [str(output) if a == OUT else a for a in args]
    result = CliRunner().invoke(app, line, env={"COLUMNS": "2000"})
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{line}: {result.exception!r}"
    )
    return result.exit_code, " ".join(result.output.split())


def _snapshot(paths: list[Path]) -> dict[Path, bytes | None]:
    return {p: p.read_bytes() if p.is_file() else None for p in paths}


def _refused(command: Command, tmp_path: Path, output_of: str) -> tuple[str, Path]:
    args, inputs = command(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    target = _file(tmp_path, "target.out", "keep\n")
    link = tmp_path / "link.out"
    link.symlink_to(target)
    folder_link = tmp_path / "folder-link"
    folder_link.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "elsewhere").mkdir()
    outputs = {
        "folder": (tmp_path, "is a folder"),
        "fifo": (fifo, "not a regular file"),
        "symlink": (link, "symbolic link"),
        "folder symlink": (folder_link, "symbolic link"),
    }
    output, why = outputs[output_of]
    before = _snapshot([*inputs, target])
    code, text = _run(args, output)
    assert code == 2, text
    assert why in text, text
    assert "Traceback" not in text
    assert _snapshot([*inputs, target]) == before
    assert link.is_symlink()
    assert folder_link.is_symlink()
    return text, output


@pytest.mark.parametrize("name", FILE_COMMANDS)
@pytest.mark.parametrize("output_of", ["folder", "fifo", "symlink"])
def test_a_file_output_that_is_not_a_file_is_refused(
    name: str, output_of: str, tmp_path: Path
) -> None:
    _refused(FILE_COMMANDS[name], tmp_path, output_of)


@pytest.mark.parametrize(
    "name", [n for n in FILE_COMMANDS if not n.startswith("audit")]
)
def test_a_file_output_that_is_an_input_is_refused_and_the_input_kept(
    name: str, tmp_path: Path
) -> None:
    args, inputs = FILE_COMMANDS[name](tmp_path)
    for source in inputs:
        before = _snapshot(inputs)
        for given in (source, source.parent / "." / source.name):
            code, text = _run(args, given)
            assert code == 2, text
            assert "would lose the input" in text, text
            assert "Traceback" not in text
        assert _snapshot(inputs) == before


@pytest.mark.parametrize("name", DATASET_COMMANDS)
@pytest.mark.parametrize("output_of", ["fifo", "symlink", "folder symlink"])
def test_a_dataset_output_that_is_not_a_real_folder_is_refused(
    name: str, output_of: str, tmp_path: Path
) -> None:
    _refused(DATASET_COMMANDS[name], tmp_path, output_of)


@pytest.mark.parametrize("name", DATASET_COMMANDS)
def test_a_dataset_output_that_is_or_holds_an_input_is_refused(
    name: str, tmp_path: Path
) -> None:
    args, inputs = DATASET_COMMANDS[name](tmp_path)
    before = _snapshot(inputs)
    for output in {*inputs, tmp_path}:
        code, text = _run(args, output)
        assert code == 2, text
        assert "Traceback" not in text
        # a file inside a folder book is refused as a file
        assert "holds the input" in text or "this path is a file" in text, text
    assert _snapshot(inputs) == before


def test_a_customer_page_is_not_written_through_a_link_or_into_a_fifo(
    tmp_path: Path,
) -> None:
    target = _file(tmp_path, "target.html", "keep\n")
    link = tmp_path / "page.html"
    link.symlink_to(target)
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "customer-c1.html").symlink_to(target)
    for output, why in (
        (link, "symbolic link"),
        (fifo, "not a regular file"),
        (folder, "symbolic link"),
    ):
        code, text = _run(["customers", "report", "c1", "--output", OUT], output)
        assert code == 2, text
        assert why in text, text
    assert target.read_text() == "keep\n"
    assert link.is_symlink()
