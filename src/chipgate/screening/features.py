"""Named features that compare a query name with one listed name.

Each feature is a pure function returning a ``FeatureResult`` (a score in [0, 1]
and a human-readable detail), so that every hit explains itself feature by feature
instead of through positional numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from typing import TypeVar

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from chipgate.screening.abjad_letters import (
    WRITTEN_VOWELS,
    consonants_agree,
    spelled_vowels,
)
from chipgate.screening.arabic_compounds import (
    ARABIC_COMPOUND,
    G_FOR_Q,
    PERSIAN_GH,
    TRANSLITERATED_VOWELS,
    g_for_q,
    persian_gh,
    same_compound,
    transliterated_vowels,
)
from chipgate.screening.belarusian import BELARUSIAN_SPELLING, belarusian_spelling
from chipgate.screening.guards import (
    common_person_name,
    common_person_word,
    different_names,
    known_name,
    letter_for_letter,
    pinyin_syllables,
    two_syllables,
)
from chipgate.screening.korean import korean_pair, korean_spelling, korean_surname
from chipgate.screening.name_groups import (
    ALIAS_SPELLING,
    HYPOCORISM,
    NAME_GROUP,
    alias_spelling,
    same_name,
    short_form,
)
from chipgate.screening.normalize import (
    NormalizedName,
    abjad_title,
    name_share,
    name_variant_key,
)
from chipgate.screening.patronymics import PATRONYMIC_OF, patronymic_of
from chipgate.screening.scripts import romanize, written_words
from chipgate.screening.somali import SOMALI_SPELLING, somali_spelling
from chipgate.screening.tokens import (
    INITIAL,
    SAME_SKELETON,
    allowed_edits,
    apart,
    fold_spelling,
    named_rule,
    token_similarity,
)

Weigher = Callable[[str], float]


@dataclass(frozen=True, slots=True)
class FeatureResult:
    """The outcome of one feature: its name, score in [0, 1] and why."""

    name: str
    score: float
    detail: str


_Item = TypeVar("_Item")  # a word, or a word with its place


@dataclass(frozen=True, slots=True)
class Words:
    """One name's words with what every comparison reads of them, made once.

    A listed name is compared with many queries; its word set and its adjacent
    words written together depend on it alone, so the matcher keeps them per
    listed name (``ListedForms``) instead of making them again for each query.
    """

    tokens: tuple[str, ...]
    present: frozenset[str]  # the words, for membership
    joined: tuple[str, ...]  # each two adjacent words written as one
    joined_set: frozenset[str]
    # the words a number may be like (those not all letters) and the words a
    # word of letters may be like (those not all digits), in order: a number
    # and a word of letters share no character (``tokens.apart``)
    for_number: tuple[str, ...]
    for_letters: tuple[str, ...]

    @classmethod
    def of(cls, tokens: Sequence[str]) -> Words:
        """The words of ``tokens`` and their adjacent pairs joined."""
        words = tuple(tokens)
        joined = tuple(a + b for a, b in pairwise(words))
        return cls(
            words,
            frozenset(words),
            joined,
            frozenset(joined),
            tuple(w for w in words if not w.isalpha()),
            tuple(w for w in words if not w.isdigit()),
        )


@lru_cache(maxsize=4096)
def query_words(tokens: tuple[str, ...]) -> Words:
    """``Words.of(tokens)`` for a query's words: a query is compared with
    several listed names, each twice when their company forms differ
    (``token_alignment``), and its words are the same each time (a ``Words``
    is never changed). The last few thousand kept: a batch meets each name
    once."""
    return Words.of(tokens)


@dataclass(frozen=True, slots=True)
class ListedForms:
    """What the company rules read of one listed name, independent of the query:
    its words, its words with company forms, and its text with words sorted."""

    name: NormalizedName
    words: Words
    full: Words  # the words and then the company forms
    text: str
    sorted_text: str

    @classmethod
    def of(cls, name: NormalizedName) -> ListedForms:
        """Made once per listed name (``NameMatcher`` keeps them)."""
        text = name.text
        return cls(
            name,
            Words.of(name.tokens),
            Words.of(name.tokens + name.org_forms),
            text,
            _sorted_words(text),
        )


def _sorted_words(text: str) -> str:
    """``text`` with its words sorted, as rapidfuzz's ``token_sort_ratio`` sorts them
    (split on white space, joined by one space)."""
    return " ".join(sorted(text.split()))


def _merged(
    own_words: Words, other: Words, fuzzy: bool = True
) -> dict[int, tuple[str, float]]:
    """Positions of ``own`` written as one word on the other side, or the reverse.

    "hua wei" against "huawei": both "hua" and "wei" map to "huawei" on one
    side, and "huawei" maps to "huawei" (the two words joined) on the other. With
    ``fuzzy``, the joined word may also differ by a typo ("andrang heta" against
    "ndrangheta"), at that typo's similarity. Three words are joined too
    ("nam chon gang" against "namchongang"), letter for letter only: the
    lists' own pairs that asked for it all join exactly, and a typo across
    three short words was never measured.
    """
    found: dict[int, tuple[str, float]] = {}
    other_set = other.present
    own, own_joined, other_words = own_words.tokens, own_words.joined, other.tokens
    for i in range(len(own) - 1):
        joined = own_joined[i]
        best, partner = (1.0, joined) if joined in other_set else (0.0, "")
        if (
            not best
            and fuzzy
            and own[i] not in other_set
            and own[i + 1] not in other_set
        ):
            # A number of three digits or more in the pair ("trading 123456")
            # is that many edits from a word of letters: beyond any typo.
            numbered = _long_number(own[i]) or _long_number(own[i + 1])
            for word in other_words:
                if abs(len(word) - len(joined)) > 2:
                    continue  # beyond any typo: not worth the comparison
                if numbered and word.isalpha():
                    continue
                score, rule = token_similarity(joined, word)
                if rule == "typo" and score > best:
                    best, partner = score, word
        if best:
            found[i] = found[i + 1] = (partner, best)
    for i in range(len(own) - 2):
        # three words the other name writes as one ("xin yin bo" / "xinyinbo")
        three = own_joined[i] + own[i + 2]
        if three in other_set and three not in own:
            found[i] = found[i + 1] = found[i + 2] = (three, 1.0)
    joined_other = other.joined_set
    for i, token in enumerate(own):
        if token in other_set:
            continue
        if token in joined_other or _three_joined(token, other_words):
            found[i] = (token, 1.0)
        elif fuzzy and i not in found:
            number = token.isdigit()
            for joined in joined_other:
                if abs(len(token) - len(joined)) > 2:
                    continue
                if number and joined.isalpha():
                    continue  # no character in common (``tokens.apart``)
                score, rule = token_similarity(token, joined)
                if rule == "typo" and score > found.get(i, ("", 0.0))[1]:
                    found[i] = (joined, score)
    return found


def _three_joined(token: str, words: Sequence[str]) -> bool:
    """Whether three adjacent ``words`` written together are ``token``."""
    for j in range(len(words) - 2):
        first = words[j]
        if token.startswith(first) and token == first + words[j + 1] + words[j + 2]:
            return True
    return False


def _long_number(word: str) -> bool:
    """A number of three digits or more: written together with another word, so
    many edits from any word of letters that no typo rule can join them."""
    return len(word) >= 3 and word.isdigit()


def _side(
    own: Words,
    other: Words,
    merged: dict[int, tuple[str, float]],
    weigh: Weigher,
    fuzzy: bool = True,
    held: tuple[bool, bool] = (False, True),
) -> tuple[float, float, list[str]]:
    """Weighted agreement of each word of ``own`` with its best word in ``other``.

    A word the other name holds as written is its best partner (only the same
    word scores 1.0), so the other words are not compared with it. ``held``:
    whether the query names an organisation (``surname_brand``) and whether
    ``own`` is the query's words.
    """
    got = total = 0.0
    notes: list[str] = []
    present = other.present
    for i, token in enumerate(own.tokens):
        if i in merged:
            partner, best = merged[i]
            rule = "joined"
        elif token in present:
            best, rule, partner = 1.0, "exact", token
        else:
            best, rule, partner = 0.0, "", ""
            # (``tokens.apart`` pairs score 0, so neither is ever best)
            for candidate in _alike(
                token, other.for_number, other.for_letters, other.tokens
            ):
                score, why = token_similarity(token, candidate)
                if fuzzy and score < SAME_NAME_ITEM:
                    # "Qods" / "Ghods", "Marun" / "Maroon": a transliterated
                    # word spelt as the person rules read it
                    spelt, how = transliterated_word(token, candidate)
                    if spelt > score:
                        score, why = spelt, how
                if not fuzzy and why != "exact":
                    continue
                if why == "typo" and common_person_word(token, candidate):
                    # "Angela" is not "Angola", "Maria" not "Marin"; but a
                    # company's name misspelt in a query that names one, beside
                    # a word both names write, is held only by the query's own
                    # word (surname_brand: "Phillis 66", not "Acrol" / "CAROL")
                    if (
                        not held[0]
                        or present.isdisjoint(own.present)
                        or common_person_name(token if held[1] else candidate)
                    ):
                        continue
                    why = "typo of a name in a company's name (surname_brand)"
                if score > best:
                    best, rule, partner = score, why, candidate
                    if score == 1.0:
                        break
        # A misspelt word is unknown to the lists (maximal weight): it weighs what
        # the word it stands for weighs.
        weight = min(weigh(token), weigh(partner)) if best else weigh(token)
        got += weight * best
        total += weight
        if best == 0.0:
            notes.append(f"{token} unmatched")
        elif rule != "exact":
            notes.append(
                f"{token}~{partner} ({_named(token, partner, rule)} {best:.2f})"
            )
    return got, total, notes


def token_alignment(
    query: NormalizedName,
    candidate: NormalizedName | ListedForms,
    weigh: Weigher,
    fuzzy: bool = True,
    organisation: bool = False,
) -> FeatureResult:
    """Share of both names' word weight that the other name accounts for.

    Each word is matched to its most similar word on the other side (exact,
    transliteration variant, abbreviation, initial, typo, two words written as
    one, or one transliterated word as the person rules read it:
    ``transliterated_word``) and weighed by rarity, so "Huawei" matters more than "Technologies" and an
    unmatched rare word costs more than an unmatched common one. Order is ignored.
    ``candidate`` may come with its query-independent parts made beforehand
    (``ListedForms``); the score is the same. ``organisation``: the query
    itself names an organisation (``companies.names_organisation``), so a
    listed word that is a common person name may stand misspelt in it
    (``surname_brand``: "Phillis 66" for "Phillips 66").
    """
    listed = (
        candidate if isinstance(candidate, ListedForms) else ListedForms.of(candidate)
    )
    name = listed.name
    score, notes = _align(
        query_words(query.tokens), listed.words, weigh, fuzzy, organisation
    )
    if query.org_forms != name.org_forms:
        # Company forms are recognised by position ("State Enterprise X" but not
        # "X State Enterprise"); comparing the full names too undoes a miss. The
        # same forms on both sides say nothing: they only dilute the words that
        # differ ("OOO Bai" is not "OOO Baikal").
        full, full_notes = _align(
            query_words(query.tokens + query.org_forms),
            listed.full,
            weigh,
            fuzzy,
            organisation,
        )
        if full > score:
            score, notes = full, [*full_notes, "compared with company forms"]
    detail = "; ".join(notes) if notes else "all words agree"
    return FeatureResult("token_alignment", min(1.0, score), detail)


def _align(
    q_words: Words,
    c_words: Words,
    weigh: Weigher,
    fuzzy: bool = True,
    organisation: bool = False,
) -> tuple[float, list[str]]:
    q_merged = _merged(q_words, c_words, fuzzy)
    c_merged = _merged(c_words, q_words, fuzzy)
    q_got, q_total, q_notes = _side(
        q_words, c_words, q_merged, weigh, fuzzy, (organisation, True)
    )
    c_got, c_total, c_notes = _side(
        c_words, q_words, c_merged, weigh, fuzzy, (organisation, False)
    )
    total = q_total + c_total
    score = (q_got + c_got) / total if total else 0.0
    notes = q_notes + [f"listed word {n}" for n in c_notes if "unmatched" in n]
    return score, notes


def sequence(
    query: NormalizedName, candidate: NormalizedName | ListedForms
) -> FeatureResult:
    """Character similarity of the two names (rapidfuzz), as written or words sorted.

    Sorting alone breaks on a typo that changes the sort order of the words
    ("gazprom gazznadzor"), and written order alone breaks on reordered words;
    the better of the two is kept. (The words sorted, then ``fuzz.ratio``, is
    rapidfuzz's ``token_sort_ratio``; a listed name's sorted text is made once.)
    """
    if isinstance(candidate, ListedForms):
        text, sorted_text = candidate.text, candidate.sorted_text
    else:
        text = candidate.text
        sorted_text = _sorted_words(text)
    asked = query.text
    score = max(
        fuzz.ratio(asked, text),
        fuzz.ratio(_sorted_words(asked), sorted_text),
    )
    return FeatureResult(
        "sequence", score / 100.0, f"character ratio {score / 100.0:.2f}"
    )


def org_forms(
    query: NormalizedName, candidate: NormalizedName | ListedForms
) -> FeatureResult:
    """Company-type words removed on each side (informational, score 1 or 0.5)."""
    if isinstance(candidate, ListedForms):
        candidate = candidate.name
    q = " ".join(query.org_forms) or "-"
    c = " ".join(candidate.org_forms) or "-"
    agree = bool(query.org_forms) == bool(candidate.org_forms)
    return FeatureResult("org_forms", 1.0 if agree else 0.5, f"query: {q}; listed: {c}")


def country(query_country: str | None, entry_countries: Sequence[str]) -> FeatureResult:
    """Whether the query's country is among the entry's (informational)."""
    if not query_country or not entry_countries:
        return FeatureResult("country", 0.5, "not compared")
    wanted = query_country.strip().upper()
    listed = [c.strip().upper() for c in entry_countries]
    if wanted in listed:
        return FeatureResult("country", 1.0, f"{wanted} among listed countries")
    shown = ", ".join(entry_countries[:5])
    return FeatureResult("country", 0.0, f"{wanted} not among listed ({shown})")


# Person names (tuned on the tuning half of the public benchmarks, docs/screening.md).
NAME_VARIANT = 0.95
# Two spellings of one name item of the name table (``name_groups``): a looser
# link than a spelling rule, since an item also holds hypocorisms (Nacho for
# Ignacio) and other languages' forms (Ljudvig for Louis).
SAME_NAME_ITEM = 0.9
# A coverage is a weighted mean of word scores: every word a name variant makes
# it 0.95 in exact arithmetic, computed 0.9499999999999999 or 0.9500000000000001
# as the words' weights fall (``every_word_a_variant``).
COVERAGE_ROUNDING = 1e-9
SHORT_TYPO = 0.8  # a one-letter difference in a word of 4-5 letters (Chinese syllables)
RARE_SHORT_TYPO = 0.85  # the same in 5 letters when one of the two is no common name
SHORTER_SIDE = 0.7  # share of the score given to the shorter name's coverage
ENDS_KEPT = (
    0.8  # the same when the shorter name holds the longer one's first and last words
)
OPENS_QUERY = 0.85  # the same when the query starts with the whole listed name
COMMON_CAP = 0.85  # a common name found inside a longer one: review, not a hit
COMMON_NAME = 1e-8  # estimated share of persons bearing a name from which it is common
QUERY_LONGER = 0.7  # the same when the query has words the listed name lacks
PERSON_TYPO = 1.5  # scale of the typo similarity for words of person names
SINGLE_WORD_CAP = 0.75  # one word alone (a given name, a surname) is never a hit
SWAPPED = 0.9  # two adjacent letters swapped in a word of a person name
# A query this long (letters and spaces) may have been cut by a field's length:
# 30 to 35 characters is the name field of many forms and payment messages.
FIELD_LENGTH = 30


ABJAD = 0.85  # an Arabic-script word agrees with a Latin spelling on its consonants (review, never a hit alone)


# A typo two letters apart as written and one once spellings are folded.
FOLDED_CLOSER = "typo once spellings are folded (folded_closer)"


def _edits(score: float, a: str, b: str) -> int:
    """The edits a typo score of ``tokens.token_similarity`` stands for."""
    return round((1.0 - score) * 2 * max(len(a), len(b)))


def _swapped(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with two adjacent letters swapped."""
    return any(a[:i] + a[i + 1] + a[i] + a[i + 2 :] == b for i in range(len(a) - 1))


