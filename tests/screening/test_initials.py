"""A person written as a surname and initials reaches the listed person."""

from __future__ import annotations

import pytest

from chipgate.screening.features import person_alignment
from chipgate.screening.normalize import normalize, normalize_person
from chipgate.screening.screener import Screener
from chipgate.screening.scripts import dotted_initials

from .hits import hit_by


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # each no match before: the dotted letters were one word ("vv"; "ii"
        # the numeral left out; "ov" a word no listed name holds), and the
        # listed name with the given name and patronymic written out was never
        # a candidate
        ("V.V. Putin", "PUTIN, Vladimir Vladimirovich"),
        ("Putin V.V.", "PUTIN, Vladimir Vladimirovich"),
        ("Путин В.В.", "PUTIN, Vladimir Vladimirovich"),
        ("Сечин И.И.", "SECHIN, Igor Ivanovich"),
        ("O.V. Deripaska", "DERIPASKA, Oleg Vladimirovich"),
        ("Дерипаска О.В.", "DERIPASKA, Oleg Vladimirovich"),
        ("S.K. Shoigu", "SHOIGU, Sergei Kuzhugetovich"),
        # spaced already: 0.84 on the entry's shorter name before
        ("V. V. Putin", "PUTIN, Vladimir Vladimirovich"),
    ],
)
def test_surname_and_initials_hit_the_listed_person(
    real_screener: Screener, query: str, listed: str
) -> None:
    hit_by(real_screener, query, listed, "initials_in_order", best=True)


@pytest.mark.parametrize(
    ("written", "spaced"),
    [
        ("V.V. Putin", "V. V. Putin"),
        ("Путин В.В.", "Путин В. В."),
        ("J.R.R. Tolkien", "J. R. R. Tolkien"),
    ],
)
def test_dotted_initials_are_set_apart(written: str, spaced: str) -> None:
    assert dotted_initials(written) == spaced


@pytest.mark.parametrize("name", ["U.S.A.", "V. V. Putin", "Vladimir Putin", "A.B."])
def test_names_without_dotted_initials_beside_a_word_are_left(name: str) -> None:
    assert dotted_initials(name) is None


def test_equal_initials_after_the_surname_pair_in_order() -> None:
    # the alignment paired the two v's crosswise: 0.89, as against 0.94 with
    # the initials first
    first = person_alignment(
        normalize_person("V V Putin"),
        normalize_person("Vladimir Vladimirovich Putin"),
        lambda _: 1.0,
    )
    after = person_alignment(
        normalize_person("Putin V V"),
        normalize_person("Vladimir Vladimirovich Putin"),
        lambda _: 1.0,
    )
    assert after.score == first.score
    assert "initials_in_order" in after.detail


@pytest.mark.parametrize("query", ["а инвест", "ARGO I", "Capital T C", "A B Trading"])
def test_letters_in_company_names_are_no_initials(
    real_screener: Screener, query: str
) -> None:
    # their words are written mostly in organisations' or vessels' names:
    # ranked by Dice as before, not by the words beside the letter alone
    form = normalize(query)
    matcher = real_screener.matcher
    assert not matcher._initials(form, normalize_person(query))
