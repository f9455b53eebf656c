"""The lists' own names of one party, scored against each other.

Data nobody here wrote, and not the public benchmark: every list entry gives a
party's name and its aliases (a.k.a., f.k.a., other spellings and
transliterations). Two names of one entry are the same party, so a rule that
reads spellings soundly makes more of them hits; and a listed organisation
screened by its own names should meet other entries only where they are the
same party on another list, or bear the same name.

``python -m bench.screening_aliases [--out DIR]`` prints, for the lists in use:

- *persons*: the pairs of two distinct names of one entry typed ``individual``,
  both in Latin letters (every letter), the later name scored as a query
  against the earlier one as listed (``NameMatcher.compare``), and how many are
  hits and possible matches;
- *organisations*: the same for entries typed ``entity`` and untyped entries
  that are not taken for persons (``index.is_person``);
- *across entries*: each distinct Latin-letter name of a listed organisation
  screened as a query, and the hits on another entry whose primary name is not
  the same;
- with ``--persons``, *persons across entries*: the same for every listed
  individual's Latin-letter names (a rule mined from the persons' aliases,
  ``alias_spellings``, must not make listed persons hits of each other; it
  takes a few minutes);
- with ``--self`` instead, each listed name (every script, every kind of
  entry) that screened exactly as the list writes it does not meet its own
  entry at 1.00 (about seven minutes): the query side must read a name as
  the index does.

With ``--out DIR`` every pair and every hit across entries is written to
``DIR/persons.tsv``, ``DIR/organisations.tsv`` and ``DIR/across.tsv`` (and
``DIR/persons_across.tsv``), so that two
trees' files can be compared line by line (``paste``, ``diff``).
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from bench.screening_public import script_of
from chipgate.screening.index import ScreeningIndex, is_person
from chipgate.screening.matcher import NameMatcher
from chipgate.screening.model import ListEntry
from chipgate.screening.provider import active_lists_dir, load_index, screener_for
from chipgate.screening.screener import Screener
from chipgate.settings import Settings

HIT, REVIEW = 0.90, 0.80


def latin(name: str) -> bool:
    """Whether every letter of ``name`` is a Latin one."""
    return all(script_of(ch) == "LATIN" for ch in name if ch.isalpha())


def organisation(entry: ListEntry) -> bool:
    """An entity, or an untyped entry not taken for a person's (no vessels or
    aircraft)."""
    return entry.kind in ("entity", "") and not is_person(entry)


def names(entry: ListEntry) -> list[str]:
    """The entry's distinct names in Latin letters, its primary name first."""
    return [name for name in dict.fromkeys((entry.name, *entry.aliases)) if latin(name)]


def alias_pairs(
    index: ScreeningIndex, matcher: NameMatcher, persons: bool
) -> Iterator[tuple[ListEntry, str, str, float]]:
    """Every pair of two names of one entry and the score of the later as a
    query against the earlier as listed."""
    for entry in index.entries:
        wanted = entry.kind == "individual" if persons else organisation(entry)
        if not wanted:
            continue
        for listed, query in itertools.combinations(names(entry), 2):
            yield entry, listed, query, matcher.compare(query, listed, persons)


def across(
    index: ScreeningIndex, matcher: NameMatcher, persons: bool = False
) -> Iterator[tuple[str, ...]]:
    """Hits of each listed organisation's names (or individual's, ``persons``)
    on another entry."""
    seen: set[str] = set()
    for entry in index.entries:
        if not (entry.kind == "individual" if persons else organisation(entry)):
            continue
        for name in names(entry):
            if name in seen:
                continue
            seen.add(name)
            for match in matcher.match(name, None, HIT):
                if match.entry is entry or match.entry.name == entry.name:
                    continue  # the same party, or the same party on another list
                yield (
                    f"{entry.list_code}:{entry.entry_id}",
                    name,
                    f"{match.entry.list_code}:{match.entry.entry_id}",
                    match.matched_name,
                    f"{match.score:.4f}",
                )


def listed_names(index: ScreeningIndex, persons: bool) -> list[tuple[ListEntry, str]]:
    """Each distinct name (every script) of each entry typed ``individual``
    (``persons``) or not, with its entry, in the lists' order."""
    return [
        (entry, name)
        for entry in index.entries
        if (entry.kind == "individual") == persons
        for name in dict.fromkeys((entry.name, *entry.aliases))
    ]


def short_of_itself(
    screener: Screener, names: Iterable[tuple[ListEntry, str]]
) -> Iterator[tuple[str, float]]:
    """Each of ``names`` (``listed_names``) that, screened exactly as the list
    writes it, does not meet its own entry at 1.00, with the score it meets
    it at (0.0: not at all): a query must be read as the index reads the
    listed name (``--self``)."""
    for entry, name in names:
        key = (entry.list_code, entry.entry_id)
        found = screener.matches(name, floor=0.5)
        best = max(
            (m.score for m in found if (m.entry.list_code, m.entry.entry_id) == key),
            default=0.0,
        )
        if best < 1.0:
            yield name, best


def main(argv: list[str]) -> int:
    """Print the counts (and write the pairs with ``--out DIR``)."""
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    settings = Settings()
    index = load_index(
        active_lists_dir(settings.data_dir, settings.lists_dir), settings.data_dir
    )
    screener = screener_for(index, HIT, REVIEW)
    matcher = screener.matcher
    if "--self" in argv:
        for label, persons in (("individuals", True), ("other entries", False)):
            listed = listed_names(index, persons)
            short = sorted(short_of_itself(screener, listed), key=lambda x: x[1])
            print(f"{label}: {len(short)} listed names short of their own entry")
            for name, score in short:
                print(f"  {score:.4f}  {name}")
        return 0
    for label, persons in (("persons", True), ("organisations", False)):
        total = hits = review = 0
        lines: list[str] = []
        for entry, listed, query, score in alias_pairs(index, matcher, persons):
            total += 1
            hits += score >= HIT
            review += REVIEW <= score < HIT
            if out is not None:
                lines.append(
                    f"{entry.list_code}:{entry.entry_id}\t{listed}\t{query}\t{score:.4f}"
                )
        if out is not None:
            (out / f"{label}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(
            f"{label}: {total} pairs of two names of one entry, {hits} hits, "
            f"{review} possible matches"
        )
    kinds = [("across", False)]
    if "--persons" in argv:
        kinds.append(("persons_across", True))
    for label, persons in kinds:
        found = list(across(index, matcher, persons))
        if out is not None:
            text = "".join("\t".join(row) + "\n" for row in found)
            (out / f"{label}.tsv").write_text(text, encoding="utf-8")
        whose = "persons across entries: {} hits of a listed individual's name"
        if not persons:
            whose = "across entries: {} hits of a listed organisation's name"
        print(whose.format(len(found)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
