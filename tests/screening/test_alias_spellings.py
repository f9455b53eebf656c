"""alias_spellings: two spellings of one person name as the lists write them
for one listed individual, mined from the lists' aliases
(``bench/alias_spellings_data.py``, ``data/alias_spellings.tsv``)."""

from __future__ import annotations

from importlib import resources

import pytest
from bench.alias_spellings_data import align, header, kept, mine

from chipgate.screening import name_groups
from chipgate.screening.features import (
    SAME_NAME_ITEM,
    person_token_similarity,
    person_word_rules,
)
from chipgate.screening.index import build_index
from chipgate.screening.model import ListEntry
from chipgate.screening.name_groups import (
    ALIAS_SPELLING,
    alias_spelling,
    alias_spellings,
)
from chipgate.screening.normalize import normalize_person
from chipgate.screening.screener import Screener
from chipgate.screening.sources import LoadedLists


def _table() -> list[tuple[str, str]]:
    path = resources.files("chipgate.screening").joinpath("data/alias_spellings.tsv")
    rows = path.read_text(encoding="utf-8").splitlines()
    return [
        (a, b) for a, b, _ in (r.split("\t") for r in rows if not r.startswith("#"))
    ]


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("ghathafi", "gaddafi"),  # AL-QADHAFI, Muammar and his family
        ("sulemani", "soleimani"),  # SOLEIMANI, Qasem
        ("cumar", "omar"),  # Somali c for ع
        ("volodymyrovich", "vladimirovich"),  # Ukrainian and Russian patronymic
        ("baaysir", "bashir"),  # Indonesian Ba'asyir
    ],
)
def test_the_lists_spellings_of_one_name_agree(query: str, listed: str) -> None:
    """No spelling rule nor the Wikidata name table reaches these pairs; the
    lists write each as one name of one listed person."""
    assert person_word_rules(query, listed)[0] < SAME_NAME_ITEM
    assert alias_spelling(query, listed)
    assert alias_spelling(listed, query)
    assert person_token_similarity(query, listed) == (SAME_NAME_ITEM, ALIAS_SPELLING)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("ahmed", "mohamed"),  # aliases of each other in some entries, two names
        ("abdurrahim", "abdurrahman"),  # Rahim and Rahman: another last consonant
        ("saeed", "sahib"),
        ("hussam", "humam"),  # each borne by others in its own right
        ("tayeb", "taleb"),
        ("abdullah", "binabdallah"),  # his son
        ("vadim", "vladimir"),  # two names of the name table
        ("inayat", "inayatullah"),  # a longer name made from it
    ],
)
def test_two_names_the_lists_write_as_aliases_stay_apart(
    query: str, listed: str
) -> None:
    assert not alias_spelling(query, listed)
    assert person_token_similarity(query, listed)[1] != ALIAS_SPELLING


def test_every_pair_is_written_for_one_listed_person(real_lists: LoadedLists) -> None:
    """The table's provenance: the two words of each pair stand in the names
    of one listed individual of the lists in use."""
    words_of: dict[str, set[int]] = {}
    for at, entry in enumerate(real_lists.entries):
        if entry.kind != "individual":
            continue
        for name in (entry.name, *entry.aliases):
            for word in normalize_person(name).tokens:
                words_of.setdefault(word, set()).add(at)
    table = _table()
    assert len(table) > 500
    orphans = [
        (a, b) for a, b in table if not words_of.get(a, set()) & words_of.get(b, set())
    ]
    assert orphans == []


def test_align_finds_the_one_word_left_over() -> None:
    assert align(("muammar", "ghathafi"), ("muammar", "gaddafi")) == (
        "ghathafi",
        "gaddafi",
    )
    # written in another order, one word left over each
    assert align(("cumar", "ali", "hassan"), ("ali", "hasan", "omar")) == (
        "cumar",
        "omar",
    )
    assert align(("ali", "hasan"), ("omar", "hussein")) is None  # two left over
    assert align(("ali", "hasan"), ("ali", "hassan")) is None  # one name already
    assert align(("ali", "hasan"), ("ali", "hasan", "kazim")) is None


def _person(entry_id: str, *names: str) -> ListEntry:
    return ListEntry(
        "t", "SDN", "SDN", entry_id, names[0], names[1:], kind="individual"
    )


