"""Derive ``screening/data/name_groups.tsv.gz`` and ``name_readings.tsv.gz`` from
the person-name corpus of ``rigour``.

The PyPI package ``rigour`` 2.6.1 (MIT, OpenSanctions) ships in its source
archive ``rust/data/names/person_names.txt``: one line per given name or family
name, ``form, form, ... => QID``, the forms of one Wikidata name item (CC0) in
many scripts and transliteration systems ("chtchoukine, schtschukin, shchukin,
ščukin, щукин => Q...", the QID that of the name item, or ``X...`` for the
package's own corrections). Usage::

    # the source archive rigour-2.6.1.tar.gz as PyPI lists it (SHA-256 f5e37362
    # 52f11b90ac32387f6fa02182a021dfd28ad90c6065d8e5bca0b2e8e5; ``pip download
    # --no-binary`` fetches it but then fails building its metadata, which needs
    # Rust); person_names.txt inside has SHA-256 9d6381d55159f471082ecb88446f3f8c
    # ffe82eca4ee65ea3a84889dbe75b9e94
    tar xzf rigour-2.6.1.tar.gz
    python -m bench.name_groups_data rigour-2.6.1/rust/data/names/person_names.txt \\
        | gzip -9n > src/chipgate/screening/data/name_groups.tsv.gz
    python -m bench.name_groups_data --readings rigour-2.6.1/rust/data/names/person_names.txt \\
        | gzip -9n > src/chipgate/screening/data/name_readings.tsv.gz

The wheel embeds the same corpus compressed in its Rust core, and ``rigour``
needs ICU through ``normality``, so neither is a dependency. Kept of each group: the forms of one word written in Latin, Cyrillic or Greek
letters (Chinese, Japanese, Korean and Arabic-script forms are left out: the
matcher reads those scripts by rules of their own), as ``normalize.to_ascii``
writes them, of at least ``name_groups.MIN_LETTERS`` letters. A group is written
only when two of its spellings are not already one name by the spelling rules
(``features.person_word_rules`` below ``SAME_NAME_ITEM``): the rest would add
nothing. Output: ``word<TAB>QID QID ...``, one word a line with the groups that
hold it, sorted by word (read into one dictionary at once, ``name_groups``).
"""

from __future__ import annotations

import sys
import unicodedata
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from chipgate.screening.features import SAME_NAME_ITEM, person_word_rules
from chipgate.screening.name_groups import MIN_LETTERS
from chipgate.screening.normalize import to_ascii

SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK"})
# Scripts the matcher has no reading of names for, whose forms are looked up
# whole (``name_groups.script_readings``): not Arabic, Devanagari or Hangul,
# which have rules of their own, nor Hebrew, which like Arabic leaves most
# vowels unwritten (אחמד is Ahmad, Ahmed or Achmed: a name read on consonants
# is a possible match, never a hit), nor hiragana, in which Japanese write their
# own names (the lists write them in Latin letters). Chinese characters and
# katakana spell a foreign name with a dot between its words (贝拉克·奥巴马).
LOOKED_UP = frozenset(
    {
        "CJK",
        "KATAKANA",
        "KHMER",
        "THAI",
        "LAO",
        "MYANMAR",
        "ETHIOPIC",
        "BENGALI",
        "TAMIL",
        "TELUGU",
        "KANNADA",
        "MALAYALAM",
        "GUJARATI",
        "GURMUKHI",
        "SINHALA",
        "TIBETAN",
    }
)


def _scripts(form: str) -> set[str]:
    """The scripts of the letters of ``form`` (first word of each letter's name)."""
    return {unicodedata.name(ch, "?").split()[0] for ch in form if ch.isalpha()}


def _script_ok(form: str) -> bool:
    """Whether every letter of ``form`` is Latin, Cyrillic or Greek."""
    return _scripts(form) <= SCRIPTS


def readings(path: str) -> None:
    """Write each single-word form in a script of ``LOOKED_UP`` (one script
    only) and the Latin spellings of the names it is a form of (``form<TAB>word
    word ...``): 贝拉克 is "barack", ប៉ុល "pol"."""
    found: defaultdict[str, list[str]] = defaultdict(list)
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        forms, _, _group = line.rpartition(" => ")
        latin = group_words(forms.split(", "), SCRIPTS - {"LATIN"}, 2)
        if not latin:
            continue
        for form in forms.split(", "):
            form = unicodedata.normalize("NFKC", form.strip())
            held = _scripts(form)
            if " " in form or len(held) != 1 or not held <= LOOKED_UP:
                continue
            if held & {"CJK", "KATAKANA"} and len(form) < 2:
                continue  # one character: a syllable of many names
            for word in latin:
                if word not in found[form]:
                    found[form].append(word)
    out = sys.stdout
    out.write(
        "# A name written whole in a script the matcher has no reading for, and the\n"
        "# Latin spellings of the names it is a form of. From rigour 2.6.1\n"
        "# rust/data/names/person_names.txt (MIT; the names from Wikidata, CC0),\n"
        "# made by bench/name_groups_data.py --readings.\n"
    )
    for form in sorted(found):
        out.write(f"{form}\t{' '.join(found[form])}\n")


def group_words(
    forms: list[str], without: frozenset[str] = frozenset(), shortest: int = MIN_LETTERS
) -> list[str]:
    """The forms of one group in Latin, Cyrillic or Greek letters (less the
    scripts ``without``) as the normalizer writes them (one word each)."""
    words = set()
    for form in forms:
        form = form.strip()
        held = _scripts(form)
        if not form or " " in form or not held <= SCRIPTS or held & without:
            continue
        word = to_ascii(form).replace(" ", "")
        if len(word) >= shortest and word.isalpha():
            words.add(word)
    return sorted(words)


def adds_something(words: list[str]) -> bool:
    """Whether two of ``words`` are not one name by the spelling rules already."""
    return any(
        person_word_rules(a, b)[0] < SAME_NAME_ITEM for a, b in combinations(words, 2)
    )


def main(path: str) -> None:
    held: defaultdict[str, list[str]] = defaultdict(list)
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        forms, _, group = line.rpartition(" => ")
        words = group_words(forms.split(", "))
        if len(words) >= 2 and adds_something(words):
            for word in words:
                held[word].append(group)
    out = sys.stdout
    out.write(
        "# Spellings of one person name share a group: each word, then the Wikidata\n"
        "# items (or the package's corrections, X...) of the names it is a form of,\n"
        "# in Latin, Cyrillic or Greek letters as the normalizer writes them. From\n"
        "# rigour 2.6.1 rust/data/names/person_names.txt (MIT; the names from\n"
        "# Wikidata, CC0), made by bench/name_groups_data.py, which says what is kept.\n"
    )
    for word in sorted(held):
        out.write(f"{word}\t{' '.join(held[word])}\n")


if __name__ == "__main__":
    if sys.argv[1] == "--readings":
        readings(sys.argv[2])
    else:
        main(sys.argv[1])
