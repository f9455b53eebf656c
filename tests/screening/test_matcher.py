"""Matching on the real lists: the hits an officer expects, and the ones they don't."""

from __future__ import annotations

from datetime import date

import pytest

from chipgate.facts import PartyScreener, ScreeningHit
from chipgate.screening.matcher import NameMatcher
from chipgate.screening.screener import Screener

ENGINE_CODES = {"EL", "MEU", "UVL", "DPL", "SDN", "NONSDN", "UN", "ISN", "DTC"}


def _best(
    hits: list[ScreeningHit] | tuple[ScreeningHit, ...], code: str
) -> ScreeningHit:
    return next(h for h in hits if h.list_code == code)


def test_screener_satisfies_the_engine_protocol(real_screener: Screener) -> None:
    screener: PartyScreener = real_screener
    assert screener.screen("Nobody In Particular Bakery") == ()


def test_huawei_company_limited_finds_the_entity_list_entry(
    real_screener: Screener,
) -> None:
    hits = real_screener.screen("Huawei Technologies Company Limited", "CN")
    el = _best(hits, "EL")
    assert el.is_hit
    assert el.score == pytest.approx(1.0)
    assert el.matched_name == "Huawei Technologies Co., Ltd."
    assert el.footnotes == ("1",)
    assert el.license_policy is not None
    assert "Presumption of denial" in el.license_policy
    assert el.license_requirement is not None
    assert "744.11" in el.license_requirement
    assert el.federal_register is not None
    assert el.entry_country == "CN"
    assert "token_alignment=1.00" in el.explanation
    assert "org_forms" in el.explanation
    assert el.role == ""
    assert hits[0].list_code == "EL"  # the Entity List ranks first among equals


@pytest.mark.parametrize(
    ("query", "code", "listed_word"),
    [
        ("Huawie Technologies Co Ltd", "EL", "Huawei"),  # typo
        ("Рособоронэкспорт", "SDN", "ROSOBORONEKSPORT"),  # Cyrillic
        ("Hikvision", "EL", "Hikvision"),  # alias
        ("Vladimir Putin", "SDN", "PUTIN"),  # reordered individual
        (
            "Semiconductor Manufacturing Intl Corp",
            "EL",
            "Semiconductor",
        ),  # abbreviation
        ("华为技术有限公司", "EL", "Huawei"),  # Chinese script, as a possible match
    ],
)
def test_variants_find_the_listed_party(
    real_screener: Screener, query: str, code: str, listed_word: str
) -> None:
    hits = real_screener.screen(query)
    matched = [
        h
        for h in hits
        if h.list_code == code and listed_word.lower() in h.matched_name.lower()
    ]
    assert matched, [h.matched_name for h in hits]
    assert matched[0].score >= real_screener.review_threshold


@pytest.mark.parametrize(
    "query",
    [
        "Taiwan Semiconductor Manufacturing Company Limited",
        "Samsung Electronics Co., Ltd.",
        "Lenovo Group Limited",
        "Completely Unrelated Bakery",
    ],
)
def test_similar_unlisted_companies_are_not_hits(
    real_screener: Screener, query: str
) -> None:
    assert not any(h.is_hit for h in real_screener.screen(query))


def test_possible_matches_lie_between_the_two_thresholds(
    real_screener: Screener,
) -> None:
    hits = real_screener.screen("Huawei Technologies Investment Company")
    assert hits
    for hit in hits:
        assert hit.score >= real_screener.review_threshold
        assert hit.is_hit == (hit.score >= real_screener.threshold)
    assert any(not h.is_hit for h in hits)


def test_list_codes_are_the_engine_codes(real_screener: Screener) -> None:
    for query in (
        "Huawei",
        "Rosoboronexport",
        "Korea Mining Development Trading Corporation",
    ):
        assert {h.list_code for h in real_screener.screen(query)} <= ENGINE_CODES


def test_one_party_from_two_files_is_reported_once(real_screener: Screener) -> None:
    hits = real_screener.screen("ROSOBORONEKSPORT OAO")
    keys = [(h.list_code, h.entry_id) for h in hits]
    assert len(keys) == len(set(keys))


