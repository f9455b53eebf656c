"""How far the public benchmark's labels let a name rule go: each missed
same-party pair beside the different-party pairs built the same way.

The nomenklatura benchmark (``shared/data/screening-bench``) labels pairs made
by one kind of change both ways. In its tuning half "Olaf Scholze" / "Olaf
Scholz" is one person, "Masoud Pezeshfar" / "Masoud Pezeshkian" two; "John
Doe" / "Juan Doe" one, "Frederick Buchenberg" / "Friedrich Buchenberg" two;
"KO TAE BIN" / "KO TAE HUN" one, "TARIQ ANWAR EL SAYED MOHAMED" / "TARIQ
ANWAR EL SAYED AHMED" two. A rule that reads one of these changes as the
same name reads the other so too.

This counts it. A pair's *kind* is how its words differ once normalized
(``pair_kind``): the same words; words added or left out; one word changed by a
few letters; one word replaced by another; several words changed. A missed
same-party pair (score under the hit threshold) is *shadowed* when a
different-party pair of its kind, in the same half, scores at least as high:
no threshold, and no rule that lifts the pairs of that kind in the order the
score ranks them, reaches it without making that pair a hit as well. A rule
reading some other feature of the names could still part them; the count says
how much of what is missed the score's order, kind by kind, leaves room for.

``python -m bench.screening_labels`` prints both halves, kind by kind; ``make
eval`` prints the half's one-line summary (``shadowed_line``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from bench import screening_public as public_bench
from bench.screening_public import PERSON_SCHEMAS, Pair
from chipgate.screening.normalize import normalize, normalize_person

KINDS = (
    "same words",
    "words added or left out",
    "one word changed by a few letters",
    "one word replaced by another",
    "several words changed",
)
# Two words at least this alike (normalized Levenshtein similarity) are one
# word changed by a few letters ("Scholze" / "Scholz" 0.86, "Starkey" /
# "Starmer" 0.71, "Juan" / "John" 0.50); below it, another word ("Sik" / "Guk"
# 0.33, "Bibi" / "Benjamin" 0.25).
FEW_LETTERS = 0.5


def pair_kind(words: Sequence[str], other: Sequence[str]) -> str:
    """How two names' words differ: one of ``KINDS``.

    >>> pair_kind(("olaf", "scholze"), ("olaf", "scholz"))
    'one word changed by a few letters'
    >>> pair_kind(("bibi", "netanyahu"), ("benjamin", "netanyahu"))
    'one word replaced by another'
    >>> pair_kind(("boris", "johnson"), ("alexandre", "boris", "de", "johnson"))
    'words added or left out'
    >>> pair_kind(("kim", "jong", "un"), ("un", "jong", "kim"))
    'same words'
    """
    mine, theirs = set(words), set(other)
    only_mine = [w for w in words if w not in theirs]
    only_theirs = [w for w in other if w not in mine]
    if not only_mine and not only_theirs:
        return KINDS[0]
    if not only_mine or not only_theirs:
        return KINDS[1]
    if len(only_mine) == 1 and len(only_theirs) == 1 and mine & theirs:
        alike = Levenshtein.normalized_similarity(only_mine[0], only_theirs[0])
        return KINDS[2] if alike >= FEW_LETTERS else KINDS[3]
    return KINDS[4]


def kind_of(pair: Pair) -> tuple[str, str]:
    """(persons or companies, ``pair_kind``) of a benchmark pair, its names
    normalized as the matcher normalizes each party type."""
    person = pair.schema in PERSON_SCHEMAS
    read = normalize_person if person else normalize
    return (
        "persons" if person else "companies",
        pair_kind(read(pair.query).tokens, read(pair.listed).tokens),
    )


@dataclass(frozen=True)
class KindCount:
    """The pairs of one kind in one half: same-party pairs, those found (at
    the threshold), different-party pairs, those taken for hits, and the
    missed same-party pairs, with those a different-party pair scores as high
    as (shadowed)."""

    same: int
    found: int
    different: int
    false_hits: int
    missed: int
    shadowed: int

    @classmethod
    def of(cls, pairs: Sequence[Pair], threshold: float) -> KindCount:
        """The counts of ``pairs`` at ``threshold``."""
        same = [p for p in pairs if p.same]
        different = [p for p in pairs if not p.same]
        missed = [p for p in same if p.ours < threshold]
        return cls(
            same=len(same),
            found=len(same) - len(missed),
            different=len(different),
            false_hits=sum(1 for p in different if p.ours >= threshold),
            missed=len(missed),
            shadowed=sum(1 for p in missed if any(d.ours >= p.ours for d in different)),
        )


def counts(
    pairs: Sequence[Pair], threshold: float, part: str
) -> dict[tuple[str, str], KindCount]:
    """The half's pairs counted by (party type, kind)."""
    grouped: dict[tuple[str, str], list[Pair]] = defaultdict(list)
    for pair in pairs:
        if pair.half == part:
            grouped[kind_of(pair)].append(pair)
    return {
        key: KindCount.of(grouped[key], threshold)
        for key in sorted(grouped, key=lambda k: (k[0], KINDS.index(k[1])))
    }


def shadowed_line(counted: dict[tuple[str, str], KindCount]) -> str:
    """``make eval``'s line: how many missed pairs are shadowed."""
    missed = sum(c.missed for c in counted.values())
    shadowed = sum(c.shadowed for c in counted.values())
    return (
        f"missed same-party pairs that a different-party pair of their kind "
        f"scores as high as: {shadowed}/{missed} (python -m bench.screening_labels)"
    )


def report(counted: dict[tuple[str, str], KindCount]) -> list[str]:
    """One line a kind, then the summary."""
    lines = [
        f"  {who:<9} {kind:<34} same {c.same:>3} (found {c.found:>3}), different "
        f"{c.different:>3} (hits {c.false_hits}); missed {c.missed:>2}, shadowed "
        f"{c.shadowed:>2}"
        for (who, kind), c in counted.items()
    ]
    return [*lines, "  " + shadowed_line(counted)]


def main() -> None:
    """Both halves, kind by kind, at the configured hit threshold."""
    from chipgate.screening.provider import active_lists_dir, load_index, screener_for
    from chipgate.settings import Settings

    settings = Settings()
    index = load_index(
        active_lists_dir(settings.data_dir, settings.lists_dir), settings.data_dir
    )
    threshold = settings.screening_threshold
    screener = screener_for(index, threshold, settings.screening_review_threshold)
    pairs = public_bench.score_pairs(screener.matcher)
    for part in public_bench.HALVES:
        print(f"== {part} half, hit threshold {threshold:.2f}")
        print("\n".join(report(counts(pairs, threshold, part))))


if __name__ == "__main__":
    main()
