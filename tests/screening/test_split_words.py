"""A word the lists write as two words reaches the names that write it so.

"Abdulghani Baradar" is "ABDUL GHANI BARADAR" (the UN's and OFAC's Taliban
deputy leader) written with its compound joined; the person rules score the
pair 1.00, and the ranking, which looked the joined word up as one word, never
offered it: "No match". The names holding the two listed words one after the
other are read as a posting of the word (``ScreeningIndex.split_words``).
"""

from __future__ import annotations

from itertools import pairwise

import pytest

from chipgate.screening.index import ScreeningIndex
from chipgate.screening.screener import Screener

from .hits import offered


def _name_id(index: ScreeningIndex, text: str) -> int:
    (found,) = [i for i, name in enumerate(index.name_text) if name.upper() == text]
    return found


def test_a_word_reaches_the_names_writing_it_as_two_words(
    real_index: ScreeningIndex,
) -> None:
    ((ids, weight, word), size), *_ = real_index.split_words("abdulghani")
    assert word == "abdulghani"
    assert size == len(ids)
    assert _name_id(real_index, "ABDUL GHANI BARADAR") in ids.tolist()
    for name_id in ids.tolist():  # one word right after the other
        tokens = real_index.name_norm[name_id].tokens
        assert ("abdul", "ghani") in pairwise(tokens)
    # never more than the query word weighs (an unknown word here)
    assert weight <= real_index.weight("abdulghani")
    assert weight == min(
        real_index.idf["abdul"] + real_index.idf["ghani"], real_index.unknown_weight
    )


@pytest.mark.parametrize("word", ["robertson", "baradar", "ab", "a320x"])
def test_no_posting_without_two_listed_words_one_after_the_other(
    real_index: ScreeningIndex, word: str
) -> None:
    """ "robertson": robert and son are listed words, in no name one right
    after the other; "baradar" is one listed word and no two; a word shorter
    than two cuts, or holding a digit, is not cut."""
    assert real_index.split_words(word) == ()


def test_names_the_word_reaches_itself_are_not_counted_twice(
    real_index: ScreeningIndex,
) -> None:
    """ "seaport" is a listed word and "sea port" two: a name holding
    "seaport" is reached by its own posting, not by the cut as well."""
    own = {int(i) for ids, _, _ in real_index.expand_sized("seaport")[0] for i in ids}
    cut = {int(i) for (ids, _, _), _ in real_index.split_words("seaport") for i in ids}
    assert own
    assert cut
    assert not own & cut


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Abdulghani Baradar", "ABDUL GHANI BARADAR"),
        ("Speedjet", "Speed Jet"),
        ("Yunxia Yuan", "Yun Xia Yuan"),
        ("Amanullah Khan", "Aman Ullah Khan"),
    ],
)
def test_the_listed_name_is_offered_and_found(
    real_screener: Screener, query: str, listed: str
) -> None:
    matcher = real_screener.matcher
    index = matcher.index
    listed_id = _name_id(index, listed.upper())
    assert listed_id in offered(real_screener, query)
    position = int(index.name_entry[listed_id])
    found = real_screener.matcher.match(query, None, real_screener.review_threshold)
    assert index.entries[position].entry_id in {m.entry.entry_id for m in found}


def test_abdulghani_baradar_is_a_hit(real_screener: Screener) -> None:
    hits = real_screener.screen("Abdulghani Baradar")
    assert any(hit.is_hit and "BARADAR" in hit.matched_name.upper() for hit in hits), (
        hits
    )


def test_an_arabic_script_word_reaches_two_words_on_their_consonants(
    real_index: ScreeningIndex,
) -> None:
    """ "عبدالرحمان" (bdlrhmn) is "ABDUL RAHMAN" written together: the persons'
    names whose two adjacent words have its consonants, less those its own
    consonants reach ("abdulrahman" written as one word)."""
    found = real_index.abjad_split("bdlrhmn")
    assert found is not None
    (ids, weight, word), size = found
    assert word == "bdlrhmn"
    assert size == len(ids)
    assert _name_id(real_index, "ABDUL RAHMAN ZAHED") in ids.tolist()
    assert real_index.name_person[ids].all()
    own = {int(i) for ids_, _, _ in real_index.abjad_sized("bdlrhmn")[0] for i in ids_}
    assert own
    assert not own & set(ids.tolist())
    assert weight <= real_index.weight("bdlrhmn")


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("عبدالرحمان زاهد", "ABDUL RAHMAN ZAHED"),
        ("عبدالخالق الحوثي", "ABD AL-KHALIQ AL-HOUTHI"),
    ],
)
def test_an_arabic_script_name_offers_its_compound_written_apart(
    real_screener: Screener, arabic: str, latin: str
) -> None:
    matcher = real_screener.matcher
    listed = _name_id(matcher.index, latin)
    assert matcher.compare(arabic, latin, True) >= real_screener.review_threshold
    assert listed in offered(real_screener, arabic)


@pytest.mark.parametrize(
    ("query", "listed"),
    [("Aliakbar", "ALI AKBAR SALEHI"), ("Alireda", "ABDALLAH, ALI REDA")],
)
def test_a_lighter_reading_of_the_word_leaves_the_cut_its_names(
    real_screener: Screener, query: str, listed: str
) -> None:
    """ "aliakbar" is also "akbar" with the article (the transliterations,
    ``ScreeningIndex.transliterations``), which reaches every "Ali Akbar" at
    akbar's weight only: the cut ali + akbar weighs more, and keeps them."""
    index = real_screener.matcher.index
    listed_id = _name_id(index, listed)
    cuts = [ids.tolist() for (ids, _, _), _ in index.split_words(query.lower())]
    assert any(listed_id in ids for ids in cuts)
    assert listed_id in offered(real_screener, query)
    found = real_screener.matcher.match(query, None, real_screener.review_threshold)
    assert listed in {m.matched_name.upper() for m in found}