def test_mined_from_aliases_and_filtered() -> None:
    entries = [
        _person("1", "GHATHAFI, Muammar", "GADDAFI, Muammar"),
        _person("2", "GHATHAFI, Saif", "GADDAFI, Saif"),
        _person("3", "MOHAMED, Ali Omar", "AHMED, Ali Omar"),
        _person("4", "MOHAMED AHMED, Hassan"),  # the two names side by side
        _person("5", "GHATHAFI, Hana", "QADDAFI, Hana"),  # one person
        # one person on two lists counts once
        _person("6", "SUFAAT, Yazid Tahir", "SHUFAAT, Yazid Tahir"),
        ListEntry(
            "t",
            "UN",
            "UN",
            "7",
            "SUFAAT, Yazid Tahir",
            ("SHUFAAT, Yazid Tahir",),
            kind="individual",
        ),
        ListEntry("t", "SDN", "SDN", "8", "ACME", ("AKME",), kind="entity"),
    ]
    mined = mine(entries)
    assert mined.found["gaddafi", "ghathafi"] == {
        frozenset({"muammar"}),
        frozenset({"saif"}),
    }
    assert ("ahmed", "mohamed") in mined.together
    assert len(mined.found["shufaat", "sufaat"]) == 1
    assert len(mined.bearers["sufaat"]) == 1
    assert ("acme", "akme") not in mined.found
    rows = kept(mined)
    assert ("gaddafi", "ghathafi", 2) in rows
    assert not any({a, b} == {"ahmed", "mohamed"} for a, b, _ in rows)
    # one person: kept only at the higher floor of letters alike
    assert ("ghathafi", "qaddafi", 1) not in rows  # 57 alike once folded
    assert ("shufaat", "sufaat", 1) in rows


def test_two_names_borne_in_their_own_right_are_not_kept() -> None:
    """Written as aliases for one person, but each the name of others: two
    names the sources confused."""
    entries = [_person("1", "AL-SHAMI, Hussam Ali", "AL-SHAMI, Humam Ali")]
    entries += [_person(f"h{k}", f"HUSSAM, Omar {k}") for k in "ABC"]
    entries += [_person(f"m{k}", f"HUMAM, Ali {k}") for k in "ABC"]
    mined = mine(entries)
    assert mined.found["humam", "hussam"] == {frozenset({"alshami", "ali"})}
    assert len(mined.bearers["humam"]) == 4
    assert kept(mined) == []
    assert kept(mine(entries[:1])) == [("humam", "hussam", 1)]


def test_header_names_the_lists(real_lists: LoadedLists) -> None:
    text = header(real_lists.infos)
    assert "csl-2026 of 2026-07-31" in text
    assert "sha256 4cb2be849d976ae3" in text
    assert all(line.startswith("#") for line in text.splitlines())


def test_retrieval_and_explanation(real_screener: Screener) -> None:
    """A query word finds the lists' other spellings of its name, and a hit
    names the rule."""
    assert "gaddafi" in alias_spellings("ghathafi")
    index = build_index(
        [], [_person("1", "GADDAFI, Hannibal Muammar"), _person("2", "SMITH, John")]
    )
    assert "gaddafi" in dict(index.expand("ghathafi"))
    screener = Screener(index, threshold=0.9, review_threshold=0.8)
    found = screener.matches("Hannibal Ghathafi Muammar")
    assert found
    assert found[0].score >= 0.9
    assert ALIAS_SPELLING in found[0].explanation()
    # the lists' own Qaddafi family: "Ghathafi" reaches the listed Gaddafi
    compare = real_screener.matcher.compare
    assert (
        compare("Hannibal Muammar Ghathafi", "GADDAFI, Hannibal Muammar", True) >= 0.9
    )


def test_warm_reads_the_table(fixture_lists: LoadedLists) -> None:
    index = build_index(fixture_lists.infos, fixture_lists.entries)
    name_groups._alias_spellings.cache_clear()
    Screener(index, threshold=0.9, review_threshold=0.8).warm()
    assert name_groups._alias_spellings.cache_info().currsize == 1


def test_joins_and_articles_are_read_by_the_rules(real_screener: Screener) -> None:
    """The table holds words written together ("shahkarami" / "shakrami")
    and articles ("elkaddafi" / "qadhafi"): a join and an article left out
    are read by the spelling rules, as before, or the pair of the table
    would outrank the better reading (0.37 and 0.92 with it)."""
    compare = real_screener.matcher.compare
    assert alias_spelling("shahkarami", "shakrami")
    assert compare("SHAH KARAMI, Jamal", "SHAKRAMI, Jamal", True) >= 0.91
    assert alias_spelling("elkaddafi", "qadhafi")
    assert compare("ELKADDAFI, Khamis", "AL-QADHAFI, Khamis", True) >= 0.95
