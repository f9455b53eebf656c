"""abjad_title: a name written in Arabic script keeps the words whose consonants
spell a Latin title ("عمر", Omar, is "mr"), and its own titles ("امیر" Amir,
"قاري" Qari, "حجي" Hajji) left unpaired cost nothing against a Latin name, whose
titles the normalizer drops."""

from __future__ import annotations

import pytest

from chipgate.screening.features import ABJAD, ABJAD_TITLE, abjad_title_left_out
from chipgate.screening.normalize import abjad_title, normalize_person
from chipgate.screening.screener import Screener

from .hits import person_detail

REVIEW = 0.80


def test_omar_in_arabic_script_is_no_title() -> None:
    # romanized, عمر is "mr": read as the Latin "Mr." it was dropped
    assert normalize_person("محمد عمر ځدران").tokens == (
        "mhmd",
        "mr",
        "dzdrn",
    )
    assert normalize_person("عامر علی چوہدری").tokens[0] == "mr"
    # the Latin titles are still dropped from a name in Latin letters
    assert normalize_person("Mr Omar Zadran").tokens == ("omar", "zadran")


@pytest.mark.parametrize(
    "title", ["امیر", "أمير", "قاري", "حجي", "الشيخ", "السيد", "ملا", "مولوي"]
)
def test_arabic_script_titles_are_read(title: str) -> None:
    assert abjad_title(normalize_person(title).tokens[0])


@pytest.mark.parametrize("word", ["mr", "mhmd", "ly", "khn", "amir"])
def test_other_words_are_no_arabic_script_titles(word: str) -> None:
    assert not abjad_title(word)


@pytest.mark.parametrize(
    ("written", "listed"),
    [
        # the UN list's own names, in Arabic script and in Latin letters
        ("امیر خان متقی", "AMIR KHAN MOTAQI"),  # Amir, dropped as a title
        ("قاري سیف الله توخى", "QARI SAIFULLAH TOKHI"),  # Qari
        ("مصطفى حجي محمد خان", "MUSTAFA HAJJI MUHAMMAD KHAN"),  # Hajji
        ("على السيد محمد مصطفى بكري", "ALI SAYYID MUHAMED MUSTAFA BAKRI"),
        ("محمد عمر غلام نبی", "MOHAMMED OMAR GHULAM NABI"),  # Omar kept
        ("عامر علی چوہدری", "AAMIR ALI CHAUDHRY"),  # Aamir (عامر) kept
    ],
)
def test_arabic_script_names_with_titles_reach_their_latin_names(
    real_screener: Screener, written: str, listed: str
) -> None:
    score = real_screener.matcher.compare(written, listed, True)
    # a possible match for review, never a hit on consonants alone
    assert REVIEW <= score <= ABJAD, score


def test_the_title_left_out_is_named(real_screener: Screener) -> None:
    found = person_detail(real_screener, "امیر خان متقی", "AMIR KHAN MOTAQI")
    assert f"myr left out (a title: {ABJAD_TITLE})" in found


def test_a_title_is_free_only_beside_no_word_of_the_other_names_own() -> None:
    # "Ali Khan": ali stands where the title stood, another name
    assert not abjad_title_left_out(("myr", "khn"), {1: 1}, ("ali", "khan"), {1: 1})
    assert abjad_title_left_out(("myr", "khn"), {1: 0}, ("khan",), {0: 1}) == {0}


def test_two_names_in_arabic_script_pair_their_titles_as_words(
    real_screener: Screener,
) -> None:
    # both written in Arabic script: the title is a word of each name, and
    # one left out is a difference, as before
    with_title = real_screener.matcher.compare("امیر خان متقی", "امیر خان متقی", True)
    without = real_screener.matcher.compare("خان متقی", "امیر خان متقی", True)
    assert with_title == 1.0
    assert without < with_title
    assert ABJAD_TITLE not in person_detail(real_screener, "خان متقی", "امیر خان متقی")
