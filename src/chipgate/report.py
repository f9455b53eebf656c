"""An HTML report of a decided book, for the people who act on it and those who audit.

One self-contained file (styles inline, no script, nothing fetched from elsewhere), so
that it can be mailed, archived beside the book and printed to PDF from a browser:
counts by outcome and regime, the orders needing action first, each decision's
reasoning with its citations as links, and the restricted-party list dates the
screening used. Rendered by jinja2 with autoescape on: every party name, item and
message from the book or the data is text, never markup.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from typing import Any

import jinja2

from chipgate import __version__
from chipgate.citations import Citation
from chipgate.decide.decision import Decision
from chipgate.findings import Outcome
from chipgate.orders.model import Order
from chipgate.screening.model import ListInfo
from chipgate.snapshot import rules_version

SEVERITY = (
    Outcome.PROHIBITED,
    Outcome.LICENSE_REQUIRED,
    Outcome.AUTHORIZED,
    Outcome.NO_LICENSE_REQUIRED,
)
"""Outcomes from the one needing most action to the one needing least."""

_CFR = re.compile(
    r"\b(?P<title>\d{1,2}) CFR (?:(?:part|parts) (?P<part>\d+)|(?P<sec>\d+)\.(?P<sub>\d+))",
    re.IGNORECASE,
)
_FR = re.compile(r"\b(?P<volume>\d{2,3}) FR (?P<page>\d+)\b")
_ECFR_CURRENT = re.compile(r"^https://www\.ecfr\.gov/current/(?P<rest>title-.+)$")


@dataclass(frozen=True)
class Link:
    """A link shown after a citation: its label and address."""

    label: str
    href: str


def _ecfr(title: str, path: str, day: date | None) -> str:
    when = f"on/{day.isoformat()}" if day else "current"
    return f"https://www.ecfr.gov/{when}/title-{title}/{path}"


def citation_links(
    citation: Citation, as_of: date, today: date | None = None
) -> list[Link]:
    """Where a citation can be read: its own URL when the data gives one, else an
    eCFR or Federal Register address built from its text; for the eCFR, also the
    text as it stood on the decision's date (eCFR keeps every version since 2017;
    not for a date after ``today``, which it cannot hold yet).

    >>> [l.href for l in citation_links(Citation(cite="88 FR 73458"), date(2024, 1, 2))]
    ['https://www.federalregister.gov/citation/88-FR-73458']
    >>> [l.label for l in citation_links(Citation(cite="15 CFR 744.23(a)"), date(2024, 1, 2))]
    ['eCFR', 'as of 2024-01-02']
    """
    links: list[Link] = []
    current: str | None = None
    if citation.url:
        links.append(Link("source", citation.url))
        found = _ECFR_CURRENT.match(citation.url)
        if found:
            current = found["rest"]
    else:
        cfr = _CFR.search(citation.cite)
        fr = _FR.search(citation.cite)
        if cfr:
            path = (
                f"part-{cfr['part']}"
                if cfr["part"]
                else f"section-{cfr['sec']}.{cfr['sub']}"
            )
            links.append(Link("eCFR", _ecfr(cfr["title"], path, None)))
            current = f"title-{cfr['title']}/{path}"
        if fr:
            links.append(
                Link(
                    "Federal Register",
                    f"https://www.federalregister.gov/citation/{fr['volume']}-FR-{fr['page']}",
                )
            )
    if current is not None and as_of.year >= 2017 and (today is None or as_of <= today):
        links.append(
            Link(
                f"as of {as_of.isoformat()}",
                f"https://www.ecfr.gov/on/{as_of.isoformat()}/{current}",
            )
        )
    return links


def _needs_action(decision: Decision) -> bool:
    return decision.outcome in (Outcome.PROHIBITED, Outcome.LICENSE_REQUIRED) or bool(
        decision.red_flags
    )


def _entry(order: Order, decision: Decision, today: date) -> dict[str, Any]:
    """What the template shows of one decided order."""
    return {
        "order": order,
        "decision": decision,
        "needs_action": _needs_action(decision),
        "findings": [
            {
                "finding": f,
                "citations": [
                    (c, citation_links(c, decision.as_of, today)) for c in f.citations
                ],
            }
            for f in decision.findings
        ],
        "explanation": decision.explanation(),
    }


def _order_key(pair: tuple[int, Decision]) -> tuple[int, int, int]:
    index, decision = pair
    return (SEVERITY.index(decision.outcome), 0 if decision.red_flags else 1, index)


def render_report(
    orders: Sequence[Order],
    decisions: Sequence[Decision],
    *,
    source: str,
    lists: Sequence[ListInfo] = (),
    notes: Sequence[str] = (),
    generated: datetime,
    regime: str | None = None,
    as_of: date | None = None,
) -> str:
    """The report as one HTML document (orders and decisions in the same order)."""
    ranked = sorted(enumerate(decisions), key=_order_key)
    entries = [_entry(orders[i], d, generated.date()) for i, d in ranked]
    by_outcome = Counter(d.outcome for d in decisions)
    regimes = sorted({d.regime for d in decisions})
    by_regime = {
        r: Counter(d.outcome for d in decisions if d.regime == r) for r in regimes
    }
    template = _environment().get_template("report.html.j2")
    return template.render(
        source=source,
        generated=generated.isoformat(timespec="seconds"),
        version=__version__,
        rules=rules_version(),
        regime=regime,
        as_of=as_of,
        total=len(decisions),
        outcomes=SEVERITY,
        by_outcome=by_outcome,
        by_regime=by_regime,
        action=[e for e in entries if e["needs_action"]],
        rest=[e for e in entries if not e["needs_action"]],
        lists=lists,
        notes=notes,
    )


def _environment() -> jinja2.Environment:
    folder = resources.files("chipgate") / "templates"
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(
            lambda name: (folder / name).read_text(encoding="utf-8")
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
