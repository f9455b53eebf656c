"""A word reaches the listed words that spell it in another transliteration.

"Ayman Zawahiri" was "No match": the lists write al-Qaeda's leader "AL
ZAWAHIRI, Dr. Ayman", and the ranking reached from "zawahiri" only the listed
words one typo, one skeleton or one name group away, never "alzawahiri",
though the person rules read the two as one name with its article left out.
So with "Ismail Haniya" / "Ismail Hanieh" and "Kassem" / "Qasim": the words
of persons' names the person rules read as the query word's transliteration
are part of its expansion (``ScreeningIndex.transliterations``), and so,
since 2026-12-06 (late), are those the rules read so once a letter one system
writes is read as another writes it ("Bushusha" / "Bouchoucha", "Naqdi" /
"Naghdi"), which shared no key before.
"""

from __future__ import annotations

from itertools import pairwise

import pytest

from chipgate.screening.features import (
    ARABIC_COMPOUND,
    article_left_out,
    person_token_similarity,
    transliteration,
)
from chipgate.screening.index import ScreeningIndex
from chipgate.screening.screener import Screener

from .hits import offered


@pytest.mark.parametrize(
    ("word", "listed"),
    [
        ("zawahiri", "alzawahiri"),  # the article
        ("alagha", "agha"),  # the article the query writes
        ("haniya", "hanieh"),  # ta marbuta (fold_person)
        ("kassem", "qasim"),  # transliterated vowels, q as k
        ("mohamed", "muhammad"),  # a name variant
        # a letter another transliteration writes otherwise, each of
        # ``arabic_compounds.LETTER_READINGS``
        ("kazim", "kadhim"),  # dh for z
        ("haris", "harith"),  # th for s
        ("hafiz", "hafith"),  # th for z
        ("bushusha", "bouchoucha"),  # the French ch for sh
        ("jamal", "cemal"),  # the Turkish c for j
        ("naqdi", "naghdi"),  # the Persian gh for q
        ("bojkov", "bozhkov"),  # zh for j
    ],
)
def test_a_word_reaches_its_listed_transliterations(
    real_index: ScreeningIndex, word: str, listed: str
) -> None:
    found = dict(real_index.transliterations(word))
    assert listed in found
    # the score the person rules give the pair
    assert found[listed] == person_token_similarity(word, listed)[0]
    assert listed in dict(real_index.expand(word))


def test_g_for_q_is_read_for_the_key(real_index: ScreeningIndex) -> None:
    """The last reading, g for q ("Gaddafi" / "Qaddafi"): the two share no
    key as written, and the transliteration rules read the pair by its
    vowels with that g read (``transliterated_vowels``), the person rules
    by ``g_for_q`` itself, more highly; the index offers the word at the
    first, the screen scores it at the second."""
    assert "qaddafi" in dict(real_index.transliterations("gaddafi"))