def test_results_are_memoized_per_name_and_country(real_screener: Screener) -> None:
    name = "Hangzhou Hikvision Digital Technology"
    first = real_screener.screen(name, "cn")
    before = real_screener._memo.cache_info().hits
    assert real_screener.screen(name, "CN") == first
    # another date reuses the same match; only the date filter runs again
    real_screener.screen(name, "CN", date(2021, 1, 1))
    assert real_screener._memo.cache_info().hits == before + 2


def test_every_hit_is_explained_by_named_features(real_screener: Screener) -> None:
    for hit in real_screener.screen("Huawei Technologies Investment Company"):
        for feature in ("token_alignment=", "sequence=", "org_forms=", "country="):
            assert feature in hit.explanation


def test_fixture_lists_screen_end_to_end(fixture_screener: Screener) -> None:
    hits = fixture_screener.screen("Acme Rocket Works LLC", "RU")
    assert hits[0].list_code == "SDN"
    assert hits[0].entry_id == "101"
    assert hits[0].is_hit
    un = fixture_screener.screen("عبد الرحمن")
    assert un
    assert un[0].list_code == "UN"
    assert fixture_screener.screen("") == ()


@pytest.mark.parametrize("name", ["NRIET", "ARGOS", "Satco", "TAMAS"])
def test_the_floor_is_met_as_the_match_reports_its_score(
    real_screener: Screener, name: str
) -> None:
    """A floor keeps the matches whose reported (rounded) score meets it
    (``rounded_floor``): "NIIET" against "NRIET" is 0.9 in exact arithmetic
    (a letter apart in five), computed 0.8999999999999999 with some weights;
    it is reported 0.90 and a hit at the review floor, and was left out when
    the floor was the hit threshold."""
    matcher = real_screener.matcher
    at_hit = {(m.entry.entry_id, m.matched_name) for m in matcher.match(name, None, 0.9)}
    reviewed = {
        (m.entry.entry_id, m.matched_name)
        for m in matcher.match(name, None, 0.8)
        if m.score >= 0.9
    }
    assert at_hit == reviewed


def test_every_hit_is_returned_and_possible_matches_fill_up_to_the_cap(
    real_screener: Screener,
) -> None:
    """A name that hits a group listed entry by entry shows every entry it hits:
    capped at ten, the NONSDN listing of China State Shipbuilding (another list,
    another consequence) stayed behind the Entity List's institutes."""
    name = "CHINA STATE SHIPBUILDING CORPORATION LIMITED"
    found = real_screener.matches(name)
    hits = [m for m in found if m.score >= real_screener.threshold]
    assert len(hits) > real_screener.max_hits
    assert {m.entry.list_code for m in hits} >= {"EL", "NONSDN"}
    screened = real_screener.screen(name)
    assert len([h for h in screened if h.is_hit]) == len(hits)
    # possible matches only fill what the hits leave of the cap
    for query in ("Abu Abdallah", "Acme Trading Limited", "Huawei"):
        found = real_screener.matches(query)
        hit_count = sum(m.score >= real_screener.threshold for m in found)
        assert len(found) - hit_count <= max(0, real_screener.max_hits - hit_count)


def test_a_ranking_whose_last_names_still_match_is_read_further(
    real_screener: Screener,
) -> None:
    """The matcher scores the names retrieval ranks best; when the last of them
    still match, the names past them are scored too (``DEEPEN_TAIL``). With the
    forty best alone, "Huawei Technologies (Australia)" and "(Bolivia)", each its
    own Entity List entry, were not among the hits of the company's own name."""
    matcher, floor = real_screener.matcher, real_screener.review_threshold
    name = "Huawei Technologies Co., Ltd."
    found = matcher.match(name, None, floor)
    names = {m.matched_name for m in found if m.score >= real_screener.threshold}
    assert "Huawei Technologies (Australia) Pty Ltd." in names
    assert "Huawei Technologies (Bolivia) S.R.L." in names
    # the same hits as a ranking deep enough to hold every listed Huawei name
    deep = NameMatcher(matcher.index, candidates=2000)
    assert {
        (m.entry.entry_id, m.matched_name) for m in deep.match(name, None, floor)
    } == {(m.entry.entry_id, m.matched_name) for m in found}
