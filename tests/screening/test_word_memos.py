"""Per-word memos of the matcher's hot paths: the same answers as the work
behind them, and taken when a word comes again."""

from __future__ import annotations

import random
from functools import _lru_cache_wrapper

import pytest

from chipgate.screening.arabic_compounds import _key
from chipgate.screening.features import fold_person
from chipgate.screening.guards import written_as_person
from chipgate.screening.index import ScreeningIndex
from chipgate.screening.normalize import _chunk_words, normalize, not_forms, to_ascii
from chipgate.screening.scripts import consonant_key, written_words

NAMES = (
    "Lia Sá",
    "Ivo Marušić",
    "淑珍 建军 高",
    "민석 박",
    "محمدمهدي معین",
    "Одарка Давид Деревʼянко",
    "मुकेश दमयंती श्रीवास्तव",
    "Anita Mona Ødegård",
    "Renta S.A.",
    "José Ángel Pérez S.A.",
)


@pytest.mark.parametrize("remembered", [fold_person, consonant_key, _key])
def test_word_keys_are_remembered_with_the_same_answers(
    real_index: ScreeningIndex, remembered: _lru_cache_wrapper[str]
) -> None:
    words = random.Random(3).sample(real_index.vocabulary, 3000)
    for word in words:
        assert remembered(word) == remembered.__wrapped__(word)
    before = remembered.cache_info().hits
    for word in words:
        remembered(word)
    assert remembered.cache_info().hits - before == len(words)


def test_not_forms_reads_each_chunk_once_with_the_same_answer() -> None:
    for name in NAMES:
        words, marked = _chunk_words.__wrapped__(name.split()[0])
        assert words == tuple(to_ascii(name.split()[0]).split())
        assert isinstance(marked, bool)
    assert not_forms("Lia Sá") == {"sa"}
    assert not_forms("José Ángel Pérez S.A.") == frozenset()
    assert not_forms("淑珍 建军 高") >= {"gao"}
    first = [not_forms(name) for name in NAMES]
    before = _chunk_words.cache_info().hits
    assert [not_forms(name) for name in NAMES] == first
    assert _chunk_words.cache_info().hits > before


def test_a_name_is_transliterated_once_for_the_rules_that_read_it() -> None:
    name = "淑珍 建军 高"
    assert to_ascii(name) == to_ascii.__wrapped__(name)
    before = to_ascii.cache_info().hits
    written_as_person(name)
    normalize.__wrapped__(name)  # the memo of whole names set aside
    assert to_ascii.cache_info().hits >= before + 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Александар Вучић", ("CYRILLIC", ("александар", "вучић"))),
        ("Вучић Vucic", ("", ())),
        ("Vucic Вучић", ("", ())),
        ("Ivo Marušić", ("", ())),
        ("Αλέξης Τσίπρας", ("GREEK", ("αλέξησ", "τσίπρασ"))),
        ("Αλέξης Вучић", ("", ())),
        ("Вучић 金正恩", ("", ())),
        ("金正恩", ("", ())),
        ("Вучић, 12", ("CYRILLIC", ("вучић", "12"))),
        ("สมชาย ใจดี", ("THAI", ("สมชาย", "ใจดี"))),
    ],
)
def test_written_words_stops_at_a_second_script_with_the_same_answer(
    name: str, expected: tuple[str, tuple[str, ...]]
) -> None:
    assert written_words.__wrapped__(name) == expected
