"""The tuning half's person-name misses and near-miss false hits, one per line.

``python -m bench.screening_misses [--below 0.90] [--from 0.80] [--companies]``
prints, for the tuning half of the public benchmarks only (the held-out half is
never listed), with ``--companies`` the company (vessel, organisation ...) pairs
below with every feature of their score instead, else:

- each labelled same-person pair scoring under ``--below``, with its score and the
  person rules that fired (the explanation detail);
- each labelled different-person pair scoring ``--from`` or more;
- each unlisted name whose best match scores ``--from`` or more, with the listed
  name it met and the rules that fired.

Rules are designed from these lines; their effect on the held-out half is then
measured with ``python -m bench.screening_eval --public-only``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from bench import screening_public as public_bench
from chipgate.screening import companies
from chipgate.screening.matcher import NameMatcher
from chipgate.screening.normalize import normalize, normalize_person
from chipgate.screening.provider import active_lists_dir, load_index, screener_for
from chipgate.screening.screener import Screener
from chipgate.settings import Settings

PART = "tune"


def _detail(matcher: NameMatcher, query: str, listed: str) -> str:
    """The person rules that fired for the best reading of ``query``."""
    candidate = normalize_person(listed)
    found = [
        matcher.compare_normalized(form, candidate, True)[1][0]
        for form, _ in matcher.forms(query)
    ]
    return max(found, key=lambda feature: feature.score).detail


def _company_detail(matcher: NameMatcher, query: str, listed: str) -> str:
    """Every feature of the best reading of ``query`` against ``listed`` as the
    index holds it: the word agreement, the character ratio, the forms and the
    company rules that fired (what holds a company pair down)."""
    candidates = [normalize(listed)]
    candidates += [form for form, _ in companies.written_variants(listed)]
    _total, features = max(
        (
            matcher.compare_normalized(form, candidate, False)
            for form, _ in matcher.forms(query)
            for candidate in candidates
        ),
        key=lambda found: found[0],
    )
    return "; ".join(f"{f.name}={f.score:.2f} ({f.detail})" for f in features)


def pair_lines(
    matcher: NameMatcher, below: float, floor: float, person: bool = True
) -> Iterator[str]:
    """Missed same-party pairs and high-scoring different-party pairs, of
    persons or (``person`` False) of companies, vessels and other parties."""
    for row in public_bench._rows("name_bench_cases.csv"):
        if (row["schema"] in public_bench.PERSON_SCHEMAS) != person:
            continue
        query, listed = row["name1"], row["name2"]
        if public_bench.half(f"{query}|{listed}") != PART:
            continue
        score = matcher.compare(query, listed, person)
        same = row["is_match"] == "true"
        if (same and score < below) or (not same and score >= floor):
            label = "MISS" if same else "NEAR"
            detail = (_detail if person else _company_detail)(matcher, query, listed)
            yield (
                f"{label} {score:.3f} [{row['case_group']}] {query!r} / {listed!r} :: "
                f"{detail}"
            )


def negative_lines(screener: Screener, floor: float) -> Iterator[str]:
    """Unlisted names whose best match scores ``floor`` or more."""
    listed = public_bench.listed_person_names(screener)
    for file in ("negatives_global.csv", "negatives_us.csv"):
        for row in public_bench._rows(file):
            name = row["full_name"]
            if public_bench.half(f"{name}|{row['date_of_birth']}") != PART:
                continue
            found = [m for m in screener.matches(name) if m.score >= floor]
            if not found:
                continue
            best = found[0]
            same = (
                " (same name listed)"
                if public_bench.same_name_listed(name, listed)
                else ""
            )
            yield (
                f"UNLISTED {best.score:.3f} {public_bench.script_of(name)} {name!r} -> "
                f"{best.matched_name!r}{same} :: {best.features[0].detail}"
            )


def _option(argv: list[str], name: str, default: float) -> float:
    return float(argv[argv.index(name) + 1]) if name in argv else default


def main(argv: list[str]) -> int:
    """Print the tuning half's misses, then its near-miss unlisted names."""
    settings = Settings()
    folder = active_lists_dir(settings.data_dir, settings.lists_dir)
    index = load_index(folder, settings.data_dir)
    screener = screener_for(
        index, settings.screening_threshold, settings.screening_review_threshold
    )
    below = _option(argv, "--below", settings.screening_threshold)
    floor = _option(argv, "--from", settings.screening_review_threshold)
    if "--companies" in argv:
        for line in pair_lines(screener.matcher, below, floor, person=False):
            print(line)
        return 0
    for line in pair_lines(screener.matcher, below, floor):
        print(line)
    for line in negative_lines(screener, floor):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
