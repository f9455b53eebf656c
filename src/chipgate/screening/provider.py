"""Build or reload the screening index, and switch list sets safely.

The index is cached on disk under ``settings.data_dir/screening`` in a format that
cannot run code (``screening.cache``), named by the SHA-256 of every list file and of
the index code, and checked against the files before use, so a start-up with
unchanged lists reads one file instead of parsing and normalizing ~80,000 names.
``lists update`` stages the new files, refuses an incomplete, empty or much smaller
set (``--allow-shrink`` accepts a drop), builds the complete new index, and only then
moves the active pointer; ``lists rollback`` returns to the set before. The store
itself (sets, blobs, pointer, pruning) is ``screening.store``.
"""

from __future__ import annotations

import gc
import hashlib
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import cache
from importlib import resources
from importlib.metadata import version
from pathlib import Path

from chipgate.datadir import check_private, prepare_data_dir
from chipgate.errors import InputError, Problem
from chipgate.screening.cache import CacheError, decode, encode
from chipgate.screening.download import copy_file, is_url
from chipgate.screening.index import ScreeningIndex, build_index
from chipgate.screening.matcher import NameMatcher
from chipgate.screening.screener import Screener
from chipgate.screening.sources import REGISTRY, LoadedLists, load_lists, load_source
from chipgate.screening.sources.load import LOADER_ERRORS, stage_lists
from chipgate.screening.sources.single import is_single_file, stage_single_file
from chipgate.screening.store import (
    Pointer,
    commit_set,
    file_hashes,
    new_staging,
    prune,
    read_pointer,
    screening_dir,
    update_lock,
    verified_set,
    write_atomic,
    write_pointer,
)
from chipgate.settings import Settings

CACHE_VERSION = f"{NameMatcher.NAME}-2"
CACHE_SUFFIX = ".msgpack"


@cache
def _code_digest() -> str:
    """Hash of the code and data that shape the index, so a cache built by other
    rules is never reused.

    Every module of the screening package and its loaders (``sources/``) is
    hashed, not a hand-kept list: a fix to one loader alone (how a DPL name's
    alias is split, a listing date) must rebuild the index, and a list of the
    modules that matter was found missing the loaders. A change anywhere in the
    package costs one rebuild of a few seconds.
    """
    digest = hashlib.sha256(CACHE_VERSION.encode())
    package = Path(str(resources.files("chipgate.screening")))
    shared = Path(str(resources.files("chipgate")))
    # the loaders read countries (ISO codes by pycountry's names) and dates too
    code = [*package.rglob("*.py"), *shared.joinpath("countries").rglob("*.py")]
    for path in sorted([*code, shared / "dates.py"]):
        digest.update(path.relative_to(shared).as_posix().encode())
        digest.update(path.read_bytes())
    digest.update(f"pycountry {version('pycountry')}".encode())
    for item in sorted(package.joinpath("data").iterdir(), key=lambda p: p.name):
        digest.update(item.read_bytes())
    return digest.hexdigest()


def _registered_files() -> list[str]:
    return [rel for cls in REGISTRY for rel in cls.files]


