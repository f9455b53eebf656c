"""A company's branch or office named after the company ("... Dubai Branch").

A branch or a representative office is the company itself in another place,
not a company of its own, and orders and payments name it so: "Huawei
Technologies Co., Ltd. Dubai Branch", "Bank Melli Iran Hamburg Branch",
"... Beijing Representative Office". Read as written, the branch's words are
words the listed company's name lacks, rare ones that weigh much: "Huawei
Technologies Co Ltd Dubai Branch" scored 0.69 against the listed "Huawei
Technologies Co., Ltd." and was no match at all.

A query ending in a branch word (``BRANCH_TAILS``) is also read as its
company (``branch_readings``): without the branch word, and without the one
or two words of the branch's place before it, each a reading of its own. A
place is a country or region (``places.is_place``), a Chinese province or
city, or words that name no kind of organisation ("Dubai", "Abu Dhabi"; not
"Iran Hamburg", of which "Iran" is a word of "Bank Melli Iran"), and only
where what is left holds ``MIN_NAMED`` words, one of them naming a company:
"Acme Trading Branch" keeps "Trading", "Olive Branch" keeps "Olive".

Only where the word can be a branch's alone. "Branch" is a surname too
("Lisa Branch", "Mario Joseph Branch"; read without it, one of yente's
unlisted persons so named met a listed person), so a single "Branch" counts
in a name that says it names an organisation (a company form, a digit, Bank,
Technologies, of ...: ``companies.names_organisation``) or after a country,
region or Chinese city; "Representative Office" and the other two-word tails
always count. Never with a company form after it: "Vira Branch GmbH" is a
company of that name.

The branch may come first ("Shanghai Branch of Huawei Technologies Co.,
Ltd.": the company after "of"), and a Chinese name ends in its branch word
("华为技术有限公司北京分公司": the company up to its form).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from chipgate.screening.companies import kind_word, names_organisation
from chipgate.screening.normalize import NormalizedName, normalize
from chipgate.screening.places import chinese_divisions, is_place

BRANCH_OFFICE = "branch_office"
# What a company's branch or office is called at the end of its name.
BRANCH_TAILS = (
    ("branch", "office"),
    ("representative", "office"),
    ("rep", "office"),
    ("liaison", "office"),
    ("branch",),
)
# Words the name must keep once its branch and place are set apart.
MIN_NAMED = 2
# Words of the branch's place that may stand before the branch word.
PLACE_WORDS = 2


def _tail(tokens: Sequence[str]) -> int:
    """How many last words of ``tokens`` name a branch (``BRANCH_TAILS``), or 0."""
    for tail in BRANCH_TAILS:
        if len(tokens) > len(tail) and tuple(tokens[-len(tail) :]) == tail:
            return len(tail)
    return 0


def _a_place(words: Sequence[str]) -> bool:
    """Whether ``words`` may name the branch's place: a country or region, a
    Chinese province or city, or words that name no kind of organisation.
    Not two words of which one is a country on its own: "Bank Melli Iran
    Hamburg Branch" is a branch of "Bank Melli Iran" in Hamburg."""
    text = " ".join(words)
    if is_place(text) or text in chinese_divisions():
        return True
    if len(words) > 1 and any(is_place(word) for word in words):
        return False
    return not any(kind_word(word) for word in words)


def _known_place(tokens: Sequence[str], tail: int) -> bool:
    """Whether one or two words before the branch word name a country, a
    region or a Chinese province or city ("Al Haramain Bangladesh Branch")."""
    end = len(tokens) - tail
    return any(
        is_place(" ".join(tokens[end - size : end]))
        or " ".join(tokens[end - size : end]) in chinese_divisions()
        for size in range(1, min(PLACE_WORDS, end) + 1)
    )


def _names_a_company(words: Sequence[str], formed: bool) -> bool:
    """Whether ``words`` are enough of a company's name to stand for it: two
    words, or one beside a company form (``formed``: "AO Pluton")."""
    least = 1 if formed else MIN_NAMED
    return len(words) >= least and any(not kind_word(word) for word in words)


def branch_names(
    tokens: Sequence[str], formed: bool = False
) -> list[tuple[str, ...]]:
    """The words of the company a branch's name names: without the branch
    word, and without one or two words of its place before it, each when it
    is one (a name without a branch word: none); ``formed``, the name holds a
    company form, and one word of its own is then a company named.

    >>> branch_names(("huawei", "technologies", "dubai", "branch"))
    [('huawei', 'technologies', 'dubai'), ('huawei', 'technologies')]
    >>> branch_names(("acme", "trading", "branch"))
    [('acme', 'trading')]
    >>> branch_names(("olive", "branch"))
    [('olive',)]
    >>> branch_names(("huawei", "technologies"))
    []
    """
    tail = _tail(tokens)
    if not tail:
        return []
    end = len(tokens) - tail
    found = [tuple(tokens[:end])]
    for size in range(1, PLACE_WORDS + 1):
        rest, place = tokens[: end - size], tokens[end - size : end]
        if len(place) == size and _a_place(place) and _names_a_company(rest, formed):
            found.append(tuple(rest))
    return found


