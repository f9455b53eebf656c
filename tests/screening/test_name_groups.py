"""name_groups and name_readings: one person name across languages, transliteration
systems and scripts, from the name table derived from Wikidata's name items."""

from __future__ import annotations

from pathlib import Path

import pytest

from chipgate.screening.features import (
    SAME_NAME_ITEM,
    person_token_similarity,
    person_word_rules,
)
from chipgate.screening.index import build_index
from chipgate.screening.name_groups import (
    HYPOCORISM,
    NAME_GROUP,
    hypocorism,
    listed_spellings,
    same_name,
    script_readings,
    short_form,
    two_names,
    vocabulary_groups,
)
from chipgate.screening.screener import Screener
from chipgate.screening.sources import LoadedLists


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("chtchoukine", "shchukin"),  # French transliteration of Щукин
        ("evtouchenko", "yevtushenko"),  # French, Евтушенко
        ("pyotr", "peter"),  # one given name in two languages
        ("mikhail", "michael"),
    ],
)
def test_spellings_of_one_name_item_agree(query: str, listed: str) -> None:
    """The spelling rules do not reach these pairs; the name table does."""
    assert person_word_rules(query, listed)[0] < SAME_NAME_ITEM
    assert same_name(query, listed)
    assert person_token_similarity(query, listed) == (SAME_NAME_ITEM, NAME_GROUP)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("martina", "martin"),  # the other gender's form: another person
        ("shchukina", "shchukin"),
        ("meyer", "mayer"),  # two census names: each written as meant
        ("davis", "david"),
    ],
)
def test_two_names_of_one_item_stay_apart(query: str, listed: str) -> None:
    assert two_names(query, listed)
    assert not same_name(query, listed)
    assert person_token_similarity(query, listed)[1] != NAME_GROUP


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("vova", "vladimir"),  # Russian short forms of men's names end in -a
        ("volodya", "vladimir"),
        ("misha", "mikhail"),
        ("kolya", "nikolay"),
    ],
)
def test_a_hypocorism_ending_in_a_is_no_gender_form(query: str, listed: str) -> None:
    """hypocorism: the name item holds the short form; it ends in -a as a
    woman's form would, but is made from another part of the name."""
    assert hypocorism(query, listed)
    assert short_form(query, listed)
    assert two_names(query, listed)  # alone, as a spelling, it stays apart


@pytest.mark.parametrize(
    ("male", "female"),
    [
        ("aleksandr", "aleksandra"),
        ("evgeniy", "evgeniya"),
        ("julius", "julia"),  # the end changed, not a short form
        ("ivan", "ivanka"),
        ("pyatrou", "petrova"),  # a woman's surname, spelt another way
        ("khokhlov", "chochlowa"),
        ("dashchynski", "dashchinskaya"),
    ],
)
def test_gender_forms_stay_two_names(male: str, female: str) -> None:
    assert not hypocorism(male, female)
    assert two_names(male, female)
    assert two_names(female, male)


def test_a_hypocorism_reaches_the_listed_person(real_screener: Screener) -> None:
    """ "Vova Putin" found nothing: Vova is in Vladimir's name item, but was
    taken for a woman's form by its -a. Beside a common name a short form
    says too little: the name items also hold other names of its shape."""
    found = real_screener.matches("Vova Putin")
    assert found
    assert found[0].score >= real_screener.threshold
    assert HYPOCORISM in found[0].explanation()
    assert short_form("ochoa", "khimenez")  # a noisy item of the table
    compare = real_screener.matcher.compare
    assert compare("Maria Ochoa", "Maria Khimenez", person=True) < 0.9
    assert compare("Vova Putin", "Vladimir Putin", person=True) >= 0.9


def test_pinyin_syllables_are_never_one_name_item() -> None:
    """Two pinyin syllables are two characters, whatever the table groups."""
    assert same_name("beng", "ming")  # one name item groups them
    score, rule = person_token_similarity("beng", "ming")
    assert rule != NAME_GROUP
    assert score < SAME_NAME_ITEM


