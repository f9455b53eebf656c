"""Derive ``screening/data/alias_spellings.tsv`` from the lists' own aliases.

Every listed individual comes with several spellings of one name ("GADDAFI,
Muammar" / "ELKADDAFI, Muammar" / "GHATHAFI, Muammar"; "SOLEIMANI, Qasem" /
"SULEMANI, Qasem"). Two names of one entry with as many words, all but one
word on each side agreeing by the person rules without this table
(``features.person_token_similarity`` at ``SAME_NAME_ITEM`` or more), give
the two words left over as two spellings of one name, the way the lists
themselves spell it (``align``). Usage::

    CHIPGATE_LISTS_DIR=../shared/data/lists python -m bench.alias_spellings_data \\
        > src/chipgate/screening/data/alias_spellings.tsv

A pair of words is kept (``kept``) only when

- both are words of letters of ``name_groups.MIN_LETTERS`` or more, which the
  person rules find less alike than ``SAME_NAME_ITEM`` (else it adds nothing);
- it is not two persons' names by ``name_groups.two_names`` (a name and its
  other gender's form, two census names: "Andre" / "Andrea", "Anna" / "Hanna"),
  and neither word holds the other whole (a name and a longer one made from
  it: "Inayat" / "Inayatullah", "Heshmat" / "Heshmatollah");
- both or neither is a name part people leave out (``optional_word``: a
  patronymic, "bin ...": "Abdullah" is not "bin Abdallah", his son);
- the two end on the same consonant (``consonant_key``): names that differ
  there are two ("Abdurrahim" / "Abdurrahman", "Saeed" / "Sahib", both
  written as aliases of one person twice), where spellings of one name
  differ in vowels and inner letters ("Kadhim" / "Kazim");
- the two words never stand together in one listed person's name: two names
  borne side by side are two names ("Mohamed" / "Ahmed", "Ali" / "Muhammad"
  are aliases of each other in some entries, kunyas and shortened names, and
  stand together in hundreds);
- the name table does not hold them as forms of two other names
  (``name_groups.groups_of``: "Vadim" / "Vladimir");
- the lists write them as one name for at least ``MIN_SHARE`` of the
  listed persons who bear the rarer of the two: a spelling of a name is
  mostly written beside it, while two names borne each in their own right
  by several listed persons and written as aliases for one are two names
  the sources confused ("Humam" / "Hussam", "Taleb" / "Tayeb", "Nazar" /
  "Nizar", "Khalaf" / "Khalif": one person of four or more);
- and the lists write it for ``MIN_PERSONS`` persons or more (entries whose
  other words differ: one person on two lists counts once), their letters
  at least ``MIN_RATIO`` alike once spellings are folded (``fold_person``:
  "Hachem" / "Hashem", "Cumar" / "Omar", Somali c for ع), or ``MIN_RATIO_MANY``
  for ``MANY_PERSONS`` persons or more ("Qaddafi" / "Ghathafi", 57, written
  for nine persons of the family); or for one person,
  at least ``MIN_RATIO_ONE`` alike, each of ``MIN_LETTERS_ONE`` letters or
  more, with the same first and last letter once folded ("Gennadevich" /
  "Guennadievitch", "Zeaiter" / "Zoeiter").

Output: a header naming the lists read (loader, list date, each file's
SHA-256), then ``word<TAB>word<TAB>persons`` one pair a line, sorted.
"""

from __future__ import annotations

import itertools
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bench.screening_aliases import names
from chipgate.screening.features import (
    SAME_NAME_ITEM,
    fold_person,
    optional_word,
    person_token_similarity,
)
from chipgate.screening.model import ListEntry, ListInfo
from chipgate.screening.name_groups import MIN_LETTERS, groups_of, two_names
from chipgate.screening.normalize import normalize_person
from chipgate.screening.scripts import consonant_key

MAX_WORDS = 6  # names of more words are aligned by too many orders to trust one
MIN_PERSONS = 2
MIN_RATIO = 60  # rapidfuzz ratio of the folded words (two or more persons)
MANY_PERSONS = 3
MIN_RATIO_MANY = 50  # the same for three persons or more
MIN_RATIO_ONE = 80  # the same when the lists write the pair for one person
MIN_LETTERS_ONE = 5  # letters of each word of a pair written for one person
# Persons the pair is written for, at least, of those bearing the rarer word
MIN_SHARE = 0.5

Pair = tuple[str, str]


def _one_name(a: str, b: str) -> bool:
    """Whether the person rules and the name table, without this table, find
    two words one name (mined again, the table must not find itself)."""
    return person_token_similarity(a, b, aliases=False)[0] >= SAME_NAME_ITEM


def align(x: Sequence[str], y: Sequence[str]) -> Pair | None:
    """The one word of ``x`` and the one of ``y`` left over when every other
    word of the two names (as many words each) pairs one to one with a word
    the person rules find one name (``SAME_NAME_ITEM`` or more); ``None`` when
    none or more than one is left over.

    >>> align(("muammar", "ghathafi"), ("muammar", "gaddafi"))
    ('ghathafi', 'gaddafi')
    >>> align(("ali", "hasan"), ("omar", "hussein")) is None
    True
    """
    n = len(x)
    if n != len(y) or not 2 <= n <= MAX_WORDS:
        return None
    alike = [[_one_name(a, b) for b in y] for a in x]
    for order in itertools.permutations(range(n)):
        left = [i for i in range(n) if not alike[i][order[i]]]
        if not left:
            return None  # one name already
        if len(left) == 1:
            return x[left[0]], y[order[left[0]]]
    return None


