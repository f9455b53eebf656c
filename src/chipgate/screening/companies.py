"""Company-name rules: what two names of one organisation may differ by.

The word weights of the index (inverse document frequency) say how much a word
identifies a name among all listed names. For organisations some words say
little about *which* organisation is meant, whatever their frequency, and some
differences are only ways of writing the same word:

- *function words* ("The", "of", "and", "for") are set aside: "The Boeing
  Company" is "Boeing Co."; the index gives "the" nearly half the weight of a
  rare word;
- *the Arabic article* ("al", "el", "ar-", "ul" ...) that one name writes
  and the other does not is set aside as "the" is ("EL RAHMAH CHARITY
  FOUNDATION" / "AL-RAHMAH CHARITY FOUNDATION");
- *generic company words* (Group, Holding, Trading, Industrial ...) that one
  name adds to the other's words, when the two share at least two other words,
  weigh a quarter ("Almaz Antey Group" / "Almaz Antey"); two names that each
  have a word the other lacks ("Bowne Business Solutions" / "Bowne Business
  Enterprises") are left as they are;
- a *place in parentheses* that only one name adds weighs a quarter
  ("Deutsche Bank (Schweiz) AG" / "Deutsche Bank AG"), and so does a *region*
  of many countries written as a word ("Faberlic Europe" / "Faberlic");
- *series numbers*: two names the same but for one number each are two
  members of one series, the numbers weighed a quarter ("KKR Asian Fund III" /
  "KKR Asian Fund IV"), or one number written two ways ("IV" / "4");
- *abbreviations* of company words are read as the words the other name
  writes ("Tech" / "Technologies", "IC" / "Integrated Circuit");
- *Chinese company words in pinyin* likewise ("Jishu" / "Technologies");
- *a country and its adjective* are one word ("Chinese Academy" / "China
  Academy", ``data/org_demonyms.yaml``);
- *organisation words read as one*: Russian kinds of organisation and words
  transliterated, translated or abbreviated ("Nauchno-Proizvodstvennoe
  Obedinenie" / "Scientific Production Association" / "NPO", "Kontsern" /
  "Concern"), and words of kinds of organisation in Arabic, Persian, Dutch
  and Turkish ("Mu'assasat" / "Foundation", "San." / "Sanayi"), when that
  makes a word the two names share;
- *"and" of another language* (ve, wa, y, et, und) is set aside where
  the other name writes "and" ("G Y G Internacional" / "G&G Internacional");
- *"named after"* (imeni, im., named after) that one name writes and the
  other does not is set aside ("NPO Imeni S.A. Lavochkina" / "NPO
  Lavochkin");
- *one word apart*: the character ratio does not count a typo's letters again;
- *vowels written another way* in a long word ("Hizballah" / "Hezbollah");
- a query's acronym in parentheses or address tail is set apart as the lists'
  names are at load (``written_variants``).

The rules apply only where a listed organisation (not a person) is compared;
``NameMatcher`` calls them and reports the notes as the ``company_rules``
feature (docs/screening.md, rule 3).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise

import pycountry
import yaml

from chipgate.screening.features import FeatureResult, sequence
from chipgate.screening.guards import pinyin_syllables
from chipgate.screening.index import ORGANISATION_WORDS
from chipgate.screening.normalize import (
    NormalizedName,
    chinese_terms,
    name_share,
    name_variants,
    normalize,
    surname_share,
)
from chipgate.screening.places import (
    MANY_WORDS,
    chinese_divisions,
    leading_division,
    place_names,
    region_words,
)
from chipgate.screening.scripts import romanize
from chipgate.screening.tokens import skeleton, token_similarity

Weigher = Callable[[str], float]

# Articles, prepositions and conjunctions of English names; they hold names
# together but never tell two organisations apart.
FUNCTION_WORDS = frozenset({"the", "of", "and", "for"})


def names_organisation(name: NormalizedName) -> bool:
    """Whether a query's own words say it names an organisation, not a
    person: a company form, a digit, an organisation word (Bank, Institute
    ...: ``index.ORGANISATION_WORDS``) or a word that joins a name's parts
    (and, of, the, for), none of which a person's name holds. Such a query
    names a company that may be named after a person ("Phillips 66",
    "Johnson & Johnson"), whose name it may misspell (``surname_brand``).

    >>> names_organisation(normalize("Phillis 66"))
    True
    >>> names_organisation(normalize("Maria Marin"))
    False
    """
    return bool(
        name.org_forms
        or any(ch.isdigit() for token in name.tokens for ch in token)
        or not FUNCTION_WORDS.isdisjoint(name.tokens)
        or not ORGANISATION_WORDS.isdisjoint(name.full)
    )


# Words that say what kind of business a name is, not which one (singular and
# plural forms are written out: the spelling rules are not applied here).
GENERIC_WORDS = frozenset(
    {
        "company",
        "companies",
        "concern",
        "corporation",
        "enterprise",
        "enterprises",
        "factory",
        "global",
        "group",
        "holding",
        "holdings",
        "industrial",
        "industries",
        "industry",
        "international",
        "kombinat",
        "plant",
        "trading",
        "worldwide",
        "zavod",
    }
)
# Share of its own weight that a generic word added by one name keeps.
GENERIC_SHARE = 0.25
# Words the two names must share besides for the generic words to weigh little:
# one word alone is often a place or a word of many names ("Shanghai Trading Co."
# is not the listed alias "SHANGHAI", "Kamchatgazprom Holding" not
# "Kamchatgazprom OAO").
MIN_SHARED = 2
# Abbreviations of words of company names, by what they stand for. Only words a
# person's name is not written with (no "Dev", "Eng", "Ind": a given name, a
# surname, a syllable); prefixes not listed here still agree at 0.85 by the token
# rules ("Semicond" / "Semiconductor").
ABBREVIATIONS: dict[str, tuple[tuple[str, ...], ...]] = {
    "tech": (
        ("technology",),
        ("technologies",),
        ("technical",),
        ("technics",),
        ("techniques",),
    ),
    "techs": (("technologies",),),
    "ic": (("integrated", "circuit"), ("integrated", "circuits")),
    "mgmt": (("management",),),
    "mgt": (("management",),),
    "grp": (("group",),),
    "hldg": (("holding",), ("holdings",)),
    "trdg": (("trading",),),
    "eqpt": (("equipment",),),
    "equip": (("equipment",),),
    "engg": (("engineering",),),
    "elec": (("electric",), ("electrical",), ("electronics",), ("electronic",)),
    "electr": (("electronics",), ("electronic",), ("electrical",)),
    "svc": (("service",), ("services",)),
    "ctr": (("center",), ("centre",)),
    "cntr": (("center",), ("centre",)),
    "assoc": (("association",), ("associates",)),
    "univ": (("university",),),
    "acad": (("academy",),),
    "pharm": (("pharmaceutical",), ("pharmaceuticals",)),
    "pharma": (("pharmaceutical",), ("pharmaceuticals",)),
    "chem": (("chemical",), ("chemicals",)),
    "telecom": (("telecommunications",), ("telecommunication",)),
    "comms": (("communications",),),
    "lab": (("laboratory",),),
    "labs": (("laboratories",),),
    "semicon": (("semiconductor",), ("semiconductors",)),
    "aero": (("aerospace",), ("aeronautical",), ("aeronautics",)),
    "prods": (("products",),),
    "mfrs": (("manufacturers",),),
    "invt": (("investment",),),
    "intl": (("international",),),
    # words of place names the lists write out ("Saint Petersburg", "Hong Kong")
    "st": (("saint",), ("street",)),
    "mt": (("mount",), ("mountain",)),
    "ft": (("fort",),),
    "hk": (("hong", "kong"),),
    "uae": (("united", "arab", "emirates"),),
    "uk": (("united", "kingdom"),),
    "usa": (("united", "states", "of", "america"), ("united", "states")),
    "prc": (("peoples", "republic", "of", "china"),),
}


_ABBREVIATED = frozenset(ABBREVIATIONS)


def content(name: NormalizedName) -> tuple[NormalizedName, tuple[str, ...]]:
    """``name`` without its function words, and the words set aside (a name made
    of function words only is kept whole).

    >>> content(NormalizedName(("the", "boeing")))[0].tokens
    ('boeing',)
    """
    kept = tuple(t for t in name.tokens if t not in FUNCTION_WORDS)
    if not kept or len(kept) == len(name.tokens):
        return name, ()
    dropped = tuple(t for t in name.tokens if t in FUNCTION_WORDS)
    return replace(name, tokens=kept), dropped


# "Named after" in the names of Russian organisations: imeni, abbreviated im.
# ("NPO Imeni S.A. Lavochkina", "Zavod Im. V.A. Degtyareva"), translated
# "named after" ("Research and Production Association Named After S.A.
# Lavochkina"), or left out ("NPO Lavochkin"): the lists write one party's
# names each way. Like "of", it joins a name's parts and tells no two
# organisations apart.
_NAMED_AFTER_WORDS = frozenset({"imeni", "im", "named"})


def _named_after(tokens: Sequence[str]) -> tuple[int, ...]:
    """The places of the words of ``tokens`` that say "named after": imeni or
    im, or named followed by after, between two words (a first or last word
    is a word of the name: "IM Group", "Named")."""
    found: list[int] = []
    last = len(tokens) - 1
    for i, word in enumerate(tokens):
        if word in ("imeni", "im") and 0 < i < last:
            found.append(i)
        elif word == "named" and 0 < i < last - 1 and tokens[i + 1] == "after":
            found.extend((i, i + 1))
    return tuple(found)


def _loose_words(tokens: Sequence[str], found: tuple[int, ...]) -> bool:
    """Whether ``tokens`` write a word of "named after" outside the places
    ``found`` (a name with its words in another order), where setting the
    other name's aside would leave it unmatched."""
    return any(
        word in _NAMED_AFTER_WORDS or word == "after"
        for i, word in enumerate(tokens)
        if i not in found
    )


