"""Numbered names read once: a name's repeats with other numbers ("Acme
Trading 123456", "Acme Trading 234567") take what was made for the first, and
that is what each would make on its own."""

from __future__ import annotations

import random

import pytest

from chipgate.screening.index import ScreeningIndex
from chipgate.screening.matcher import (
    _NUMBERED_NAME,
    NameMatcher,
    _numbered_shape,
)
from chipgate.screening.normalize import person_form

# names whose readings look at signs, words and letters a number stands beside
HEADS = (
    "Acme Trading Co., Ltd.",
    "Huawei Technologies Co., Ltd. (Huawei)",
    "Semiconductor Manufacturing International Corporation (SMIC)",
    "Sitronics, a subsidiary of AFK Sistema",
    "Huawei Technologies c/o Acme Logistics",
    "Mikron Group / Sitronics",
    "Acme Ltd (formerly Apex Ltd)",
    "Yamahdi (UK) Limited",
    "Bank of China (Hong Kong) Limited",
    "Huawei Technologies Bahrain, Building",
    "Guiyan New District Huawei Investment Co., Ltd., Guiyang",
    "VIGILAR COLOMBIA LTDA. Istanbul Branch",
    "Shanghai Branch of Bank of China",
    "Acme Representative Office",
    "MV TIFON",
    "MT Navi Star",
    "Mao Tse-tung",
    "Teng Hsiao-p'ing",
    "Mao Tse Tung",
    "SALIM, Ahmad",
    "PUTIN, Vladimir Vladimirovich",
    "V. V. Putin",
    "P u t i n",
    "V-l-a-d-i-m-i-r",
    "HuaweiTechnologies",
    "nitup rimidalv",
    "NITUP RIMIDALV",
    "Acme Aktiengeselschaft",
    "Ogranichennoi Otvtestvennostyu Acme",
    "Acme %ers",
    "A & B Trading",
    "Twenty First Century Trading",
    "Acme forty",
    "Acme twenty",
    "Acme th",
    "Kontsern Kalashnikov",
    "Acme Trdg Equip",
    "Dalian Zhenghua Maoyi Youxian Gongsi",
    "Abdullah bin",
    "Omar al",
    "El Hadj Omar",
    "Hajji Abdallah",
    "Acme (",
    "Acme (HK",
    "Acme -",
    "Acme #",
    "Acme,",
    "ZAO",
    "OOO Rosoboronexport",
    "Sechin I I",
)


def _numbers(rng: random.Random) -> list[str]:
    return [
        str(rng.randrange(10 ** (size - 1), 10**size)) for size in (3, 4, 6, 6, 10, 12)
    ]


def _heads(index: ScreeningIndex) -> list[str]:
    rng = random.Random(7)
    listed = [t for t in index.name_text if t.isascii() and not _has_digit(t)]
    return [*HEADS, *rng.sample(listed, 150)]


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def test_numbered_forms_are_the_forms_the_name_makes(
    real_index: ScreeningIndex,
) -> None:
    matcher = NameMatcher(real_index)
    rng = random.Random(11)
    checked = 0
    for head in _heads(real_index):
        for number in _numbers(rng):
            name = f"{head} {number}"
            assert _NUMBERED_NAME.fullmatch(name), name
            assert matcher.forms(name) == matcher._forms_of(name), name
            checked += 1
    assert checked > 1000
    assert len(matcher._numbered_forms) > 150


@pytest.mark.parametrize(
    "name",
    [
        "Acme 0123",  # a leading 0
        "Acme 12",  # two digits
        "Acme2 123",  # a digit before
        "Acme  123",  # two spaces
        "Acme 123 ",
        "Ácme 123",  # not ASCII
        "Acme\t123",
        "123",
    ],
)
def test_other_names_are_read_in_full(name: str) -> None:
    assert _NUMBERED_NAME.fullmatch(name) is None


def test_a_number_said_to_reach_no_word_reaches_none(
    real_index: ScreeningIndex,
) -> None:
    postings, deletes, _, vocabulary = real_index._number_tables()
    rng = random.Random(5)
    numbers = {
        str(rng.randrange(10**size)) for size in range(1, 14) for _ in range(300)
    }
    for word in [*postings, *deletes, *vocabulary]:
        numbers.add(word)
        numbers.update(word[:at] + word[at + 1 :] for at in range(len(word)))
        numbers.update(
            word[:at] + digit + word[at:]
            for at in range(len(word) + 1)
            for digit in "0123456789"
        )
        numbers.add(word + word[-1])
    numbers.discard("")
    said = [n for n in numbers if real_index.reaches_no_word(n)]
    assert len(said) > 1000
    assert not [n for n in said if real_index._expand(n, True)]
    assert not real_index.reaches_no_word("acme")


def test_numbered_queries_read_as_made_in_full(real_index: ScreeningIndex) -> None:
    matcher = NameMatcher(real_index)
    rng = random.Random(13)
    kept = 0
    for head in _heads(real_index):
        for number in _numbers(rng):
            for query, _ in matcher.forms(f"{head} {number}"):
                inert = matcher._inert_number(query)
                if inert is None or query.script == "abjad":
                    continue
                read = matcher._numbered_query(
                    query, inert, _numbered_shape(query, inert)
                )
                if read is None:
                    continue
                known, asked = read
                kept += 1
                assert asked == person_form(query)
                assert known.weight == matcher._query_weight(query, asked)
                initials = matcher._initials(query, asked)
                assert not initials
                assert matcher._retrieval_shape(
                    query, asked, 0.8, inert, 40, initials, known
                ) == matcher._retrieval_shape(query, asked, 0.8, inert, 40, initials)
    assert kept > 500


def test_numbered_names_match_as_each_alone(real_index: ScreeningIndex) -> None:
    """The matches of a name's numbered repeats, made after its first, are
    those a matcher that met none of them makes."""
    rng = random.Random(17)
    heads = _heads(real_index)[:80]
    batch = NameMatcher(real_index)
    names = [f"{h} {n}" for h in heads for n in _numbers(rng)[2:4]]
    names += [f"{h} {n}" for h in heads for n in _numbers(rng)[2:4]]
    together = batch.match_many([(n, None) for n in names], 0.7)
    for name, found in zip(names[-40:], together[-40:], strict=True):
        alone = NameMatcher(real_index).match(name, None, 0.7)
        assert [(m.entry.entry_id, m.score, m.explanation()) for m in found] == [
            (m.entry.entry_id, m.score, m.explanation()) for m in alone
        ], name