def list_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every registered list file present in ``folder``."""
    return file_hashes(folder, _registered_files())


def active_lists_dir(data_dir: Path, default: Path | None) -> Path:
    """The lists folder in use: the active set of the store, else ``default``.

    The active set is checked file by file against the hashes its pointer recorded.

    Raises:
        InputError: no lists anywhere, a malformed pointer, or a set whose files
            changed since it was activated.
    """
    pointer = read_pointer(data_dir)
    if pointer is not None:
        return verified_set(data_dir, pointer)
    if default is None or not default.is_dir():
        raise InputError.single(
            "no restricted-party lists folder: set CHIPGATE_LISTS_DIR or run "
            "'chipgate lists update --from DIR_OR_URL'",
            source=str(default) if default else None,
        )
    return default


def cache_key(folder: Path, hashes: dict[str, str] | None = None) -> str:
    """Hash of the index code and of every registered list file present."""
    digest = hashlib.sha256(_code_digest().encode())
    found = list_hashes(folder) if hashes is None else hashes
    for rel in _registered_files():
        if rel in found:
            digest.update(f"{rel}:{found[rel]}".encode())
    return digest.hexdigest()[:24]


def cache_name(key: str) -> str:
    """File name of the index cache of the lists with ``key``."""
    return f"index-{key}{CACHE_SUFFIX}"


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic collector while hundreds of thousands of objects are made.

    None of them is garbage yet, so collections during the build or the cache read
    only cost time (a third of the start-up).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_lists(folder: Path) -> LoadedLists:
    """Every list in ``folder``, any failure of a loader reported against its file.

    A loader that meets input it did not foresee (an XML entity declaration, bytes
    that are not text, a number out of range) raises its own exception type; here it
    becomes an ``InputError`` that names the list and its main file, never a
    traceback.

    Raises:
        InputError: no list found, or a list file is malformed.
    """
    try:
        return load_lists(folder)
    except InputError:
        raise
    except LOADER_ERRORS as exc:
        for cls in REGISTRY:
            source = cls()
            if not source.present(folder):
                continue
            try:
                load_source(source, folder)
            except InputError:
                raise
            except LOADER_ERRORS as err:
                raise InputError.single(
                    f"list '{cls.name}' cannot be read: {type(err).__name__}: {err}",
                    source=folder / cls.files[0],
                ) from None
        raise InputError.single(
            f"the lists cannot be read: {type(exc).__name__}: {exc}", source=folder
        ) from None


def _cached(path: Path, key: str, hashes: dict[str, str]) -> ScreeningIndex:
    """The index in ``path``, only if it was built from exactly ``hashes``.

    Raises:
        CacheError: unreadable, or built from other files than it is asked for.
    """
    with _no_gc():
        header, index = decode(path.read_bytes())
        # The index lives as long as the process (``Screener`` freezes it too):
        # frozen before the collector is back on, the first young collection does
        # not walk the 400,000 objects just read (0.1-0.3 s of the start-up).
        # Whatever is dropped is still freed by reference counting.
        gc.freeze()
    if header.get("key") != key or header.get("files") != hashes:
        raise CacheError.single("its header names other list files")
    if not isinstance(index, ScreeningIndex):
        raise CacheError.single("it holds no screening index")
    # every file the index was read from, as hashed now (a list another list
    # supersedes lies in the folder without being read)
    claimed = {f.path: f.sha256 for info in index.infos for f in info.files}
    if not claimed or any(hashes.get(p) != h for p, h in claimed.items()):
        raise CacheError.single("its index was built from other list files")
    return index


def _write_cache(
    path: Path, index: ScreeningIndex, key: str, hashes: dict[str, str]
) -> None:
    write_atomic(path, encode(index, {"key": key, "files": hashes}))


def load_index(
    folder: Path, data_dir: Path | None = None, notes: list[str] | None = None
) -> ScreeningIndex:
    """The index over ``folder``, from the disk cache when it matches the files.

    A cache that cannot be read or that names other files is rebuilt (and a note
    says why).

    Raises:
        InputError: a list file is malformed (file and line named).
    """
    hashes = list_hashes(folder)
    key = cache_key(folder, hashes)
    path = None
    if data_dir is not None:
        path = screening_dir(data_dir) / cache_name(key)
        if path.is_file():
            try:
                return _cached(path, key, hashes)
            except CacheError as exc:
                if notes is not None:
                    notes.append(f"screening index {path} rebuilt: {exc}")
    with _no_gc():
        loaded = read_lists(folder)
        index = build_index(loaded.infos, loaded.entries)
    if path is not None:
        _write_cache(path, index, key, hashes)
    return index


def screener_for(index: ScreeningIndex, threshold: float, review: float) -> Screener:
    """A screener over ``index`` with the given thresholds."""
    return Screener(index, threshold=threshold, review_threshold=review)


def load_screener(settings: Settings, notes: list[str] | None = None) -> Screener:
    """The screener the engine uses, built from ``settings``.

    Reads the active set of the store (or ``lists_dir``), ``data_dir`` for the
    cache, and the two screening thresholds.

    Raises:
        InputError: the data folder is writable by others, or the lists are
            missing, changed since activation or malformed.
    """
    check_private(settings.data_dir)
    folder = active_lists_dir(settings.data_dir, settings.lists_dir)
    index = load_index(folder, settings.data_dir, notes)
    return screener_for(
        index, settings.screening_threshold, settings.screening_review_threshold
    )


def _rename_sources(
    error: InputError,
    staging: Path,
    origin: str,
    single: tuple[Path, str] | None = None,
) -> InputError:
    """Point problems found in staged copies back at the files the user gave
    (``single``: the staged path of one list file, and that file as given)."""

    def user_path(source: str) -> str:
        if single is not None and source == str(single[0]):
            return single[1]
        return source.replace(str(staging), origin.rstrip("/"))

    problems = [
        replace(p, source=user_path(p.source)) if p.source else p
        for p in error.problems
    ]
    return InputError(problems)


def _stage(origin: str | None, staging: Path, current: Path | None) -> str | None:
    """Copy or download the list files of ``origin`` into ``staging``.

    Returns:
        For one list file (``sources.single``), the staged path of that file; the
        other lists in use (``current``) are staged beside it.
    """
    if origin is not None and is_single_file(origin):
        name = stage_single_file(origin, staging, current)
        cls = next(c for c in REGISTRY if c.name == name)
        return cls.files[0]
    if origin is not None and not is_url(origin):
        source_dir = Path(origin)
        if not source_dir.is_dir():
            raise InputError.single("not a folder or URL", source=origin)
        for rel in _registered_files():
            if (source_dir / rel).is_file():
                copy_file(source_dir / rel, staging / rel)
    else:
        stage_lists(origin, staging)
        if origin is None and current is not None:
            _carry_unofficial(current, staging)
    return None


def _carry_unofficial(current: Path, staging: Path) -> None:
    """Stage the lists in use that have no official download beside the ones
    just fetched from the official URLs: ``el-history`` (BIS publishes the
    Entity List's changes as Federal Register rules, not as a file). Without
    them an update from the official URLs was refused, the list gone missing,
    or with ``--allow-shrink`` dropped it and every Entity List entry's date."""
    fetched = [cls for cls in REGISTRY if (staging / cls.files[0]).is_file()]
    replaced = {name for cls in fetched for name in cls.supersedes}
    for cls in REGISTRY:
        if all(cls.urls) or cls.name in replaced:
            continue  # fetched, or replaced by a list fetched (csl-2026 by the CSL)
        for rel in cls.files:
            if (current / rel).is_file() and not (staging / rel).exists():
                copy_file(current / rel, staging / rel)


def _empty_lists(loaded: LoadedLists, staging: Path) -> list[Problem]:
    """A problem for each list without entries (a change history: without
    changes, ``ListInfo.size``), and each supplied file of 0 bytes
    (an empty alias or address file would drop data without a parse error)."""
    counted = {cls.name: cls.counted for cls in REGISTRY}
    problems = [
        Problem(
            f"list '{info.source}' has no {counted.get(info.source, 'entries')} "
            "(an empty or header-only file); refusing to switch to it",
            str(staging / info.files[0].path),
        )
        for info in loaded.infos
        if info.size == 0
    ]
    problems += [
        Problem("the file is empty; refusing to switch to it", str(staging / f.path))
        for info in loaded.infos
        if info.size
        for f in info.files
        if f.size == 0
    ]
    return problems


def counts_in_use(current: Path | None, data_dir: Path) -> dict[str, int]:
    """The size of each list in ``current`` (``ListInfo.size``), what a first
    update (no active set yet) is judged against: the lists screened until now.

    Read from the index cache of ``current`` when there is one, else from the
    files; lists that cannot be read give nothing to compare with.
    """
    if current is None or not current.is_dir():
        return {}
    hashes = list_hashes(current)
    key = cache_key(current, hashes)
    path = screening_dir(data_dir) / cache_name(key)
    try:
        infos = _cached(path, key, hashes).infos if path.is_file() else None
    except CacheError:
        infos = None
    if infos is None:
        try:
            infos = read_lists(current).infos
        except InputError:
            return {}
    return {info.source: info.size for info in infos}


def _replacing(source: str, new: dict[str, int]) -> list[str]:
    """The new lists that replace ``source``: those that supersede it (the CSL
    JSON the CSL projection, the SDN XML the SDN CSV), or to which it gives way
    (the CSL CSV given alone, the projection)."""
    yields = {n for cls in REGISTRY if cls.name == source for n in cls.gives_way_to}
    return [
        cls.name
        for cls in REGISTRY
        if cls.name in new and (source in cls.supersedes or cls.name in yields)
    ]


def _shrunk_lists(
    loaded: LoadedLists, before: dict[str, int], max_shrink: float, staging: Path
) -> list[Problem]:
    """A problem for each list in use (``before``: the active set's counts, or
    those of the lists in use on a first update) that is missing from the new
    files, unless a list among them replaces it, or that lost more than
    ``max_shrink`` of its entries (a change history: of its changes,
    ``ListInfo.size``). A list replaced by another is judged by the largest that
    replaces it: a one-entry CSL JSON replaced the 25,921 entries of the CSL
    projection, and an SDN XML of 4 the 8,976 of the SDN CSV, unchecked."""
    problems = []
    new = {info.source: info.size for info in loaded.infos}
    main = {cls.name: str(staging / cls.files[0]) for cls in REGISTRY}
    titles = {cls.name: cls.title for cls in REGISTRY}
    counted = {cls.name: cls.counted for cls in REGISTRY}
    for source, count in sorted(before.items()):
        unit = counted.get(source, "entries")
        replacing = _replacing(source, new)
        if source not in new and replacing:
            by = max(replacing, key=lambda name: new[name])
            problems += _shrunk(
                count,
                new[by],
                max_shrink,
                f"list '{source}' would be replaced by '{by}', from {count} to "
                f"{new[by]} entries",
                main.get(by),
            )
            continue
        if source not in new:
            problems.append(
                Problem(
                    f"list '{source}' ({titles.get(source, source)}) is missing: it "
                    f"had {before} {unit} in the active set, and screening would "
                    "silently lose it; supply it, or pass --allow-shrink if it is "
                    "dropped on purpose",
                    main.get(source),
                )
            )
            continue
        problems += _shrunk(
            count,
            new[source],
            max_shrink,
            f"list '{source}' would drop from {count} to {new[source]} {unit}",
            main.get(source),
        )
    return problems


def _shrunk(
    before: int, after: int, max_shrink: float, what: str, where: str | None
) -> list[Problem]:
    """The problem of a drop from ``before`` to ``after`` beyond ``max_shrink``,
    told as ``what``; none for a smaller drop."""
    if before <= 0 or after >= before * (1.0 - max_shrink):
        return []
    drop = 100.0 * (before - after) / before
    return [
        Problem(
            f"{what} (-{drop:.1f} %), more than the {100 * max_shrink:g} % allowed "
            "(CHIPGATE_LISTS_MAX_SHRINK); check the source, or pass "
            "--allow-shrink if the drop is real",
            where,
        )
    ]


def update_lists(
    data_dir: Path,
    origin: str | None,
    current: Path | None = None,
    *,
    allow_shrink: bool = False,
    keep: int = 3,
    max_shrink: float = 0.10,
) -> ScreeningIndex:
    """Fetch or copy new list files, check and index them, then make them active.

    Args:
        data_dir: the settings' data folder.
        origin: a folder or URL (``file://`` too) holding the lists in the usual
            layout, or one list file (path or URL of a ``.json``, ``.xml``,
            ``.csv`` or ``.txt`` file, format read from its content; see
            ``stage_single_file``), or None for the official download URLs.
        current: the lists folder in use, whose other lists a single file joins.
        allow_shrink: accept a list that lost more than ``max_shrink`` of its
            entries against the active set (on a first update, against the lists
            of ``current``), or that is missing from the new files.
        keep: list sets kept, the new one included (older ones are pruned).
        max_shrink: largest share of a list's entries that may disappear.

    Returns:
        The new index, already cached and active.

    Raises:
        InputError: a list is missing, empty, malformed or shrunk; nothing changed.
    """
    prepare_data_dir(data_dir)
    shown = origin or "official URLs"
    with update_lock(data_dir) as root:
        staging = new_staging(root)
        try:
            rel = _stage(origin, staging, current)
            single = None
            if rel is not None and origin is not None:
                # the one file is named as given, the lists beside it by their folder
                single = (staging / rel, origin)
                shown = str(current) if current is not None else shown
            try:
                with _no_gc():
                    loaded = read_lists(staging)
            except InputError as exc:
                raise _rename_sources(exc, staging, shown, single) from exc
            previous = read_pointer(data_dir)
            problems = _empty_lists(loaded, staging)
            if not allow_shrink:
                before = (
                    previous.counts
                    if previous is not None
                    else counts_in_use(current, data_dir)
                )
                problems += _shrunk_lists(loaded, before, max_shrink, staging)
            if problems:
                raise _rename_sources(InputError(problems), staging, shown, single)
            hashes = list_hashes(staging)
            key = cache_key(staging, hashes)
            if previous is not None and previous.files == hashes:
                # the same bytes as the active set: no new set, the history keeps
                # the sets that differ
                return load_index(verified_set(data_dir, previous), data_dir)
            with _no_gc():
                index = build_index(loaded.infos, loaded.entries)
            name = commit_set(root, staging, hashes, key)
            _write_cache(root / cache_name(key), index, key, hashes)
            history = []
            if previous is not None:
                history = [*previous.history, previous.record()][-(keep - 1) :]
            if keep == 1:
                history = []
            counts = {info.source: info.size for info in loaded.infos}
            pointer = Pointer(name, hashes, counts, history)
            write_pointer(data_dir, pointer)
            _prune(root, pointer)
            return index
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)


