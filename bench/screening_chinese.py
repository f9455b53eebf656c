"""Names written in Chinese characters of parties the lists carry in Latin letters.

Data nobody here wrote: a compilation of restricted-party lists made by a
university lab (``shared/data/lists/derived/casslab_restricted_parties.json``,
see its SOURCES.md: no stated license, read here as local test data only and
never copied into the project) gives 715 of its entries a name in Chinese
characters beside the English one (the Entity List, the 1260H list, Japan's
End User List, Canada's named research organisations, the NS-CMIC list).

A party counts when the lists in use carry its English name (or an alias of
the compilation), by the words the normalizer reads (company forms aside): its
Chinese name is screened, and it is *reached* when that entry is among the
matches at the review threshold or above, a *hit* at the hit threshold. A
party whose English name the lists do not carry (Japan's list, the 1260H list)
is not counted.

Each name falls in the ``tune`` or the ``held-out`` half by the parity of the
SHA-256 of its Chinese name read as a number: even tunes, odd is held out. The
company words of ``chinese_terms.yaml`` were chosen looking at the tuning half
only; the held-out half is the reported figure.

``python -m bench.screening_chinese [--tune] [--out FILE]`` prints one half's
counts; ``--out`` writes each name with its outcome, its best score on its
entry and the best match.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench import SHARED_DATA
from chipgate.screening.index import ScreeningIndex
from chipgate.screening.normalize import normalize
from chipgate.screening.provider import active_lists_dir, load_index, screener_for
from chipgate.screening.screener import Screener
from chipgate.screening.scripts import has_han
from chipgate.settings import Settings

COMPILATION = SHARED_DATA / "lists" / "derived" / "casslab_restricted_parties.json"


@dataclass(frozen=True)
class ChineseName:
    """One party's name in Chinese characters, its English names and half."""

    chinese: str
    english: tuple[str, ...]
    half: str


@dataclass(frozen=True)
class Outcome:
    """How one Chinese name fared: ``hit``, ``review``, ``miss`` or
    ``unlisted``, its best score on its own entry, the best match."""

    name: ChineseName
    outcome: str
    score: float
    best: str


def half(chinese: str) -> str:
    """``tune`` or ``held-out``, fixed by the name."""
    digest = int(hashlib.sha256(chinese.encode()).hexdigest(), 16)
    return "tune" if digest % 2 == 0 else "held-out"


def chinese_names(path: Path = COMPILATION) -> Iterator[ChineseName]:
    """Each distinct Chinese name of the compilation with its English names."""
    seen: set[str] = set()
    for record in json.loads(path.read_text(encoding="utf-8")):
        chinese = (record["name"].get("native") or "").strip()
        if not has_han(chinese) or chinese in seen:
            continue
        seen.add(chinese)
        aliases = [
            a if isinstance(a, str) else a.get("name", "")
            for a in record.get("aliases") or []
        ]
        english = tuple(
            n
            for n in (record["name"].get("english") or "", *aliases)
            if n and not has_han(n)
        )
        yield ChineseName(chinese, english, half(chinese))


def _key(name: str) -> str:
    return " ".join(normalize(name).tokens)


def entries_by_name(index: ScreeningIndex) -> dict[str, set[int]]:
    """The entries of each listed name not in Chinese characters, by the
    words the normalizer reads."""
    found: dict[str, set[int]] = defaultdict(set)
    for text, entry in zip(index.name_text, index.name_entry.tolist(), strict=True):
        if not has_han(text):
            found[_key(text)].add(entry)
    return found


def outcomes(screener: Screener, hit: float, review: float) -> Iterator[Outcome]:
    """Each Chinese name screened, against the entries carrying its English
    names."""
    index = screener.index
    by_name = entries_by_name(index)
    position = {id(entry): at for at, entry in enumerate(index.entries)}
    for name in chinese_names():
        targets = set().union(*(by_name.get(_key(n), set()) for n in name.english))
        if not targets:
            yield Outcome(name, "unlisted", 0.0, "")
            continue
        matches = screener.matches(name.chinese)
        score = max(
            (m.score for m in matches if position[id(m.entry)] in targets),
            default=0.0,
        )
        outcome = "hit" if score >= hit else "review" if score >= review else "miss"
        best = f"{matches[0].matched_name} {matches[0].score:.4f}" if matches else ""
        yield Outcome(name, outcome, score, best)


def report(found: list[Outcome], part: str) -> str:
    """One line: the half's names reached at review and hits, of those listed."""
    counts = Counter(o.outcome for o in found if o.name.half == part)
    listed = sum(v for k, v in counts.items() if k != "unlisted")
    reached = counts["hit"] + counts["review"]
    return (
        f"Chinese-character names of listed parties (casslab compilation, {part} "
        f"half): {reached}/{listed} reach their entry at review, {counts['hit']}/"
        f"{listed} hits ({counts['unlisted']} not on the lists in use)"
    )


def main(argv: list[str]) -> int:
    """Print one half's figures; ``--out FILE`` writes every name's outcome."""
    settings = Settings()
    index = load_index(
        active_lists_dir(settings.data_dir, settings.lists_dir), settings.data_dir
    )
    screener = screener_for(
        index, settings.screening_threshold, settings.screening_review_threshold
    )
    found = list(
        outcomes(
            screener, settings.screening_threshold, settings.screening_review_threshold
        )
    )
    print(report(found, "tune" if "--tune" in argv else "held-out"))
    if "--out" in argv:
        with Path(argv[argv.index("--out") + 1]).open("w", encoding="utf-8") as out:
            for o in found:
                out.write(
                    f"{o.name.half}\t{o.outcome}\t{o.score:.4f}\t{o.name.chinese}\t"
                    f"{o.name.english[0] if o.name.english else ''}\t{o.best}\n"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
