"""A short word of an Arabic-script name reaches the persons whose names hold it.

The words of one or two consonants ("جان", jn, Jan; "آغا", gh, Agha) are not
looked up as a longer word's consonants are; their persons' names are read by
the ranking as one posting of the word (``ScreeningIndex.short_abjad``), so a
name in Arabic script offers the person the lists write in Latin letters only.
"""

from __future__ import annotations

import numpy as np
import pytest

from chipgate.screening.index import SHORT_POSTING_LETTERS, ScreeningIndex
from chipgate.screening.matcher import NameMatcher
from chipgate.screening.screener import Screener

from .hits import offered


def _name_ids(index: ScreeningIndex, text: str) -> list[int]:
    return [i for i, name in enumerate(index.name_text) if name.upper() == text]


def test_a_short_word_reads_the_persons_names_holding_its_listed_words(
    real_index: ScreeningIndex,
) -> None:
    found = real_index.short_abjad("jnn")  # "جانان"
    assert found is not None
    (ids, weight, word), size = found
    assert word == "jnn"
    assert size == len(ids) > 0
    assert np.all(np.diff(ids) > 0)  # sorted, each name once
    assert real_index.name_person[ids].all()  # persons' names only
    (janan,) = _name_ids(real_index, "JANAN AGHA")
    assert janan in ids.tolist()
    # the lightest listed word of the key, as the query's weight counts it
    assert weight == real_index.short_tables[1]["jn"]


def test_names_reached_by_the_word_otherwise_are_left_out(
    real_index: ScreeningIndex,
) -> None:
    """ "جمعه" (jmh) reaches "jumah" by its consonants: those names are not
    read a second time through its short key (jm, Juma)."""
    found = real_index.short_abjad("jmh")
    assert found is not None
    reached = np.concatenate(
        [ids for ids, _, _ in real_index.abjad_sized("jmh")[0]]
        + [ids for ids, _, _ in real_index.expand_sized("jmh")[0]]
    )
    assert not np.isin(found[0][0], reached).any()


@pytest.mark.parametrize("token", ["ly", "ywb"])
def test_a_key_of_one_letter_reaches_nothing(
    real_index: ScreeningIndex, token: str
) -> None:
    """ "علي" (ly, Ali) and "الله" (llh) key one letter, held by thousands of
    names: weighed as its lightest word, but read as no posting."""
    assert SHORT_POSTING_LETTERS == 2
    assert real_index.short_abjad(token) is None
    assert "l" in real_index.short_tables[1]


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("جانان آغا", "JANAN AGHA"),
        ("احمد جان آخوندزاده وزیر", "AHMED JAN AKHUNDZADA WAZIR"),
        ("آدم خان اچکزی", "ADAM KHAN ACHEKZAI"),
    ],
)
def test_an_arabic_script_name_offers_its_person_written_in_latin_letters(
    real_screener: Screener, arabic: str, latin: str
) -> None:
    """The UN list writes these Taliban officials in both scripts; the other
    lists in Latin letters only, which the Arabic-script name must reach by
    itself. Each scores at review by the person rules and was never offered
    (pruned below the ranking's cutoff, its short words sharing nothing)."""
    matcher: NameMatcher = real_screener.matcher
    (listed,) = _name_ids(matcher.index, latin)
    assert matcher.compare(arabic, latin, True) >= real_screener.review_threshold
    assert listed in offered(real_screener, arabic)
