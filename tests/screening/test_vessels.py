"""A ship's name written after its prefix reaches the listed vessel, and only it."""

from __future__ import annotations

import pytest

from chipgate.screening.matcher import query_forms
from chipgate.screening.screener import Screener
from chipgate.screening.vessels import VESSEL_KIND, is_vessel_reading, vessel_name


@pytest.mark.parametrize(
    ("written", "prefix", "ship"),
    [
        ("MV EBANO", "MV", "EBANO"),
        ("M/V Ebano", "M/V", "Ebano"),
        ("M.V. EBANO", "M.V.", "EBANO"),
        ("MT. TIFON", "MT.", "TIFON"),
        ("m/t tifon", "m/t", "tifon"),
        ("S.S. Minnow", "S.S.", "Minnow"),
        ("F/V Lucky Star", "F/V", "Lucky Star"),
        ("M/Y Eclipse", "M/Y", "Eclipse"),
        ("R/V Atlantis", "R/V", "Atlantis"),
    ],
)
def test_a_ship_prefix_is_set_apart_from_the_ship_name(
    written: str, prefix: str, ship: str
) -> None:
    assert vessel_name(written) == (prefix, ship)


@pytest.mark.parametrize(
    "written",
    [
        "MY Eclipse",  # a word: only "M/Y" is the yacht's prefix
        "RV Atlantis",
        "MS Europa",  # also a person's title
        "MVP Trading",  # a word that begins with the letters
        "MV",  # a prefix and no name
        "Mtech Co",
        "Tifon MT",  # a prefix only comes first
    ],
)
def test_names_without_a_ship_prefix_have_no_ship_name(written: str) -> None:
    assert vessel_name(written) is None


@pytest.mark.parametrize(
    "query",
    ["MT TIFON", "M/V EBANO", "M.V. Mar Azul", "SS ARTAVIL"],
)
def test_a_prefixed_ship_name_is_a_hit_on_the_listed_vessel(
    real_screener: Screener, query: str
) -> None:
    # no match before, but "MV MAR AZUL" (0.82): the prefix was a word the
    # listed name lacks
    found = real_screener.matches(query)
    assert found
    best = found[0]
    assert best.entry.kind == VESSEL_KIND
    assert best.score == 1.0
    assert best.matched_name.casefold() == vessel_name(query)[1].casefold()  # type: ignore[index]
    assert "(vessel_prefix)" in best.explanation()


def test_the_ship_reading_matches_no_party_but_a_vessel(
    real_screener: Screener,
) -> None:
    # "Sophgo" is a listed company: "MT Sophgo" names a ship, or a company
    # whose initials are MT, never the listed company read without them
    for query in ("MT Sophgo", "MV Huawei Technologies Co., Ltd."):
        assert query_forms(query)[-1][1].endswith("(vessel_prefix)")
        for match in real_screener.matches(query):
            assert not any(
                is_vessel_reading(f.detail) for f in match.features if f.name == "reading"
            )