# "And" in the languages the lists transliterate organisation names from:
# Turkish ve ("Sanayi ve Ticaret"), Arabic wa and wal (with the article:
# "wal-Sunna"), Spanish y, French et, German und. Not the Persian va, which
# is also initials written together ("V.A. Kargin").
CONJUNCTIONS = frozenset({"ve", "wa", "wal", "y", "et", "und"})


def _joins(tokens: Sequence[str], at: int) -> bool:
    """Whether ``tokens[at]``, a conjunction between two words, joins them:
    not beside a single letter unless both are ("G Y G", not "Y S C")."""
    before, after = len(tokens[at - 1]) == 1, len(tokens[at + 1]) == 1
    return before == after


def conjunctions(
    query: NormalizedName, candidate: NormalizedName
) -> tuple[NormalizedName, NormalizedName, list[str]]:
    """The two names with "and" of another language set aside where the other
    name writes "and" and not that word, between two words (``conjunctions``):
    "JOMADI LOGISTICS Y CARGO" is "JOMADI LOGISTICS AND CARGO", as "and" is
    set aside with the function words."""
    if CONJUNCTIONS.isdisjoint(query.tokens) and CONJUNCTIONS.isdisjoint(
        candidate.tokens
    ):
        return query, candidate, []  # most names

    def aside(
        own: NormalizedName, other: NormalizedName
    ) -> tuple[NormalizedName, list[str]]:
        tokens = own.tokens
        if "and" not in other.tokens:
            return own, []
        at = {
            i
            for i in range(1, len(tokens) - 1)
            if tokens[i] in CONJUNCTIONS
            and tokens[i] not in other.tokens
            and _joins(tokens, i)
        }
        return _without_places(own, at), [tokens[i] for i in sorted(at)]

    read_query, first = aside(query, candidate)
    read_candidate, second = aside(candidate, query)
    return read_query, read_candidate, first + second


def named_after(
    query: NormalizedName, candidate: NormalizedName
) -> tuple[NormalizedName, NormalizedName, list[str]]:
    """The two names with "named after" (imeni, im., named after) set aside
    where one writes it and the other does not, or writes it another way, and
    the words set aside (``named_after``). Written alike in both it agrees and
    stays, as the Arabic article does."""
    if _NAMED_AFTER_WORDS.isdisjoint(query.tokens) and _NAMED_AFTER_WORDS.isdisjoint(
        candidate.tokens
    ):
        return query, candidate, []  # most names
    own, other = _named_after(query.tokens), _named_after(candidate.tokens)
    written = [query.tokens[i] for i in own]
    other_written = [candidate.tokens[i] for i in other]
    if written == other_written:
        return query, candidate, []  # neither writes it, or both alike
    if _loose_words(query.tokens, own) or _loose_words(candidate.tokens, other):
        return query, candidate, []  # its words elsewhere: "Named ... Aft"

    return (
        _without_places(query, own),
        _without_places(candidate, other),
        written + other_written,
    )


# The ezafe of Persian and Urdu ("of", joining a noun to what follows it), as
# the lists transliterate it in organisation names: -e, -i, and after a
# vowel -ye, -yi ("BANK-E PASARGAD", "LASHKAR-I-TAIBA", "DARYA-YE KHAZAR").
# The lists write one party with it and without it, and the one as the
# other ("BANK-E SAMAN" / "SAMAN BANK", "FALAH-E-INSANIAT" /
# "FALAH-I-INSANIAT", "TEHRIK-E TALIBAN" / "TEHRIK-I-TALIBAN").
EZAFE = frozenset({"e", "i", "ye", "yi"})
_JOINING_WORDS = FUNCTION_WORDS | CONJUNCTIONS


def _ezafe(tokens: Sequence[str]) -> tuple[int, ...]:
    """The places of the ezafe in ``tokens``: e, i, ye or yi between two
    words of more than one letter that are no function words (not a first
    or last word, "E Trade", "Fund I", nor a letter among initials, "A E
    I", "KISH P AND I CLUB", "ISTOK E AND C"), nor pinyin syllables: Ye, Yi
    and E are syllables of Chinese names written in Latin letters ("Hua Ye
    Trading" is no "Hua Trading")."""
    syllables = pinyin_syllables()

    def word(at: int) -> bool:
        found = tokens[at]
        return (
            len(found) > 1 and found not in _JOINING_WORDS and found not in syllables
        )

    return tuple(
        i
        for i in range(1, len(tokens) - 1)
        if tokens[i] in EZAFE and word(i - 1) and word(i + 1)
    )


def ezafe(
    query: NormalizedName, candidate: NormalizedName
) -> tuple[NormalizedName, NormalizedName, list[str]]:
    """The two names with the Persian and Urdu ezafe set aside where one
    writes it after a word and the other does not write it so (``ezafe``),
    and the words set aside. Written alike after the same word in both it
    agrees and stays ("SEPAH-E"), and so does an ezafe the other name writes
    joined to its word ("ASR-E SANAT" / "ASRE SANAT"). Italian and
    Portuguese "e", Russian, Polish and Catalan "i" ("and") are set aside
    with it, as "and" is with the function words."""
    if EZAFE.isdisjoint(query.tokens) and EZAFE.isdisjoint(candidate.tokens):
        return query, candidate, []  # most names
    if "syllabic" in (query.script, candidate.script):
        return query, candidate, []  # Chinese or Hangul read: 예 is "ye"
    if set(query.tokens).isdisjoint(set(candidate.tokens) - EZAFE):
        # no word in common: two names a typo or two apart are no variant of
        # one party for the ezafe to join ("Cord Stahr", a person, made a hit
        # of the city "SHAHR E KORD", 0.90)
        return query, candidate, []

    def aside(own: NormalizedName, other: NormalizedName) -> list[int]:
        tokens, others = own.tokens, other.tokens
        written = {(others[j - 1], others[j]) for j in _ezafe(others)}
        return [
            i
            for i in _ezafe(tokens)
            if (tokens[i - 1], tokens[i]) not in written
            and tokens[i - 1] + tokens[i] not in others
        ]

    own, other = aside(query, candidate), aside(candidate, query)
    return (
        _without_places(query, own),
        _without_places(candidate, other),
        [query.tokens[i] for i in own] + [candidate.tokens[j] for j in other],
    )


