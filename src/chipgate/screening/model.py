"""Plain values shared by the list loaders, the index and the screener.

A ``ListEntry`` is one row of one official list, kept with its raw source row so that
an auditor can see exactly what the list said; a ``ListInfo`` records which file (and
which bytes, by SHA-256) an index was built from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One listed party as published, with the fields the rules key on.

    Attributes:
        source: name of the loader that read it (e.g. ``csl``).
        list_code: short code the engine keys on (``EL``, ``SDN``, ...).
        list_name: the publisher's name of the list.
        entry_id: the list's own identifier, or a stable hash where it has none.
        name: primary name as published (whitespace trimmed).
        aliases: other names (a.k.a., f.k.a., original script, acronyms).
        kind: ``entity``, ``individual``, ``vessel`` or ``aircraft`` (``""`` unknown).
        countries: ISO-2 codes (from the addresses, nationalities); a name only
            where it names no ISO 3166 country ("Region: Crimea").
        programs: sanction programs or regimes.
        license_requirement: Entity List license requirement text.
        license_policy: Entity List license review policy text.
        federal_register: Federal Register citations of the listing.
        footnotes: Entity List footnotes (foreign direct product rules) as numbers.
        start_date: date from which the listing applies (ISO): the list's own
            start date, or for Entity List additions the effective date of the
            Federal Register rule (``el-history``). None: in force before any
            date the lists record.
        end_date: date from which the entry no longer applies (a removal), or None.
        listing: how ``start_date``/``end_date`` were established (rule, FR
            document, which date), and the name cell as published where the
            loader read a name and other names out of it, for the explanation.
        source_url: where the list says more about the entry.
        raw: the source row, column by column, for display and audit.
    """

    source: str
    list_code: str
    list_name: str
    entry_id: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = ""
    countries: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    license_requirement: str | None = None
    license_policy: str | None = None
    federal_register: str | None = None
    footnotes: tuple[str, ...] = ()
    start_date: str | None = None
    source_url: str | None = None
    end_date: str | None = None
    listing: str | None = None
    raw: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def in_force(self, on: date) -> bool:
        """Whether the entry applies on ``on`` (listed by then and not removed).

        >>> e = ListEntry("t", "EL", "EL", "1", "X", start_date="2025-01-16")
        >>> e.in_force(date(2025, 1, 15)), e.in_force(date(2025, 1, 16))
        (False, True)
        """
        day = on.isoformat()
        if self.start_date and self.start_date[:10] > day:
            return False
        return not (self.end_date and self.end_date[:10] <= day)


@dataclass(frozen=True, slots=True)
class FileInfo:
    """One file an index was built from, identified by its bytes."""

    path: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class ListInfo:
    """What one loader read: its files, their hashes, the list date and the count.

    Attributes:
        source: loader name.
        title: human name of the list.
        files: each file with its SHA-256.
        list_date: publication date found in the data (ISO), or None when the
            data carries none (the OFAC legacy files).
        entries: number of entries parsed.
        changes: for a list of changes to other lists' entries (``el-history``),
            the change rows read; None for a list of parties.
    """

    source: str
    title: str
    files: tuple[FileInfo, ...]
    list_date: str | None
    entries: int
    changes: int | None = None

    @property
    def size(self) -> int:
        """What the list's files hold, by which an update is judged empty or
        shrunk: its entries, or a change history's rows. ``el-history`` makes
        an entry only of a removed party no longer listed (one or two), and
        dates the other lists' entries by its hundreds of rows: judged by its
        entries, a history of additions alone read as an empty file."""
        return self.entries if self.changes is None else self.changes

    @property
    def counted(self) -> str:
        """The count a table shows: the entries, and a change history's
        changes beside them.

        >>> ListInfo("el-history", "EL changes", (), None, 1, 1949).counted
        '1 (1949 changes)'
        """
        if self.changes is None:
            return str(self.entries)
        return f"{self.entries} ({self.changes} changes)"

    def age_days(self, today: date) -> int | None:
        """Days between the list date and ``today``: None when the list has no
        date, or none that reads as one (a set stored before the loaders checked
        their dates must still show, with its age unknown, not crash ``lists``).

        >>> ListInfo("el-history", "EL changes", (), "11/17/2023", 1).age_days(date.today())
        """
        if not self.list_date:
            return None
        try:
            return (today - date.fromisoformat(self.list_date[:10])).days
        except ValueError:
            return None

    @property
    def sha256(self) -> str:
        """The hash of the first (main) file, the one quoted in reports."""
        return self.files[0].sha256 if self.files else ""
