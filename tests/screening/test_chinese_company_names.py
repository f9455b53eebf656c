"""A company's name written in Chinese characters reaches the listed entry the
lists write in English or in pinyin: its company words in English (in simplified
or traditional characters), its places as they are named, an institute's number,
its syllables joined into one listed word kept by the ranking, its company
words also read in pinyin, and also in the other English the lists write some
of them in. A person's name written in Chinese is not read as a
trade name (a trade name in Chinese alone: ``test_brand_alone.py``)."""

from __future__ import annotations

import pytest

from chipgate.screening.companies import syllables_joined
from chipgate.screening.guards import written_as_person
from chipgate.screening.matcher import joined_weight
from chipgate.screening.normalize import (
    chinese_in_pinyin,
    chinese_other_reading,
    holds_chinese_term,
    normalize,
)
from chipgate.screening.screener import Screener

from .hits import HIT, REVIEW


def _best(screener: Screener, query: str) -> dict[str, float]:
    return {m.matched_name: m.score for m in screener.matches(query)}


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # 商贸 trade, 实业 industrial (ind.), 碳素 carbon, 射頻 RF in traditional
        # characters, 铝业 aluminium industry: names nobody here wrote (the
        # lists' own English names of these companies)
        ("上海港泉商贸有限公司", "SHANGHAI GANG QUAN TRADE CO."),
        ("兴和兴永碳素有限公司", "Xinghe Xingyong Carbon Co., Ltd."),
        ("大立射頻技術有限公司", "DALI RF TECHNOLOGY CO., LIMITED"),
        ("河南嘉源铝业有限公司", "HENAN JIAYUAN ALUMINIUM INDUSTRY CO., LTD"),
    ],
)
def test_company_words_in_english(
    real_screener: Screener, query: str, listed: str
) -> None:
    found = _best(real_screener, query)
    assert found.get(listed, 0.0) >= REVIEW, (query, found)


def test_syllables_that_make_one_listed_word_keep_the_name_ranked(
    real_screener: Screener,
) -> None:
    # 大连 政华 贸易: "da lian zheng hua trading"; the listed name writes
    # "Dalian Zhenghua Maoyi", two words where the query has four
    found = _best(real_screener, "大连政华贸易有限公司")
    assert found.get("DALIAN ZHENGHUA MAOYI YOUXIAN GONGSI", 0.0) >= HIT, found


def test_company_words_also_read_in_pinyin(real_screener: Screener) -> None:
    # the lists write this entry's name in pinyin, 科技 as "Keji", 香港 as
    # "Xianggang"; in English the query shared only "Ditai" with it
    found = _best(real_screener, "帝泰科技(香港)有限公司")
    assert found.get("Ditai Keji Xianggang Youxian Gongsi", 0.0) >= HIT, found
    match = next(
        m
        for m in real_screener.matches("帝泰科技(香港)有限公司")
        if m.matched_name == "Ditai Keji Xianggang Youxian Gongsi"
    )
    assert "read in pinyin" in match.explanation()


def test_a_person_written_in_chinese_is_no_trade_name(real_screener: Screener) -> None:
    # 想 贺 is given name and surname as a form enters them; "xianghe" is also
    # the trade name of XIANGHE TRADE CO., LTD., which it is not read as
    assert written_as_person("想 贺")
    assert "XIANGHE TRADE CO., LTD." not in _best(real_screener, "想 贺")
    # "Hong" is a surname, not Hong Kong (香港): 帆 洪 stays a person's name,
    # capped below a hit against a company
    assert written_as_person("帆 洪")
    assert _best(real_screener, "帆 洪").get("HONG FAN INTERNATIONAL", 0.0) < HIT


def test_traditional_characters_read_as_simplified() -> None:
    assert (
        normalize("億電國際香港有限公司").tokens
        == normalize("亿电国际香港有限公司").tokens
    )
    assert "international" in normalize("億電國際香港有限公司").tokens
    assert holds_chinese_term("國際貿易")
    assert holds_chinese_term("国际贸易")
    assert not holds_chinese_term("洪帆")
    assert not holds_chinese_term("Hong Kong")


def test_pinyin_reading_only_when_a_company_word_is_there() -> None:
    assert chinese_in_pinyin("华为") is None
    assert chinese_in_pinyin("Huawei Technologies") is None
    pinyin = chinese_in_pinyin("华为技术有限公司")
    assert pinyin is not None
    assert normalize(pinyin).tokens == ("hua", "wei", "ji", "shu")


