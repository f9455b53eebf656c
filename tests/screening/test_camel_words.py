"""Words written together in capitals and small letters are read apart."""

from __future__ import annotations

import pytest

from chipgate.screening.screener import Screener
from chipgate.screening.scripts import camel_words

from .hits import hit_by


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # no match before: one word the index does not know
        ("HuaweiTechnologies", "Huawei Technologies Co., Ltd."),
        ("SophgoTechnologies Ltd", "Sophgo Technologies Ltd."),
    ],
)
def test_words_written_together_reach_the_listed_name(
    real_screener: Screener, query: str, listed: str
) -> None:
    hit_by(real_screener, query, listed, "(camel_words)")


@pytest.mark.parametrize("name", ["McDonald", "DeVito", "iPhone", "SiemensAG", "HUAWEI"])
def test_short_parts_and_one_case_are_left_as_written(name: str) -> None:
    # "Mc", "De", "AG" are two letters: a surname's prefix or a company form
    # the company rules read already
    assert camel_words(name) is None
