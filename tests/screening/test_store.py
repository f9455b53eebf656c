"""Nothing planted is trusted, and list updates cannot shrink silently.

The list store (sets, blobs, pointer, index cache) is checked against the bytes it
claims to hold; updates refuse missing, empty and shrunk lists; the previous set is
kept for rollback; old sets are pruned; killed updates leave nothing behind.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import stat
from pathlib import Path

import orjson
import platformdirs
import pytest
from typer.testing import CliRunner

from chipgate.cli.app import app
from chipgate.datadir import check_private
from chipgate.errors import InputError
from chipgate.screening.cache import MAGIC, encode
from chipgate.screening.provider import (
    active_lists_dir,
    cache_key,
    cache_name,
    list_hashes,
    load_index,
    load_screener,
    update_lists,
)
from chipgate.screening.store import read_pointer
from chipgate.settings import Settings

from .conftest import FIXTURE_LISTS

SRC = Path(__file__).resolve().parents[2] / "src"


def _copy(tmp_path: Path, name: str = "copy") -> Path:
    folder = tmp_path / name
    shutil.copytree(FIXTURE_LISTS, folder)
    return folder


def test_no_pickle_marshal_or_shelve_in_the_package() -> None:
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for word in (
            "import pickle",
            "import marshal",
            "import shelve",
            "pickle.loads",
        ):
            assert word not in text, f"{path} uses {word}"


def test_default_data_dir_is_the_users_data_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CHIPGATE_DATA_DIR")
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert settings.data_dir == platformdirs.user_data_path("chipgate", appauthor=False)
    assert settings.data_dir.is_absolute()
    assert not str(settings.data_dir).startswith(str(tmp_path))
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "mine"))
    assert Settings().data_dir == tmp_path / "mine"


def test_a_planted_pickle_cache_is_never_executed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    marker = tmp_path / "pwned"

    class Boom:
        def __reduce__(self) -> tuple[object, ...]:
            return (os.system, (f"touch {marker}",))

    cache = data / "screening" / cache_name(cache_key(FIXTURE_LISTS))
    cache.parent.mkdir(parents=True)
    cache.write_bytes(pickle.dumps(Boom()))
    notes: list[str] = []
    index = load_index(FIXTURE_LISTS, data, notes)
    assert not marker.exists()
    assert index.name_text
    assert "rebuilt" in notes[0]
    assert cache.read_bytes().startswith(MAGIC)


def test_a_cache_built_from_other_lists_is_rebuilt(tmp_path: Path) -> None:
    data = tmp_path / "data"
    other = _copy(tmp_path)
    (other / "bis" / "dpl.txt").write_text(
        (FIXTURE_LISTS / "bis" / "dpl.txt").read_text(encoding="utf-8")
        + '"PLANTED NAME"\t""\t""\t""\t"US"\t""\t""\t""\t""\t""\t""\t""\n',
        encoding="utf-8",
    )
    forged = load_index(other, None)
    key = cache_key(FIXTURE_LISTS)
    cache = data / "screening" / cache_name(key)
    cache.parent.mkdir(parents=True)
    # header claims the right files, the index inside was built from other ones
    cache.write_bytes(encode(forged, {"key": key, "files": list_hashes(FIXTURE_LISTS)}))
    notes: list[str] = []
    index = load_index(FIXTURE_LISTS, data, notes)
    assert "PLANTED NAME" not in index.name_text
    assert "other list files" in notes[0]


def test_a_planted_pointer_to_another_folder_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "screening").mkdir(parents=True)
    (data / "screening" / "active.json").write_bytes(
        orjson.dumps({"lists_dir": str(_copy(tmp_path))})
    )
    with pytest.raises(InputError, match="active-lists pointer"):
        active_lists_dir(data, FIXTURE_LISTS)


def test_a_list_changed_after_activation_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    update_lists(data, str(FIXTURE_LISTS))
    active = active_lists_dir(data, None)
    target = active / "ofac" / "sdn.csv"
    target.chmod(0o600)
    target.write_text('999,"SOMEONE ELSE",-0- ,"X"\n', encoding="utf-8")
    with pytest.raises(
        InputError, match="changed after its set was activated"
    ) as caught:
        load_screener(Settings(data_dir=data, lists_dir=None))
    assert caught.value.problems[0].source == str(target)


def test_a_pointer_swapping_in_edited_hashes_still_needs_a_set_of_the_store(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    update_lists(data, str(FIXTURE_LISTS))
    pointer = json.loads((data / "screening" / "active.json").read_text())
    pointer["lists_dir"] = "../../elsewhere"
    (data / "screening" / "active.json").write_text(json.dumps(pointer))
    with pytest.raises(InputError, match="not a list set of this store"):
        active_lists_dir(data, None)


@pytest.mark.parametrize("where", ["folder", "file"])
def test_a_data_dir_writable_by_others_is_refused(tmp_path: Path, where: str) -> None:
    data = tmp_path / "data"
    update_lists(data, str(FIXTURE_LISTS))
    target = data if where == "folder" else data / "screening" / "active.json"
    target.chmod(target.stat().st_mode | stat.S_IWOTH)
    with pytest.raises(InputError, match="chmod") as caught:
        check_private(data)
    assert caught.value.problems[0].source == str(target)
    result = CliRunner().invoke(
        app, ["screen", "Acme"], env={"CHIPGATE_DATA_DIR": str(data)}
    )
    assert result.exit_code == 2
    assert "other users can write" in result.output
    assert "Traceback" not in result.output


def test_update_refuses_a_folder_without_every_list(tmp_path: Path) -> None:
    data = tmp_path / "data"
    update_lists(data, str(FIXTURE_LISTS))
    before = read_pointer(data)
    only_bis = tmp_path / "only-bis"
    (only_bis / "bis").mkdir(parents=True)
    shutil.copy(FIXTURE_LISTS / "bis" / "dpl.txt", only_bis / "bis" / "dpl.txt")
    with pytest.raises(InputError) as caught:
        update_lists(data, str(only_bis))
    sources = {p.source for p in caught.value.problems}
    assert str(only_bis / "ofac" / "sdn.csv") in sources
    assert str(only_bis / "un" / "consolidated.xml") in sources
    assert read_pointer(data) == before


@pytest.mark.parametrize(
    ("rel", "keep_lines"),
    [("ofac/sdn.csv", 0), ("csl/consolidated-2022.csv", 1), ("bis/dpl.txt", 1)],
)
def test_update_refuses_empty_or_header_only_lists(
    tmp_path: Path, rel: str, keep_lines: int
) -> None:
    data = tmp_path / "data"
    update_lists(data, str(FIXTURE_LISTS))
    before = read_pointer(data)
    folder = _copy(tmp_path)
    lines = (folder / rel).read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / rel).write_text("".join(lines[:keep_lines]), encoding="utf-8")
    with pytest.raises(InputError, match=r"no entries|empty") as caught:
        update_lists(data, str(folder))
    assert caught.value.problems[0].source == str(folder / rel)
    assert read_pointer(data) == before


EL_HISTORY_HEADER = "name,action,federal_register,published,effective\n"


def _with_history(tmp_path: Path, rows: str) -> Path:
    """The fixture lists with an Entity List change history of ``rows``."""
    folder = _copy(tmp_path)
    (folder / "el-history").mkdir()
    (folder / "el-history" / "entity_list_additions.csv").write_text(
        EL_HISTORY_HEADER + rows, encoding="utf-8"
    )
    return folder


def test_a_change_history_of_additions_alone_is_no_empty_list(
    tmp_path: Path,
) -> None:
    # el-history makes entries of removed parties only: its additions date the
    # other lists' entries, so a history without removals has rows, no entries
    data = tmp_path / "data"
    folder = _with_history(
        tmp_path,
        "140 Example Repair Plant JSC,add,87 FR 20299,2022-04-08,2022-04-07\n"
        "Huawei Example Cloud Co.,add,84 FR 43495,2019-08-21,2019-08-19\n",
    )
    index = update_lists(data, str(folder))
    (info,) = [i for i in index.infos if i.source == "el-history"]
    assert (info.entries, info.changes, info.size) == (0, 2, 2)
    assert info.counted == "0 (2 changes)"
    assert read_pointer(data).counts["el-history"] == 2  # type: ignore[union-attr]
    listed = CliRunner().invoke(
        app, ["lists", "--json"], env={"CHIPGATE_DATA_DIR": str(data)}
    )
    assert listed.exit_code == 0, listed.output
    shown = {i["source"]: i for i in json.loads(listed.stdout)}
    assert (shown["el-history"]["entries"], shown["el-history"]["changes"]) == (0, 2)
    assert shown["bis-dpl"]["changes"] is None


def test_a_header_only_change_history_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    update_lists(data, str(FIXTURE_LISTS))
    before = read_pointer(data)
    folder = _with_history(tmp_path, "")
    with pytest.raises(InputError, match="has no changes") as caught:
        update_lists(data, str(folder))
    assert caught.value.problems[0].source == str(
        folder / "el-history" / "entity_list_additions.csv"
    )
    assert read_pointer(data) == before


HISTORY_ROWS = (
    "140 Example Repair Plant JSC,add,87 FR 20299,2022-04-08,2022-04-07\n"
    "Huawei Example Cloud Co.,add,84 FR 43495,2019-08-21,2019-08-19\n"
)


def test_an_update_from_the_official_urls_keeps_the_change_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # el-history has no official download: an update from the official URLs
    # found it missing and was refused (or, with --allow-shrink, dropped it)
    data = tmp_path / "data"
    update_lists(data, str(_with_history(tmp_path, HISTORY_ROWS)))
    current = active_lists_dir(data, None)

    def official(_: str | None, dest: Path) -> list[str]:
        # what the official URLs give: every list of the fixture but el-history
        shutil.copytree(FIXTURE_LISTS, dest, dirs_exist_ok=True)
        return []

    monkeypatch.setattr("chipgate.screening.provider.stage_lists", official)
    index = update_lists(data, None, current)
    (info,) = [i for i in index.infos if i.source == "el-history"]
    assert info.changes == 2
    assert read_pointer(data).counts["el-history"] == 2  # type: ignore[union-attr]


def test_a_change_history_alone_is_an_update_of_its_own(tmp_path: Path) -> None:
    data = tmp_path / "data"
    update_lists(data, str(_with_history(tmp_path, HISTORY_ROWS)))
    newer = tmp_path / "changes.csv"
    newer.write_text(
        EL_HISTORY_HEADER
        + HISTORY_ROWS
        + "Another Example Co.,add,90 FR 4621,2025-01-15,2025-01-16\n",
        encoding="utf-8",
    )
    index = update_lists(data, str(newer), active_lists_dir(data, None))
    (info,) = [i for i in index.infos if i.source == "el-history"]
    assert (info.changes, info.list_date) == (3, "2025-01-16")
    assert {i.source for i in index.infos} >= {"csl", "bis-dpl", "un"}


def test_a_shrinking_list_needs_allow_shrink(tmp_path: Path) -> None:
    data = tmp_path / "data"
    update_lists(data, str(FIXTURE_LISTS))
    folder = _copy(tmp_path)
    lines = (folder / "bis" / "dpl.txt").read_text(encoding="utf-8").splitlines(True)
    (folder / "bis" / "dpl.txt").write_text("".join(lines[:2]), encoding="utf-8")
    env = {"CHIPGATE_DATA_DIR": str(data), "COLUMNS": "2000"}
    refused = CliRunner().invoke(
        app, ["lists", "update", "--from", str(folder)], env=env
    )
    assert refused.exit_code == 2, refused.output
    assert "bis-dpl" in refused.output
    assert str(folder / "bis" / "dpl.txt") in " ".join(refused.output.split())
    assert "--allow-shrink" in refused.output
    assert read_pointer(data).counts["bis-dpl"] == 2  # type: ignore[union-attr]
    accepted = CliRunner().invoke(
        app, ["lists", "update", "--from", str(folder), "--allow-shrink"], env=env
    )
    assert accepted.exit_code == 0, accepted.output
    assert read_pointer(data).counts["bis-dpl"] == 1  # type: ignore[union-attr]


def test_rollback_returns_to_the_previous_set(tmp_path: Path) -> None:
    data = tmp_path / "data"
    update_lists(data, str(FIXTURE_LISTS))
    first = active_lists_dir(data, None)
    folder = _copy(tmp_path)
    with (folder / "bis" / "dpl.txt").open("a", encoding="utf-8") as fh:
        fh.write('"NEW PERSON"\t""\t""\t""\t"US"\t""\t""\t""\t""\t""\t""\t""\n')
    update_lists(data, str(folder))
    assert active_lists_dir(data, None) != first
    result = CliRunner().invoke(
        app, ["lists", "rollback", "--json"], env={"CHIPGATE_DATA_DIR": str(data)}
    )
    assert result.exit_code == 0, result.output
    assert active_lists_dir(data, None) == first
    counts = {i["source"]: i["entries"] for i in json.loads(result.stdout)}
    assert counts["bis-dpl"] == 2
    again = CliRunner().invoke(
        app, ["lists", "rollback"], env={"CHIPGATE_DATA_DIR": str(data)}
    )
    assert again.exit_code == 2
    assert "no earlier list set" in " ".join(again.output.split())


def test_updates_share_unchanged_files_and_prune_to_keep(tmp_path: Path) -> None:
    data = tmp_path / "data"
    sets = []
    for n in range(4):
        folder = _copy(tmp_path, f"v{n}")
        with (folder / "bis" / "dpl.txt").open("a", encoding="utf-8") as fh:
            fh.write(f'"PERSON {n}"\t""\t""\t""\t"US"\t""\t""\t""\t""\t""\t""\t""\n')
        update_lists(data, str(folder), keep=2)
        sets.append(active_lists_dir(data, None))
    root = data / "screening"
    assert sorted(p.name for p in root.glob("lists-*")) == sorted(
        p.name for p in sets[-2:]
    )
    assert len(list(root.glob("index-*"))) == 2
    # an unchanged file is one blob linked from both kept sets
    a, b = (s / "un" / "consolidated.xml" for s in sets[-2:])
    assert a.stat().st_ino == b.stat().st_ino
    assert len(list((root / "blobs").iterdir())) == len(list_hashes(sets[-1])) + 1
    assert len(read_pointer(data).history) == 1  # type: ignore[union-attr]


def test_staging_left_by_a_killed_update_is_cleaned(tmp_path: Path) -> None:
    data = tmp_path / "data"
    stale = data / "screening" / ".staging-killed"
    (stale / "ofac").mkdir(parents=True)
    (stale / "ofac" / "sdn.csv").write_text("half", encoding="utf-8")
    update_lists(data, str(FIXTURE_LISTS))
    assert not stale.exists()


def test_an_update_with_the_same_files_adds_no_set(tmp_path: Path) -> None:
    data = tmp_path / "data"
    update_lists(data, str(FIXTURE_LISTS))
    first = read_pointer(data)
    update_lists(data, str(FIXTURE_LISTS))
    assert read_pointer(data) == first
    assert len(list((data / "screening").glob("lists-*"))) == 1
