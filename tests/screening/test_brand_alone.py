"""brand_alone: a company's trade name screened alone ("Loongson", "Zhipu") is a
possible match on a listed name that adds to it only what kind of organisation it
is and where ("Loongson Technology", "Zhipu AI"); never a hit by itself, and not
when the listed name adds a name of its own or the word is in many listed names."""

from __future__ import annotations

import pytest

from chipgate.screening.companies import (
    BRAND_ALONE,
    BRAND_ALONE_RULE,
    brand_alone,
    trade_word,
)
from chipgate.screening.normalize import normalize
from chipgate.screening.screener import Screener

from .hits import HIT, REVIEW


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # Entity List chip makers and AI firms by their trade names alone
        ("Loongson", "Loongson Technology"),
        ("Zhipu", "Zhipu AI"),
        ("Zhipu Huazhang", "Beijing Zhipu Huazhang Technology Co., Ltd."),
        ("Yangtze Memory", "Yangtze Memory Technologies (Japan) Inc."),
        ("Sophgo", "Wuhan Sophgo"),
        # a Chinese city in parentheses, not first: Moore Threads' subsidiaries
        ("Moore Thread", "Moore Thread Intelligent Technology (Shanghai) Co., Ltd."),
        ("Moore Thread", "Moore Thread Intelligent Technology (Chengdu) Co., Ltd."),
        # in 17 listed names, Inspur Group and its companies
        ("Inspur", "Inspur Group Co., Ltd."),
        ("Kaspersky", "OOO Kaspersky Group"),
        # in Chinese characters, the syllables joined as the lists write them:
        # 智谱 Zhipu AI, 海光 Hygon's Chengdu Haiguang, 算能 Sophgo's Suanneng
        ("智谱", "Zhipu AI"),
        ("智谱华章", "Beijing Zhipu Huazhang Technology Co., Ltd."),
        ("海光", "Chengdu Haiguang Microelectronics Technology"),
        ("算能", "Wuhan Suanneng Technology Co., Ltd."),
    ],
)
def test_a_trade_name_alone_is_a_possible_match(
    real_screener: Screener, query: str, listed: str
) -> None:
    found = {m.matched_name: m for m in real_screener.matches(query)}
    assert listed in found, (query, sorted(found))
    match = found[listed]
    # below review before, raised by this rule alone: never to a hit
    assert REVIEW <= BRAND_ALONE == match.score < HIT
    assert BRAND_ALONE_RULE in match.explanation()


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # the lists' own pairs of two names of one entry, below review before
        ("Siliborn", "Siliborn Technology Limited"),
        ("NetPosa", "NetPosa Technologies, Ltd."),
        ("Phytium", "Tianjin Phytium Information Technology"),
        ("WINGTECH", "Wingtech Technology Co., Ltd."),
        ("Cobber", "Shenzhen Cobber Information Technology Co., Ltd."),
    ],
)
def test_the_lists_own_names_of_one_company(
    real_screener: Screener, query: str, listed: str
) -> None:
    assert real_screener.matcher.compare(query, listed, False) == BRAND_ALONE


def test_loongson_was_below_review_and_now_says_why(real_screener: Screener) -> None:
    match = next(
        m
        for m in real_screener.matches("Loongson")
        if m.matched_name == "Loongson Technology"
    )
    assert match.score == BRAND_ALONE
    assert "brand_alone: 'loongson'" in match.explanation()
    assert "technology" in match.explanation()


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # the listed name adds a name of its own: one of several companies
        ("Loongson", "Loongson Zhongke"),
        ("Zhipu", "Beijing Zhipu Huazhang Technology Co., Ltd."),
        # a name of its own beside the city
        ("Moore Thread", "Moore Thread Zhixin (Shanghai) Co., Ltd."),
        # a person's name, a place, a word of what kind
        ("Johnson", "Johnson Trading"),
        ("Iran", "Iran Trading Company"),
        ("Technology", "Loongson Technology"),
        # the query adds a word the listed name lacks
        ("Loongson Zhongke", "Loongson Technology"),
        # a pinyin syllable is no trade name (a number: the test below)
        ("Wang", "Wang Trading Company"),
    ],
)
def test_not_read_as_a_trade_name_alone(query: str, listed: str) -> None:
    assert brand_alone(normalize(query), normalize(listed)) == ""


def test_a_word_of_many_listed_names_is_no_trade_name(real_screener: Screener) -> None:
    matcher = real_screener.matcher
    # "energy" is in some 190 listed names, "inspur" in 17, "loongson" in 3
    assert not matcher.few_names("energy")
    assert matcher.few_names("inspur")
    assert matcher.few_names("loongson")
    assert not brand_alone(
        normalize("Energy"), normalize("Global Energy Company"), matcher.few_names
    )
    names = {m.matched_name for m in real_screener.matches("Energy LLC")}
    assert "GLOBAL ENERGY COMPANY SAS" not in names
    # a city the place tables do not know is in too many listed names too
    assert not matcher.few_names("moscow")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("loongson", True),
        ("zhipu", True),  # two pinyin syllables written together: a trade name
        ("technology", False),
        ("johnson", False),
        ("beijing", False),
        ("iran", False),
        ("wang", False),
        ("abc", False),
        ("123456", False),
    ],
)
def test_trade_word(word: str, expected: bool) -> None:
    assert trade_word(word) is expected


def test_a_number_in_the_query_is_no_trade_name(real_screener: Screener) -> None:
    # the same answer by the batch's remembered shapes as by the rules
    assert not [
        m
        for m in real_screener.matches("Loongson 123456")
        if m.matched_name == "Loongson Technology"
    ]
