"""patronymic_of: two patronymics of one father's name, as Russian,
Belarusian and Ukrainian form them."""

from __future__ import annotations

import pytest

from chipgate.screening.features import (
    SAME_NAME_ITEM,
    one_given_name,
    person_token_similarity,
)
from chipgate.screening.patronymics import PATRONYMIC_OF, father_names, patronymic_of
from chipgate.screening.screener import Screener
from tests.screening.conftest import person_score


@pytest.mark.parametrize(
    ("word", "sex", "father"),
    [
        ("vladimirovich", "m", "vladimir"),
        ("nikolaevich", "m", "nikolay"),  # the y of Nikolay before -evich
        ("grigoriyevich", "m", "grigoriy"),
        ("ryhoravich", "m", "ryhor"),  # Belarusian
        ("mykolaiovych", "m", "mykolai"),  # Ukrainian
        ("uladzimirauna", "f", "uladzimir"),
        ("ivanovna", "f", "ivan"),
        ("petrivna", "f", "petr"),
        ("grigorjevitj", "m", "grigoriy"),  # Dutch and Swedish, the й as j
        ("serhiiovych", "m", "serhii"),
    ],
)
def test_father_names(word: str, sex: str, father: str) -> None:
    found = father_names(word)
    assert found is not None
    assert found[0] == sex
    assert father in found[1]


@pytest.mark.parametrize("word", ["vladimir", "ovich", "ivanova", "petrov"])
def test_no_patronymic(word: str) -> None:
    assert father_names(word) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("vladimirovna", "uladzimirauna"),
        ("nikolaevich", "mikalayevich"),
        ("grigoriyevich", "ryhoravich"),
        ("nikolayevich", "mykolaiovych"),
        ("sergeyevich", "serhiiovych"),
        ("igorevich", "ihorovych"),
        ("grigorjevitj", "ryhoravitj"),
        ("vladimirovitj", "uladzimiravich"),
    ],
)
def test_one_fathers_name(a: str, b: str) -> None:
    assert patronymic_of(a, b, one_given_name)
    assert person_token_similarity(a, b) == (SAME_NAME_ITEM, PATRONYMIC_OF)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("vladimirovich", "vladimirovna"),  # a son and a daughter
        ("valeryevich", "vasilyevich"),  # two fathers' names
        ("petrovich", "pavlovich"),
    ],
)
def test_two_patronymics(a: str, b: str) -> None:
    assert not patronymic_of(a, b, one_given_name)


@pytest.mark.parametrize(
    ("query", "listed", "before"),
    [
        # two names of one listed person each; scores before patronymic_of
        (
            "PIATKEVICH, Natallia Vladimirovna",
            "PIATKEVICH, Natallia Uladzimirauna",
            0.6922,
        ),
        ("BEZLER, Igor Mykolaiovych", "BEZLER, Igor Nikolayevich", 0.6655),
        ("KUSOV, Ivan Serhiiovych", "KUSOV, Ivan Sergeyevich", 0.6612),
        (
            "LUKASHENKO, Alexander Grigoryevich",
            "LUKASHENKA, Alyaksandr Ryhorovich",
            0.5676,
        ),
        ("KENJUCH, Igor Grigorjevitj", "KENJUCH, Ihar Ryhoravitj", 0.5922),
        (
            "PAULENKA, Uladzislau Mikalaevych",
            "PAVLENKO, Vladislav Nikolaevich",
            0.6292,
        ),
    ],
)
def test_listed_aliases_with_patronymics_are_hits(
    real_screener: Screener, query: str, listed: str, before: float
) -> None:
    assert before < 0.9
    assert person_score(real_screener, query, listed) >= 0.9


def test_a_daughter_is_not_her_brother(real_screener: Screener) -> None:
    score = person_score(
        real_screener, "Ivan Petrovich Sidorov", "Ivan Petrovna Sidorov"
    )
    assert score < 0.8