def test_transliterations_reach_the_listed_person(real_screener: Screener) -> None:
    """name_groups: French spellings of Russian names, and one given name in
    two languages, are the listed person (0.39, 0.00, 0.54 and 0.59 before)."""
    assert (
        real_screener.matcher.compare("Ivan Chtchoukine", "Ivan Shchukin", person=True)
        >= 0.9
    )
    assert (
        real_screener.matcher.compare(
            "Evgueni Evtouchenko", "Yevgeny Yevtushenko", person=True
        )
        >= 0.9
    )
    assert real_screener.matcher.compare("Pyotr Aven", "Peter Aven", person=True) >= 0.9
    assert (
        real_screener.matcher.compare("Mikhail Fridman", "Michael Fridman", person=True)
        >= 0.9
    )


def test_retrieval_finds_the_listed_spelling(real_screener: Screener) -> None:
    """A query word finds the listed spellings of its name (the index's
    expansion), so the name is a candidate at all."""
    groups = vocabulary_groups(["shchukin", "ivanov", "martin"])
    assert "shchukin" in listed_spellings("chtchoukine", groups)
    assert listed_spellings("martina", groups) == []
    # the listed "FRIDMAN, Mikhail Maratovich" and "ALEXANDER KOVAR" were no
    # candidates at all ("No match")
    hits = real_screener.screen("Michael Fridman")
    assert hits
    assert hits[0].is_hit
    assert hits[0].matched_name == "FRIDMAN, Mikhail Maratovich"
    hits = real_screener.screen("Alyaksandar Kovar")
    assert hits
    assert hits[0].is_hit
    assert hits[0].matched_name == "ALEXANDER KOVAR"


def test_names_in_scripts_without_a_reading(real_screener: Screener) -> None:
    """name_readings: a foreign name in Chinese characters (words apart by a
    dot) or a name in Khmer is read through the name table (0.00 before)."""
    assert "sergei lavrov" in script_readings("谢尔盖·拉夫罗夫")
    assert script_readings("ប៉ុល ពត") == ["pol pot"]
    assert script_readings("拉夫罗夫") == []  # no dot: a Chinese name of its own
    assert script_readings("伟 张") == []
    assert script_readings("Sergei Lavrov") == []
    assert (
        real_screener.matcher.compare("谢尔盖·拉夫罗夫", "Sergey Lavrov", person=True)
        >= 0.9
    )
    assert (
        real_screener.matcher.compare("巴沙尔·阿萨德", "Bashar al-Assad", person=True)
        >= 0.9
    )
    hits = real_screener.screen("谢尔盖·拉夫罗夫")
    assert hits
    assert hits[0].is_hit
    assert "(name_readings)" in hits[0].explanation


def test_group_agreement_is_explained(real_screener: Screener) -> None:
    hits = real_screener.screen("Rishar Kwik")
    assert hits
    assert hits[0].matched_name == "RICHARD KWIK"
    assert "rishar~richard (one name in another spelling (name_groups)" in (
        hits[0].explanation
    )


def test_warm_builds_the_first_use_tables(fixture_lists: LoadedLists) -> None:
    # ``Screener.warm`` (run by ``chipgate serve`` before it is ready) reads the
    # name tables and makes the index's listed spellings, which the first query
    # to ask would otherwise build inside its request; its answers are not kept
    from chipgate.screening import name_groups

    index = build_index(fixture_lists.infos, fixture_lists.entries)
    screener = Screener(index, threshold=0.9, review_threshold=0.8)
    name_groups._groups.cache_clear()
    name_groups._readings.cache_clear()

    screener.warm()

    assert name_groups._groups.cache_info().currsize == 1
    assert name_groups._readings.cache_info().currsize == 1
    assert "_name_groups" in index.__dict__
    assert "_syllables" in index.__dict__  # the Korean syllables (korean_spelling)
    assert screener._memo.cache_info().currsize == 0


def test_parallel_batch_warms_once_before_forking(
    fixture_lists: LoadedLists, tmp_path: Path
) -> None:
    # ``screen_rows`` with workers builds the first-use tables in the parent,
    # shared copy-on-write, rather than once in every worker
    from chipgate.screening.batch import open_parties, screen_rows

    index = build_index(fixture_lists.infos, fixture_lists.entries)
    screener = Screener(index, threshold=0.9, review_threshold=0.8)
    source = tmp_path / "parties.csv"
    source.write_text("name\nPlain Bakery\nAcme Rocket Works\n", encoding="utf-8")

    rows = list(screen_rows(screener, open_parties(source), None, 2))

    assert len(rows) == 2
    assert "_name_groups" in index.__dict__
