"""Company forms found word by word are the forms the regular expressions found.

``normalize._strip_forms`` looks the company forms up by word
(``normalize._form_words``). The plain path below is the way they were first
removed: one regular expression of every form for anywhere in a name, one for its
edges, applied to the text. On every real listed name, on names made of form words
and on queries made from list words, the two must leave the very same words.
"""

from __future__ import annotations

import importlib
import random
import re
from functools import cache

from rapidfuzz.distance import OSA

from chipgate.screening.index import ScreeningIndex
from tests.screening.test_retrieval import queries

# the module (the package exports its function ``normalize`` under that name)
names = importlib.import_module("chipgate.screening.normalize")


@cache
def plain_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = names._form_table()

    def alternation(forms: tuple[str, ...]) -> str:
        ordered = sorted(set(forms), key=lambda f: (-len(f), f))
        return "|".join(re.escape(f) for f in ordered)

    anywhere = re.compile(rf"\b(?:{alternation(data['anywhere'])})\b")
    edges = alternation(data["edges"])
    return anywhere, re.compile(rf"^(?:{edges})\b|\b(?:{edges})$")


def plain_strip_forms(text: str, kept: frozenset[str] = frozenset()) -> str:
    anywhere, edges = plain_patterns()
    respelt = names._misspelt_forms(text)
    if respelt != text:
        hidden = " ".join(w.upper() if w in kept else w for w in text.split())
        written = " ".join(anywhere.sub(" ", hidden).split()).lower()
        respelt = names._misspelt_forms(written)
    text = names._PINYIN.sub(" ", respelt)
    text = " ".join(w.upper() if w in kept else w for w in text.split())
    text = " ".join(anywhere.sub(" ", text).split())
    for _ in range(3):
        stripped = " ".join(edges.sub(" ", text).split())
        if stripped == text:
            break
        text = stripped
    return " ".join(w.lower() for w in text.split() if w not in names._RESIDUAL)


def form_word_names(count: int) -> list[str]:
    """Names made mostly of form words: forms run together, forms at both ends,
    a form's first word alone, forms inside forms."""
    rng = random.Random(7)
    table = names._form_table()
    forms = sorted(set(table["anywhere"]) | set(table["edges"]))
    firsts = sorted({f.split()[0] for f in forms})
    words = ["huawei", "acme", "trading", "bank", "ltd", "co", "sa", "de", "cv", "a"]
    made = []
    for _ in range(count):
        parts = [
            rng.choice((rng.choice(forms), rng.choice(firsts), rng.choice(words)))
            for _ in range(rng.randint(1, 6))
        ]
        made.append(" ".join(parts))
    return made


def test_forms_found_by_word_are_the_patterns_forms(real_index: ScreeningIndex) -> None:
    written = [
        *real_index.name_text,
        *queries(real_index, 3000),
        *form_word_names(20000),
        "ooo",
        "ooo ooo",
        "co ltd co",
        "",
    ]
    differ = []
    checked = 0
    for name in written:
        full = " ".join(names._words(name))
        kept = names.not_forms(name)
        for hidden in (kept, frozenset(full.split()[:1])):
            checked += 1
            if names._strip_forms(full, hidden) != plain_strip_forms(full, hidden):
                differ.append((name, hidden))
    assert checked > 80000
    assert not differ, differ[:10]


def _long_form_words() -> list[str]:
    """Every long form word, shortest first (alphabetical among equals)."""
    return sorted(
        (w for found in names._long_forms().values() for w in found),
        key=lambda w: (len(w), w),
    )


def plain_misspelt_forms(text: str) -> str:
    words = text.split()
    forms = _long_form_words()
    for i, word in enumerate(words):
        if len(word) >= 10 and word not in forms:
            for form in forms:
                limit = 2 if len(form) >= 14 else 1
                if OSA.distance(word, form, score_cutoff=limit) <= limit:
                    words[i] = form
                    break
    return " ".join(words)


def test_misspelt_forms_as_without_the_length_check(real_index: ScreeningIndex) -> None:
    """Comparing lengths before the edit distance finds every misspelt form the
    edit distance alone finds, and no other."""
    rng = random.Random(5)
    words = [w for w in real_index.vocabulary if len(w) >= 10]
    for form in _long_form_words():
        for _ in range(20):
            cut = rng.randrange(len(form))
            words += [form[:cut] + form[cut + 1 :], form[:cut] + "x" + form[cut:]]
            words.append(form[:cut] + form[cut + 2 :])
    assert any(plain_misspelt_forms(w) != w for w in words)
    assert [names._misspelt_forms(w) for w in words] == [
        plain_misspelt_forms(w) for w in words
    ]