# "Shanghai Branch of Bank of China", "Representative Office of Huawei
# Technologies in Moscow": the company after the branch words, up to a place
# after it ("in Moscow") or the end.
_BRANCH_OF = re.compile(
    r"\b(?:branch|branch office|representative office|rep office|liaison office)"
    r"\s+of\s+(?:the\s+)?(?P<company>.+?)(?:\s+in\s+[^,()]+)?\s*$",
    re.IGNORECASE,
)


def _branch_of(name: str) -> list[tuple[NormalizedName, str]]:
    """The company a name of the form "<place> Branch of <company>" names."""
    found = _BRANCH_OF.search(name)
    if found is None:
        return []
    company = found["company"].strip(" ,;")
    words = normalize(company)
    if len(words.tokens) < MIN_NAMED and not words.org_forms:
        return []  # "Branch of Acme": one word is no company named
    return [_reading(words, company)]


# A Chinese company's branch (分公司), representative office (代表处) or office
# (办事处), after the company's name and its form and the branch's place:
# "华为技术有限公司北京分公司" is Huawei Technologies Co., Ltd.'s Beijing branch.
# The company's form (有限公司, 股份有限公司, 有限责任公司, 公司, 集团) ends the
# company's name, so the place between it and the branch word is set apart
# whole.
_CHINESE_BRANCH = re.compile(
    r"^(?P<company>.+?(?:有限责任公司|股份有限公司|有限公司|公司|集团))"
    r"(?P<place>[^\W\d_]{0,8}?)(?:分公司|代表处|办事处)\s*$"
)
_CHINESE_BRANCH_WORDS = ("分公司", "代表处", "办事处")


def _chinese_branch(name: str) -> list[tuple[NormalizedName, str]]:
    """The company a Chinese branch's name names, when it is one."""
    found = _CHINESE_BRANCH.match(name.strip())
    if found is None:
        return []
    company = found["company"]
    return [_reading(normalize(company), company)]


def _reading(form: NormalizedName, read: str) -> tuple[NormalizedName, str]:
    """A query form of the company and the explanation of its reading."""
    return form, f"a branch or office set apart, read as '{read}' ({BRANCH_OFFICE})"


def branch_readings(name: str) -> list[tuple[NormalizedName, str]]:
    """The query as the company its branch or office belongs to, each
    reading with its explanation; nothing for most names."""
    if name.rstrip().endswith(_CHINESE_BRANCH_WORDS):
        return _chinese_branch(name)
    folded = name.casefold()
    if "branch" not in folded and "office" not in folded:
        return []  # most names, before any normalizing
    if " of " in folded and (owner := _branch_of(name)):
        return owner
    query = normalize(name)
    tokens = query.tokens
    tail = _tail(tokens)
    if not tail or (query.written and query.written[-1] != tokens[-1]):
        return []  # "Vira Branch GmbH": a company's form after it, no branch
    # "Lisa Branch", "Mario Joseph Branch": a person's surname, unless the
    # name says it is an organisation's, as written or once its branch is
    # set apart ("VIGILAR COLOMBIA LTDA. Istanbul Branch": "LTDA." a form)
    organisation = tail > 1 or names_organisation(query) or _known_place(tokens, tail)
    readings = []
    for words in branch_names(tokens, bool(query.org_forms)):
        company = _cut(name, tokens[len(words) :])
        if company is None:
            form, read = replace(query, tokens=words, written=()), " ".join(words)
        else:
            form, read = normalize(company), company
        if not (organisation or form.org_forms):
            continue
        readings.append(_reading(form, read))
    return readings


def _cut(name: str, dropped: Sequence[str]) -> str | None:
    """``name`` as written without its last words that read as ``dropped``,
    or None when they do not. Normalized again, what is left loses a company
    form that the branch's words had kept from its edge ("VIGILAR COLOMBIA
    LTDA. Istanbul Branch" is "VIGILAR COLOMBIA LTDA.", whose "LTDA." is a
    form, not a word the listed name lacks)."""
    written = name.split()
    if len(written) <= len(dropped):
        return None
    last = " ".join(written[-len(dropped) :])
    if normalize(last).tokens != tuple(dropped):
        return None
    return " ".join(written[: -len(dropped)]).rstrip(" ,;")