def _without_places(name: NormalizedName, places: Collection[int]) -> NormalizedName:
    """``name`` without its words at ``places`` (a word set aside where it
    stands, not wherever it is written, as ``without`` does)."""
    if not places:
        return name
    return replace(
        name, tokens=tuple(t for i, t in enumerate(name.tokens) if i not in places)
    )


# The Arabic article "the" as the lists write it in organisation names: al, el,
# ul (Urdu, between words: "Harakat-ul-Jihad") and, before a sun letter, that
# letter ("ar-Rahmah", "as-Salam", "ash-Shabab", "ad-Dawa", "an-Nur",
# "at-Tawhid", "az-Zahra"), a word of its own or joined to the next.
ARTICLES = frozenset({"al", "el"})
SUN_ARTICLES = {
    "ar": "r",
    "as": "s",
    "ash": "sh",
    "ad": "d",
    "adh": "dh",
    "an": "n",
    "at": "t",
    "ath": "th",
    "az": "z",
}
# Urdu writes the article ul between two words and, before a sun letter, u and
# that letter ("Jamaat-ud-Dawa", "Jamaat-ur-Rahman"): the lists write one
# party "JAMAAT-UD-DAWA", "JAMAAT-UL-DAWA" and "JAMA'AT AL-DAWA". Not "us"
# and "un", English words of names ("Friends of US Soldiers", "UN News").
# Person names read the article by their own table (``features.urdu_article_left_out``),
# where "us" is the article ("Anis us-Salam") and "un", "ut" given names.
URDU_SUN_ARTICLES = {
    "u" + article[1:]: letter
    for article, letter in SUN_ARTICLES.items()
    if article not in ("as", "an")
}
_ARTICLE_STARTS = ("al", "el", "ar", "as", "ad", "an", "at", "az")
ARTICLE_REST = 4  # letters of a word written with its article joined


def _article(tokens: Sequence[str], at: int) -> bool:
    """Whether ``tokens[at]`` is the Arabic article of the word after it."""
    if at + 1 >= len(tokens):
        return False  # the last word is a word ("Abdul Al")
    word, following = tokens[at], tokens[at + 1]
    if word in ARTICLES:
        return True
    if word == "ul":
        return at > 0  # Urdu, between two words: "Harakat ul Jihad"
    letter = SUN_ARTICLES.get(word)
    if letter is None and at > 0:
        # Urdu before a sun letter, between two words: "Jamaat-ud-Dawa"
        letter = URDU_SUN_ARTICLES.get(word)
    return letter is not None and following.startswith(letter)


def _joined_rest(word: str) -> str:
    """``word`` without an Arabic article written joined to it ("alharamain",
    "elrahmah", "arrahmah" with its sun letter doubled), or ``""``."""
    if not word.startswith(_ARTICLE_STARTS) or len(word) < 2 + ARTICLE_REST:
        return ""
    if word[:2] in ARTICLES:
        return word[2:]
    letter = SUN_ARTICLES.get(word[:2])
    if letter is not None and word[2:].startswith(letter):
        return word[2:]  # "ar" + "rahmah"
    return ""


def arabic_articles(
    query: NormalizedName, candidate: NormalizedName
) -> tuple[NormalizedName, NormalizedName, list[str]]:
    """The two names with the Arabic article set aside where one writes it
    and the other does not (``arabic_article``), and a note for each.

    The article is "the": it names no organisation, and the lists write it
    al, el or as its sun letter, apart, hyphenated, joined, or not at all
    ("AL-RAHMAH CHARITY FOUNDATION", "EL RAHMAH ...", "AR RAHMAH ...";
    "ANSAR AL-DINE" / "ANCAR DINE"; "AL-HARAMAIN" / "ALHARAMAYN"). An
    article both names write stays (it agrees exactly), and so do a last
    word ("Bank Al") and an article the other name writes joined to a word
    ("JAISH AL-ADL" / "JAISH ALADL", "HIZB-UL-MUJAHIDEEN" / "HIZBUL
    MUJAHIDEEN"), which the words written together already pair; a word joined to its article is read without it only
    when the other name writes the rest as a word of its own, or one it
    stands for ("ALHARAMEIN" / "AL-HARAMAIN"). A name left with one word
    keeps its article unless that word is written in the other name, as
    written or spelt a variant way ("AL SANABIL" / "SANABIL"): a word of
    one name a typo from another's ("AL-FARAN" / "DARAN", "AL-SAFIR" /
    "SAPFIR") is another organisation.

    >>> q, c, notes = arabic_articles(
    ...     NormalizedName(("el", "rahmah", "charity")),
    ...     NormalizedName(("al", "rahmah", "charity")))
    >>> q.tokens, c.tokens, notes
    (('rahmah', 'charity'), ('rahmah', 'charity'), ['el', 'al'])
    """
    if not (_starts_article(query.tokens) or _starts_article(candidate.tokens)):
        return query, candidate, []  # most names: no word an article could be
    notes: list[str] = []

    def apart(own: NormalizedName, other: NormalizedName) -> NormalizedName:
        kept: list[str] = []
        dropped: list[str] = []
        tokens = own.tokens
        for at, word in enumerate(tokens):
            if (
                word not in other.tokens
                and _article(tokens, at)
                # written joined on the other side, to the word after it or
                # before it ("al adl" / "aladl", "hizb ul" / "hizbul")
                and not _like_any(word + tokens[at + 1], other.tokens)
                and not (at and _like_any(tokens[at - 1] + word, other.tokens))
            ):
                dropped.append(word)
            else:
                kept.append(word)
        if not dropped or not kept:
            return own
        notes.extend(dropped)
        return replace(own, tokens=tuple(kept))

    def joined(own: NormalizedName, other: NormalizedName) -> NormalizedName:
        words = list(own.tokens)
        # the other name's words, and each two written together: a word it
        # writes with its article too is left to the words written together
        written = (*other.tokens, *(a + b for a, b in pairwise(other.tokens)))
        for i, word in enumerate(words):
            rest = _joined_rest(word)
            if rest and _like_any(rest, other.tokens) and not _like_any(word, written):
                words[i] = rest
                notes.append(word)
        return own if words == list(own.tokens) else replace(own, tokens=tuple(words))

    read_query, read_candidate = joined(query, candidate), joined(candidate, query)
    read_query = apart(read_query, read_candidate)
    read_candidate = apart(read_candidate, read_query)
    for own, other in ((read_query, read_candidate), (read_candidate, read_query)):
        if len(own.tokens) == 1 and not _agree(own.tokens[0], other.tokens):
            # one word left, like the other's only by a typo: the article
            # told the names apart ("AL-FARAN" is no "DARAN")
            return query, candidate, []
    return read_query, read_candidate, notes


def _like_any(word: str, others: Sequence[str]) -> bool:
    """Whether ``word`` is one of ``others`` or stands for one (a spelling, a
    typo: ``tokens.token_similarity``)."""
    return any(token_similarity(word, other)[0] > 0 for other in others)


def _starts_article(tokens: Sequence[str]) -> bool:
    """Whether any word of ``tokens`` starts as an Arabic article does (the
    cheap test of ``arabic_articles``)."""
    return any(
        word.startswith(_ARTICLE_STARTS) or word == "ul" or word in URDU_SUN_ARTICLES
        for word in tokens
    )


def _agree(
    word: str, others: Collection[str], spelt: Collection[str] | None = None
) -> bool:
    """Whether ``word`` is written (or spelt a variant way) in ``others``: the
    agreement ``token_similarity`` scores ``SAME_SKELETON`` or more.
    ``spelt``, when the caller tries several words against the same
    ``others``, is their skeletons made once."""
    if word in others:
        return True
    if spelt is None:
        spelt = {skeleton(o) for o in others}
    return skeleton(word) in spelt


def _unshared(own: Sequence[str], other: Sequence[str]) -> list[str]:
    """Words of ``own`` that ``other`` does not write, also not as two words
    joined or apart ("machinebuilding" / "machine building"). The skeletons of
    ``other`` are made once for all the words of ``own``."""
    spelt = {skeleton(o) for o in other}
    joined_other = {a + b for a, b in pairwise(other)}
    joined_own = {
        word
        for a, b in pairwise(own)
        if a + b in other or _agree(a + b, other, spelt)
        for word in (a, b)
    }
    return [
        w
        for w in own
        if not _agree(w, other, spelt)
        and w not in joined_other
        and w not in joined_own
    ]


