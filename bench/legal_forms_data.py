"""Derive ``screening/data/legal_forms.yaml`` from the company-type table of ``fingerprints``.

The PyPI package ``fingerprints`` 1.3.1 (MIT, OpenSanctions; built from OCCRP's table,
ISO 20275 and Wikipedia's types of business entity) ships ``fingerprints/types/types.yml``:
legal forms in many languages and scripts, each with its short form. Usage::

    pip download --no-deps fingerprints==1.3.1 && unzip fingerprints-1.3.1-py3-none-any.whl
    python -m bench.legal_forms_data fingerprints/types/types.yml > src/chipgate/screening/data/legal_forms.yaml

Every form is written as the normalizer writes it (``normalize.to_ascii``); those
``org_forms.yaml`` already removes are left out. Kept:

- *anywhere*: phrases of two or more words with a word of three letters or more,
  and single words of eight letters or more ("aktieselskab", "osakeyhtio"), unless
  a word of them is an ordinary word of a name (``NAME_WORDS``: "international",
  "cooperative", "enterprise", "bank", "joint venture", Turkish "sanayi ve ticaret",
  and the name of one company, Tactical Missiles, in several languages), which the
  table lists as forms but which name what a company does;
- *edges* (first or last word only): the short forms in ``SHORT_FORMS``, chosen by
  hand from the table's short forms, since most of those (A, S, V, II, Na, Yu, Im)
  are also initials, numerals or syllables of person names.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from chipgate.screening.normalize import to_ascii

OWN_TABLE = (
    Path(__file__).resolve().parents[1]
    / "src"
    / "chipgate"
    / "screening"
    / "data"
    / "org_forms.yaml"
)

# Words the table counts as forms that are ordinary words of company names.
NAME_WORDS = frozenset(
    {
        "bank",
        "commercial",
        "concern",
        "dis",
        "exp",
        "imp",
        "ins",
        "okhrannaya",
        "okhrannoe",
        "oto",
        "projektile",
        "rachete",
        "raketne",
        "raketnoe",
        "san",
        "takticheskoe",
        "takticke",
        "tactice",
        "taktichne",
        "tek",
        "tes",
        "tic",
        "torgovyy",
        "venture",
        "compania",
        "cooperation",
        "cooperatif",
        "cooperative",
        "enterprise",
        "export",
        "firma",
        "import",
        "insaat",
        "institution",
        "international",
        "internationale",
        "interneyshnl",
        "kompaniya",
        "korporeshn",
        "lojistik",
        "missile",
        "national",
        "sanayi",
        "scientific",
        "tactical",
        "tesisat",
        "ticaret",
        "unlimited",
    }
)
# Short forms of the table kept as forms at a name's first or last word.
SHORT_FORMS = frozenset(
    {
        "a s",
        "aat",
        "ano",
        "aps",
        "asbl",
        "berhad",
        "bvba",
        "ehf",
        "gbr",
        "kk",
        "lda",
        "lp",
        "mmc",
        "ood",
        "sia",
        "sicav",
        "snc",
        "sprl",
        "too",
        "uab",
    }
)


def derive(table: dict[str, list[dict[str, object]]]) -> tuple[list[str], list[str]]:
    """The forms to add: (anywhere, edges), sorted."""
    own = yaml.safe_load(OWN_TABLE.read_text(encoding="utf-8"))
    anywhere_known = re.compile(
        r"(?:\b(?:" + "|".join(re.escape(str(f)) for f in own["anywhere"]) + r")\b\s*)+"
    )
    edges_known = {str(f) for f in own["edges"]}
    anywhere: set[str] = set()
    edges: set[str] = set()
    for entry in table["types"]:
        raw = [entry["main"], *entry.get("forms", [])]  # type: ignore[list-item]
        for form in (to_ascii(str(f)) for f in raw):
            if not form or anywhere_known.fullmatch(form):
                continue
            words = form.split()
            if form in SHORT_FORMS and form not in edges_known:
                edges.add(form)
            elif set(words) & NAME_WORDS:
                continue
            elif (len(words) > 1 and max(map(len, words)) >= 3) or len(form) >= 8:
                anywhere.add(form)
    return sorted(anywhere), sorted(edges)


def main(path: str) -> int:
    """Print the YAML file."""
    table = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    anywhere, edges = derive(table)
    print("# Company legal forms in many languages, added to org_forms.yaml.")
    print("# Derived by bench/legal_forms_data.py from fingerprints/types/types.yml of")
    print("# the PyPI package fingerprints 1.3.1 (MIT License, Copyright (c) 2025")
    print("# OpenSanctions Datenbanken GmbH, (c) 2018 Journalism Development Network,")
    print("# (c) 2016 Friedrich Lindenberg), written as the normalizer writes them.")
    print(
        yaml.safe_dump(
            {
                "description": "Legal forms from fingerprints 1.3.1 (MIT).",
                "anywhere": anywhere,
                "edges": edges,
            },
            allow_unicode=False,
            sort_keys=False,
        ),
        end="",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