# Two words spelling one Korean syllable in the two Koreas' romanizations.
KOREAN_SPELLING = "one Korean name in two romanizations (korean_spelling)"


@lru_cache(maxsize=262144)
def person_token_similarity(
    a: str,
    b: str,
    fuzzy: bool = True,
    abjad: bool = False,
    korean: bool = False,
    aliases: bool = True,
) -> tuple[float, str]:
    """Similarity of two words of person names, and the rule that gave it.

    ``fuzzy`` False (both names written in Chinese or Hangul): only exact words
    and name variants agree, since one letter more or less is another character.
    Remembered (bounded), as ``token_similarity`` is: the same words recur
    across the names of a batch.

    Two words the spelling rules find less alike than ``SAME_NAME_ITEM`` are
    one name when the name table holds both in one group (``name_groups``:
    "Chtchoukine" / "Shchukin", "Pyotr" / "Peter"), at that score; never two
    pinyin syllables, which are two characters. So are two words the lists
    write as one name of one listed person (``alias_spellings``: "Ghathafi" /
    "Gaddafi", "Cumar" / "Omar"), unless ``aliases`` is False (the table is
    mined by the rules without it, ``bench/alias_spellings_data.py``).
    Two patronymics made from one father's name, as Russian, Belarusian and
    Ukrainian form them, are one name at the name table's score
    (``patronymics.patronymic_of``: "Uladzimirauna" / "Vladimirovna").

    ``korean`` (both names read as Korean names, ``korean.korean_pair``): two
    words that spell one Korean syllable or given name, one as the lists write
    North Korean names and the other as the South writes them ("Moon" / "Mun",
    "Choi" / "Choe", ``korean.korean_spelling``), are a name variant, 0.95.
    """
    found = person_word_rules(a, b, fuzzy, abjad)
    if (
        korean
        and found[0] < NAME_VARIANT
        and korean_spelling(a, b)
        and not two_syllables(a, b)
    ):
        return NAME_VARIANT, KOREAN_SPELLING
    if (
        found[0] < SAME_NAME_ITEM
        and fuzzy
        and not abjad
        and same_name(a, b)
        and not two_syllables(a, b)
    ):
        return SAME_NAME_ITEM, NAME_GROUP
    if (
        aliases
        and found[0] < SAME_NAME_ITEM
        and fuzzy
        and not abjad
        and alias_spelling(a, b)
    ):
        return SAME_NAME_ITEM, ALIAS_SPELLING
    if (
        found[0] < SAME_NAME_ITEM
        and fuzzy
        and not abjad
        and patronymic_of(a, b, one_given_name)
    ):
        # "Uladzimirauna" / "Vladimirovna": Belarusian and Russian patronymics
        # of one father's name (``patronymics``)
        return SAME_NAME_ITEM, PATRONYMIC_OF
    return found


def one_given_name(a: str, b: str) -> bool:
    """Whether two given names read out of patronymics are one name: by the
    spelling rules, or by the name table ("Uladzimir" / "Vladimir")."""
    return person_word_rules(a, b)[0] >= SAME_NAME_ITEM or (
        same_name(a, b) and not two_syllables(a, b)
    )


def person_word_rules(
    a: str, b: str, fuzzy: bool = True, abjad: bool = False
) -> tuple[float, str]:
    """``person_token_similarity`` by the spelling rules alone (no name table)."""
    if a == b:
        return 1.0, "exact"
    key = name_variant_key(a)
    if key is not None and key == name_variant_key(b):
        if not fuzzy and two_syllables(a, b):
            return 0.0, ""  # 张 is "zhang": "CHANG" in pinyin is 常, another name
        return NAME_VARIANT, "name variant"
    if not fuzzy or apart(a, b):
        # digits against letters: nothing below can find them alike
        # (``tokens.apart``; a number has no consonants)
        return 0.0, ""
    if not abjad and same_compound(a, b):
        # "Abderrahmane" / "Abd al-Rahman", "Noureddine" / "Nur al-Din": one
        # compound name in two systems' spellings (``arabic_compounds``)
        return NAME_VARIANT, ARABIC_COMPOUND
    if abjad and (agreed := consonants_agree(a, b)):
        return ABJAD, agreed
    score, rule = token_similarity(a, b)
    if different_names(a, b, rule):
        return 0.0, ""  # "Chen" is not "Chan", "Jan" is not "Jian"
    if rule in ("typo", "") and len(a) == len(b) >= 3 and _swapped(a, b):
        # "Jamli" for "Jamil", "Sko" for "Sok": the commonest slip of typing,
        # and one that seldom makes another name
        typed = 1.0 - (1.0 - score) * PERSON_TYPO if rule else 0.0
        return max(SWAPPED, typed), "letters swapped"
    if rule in ("", "typo"):
        article = article_left_out(a, b, fuzzy, abjad)
        if article[0]:
            return article  # "Zawahiri" is "al-Zawahiri" without its article
    folded = False
    if rule in ("", "typo") and _one_spelling(a, b):
        return SAME_SKELETON, "spelling variant"
    if rule in ("", "typo"):
        for spelled, name, abjad_too in _SPELLINGS:
            if (abjad_too or not abjad) and spelled(a, b):
                return SAME_SKELETON, name
    if (not rule or (rule == "typo" and score < REARRANGED)) and rearranged(a, b):
        # "Vidlamir" for "Vladimir": the inner letters shuffled (``rearranged``)
        return REARRANGED, "letters rearranged (rearranged)"
    label = "typo"
    if not rule or (rule == "typo" and _edits(score, a, b) > 1):
        # two letters apart as written may be one once spellings are folded
        # ("Prigoschin" / "Prigozhin", German sch for zh: ``folded_closer``)
        found, how = skeleton_typo(a, b)
        if how:
            if rule:
                label = FOLDED_CLOSER
            score, rule, folded = found, how, True
        if different_names(a, b, rule):
            return 0.0, ""  # folding spellings makes no two names one
    if rule == "abbreviation":
        # "Vaz" is a surname of its own, not "Vazquez" cut short; person names
        # are shortened to initials, and known short forms are name variants.
        return 0.0, ""
    if rule == "typo" and min(len(a), len(b)) <= 5:
        score, rule = short_typo(a, b, folded), label
    elif rule == "typo":
        score, rule = 1.0 - (1.0 - score) * PERSON_TYPO, label
    if score < SAME_NAME_ITEM and not abjad and transliterated_vowels(a, b):
        # "Hosein" / "Hussayn", "Najib" / "Najeeb": the short vowels of an
        # Arabic or Persian name as each system writes them
        return SAME_NAME_ITEM, TRANSLITERATED_VOWELS
    return score, rule


