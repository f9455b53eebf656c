"""Normalization: cases a person types, and properties that must always hold."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chipgate.screening.features import sequence, token_alignment
from chipgate.screening.normalize import name_variants, normalize, not_forms
from chipgate.screening.tokens import skeleton, token_similarity

CASES = [
    ("Huawei Technologies Company Limited", ("huawei", "technologies")),
    ("HUAWEI TECHNOLOGIES CO., LTD.", ("huawei", "technologies")),
    ("huawei technologies co ltd", ("huawei", "technologies")),
    ("OOO Rosoboronexport", ("rosoboronexport",)),
    ("ООО «Рособоронэкспорт»", ("rosoboroneksport",)),
    ("Siemens GmbH", ("siemens",)),
    ("Acme L.L.C.", ("acme",)),
    ("Public Joint Stock Company Sberbank", ("sberbank",)),
    ("华为技术有限公司", ("hua", "wei", "technologies")),
    ("Müller Präzision GmbH", ("muller", "prazision")),
    ("Company Limited", ("company", "limited")),
    # the sign read as its word ("Three Percenters")
    ("3%ers", ("3", "percenters")),
    ("10% Holding", ("10", "percent", "holding")),
    # pinyin of the Chinese forms written as pinyin words join syllables
    ("Shenzhen Huawei Jishu Youxian Gongsi", ("shenzhen", "huawei", "jishu")),
    ("Zhongxing Tongxun Gufen Youxian Gongsi", ("zhongxing", "tongxun")),
    ("Acme Youxiangongsi", ("acme",)),
    ("Gosudarstvennoe Nauchno-Proizvodstvennoe Predpriyatie Bazalt", ("bazalt",)),
    ("Gosudarstvennaya Korporatsiya Rostec", ("gosudarstvennaya", "rostec")),
    ("", ()),
]


@pytest.mark.parametrize(("name", "tokens"), CASES)
def test_normalize_cases(name: str, tokens: tuple[str, ...]) -> None:
    assert normalize(name).tokens == tokens


def test_removed_company_forms_are_reported() -> None:
    assert normalize("Huawei Technologies Co., Ltd.").org_forms == ("co", "ltd")


def test_transliteration_variants_share_a_skeleton() -> None:
    assert skeleton("rosoboroneksport") == skeleton("rosoboronexport")
    assert skeleton("technologies") == skeleton("technology")
    assert skeleton("huawei") != skeleton("huawen")


def test_qualifying_parenthetical_stays_in_the_name() -> None:
    assert name_variants("Huawei Technologies (Australia) Pty Ltd.") == [
        "Huawei Technologies (Australia) Pty Ltd."
    ]
    assert name_variants(
        "Semiconductor Manufacturing International Corporation (SMIC)"
    )[1:] == ["Semiconductor Manufacturing International Corporation", "SMIC"]


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10)
NAMES = st.lists(WORD, min_size=1, max_size=6)
ANY_TEXT = st.text(max_size=40)


@settings(max_examples=150, deadline=None)
@given(ANY_TEXT)
def test_normalize_is_idempotent(name: str) -> None:
    once = normalize(name)
    again = normalize(once.text)
    if not_forms(name):
        # a word kept from being a form because of how it is written ("Sá", a
        # Chinese syllable) is plain ASCII in the text, where it may be one
        assert set(again.tokens) <= set(once.tokens)
    else:
        assert again.tokens == once.tokens


@settings(max_examples=150, deadline=None)
@given(NAMES)
def test_normalize_ignores_case(words: list[str]) -> None:
    name = " ".join(words)
    assert normalize(name.upper()).tokens == normalize(name).tokens
    assert normalize(name.title()).tokens == normalize(name).tokens


@settings(max_examples=150, deadline=None)
@given(NAMES, st.sampled_from([", ", ". ", " - ", " / ", "; "]))
def test_normalize_ignores_punctuation_between_words(
    words: list[str], sep: str
) -> None:
    assert normalize(sep.join(words)).tokens == normalize(" ".join(words)).tokens


@settings(max_examples=150, deadline=None)
@given(WORD, WORD)
def test_token_similarity_is_bounded_and_symmetric(a: str, b: str) -> None:
    score, _ = token_similarity(a, b)
    assert 0.0 <= score <= 1.0
    assert token_similarity(b, a)[0] == score
    assert token_similarity(a, a)[0] == 1.0


@settings(max_examples=150, deadline=None)
@given(NAMES, NAMES)
def test_feature_scores_are_bounded(left: list[str], right: list[str]) -> None:
    q, c = normalize(" ".join(left)), normalize(" ".join(right))
    for result in (token_alignment(q, c, lambda t: 1.0 + len(t) % 3), sequence(q, c)):
        assert 0.0 <= result.score <= 1.0
    assert token_alignment(q, q, lambda t: 1.0).score == pytest.approx(1.0)


def test_a_letter_with_a_diacritic_inside_a_form_is_the_form() -> None:
    """French "à" in "Société à responsabilité limitée" (SARL): one letter
    with a diacritic had been kept from the forms as "Sá" is, so the phrase
    was left in the name ("Danone SARL" was 0.35)."""
    name = normalize("Danone Société à responsabilité limitée")
    assert name.tokens == ("danone",)
    assert name.org_forms == ("societe", "a", "responsabilite", "limitee")
    assert "a" not in not_forms("Société à responsabilité limitée")


def test_what_a_diacritic_still_keeps_from_the_forms() -> None:
    # two or three letters with a diacritic are a word, not S.A.
    assert normalize("Lia Sá").tokens == ("lia", "sa")
    # a one-letter syllable of Chinese characters stays kept
    assert "a" in not_forms("阿 里")
    # "à" outside a form is a word of the name
    assert normalize("Société Générale à Paris").tokens == (
        "societe",
        "generale",
        "a",
        "paris",
    )


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        # phrases of data/legal_forms.yaml whose long words a typo reading
        # turned into other forms' words (0.35, 0.43, 0.47 against the
        # short form before)
        ("Acme Entreprise Unipersonnelle à Responsabilité Limitée", ("acme",)),
        ("Energoatom Derzhavne Aktsionerne Tovaristvo", ("energoatom",)),
        ("Acme Aktsionerno Druzhestvo", ("acme",)),
        # a form written with a typo, or in two spellings at once, is still read
        ("Aktiengeselschaft Siemens", ("siemens",)),
        ("Tovarystvo z Obmezhenoyu Vidpovidalnistyu Dart", ("dart",)),
        ("Filakskom Obshchestvo S Ogranichennoi Otvtestvennostyu", ("filakskom",)),
    ],
)
def test_forms_as_written_before_their_typos(name: str, tokens: tuple[str, ...]) -> None:
    assert normalize(name).tokens == tokens
