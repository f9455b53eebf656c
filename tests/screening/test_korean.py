"""Korean names in the South's spellings against the lists' McCune-Reischauer."""

from __future__ import annotations

import pytest

from chipgate.screening.features import (
    KOREAN_SPELLING,
    NAME_VARIANT,
    person_token_similarity,
)
from chipgate.screening.korean import (
    korean_pair,
    korean_spelling,
    korean_surname,
    mr_readings,
    reads_korean,
    south_readings,
)
from chipgate.screening.normalize import normalize_person
from chipgate.screening.screener import Screener
from tests.screening.conftest import person_score


@pytest.mark.parametrize(
    ("south", "north"),
    [
        ("moon", "mun"),  # 문: oo for ㅜ
        ("choi", "choe"),  # 최: oi for ㅚ
        ("young", "yong"),  # 영: you for ㅕ
        ("jung", "jong"),  # 정: u for ㅓ before ng
        ("hyun", "hyon"),  # 현: yu for ㅕ before n
        ("hee", "hui"),  # 희: ee for ㅢ
        ("soo", "su"),  # 수
        ("park", "pak"),  # 박: the passports' surname
        ("gim", "kim"),  # 김: RR g for the initial ㄱ
        ("soohyun", "suhyon"),  # 수현 written together
    ],
)
def test_one_syllable_in_both_romanizations(south: str, north: str) -> None:
    assert korean_spelling(south, north)
    assert korean_spelling(north, south)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("young", "hyong"),  # 영 / 형: another syllable
        ("bin", "hun"),
        ("yun", "yon"),  # 윤 / 연 in both systems
        ("o", "u"),  # 오 / 우: u for ㅓ only between a consonant and n or ng
    ],
)
def test_other_syllables_stay_apart(a: str, b: str) -> None:
    assert not korean_spelling(a, b)


def test_readings_are_syllables_of_the_hangul_block() -> None:
    assert {"".join(chr(0xAC00 + s) for s in r) for r in mr_readings("jong")} == {
        "종",
        "정",
    }
    assert "수현" in {
        "".join(chr(0xAC00 + s) for s in r) for r in south_readings("soohyun")
    }
    assert mr_readings("smith") == frozenset()


def test_korean_surnames_in_either_system() -> None:
    assert korean_surname("pak")
    assert korean_surname("park")
    assert korean_surname("choi")
    assert not korean_surname("putin")


def test_a_name_reads_as_korean_with_a_surname_and_syllables_only() -> None:
    assert reads_korean(("moon", "jae", "in"))
    assert not reads_korean(("john", "lee"))  # "john" is no Korean syllable
    assert not reads_korean(("jae", "in", "su"))  # no Korean surname
    assert not reads_korean(("kim",))  # one word
    # a name of other words that read as Korean syllables ("Tina" 티나) is
    # compared as Korean only beside a name written a syllable a word
    assert not korean_pair(("tina", "lee"), ("dina", "lee"))
    assert korean_pair(("kim", "soohyun"), ("kim", "su", "hyon"))


def test_the_rule_pairs_words_only_between_korean_names() -> None:
    assert person_token_similarity("moon", "mun", korean=True) == (
        NAME_VARIANT,
        KOREAN_SPELLING,
    )
    assert person_token_similarity("moon", "mun")[0] < NAME_VARIANT
    # two pinyin syllables are two characters, whatever Korean reads in them
    assert person_token_similarity("ju", "chu", korean=True)[1] != KOREAN_SPELLING


@pytest.mark.parametrize(
    ("query", "listed", "before"),
    [
        ("Moon Jae-in", "Mun Jae In", 0.65),
        ("Kim Soo-hyun", "Kim Su Hyon", 0.57),
        ("Choi Sun-hee", "Choe Son Hui", 0.30),
        ("Lee Young-ho", "Ri Yong Ho", 0.63),
        ("Kim Kyung-hee", "Kim Kyong Hui", 0.53),
    ],
)
def test_south_spellings_reach_the_lists_spelling(
    real_screener: Screener, query: str, listed: str, before: float
) -> None:
    assert person_score(real_screener, query, listed) >= real_screener.threshold
    matcher = real_screener.matcher
    _, features = matcher.compare_normalized(
        normalize_person(query), normalize_person(listed), True
    )
    assert "korean_spelling" in features[0].detail
    assert before < real_screener.threshold


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("KU JA YOUNG", "KU JA HYONG"),  # another syllable: 영 is not 형
        ("Kim Yun", "Kim Yon"),  # 윤 / 연
        ("O Su Yong", "U Su Yong"),  # 오 / 우, two surnames
        ("Dana Park", "Tana Pak"),  # not a name of one syllable a word
        ("Li Ju", "Li Chu"),  # pinyin syllables: two characters
    ],
)
def test_other_korean_names_stay_below_a_hit(
    real_screener: Screener, query: str, listed: str
) -> None:
    assert person_score(real_screener, query, listed) < real_screener.threshold


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Kim Soo-kwang", "KIM, Su-Kwang"),
        ("Park Jung-chun", "PARK, Chong Chon"),
        ("Cho Young-won", "JO, Yong-Won"),
    ],
)
def test_the_index_finds_the_lists_spelling(
    real_screener: Screener, query: str, listed: str
) -> None:
    found = real_screener.matches(query)
    assert found
    assert found[0].matched_name == listed
    assert found[0].score >= real_screener.threshold
    assert "korean_spelling" in found[0].features[0].detail


@pytest.mark.parametrize(
    ("south", "north"),
    [
        ("woon", "un"),  # 운
        ("wook", "uk"),  # 욱
        ("woong", "ung"),  # 웅
        ("woo", "u"),  # 우, as before
    ],
)
def test_woo_with_a_final_is_the_south_s_spelling_of_u(south: str, north: str) -> None:
    """korean_woo: the South writes 우 Woo, and with a final too (Sung-wook,
    Jae-woong, Ki-woon), where McCune-Reischauer writes U, Uk, Ung, Un."""
    assert korean_spelling(south, north)


def test_korean_names_with_woo_and_a_final(real_screener: Screener) -> None:
    assert person_score(real_screener, "Kim Sung Wook", "KIM Song Uk") >= 0.9  # was 0.59
    assert person_score(real_screener, "Lee Ki Woon", "RI Ki Un") >= 0.9  # was 0.62
    # another vowel is another syllable: 원 Won is no 운 Un
    assert not korean_spelling("won", "un")
    assert person_score(real_screener, "Kim Won", "Kim Un") < 0.9