@dataclass
class Mined:
    """What the lists' individuals' names say of pairs of words.

    Attributes:
        found: each pair of words ``align`` finds in two names of one listed
            individual, and the persons it is found for (the other words of
            each entry's primary name: one person on two lists counts once).
        together: every pair of words that stand together in one listed
            person's name.
        bearers: each word and the persons whose names hold it (each one's
            primary name's words).
    """

    found: defaultdict[Pair, set[frozenset[str]]] = field(
        default_factory=lambda: defaultdict(set)
    )
    together: set[Pair] = field(default_factory=set)
    bearers: defaultdict[str, set[frozenset[str]]] = field(
        default_factory=lambda: defaultdict(set)
    )


def mine(entries: Iterable[ListEntry]) -> Mined:
    """Read every listed individual's names in Latin letters (``Mined``)."""
    mined = Mined()
    for entry in entries:
        if entry.kind != "individual":
            continue
        spelt = list(dict.fromkeys(normalize_person(n).tokens for n in names(entry)))
        if not spelt:
            continue
        person = frozenset(spelt[0])
        for words in spelt:
            mined.together.update(itertools.combinations(sorted(set(words)), 2))
            for word in words:
                mined.bearers[word].add(person)
        for x, y in itertools.combinations(spelt, 2):
            pair = align(x, y)
            if pair is not None:
                a, b = sorted(pair)
                mined.found[a, b].add(person - {a, b})
    return mined


def kept(mined: Mined) -> list[tuple[str, str, int]]:
    """The pairs of ``mine`` that pass the filters of the module docstring,
    with the number of persons the lists write them for.

    >>> mined = Mined()
    >>> mined.found["gaddafi", "ghathafi"] = {frozenset({"muammar"}),
    ...                                       frozenset({"saif"})}
    >>> mined.bearers["ghathafi"] = {frozenset({"muammar", "ghathafi"}),
    ...                              frozenset({"saif", "ghathafi"})}
    >>> kept(mined)
    [('gaddafi', 'ghathafi', 2)]
    >>> mined.together.add(("gaddafi", "ghathafi"))
    >>> kept(mined)
    []
    """
    out = []
    for (a, b), persons in sorted(mined.found.items()):
        if (
            min(len(a), len(b)) < MIN_LETTERS
            or not (a.isalpha() and b.isalpha())
            or _one_name(a, b)
            or two_names(a, b)
            or a in b
            or b in a
            or (a, b) in mined.together
            or optional_word(a) != optional_word(b)
            or consonant_key(a)[-1:] != consonant_key(b)[-1:]
        ):
            continue
        mine_, theirs = groups_of(a), groups_of(b)
        if mine_ and theirs and mine_.isdisjoint(theirs):
            continue  # the name table holds them as two names
        bearers = min(len(mined.bearers[a]), len(mined.bearers[b]))
        if bearers and len(persons) < MIN_SHARE * bearers:
            continue  # each borne in its own right by others
        folded_a, folded_b = fold_person(a), fold_person(b)
        ratio = fuzz.ratio(folded_a, folded_b)
        many = (len(persons) >= MIN_PERSONS and ratio >= MIN_RATIO) or (
            len(persons) >= MANY_PERSONS and ratio >= MIN_RATIO_MANY
        )
        one = (
            ratio >= MIN_RATIO_ONE
            and min(len(a), len(b)) >= MIN_LETTERS_ONE
            and folded_a[0] == folded_b[0]
            and folded_a[-1] == folded_b[-1]
        )
        if many or one:
            out.append((a, b, len(persons)))
    return out


def header(infos: Sequence[ListInfo]) -> str:
    """The lines that say which lists the table was mined from."""
    lines = [
        "# Two spellings of one person name as the lists write them for one listed",
        "# individual (aliases), mined by bench/alias_spellings_data.py, which says",
        "# what is kept: word, word, the number of persons the lists write it for.",
        "# From the lists (public data of the US Government and the UN):",
    ]
    for info in infos:
        lines.append(f"#   {info.source} of {info.list_date or 'no date'}:")
        lines.extend(f"#     {f.path} sha256 {f.sha256}" for f in info.files)
    return "\n".join(lines) + "\n"


def main() -> int:
    """Write the table for the lists in use (``CHIPGATE_LISTS_DIR``)."""
    from chipgate.screening.provider import active_lists_dir, load_index
    from chipgate.settings import Settings

    settings = Settings()
    index = load_index(
        active_lists_dir(settings.data_dir, settings.lists_dir), settings.data_dir
    )
    mined = mine(index.entries)
    out = sys.stdout
    out.write(header(index.infos))
    for a, b, persons in kept(mined):
        out.write(f"{a}\t{b}\t{persons}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
