"""father_named: "bin X" and X in the same place after one given name; the
German -ovitsch patronymic left out. On the real lists' word weights."""

from __future__ import annotations

import pytest

from chipgate.screening.features import (
    FATHER_NAMED,
    optional_word,
    person_alignment,
    urdu_article_left_out,
)
from chipgate.screening.normalize import normalize_person, person_form
from chipgate.screening.screener import Screener
from tests.screening.conftest import person_score


@pytest.mark.parametrize(
    ("query", "listed", "before"),
    [
        # two names of one listed person each; scores before the rule
        ("AL-ALI, Dr. Hamed Abdullah", "AL-'ALI, Hamed bin 'Abdallah", 0.8603),
        ("HIR, Zulkifli Abdul", "HIR, Zulkifli Bin Abdul", 0.8868),
        ("AL-AHDAL, Abdallah Faisal", "AL-AHDAL, Abdullah Bin Faisal", 0.7998),
    ],
)
def test_the_fathers_name_with_and_without_bin(
    real_screener: Screener, query: str, listed: str, before: float
) -> None:
    assert before < 0.9
    assert person_score(real_screener, query, listed) >= 0.9


def test_the_rule_is_named() -> None:
    """The query may write its surname first: the places count from the
    given name."""
    query = person_form(normalize_person("AL-ALI Hamed Abdullah"))
    listed = normalize_person("AL-'ALI, Hamed bin 'Abdallah")
    found = person_alignment(query, listed, lambda word: 1.0)
    assert f"abdullah~binabdallah ({FATHER_NAMED} 0.90)" in found.detail


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # Omar, son of Abdullah, is not Abdullah, son of Omar
        ("Omar Abdullah", "Abdullah bin Omar"),
        ("Abdullah bin Omar", "Omar Abdullah"),
        ("Omar bin Abdullah", "Abdullah Omar"),
        # another father
        ("Mohammed bin Sultan", "Mohammed bin Salman"),
        ("Mohammed Sultan Al Saud", "Mohammed bin Salman Al Saud"),
        # a last word is a surname as often: the SDN's "FAISAL, Abdullah" is
        # another person than "Abdullah bin Faisal al-Ahdal"
        ("AL-AHDAL, Abdullah Bin Faisal", "FAISAL, Abdullah"),
    ],
)
def test_the_fathers_name_in_another_place_stays_apart(
    real_screener: Screener, query: str, listed: str
) -> None:
    assert person_score(real_screener, query, listed) < 0.9


def test_a_german_patronymic_in_ovitsch_is_left_out(
    real_screener: Screener,
) -> None:
    """A German patronymic in -ovitsch: "TSCHATAYEV, Ahmed Radschapovitsch"
    against the same person's alias "CHATAYEV, Akhmed" was 0.877."""
    assert optional_word("radschapovitsch")
    assert optional_word("abramowitsch")
    assert not optional_word("kovitsa")
    score = person_score(
        real_screener, "TSCHATAYEV, Ahmed Radschapovitsch", "CHATAYEV, Akhmed"
    )
    assert score >= 0.9


@pytest.mark.parametrize(
    ("words", "left_out"),
    [
        (("zaki", "ur", "rehman", "lakhvi"), [1]),
        (("inayat", "ur", "alrahman"), [1]),  # the article also written "al"
        (("shams", "uz", "zaman", "khan"), [1]),
        (("ur", "rehman", "mati"), [0]),  # the surname written first
        # only before the sun letter it becomes, never last
        (("mati", "rehman", "ur"), []),
        (("habib", "ur", "khan"), []),
        (("kim", "un", "nam"), []),  # a Korean syllable
    ],
)
def test_the_urdu_article_before_a_sun_letter(
    words: tuple[str, ...], left_out: list[int]
) -> None:
    """urdu_article: "ur", "uz", "us", "ush" before the letter the article
    becomes are the article ("Zaki ur-Rehman" is Zaki al-Rahman)."""
    assert sorted(urdu_article_left_out(words, {})) == left_out


def test_a_name_written_joined_still_pairs(real_screener: Screener) -> None:
    """The article stays a word: "Matiur Rehman" joins "Mati ur" (1.00)."""
    assert person_score(real_screener, "REHMAN, Matiur", "REHMAN, Mati ur") == 1.0


@pytest.mark.parametrize(
    ("query", "listed", "before"),
    [
        # two names of one listed person each; scores before the rule
        ("AL-REHMAN, Matti", "UR-REHMAN, Mati", 0.8626),
        ("UR RASHIDI, Yaqoob Mansoor", "AL-RASHIDI, Yaqub Mansoor", 0.8862),
        ("AL-RAHMAN, 'Inayat", "RAHMAN, Inayat ur", 0.8825),
    ],
)
def test_listed_aliases_with_the_urdu_article_are_hits(
    real_screener: Screener, query: str, listed: str, before: float
) -> None:
    assert before < 0.9
    assert person_score(real_screener, query, listed) >= 0.9
