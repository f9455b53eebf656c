"""Scoring with a listed name's parts made once gives the scores of scoring as first written.

``NameMatcher`` keeps, per listed name, what the company rules read of it whatever
the query (``features.ListedForms``: its word set, its adjacent words joined, its
words sorted). The plain comparison below is the company rules as first written
(sets and joined words made for every comparison, every word compared with every
word, rapidfuzz's ``token_sort_ratio``); on real listed names and queries made from
them, the matcher's scores and explanations must be the very same.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from rapidfuzz import fuzz

from chipgate.screening import companies as company_rules
from chipgate.screening.features import (
    ABJAD_ORGANISATION,
    SAME_NAME_ITEM,
    Weigher,
    Words,
    _align,
    _named,
    common_person_name,
    common_person_word,
    query_words,
    token_alignment,
    transliterated_word,
)
from chipgate.screening.guards import letter_for_letter
from chipgate.screening.matcher import NameMatcher, query_forms
from chipgate.screening.normalize import NormalizedName
from chipgate.screening.screener import Screener
from chipgate.screening.tokens import token_similarity
from tests.screening.test_retrieval import queries


def plain_merged(
    own: Sequence[str], other: Sequence[str], fuzzy: bool
) -> dict[int, tuple[str, float]]:
    found: dict[int, tuple[str, float]] = {}
    other_set = set(other)
    for i in range(len(own) - 1):
        joined = own[i] + own[i + 1]
        best, partner = (1.0, joined) if joined in other_set else (0.0, "")
        if (
            not best
            and fuzzy
            and own[i] not in other_set
            and own[i + 1] not in other_set
        ):
            for word in other:
                if abs(len(word) - len(joined)) > 2:
                    continue
                score, rule = token_similarity(joined, word)
                if rule == "typo" and score > best:
                    best, partner = score, word
        if best:
            found[i] = found[i + 1] = (partner, best)
    for i in range(len(own) - 2):
        three = own[i] + own[i + 1] + own[i + 2]
        if three in other_set and three not in own:
            found[i] = found[i + 1] = found[i + 2] = (three, 1.0)
    joined_other = {other[i] + other[i + 1] for i in range(len(other) - 1)}
    three_other = {
        other[i] + other[i + 1] + other[i + 2] for i in range(len(other) - 2)
    }
    for i, token in enumerate(own):
        if (token in joined_other or token in three_other) and token not in other_set:
            found[i] = (token, 1.0)
        elif fuzzy and i not in found and token not in other_set:
            for joined in joined_other:
                if abs(len(token) - len(joined)) > 2:
                    continue
                score, rule = token_similarity(token, joined)
                if rule == "typo" and score > found.get(i, ("", 0.0))[1]:
                    found[i] = (joined, score)
    return found


def plain_side(
    own: Sequence[str],
    other: Sequence[str],
    merged: dict[int, tuple[str, float]],
    weigh: Weigher,
    fuzzy: bool,
    held: tuple[bool, bool] = (False, True),
) -> tuple[float, float, list[str]]:
    got = total = 0.0
    notes: list[str] = []
    for i, token in enumerate(own):
        if i in merged:
            partner, best = merged[i]
            rule = "joined"
        else:
            best, rule, partner = 0.0, "", ""
            for candidate in other:
                score, why = token_similarity(token, candidate)
                if fuzzy and score < SAME_NAME_ITEM:
                    spelt, how = transliterated_word(token, candidate)
                    if spelt > score:
                        score, why = spelt, how
                if not fuzzy and why != "exact":
                    continue
                if why == "typo" and common_person_word(token, candidate):
                    if (
                        not held[0]
                        or set(own).isdisjoint(other)
                        or common_person_name(token if held[1] else candidate)
                    ):
                        continue
                    why = "typo of a name in a company's name (surname_brand)"
                if score > best:
                    best, rule, partner = score, why, candidate
                    if score == 1.0:
                        break
        weight = min(weigh(token), weigh(partner)) if best else weigh(token)
        got += weight * best
        total += weight
        if best == 0.0:
            notes.append(f"{token} unmatched")
        elif rule != "exact":
            # named as the explanation names it (polish_cz_sz, dutch_sj_tj)
            notes.append(f"{token}~{partner} ({_named(token, partner, rule)} {best:.2f})")
    return got, total, notes


def plain_align(
    q: Sequence[str],
    c: Sequence[str],
    weigh: Weigher,
    fuzzy: bool,
    organisation: bool = False,
) -> tuple[float, list[str]]:
    q_got, q_total, q_notes = plain_side(
        q, c, plain_merged(q, c, fuzzy), weigh, fuzzy, (organisation, True)
    )
    c_got, c_total, c_notes = plain_side(
        c, q, plain_merged(c, q, fuzzy), weigh, fuzzy, (organisation, False)
    )
    total = q_total + c_total
    score = (q_got + c_got) / total if total else 0.0
    return score, q_notes + [f"listed word {n}" for n in c_notes if "unmatched" in n]


def plain_company(
    query: NormalizedName,
    listed: NormalizedName,
    weigh: Weigher,
    fuzzy: bool,
    organisation: bool = False,
) -> tuple[float, float, str]:
    """(token alignment, sequence, the alignment's detail) as first written;
    ``organisation``: the query as asked names one (``surname_brand``)."""
    score, notes = plain_align(query.tokens, listed.tokens, weigh, fuzzy, organisation)
    if query.org_forms != listed.org_forms:
        full, full_notes = plain_align(
            query.tokens + query.org_forms,
            listed.tokens + listed.org_forms,
            weigh,
            fuzzy,
            organisation,
        )
        if full > score:
            score, notes = full, [*full_notes, "compared with company forms"]
    aligned = min(1.0, score)
    ratio = (
        max(
            fuzz.ratio(query.text, listed.text),
            fuzz.token_sort_ratio(query.text, listed.text),
        )
        / 100.0
    )
    if aligned > 0.75 and notes and notes[-1] == "compared with company forms":
        # the words agreed better with the forms kept: so are the letters
        # compared (``companies.with_forms``), when that is higher and the
        # words agree enough for it to matter
        asked = " ".join(query.tokens + query.org_forms)
        written = " ".join(listed.tokens + listed.org_forms)
        ratio = max(
            ratio,
            max(fuzz.ratio(asked, written), fuzz.token_sort_ratio(asked, written))
            / 100.0,
        )
    return aligned, ratio, "; ".join(notes) if notes else "all words agree"


def variants(names: list[str], rng: random.Random) -> list[str]:
    """Listed names as people write them: a letter dropped, words swapped, a form
    added, a word left out."""
    found = []
    for name in names:
        words = name.split()
        kind = rng.randrange(4)
        if kind == 0 and len(name) > 6:
            cut = rng.randrange(1, len(name) - 1)
            found.append(name[:cut] + name[cut + 1 :])
        elif kind == 1 and len(words) > 1:
            found.append(" ".join(words[1:] + words[:1]))
        elif kind == 2:
            found.append(f"{name} {rng.choice(['Co., Ltd.', 'LLC', 'GmbH', 'Corp'])}")
        elif len(words) > 2:
            words.pop(rng.randrange(len(words)))
            found.append(" ".join(words))
        else:
            found.append(name)
    return found


def test_kept_listed_forms_score_as_first_written(real_screener: Screener) -> None:
    matcher = NameMatcher(real_screener.index)
    index = matcher.index
    rng = random.Random(29)
    companies = [
        text
        for text, person in zip(index.name_text, index.name_person, strict=True)
        if not person
    ]
    asked = queries(index, 300) + variants(rng.sample(companies, 400), rng)
    compared = 0
    for name in asked:
        for query, _ in query_forms(name):
            if not query.tokens:
                continue
            for name_id in matcher.retrieve(query, 0.5):
                if index.name_person[name_id]:
                    continue
                listed = index.name_norm[name_id]
                # the company rules' own preparation, then the plain comparison
                q, c, light, _ = company_rules.prepared(query, listed, matcher.rare)
                q, _ = company_rules.vowel_variants(q, c)
                aligned, ratio, detail = plain_company(
                    q,
                    c,
                    company_rules.weigher(index.weight, light),
                    not letter_for_letter(query.script, listed.script),
                    company_rules.names_organisation(query),
                )
                unkept = matcher.compare_normalized(query, listed, False)
                for _ in range(2):  # made once, then kept
                    found = matcher.score(query, name_id)
                    assert found == unkept, (query, listed)
                    features = found[1]
                    if f"({ABJAD_ORGANISATION})" in features[0].detail:
                        # an Arabic-script name read on consonants word by
                        # word scores above the alignment: no alignment shown
                        assert found[0] == features[0].score > aligned
                        continue
                    assert features[0].score == aligned
                    assert features[0].detail == detail
                    if not light:  # the character ratio of the whole texts
                        assert features[1].score == ratio
                compared += 1
    assert compared > 2000
    assert len(matcher._listed) > 500


def test_a_query_s_words_are_made_once_for_the_listed_names_it_meets(
    real_screener: Screener,
) -> None:
    """``token_alignment`` takes a query's words from ``query_words``: made for
    the first listed name the query meets and kept for the others, with the
    same scores as words made for each comparison."""
    index = real_screener.index
    query = NormalizedName(("zqxwv", "trading", "technology"))
    listed = [index.name_norm[i] for i in range(300) if not index.name_person[i]]
    query_words.cache_clear()
    compared = 0
    for candidate in listed:
        found = token_alignment(query, candidate, index.weight)
        if not candidate.org_forms:  # compared on the words alone
            score, notes = _align(
                Words.of(query.tokens), Words.of(candidate.tokens), index.weight
            )
            assert found.score == min(1.0, score)
            assert found.detail == ("; ".join(notes) or "all words agree")
            compared += 1
    assert compared > 50
    made = query_words.cache_info()
    assert made.misses == 1
    assert made.hits >= len(listed) - 1