def transliteration(a: str, b: str) -> tuple[float, str]:
    """The score and rule by which the person rules read two words of
    letters as one name in two transliterations (a name variant, an Arabic
    compound, a spelling variant, Persian gh or zh for j, transliterated
    vowels: ``TRANSLITERATION_RULES`` but the article), at the score
    ``person_word_rules`` gives each; ``(0.0, "")`` if by none of them.

    The rules alone, without the typo rules ``person_word_rules`` tries
    first: the index asks this of a word and each listed word that shares
    its folded consonants, as written or with a letter read as another
    transliteration writes it (``ScreeningIndex.transliterations``), a dozen
    a word, few of which are one name, and the whole chain costs some 30 µs
    a pair. The article (``article_left_out``) it asks apart, of the words
    that differ by it.

    >>> transliteration("kassem", "qasim")
    (0.9, 'vowels as transliterations write them (transliterated_vowels)')
    >>> transliteration("haniya", "hanieh")
    (0.95, 'spelling variant')
    >>> transliteration("mahmoud", "mohamed")
    (0.0, '')
    """
    key = name_variant_key(a)
    if key is not None and key == name_variant_key(b):
        return NAME_VARIANT, "name variant"
    if same_compound(a, b):
        return NAME_VARIANT, ARABIC_COMPOUND
    if _one_spelling(a, b) and not different_names(a, b, "spelling variant"):
        return SAME_SKELETON, "spelling variant"
    for spelled, name, _ in _SPELLINGS:
        if name in TRANSLITERATION_RULES and spelled(a, b):
            return SAME_SKELETON, name  # "Naghdi" / "Naqdi", "Bozhkov" / "Bojkov"
    if transliterated_vowels(a, b):
        return SAME_NAME_ITEM, TRANSLITERATED_VOWELS
    return 0.0, ""


def _one_spelling(a: str, b: str) -> bool:
    """Whether two words are one spelling once the person rules' spellings
    are folded (``person_spelling``), or once transliteration spellings are,
    whatever English inflection the index's skeleton strips ("Jewgeni" /
    "Yevgeny": not "Yevgen" + y)."""
    return person_spelling(a, b) or (
        min(len(a), len(b)) >= 4 and fold_spelling(a) == fold_spelling(b)
    )


REARRANGED = 0.85  # a long word's inner letters in another order (``rearranged``)
REARRANGED_MIN = 6  # letters of each word (both as long)


def rearranged(a: str, b: str) -> bool:
    """Whether two words of person names are one word with its inner letters
    shuffled: the same letters, the same first and last letter, at least
    ``REARRANGED_MIN`` of them ("Vidlamir" / "Vladimir", as a name written
    backwards to slip past a screen may come out, ``written_backwards``).

    A reader takes a word by its ends and its letters, so a shuffled middle
    is still read as the word; the typo rules count such a word as two or
    three edits and another name. Not two names of the population table, each
    borne as written ("Kirsten" / "Kristen" stay as the typo rules score them),
    nor shorter words, where a shuffle makes other names ("Ramon" / "Roman").

    >>> rearranged("vidlamir", "vladimir"), rearranged("kirsten", "kristen")
    (True, False)
    >>> rearranged("ramon", "roman"), rearranged("vladimir", "vladimri")
    (False, False)
    """
    return (
        len(a) == len(b) >= REARRANGED_MIN
        and a[0] == b[0]  # the cheap tests first: most pairs end here
        and a[-1] == b[-1]
        and a != b
        and shuffle_key(a) == shuffle_key(b)
        and not (name_share(a) > 0 and name_share(b) > 0)
    )


def shuffle_key(word: str) -> str:
    """``word`` with its inner letters sorted, its ends kept: the key two words
    ``rearranged`` share, by which the index finds a query word's listed
    shuffles.

    >>> shuffle_key("vidlamir"), shuffle_key("vladimir")
    ('vradiilm', 'vradiilm')
    """
    return word[0] + word[-1] + "".join(sorted(word[1:-1]))


def article_left_out(a: str, b: str, fuzzy: bool, abjad: bool) -> tuple[float, str]:
    """Two words one of which is the other with the Arabic article ("al-Assad" /
    "Assad", "el-Sisi" / "Sisi"; the normalizer writes every article joined, "al"
    + word): the article left out, at a name variant's score times the
    similarity of the rest (``article``). Never when both are common names in
    their own right ("Alford" is not "Ford"), nor for a rest under four letters.

    >>> article_left_out("alassad", "assad", True, False)
    (0.95, 'article left out')
    >>> article_left_out("alford", "ford", True, False)
    (0.0, '')
    """
    short, long_ = sorted((a, b), key=len)
    rest = long_[2:]
    if (
        not long_.startswith("al")
        or short.startswith("al")
        or len(rest) < 4
        or (name_share(long_) > 0 and name_share(short) > 0)
    ):
        return 0.0, ""
    # by the rules, not the lists' pairs of words (``alias_spellings``), which
    # hold articles of their own ("elkaddafi" / "qadhafi"): read so, the rest
    # of "alqadhafi" would take the article's path below what a typo gives
    score, rule = person_token_similarity(rest, short, fuzzy, abjad, aliases=False)
    if not rule:
        return 0.0, ""
    return NAME_VARIANT * score, "article left out"


def short_typo(a: str, b: str, folded: bool) -> float:
    """Similarity of two short words (4-5 letters) one letter apart.

    In a word of five letters, when one of the two is no common name ("Nadar" for
    "Nadal", "Bessi" for "Messi") the letter reads as a typo: ``RARE_SHORT_TYPO``.
    Otherwise ``SHORT_TYPO``: when both are common names in their own right
    (``name_share``: Meyer and Mayer, Chen and Chan, Gates and Cates) the letter
    makes another name; in four letters it is a quarter of the word ("Mala" /
    "Mali"; "hmydy" / "hmdy", Arabic script without its vowels); and a letter apart
    only once spellings are folded ("Orbach" / "Orban") is the weaker sign.
    """
    common = name_share(a) > 0 and name_share(b) > 0
    if folded or common or min(len(a), len(b)) < 5:
        return SHORT_TYPO
    return RARE_SHORT_TYPO


_ARABIC_ENDING = re.compile(r"(?<=...)[ae]h$")
# Older and French spellings of one sound: dj for j (Djamel / Jamal, Djibril /
# Jibril), and sy before a vowel for sh (Indonesian before 1972: Syarif /
# Sharif, Ba'asyir / Bashir)
_OLD_SPELLINGS = {
    "dj": "j",
    "sya": "sha",
    "sye": "she",
    "syi": "shi",
    "syo": "sho",
    "syu": "shu",
}
_OLD_SPELLING = re.compile("|".join(sorted(_OLD_SPELLINGS, key=len, reverse=True)))
# The Dutch and Swedish tsj or tj for ч, sj for ш and zj for ж (Janukovytsj,
# Janukovytj / Yanukovych, Andrejevitj; Sjojgu / Shoigu; Prigozjin), where j
# is no y: tj at a word's end (Swedish тю is "tju": Tjurin is Tyurin), sj at
# its start (inside one it is s + y: Rusjan, Rusdjan); ``dutch_sj_tj``
_DUTCH = {"tsj": "ch", "tj": "ch", "sj": "sh", "zj": "zh"}
_DUTCH_SPELLING = re.compile(r"tsj|tj$|^sj|zj")


def _named(a: str, b: str, rule: str) -> str:
    """``rule`` as an explanation writes it (``tokens.named_rule``), and a
    spelling variant that only the Dutch and Swedish letters read so (one word
    writes tj, sj or zj, the other not) named ``dutch_sj_tj``.

    >>> _named("janukovytj", "yanukovych", "spelling variant")
    'spelling variant, Dutch sj tj (dutch_sj_tj)'
    """
    if rule == "spelling variant" and (
        bool(_DUTCH_SPELLING.search(a)) != bool(_DUTCH_SPELLING.search(b))
    ):
        return "spelling variant, Dutch sj tj (dutch_sj_tj)"
    return named_rule(a, b, rule)


# French writes a final -in of a Russian name -ine (Poutine, Prigojine)
_FRENCH_ENDING = re.compile(r"(?<=...)ine$")
# Belarusian writes ў (a short u after a vowel) where Russian has в: the
# surnames in -ouski, -euski (Kalinouski / Kalinovskiy, Plysheuski /
# Plyshevskiy) and the patronymics in -ouich, -auna (Ivanauna / Ivanovna);
# ``belarusian_u``
# ж and the Persian ژ are "zh" in English spellings and "j" in French and
# Uzbek ones ("Zhalolov" / "Jalolov", "Ahmadinezhad" / "Ahmadinejad"); in
# words of ``ZH_MIN`` letters or more, longer than any pinyin syllable, whose
# zh and j are two initials ("Zhang" / "Jiang"); ``zh_for_j``
ZH_MIN = 7
ZH_FOR_J = "zh written j (zh_for_j)"
_BELARUSIAN_U = re.compile(r"(?<=[aeo])u(?=(?:sk(?:i|y|ii|iy|ij|aya|aja|a)|ich|na)$)")


@lru_cache(maxsize=65536)
def _pinyin_name(word: str) -> bool:
    """Whether ``word`` is a pinyin given name of two syllables written
    together ("zhiqiang"), where zh and j are two initials."""
    syllables = pinyin_syllables()
    return any(
        word[:cut] in syllables and word[cut:] in syllables
        for cut in range(1, len(word))
    )


def zh_for_j(a: str, b: str) -> bool:
    """Whether two words are one name, one writing "zh" where the other
    writes "j" (``zh_for_j``): equal once that zh is read as j and spellings
    are folded, each word of ``ZH_MIN`` letters or more and the zh word no
    pinyin given name ("Zhiqiang" is not "Jiqiang"). Only against a written
    j: "Mozhovyy" stays a spelling of "Mozgovy".

    >>> zh_for_j("zhalolov", "jalolov"), zh_for_j("zhiqiang", "jiqiang")
    (True, False)
    """
    for x, y in ((a, b), (b, a)):
        if (
            "zh" in x
            and "j" in y
            and min(len(x), len(y)) >= ZH_MIN - 1
            and len(x) >= ZH_MIN
            and not _pinyin_name(x)
            and fold_person(x.replace("zh", "j")) == fold_person(y)
        ):
            return True
    return False


