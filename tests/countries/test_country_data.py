"""The country-group and AI-tier data files are well formed and cite their sources.

These checks read the YAML directly (PyYAML only) so that a bad edit to the data is
caught before any loader or rule sees it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from importlib.resources import files
from typing import Any

import pycountry
import pytest
import yaml

GROUPS_SCHEMA = "chipgate.country-groups/1"
# First day the advanced-computing rules applied (87 FR 62186); the data models
# memberships from here on, so a dated change before it would be meaningless.
PERIOD_START = dt.date(2022, 10, 7)
TIERS_SCHEMA = "chipgate.ai-tiers/1"


def _load(name: str) -> dict[str, Any]:
    text = files("chipgate.countries").joinpath(name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict), f"{name}: top level must be a mapping"
    return data


@pytest.fixture(scope="module")
def groups_doc() -> dict[str, Any]:
    return _load("groups.yaml")


@pytest.fixture(scope="module")
def tiers_doc() -> dict[str, Any]:
    return _load("ai_tiers.yaml")


def _as_date(value: object, where: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    assert isinstance(value, str), f"{where}: expected an ISO date, got {value!r}"
    return dt.date.fromisoformat(value)


def _assert_alpha2(code: object, where: str) -> None:
    # An unquoted NO in YAML becomes False; insist on a two-letter string.
    assert isinstance(code, str), f"{where}: code {code!r} is not a string"
    assert pycountry.countries.get(alpha_2=code) is not None, (
        f"{where}: {code!r} is not an ISO 3166-1 alpha-2 code"
    )


def _members_by_group(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {g["code"]: g["members"] for g in doc["groups"]}


def test_schema_tags(groups_doc: dict[str, Any], tiers_doc: dict[str, Any]) -> None:
    assert groups_doc["schema"] == GROUPS_SCHEMA
    assert tiers_doc["schema"] == TIERS_SCHEMA


def test_every_source_has_a_citation_and_url(
    groups_doc: dict[str, Any], tiers_doc: dict[str, Any]
) -> None:
    for doc in (groups_doc, tiers_doc):
        for key, source in doc["sources"].items():
            assert source.get("cite"), f"source {key} has no cite"
            assert str(source.get("url", "")).startswith("https://"), (
                f"source {key} has no https url"
            )


def test_group_members_are_valid_alpha2_codes(groups_doc: dict[str, Any]) -> None:
    for group, members in _members_by_group(groups_doc).items():
        assert members, f"group {group} has no members"
        for member in members:
            _assert_alpha2(member.get("code"), f"group {group}")


def test_groups_and_members_cite_known_sources(groups_doc: dict[str, Any]) -> None:
    sources = set(groups_doc["sources"])
    for group in groups_doc["groups"]:
        assert group.get("source") in sources, f"group {group['code']}: no source"
        assert group.get("verified", {}).get("how"), f"{group['code']}: no 'how'"
        for member in group["members"]:
            where = f"{group['code']}/{member['code']}"
            if "source" in member:
                assert member["source"] in sources, f"{where}: unknown source"
            dated = "since" in member or "until" in member
            if dated:
                assert "source" in member or member.get("unconfirmed") is True, (
                    f"{where}: a dated change needs its own source or unconfirmed"
                )
            if member.get("unconfirmed"):
                assert member.get("note"), f"{where}: unconfirmed without a note"


def test_membership_dates_parse_and_are_ordered(groups_doc: dict[str, Any]) -> None:
    for group, members in _members_by_group(groups_doc).items():
        for member in members:
            where = f"{group}/{member['code']}"
            since = member.get("since")
            until = member.get("until")
            start = _as_date(since, where) if since is not None else None
            end = _as_date(until, where) if until is not None else None
            if start and end:
                assert start <= end, f"{where}: since after until"
            for bound in (start, end):
                assert bound is None or bound >= PERIOD_START, (
                    f"{where}: {bound} is before the modelled period"
                )
        as_of = next(g for g in groups_doc["groups"] if g["code"] == group)
        _as_date(as_of["verified"]["as_of"], f"{group} verified.as_of")


def test_no_duplicate_groups_or_members(groups_doc: dict[str, Any]) -> None:
    group_counts = Counter(g["code"] for g in groups_doc["groups"])
    assert [c for c, n in group_counts.items() if n > 1] == []
    for group, members in _members_by_group(groups_doc).items():
        counts = Counter(m["code"] for m in members)
        dupes = [c for c, n in counts.items() if n > 1]
        assert dupes == [], f"group {group} repeats {dupes}"


def test_macau_is_named_separately_from_d5(
    groups_doc: dict[str, Any], tiers_doc: dict[str, Any]
) -> None:
    # The EAR says "Macau or Country Group D:5"; Macau is not a D:5 member.
    d5 = {m["code"] for m in _members_by_group(groups_doc)["D:5"]}
    assert "MO" not in d5
    assert {"code": "MO"} in tiers_doc["tier3"]["countries"]


def test_tier_codes_are_valid_and_cited(
    groups_doc: dict[str, Any], tiers_doc: dict[str, Any]
) -> None:
    sources = set(tiers_doc["sources"])
    tier1 = tiers_doc["tier1"]
    tier3 = tiers_doc["tier3"]
    assert tier1["source"] in sources
    assert tier3["source"] in sources
    codes = [m["code"] for m in tier1["members"]]
    for code in codes:
        _assert_alpha2(code, "tier1")
    assert len(codes) == len(set(codes)), "tier1 repeats a country"
    for member in tier3["countries"]:
        _assert_alpha2(member["code"], "tier3")
    known_groups = {g["code"] for g in groups_doc["groups"]}
    assert set(tier3["groups"]) <= known_groups


def test_no_country_is_both_tier1_and_tier3(
    groups_doc: dict[str, Any], tiers_doc: dict[str, Any]
) -> None:
    members = _members_by_group(groups_doc)
    tier3 = {m["code"] for m in tiers_doc["tier3"]["countries"]}
    for group in tiers_doc["tier3"]["groups"]:
        tier3 |= {m["code"] for m in members[group]}
    tier1 = {m["code"] for m in tiers_doc["tier1"]["members"]}
    assert tier1 & tier3 == set()


def test_the_uae_move_to_a5_is_marked_unconfirmed(groups_doc: dict[str, Any]) -> None:
    """The 2026-07-10 date of the UAE's move to A:5 (91 FR 43034) is quoted by a
    secondary source only, the DATES paragraph unread: the row says so."""
    a5 = next(g for g in groups_doc["groups"] if g["code"] == "A:5")
    uae = next(m for m in a5["members"] if m["code"] == "AE")
    assert uae["since"] == dt.date(2026, 7, 10)
    assert uae.get("unconfirmed") is True
    assert "secondary reading" in uae["note"]


def test_only_the_end_of_the_uae_d4_membership_is_marked(
    groups_doc: dict[str, Any],
) -> None:
    """The UAE's D:4 membership is confirmed; its end on 2026-07-09 rests on the same
    quotation as the A:5 date, so only the days up to the rule's publication
    (2026-07-14) are left open."""
    d4 = next(g for g in groups_doc["groups"] if g["code"] == "D:4")
    uae = next(m for m in d4["members"] if m["code"] == "AE")
    assert uae["until"] == dt.date(2026, 7, 9)
    assert uae["until_unconfirmed"] == dt.date(2026, 7, 13)
    assert not uae.get("unconfirmed")