def generic_extras(first: Sequence[str], second: Sequence[str]) -> frozenset[str]:
    """Generic company words that one name adds to the other, when it adds
    nothing else and the other adds nothing at all; otherwise nothing.

    >>> sorted(generic_extras(("almaz", "antey", "group"), ("almaz", "antey")))
    ['group']
    >>> sorted(generic_extras(("bowne", "solutions"), ("bowne", "enterprises")))
    []
    """
    if GENERIC_WORDS.isdisjoint(first) and GENERIC_WORDS.isdisjoint(second):
        return frozenset()  # most names: nothing to weigh
    extra_first = _unshared(first, second)
    extra_second = _unshared(second, first)
    if extra_first and extra_second:
        return frozenset()
    extra = extra_first or extra_second
    shared = sum(1 for w in first if w not in extra_first and w not in GENERIC_WORDS)
    if not extra or shared < MIN_SHARED or not all(w in GENERIC_WORDS for w in extra):
        return frozenset()
    return frozenset(extra)


def _with_generic_forms(name: NormalizedName) -> tuple[str, ...]:
    """The words of ``name`` and the generic words among its removed company
    forms: "ABC Company" and "ABC International" each name a kind of business,
    and differ in it."""
    return name.tokens + tuple(f for f in name.org_forms if f in GENERIC_WORDS)