def _prune(root: Path, pointer: Pointer) -> None:
    """Drop the sets, caches and blobs neither the pointer nor its history name."""
    kept = [pointer.record(), *pointer.history]
    prune(
        root,
        [str(entry["lists_dir"]) for entry in kept],
        {cache_name(cache_key(root, dict(entry["files"]))) for entry in kept},
    )


def rollback_lists(data_dir: Path) -> Pointer:
    """Make the set before the active one active again.

    Returns:
        The pointer now active.

    Raises:
        InputError: no earlier set is kept, or its files changed.
    """
    check_private(data_dir)
    with update_lock(data_dir) as root:
        current = read_pointer(data_dir)
        if current is None or not current.history:
            raise InputError.single(
                "no earlier list set to roll back to (CHIPGATE_LISTS_KEEP sets are "
                "kept; the first update has none before it)",
                source=root,
            )
        previous = Pointer.parse(
            {**current.history[-1], "history": current.history[:-1]},
            root / "active.json",
        )
        verified_set(data_dir, previous)
        write_pointer(data_dir, previous)
        return previous


__all__ = [
    "active_lists_dir",
    "cache_key",
    "cache_name",
    "list_hashes",
    "load_index",
    "load_screener",
    "read_lists",
    "rollback_lists",
    "screener_for",
    "update_lists",
]
