"""A branch or office of a listed company is screened as the company."""

from __future__ import annotations

import pytest

from chipgate.screening.branches import branch_names, branch_readings
from chipgate.screening.screener import Screener

from .hits import hit_by


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # 0.69 before: "dubai" and "branch" two rare words the listed name lacks
        ("Huawei Technologies Co Ltd Dubai Branch", "Huawei Technologies Co., Ltd."),
        ("Huawei Technologies Abu Dhabi Branch", "Huawei Technologies Co., Ltd."),
        ("Bank Melli Iran Hamburg Branch", "BANK MELLI IRAN"),
        (
            "Sophgo Technologies Beijing Representative Office",
            "Sophgo Technologies Ltd.",
        ),
        # the SDN list's own branch, screened: its parent as well
        ("AL-HARAMAIN : THE NETHERLANDS BRANCH", "AL-HARAMAIN"),
        # the branch first, the company after "of"
        (
            "Shanghai Branch of Huawei Technologies Co., Ltd.",
            "Huawei Technologies Co., Ltd.",
        ),
        (
            "Representative Office of Sophgo Technologies in Beijing",
            "Sophgo Technologies Ltd.",
        ),
        # a company form before the branch's place: "LTDA." is a form once the
        # branch is set apart, not a word the listed name lacks (0.77)
        ("VIGILAR COLOMBIA LTDA. Istanbul Branch", "VIGILAR COLOMBIA LTDA."),
        # one word beside a company form is a company named
        (
            "AKTSIONERNOE OBSHCHESTVO PLUTON Shenzhen Branch",
            "AKTSIONERNOE OBSHCHESTVO PLUTON",
        ),
        # a Chinese branch and representative office: no match before
        ("华为技术有限公司北京分公司", "Huawei Technologies Co., Ltd."),
        ("华为技术有限公司深圳代表处", "Huawei Technologies Co., Ltd."),
    ],
)
def test_a_branch_is_a_hit_on_its_listed_company(
    real_screener: Screener, query: str, listed: str
) -> None:
    hit_by(real_screener, query, listed, "(branch_office)")


@pytest.mark.parametrize(
    "query",
    [
        # yente's unlisted persons surnamed Branch
        "Lisa Branch",
        "Mario Joseph Branch",
        "Andrew Branch",
        "Vira Branch GmbH",  # a company's form after it: a company of that name
        "Huawei Technologies",  # no branch word
        "Branch",
        "Branch of Acme",  # one word is no company named
        "Office of Foreign Assets Control",  # an office, of no company
        "华为分公司",  # no company form before the branch word: no company named
    ],
)
def test_names_that_are_no_branch_are_read_as_written(query: str) -> None:
    assert branch_readings(query) == []


def test_a_country_in_the_company_name_is_not_the_branch_place() -> None:
    # "Iran Hamburg" is not one place: Iran is a word of the bank's name
    assert branch_names(("bank", "melli", "iran", "hamburg", "branch")) == [
        ("bank", "melli", "iran", "hamburg"),
        ("bank", "melli", "iran"),
    ]
    # a place of two words is set apart whole
    assert ("acme", "electronics") in branch_names(
        ("acme", "electronics", "hong", "kong", "branch")
    )


def test_the_company_left_must_still_be_named() -> None:
    # "Trading" names a kind of business, not a place, and one word is no name
    assert branch_names(("acme", "trading", "branch")) == [("acme", "trading")]
    assert branch_names(("olive", "branch")) == [("olive",)]