def test_syllables_joined_as_the_listed_name_writes_them() -> None:
    listed = normalize("Beijing Lianxiangda Technology")
    assert syllables_joined(normalize("北京联想达"), listed).tokens == (
        "beijing",
        "lianxiangda",
    )
    # nothing joined where the listed name has no such word
    assert syllables_joined(normalize("智谱"), normalize("Zhiyuan")).tokens == (
        "zhi",
        "pu",
    )


def test_joined_weight_counts_a_listed_word_once() -> None:
    weights = {"zhi": 5.0, "pu": 6.0, "ai": 1.0}
    assert (
        joined_weight(["zhi", "pu", "ai"], weights.__getitem__, {"zhipu": 8.0}) == 9.0
    )
    # the lighter reading: two light words are not replaced by a heavy join
    assert (
        joined_weight(
            ["zhi", "pu"], {"zhi": 1.0, "pu": 1.0}.__getitem__, {"zhipu": 8.0}
        )
        == 2.0
    )


@pytest.mark.parametrize(
    ("written", "place"),
    [
        # characters of two readings read in the place's (the romanizer
        # reads 成都 "cheng dou", 重庆 "zhong qing", 厦门 "sha men")
        ("成都", "chengdu"),
        ("重庆", "chongqing"),
        ("厦门", "xiamen"),
        ("長沙", "changsha"),  # traditional characters too
        # a city known by a name that is not its pinyin
        ("哈尔滨", "harbin"),
    ],
)
def test_chinese_places_read_as_they_are_named(written: str, place: str) -> None:
    assert normalize(written).tokens == (place,)


def test_a_chip_maker_in_chengdu_reaches_its_entry(real_screener: Screener) -> None:
    # 成都海光集成电路设计: the Entity List's "Chengdu Haiguang Integrated
    # Circuit", an untyped entry once taken for a person's name by its words
    found = _best(real_screener, "成都海光集成电路设计有限公司")
    assert found.get("Chengdu Haiguang Integrated Circuit", 0.0) >= HIT, found
    assert (
        _best(real_screener, "哈尔滨工程大学").get("Harbin Engineering University", 0.0)
        >= HIT
    )


def test_an_institute_s_number_read_as_the_lists_write_it(
    real_screener: Screener,
) -> None:
    # 第十四: the 14th; 第771, in digits, the institute's number as written
    assert "fourteenth" in normalize("中国电子科技集团公司第十四研究所").tokens
    assert "771" in normalize("第九研究院第771研究所").tokens
    found = _best(real_screener, "中国电子科技集团公司第十四研究所")
    listed = (
        "China Electronics Technology Group Corporation 14th Research Institute "
        "(CETC 14)"
    )
    assert found.get(listed, 0.0) >= REVIEW, found


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # 研究院 as "Academy", where another listed name writes "Research
        # Institute"
        ("中国工程物理研究院", "Chinese Academy of Engineering Physics"),
        ("上海航天技术研究院", "Shanghai Academy of Spaceflight Technology"),
        # a state group's subsidiary under the group's English initials
        ("中电科芯片技术股份有限公司", "CETC Chip Technology Co., Ltd."),
        ("中国航发南方工业有限公司", "AECC South Industry Company Limited"),
        # 集成电路制造 as "Semiconductor Manufacturing", where other listed
        # names write "Integrated Circuit Manufacturing"
        (
            "中芯国际集成电路制造(上海)有限公司",
            "SMIC Semiconductor Manufacturing (Shanghai) Co., Ltd.",
        ),
        (
            "武汉新芯集成电路制造有限公司",
            "Wuhan Xinxin Semiconductor Manufacturing Company Limited",
        ),
        # 工业大学 as "Institute of Technology", in traditional characters too
        ("哈爾濱工業大學", "Harbin Institute of Technology"),
        # the People's Liberation Army's name before its university's
        ("中国人民解放军国防科技大学", "National University of Defense Technology"),
    ],
)
def test_company_words_the_lists_write_another_way(
    real_screener: Screener, query: str, listed: str
) -> None:
    found = _best(real_screener, query)
    assert found.get(listed, 0.0) >= HIT, (query, found)
    match = next(m for m in real_screener.matches(query) if m.matched_name == listed)
    assert "as the lists also write them" in match.explanation()


def test_the_other_reading_only_where_a_word_has_one() -> None:
    assert chinese_other_reading("华为技术有限公司") is None
    assert chinese_other_reading("Chinese Academy") is None
    # the Army's name alone leaves nothing to read
    assert chinese_other_reading("中国人民解放军") is None
    assert chinese_other_reading("中國航發") == "aecc"