def test_only_the_transliteration_rules_and_persons_words(
    real_index: ScreeningIndex,
) -> None:
    """ "saqr" is "sakir" by a typo's rule, not a transliteration's; "mechel"
    (Mechel Koks, a Russian company) is "michelle" by transliterated vowels,
    but no person's name holds it: a company's name compared with a
    person's."""
    assert person_token_similarity("sakir", "saqr")[1] == "typo"
    assert transliteration("sakir", "saqr") == (0.0, "")
    assert "saqr" not in dict(real_index.transliterations("sakir"))
    assert transliteration("michelle", "mechel")[1]
    assert not real_index.name_person[real_index.postings["mechel"]].any()
    assert "mechel" not in dict(real_index.transliterations("michelle"))
    for word in ("haniya", "sakir", "zawahiri", "abdulrahman"):
        for listed, score in real_index.transliterations(word):
            assert real_index.name_person[real_index.postings[listed]].any()
            read = transliteration(word, listed)
            if not read[1]:
                read = article_left_out(word, listed, True, False)
            assert read[1]
            assert score == read[0] > 0
    assert real_index.transliterations("a320") == []


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("SHISHANI, Omar", "AL-SHISHANI, OMAR"),
        ("Ismail Haniya", "ISMAIL HANIEH"),
        ("BAZZI, Kassem Mohamad Ali", "BAZZI, QASIM MUHAMMAD ALI"),
        ("Ayman Zawahiri", "AL ZAWAHIRI, DR. AYMAN"),
        # one entry's names, a letter of one read as the other writes it
        ("BUSHUSHA, Mokhtar", "BOUCHOUCHA, MOKHTAR"),
        ("AQAJANI, Azim", "AGHAJANI, AZIM"),
        ("AHMADINEJAD, Mahmood", "AHMADINEZHAD, MAHMOUD"),
        ("BAHAZIQ, Mahmoud", "BAHADHIQ, MAHMUD"),
        ("BOJKOV, Vassil Kroumov", "BOZHKOV, VASIL"),
        ("Al-Dabachi", "AL DABBASHI"),
        # a word the other writes as two, in another transliteration
        # (``ScreeningIndex.joined_transliterations``)
        ("DROUKDAL, Abdelmalek", "DRUKDAL, 'ABD AL-MALIK"),
        ("NAGHDI, Mohammedreza", "NAQDI, MOHAMMAD REZA"),
        ("JAMALEDDINE, Hassan", "JAMAL-AL-DIN, HASAN"),
        ("NOORAHMADI, Masoud", "NUR AHMADI, MASUD"),
    ],
)
def test_the_listed_spelling_is_offered(
    real_screener: Screener, query: str, listed: str
) -> None:
    index = real_screener.matcher.index
    ids = [i for i, name in enumerate(index.name_text) if name.upper() == listed]
    assert ids
    assert not set(ids).isdisjoint(offered(real_screener, query))


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Ayman Zawahiri", "AL ZAWAHIRI"),
        ("Abu Bakr Baghdadi", "ABU BAKR AL-BAGHDADI"),
        ("Harith Dhari", "AL-DHARI"),
        # the Persian q the lists write gh ("Naghdi" / "Naqdi")
        ("Afshin Naqibi", "AFSHIN NAGHIBI"),
        ("Mohammad Reza Vaqari", "MOHAMMAD REZA VAGHARI"),
    ],
)
def test_a_spelling_no_list_writes_is_a_hit(
    real_screener: Screener, query: str, listed: str
) -> None:
    hits = real_screener.screen(query)
    assert any(hit.is_hit and listed in hit.matched_name.upper() for hit in hits), [
        (hit.matched_name, hit.score) for hit in hits
    ]


def test_a_word_reaches_two_listed_words_it_writes_together(
    real_index: ScreeningIndex,
) -> None:
    """ "Abdelmalek" is "Abd al-Malik" written together in another
    transliteration, "Mohammedreza" "Mohammad Reza": the pairs of adjacent
    words of persons' names the transliteration rules read so, each at the
    rule's score; a word too short, not of letters, or written as two listed
    words exactly (``split_words``' own cut) has none."""
    found = real_index.joined_transliterations("abdelmalek")
    assert ("abd", "almalik", 0.95) in found
    assert ("mohammad", "reza", 0.9) in real_index.joined_transliterations(
        "mohammedreza"
    )
    for left, right, score in found:
        assert transliteration("abdelmalek", left + right) == (score, ARABIC_COMPOUND)
        assert _adjacent_in_a_persons_name(real_index, left, right)
    assert ("mohammad", "reza") not in {
        (left, right)
        for left, right, _ in real_index.joined_transliterations("mohammadreza")
    }
    assert real_index.joined_transliterations("abdalla") == []  # seven letters
    assert real_index.joined_transliterations("abdel1malek") == []


def _adjacent_in_a_persons_name(index: ScreeningIndex, left: str, right: str) -> bool:
    return any(
        person and (left, right) in set(pairwise(name.tokens))
        for name, person in zip(index.name_norm, index.name_person, strict=True)
    )
