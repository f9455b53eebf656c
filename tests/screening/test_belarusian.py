"""belarusian_spelling: a Belarusian name in the Belarusian Latin spelling
read as the Russian spelling of the same name. On the real lists' word
weights; the pairs are two names of one listed person each (SDN), with the
score of main before the rule (``python -m bench.screening_aliases --out DIR``)."""

from __future__ import annotations

import pytest

from chipgate.screening.belarusian import (
    BELARUSIAN_SPELLING,
    belarusian_spelling,
    readings,
    signs,
)
from chipgate.screening.features import person_token_similarity
from chipgate.screening.screener import Screener
from tests.screening.conftest import person_score


@pytest.mark.parametrize(
    ("query", "listed", "before"),
    [
        ("IPATAU, Vadzim", "IPATOV, Vadim Dmitrievich", 0.396),
        ("BASKAU, Dzmitry", "BASKOV, Dmitriy", 0.382),
        ("VETSIANEVICH, Aliaksandr", "VETENEVICH, Alexander", 0.360),
        ("ZIMOVSKY, Aleksandr Leonidovich", "ZIMOVSKY, Aliaksandr Lieanidavich", 0.627),
        ("SHKADAREVICH, Alexey", "SHKADAREVICH, Aliaksei Piatrovich", 0.560),
        ("SUKHORENKO, Stepan Nikolaevich", "SUKHORENKO, Stiapan Nikolaevich", 0.632),
        ("KOSTENOK, Sergey Vladimirovich", "KASTSIANOK, Siarhei Uladzimiravich", 0.492),
        ("GOLOVANOV, Viktor Grigoriyevich", "HALAVANAU, Viktor Hryhoryavich", 0.604),
        ("KUNTSEVICH, Yelena Konstantinovna", "KUNTSEVICH, Alena Kanstantsinauna", 0.612),
        ("KATSUBO, Svetlana Petrovna", "KATSUBA, Sviatlana Piatrouna", 0.731),
    ],
)
def test_the_belarusian_spelling_reaches_the_russian(
    real_screener: Screener, query: str, listed: str, before: float
) -> None:
    assert before < 0.9
    assert person_score(real_screener, query, listed) >= 0.9


@pytest.mark.parametrize(
    ("belarusian", "russian"),
    [
        ("shpakau", "shpakov"),  # -аў for -ов
        ("laurentsyeu", "lavrentyev"),  # ў inside, -еў for -ев
        ("naumau", "naumov"),  # Наумаў: the first u a vowel
        ("siarhei", "sergei"),  # a soft vowel, г as h
        ("henadzi", "gennady"),  # дз
        ("paulichenka", "pavlichenko"),  # ў and -enka
        ("leanidavich", "leonidovich"),  # a patronymic in -avich (akanye)
        ("fiodaravich", "fedorovich"),
        ("aliaksei", "aleksei"),  # a soft vowel alone, no US name
        ("piatrovich", "petrovich"),
    ],
)
def test_belarusian_words_read_as_russian(belarusian: str, russian: str) -> None:
    assert belarusian_spelling(belarusian, russian)
    assert belarusian_spelling(russian, belarusian)
    assert person_token_similarity(belarusian, russian)[1] == BELARUSIAN_SPELLING


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("marian", "maren"),  # a soft vowel alone in a US name
        ("natalia", "natale"),
        ("siavash", "siavosh"),  # a reading the folding undoes
        ("mamadou", "mamadov"),  # -ou alone ends West African names too
        ("christou", "hristov"),  # and Greek surnames
        ("kyriakou", "kiriakov"),  # -ou beside a soft vowel alone
        ("kuzniatsou", "kuznetsov"),  # so this Belarusian one is not read
        ("yaghmour", "yagmur"),  # gh is a digraph, not г
        ("jiao", "jao"),  # pinyin
        ("shpakau", "shpakova"),  # the reading must agree letter for letter
    ],
)
def test_words_that_do_not_show_the_belarusian_spelling_are_not_read_so(
    a: str, b: str
) -> None:
    assert not belarusian_spelling(a, b)


def test_every_u_after_a_vowel_is_read_both_ways() -> None:
    """"Naumau" holds a u after a vowel that is a vowel of its own (Наумаў)
    and one that is ў: each is read as v and as u."""
    found = readings("naumau")
    assert {"navmav", "naumav"} <= found
    assert signs("naumau") >= {"final", "inner"}


def test_the_belarusian_spelling_against_unlisted_names(real_screener: Screener) -> None:
    """A Greek or West African surname in -ou meets no Russian -ov name."""
    assert person_score(real_screener, "Andreas Christou", "Andrei Hristov") < 0.8
    assert person_score(real_screener, "Mamadou Ali", "Ali Mammadov") < 0.8
