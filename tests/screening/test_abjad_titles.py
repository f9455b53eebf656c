"""abjad_title: a name written in Arabic script keeps the words whose consonants
spell a Latin title ("عمر", Omar, is "mr"), and its own titles ("امیر" Amir,
"قاري" Qari, "حجي" Hajji) left unpaired cost nothing against a Latin name, whose
titles the normalizer drops."""

from __future__ import annotations

import pytest

from chipgate.screening.features import (
    ABJAD_TITLE,
    abjad_organisation,
    abjad_title_left_out,
)
from chipgate.screening.normalize import (
    abjad_title,
    normalize_person,
    romanized_titles,
)
from chipgate.screening.screener import Screener

from .hits import REVIEW, on_consonants_for_review, person_detail


def test_omar_in_arabic_script_is_no_title() -> None:
    # romanized, عمر is "mr": read as the Latin "Mr." it was dropped
    assert normalize_person("محمد عمر ځدران").tokens == (
        "mhmd",
        "mr",
        "dzdrn",
    )
    assert normalize_person("عامر علی چوہدری").tokens[0] == "mr"
    # nor a Latin suffix: "سر" is "sr", no Senior
    assert normalize_person("حسن علي سر").tokens == ("hsn", "ly", "sr")
    # the Latin titles and suffixes are still dropped from a name in Latin letters
    assert normalize_person("Mr Omar Zadran").tokens == ("omar", "zadran")
    assert normalize_person("John Smith Sr").tokens == ("john", "smith")


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
    on_consonants_for_review(real_screener, written, listed)


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


@pytest.mark.parametrize(
    ("written", "listed"),
    [
        # the UN list's entities, in Arabic script and in Latin letters
        ("أنصار الشريعة – درنة", "Ansar al-Sharia Derna"),
        ("تحریک طالبان پاکستان", "Tehrik-I-Taliban Pakistan"),  # izafe unwritten
        ("حاجی خيرالله و حاجی ستار صرافی", "Haji Khairullah-Haji Sattar Sarafi"),
    ],
)
def test_organisations_in_arabic_script_reach_their_latin_names(
    real_screener: Screener, written: str, listed: str
) -> None:
    on_consonants_for_review(real_screener, written, listed, person=False)


def test_an_organisation_of_one_word_is_not_compared_on_consonants(
    real_screener: Screener,
) -> None:
    # "آوا" (ava) is romanized w, as "و" (and) is: left, one word would be
    # compared with one, "smsr" with "SMSC" by a typo
    assert real_screener.matcher.compare("آوا سمسار", "SMSC", False) < REVIEW
    assert abjad_organisation(("smsr",), ("smsc",), lambda word: 1.0).score == 0.0


def test_the_organisation_rule_is_named(real_screener: Screener) -> None:
    found = {m.matched_name: m for m in real_screener.matches("صرافی روشان")}
    assert "ROSHAN SARAFI" in found, list(found)
    assert "abjad_organisation" in found["ROSHAN SARAFI"].explanation()


def test_a_title_of_two_words_is_an_error_naming_it() -> None:
    assert romanized_titles(["امیر", "الشيخ"], "titles") == {"myr", "lshykh"}
    with pytest.raises(
        ValueError, match=r"person_names.yaml: abjad_titles: 'آیت الله'"
    ):
        romanized_titles(["آیت الله"], "person_names.yaml: abjad_titles")
