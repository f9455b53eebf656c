"""Build the labelled screening evaluation set from the real lists, deterministically.

Positives are variants of listed names that a person would type: company forms
swapped or dropped, words reordered, one typo, abbreviations, aliases, Cyrillic
spellings of Russian names, names in their original script. Negatives are names
that are close to listed ones but not listed: real companies of the same trade, a
listed name with its distinctive word swapped, a listed surname with another given
name. Every negative is checked against every loaded name (no equal word set).
Each pair is put in the ``dev`` or ``test`` half by a hash of the listed entry (or
of the negative's text), so that variants of one party never straddle the halves.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from chipgate.screening.model import ListEntry

SEED = 20261123
# The set is built with its own plain word splitting, not the matcher's normalizer,
# so that changing the matcher never changes what it is evaluated on.
GENERATOR_PHRASES = re.compile(
    r"\b(?:(?:open|closed|public|private)\s+)?joint[\s-]+stock\s+company\b"
    r"|\blimited\s+liability\s+(?:company|partnership)\b"
    r"|\bcompany\s+limited\b|\bs\s*a\s*s\b|\bs\s*a\s*r\s*l\b"
)
GENERATOR_FORMS = frozenset(
    [
        "co", "ltd", "llc", "inc", "corp", "corporation", "company", "limited",
        "jsc", "ojsc", "cjsc", "ooo", "oao", "zao", "pao", "pjsc", "ao", "gmbh",
        "sa", "ag", "pvt", "plc", "sarl", "sas", "spa", "srl", "bv", "nv", "fze",
        "fzco", "fzc", "llp", "lp", "kft", "sdn", "bhd", "pte", "pty",
    ]
)  # fmt: skip
COMMON_WORD = 10  # a word in more entry names than this is a common word
_BRACKETS = re.compile(r"\([^)]*\)")
FORMS = ("Co., Ltd.", "Company Limited", "Ltd", "LLC", "Inc.", "Corporation", "")
ABBREVIATIONS = {
    "technology": "Tech",
    "technologies": "Tech",
    "international": "Intl",
    "company": "Co",
    "corporation": "Corp",
    "industrial": "Ind",
}
# Real companies in the same trades as listed parties, not on the loaded lists.
UNLISTED = (
    "Honor Device Co., Ltd.",
    "Lenovo Group Limited",
    "MediaTek Inc.",
    "Hua Hong Semiconductor Limited",
    "Hon Hai Precision Industry Co., Ltd.",
    "Midea Group Co., Ltd.",
    "Taiwan Semiconductor Manufacturing Company Limited",
    "Samsung Electronics Co., Ltd.",
    "SK Hynix Inc.",
    "Qualcomm Incorporated",
    "NVIDIA Corporation",
    "JD.com, Inc.",
    "PDD Holdings Inc.",
    "NetEase, Inc.",
    "Bilibili Inc.",
    "Meituan",
    "Transsion Holdings",
    "vivo Mobile Communication Co., Ltd.",
    "OnePlus Technology (Shenzhen) Co., Ltd.",
    "GigaDevice Semiconductor Inc.",
    "Will Semiconductor Co., Ltd.",
    "Advanced Micro-Fabrication Equipment Inc.",
    "Shenzhen Goodix Technology Co., Ltd.",
    "Montage Technology Co., Ltd.",
    "Beijing Xiaomi Mobile Software Co., Ltd.",
    "Zhejiang Dahua Logistics Co., Ltd.",
    "Huaqin Technology Co., Ltd.",
    "Wingtech Technology Co., Ltd.",
    "Luxshare Precision Industry Co., Ltd.",
    "Sunny Optical Technology Group",
    "Shanghai Electric Group Company Limited",
    "China Merchants Port Holdings",
    "Moscow Cable Company",
    "Saint Petersburg Electrotechnical Plant",
    "Novosibirsk Instrument Trading LLC",
    "Ural Logistics Group OOO",
    "Tehran Medical Supplies Company",
    "Dubai Electronics Trading FZE",
    "Istanbul Teknoloji Dis Ticaret Ltd",
    "Almaty Semiconductor Distribution LLP",
)
LATIN_TO_CYRILLIC = (
    ("shch", "щ"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ya", "я"),
    ("yu", "ю"),
    ("yo", "ё"),
    ("a", "а"),
    ("b", "б"),
    ("v", "в"),
    ("g", "г"),
    ("d", "д"),
    ("e", "е"),
    ("z", "з"),
    ("i", "и"),
    ("y", "й"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("f", "ф"),
    ("x", "кс"),
    ("c", "к"),
    ("h", "х"),
    ("w", "в"),
)


@dataclass(frozen=True)
class Pair:
    """One labelled query: the name typed, and the listed party it should find."""

    query: str
    positive: bool
    kind: str
    split: str
    expected: tuple[str, ...] = ()  # ``words`` of the listed primary name
    listed: str = ""


def _split(key: str) -> str:
    digest = hashlib.sha256(f"{SEED}:{key}".encode()).digest()
    return "dev" if digest[0] % 2 == 0 else "test"


def positive_pair(entry: ListEntry, query: str, kind: str) -> Pair:
    """``query`` labelled as naming ``entry``, in the entry's split (fixed by
    its list and id, so every variant of one entry falls in one half)."""
    return Pair(
        query=query,
        positive=True,
        kind=kind,
        split=_split(f"{entry.list_code}:{entry.entry_id}"),
        expected=entry_words(entry),
        listed=entry.name,
    )


def words(name: str, forms: bool = True) -> tuple[str, ...]:
    """Lower-case ASCII words of a name, brackets and (if ``forms``) company forms
    left out (a person's "Sa'd" is not an S.A.)."""
    text = unicodedata.normalize("NFKD", _BRACKETS.sub(" ", name))
    text = text.encode("ascii", "ignore").decode().lower().replace("'", "")
    every = tuple(re.findall(r"[a-z0-9]+", text))
    if not forms:
        return every
    text = GENERATOR_PHRASES.sub(" ", text)
    found = tuple(w for w in re.findall(r"[a-z0-9]+", text) if w not in GENERATOR_FORMS)
    return found or every


def entry_words(entry: ListEntry) -> tuple[str, ...]:
    """``words`` of an entry's name, company forms kept for individuals."""
    return words(entry.name, forms=entry.kind != "individual")


def _core(entry: ListEntry) -> list[str]:
    return [w.capitalize() for w in entry_words(entry)]


def _typo(name: str, rng: random.Random) -> str | None:
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) < 6 or not word.isalpha():
        return None
    i = rng.randrange(1, len(word) - 2)
    how = rng.choice(("swap", "drop", "double", "vowel"))
    if how == "swap":
        word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif how == "drop":
        word = word[:i] + word[i + 1 :]
    elif how == "double":
        word = word[:i] + word[i] + word[i:]
    else:
        word = word[:i] + rng.choice("aeiou") + word[i + 1 :]
    words[longest] = word
    return " ".join(words)