@lru_cache(maxsize=262144)
def fold_person(word: str) -> str:
    """``tokens.fold_spelling`` and two spellings of Arabic names: dh for d (ذ,
    "Qadhafi" / "Gaddafi") and a final -eh or -ah for -a (ta marbuta, "Haniyeh" /
    "Haniya", "Fatemeh" / "Fatema"); a final -ine for -in, as French writes
    Russian names ("Poutine" / "Putin"); dj for j and sy before a vowel for sh
    ("Djamel" / "Jamel", "Ba'asyir" / "Bashir"); and the vowels 어 and 으 of Korean names,
    eo and eu in the Revised Romanization, o and u (ŏ, ŭ) in McCune-Reischauer
    ("Jeong" / "Jong", "Eun" / "Un"); Belarusian u for v (ў) in the endings
    -ouski, -euski, -ouich and -auna ("Kalinouski" / "Kalinovskiy",
    ``belarusian_u``).

    >>> fold_person("haniyeh") == fold_person("haniya")
    True
    >>> fold_person("kalinouski") == fold_person("kalinovskiy")
    True

    Remembered (bounded), as ``fold_spelling`` is: the spelling rules try
    each word against many (``person_spelling``, ``skeleton_typo``), and the
    words of a batch and of the lists recur.
    """
    word = _BELARUSIAN_U.sub("v", word)
    word = _DUTCH_SPELLING.sub(lambda m: _DUTCH[m.group(0)], word)
    word = _OLD_SPELLING.sub(lambda m: _OLD_SPELLINGS[m.group(0)], word)
    folded = fold_spelling(word).replace("dh", "d").replace("eo", "o")
    folded = _FRENCH_ENDING.sub("in", folded.replace("eu", "u"))
    return _ARABIC_ENDING.sub("a", folded)


# The person rules that read one transliterated word in two spellings, which
# organisation names hold too ("Qods Aviation Industries" / "Ghods ...",
# "Marun Petrochemical" / "Maroon ..."): ``transliterated_word``.
TRANSLITERATION_RULES = frozenset(
    {
        "name variant",
        "spelling variant",
        "article left out",
        ARABIC_COMPOUND,
        PERSIAN_GH,
        ZH_FOR_J,
        TRANSLITERATED_VOWELS,
    }
)
TRANSLITERATED_MIN = 5  # letters of the longer word, one less of the shorter
TRANSLITERATED_WORD = "transliterated_word"
# Letters two such words share at the least (rapidfuzz ratio): "qods" /
# "ghods" 67, "jasmine" / "alyasmeen" 50; words of no rule's reach mostly
# share under half.
TRANSLITERATED_LETTERS = 50


@lru_cache(maxsize=262144)
def transliterated_word(a: str, b: str) -> tuple[float, str]:
    """Two words of organisation names that are one transliterated word as
    the person rules read it (``transliterated_word``), with their score and
    rule; else ``(0.0, "")``.

    Organisations of Iran, the Arab world and Russia are named with the same
    transliterated words as persons, and the lists spell them as many ways:
    "Qods" / "Ghods" (Persian gh for q), "Marun" / "Maroon", "Niru" / "Niroo",
    "Puya" / "Pooya" (ou, oo and u), "Maqdes" / "Maqdis" (vowels as
    transliterations write them), "Forex" / "Foreks" (ks for x, which the
    company spelling rules read only after stripping an English plural -s).
    Only the rules of ``TRANSLITERATION_RULES`` (no typo, no letters
    swapped: those the company rules score their own way), between words of
    letters, the longer of at least ``TRANSLITERATED_MIN`` letters and the
    shorter of one less: short words of company names are acronyms ("CETC" /
    "CITC", "ALSA" / "ELSA", "KOMZ" / "KUMZ").

    >>> transliterated_word("qods", "ghods")
    (0.95, 'Persian gh for q (persian_gh); transliterated_word')
    >>> transliterated_word("cetc", "citc")
    (0.0, '')
    """
    if (
        max(len(a), len(b)) < TRANSLITERATED_MIN
        or min(len(a), len(b)) < TRANSLITERATED_MIN - 1
        or not a.isalpha()
        or not b.isalpha()
        # the cheap test first: the rules change a few letters, and most
        # pairs of words compared share few (a tenth of the time it saves)
        or fuzz.ratio(a, b) < TRANSLITERATED_LETTERS
    ):
        return 0.0, ""
    score, rule = person_word_rules(a, b)
    if rule not in TRANSLITERATION_RULES:
        return 0.0, ""
    return score, f"{rule}; {TRANSLITERATED_WORD}"


# One name in two systems' spellings, each a spelling variant's 0.95, tried
# in this order on two words no other rule found alike; the flag: also for a
# word read off Arabic script (``abjad``).
_SPELLINGS: tuple[tuple[Callable[[str, str], bool], str, bool], ...] = (
    # "Ghalibaf" / "Qalibaf": Persian reads ق as gh
    (persian_gh, PERSIAN_GH, True),
    # "Gaddafi" / "Qaddafi": the Gulf and Iraq say ق as g
    (g_for_q, G_FOR_Q, True),
    # "Shpakau" / "Shpakov", "Siarhei" / "Sergei"
    (belarusian_spelling, BELARUSIAN_SPELLING, True),
    # "Axmed" / "Ahmed": the Somali x for ح
    (somali_spelling, SOMALI_SPELLING, False),
    # "Zhalolov" / "Jalolov", "Ahmadinezhad" / "Ahmadinejad"
    (zh_for_j, ZH_FOR_J, True),
)


def skeleton_typo(a: str, b: str) -> tuple[float, str]:
    """A typo between two words once transliteration spellings are folded.

    "Michel" / "Michelle", "el-Sirri" / "el-Sisi", "Serej" / "Sergey": two letters
    apart as written, one apart once doubled letters, y/j/i, ch/tch and the like are
    written one way (``tokens.fold_spelling``; English inflections are not
    stripped from names: "Sergey" is not "Serge" + y). The edits allowed follow the shorter
    folded word's length, as for any typo; the score is that of a typo of the
    longer word as written. One folded edit only: two on top of the folding is
    another name ("Barakhoev" is not "Barkhanoev").
    """
    folded_a, folded_b = fold_person(a), fold_person(b)
    if abs(len(folded_a) - len(folded_b)) > 1:
        return 0.0, ""
    if not allowed_edits(min(len(folded_a), len(folded_b))):
        return 0.0, ""
    if OSA.distance(folded_a, folded_b, score_cutoff=1) > 1:
        return 0.0, ""
    return 1.0 - 1 / (2 * max(len(a), len(b))), "typo"


def person_spelling(a: str, b: str) -> bool:
    """Whether two words are one once the spellings of ``fold_person`` are folded
    (``Haniyeh`` / ``Haniya``; the Korean vowels of the two romanizations, "Eun" /
    "Un", "Jeong" / "Jong"), and are not both names of the population table in
    their own right ("Leon" / "Lon" stay two names).

    >>> person_spelling("eun", "un"), person_spelling("leon", "lon")
    (True, False)
    >>> person_spelling("oo", "o")
    False
    """
    return (
        fold_person(a) == fold_person(b)
        # the shared spelling rules have had their say (``token_similarity``):
        # "Oo" and "O" agree there only by doubled letters, and are two names
        and fold_spelling(a) != fold_spelling(b)
        and not (name_share(a) > 0 and name_share(b) > 0)
    )


# Name parts people routinely leave out: patronymics (Grigorevich, Ivanovna,
# Aliyevich, Mammad oglu; Dutch and Swedish Andrejevitj) and the "bin"/"bint"
# chain of Arabic names. Two patronymics present are compared as words
# (``patronymics.patronymic_of``).
_OPTIONAL = re.compile(
    r"(?:ovich|evich|yevich|ovych|evych|ovna|evna|ivna|ichna|oglu|ogly|uly|kyzy"
    r"|owitsch|ewitsch|ovitsch|evitsch|ovitch|evitch|avich|avna|auna"
    r"|[oae]vitsj|[oae]vitj)$"
    r"|^bint?[a-z]"
)
# Muhammad is borne as a devotional first or middle name and routinely left out
# ("Akhtar Mansour" for "Akhtar Mohammad Mansour Shah Mohammed").
_DEVOTIONAL = name_variant_key("muhammad")


def optional_word(word: str) -> bool:
    """Whether ``word`` is a name part people leave out (a patronymic, "bin
    ..."), which ``person_alignment`` may leave out of a coverage unpaired."""
    return _OPTIONAL.search(word) is not None


def devotional_name(word: str) -> bool:
    """Whether ``word`` spells Muhammad, which ``devotional_left_out`` may
    leave out of a coverage unpaired."""
    return name_variant_key(word) == _DEVOTIONAL


COMPACT_MIN = 0.93  # whole-name letter agreement that counts as the same name


def _compact_similarity(query: Sequence[str], listed: Sequence[str]) -> float:
    """Agreement of the two names' letters, spaces ignored, as written or sorted.

    Catches typing errors across word boundaries ("AREFULLAHA REF" for
    "AREFULLAH AREF", "MYONGC-HIN" for "MYONG-CHIN"), and swapped letters in
    words too short for the typo rule ("ADB" for "ABD").
    """
    best = 0.0
    for q, c in (
        ("".join(query), "".join(listed)),
        ("".join(sorted(query)), "".join(sorted(listed))),
    ):
        longest = max(len(q), len(c))
        if longest < 8:
            continue
        distance = OSA.distance(q, c, score_cutoff=2)
        if distance <= 2:
            best = max(best, 1.0 - distance / longest)
    return best


# Two words written together that are one word of the other name.
JOINED_COMPOUND = f"joined, {ARABIC_COMPOUND}"
JOINED = frozenset({"joined", JOINED_COMPOUND})


def _too_short_to_join(first: str, second: str, word: str, abjad: bool) -> bool:
    """Whether ``word`` is no longer than either of two words it would be
    written together from, so that they join nothing (``_joins``). Between
    Arabic script and Latin letters the lengths are their consonants':
    "محمدرضا" (mhmdrdh) is shorter than "Mohammad" but writes "Mohammad
    Reza" together."""
    if abjad:
        return _consonants(word) <= max(_consonants(first), _consonants(second))
    return len(word) <= max(len(first), len(second))


# The letters ``_consonants`` does not count, deleted in one pass.
_NO_VOWELS = str.maketrans("", "", "aeiouyw")
# Two letters that write one consonant, in romanized Arabic script (ش ذ ث غ
# خ, "رضا" rdh) as in Latin spellings (Khalil, Shah).
_DIGRAPH = re.compile(r"(?<=[sdtgkcz])h")


@lru_cache(maxsize=65536)
def _consonants(word: str) -> int:
    """The consonants of ``word``, doubled ones counted twice (a consonant
    key would write "Saduddin" sdn, as short as "الدين" ldn) and two letters
    that write one sound once ("رضا", rdh, has two, as Reza has).
    Remembered: each join tried between an Arabic-script name and a Latin
    one counts three words, most of them met in the names before."""
    return len(_DIGRAPH.sub("", word).translate(_NO_VOWELS))


