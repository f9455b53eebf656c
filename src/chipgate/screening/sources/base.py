"""The ``Source`` contract and the registry the loaders add themselves to.

Each official list is one ``Source`` subclass that knows its files (relative to a
lists folder), their official URLs and how to parse them. Everything else (loading
every list, downloading, hashing) loops over ``REGISTRY``, so adding a list is adding
a class, never another branch.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import ClassVar, TypeVar

from chipgate.errors import InputError
from chipgate.screening.download import fetch
from chipgate.screening.model import ListEntry

REGISTRY: list[type[Source]] = []

S = TypeVar("S", bound="type[Source]")


def register(cls: S) -> S:
    """Class decorator: make a loader part of every load and update."""
    REGISTRY.append(cls)
    return cls


class Source(ABC):
    """One official restricted-party list.

    Attributes:
        name: short stable name, used in reports and as cache key part.
        title: the publisher's name of the list.
        files: relative paths under a lists folder; the first is the main file,
            ``optional`` ones may be absent.
        urls: official download URL of each file, in the same order.
        optional: files that may be missing without making the list unusable.
        supersedes: names of lists this one replaces when both are present (a
            newer consolidated list holds what the older files held).
        gives_way_to: names of lists whose file, given alone (``lists update
            FILE``), replaces this one in the set in use, though this one wins
            in a folder holding both: a projection of a list without an official
            download gives way to that list's official file.
        counted: what its rows are, as an update's checks name them: entries,
            or a change history's changes (``changes``).
    """

    name: ClassVar[str]
    title: ClassVar[str]
    files: ClassVar[tuple[str, ...]]
    urls: ClassVar[tuple[str, ...]]
    optional: ClassVar[frozenset[str]] = frozenset()
    supersedes: ClassVar[frozenset[str]] = frozenset()
    gives_way_to: ClassVar[frozenset[str]] = frozenset()
    counted: ClassVar[str] = "entries"

    def amend(self, entries: list[ListEntry]) -> list[ListEntry]:
        """Adjust the entries of every list after all were read (default: none).

        A change history (``el-history``) dates the entries of another list here.
        """
        return entries

    def changes(self) -> int | None:
        """The change rows read, for a list of changes to other lists' entries
        (``el-history``); None for a list of parties (the default)."""
        return None

    def present(self, folder: Path) -> bool:
        """Whether the main file of this list exists under ``folder``."""
        return (folder / self.files[0]).is_file()

    def paths(self, folder: Path) -> dict[str, Path]:
        """The files of this list that exist under ``folder``, by relative name."""
        found = {rel: folder / rel for rel in self.files if (folder / rel).is_file()}
        return found

    def download(self, dest: Path, base_url: str | None = None) -> list[str]:
        """Fetch this list's files into ``dest``, keeping their relative paths.

        Args:
            dest: folder to download into (a staging folder).
            base_url: a URL under which the files lie with the same relative paths
                (``file://`` works for an offline mirror), or None for the official
                URLs. From a mirror, files it lacks are skipped (it may hold only
                some lists); from the official URLs, only optional files may fail.

        Returns:
            The relative paths fetched.

        Raises:
            InputError: a required file could not be fetched.
        """
        fetched = []
        for rel, official in zip(self.files, self.urls, strict=True):
            url = f"{base_url.rstrip('/')}/{rel}" if base_url else official
            try:
                fetch(url, dest / rel)
            except InputError:
                if base_url or rel in self.optional:
                    continue
                raise
            fetched.append(rel)
        return fetched

    @abstractmethod
    def parse(self, paths: Mapping[str, Path]) -> Iterator[ListEntry]:
        """Yield the entries of the list read from ``paths``.

        Raises:
            InputError: a file is malformed; the error names the file and line.
        """

    def list_date(
        self, entries: list[ListEntry], paths: Mapping[str, Path]
    ) -> str | None:
        """The publication date the data carries (ISO), or None when it has none."""
        dates = [e.start_date for e in entries if e.start_date]
        return max(dates) if dates else None
