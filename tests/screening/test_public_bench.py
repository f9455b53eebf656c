"""The public benchmark's counting (``bench/screening_public.py``): the figures
`make eval` reports against the issue's targets."""

from __future__ import annotations

from bench.screening_labels import counts, shadowed_line
from bench.screening_public import (
    HALVES,
    Pair,
    half,
    pair_report,
    precision_recall,
    un_original_script,
    un_original_script_offered,
    un_original_script_organisations,
)

from chipgate.screening.model import ListEntry
from chipgate.screening.screener import Screener


def test_precision_and_recall_count_same_party_pairs_at_the_threshold() -> None:
    rates = precision_recall(
        [(True, 0.95), (True, 0.9), (True, 0.5), (False, 0.91), (False, 0.1)], 0.9
    )
    assert (rates.found, rates.same, rates.pairs) == (2, 3, 5)
    assert rates.recall == 2 / 3
    assert rates.precision == 2 / 3
    # nothing at the threshold: precision is not divided by zero
    assert precision_recall([(True, 0.2)], 0.9).precision == 1.0


def test_halves_are_fixed_by_the_key() -> None:
    keys = [f"name {i}|listed {i}" for i in range(200)]
    assert [half(k) for k in keys] == [half(k) for k in keys]
    counts = {h: sum(half(k) == h for k in keys) for h in HALVES}
    assert all(60 <= n <= 140 for n in counts.values())


def test_the_report_gives_each_line_its_counts() -> None:
    def pair(same: bool, ours: float, peer: float | None, schema: str) -> Pair:
        return Pair("g", schema, "q", "l", same, "held-out", peer, ours)

    pairs = [
        pair(True, 0.95, 0.8, "Person"),
        pair(True, 0.85, 0.75, "Person"),
        pair(False, 0.2, 0.9, "Person"),
        pair(True, 0.99, None, "Company"),
        pair(True, 0.99, 0.6, "Company"),
    ]
    lines = pair_report(pairs, 0.9, "held-out")
    assert (
        "all pairs       chipgate  precision 1.000 recall 0.750 = 3/4 (5 pairs)"
        in (lines[0])
    )
    assert "recall 0.500 = 1/2 (3 pairs)" in lines[1]  # persons
    # the peer at its own threshold on the pairs it scored: 2 of 3 found, and
    # one different-person pair taken for a hit
    assert "logic-v2  precision 0.667 recall 0.667 = 2/3 (4 pairs, at 0.7)" in lines[4]
    assert pair_report(pairs, 0.9, "tune")[0].endswith("= 0/0 (0 pairs)")


def _un_entry(
    ref: str,
    written: str,
    *names: str,
    source: str = "un",
    kind: str = "individual",
) -> ListEntry:
    """A listed entry with its name in its original script (``written``)."""
    return ListEntry(
        source=source,
        list_code="UN",
        list_name="UN",
        entry_id=ref,
        name=names[0],
        aliases=names[1:],
        kind=kind,
        raw={"NAME_ORIGINAL_SCRIPT": written} if written else {},
    )


def person(
    ref: str, written: str, name: str, source: str = "un", kind: str = "individual"
) -> ListEntry:
    """A UN person (``_un_entry``)."""
    return _un_entry(ref, written, name, source=source, kind=kind)


def test_un_original_script_counts_each_arabic_script_person_once(
    real_screener: Screener,
) -> None:
    entries = [
        # the list's own pair of names: the Arabic-script name meets the Latin
        person("QDi.1", "فرناندو بيريز", "FERNANDO PEREZ"),
        person("QDi.2", "محمد", "VLADIMIR PUTIN"),  # another person's name
        person("QDi.3", "", "NO SCRIPT"),  # no original-script name: not counted
        person("QDi.4", "Иван Петров", "IVAN PETROV"),  # not Arabic script
        person("X.5", "فرناندو بيريز", "FERNANDO PEREZ", "csl"),  # not the UN's
        person("QDe.6", "فرناندو بيريز", "FERNANDO PEREZ", kind="entity"),  # no person
    ]
    counts = un_original_script(real_screener.matcher, entries, 0.80, 0.90)
    assert set(counts) == set(HALVES)
    reached, hits, written = (sum(c[i] for c in counts.values()) for i in range(3))
    assert (reached, hits, written) == (1, 1, 2)
    assert counts[half("QDi.1")][:2] == (1, 1)