def _enough_consonants(first: str, second: str) -> bool:
    """Whether two words bring enough consonants of their own to be joined
    on consonants: at least one each ("علی" Ali, ly, in "علی رضا" Alireza)
    and three together, doubled ones counted twice ("کاکا", kk)."""
    one, two = _consonants(first), _consonants(second)
    return min(one, two) >= 1 and one + two >= 3


def _joins(
    first: str, second: str, word: str, fuzzy: bool, abjad: bool, korean: bool = False
) -> tuple[float, str]:
    """How well two words written together stand for one word of the other name
    (0.0: not at all), and the rule.

    On consonants (Arabic script) each of the two must bring a consonant of
    its own and the two three together (``_enough_consonants``: "علی رضا"
    joins as "Alireza", "کاکا زاده" as "Kakazada"), but a word with no
    consonant to speak of ("آوا", "ava"; "wael") joins to nothing; such a join
    counts what a consonant agreement counts (``ABJAD``), never more. The
    Urdu article ("ur" before "Rahman") joins as the Arabic one it writes.
    Written together with a typo, at the typo's score (``joined_typo``): "Abu
    Bakr" for "Abubakar", each part a word of three letters or more.
    """
    article = abjad and _URDU_ARTICLES.get(first, "-") == second[: len(first) - 1]
    if article:
        # "ur-Rahman" is al-Rahman as Urdu says it: Arabic script writes the
        # article "ال" ("الرحمن", lrhmn), the Latin spelling the sun letter
        # (``urdu_article``)
        first = "al"
    if _too_short_to_join(first, second, word, abjad):
        return 0.0, ""  # "Oo Oo" is no spelling of "O", whatever doubled letters say
    if (_long_number(first) or _long_number(second)) and word.isalpha():
        # a name and a number written together ("hushang999999") are no
        # spelling of a name: the typo rule reads doubled letters as one, so
        # a number of one repeated digit would pass for a single letter
        return 0.0, ""
    # by the rules, not the lists' pairs of words (``alias_spellings``): a
    # pair of the table outranks the typo a join reads ("Shah Karami" /
    # "Shakrami" as "shahkarami" / "shakrami") and would leave it unread
    score, rule = person_token_similarity(
        first + second, word, fuzzy, abjad, korean, aliases=False
    )
    if rule == ARABIC_COMPOUND:
        return 1.0, JOINED_COMPOUND
    if score >= NAME_VARIANT:
        return 1.0, "joined"
    if rule.startswith("consonants"):
        if article or _enough_consonants(first, second):
            return ABJAD, "joined on consonants"
        return 0.0, ""
    if (
        rule in ("typo", FOLDED_CLOSER, "letters swapped", TRANSLITERATED_VOWELS)
        and min(len(first), len(second)) >= 3
    ):
        return score, "joined with a typo"
    return 0.0, ""


def _initial_runs(
    own: Sequence[str], other: Sequence[str]
) -> list[tuple[int, int, int]]:
    """Words of ``other`` written as the initials of adjacent words of ``own``.

    "JC Juncker" for "Jean-Claude Juncker": "jc" stands for "jean claude". Gives
    (first position in ``own``, position in ``other``, number of words).
    """
    found = []
    own_set = set(own)
    for m, word in enumerate(other):
        size = len(word)
        # initials are consonants together ("jc", "jp"); a word with a vowel is
        # a word ("el", "abu")
        if (
            not 2 <= size <= 3
            or not word.isalpha()
            or word in own_set
            or any(ch in "aeiouy" for ch in word)
        ):
            continue
        for k in range(len(own) - size + 1):
            run = own[k : k + size]
            if all(len(w) > 1 and w[0] == ch for w, ch in zip(run, word, strict=True)):
                found.append((k, m, size))
                break
    return found


def _one_to_one(
    query: Sequence[str],
    listed: Sequence[str],
    fuzzy: bool = True,
    abjad: bool = False,
    korean: bool = False,
) -> tuple[dict[int, tuple[int, float, str]], dict[int, int]]:
    """Each word paired with at most one word of the other name, best pairs first.

    Two words written as one on the other side ("jong un" / "jongun") pair with it.
    ``korean``: both names read as Korean names (``person_token_similarity``).
    """
    q_pair: dict[int, tuple[int, float, str]] = {}
    c_pair: dict[int, int] = {}
    for own, other, mine, theirs, flip in (
        (query, listed, q_pair, c_pair, False),
        (listed, query, c_pair, q_pair, True),
    ):
        for k in range(len(own) - 1):
            # a word no longer than either part joins nothing (``_joins``)
            longest = max(len(own[k]), len(own[k + 1]))
            for m, word in enumerate(other):
                if k in mine or k + 1 in mine or m in theirs:
                    continue
                if len(word) <= longest and (
                    not abjad or _too_short_to_join(own[k], own[k + 1], word, True)
                ):
                    continue
                together, rule = _joins(own[k], own[k + 1], word, fuzzy, abjad, korean)
                if together:
                    if flip:
                        c_pair[k] = c_pair[k + 1] = m
                        q_pair[m] = (k, together, rule)
                    else:
                        q_pair[k] = q_pair[k + 1] = (m, together, rule)
                        c_pair[m] = k
        if fuzzy:
            for k, m, size in _initial_runs(own, other):
                if m in theirs or any(k + t in mine for t in range(size)):
                    continue
                for t in range(size):
                    if flip:
                        c_pair[k + t] = m
                    else:
                        q_pair[k + t] = (m, INITIAL, "initials")
                if flip:
                    q_pair[m] = (k, INITIAL, "initials")
                else:
                    c_pair[m] = k
    pairs = []
    # A number and a word of letters are no pair: they share no character
    # (``tokens.apart``) and no name variant holds a digit, so
    # ``person_token_similarity`` gives them 0; most such pairs are a batch's
    # numbers, each met once, and are not looked up.
    listed_letters, listed_number = _partners(listed)
    every = list(enumerate(listed))
    for i, a in enumerate(query):
        for j, b in _alike(a, listed_number, listed_letters, every):
            score, rule = person_token_similarity(a, b, fuzzy, abjad, korean)
            if score > 0:
                pairs.append((score, -abs(i - j), i, j, rule))
    pairs.sort(reverse=True)
    for score, _, i, j, rule in pairs:
        if i not in q_pair and j not in c_pair:
            q_pair[i] = (j, score, rule)
            c_pair[j] = i
    return q_pair, c_pair


def _alike(
    word: str,
    for_number: Sequence[_Item],
    for_letters: Sequence[_Item],
    every: Sequence[_Item],
) -> Sequence[_Item]:
    """The other name's words ``word`` may be like: a number is like no word of
    letters and a word of letters like no number (they share no character,
    ``tokens.apart``), so each is compared only with the words of its kind."""
    if word.isdigit():
        return for_number
    if word.isalpha():
        return for_letters
    return every


