"""Load every registered list from a folder, or stage the files from URLs first."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from chipgate.errors import InputError
from chipgate.screening.download import sha256_file
from chipgate.screening.model import FileInfo, ListEntry, ListInfo
from chipgate.screening.sources.base import REGISTRY, Source

# What a loader raises on input it did not foresee (an XML entity declaration is
# defusedxml's ValueError, bytes that are not text a UnicodeError, a number out of
# range a ValueError): turned into an ``InputError`` naming the file by whoever
# loads a list, never a traceback.
LOADER_ERRORS = (ValueError, LookupError, OSError, UnicodeError, csv.Error)


@dataclass
class LoadedLists:
    """Every entry read, and for each list where it came from."""

    infos: list[ListInfo] = field(default_factory=list)
    entries: list[ListEntry] = field(default_factory=list)

    def key(self) -> str:
        """A stable key over the hashes of all files (the index cache key)."""
        return "-".join(f.sha256[:12] for info in self.infos for f in info.files)


def load_source(source: Source, folder: Path) -> tuple[ListInfo, list[ListEntry]]:
    """Parse one list from ``folder`` and describe what was read.

    Raises:
        InputError: a required file is missing or malformed (file and line named).
    """
    paths = source.paths(folder)
    missing = [
        rel for rel in source.files if rel not in paths and rel not in source.optional
    ]
    if missing:
        raise InputError.single(
            f"list '{source.name}' needs file(s) {', '.join(missing)}", source=folder
        )
    entries = list(source.parse(paths))
    files = tuple(
        FileInfo(path=rel, sha256=sha256_file(p), size=p.stat().st_size)
        for rel, p in paths.items()
    )
    info = ListInfo(
        source=source.name,
        title=source.title,
        files=files,
        list_date=source.list_date(entries, paths),
        entries=len(entries),
        changes=source.changes(),
    )
    return info, entries


def load_lists(folder: Path, registry: list[type[Source]] | None = None) -> LoadedLists:
    """Load every registered list whose main file is in ``folder``.

    Lists whose main file is absent are left out (a folder may hold only some lists),
    and so are lists a present list supersedes (the older CSL and OFAC files when a
    newer consolidated list is there); a folder with none of them is an error. After
    all are read, each list may amend the entries (``el-history`` dates them).

    Raises:
        InputError: no list found, or a list file is malformed.
    """
    loaded = LoadedLists()
    sources = [cls() for cls in (registry if registry is not None else REGISTRY)]
    present = [s for s in sources if s.present(folder)]
    replaced = {name for s in present for name in s.supersedes}
    used = [s for s in present if s.name not in replaced]
    for source in used:
        info, entries = load_source(source, folder)
        loaded.infos.append(info)
        loaded.entries.extend(entries)
    for source in used:
        loaded.entries = source.amend(loaded.entries)
    if not loaded.infos:
        expected = ", ".join(cls.files[0] for cls in registry or REGISTRY)
        raise InputError.single(
            f"no list file found; expected one of {expected}", source=folder
        )
    return loaded


def stage_lists(base_url: str | None, dest: Path) -> list[str]:
    """Download every registered list's files into ``dest`` (see ``Source.download``).

    Raises:
        InputError: a required file could not be fetched.
    """
    fetched: list[str] = []
    for cls in REGISTRY:
        fetched += cls().download(dest, base_url)
    return fetched