def entity(
    ref: str, written: str, *names: str, kind: str = "entity", source: str = "un"
) -> ListEntry:
    """A UN entity with its aliases (``_un_entry``)."""
    return _un_entry(ref, written, *names, source=source, kind=kind)


def test_un_original_script_organisations_take_the_best_latin_name(
    real_screener: Screener,
) -> None:
    entries = [
        # a translation first, the transliteration among the aliases
        entity(
            "QDe.1", "أنصار الشريعة – درنة", "ANSAR AL CHARIA", "Ansar al-Sharia Derna"
        ),
        entity("QDe.2", "مكتب حنيفة للصرافة", "HANIFA MONEY EXCHANGE OFFICE"),
        entity("QDe.3", "أنصار الشريعة – درنة", "أنصار الشريعة"),  # no Latin name
        entity("QDe.4", "Иван Петров", "IVAN PETROV"),  # not Arabic script
        entity(
            "QDi.5", "أنصار الشريعة – درنة", "Ansar al-Sharia Derna", kind="individual"
        ),
        entity("X.6", "أنصار الشريعة – درنة", "Ansar al-Sharia Derna", source="csl"),
    ]
    counts = un_original_script_organisations(real_screener.matcher, entries, 0.80)
    assert set(counts) == set(HALVES)
    assert tuple(sum(c[i] for c in counts.values()) for i in range(2)) == (1, 2)
    assert counts[half("QDe.1")][0] == 1


def test_un_original_script_offered_counts_the_names_at_review(
    real_screener: Screener,
) -> None:
    matcher = real_screener.matcher
    offered = un_original_script_offered(matcher, 0.80)
    compared = un_original_script(matcher, matcher.index.entries, 0.80, 0.90)
    for part in HALVES:
        # of the same names the comparison brings to review, those ranked
        assert offered[part][1] == compared[part][0]
        assert 0 < offered[part][0] <= offered[part][1]


def test_a_missed_pair_is_shadowed_by_a_different_pair_of_its_kind() -> None:
    def pair(query: str, listed: str, same: bool, ours: float) -> Pair:
        return Pair("g", "Person", query, listed, same, "held-out", None, ours)

    pairs = [
        # one word changed by a few letters: the missed pair scores under a
        # different-party pair of its kind, so it is shadowed
        pair("Olaf Scholze", "Olaf Scholz", True, 0.85),
        pair("Masoud Pezeshfar", "Masoud Pezeshkian", False, 0.86),
        # one word replaced by another: missed, but above every different pair
        pair("Bibi Netanyahu", "Benjamin Netanyahu", True, 0.53),
        pair("Octavian Scholz", "Olaf Scholz", False, 0.40),
        # found pairs are never counted as missed; a missed pair scoring above
        # every different pair of its kind is not shadowed
        pair("Vladimir Putin", "Vladimir Putin", True, 1.0),
        pair("Juan Doe", "John Doe", True, 0.87),
    ]
    counted = counts(pairs, 0.9, "held-out")
    few = counted["persons", "one word changed by a few letters"]
    assert (few.same, few.found, few.different, few.missed, few.shadowed) == (
        2,
        0,
        1,
        2,
        1,
    )
    other = counted["persons", "one word replaced by another"]
    assert (other.missed, other.shadowed) == (1, 0)
    assert counted["persons", "same words"].found == 1
    assert shadowed_line(counted).startswith(
        "missed same-party pairs that a different-party pair of their kind "
        "scores as high as: 1/3"
    )
    assert counts(pairs, 0.9, "tune") == {}