def _partners(
    words: Sequence[str],
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The positioned words a word of letters may pair with (those not all
    digits) and those a number may pair with (those not all letters)."""
    return (
        [(j, b) for j, b in enumerate(words) if not b.isdigit()],
        [(j, b) for j, b in enumerate(words) if not b.isalpha()],
    )


# The article as Urdu writes it between two names, after the first name's
# case vowel and before the sun letter it becomes: Habib ur-Rahman (al-Rahman),
# Shams uz-Zaman, Anis us-Salam (``urdu_article``). Not "un" nor "ut",
# Korean and Vietnamese given names ("KIM Un Nam"); "ul" is an article
# anywhere, which the normalizer joins to its word. Organisation names read
# the article by ``companies.URDU_SUN_ARTICLES``, where "us" is the English
# word ("Friends of US Soldiers") and "ud" the common case ("Jamaat-ud-Dawa");
# in person names "ud Din" is read already ("Salah ud Din" / "Salah al-Din"
# 1.00 without this table).
_URDU_ARTICLES = {"ur": "r", "uz": "z", "us": "s", "ush": "sh"}
URDU_ARTICLE = "urdu_article"


def urdu_article_left_out(
    words: Sequence[str], paired: Mapping[int, object]
) -> frozenset[int]:
    """Positions of the Urdu article written as a word of its own ("Zaki ur
    Rehman", "RAHMAN, Inayat ur") and left unpaired: it costs nothing, as
    the Arabic article left out does ("Mati ur Rehman" / "Matti al-Rehman").
    Only before a word that begins with the letter it stands for (its "al"
    aside; first too, as a surname written first is: "UR-REHMAN, Mati");
    kept as a word, so that a name written joined ("Matiur Rehman",
    "Fazlur Rehman") still pairs with it.

    >>> sorted(urdu_article_left_out(("zaki", "ur", "rehman"), {0: 0, 2: 1}))
    [1]
    >>> urdu_article_left_out(("ur", "khan", "ali"), {})
    frozenset()
    """
    if _URDU_ARTICLES.keys().isdisjoint(words):
        return _NONE  # most names: one test in C
    return frozenset(
        k
        for k, word in enumerate(words[:-1])
        if word in _URDU_ARTICLES
        and k not in paired
        and words[k + 1].removeprefix("al").startswith(_URDU_ARTICLES[word])
    )


_NONE: frozenset[int] = frozenset()


def devotional_left_out(
    words: Sequence[str],
    paired: Mapping[int, object],
    other: Sequence[str],
    other_paired: Mapping[int, object],
) -> frozenset[int]:
    """Positions of the words of the Muhammad group in ``words`` that the other
    name leaves out (``devotional_name``): no difference, as a patronymic left out
    is none.

    Only an omission counts: when the other name has a word of its own unmatched,
    that word stands where Muhammad stood, and is another name ("TARIQ ANWAR EL
    SAYED MOHAMED" is not "TARIQ ANWAR EL SAYED AHMED").

    >>> sorted(devotional_left_out(("akhtar", "mohammad", "mansour"), {0: 0, 2: 1},
    ...     ("akhtar", "mansour"), {0: 0, 1: 2}))
    [1]
    >>> devotional_left_out(("tariq", "ahmed"), {0: 0}, ("tariq", "mohamed"), {0: 0})
    frozenset()
    """
    return _omitted(words, paired, other, other_paired, devotional_name)


def _omitted(
    words: Sequence[str],
    paired: Mapping[int, object],
    other: Sequence[str],
    other_paired: Mapping[int, object],
    kind: Callable[[str], bool],
) -> frozenset[int]:
    """Positions of the unpaired words of ``words`` of a ``kind`` that may be
    left out, when the other name has no unpaired word of its own (a
    patronymic or "bin ..." aside) to stand where they stood."""
    if not all(i in other_paired or _OPTIONAL.search(w) for i, w in enumerate(other)):
        return frozenset()
    return frozenset(
        i for i, word in enumerate(words) if i not in paired and kind(word)
    )


ABJAD_TITLE = "abjad_title"


def abjad_title_left_out(
    words: Sequence[str],
    paired: Mapping[int, object],
    other: Sequence[str],
    other_paired: Mapping[int, object],
) -> frozenset[int]:
    """Positions of the titles of a romanized Arabic-script name (``words``)
    that the other name leaves out: the Latin names drop theirs ("AMIR KHAN
    MOTAQI" is read "khan motaqi"), so "امیر" (Amir) or "الشيخ" (al-Sheikh)
    unpaired is no difference. Only an omission counts, as for Muhammad
    (``devotional_left_out``): never beside a word of the other name's own.

    >>> sorted(abjad_title_left_out(("myr", "khn", "mtqy"), {1: 0, 2: 1},
    ...     ("khan", "motaqi"), {0: 1, 1: 2}))
    [0]
    >>> abjad_title_left_out(("myr", "khn"), {1: 0}, ("ali", "khan"), {1: 1})
    frozenset()
    """
    return _omitted(words, paired, other, other_paired, abjad_title)


def opens_query(q_pair: Mapping[int, tuple[int, float, str]], size: int) -> bool:
    """Whether the query's first ``size`` words are the listed name's words, each
    exactly and in their order (``listed_first``): "UMAR PATEK ABDULLAH ANSHORI"
    for "UMAR PATEK", the father's and further names written after the name.

    >>> opens_query({0: (0, 1.0, "exact"), 1: (1, 1.0, "exact")}, 2)
    True
    >>> opens_query({1: (0, 1.0, "exact"), 2: (1, 1.0, "exact")}, 2)
    False
    """
    return all(q_pair.get(i, (-1, 0.0, ""))[:2] == (i, 1.0) for i in range(size))


def encloses(
    q_pair: Mapping[int, tuple[int, float, str]], size: int, listed_size: int
) -> bool:
    """Whether the query's first and last words are the listed name's first and
    last, each exactly, its other words in their order between them
    (``middle_names``): "Emmanuel Jean-Michel Frédéric Macron" for "Emmanuel
    Macron", the middle names a full name adds between given name and
    surname. As strong a sign as the listed name opening the query
    (``listed_first``), and scored as it is.

    >>> encloses({0: (0, 1.0, "exact"), 3: (1, 1.0, "exact")}, 4, 2)
    True
    >>> encloses({0: (0, 1.0, "exact"), 2: (1, 1.0, "exact")}, 4, 2)
    False
    """
    first, last = q_pair.get(0), q_pair.get(size - 1)
    if first is None or last is None:
        return False
    if first[:2] != (0, 1.0) or last[:2] != (listed_size - 1, 1.0):
        return False
    order = [q_pair[i][0] for i in range(size) if i in q_pair]
    return order == sorted(order)


def _cut_short(
    query: Sequence[str],
    listed: Sequence[str],
    q_pair: dict[int, tuple[int, float, str]],
    c_pair: dict[int, int],
) -> None:
    """Pair the last word of a long query with the listed name's last word when it
    is that word cut short (``cut_short``, scored as an initial).

    A name field of 30 to 35 characters cuts a long name in the middle of its last
    word: "NOUREDDINE BEN ALI BEN BELKASSEM DR" (35 characters) for "... DRISSI".
    Only at the end, only when the query is that long, and only when both last
    words are otherwise unmatched.
    """
    last, end = len(query) - 1, len(listed) - 1
    word, whole = query[last], listed[end]
    if (
        len(" ".join(query)) >= FIELD_LENGTH
        and last not in q_pair
        and end not in c_pair
        and 2 <= len(word) < len(whole)
        and whole.startswith(word)
    ):
        q_pair[last] = (end, INITIAL, "cut short")
        c_pair[end] = last


def _rotation_of_sorted(positions: Sequence[int]) -> bool:
    """Whether ``positions`` run in order once rotated ([2, 0, 1] does, [1, 0, 2]
    does not)."""
    drops = sum(1 for a, b in pairwise(positions) if b < a)
    return drops == 0 or (drops == 1 and positions[-1] < positions[0])


NICKNAME = 0.9  # a given name and its nickname, the rest of the name rare and exact
# The same beside a common name: reviewed, never a hit (``_nickname``).
COMMON_NICKNAME = "nickname beside a common name"


@cache
def _nickname_pairs() -> frozenset[tuple[str, str]]:
    """(name, nickname) pairs of English given names, both ways round: the
    hand-curated table of the PyPI package ``nicknames`` (Apache-2.0), e.g.
    "Joseph" / "Joe", "William" / "Bill", "Margaret" / "Peggy"."""
    from nicknames import name_triplets  # the table is read only when needed

    pairs: set[tuple[str, str]] = set()
    for row in name_triplets():
        pairs.add((row.name1, row.name2))
        pairs.add((row.name2, row.name1))
    return frozenset(pairs)


def _unpaired(words: Sequence[str], paired: Mapping[int, object]) -> list[int]:
    """Positions of the words left unpaired, but a patronymic or "bin ..." one."""
    return [
        k
        for k, word in enumerate(words)
        if k not in paired and not _OPTIONAL.search(word)
    ]


FATHER_NAMED = "the father's name with and without bin (father_named)"


def _father_named(
    query: Sequence[str],
    listed: Sequence[str],
    q_pair: dict[int, tuple[int, float, str]],
    c_pair: dict[int, int],
) -> None:
    """Pair a "bin X" word left unpaired with an unpaired X of the other name
    in the same place after the same given name (``father_named``).

    An Arabic or Malay name is the given name, then the father's (and the
    grandfather's), with or without "bin" (son of): "Hamed bin Abdallah
    al-Ali" and "Hamed Abdullah al-Ali" are one name; "Zulkifli bin Abdul
    Hir" and "Zulkifli Abdul Hir" too. Without "bin" the father's name is
    told by its place alone, so the two words must stand as many words after
    the given name (the listed name's first word, which the query may write
    after its surname: "AL-ALI, Hamed Abdullah") and the given names be
    paired together: "Abdullah bin Omar" (son of Omar) is no "Omar Abdullah"
    (Omar, son of Abdullah). X must stand between the given name and a
    further name: a last word is as often a surname ("FAISAL, Abdullah", the
    Jamaican cleric, is no "Abdullah bin Faisal al-Ahdal"), so X is not the
    listed name's last word, and a query's X stands in three words or more
    (a query may write its surname first). Muhammad is left
    out at no cost already (``devotional_name``). The pair scores as an article left out does: a
    name variant's score times the names' agreement, X alike at
    ``SAME_NAME_ITEM`` or more. Changes ``q_pair`` and ``c_pair`` in place.
    """
    given = c_pair.get(0)  # the query's word for the listed given name
    if given is None:
        return
    for k in range(1, min(len(query) - given, len(listed))):
        if given + k in q_pair or k in c_pair:
            continue
        a, b = query[given + k], listed[k]
        plain_in_query = not a.startswith("bin")
        father, other = (b, a) if plain_in_query else (a, b)
        # a last word is as often a surname ("FAISAL, Abdullah"): X stands in
        # a name of three words or more, and not last in the listed name (the
        # query may write its surname first)
        surname = len(query) < 3 if plain_in_query else k == len(listed) - 1
        if (
            not father.startswith("bin")
            or other.startswith("bin")
            or surname
            or devotional_name(other)  # left out at no cost already
        ):
            continue
        # "bint X" (daughter of) or "bin" + a word in t ("bintalal")
        rests = (father[3:], father[4:] if father.startswith("bint") else "")
        score = max(
            (person_token_similarity(rest, other)[0] for rest in rests if rest[1:]),
            default=0.0,
        )
        if score >= SAME_NAME_ITEM:
            q_pair[given + k] = (k, NAME_VARIANT * score, FATHER_NAMED)
            c_pair[k] = given + k


def _one_left_each(
    query: Sequence[str],
    listed: Sequence[str],
    q_pair: Mapping[int, object],
    c_pair: Mapping[int, int],
) -> tuple[int, int] | None:
    """The positions of the one word left unpaired on each side, a patronymic
    on one side aside ("Misha Fridman" for "FRIDMAN, Mikhail Maratovich"), or
    None when it is not one on each side."""
    left_query, left_listed = len(query) - len(q_pair), len(listed) - len(c_pair)
    if not left_query or not left_listed or (left_query > 1 and left_listed > 1):
        return None  # nothing left on a side, or a patronymic aside on both
    in_query, in_listed = _unpaired(query, q_pair), _unpaired(listed, c_pair)
    if len(in_query) != 1 or len(in_listed) != 1:
        return None
    return in_query[0], in_listed[0]


def _nickname(
    query: Sequence[str],
    listed: Sequence[str],
    q_pair: dict[int, tuple[int, float, str]],
    c_pair: dict[int, int],
    left: tuple[int, int],
) -> None:
    """Pair the one word left on each side when one is a nickname of the other
    ("Joe Biden" for "Joseph Biden", ``nickname``), or a short form ending in
    -a that one name item of the name table holds with it ("Vova Putin" for
    "Vladimir Putin", ``hypocorism``, see ``name_groups.short_form``), in place.

    Only when every other word agrees exactly. When those words are rare (no
    common name of the population table) the pair may make a hit; beside a
    common name it makes a possible match at most (``COMMON_NICKNAME``,
    capped at ``COMMON_CAP`` by ``person_alignment``): a nickname and a common
    surname name many people, and the table also links names that are two
    (Peter / Patrick, Andrea / Andrew), so "Joe Smith" is not "Joseph Smith"
    but is shown for review, as "Tony Blair" is for "Anthony Blair". A short
    form of the name table (``hypocorism``) needs the rare rest.
    """
    i, j = left  # the one word left on each side (``_one_left_each``)
    if any(rule != "exact" for _, _, rule in q_pair.values()):
        return
    rest = [word for k, word in enumerate(query) if k != i]
    common = any(name_share(word) >= COMMON_NAME for word in rest)
    if (query[i], listed[j]) in _nickname_pairs():
        q_pair[i] = (j, NICKNAME, COMMON_NICKNAME if common else "nickname")
        c_pair[j] = i
    elif short_form(query[i], listed[j]) and not common:
        q_pair[i] = (j, NICKNAME, HYPOCORISM)
        c_pair[j] = i


INITIALS_IN_ORDER = 0.9  # an initial, every other word exact, rare and in order
INITIALS_RULE = "initials of the name in order beside a rare name (initials_in_order)"


def _initials_in_order(
    query: Sequence[str],
    listed: Sequence[str],
    q_pair: dict[int, tuple[int, float, str]],
    c_pair: Mapping[int, int],
) -> None:
    """Score initials at ``INITIALS_IN_ORDER`` instead of ``tokens.INITIAL`` when
    one name writes the other's given names as their initials, in their order,
    and every other word agrees exactly and is rare (``initials_in_order``), in
    place.

    Given names written as initials are a name's usual short form ("J. C.
    Juncker", "V. V. Putin", "R. T. Erdogan"); each initial, scored as a word
    that agrees at 0.8, cost more the more of them were written: "V. Putin"
    reached "Vladimir Putin" at 0.92, while "V. V. Putin" stayed at 0.889
    against "Vladimir Vladimirovich Putin", and "J. C. Juncker" at 0.884 while
    "JC Juncker" made 0.901. Beside a rare surname written out, initials that
    agree in order are the name; beside a common one ("J. R. Smith", "G. W.
    Bush": census names; "Xi J.", "Pak J. U.": a pinyin syllable or a Korean
    surname) they are left as they were, and so is a name with a word of its
    own ("Aaron A. Wendt" is not "Josh A. Wendt").
    """
    if len(q_pair) != len(query) or len(c_pair) != len(listed):
        return  # a word of its own on either side
    rules = [rule for _, _, rule in q_pair.values()]
    if not any(r in ("initial", "initials") for r in rules):
        return
    if any(r not in ("exact", "initial", "initials") for r in rules):
        return
    exact = [query[i] for i, (_, _, rule) in q_pair.items() if rule == "exact"]
    if not exact or _population_share(exact, lambda _: False) >= COMMON_NAME:
        return
    if any(known_name(word) or korean_surname(word) for word in exact):
        # a pinyin syllable or a Korean surname is one of the few surnames of
        # very many people, whatever the census knows of it ("Xi J.")
        return
    _same_initials_in_order(query, q_pair)
    order = [q_pair[i][0] for i in range(len(query))]
    if not _rotation_of_sorted(order):
        return
    for i, (j, _, rule) in list(q_pair.items()):
        if rule in ("initial", "initials"):
            q_pair[i] = (j, INITIALS_IN_ORDER, INITIALS_RULE)


def _same_initials_in_order(
    query: Sequence[str], q_pair: dict[int, tuple[int, float, str]]
) -> None:
    """Pair a query's equal initials with their listed words in order, in
    place: "Putin V. V." pairs its two v's with "Vladimir" and "Vladimirovich"
    either way round at the same score, and the alignment had paired them
    crosswise, so the initials read out of order ("Putin V. V." 0.89 where
    "V. V. Putin" made 0.94). The words are equal, so only the order changes."""
    by_word: dict[str, list[int]] = {}
    for i, (_, _, rule) in q_pair.items():
        if rule in ("initial", "initials"):
            by_word.setdefault(query[i], []).append(i)
    for places in by_word.values():
        if len(places) > 1:
            # each listed word keeps the score it was paired at: the words
            # are equal, so the same pairs, only held by other places
            pairs = sorted(q_pair[i] for i in places)
            for i, pair in zip(sorted(places), pairs, strict=True):
                q_pair[i] = pair


def _population_share(words: Sequence[str], optional: Callable[[str], bool]) -> float:
    """Estimated share of persons bearing all of ``words`` (product of each word's
    share; 0.0 when a word is not among the common names)."""
    share = 1.0
    for word in words:
        if not optional(word):
            share *= name_share(word)
    return share


def _core(
    listed: Sequence[str],
    paired: dict[int, int],
    optional: Callable[[str], bool],
    free: AbstractSet[int],
) -> list[int]:
    """Positions of the listed words that count for name-part order: the paired
    ones, and the others but a patronymic or Muhammad left out."""
    return [
        j
        for j, word in enumerate(listed)
        if j in paired or (j not in free and not optional(word))
    ]


def _holds_first(
    listed: Sequence[str],
    paired: dict[int, int],
    optional: Callable[[str], bool],
    free: AbstractSet[int] = frozenset(),
) -> bool:
    """Whether the query holds the listed name's first word, and its words come in
    the listed order (a patronymic left out does not count).

    A listed "Given Middle SURNAME" written "Given SURNAME" (or "Given Middle"
    with the tribal or father's names at the end left out) starts where the
    listed name starts; written "Middle SURNAME" it names someone else as often as
    not ("Michael Johnson" is not "William Michael Johnson").
    """
    core = _core(listed, paired, optional, free)
    kept = [paired[j] for j in core if j in paired]
    return (
        len(core) > 1
        and core[0] in paired
        and kept == sorted(kept)  # in the order written
    )


def every_word_a_variant(coverage: float) -> bool:
    """Whether a name's coverage says every word of it agrees at least as a
    name variant (0.95), whatever the rounding of its weighted mean: the
    order-and-rarity rules (``listed_first``, ``middle_names``, name-part
    order) ask it, and it must not turn on the last bit of a float: a change
    of the index that moved the words' weights in the fourth decimal (a few
    listed names read as one more) made "HAIDAR, Mohamad Ali" a hit of
    "HAYDAR, Muhammad" (0.875 -> 0.900) and took "SAYEED, Hafez Mohammad" off
    the rare names (0.874 -> 0.835), both names of one listed person."""
    return coverage >= NAME_VARIANT - COVERAGE_ROUNDING


def _holds_tail(
    listed: Sequence[str],
    paired: dict[int, int],
    optional: Callable[[str], bool],
    free: AbstractSet[int] = frozenset(),
) -> bool:
    """Whether the query is the listed name's last three words or more, all of
    them from one on, in the listed order: the name a person goes by and the
    surname ("Lula da Silva" for "Luiz Inacio Lula da Silva", ``name_in_use``).
    Two words are not enough: "Middle SURNAME" names someone else as often as
    not (``_holds_first``)."""
    core = _core(listed, paired, optional, free)
    kept = [j for j in core if j in paired]
    return (
        len(kept) >= 3
        and kept == core[len(core) - len(kept) :]
        and [paired[j] for j in kept] == sorted(paired[j] for j in kept)
    )


INITIAL_LEFT_OUT = "initial_left_out"


def _initial_left_out(
    query: Sequence[str],
    listed: Sequence[str],
    q_pair: Mapping[int, object],
    c_pair: Mapping[int, int],
    initials: Sequence[str],
    patronymics: bool,
) -> bool:
    """Whether the one-letter words left unpaired (``initials``) are all that
    tells the two names apart, beside a patronymic left out (``patronymics``):
    every other word of both names paired, and at least two words of more
    than one letter in each name (``initial_left_out``).

    A middle name or patronymic written as its initial ("AHMED, Abubakar K.",
    "TOLCHINSKIY, Dmitri M.", "UKHNALEVA, Svetlana V.") is left out as often
    as the whole name is, and a patronymic left out costs nothing. Not beside
    a word of its own on either side ("Beijing E-science" is not "Beijing
    Beihang Science & Technology"), nor in a name of single letters, an
    acronym ("A-K-S").
    """
    if not initials:
        return False
    for words, paired in ((query, q_pair), (listed, c_pair)):
        if sum(1 for word in words if len(word) > 1) < 2:
            return False
        for k, word in enumerate(words):
            if k in paired or len(word) == 1:
                continue
            if not (patronymics and _OPTIONAL.search(word)):
                return False
    return True


def person_alignment(
    query: NormalizedName, candidate: NormalizedName, weigh: Weigher
) -> FeatureResult:
    """How well two person names agree, a missing middle name or patronymic allowed.

    Titles are already gone and no word is stripped as a company form. Words pair
    one to one (exact, name variant such as Aleksandr/Alexander, transliteration,
    initial, abbreviation, typo; order ignored), weighed by rarity. The score is
    mostly the share of the *shorter* name that the longer one accounts for, so
    "Vladimir Putin" matches "Vladimir Vladimirovich Putin", and partly the share
    of the longer name, so that extra words still cost something. A name of one
    word is capped below the review threshold: a given name alone is nobody.
    """
    q, c = query.tokens, candidate.tokens
    if not q or not c:
        return FeatureResult("person_alignment", 0.0, "empty name")
    # A name written in Chinese or Hangul spells each syllable exactly: another
    # letter is another character, and two of three syllables are another person.
    syllabic = "syllabic" in (query.script, candidate.script)
    fuzzy = not letter_for_letter(query.script, candidate.script)
    abjad = query.script == "abjad" and candidate.script != "abjad"
    # two names in Latin letters that read as Korean names may be written in
    # the two Koreas' romanizations (``korean_spelling``); a Hangul query is
    # read as the lists write Korean names already
    korean = fuzzy and not query.script and not candidate.script and korean_pair(q, c)
    q_pair, c_pair = _one_to_one(q, c, fuzzy, abjad, korean)
    if fuzzy and not abjad:
        _father_named(q, c, q_pair, c_pair)
    left = _one_left_each(q, c, q_pair, c_pair) if fuzzy and not abjad else None
    if left is not None:
        _nickname(q, c, q_pair, c_pair, left)
    notes: list[str] = []
    if fuzzy and not abjad:
        _cut_short(q, c, q_pair, c_pair)
        _initials_in_order(q, c, q_pair, c_pair)

    # an initial of a middle name or patronymic may be left out as the name
    # is (``initial_left_out``), in names of Latin letters that are not
    # Korean (whose one-letter words are syllables: "KIM Hyon U")
    initials = fuzzy and not abjad and not korean and not query.script

    def initial(word: str) -> bool:
        return initials and len(word) == 1 and word.isalpha()

    q_loose = [w for i, w in enumerate(q) if i not in q_pair and _OPTIONAL.search(w)]
    c_loose = [w for j, w in enumerate(c) if j not in c_pair and _OPTIONAL.search(w)]
    # A patronymic left out on one side is no difference; two different ones are.
    skip = not (q_loose and c_loose)
    # nor is an initial; two different initials are ("John A. Smith" is not
    # "John B. Smith")
    q_initials = [w for i, w in enumerate(q) if i not in q_pair and initial(w)]
    c_initials = [w for j, w in enumerate(c) if j not in c_pair and initial(w)]
    skip_initials = _initial_left_out(
        q, c, q_pair, c_pair, q_initials or c_initials, skip
    ) and not (q_initials and c_initials)

    def optional(word: str) -> bool:
        return (skip and bool(_OPTIONAL.search(word))) or (
            skip_initials and initial(word)
        )

    q_free = devotional_left_out(q, q_pair, c, c_pair)
    c_free = devotional_left_out(c, c_pair, q, q_pair)
    # a title of an Arabic-script name against a name in Latin letters, which
    # the normalizer has dropped its titles from; two names in Arabic script
    # pair their titles as words
    q_title = c_title = _NONE
    if query.script == "abjad" and not candidate.script:
        q_title = abjad_title_left_out(q, q_pair, c, c_pair) - q_free
    if candidate.script == "abjad" and not query.script:
        c_title = abjad_title_left_out(c, c_pair, q, q_pair) - c_free
    q_article = c_article = _NONE
    if fuzzy and not abjad:
        q_article = urdu_article_left_out(q, q_pair)
        c_article = urdu_article_left_out(c, c_pair)
    # the words left out at no cost, each told apart in the notes below
    q_costless = q_free | q_article | q_title
    c_costless = c_free | c_article | c_title

    def coverage(
        own: Sequence[str],
        paired: dict[int, float],
        other: Sequence[str],
        partner: dict[int, int],
        free: AbstractSet[int],
    ) -> float:
        got = total = 0.0
        for k, word in enumerate(own):
            if k in paired:
                weight = min(weigh(word), weigh(other[partner[k]]))
                got += weight * paired[k]
            elif optional(word) or k in free:
                continue  # a patronymic, "bin ..." or Muhammad left out
            else:
                weight = weigh(word)
            total += weight
        return got / total if total else 0.0

    q_scores = {i: s for i, (_, s, _) in q_pair.items()}
    q_partner = {i: j for i, (j, _, _) in q_pair.items()}
    c_scores = {j: q_scores[i] for j, i in c_pair.items()}
    q_cov = coverage(q, q_scores, c, q_partner, q_costless)
    c_cov = coverage(c, c_scores, q, c_pair, c_costless)
    for i, word in enumerate(q):
        if i in q_free:
            notes.append(f"{word} left out (devotional_name)")
        elif i in q_title:
            notes.append(f"{word} left out (a title: {ABJAD_TITLE})")
        elif i in q_article:
            notes.append(f"{word} left out (the article: {URDU_ARTICLE})")
        elif i not in q_pair:
            notes.append(
                f"{word} left out (an initial: {INITIAL_LEFT_OUT})"
                if skip_initials and initial(word)
                else f"{word} unmatched"
            )
        elif q_pair[i][2] != "exact":
            j, score, rule = q_pair[i]
            notes.append(f"{word}~{c[j]} ({_named(word, c[j], rule)} {score:.2f})")
    for j, word in enumerate(c):
        if j in c_free:
            notes.append(f"listed word {word} left out (devotional_name)")
        elif j in c_title:
            notes.append(f"listed word {word} left out (a title: {ABJAD_TITLE})")
        elif j in c_article:
            notes.append(f"listed word {word} left out (the article: {URDU_ARTICLE})")
        elif j not in c_pair:
            if skip_initials and initial(word):
                notes.append(
                    f"listed word {word} left out (an initial: {INITIAL_LEFT_OUT})"
                )
            elif optional(word):
                notes.append(f"listed word {word} left out (patronymic or bin ...)")
            else:
                notes.append(f"listed word {word} unmatched")
    if syllabic:
        score = min(q_cov, c_cov)
        order = [q_pair[i][0] for i in range(len(q)) if i in q_pair]
        if not _rotation_of_sorted(order) and score > SINGLE_WORD_CAP:
            # 김은정 (Eun-jung) is not 김정은 (Jong-un): the surname may stand first
            # or last, the syllables of the given name keep their order
            score = SINGLE_WORD_CAP
            notes.append(f"syllables in another order, capped at {SINGLE_WORD_CAP}")
    elif len(q) == len(c):
        score = (q_cov + c_cov) / 2
    else:
        short, long_ = (q_cov, c_cov) if len(q) < len(c) else (c_cov, q_cov)
        share = SHORTER_SIDE if len(q) < len(c) else QUERY_LONGER
        shorter = q if len(q) < len(c) else c

        # a "bin ..." word present is a part of the name, that makes it rarer
        # ("Mohammed bin Salman" is not "Mohammed")
        def absent(word: str) -> bool:
            return optional(word) and not word.startswith("bin")

        common = _population_share(shorter, absent)
        named = sum(1 for word in shorter if not absent(word)) >= 2
        tail = middle = False
        # never on consonants alone: an Arabic-script name is read without vowels
        if (
            named
            and every_word_a_variant(short)
            and common < COMMON_NAME
            and not abjad
            and (
                len(q) > len(c)
                or _holds_first(c, c_pair, optional, c_costless)
                or (tail := _holds_tail(c, c_pair, optional, c_costless))
            )
        ):
            share = ENDS_KEPT
            if len(q) > len(c):
                # the listed name opening the query, or its first and last
                # words with middle names between (``middle_names``)
                opens = opens_query(q_pair, len(c))
                middle = not opens and encloses(q_pair, len(q), len(c))
                if opens or middle:
                    share = OPENS_QUERY
        score = share * short + (1 - share) * long_
        if short == 1.0:
            notes.append("all words of the shorter name found (subset)")
        if common >= COMMON_NAME and score > COMMON_CAP:
            score = COMMON_CAP
            notes.append(
                f"'{' '.join(shorter)}' is a common name (about {common * 1e6:.1f} "
                f"persons in a million, 1990 US Census) found inside a longer one, "
                f"capped at {COMMON_CAP}"
            )
        elif share == OPENS_QUERY and middle:
            notes.append(
                "a rare listed name, the query's first and last words in its "
                "order, further names between them (middle_names)"
            )
        elif share == OPENS_QUERY:
            notes.append(
                "a rare listed name, the query's first words in its order, further "
                "names after it (listed_first)"
            )
        elif share == ENDS_KEPT and tail:
            notes.append(
                "a rare name, the listed name's last words in its order (name_in_use)"
            )
        elif share == ENDS_KEPT:
            notes.append(
                "a rare name, from the listed name's first word in its order "
                "(name-part order)"
                if len(q) < len(c)
                else "a rare listed name, all found in the query"
            )
    if score > COMMON_CAP and any(
        rule == COMMON_NICKNAME for _, _, rule in q_pair.values()
    ):
        score = COMMON_CAP
        notes.append(
            f"a nickname beside a common name, capped at {COMMON_CAP} (nickname)"
        )
    joined = any(rule in JOINED for _, _, rule in q_pair.values())
    if fuzzy and score < COMPACT_MIN:
        together = _compact_similarity(q, c)
        if together >= COMPACT_MIN and together > score:
            score, joined = together, True
            notes.append(f"same letters with spaces moved or swapped ({together:.2f})")
    if min(len(q), len(c)) == 1 < max(len(q), len(c)) and not joined and fuzzy:
        # "FridrichBuchenberg": a whole name written as one word, with a typo
        one, many = (q[0], "".join(c)) if len(q) == 1 else (c[0], "".join(q))
        together, rule = token_similarity(one, many)
        if together > score and rule in ("typo", "spelling variant"):
            score, joined = together, True
            notes.append(f"written as one word ({rule} {together:.2f})")
    core = len(set(q_pair))
    shortest = min(len(q) - len(q_loose) * skip, len(c) - len(c_loose) * skip)
    single = (shortest <= 1 or core <= 1) and max(len(q), len(c)) > 1
    if single and score > SINGLE_WORD_CAP and not joined:
        score = SINGLE_WORD_CAP
        notes.append(f"one word alone, capped at {SINGLE_WORD_CAP}")
    detail = "; ".join(notes) if notes else "all words agree"
    return FeatureResult("person_alignment", min(1.0, score), detail)


ABJAD_ORGANISATION = "abjad_organisation"
_IZAFE = frozenset({"e", "i"})


def abjad_organisation(
    query: Sequence[str], listed: Sequence[str], weigh: Weigher
) -> FeatureResult:
    """An organisation's name in Arabic script (romanized ``query``) against a
    listed one in Latin letters, word by word on their consonants as person
    names are (``person_alignment``): "تحریک طالبان پاکستان" and "Tehrik-I-Taliban
    Pakistan", "أنصار الشريعة – درنة" and "Ansar al-Sharia Derna". The company
    rules compare letters, which an Arabic-script word mostly leaves unwritten.
    At most ``ABJAD``: consonants alone are a possible match, never a hit.

    Two words neither writes in the other's script are set aside: "و" (and)
    written apart between two words, romanized w, and the Persian and Urdu
    izafe that Latin spellings write as a word ("Tehrik-e-Taliban",
    "Lashkar-i-Jhangvi") and Arabic script leaves unwritten. Names of one
    word are not compared so.
    """
    last = len(query) - 1
    words = tuple(w for i, w in enumerate(query) if w != "w" or i in (0, last))
    others = tuple(w for w in listed if w not in _IZAFE)
    if min(len(words), len(others)) < 2:
        # one word's consonants name too many organisations ("آوا سمسار" is
        # no "SMSC")
        return FeatureResult("token_alignment", 0.0, "")
    found = person_alignment(
        NormalizedName(words, script="abjad"), NormalizedName(others), weigh
    )
    return FeatureResult(
        "token_alignment",
        min(found.score, ABJAD),
        f"{found.detail}; an organisation's name in Arabic script compared word "
        f"by word on consonants ({ABJAD_ORGANISATION})",
    )


def written_alignment(query: str, listed: str, weigh: Weigher) -> FeatureResult | None:
    """Two person names in the same alphabet other than Latin, compared as written
    (``written_script``), or None when they are not.

    Transliteration writes one letter as two or three ("Вучић" -> "vuchic", Khmer
    vowel signs as "ae"), so a one-letter typo as written ("Вукић" for "Вучић")
    is two edits in Latin letters and falls below the typo rule; compared letter
    for letter in the script they share, it counts once. Scored by the person
    rules (``person_alignment``) on the written words; the caller keeps the
    better of this and the Latin comparison.
    """
    script, q = written_words(query)
    other, c = written_words(listed)
    if not script or script != other:
        return None
    found = person_alignment(NormalizedName(q), NormalizedName(c), weigh)
    return FeatureResult(
        found.name,
        found.score,
        f"{found.detail}; compared letter for letter in {script.title()} script "
        "(written_script)",
    )


def letters_alignment(
    words: tuple[str, ...],
    candidate: NormalizedName,
    weigh: Weigher,
    listed_side: bool = False,
) -> FeatureResult | None:
    """An Arabic-script query name (``abjad_letters.arabic_words``) against a
    listed name in Latin letters, read letter by letter (``abjad_letters``), or
    None when it is not written so. With ``listed_side`` the other way round:
    ``words`` are the listed name's, ``candidate`` the query in Latin letters.

    Each Arabic-script word is read as the listed word it spells letter by
    letter (``spelled_vowels``), the one whose vowels it writes most, else as
    its consonants; when the words read so write at least ``WRITTEN_VOWELS`` of
    those listed words' vowels, the name is a foreign name written in Arabic
    script ("فرناندو بيريز" Fernando Pérez), scored by the person rules on that
    reading, times a spelling variant's ``NAME_VARIANT``. The caller keeps the
    better of this and the comparison on consonants. The listed words read
    only as Arabic script writes European sounds (``foreign_sounds``: تش for
    ch, تس for z, a silent h or final e) are named in the detail.
    """
    if not words or candidate.script:
        return None
    listed = candidate.tokens
    reading: list[str] = []
    used: set[int] = set()
    foreign: list[str] = []
    written = vowels = 0
    for word in words:
        best: tuple[int, tuple[int, int]] | None = None
        for j, token in enumerate(listed):
            if j in used:
                continue
            spelled = spelled_vowels(word, token)
            if spelled is not None and (best is None or spelled[0] > best[1][0]):
                best = j, spelled
        if best is None:
            reading.append(romanize(word).lower())
            continue
        used.add(best[0])
        reading.append(listed[best[0]])
        written += best[1][0]
        vowels += best[1][1]
        if spelled_vowels(word, listed[best[0]], False) != best[1]:
            foreign.append(listed[best[0]])
    if not vowels or written < WRITTEN_VOWELS * vowels:
        return None
    read = NormalizedName(tuple(reading))
    found = (
        person_alignment(candidate, read, weigh)
        if listed_side
        else person_alignment(read, candidate, weigh)
    )
    return FeatureResult(
        found.name,
        found.score * NAME_VARIANT,
        f"{found.detail}; Arabic script read letter by letter as "
        f"'{' '.join(reading)}', {written} of {vowels} vowels written, "
        f"x{NAME_VARIANT} (abjad_letters)"
        + (
            f"; {' '.join(foreign)} as Arabic script writes a European name's "
            "sounds (foreign_sounds)"
            if foreign
            else ""
        ),
    )