def _cyrillic(name: str) -> str:
    text = " ".join(words(name))
    for latin, cyr in LATIN_TO_CYRILLIC:
        text = text.replace(latin, cyr)
    return text


def positive_variants(
    entry: ListEntry, rng: random.Random, common: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """``(kind, query)`` variants of one listed entry.

    A Cyrillic spelling is made only of names without ``common`` words: those are
    mostly English ("Research", "Plant") that a Russian writer would translate,
    not transliterate.
    """
    core = _core(entry)
    out: list[tuple[str, str]] = []
    if not core:
        return out
    if entry.kind == "individual" and "," in entry.name:
        last, first = entry.name.split(",", 1)
        out.append(("reordered", f"{first.strip()} {last.strip().title()}"))
    else:
        out.append(("form swapped", " ".join([*core, rng.choice(FORMS)]).strip()))
        if len(core) > 1:
            shuffled = core[:]
            rng.shuffle(shuffled)
            out.append(("reordered", " ".join(shuffled)))
        short = [ABBREVIATIONS.get(w.lower(), w) for w in core]
        if short != core:
            out.append(("abbreviated", " ".join(short)))
    typo = _typo(" ".join(core), rng)
    if typo:
        out.append(("typo", typo))
    out.append(
        ("upper, no punctuation", entry.name.upper().replace(",", "").replace(".", ""))
    )
    latin_aliases = [a for a in entry.aliases if a.isascii() and len(words(a)) > 1]
    if latin_aliases:
        out.append(("alias", rng.choice(latin_aliases).lower()))
    script = [a for a in entry.aliases if not a.isascii()]
    if script:
        out.append(("original script", script[0]))
    russian = "RU" in entry.countries or "Russia" in entry.countries
    if russian and not set(entry_words(entry)) & common:
        out.append(("cyrillic", _cyrillic(entry.name)))
    return out


def _sample(
    entries: list[ListEntry],
    rng: random.Random,
    test: Callable[[ListEntry], bool],
    n: int,
) -> list[ListEntry]:
    seen: set[tuple[str, ...]] = set()
    pool = []
    for entry in entries:
        tokens = entry_words(entry)
        if test(entry) and len(tokens) >= 1 and tokens not in seen:
            seen.add(tokens)
            pool.append(entry)
    return rng.sample(pool, min(n, len(pool)))


STRATA: tuple[tuple[str, Callable[[ListEntry], bool], int], ...] = (
    ("EL", lambda e: e.list_code == "EL", 110),
    ("MEU", lambda e: e.list_code == "MEU", 15),
    ("UVL", lambda e: e.list_code == "UVL", 15),
    ("SDN entity", lambda e: e.list_code == "SDN" and e.kind in {"entity", ""}, 40),
    ("SDN individual", lambda e: e.list_code == "SDN" and e.kind == "individual", 30),
    ("NONSDN", lambda e: e.list_code == "NONSDN", 15),
    (
        "UN",
        lambda e: e.list_code == "UN" and any(not a.isascii() for a in e.aliases),
        15,
    ),
    ("DPL", lambda e: e.list_code == "DPL", 10),
)


def negatives(entries: list[ListEntry], rng: random.Random) -> list[Pair]:
    """Hard negatives, each checked to share no word set with a listed name."""
    listed = {frozenset(words(n)) for e in entries for n in (e.name, *e.aliases)}
    frequency = Counter(w for e in entries for w in set(words(e.name)))
    out: list[Pair] = []

    def rarest(tokens: tuple[str, ...]) -> str:
        return min(tokens, key=lambda w: (frequency[w], w))

    def add(query: str, kind: str) -> None:
        tokens = words(query)
        if tokens and frozenset(tokens) not in listed:
            out.append(Pair(query, False, kind, _split(query)))

    for name in UNLISTED:
        add(name, "unlisted company")
    companies = [
        e
        for e in entries
        if e.kind in {"entity", ""}
        and e.list_code in {"EL", "MEU", "UVL", "SDN", "NONSDN"}
    ]
    for entry in rng.sample(companies, 400):
        tokens = words(entry.name)
        if len(tokens) < 2 or len(out) >= 40 + 160:
            continue
        rare = rarest(tokens)
        donor = rarest(words(rng.choice(companies).name) or ("x",))
        if donor in tokens or len(donor) < 4:
            continue
        swapped = [donor if t == rare else t for t in tokens]
        add(
            " ".join(w.capitalize() for w in swapped) + " " + rng.choice(FORMS),
            "word swapped",
        )
    people = [e for e in entries if e.kind == "individual" and "," in e.name]
    for entry in rng.sample(people, 300):
        if len(out) >= 40 + 160 + 90:
            break
        last, _ = entry.name.split(",", 1)
        other = rng.choice(people).name.split(",", 1)[1].strip()
        if words(other) and not set(words(other)) & set(words(entry.name)):
            add(f"{other} {last.strip().title()}", "same surname, other person")
    return out


def build_pairs(entries: list[ListEntry]) -> list[Pair]:
    """The whole labelled set, the same on every run (seeded)."""
    rng = random.Random(SEED)
    frequency = Counter(w for e in entries for w in set(entry_words(e)))
    common = frozenset(w for w, n in frequency.items() if n > COMMON_WORD)
    pairs: list[Pair] = []
    for _, test, n in STRATA:
        for entry in _sample(entries, rng, test, n):
            variants = positive_variants(entry, rng, common)
            for kind, query in rng.sample(variants, min(3, len(variants))):
                pairs.append(positive_pair(entry, query, kind))
    pairs.extend(negatives(entries, rng))
    return pairs