@cache
def pinyin_words() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The company words of ``data/chinese_terms.yaml`` as pinyin words join
    their syllables ("jishu" for 技术, "dianzi" for 电子), by the English the
    lists use for them; not the company forms (公司, 有限公司), which the
    normalizer removes."""
    found: dict[str, list[tuple[str, ...]]] = {}
    for term, english in chinese_terms():
        words = tuple(english.split())
        if set(words) <= _FORM_WORDS:
            continue
        key = "".join(romanize(term).casefold().split())
        found.setdefault(key, []).append(words)
    return {key: tuple(value) for key, value in found.items()}


_FORM_WORDS = frozenset({"company", "limited"})


def _spelled_out(
    own: tuple[str, ...], other: Sequence[str]
) -> tuple[tuple[str, ...], list[str], list[str]]:
    """``own`` with each abbreviation (``ABBREVIATIONS``) or pinyin company
    word (``pinyin_words``) that ``other`` writes out replaced by the words it
    stands for there ("tech" against "technologies", "IC" against "integrated
    circuit", "jishu" against "technologies"), and a note for each of the two
    kinds. Not a word that, joined to the next, is a word of ``other``: "Tech
    Nologies" is "Technologies" split, not "Technologies Nologies"."""
    table = pinyin_words()
    if _ABBREVIATED.isdisjoint(own) and table.keys().isdisjoint(own):
        return own, [], []  # most names: nothing to spell out
    words: list[str] = []
    short: list[str] = []
    pinyin: list[str] = []
    for i, token in enumerate(own):
        found = None
        if token not in other:
            expansions = ABBREVIATIONS.get(token) or table.get(token, ())
            found = next(
                (p for e in expansions if (p := _written_in(e, other)) is not None),
                None,
            )
        if found is not None and i + 1 < len(own) and token + own[i + 1] in other:
            found = None
        if found is None:
            words.append(token)
        else:
            words.extend(found)
            notes = short if token in ABBREVIATIONS else pinyin
            notes.append(f"{token} = {' '.join(found)}")
    return tuple(words), short, pinyin


@cache
def demonyms() -> dict[str, str]:
    """The country or region each adjective of ``data/org_demonyms.yaml``
    stands for ("chinese": "china", "iranian": "iran")."""
    path = resources.files("chipgate.screening").joinpath("data/org_demonyms.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))["countries"]
    return {
        str(adjective): str(country)
        for country, adjectives in data.items()
        for adjective in adjectives
    }


def country_adjectives(
    query: NormalizedName, candidate: NormalizedName
) -> tuple[NormalizedName, NormalizedName, list[str]]:
    """The two names with each country adjective that one writes read as the
    country's word the other writes instead ("Chinese Academy of Engineering
    Physics" / "China Academy of Engineering Physics": "chinese = china"), and
    a note for each; the names as they are when neither writes such a pair
    (checked first: most names hold no adjective of a country)."""
    table = demonyms()
    if table.keys().isdisjoint(query.tokens) and table.keys().isdisjoint(
        candidate.tokens
    ):
        return query, candidate, []
    notes: list[str] = []

    def read(own: NormalizedName, other: NormalizedName) -> NormalizedName:
        words = list(own.tokens)
        for i, word in enumerate(words):
            country = table.get(word)
            if (
                country is not None
                and country in other.tokens
                and country not in own.tokens
                and word not in other.tokens
            ):
                words[i] = country
                notes.append(f"{word} = {country}")
        return own if words == list(own.tokens) else replace(own, tokens=tuple(words))

    query = read(query, candidate)
    candidate = read(candidate, query)
    return query, candidate, notes


def _written_in(words: tuple[str, ...], other: Sequence[str]) -> tuple[str, ...] | None:
    """The words of ``other`` that write ``words`` one after another (as
    written, or spelt a variant way: "technology" for "technologies"), or
    None."""
    size = len(words)
    keys: tuple[str, ...] | None = None
    for i in range(len(other) - size + 1):
        part = tuple(other[i : i + size])
        if part == words:
            return part
        if keys is None:
            keys = tuple(skeleton(w) for w in words)
        if tuple(skeleton(w) for w in part) == keys:
            return part
    return None


def one_word_apart(query: Sequence[str], candidate: Sequence[str]) -> bool:
    """Whether the two names are the same words but one, and that one on each
    side stands for the other (a typo, a spelling, an abbreviation): "Stellaris
    N.V." / "Stellantis N.V.", not "Cord Stahr" / "Nord Star" (two words apart)."""
    own = [w for w in query if w not in candidate]
    other = [w for w in candidate if w not in query]
    return (
        len(own) == len(other) == 1
        and len(set(query)) == len(query)
        and token_similarity(own[0], other[0])[0] > 0
    )


def place_extras(
    query: NormalizedName,
    candidate: NormalizedName,
    rare: Callable[[str], bool] = lambda _: False,
) -> tuple[tuple[str, ...], str]:
    """The words of a place that one name adds to the other, when they are all
    it adds and the other adds nothing, with the note that says which rule
    read them; otherwise nothing.

    - a country or region in parentheses added by either name: "Deutsche Bank
      (Schweiz) AG" screened against "Deutsche Bank AG", or the reverse (a
      listed branch of the company screened by its parent's name);
    - a region of several countries or a Chinese special region written as a
      word of the name (``places.region_words``: "Faberlic Europe", "Huawei
      Technologies Hong Kong Limited"): a regional arm, named like a generic
      word. Not a country written so ("Banco Santander Mexico" is a bank of
      its own), and when the query adds it, only beside at least
      ``MIN_SHARED`` shared words (a given name such as "Asia" is no place).

    - a Chinese province or large city as the first word of one name
      (``places.leading_division``): the administrative division a Chinese
      enterprise name opens with, which the company's name is as often
      written without ("Shenzhen Chitron Electronics Company Limited" /
      "Chitron Electronics Company Ltd"), when the words the two share hold
      a trade name, not only words of what kind of organisation it is
      ("Nanjing Research Institute of Electronics Technology" is not
      "Electronic Technology Research Institute"); as for a region, a query
      that adds it shares at least ``MIN_SHARED`` words.

    A place the listed name adds to a query of one word counts only when that
    word is ``rare`` (in few listed names): "Faberlic" is "Faberlic Europe",
    while "Bridge LLC" is not "Asia Bridge".

    Two places ("Bank of China (Hong Kong)" / "(Singapore)") are two
    subsidiaries: each name adds a word, nothing is read.
    """
    q_city, c_city = leading_division(query.tokens), leading_division(candidate.tokens)
    if (
        not (query.places or candidate.places or q_city or c_city)
        and MANY_WORDS.isdisjoint(query.tokens)
        and MANY_WORDS.isdisjoint(candidate.tokens)
    ):
        return (), ""  # most names: no place at all
    q_regions = region_words(query.tokens)
    c_regions = region_words(candidate.tokens)
    extra_query = _unshared(query.tokens, candidate.tokens)
    extra_candidate = _unshared(candidate.tokens, query.tokens)
    if bool(extra_query) == bool(extra_candidate):
        return (), ""
    if extra_query:
        extra, side = extra_query, "query"
        places, regions = query.places, q_regions
        if len(query.tokens) - len(extra) < MIN_SHARED:
            regions = ()
    else:
        extra, side = extra_candidate, "listed name"
        places, regions = candidate.places, c_regions
        shared = [w for w in candidate.tokens if w not in extra]
        if len(shared) < MIN_SHARED and not all(rare(w) for w in shared):
            return (), ""
    if set(extra) <= set(places):
        return tuple(extra), f"a place in parentheses in the {side} only"
    if set(extra) <= set(regions):
        return tuple(extra), f"a region added by the {side}"
    city = q_city if extra is extra_query else c_city
    if (
        city
        and list(extra) == list(city)
        and (extra is extra_candidate or len(query.tokens) - 1 >= MIN_SHARED)
        and _named(query.tokens, extra)
    ):
        return city, f"a Chinese city or province first in the {side} only"
    return (), ""


# A trade name screened alone against a listed name that adds to it only what
# kind of organisation it is and where: a possible match, never a hit by itself.
BRAND_ALONE = 0.85
BRAND_ALONE_RULE = "brand_alone"
# Letters of a trade name read so: shorter words are initialisms and syllables.
BRAND_MIN_LETTERS = 4
# Words of a line of business that a listed company's name adds to its trade
# name ("Zhipu AI", "Hangzhou Hikvision Digital Technology", "Beijing Biren
# Technology Development"), read beside ``kind_word`` by ``brand_alone`` only:
# "ai", "digital" and "science" are no words of an organisation's name alone,
# and ``index.ORGANISATION_WORDS`` would take "Ai Weiwei" for one.
BUSINESS_WORDS = frozenset(
    {
        "ai",
        "circuit",
        "circuits",
        "development",
        "digital",
        "electric",
        "electrical",
        "information",
        "integrated",
        "intelligence",
        "intelligent",
        "materials",
        "science",
        "sciences",
        "semiconductors",
        "software",
    }
)


def brand_alone(
    query: NormalizedName,
    candidate: NormalizedName,
    few: Callable[[str], bool] = lambda _: True,
) -> str:
    """The note of ``BRAND_ALONE`` when ``query`` is a company's trade name
    alone: its words, one of which names a company (``trade_word``) and is in
    ``few`` listed names, are all written as they are among the words of
    ``candidate``, and every word ``candidate`` adds says what kind of
    organisation it is (``kind_word``, ``BUSINESS_WORDS``) or where (a Chinese
    province or city, a region of several countries, a place in
    parentheses); else "".

    "Loongson" screened alone is the listed "Loongson Technology": the company
    rules weigh "technology" as a word the query lacks and score the pair 0.77,
    below review, so the trade name by which the Entity List's chip makers are
    known found nothing, nor did "Zhipu" find "Zhipu AI". A listed name that
    adds a word of its own ("Loongson Zhongke", "Zhipu Huazhang Technology")
    names one company of several that share the trade name, and is not read
    so; nor is a name whose words all name no company by themselves
    ("Johnson" is not "Johnson Trading"), or are in many listed names ("Energy"
    is not "Global Energy Company": ``few``, ``NameMatcher.BRAND_NAMES``).

    >>> from chipgate.screening.normalize import normalize
    >>> brand_alone(normalize("Loongson"), normalize("Loongson Technology"))[:11]
    'brand_alone'
    >>> brand_alone(normalize("Loongson"), normalize("Loongson Zhongke"))
    ''
    >>> brand_alone(normalize("Johnson"), normalize("Johnson Trading"))
    ''
    """
    words, listed = query.tokens, candidate.tokens
    if (
        not words
        or len(listed) <= len(words)
        or any(word not in listed for word in words)
        or not any(trade_word(word) and few(word) for word in words)
    ):
        return ""
    added = [w for w in listed if w not in words]
    # a Chinese province or city anywhere: "Moore Thread Intelligent Technology
    # (Shanghai)" and "(Chengdu)", the subsidiaries the lists name by city
    where = set(chinese_divisions().intersection(added))
    where.update(region_words(listed))
    where.update(candidate.places)
    if not added or not all(
        kind_word(w) or w in BUSINESS_WORDS or w in where for w in added
    ):
        return ""
    return (
        f"{BRAND_ALONE_RULE}: '{' '.join(words)}', the listed name adding only "
        f"what kind of organisation it is and where ({' '.join(added)}), at "
        f"most {BRAND_ALONE}"
    )


# The most syllables of a name in Chinese or Hangul script that one listed
# word written in Latin letters joins ("Zhongxing", "Huazhang": two;
# "Lianxiangda": three): ``syllables_joined``. Of the words of six letters or
# more in the names of the entries listed in China (the lists of 2026) that
# read as pinyin syllables, 2,864 read as two, 356 as three, 79 as four and 10
# as five or six.
MAX_JOINED_SYLLABLES = 4


def syllables_joined(
    query: NormalizedName, candidate: NormalizedName
) -> NormalizedName:
    """``query``, a name in Chinese or Hangul script read a syllable a word,
    with each run of adjacent syllables that ``candidate`` writes as one word
    joined into that word, the longest run first.

    The lists write a Chinese trade name's syllables together ("Zhipu AI"),
    and the script writes a character a syllable: "智谱" is "zhi pu". The
    company rules join two words to meet one (``token_alignment``), but
    ``brand_alone`` reads the trade name's words as written, so "智谱" screened
    alone never met "Zhipu AI" as "Zhipu" does.

    >>> from chipgate.screening.normalize import normalize
    >>> syllables_joined(normalize("智谱华章"), normalize("Zhipu Huazhang Technology")).tokens
    ('zhipu', 'huazhang')
    """
    words, listed = query.tokens, frozenset(candidate.tokens)
    joined: list[str] = []
    at = 0
    while at < len(words):
        for size in range(min(MAX_JOINED_SYLLABLES, len(words) - at), 1, -1):
            word = "".join(words[at : at + size])
            if word in listed:
                joined.append(word)
                at += size
                break
        else:
            joined.append(words[at])
            at += 1
    return replace(query, tokens=tuple(joined))


def trade_word(word: str) -> bool:
    """Whether ``word`` may name a company by itself: not a word of what kind
    of organisation it is (``kind_word``), a place the place tables know (a
    country, a region, a Chinese province or large city: other cities, such as
    "moscow", are words of many listed names, which ``brand_alone``'s ``few``
    sets aside), a single pinyin syllable, a word of the population table (a
    person's name), a number, nor a word of fewer than ``BRAND_MIN_LETTERS``
    letters (an initialism, a syllable).

    >>> trade_word("loongson"), trade_word("technology"), trade_word("johnson")
    (True, False, False)
    >>> trade_word("beijing"), trade_word("iran"), trade_word("wang")
    (False, False, False)
    """
    return (
        len(word) >= BRAND_MIN_LETTERS
        and word.isalpha()
        and not kind_word(word)
        and word not in pinyin_syllables()
        and name_share(word) == 0
        and surname_share(word) == 0
        and word not in place_names()
        and not region_words((word,))
        and not leading_division((word,))
    )


def _named(tokens: Sequence[str], extra: Sequence[str]) -> bool:
    """Whether the words of ``tokens`` but ``extra`` hold a word that names a
    company (a trade name), not only words of what kind it is ("Electronic
    Technology Research Institute" names no company), nor only single pinyin
    syllables, which are persons' names as often ("Zhen Rong" against
    "ZHUHAI ZHEN RONG COMPANY")."""
    syllables = pinyin_syllables()
    return any(
        not kind_word(word) and word not in syllables
        for word in tokens
        if word not in extra
    )


def kind_word(word: str) -> bool:
    """Whether ``word`` says what kind of organisation a name is (Bank,
    Institute, Technologies, Trading) or joins its words (of, and), and so
    names no company by itself."""
    return word in ORGANISATION_WORDS or word in GENERIC_WORDS or word in FUNCTION_WORDS


def weigher(base: Weigher, light: Collection[str]) -> Weigher:
    """``base`` with the words in ``light`` weighed at ``GENERIC_SHARE``."""
    if not light:
        return base

    def weigh(token: str) -> float:
        weight = base(token)
        return weight * GENERIC_SHARE if token in light else weight

    return weigh


@cache
def _org_phrases() -> tuple[frozenset[str], dict[tuple[str, ...], str], int]:
    """Phrases of organisation names read as one abbreviation or English word
    (``data/org_phrases.yaml``), by the skeletons of their words; their first
    words as written (the cheap test); the longest phrase's length."""
    path = resources.files("chipgate.screening").joinpath("data/org_phrases.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))["phrases"]
    phrases = [
        (str(phrase).split(), str(short))
        for short, written in data.items()
        for phrase in written
    ]
    table = {tuple(skeleton(w) for w in words): short for words, short in phrases}
    starts = frozenset(words[0] for words, _ in phrases)
    return starts, table, max(len(k) for k in table)


@lru_cache(maxsize=65536)
def phrased(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """``tokens`` with each phrase of ``data/org_phrases.yaml`` read as its
    abbreviation ("scientific production association" and "nauchno
    proizvodstvennoe obedinenie" are "npo") and each transliterated Russian
    word of it as its English ("kontsern" is "concern")."""
    starts, table, longest = _org_phrases()
    if starts.isdisjoint(tokens):
        return tokens  # most names
    keys = [skeleton(w) for w in tokens]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            short = table.get(tuple(keys[i : i + size]))
            if short is not None:
                out.extend(short.split())
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return tuple(out)


def org_phrases(
    query: NormalizedName, candidate: NormalizedName
) -> tuple[NormalizedName, NormalizedName, str]:
    """The two names with their Russian kinds of organisation and words read
    as one (``phrased``) when that makes a word they share, and a note; else
    the names as they are. "Scientific Production Association Kvant" and "NPO
    Kvant" share "npo"; words in another order ("Bureau Design Rio" / "Design
    Bureau Rio") already agree and are left as written."""
    starts = _org_phrases()[0]
    if starts.isdisjoint(query.tokens) and starts.isdisjoint(candidate.tokens):
        return query, candidate, ""  # most pairs
    first, second = phrased(query.tokens), phrased(candidate.tokens)
    shared = set(query.tokens) & set(candidate.tokens)
    read = (set(first) & set(second)) - shared
    # a word or phrase both names write alike is no gain read as one ("Sanayi"
    # in both is no new shared "industry", which would take "Ticaret" from a
    # query's "Tacaret"), unless one name also writes the word it is read as
    # ("Scientific Research Institute NII Submikron")
    alike = set(phrased(tuple(t for t in query.tokens if t in shared)))
    gained = (read - alike) | (read & (set(query.tokens) ^ set(candidate.tokens)))
    if not gained:
        return query, candidate, ""
    return (
        replace(query, tokens=first),
        replace(candidate, tokens=second),
        f"organisation words read as one: {' '.join(sorted(gained))}",
    )


# The rules that read words of one name as the other writes them or set them
# aside, in the order they apply, each with how its note begins and joins
# the words.
_WORDS_SET_ASIDE: tuple[
    tuple[
        Callable[
            [NormalizedName, NormalizedName],
            tuple[NormalizedName, NormalizedName, list[str]],
        ],
        str,
        str,
    ],
    ...,
] = (
    (arabic_articles, "Arabic article set aside", " "),
    (named_after, "'named after' set aside", " "),
    (ezafe, "the ezafe set aside", " "),
    (conjunctions, "'and' of another language set aside", " "),
    (country_adjectives, "a country and its adjective", ", "),
)


def prepared(
    query: NormalizedName,
    candidate: NormalizedName,
    rare: Callable[[str], bool] = lambda _: False,
) -> tuple[NormalizedName, NormalizedName, frozenset[str], list[str]]:
    """The two names as the company rules compare them: function words set
    aside, and the generic words one adds to the other (weighed lightly).
    ``rare`` says whether a word is in few listed names (``place_extras``).

    Also returns one note per rule that fired, for the explanation.
    """
    query, candidate, read = org_phrases(query, candidate)
    notes: list[str] = [read] if read else []
    for read_aside, said, joiner in _WORDS_SET_ASIDE:
        query, candidate, words = read_aside(query, candidate)
        if words:
            notes.append(f"{said}: {joiner.join(words)}")
    query_kept, query_dropped = content(query)
    candidate_kept, candidate_dropped = content(candidate)
    dropped = sorted(set(query_dropped) | set(candidate_dropped))
    if dropped:
        notes.append(f"function words set aside: {' '.join(dropped)}")
    query_words, query_short, query_pinyin = _spelled_out(
        query_kept.tokens, candidate_kept.tokens
    )
    candidate_words, candidate_short, candidate_pinyin = _spelled_out(
        candidate_kept.tokens, query_kept.tokens
    )
    if query_short or candidate_short:
        notes.append(f"abbreviations: {', '.join(query_short + candidate_short)}")
    if query_pinyin or candidate_pinyin:
        notes.append(
            "Chinese company words in pinyin: "
            f"{', '.join(query_pinyin + candidate_pinyin)}"
        )
    if query_words != query_kept.tokens or candidate_words != candidate_kept.tokens:
        query_kept = replace(query_kept, tokens=query_words)
        candidate_kept = replace(candidate_kept, tokens=candidate_words)
    light = generic_extras(
        _with_generic_forms(query_kept), _with_generic_forms(candidate_kept)
    )
    if light:
        notes.append(
            f"generic words added by one name: {' '.join(sorted(light))} "
            f"(weight x{GENERIC_SHARE})"
        )
    places, rule = place_extras(query_kept, candidate_kept, rare)
    if places:
        notes.append(f"{rule}: {' '.join(places)} (weight x{GENERIC_SHARE})")
        light = light | frozenset(places)
    numbers, series = series_numbers(query_kept.tokens, candidate_kept.tokens)
    if series:
        notes.append(series)
        if len(numbers) == 2:
            light = light | numbers
        else:  # one value written two ways: the query's is the listed one
            query_kept = replace(
                query_kept,
                tokens=tuple(
                    t if t in candidate_kept.tokens else next(iter(numbers))
                    for t in query_kept.tokens
                ),
            )
    return query_kept, candidate_kept, light, notes


# Roman numerals of funds, trusts and series (1 to 39), by value: "Fund IV"
# is "Fund 4". Numerals of L, C, D, M are left out: as words they are initials.
_TENS_ROMAN = ("", "x", "xx", "xxx")
_UNITS_ROMAN = ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")
ROMAN = {
    tens + units: 10 * t + u
    for t, tens in enumerate(_TENS_ROMAN)
    for u, units in enumerate(_UNITS_ROMAN)
    if t or u
}
_NUMERAL_START = frozenset("ivx0123456789")
# Series numbers in digits have one or two; longer ones identify a ship, an
# aircraft or a unit ("FU YUAN YU 7871", "RA-78794").
SERIES_DIGITS = 2


def numeral(token: str) -> int | None:
    """The value of a number written in digits or in roman numerals (1 to
    39), else None.

    >>> numeral("iv"), numeral("4"), numeral("ivan")
    (4, 4, None)
    """
    if token.isdigit():
        return int(token)
    return ROMAN.get(token)


def series_numbers(
    query: Sequence[str], candidate: Sequence[str]
) -> tuple[frozenset[str], str]:
    """The numbers of two members of one series, and a note; else nothing.

    Two names that are the same words but one number each, a roman numeral
    or at most ``SERIES_DIGITS`` digits ("KKR Asian Fund III" / "KKR Asian
    Fund IV", "New Holding 1" / "New Holding 2"), name two funds, trusts or
    partnerships of one series: the numbers weigh a quarter. One number
    written in roman numerals and in digits ("Blackstone Partners IV" /
    "Blackstone Partners 4") costs nothing (returned alone, the listed
    writing). Longer numbers are left as they are: they are hull,
    registration or unit numbers, each a party of its own. A number that
    one name adds alone ("Bowne Global Solutions II" / "Bowne Global
    Solutions") is another company, and is left as it is.
    """
    if (
        len(query) != len(candidate)
        or _NUMERAL_START.isdisjoint(w[0] for w in query)
        or _NUMERAL_START.isdisjoint(w[0] for w in candidate)
    ):
        return frozenset(), ""  # most names: no word that could be a number
    own = [w for w in query if w not in candidate]
    other = [w for w in candidate if w not in query]
    if len(own) != 1 or len(other) != 1 or len(query) < 2 or len(candidate) < 2:
        return frozenset(), ""
    first, second = numeral(own[0]), numeral(other[0])
    if first is None or second is None:
        return frozenset(), ""
    if first == second:  # the listed writing alone: the query is read as it
        return frozenset(other), f"a number written two ways: {own[0]} = {other[0]}"
    if max(len(own[0]), len(other[0])) > SERIES_DIGITS and (
        own[0].isdigit() or other[0].isdigit()
    ):
        # longer numbers are hull, registration or unit numbers, each a party
        # of its own ("FU YUAN YU 7871" / "7875", "RA-78794" / "RA-78796")
        return frozenset(), ""
    return (
        frozenset(own + other),
        f"series numbers apart: {own[0]} / {other[0]} (weight x{GENERIC_SHARE})",
    )


# Transliterated names write vowels many ways (Hizballah / Hezbollah, Muhammad /
# Mohammed); a long word with the same consonants in the same order is the same
# word, at the score of a spelling variant.
VOWEL_VARIANT = 0.95
MIN_CONSONANTS = 4
MIN_LENGTH = 6
_VOWELS = frozenset("aeiouy")


def consonants(word: str) -> str:
    """The consonants of ``word`` in order, doubled letters written once.

    >>> consonants("hizballah") == consonants("hezbollah")
    True
    """
    out: list[str] = []
    for char in word:
        if char not in _VOWELS and (not out or out[-1] != char):
            out.append(char)
    return "".join(out)


def vowel_variants(
    query: NormalizedName, candidate: NormalizedName
) -> tuple[NormalizedName, list[str]]:
    """``query`` with each long word that differs from a word of ``candidate``
    only in its vowels written as that word, and a note for each ("hizballah =
    hezbollah"). Only a word of at least ``MIN_LENGTH`` letters and
    ``MIN_CONSONANTS`` consonants, with one such partner and no exact one,
    nor one the spelling rules already read as it (``tokens.skeleton``:
    "Centre" / "Center" agree word for word, at 0.95 for that word alone,
    not for the whole name)."""
    words = list(query.tokens)
    notes: list[str] = []
    spelt: set[str] | None = None
    for i, word in enumerate(words):
        if len(word) < MIN_LENGTH or word in candidate.tokens:
            continue
        key = consonants(word)
        if len(key) < MIN_CONSONANTS:
            continue
        if spelt is None:
            spelt = {skeleton(other) for other in candidate.tokens}
        if skeleton(word) in spelt:
            continue
        partners = {
            other
            for other in candidate.tokens
            if other not in query.tokens
            and len(other) >= MIN_LENGTH
            and abs(len(other) - len(word)) <= 2
            and consonants(other) == key
        }
        if len(partners) == 1:
            words[i] = partners.pop()
            notes.append(f"{word} = {words[i]}")
    if not notes:
        return query, []
    return replace(query, tokens=tuple(words)), notes


FORMS_COMPARED = "compared with company forms"
# Words agreeing this little reach at most 0.8 x 0.75 + 0.2 = 0.80 whatever the
# letters (``NameMatcher.WEIGHTS``), the review threshold: not worth a second ratio.
WORDS_FLOOR = 0.75


def with_forms(
    query: NormalizedName,
    candidate: NormalizedName,
    words: FeatureResult,
    letters: FeatureResult,
) -> FeatureResult:
    """The character ratio of the two names with their company forms too,
    when the words agreed better so (``features.token_alignment``: a form
    written with a typo or cut short is no form, "Tactical Missiles
    Corporation Joint Stock Compan"), and it is higher; else ``letters``. The
    ratio of the names without forms would set the words' agreement against
    letters the query holds in a form it failed to write (0.62 there)."""
    if words.score <= WORDS_FLOOR or not words.detail.endswith(FORMS_COMPARED):
        return letters  # most pairs
    found = sequence(
        replace(query, tokens=query.tokens + query.org_forms),
        replace(candidate, tokens=candidate.tokens + candidate.org_forms),
    )
    if found.score <= letters.score:
        return letters
    return FeatureResult(found.name, found.score, f"{found.detail}, {FORMS_COMPARED}")


# Words of the legal forms of non-profit organisations in the form tables
# (``data/org_forms.yaml``, ``data/legal_forms.yaml``): the Russian autonomous
# non-profit organisation (ANO, Avtonomnaya Nekommercheskaya Organizatsiya) and
# non-commercial partnership, the Belgian ASBL (association sans but lucratif,
# vereniging zonder winstoogmerk), the German eingetragener Verein,
# and "non profit" written as two words (``_non_profit``).
NONPROFIT_WORDS = frozenset(
    {
        "ano",
        "asbl",
        "gewinnerzielungsabsicht",
        "lucratif",
        "nekommercheskaya",
        "nekommercheskoe",
        "verein",
        "winstoogmerk",
    }
)
# Form words that name an organisation of either kind: a non-profit may be a
# "company" or a "corporation" as well (a US non-profit corporation).
EITHER_KIND = frozenset(
    {"co", "company", "corp", "corporation", "kompaniya", "korporatsiya"}
)
# A non-profit's name against a company's: two legal persons of two kinds.
FORM_KINDS_CAP = 0.85
FORM_KINDS = "form_kinds"


def _non_profit(forms: Sequence[str]) -> bool:
    """Whether the company forms removed from a name hold a non-profit's."""
    if not NONPROFIT_WORDS.isdisjoint(forms):
        return True
    return any(pair == ("non", "profit") for pair in pairwise(forms))


def form_kinds(query_forms: Sequence[str], listed_forms: Sequence[str]) -> str:
    """Why two names whose legal forms are of two kinds name two parties, or
    "" (``form_kinds``).

    One name's forms are a non-profit organisation's and the other's a
    company's (a form other than the words either kind bears, ``EITHER_KIND``):
    an autonomous non-profit organisation and a limited liability company of
    one name are two legal persons, as the public benchmark labels "ANO
    Iskusstvo Krasoty" and "LIMITED LIABILITY COMPANY ISKUSSTVO KRASOTY". The
    name still agrees, so the pair stays a possible match for review
    (``FORM_KINDS_CAP``); a name without forms, or with the same kind of form
    ("ANO Dialog" / "Autonomous Non-Profit Organization Dialog"), is left as
    it is.
    """
    if not query_forms or not listed_forms:
        return ""  # most pairs: a form on one side at most
    for own, other in ((query_forms, listed_forms), (listed_forms, query_forms)):
        if (
            _non_profit(own)
            and not _non_profit(other)
            and not EITHER_KIND.issuperset(other)
        ):
            return (
                f"legal forms of two kinds, a non-profit's and a company's: "
                f"{' '.join(query_forms)} / {' '.join(listed_forms)}, capped at "
                f"{FORM_KINDS_CAP} ({FORM_KINDS})"
            )
    return ""


# One name of a single short word against another a typo from it: the name is
# nothing but its letters, and a letter changed in an acronym or a short name
# most often makes another party's ("CASC" / "CASIC", "PASCO" / "IASCO",
# "GENIT" / "ZENIT", each two listed entries). In a word of acronym length the
# same holds of a letter the spelling rules fold ("CEC" / "KEK", "CSSC" /
# "CSCC", "SSI" / "SSSI", each two listed entries).
SHORT_NAME_LETTERS = 5
ACRONYM_LETTERS = 4
SHORT_NAME_CAP = 0.85
SHORT_NAME_TYPO = "short_name_typo"


def short_name_typo(query: Sequence[str], candidate: Sequence[str]) -> str:
    """Why two names of one short word each, a typo apart, are held for
    review, or "" (``short_name_typo``).

    A typo in one word of a longer name leaves the rest to say which party
    it is ("Huawie Technologies"); a name that is one word of at most
    ``SHORT_NAME_LETTERS`` letters has nothing else, and the lists hold many
    such names a letter apart that name different parties. Screened against
    each other, the listed organisations' names met other entries 726 times
    so at 0.90 or more, most of them two parties' acronyms ("CASC", the
    China Aerospace Science and Technology Corporation, and "CASIC", the
    China Aerospace Science and Industry Corporation), where 39 of the
    lists' own pairs of names of one entity are of this kind ("VAZIR" /
    "VEZIR", "ENIKS" / "ENICS"). So the pair stays a possible match
    (``SHORT_NAME_CAP``), shown for review.

    A spelling variant (``tokens.skeleton``: c for k, s for z, a doubled
    letter) is held so too when both words have at most ``ACRONYM_LETTERS``
    letters. There the letters are initials, which no transliteration
    respells: "CEC" (China Electronics Corporation) met "KEK", "SSI" met
    "SSSI", "NCC" met "NNK", 252 hits on other entries in all, against 18
    of the lists' own pairs of one entity's names ("CSSC" / "CSC", "Taco" /
    "Tako", both spellings listed for that entity). A longer word's
    spelling variant is a transliteration ("Hygon" / "Higon", "Klass" /
    "Class") and stays as it scores.

    >>> short_name_typo(("casc",), ("casic",))[-17:]
    '(short_name_typo)'
    >>> short_name_typo(("cec",), ("kek",))[-17:]
    '(short_name_typo)'
    >>> short_name_typo(("huawie",), ("huawei",)), short_name_typo(("hygon",), ("higon",))
    ('', '')
    """
    if len(query) != 1 or len(candidate) != 1:
        return ""
    own, other = query[0], candidate[0]
    letters = max(len(own), len(other))
    if letters > SHORT_NAME_LETTERS:
        return ""
    kind = token_similarity(own, other)[1]
    if kind == "typo":
        reason = f"one word of at most {SHORT_NAME_LETTERS} letters a typo from"
    elif kind == "spelling variant" and letters <= ACRONYM_LETTERS:
        reason = f"one word of at most {ACRONYM_LETTERS} letters spelt like"
    else:
        return ""
    return (
        f"{reason} the other: {own} / {other}, another name as often as the same, "
        f"capped at {SHORT_NAME_CAP} ({SHORT_NAME_TYPO})"
    )


def without(name: NormalizedName, words: Collection[str]) -> NormalizedName:
    """``name`` without ``words`` (for the character comparison, which cannot
    weigh them), kept whole if nothing would remain."""
    if not words:
        return name  # the common case: nothing set apart, no copy made
    kept = tuple(t for t in name.tokens if t not in words)
    return replace(name, tokens=kept) if kept and len(kept) < len(name.tokens) else name


def written_variants(name: str) -> list[tuple[NormalizedName, str]]:
    """The other forms of a written name that the lists are indexed under, each
    with how it was read: without an acronym or short name in parentheses, that
    short name alone, without an address run on after the name
    (``normalize.name_variants``). A query "Semiconductor Manufacturing
    International Corporation (SMIC)" is also screened as the name and as "SMIC".
    """
    if not any(mark in name for mark in "([{,"):
        return []  # nothing set apart (name_variants looks at these only)
    variants = name_variants(name)[1:]
    if any(_country_code(inner) for inner in _PARENTHESES.findall(name)):
        # "Yamahdi (UK) Limited": the parenthetical says where, it is no alias
        variants = []
    return [
        (normalize(variant), f"read as '{variant}' (short name or address set apart)")
        for variant in variants
    ]


# Abbreviations of ``ABBREVIATIONS`` that the index cannot reach from the word
# as written: not the first letters of the word, or fewer than half of them
# ("Trdg", "Equip"); a prefix such as "Tech" the index expands itself.
_UNREACHED = frozenset(
    short
    for short, expansions in ABBREVIATIONS.items()
    if not any(
        len(e) == 1 and e[0].startswith(short) and len(e[0]) >= 2 * len(short)
        for e in expansions
    )
)


@cache
def _read_words() -> frozenset[str]:
    """Every word ``read_words`` may read: the abbreviations the index cannot
    reach, the pinyin company words and the first words of the organisation
    phrases (the cheap test)."""
    return _UNREACHED | pinyin_words().keys() | _org_phrases()[0]


def read_words(name: str) -> list[tuple[NormalizedName, str]]:
    """The query with its company words read as the lists write them, when
    it writes any: abbreviations ("Trdg" as "Trading"), pinyin company words
    ("Jishu" as "Technologies") and Russian organisation words and phrases
    ("Kontsern" as "Concern", ``phrased``). The company rules read them so
    when a listed name is scored; this form lets the index find that name
    in the first place ("Концерн Калашников" shares only the common
    "Kalashnikov" with "Kalashnikov Concern" as written, and was not among
    the candidates). Nothing for most names (checked first)."""
    query = normalize(name)
    if _read_words().isdisjoint(query.tokens):
        return []
    table = pinyin_words()
    words: list[str] = []
    for token in phrased(query.tokens):
        expansions = (
            ABBREVIATIONS[token] if token in _UNREACHED else table.get(token, ())
        )
        words.extend(expansions[0] if expansions else (token,))
    if tuple(words) == query.tokens:
        return []
    read = " ".join(words)
    return [
        (
            replace(query, tokens=tuple(words)),
            f"read as '{read}' (company words as the lists write them)",
        )
    ]


_PARENTHESES = re.compile(r"\(([^()]*)\)")

# What joins two names of organisations in one field: another name of the same
# company (d/b/a, trading as, formerly, a.k.a.), or the company that owns it (a
# subsidiary or affiliate of, owned by), the party another receives for (c/o,
# care of, on behalf of: a consignee and its forwarder, each a party to
# screen), or a plain " / " between two names.
# Not "branch of" or "division of": the part before is often a place or a
# number ("Shanghai Branch of Bank of China", "4th Division of ...").
_JOINS = re.compile(
    r"\s*[,;(]?\s*\b(?:"
    r"d/?b/?a|doing business as|t/a|trading as|f/?k/?a|formerly(?: known as)?|"
    r"a/?k/?a|also known as|c/o|(?:in )?care of|on behalf of|"
    r"(?:an? )?(?:(?:wholly|majority)[- ]owned )?(?:subsidiary|affiliate) of"
    r"(?: the)?|owned by"
    r")\b\.?:?\s*|\s+/\s+",
    re.IGNORECASE,
)
_JOIN_HINTS = ("/", " of ", " as ", " by ", "formerly", "aka", "AKA", " Of ", " OF ")


def named_parts(name: str) -> list[tuple[NormalizedName, str]]:
    """Each organisation a query names when it joins two in one field, with
    how it was read: "Sitronics, a subsidiary of AFK Sistema" is also screened
    as "Sitronics" and as "AFK Sistema", "Acme Ltd (formerly Apex Ltd)" as
    both names, "Mikron Group / Sitronics" as each, "Huawei Technologies c/o
    Acme Logistics" as the consignee and as its forwarder. Nothing for most names,
    which hold no such words (checked first)."""
    if not any(hint in name for hint in _JOIN_HINTS):
        return []
    pieces = [p.strip(" ,;()") for p in _JOINS.split(name)]
    parts = [p for p in pieces if p and any(c.isalpha() for c in p)]
    if len(parts) < 2:
        return []
    return [
        (normalize(part), f"read as '{part}' (one of the names the query joins)")
        for part in parts
    ]


def _country_code(text: str) -> bool:
    """Whether ``text`` is a country's ISO 3166 code (two or three letters; UK)."""
    code = text.strip().upper()
    if code == "UK":
        return True
    if len(code) == 2:
        return pycountry.countries.get(alpha_2=code) is not None
    return len(code) == 3 and pycountry.countries.get(alpha_3=code) is not None
