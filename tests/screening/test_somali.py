"""somali_spelling: the x of the Somali orthography (ħ, ح) read as the h of
the other transliterations. On the real lists' word weights; the pairs are two
names of one listed person each (SDN), with the score of main before the rule
(``python -m bench.screening_aliases --out DIR``)."""

from __future__ import annotations

import pytest

from chipgate.screening.features import person_token_similarity
from chipgate.screening.screener import Screener
from chipgate.screening.somali import SOMALI_SPELLING, somali_reading, somali_spelling
from tests.screening.conftest import person_score


@pytest.mark.parametrize(
    ("query", "listed", "before"),
    [
        ("BENAH, Yassin", "BEENAX, Yasin", 0.425),
        ("BEENAH, Yasin", "BENAX, Yassin", 0.419),
        ("YULUH, Issa", "YULUX, Isse", 0.867),
        ("Hassan Ahmed", "Xassan Axmed", 0.863),
    ],
)
def test_the_somali_x_reaches_the_h(
    real_screener: Screener, query: str, listed: str, before: float
) -> None:
    assert before < 0.9
    assert person_score(real_screener, query, listed) >= 0.9


@pytest.mark.parametrize(
    ("somali", "other"),
    [("axmed", "ahmed"), ("xirsi", "hersi"), ("xassaan", "hassan"), ("baynax", "baynah")],
)
def test_somali_words_read_as_the_others_write_them(somali: str, other: str) -> None:
    assert somali_spelling(somali, other)
    assert somali_spelling(other, somali)
    assert person_token_similarity(somali, other)[1] == SOMALI_SPELLING


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("alex", "aleh"),  # an x ending a word after e or i
        ("felix", "felih"),
        ("xu", "hu"),  # pinyin syllables
        ("xiaoming", "hiaoming"),
        ("max", "mah"),  # a name the census gives to many
        ("cali", "ali"),  # the c for ع is not read (Cotto / Otto)
        ("cotto", "otto"),
        ("axmed", "ahmadi"),  # the reading must agree letter for letter
    ],
)
def test_words_that_do_not_show_the_somali_x_are_not_read_so(a: str, b: str) -> None:
    assert not somali_spelling(a, b)


def test_long_vowels_are_read_single() -> None:
    assert somali_reading("maxamuud") == "mahamud"
