"""The HTML report: self-contained, escaped, action first, citations as links."""

from __future__ import annotations

from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipgate.book.pipeline import Checker
from chipgate.citations import Citation
from chipgate.cli.app import app
from chipgate.decide.engine import Engine
from chipgate.orders.reader import read_orders
from chipgate.report import citation_links, render_report
from chipgate.screening.model import FileInfo, ListInfo

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & Co'
HEADER = "id,date,kind,item,quantity,destination,consignee,consignee_hq"


class Page(HTMLParser):
    """Tags, attributes, text and the order of the order sections of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.links: list[str] = []
        self.sections: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        if tag == "section" and found.get("id"):
            self.sections.append(str(found["id"]).removeprefix("order-"))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def book(tmp_path: Path) -> Path:
    path = tmp_path / "book.csv"
    path.write_text(
        "\n".join(
            [
                HEADER,
                "N1,2026-03-01,export,NVIDIA L4,10,BR,Paulista Video Ltda,BR",
                f'H1,2026-03-01,export,NVIDIA H100 SXM5,10,CN,"{HOSTILE.replace(chr(34), chr(34) * 2)}",CN',
                "P1,2025-10-05,export,NVIDIA L40S,5,IR,Tehran Vision,IR",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    return path


def rendered(tmp_path: Path, **options: object) -> tuple[str, Page]:
    engine = Engine()
    orders = read_orders(book(tmp_path), engine.catalog).orders
    decisions = Checker(engine).decide(orders)
    html = render_report(
        orders,
        decisions,
        source="book.csv",
        generated=datetime(2026, 12, 1, tzinfo=UTC),
        **options,  # type: ignore[arg-type]
    )
    page = Page()
    page.feed(html)
    page.close()
    return html, page


@pytest.mark.parametrize(
    ("options", "said"),
    [
        ({}, "each order under the law of its own date."),
        (
            {"regime": "aid-2025"},
            "every order under the regime aid-2025 (forced), as it stood on the "
            "order's own date.",
        ),
        (
            {"regime": "aid-2025", "as_of": date(2025, 6, 1)},
            "every order under the regime aid-2025 (forced), as it stood on "
            "2025-06-01.",
        ),
        (
            {"as_of": date(2025, 6, 1)},
            "every order under the law in force on 2025-06-01.",
        ),
    ],
)
def test_the_header_says_which_law_decided_the_orders(
    tmp_path: Path, options: dict[str, object], said: str
) -> None:
    # with --regime the header said "regime forced: X; each order under the law of
    # its own date", two halves that contradict each other
    _html, page = rendered(tmp_path, **options)
    text = " ".join("".join(page.text).split())
    assert said in text
    if options:
        assert "the law of its own date" not in text


def test_a_hostile_party_name_is_text_not_markup(tmp_path: Path) -> None:
    html, page = rendered(tmp_path)
    assert "script" not in page.tags
    assert "img" not in page.tags
    assert not any(name.startswith("on") for name, _ in page.attrs)
    assert any(HOSTILE in chunk for chunk in page.text)
    assert "&lt;script&gt;" in html


def test_the_page_is_self_contained(tmp_path: Path) -> None:
    _, page = rendered(tmp_path)
    assert "link" not in page.tags
    assert "script" not in page.tags
    assert not any(name == "src" for name, _ in page.attrs)
    assert "style" in page.tags


def test_orders_needing_action_come_first(tmp_path: Path) -> None:
    _, page = rendered(tmp_path)
    assert page.sections == ["P1", "H1", "N1"]


def test_citations_are_links_to_the_law(tmp_path: Path) -> None:
    _, page = rendered(tmp_path)
    assert any(
        link.startswith("https://www.ecfr.gov/current/title-15/") for link in page.links
    )
    assert any(
        link.startswith("https://www.ecfr.gov/on/2026-03-01/title-15/")
        for link in page.links
    )
    assert any("federalregister.gov" in link for link in page.links)


def test_the_list_dates_used_are_shown(tmp_path: Path) -> None:
    info = ListInfo(
        source="bis-dpl",
        title="Denied Persons List",
        files=(FileInfo(path="bis/dpl.txt", sha256="ab" * 32, size=10),),
        list_date="2022-09-02",
        entries=581,
    )
    _, page = rendered(tmp_path, lists=[info])
    text = " ".join(page.text)
    assert "Denied Persons List" in text
    assert "2022-09-02" in text


def test_links_are_built_from_the_citation_text() -> None:
    day = date(2025, 6, 1)
    links = citation_links(
        Citation(cite="15 CFR part 746 (embargoes); 90 FR 4544"), day
    )
    assert [link.href for link in links] == [
        "https://www.ecfr.gov/current/title-15/part-746",
        "https://www.federalregister.gov/citation/90-FR-4544",
        "https://www.ecfr.gov/on/2025-06-01/title-15/part-746",
    ]
    future = citation_links(Citation(cite="15 CFR 744.23"), date(2030, 1, 1), day)
    assert [link.label for link in future] == ["eCFR"]
    assert citation_links(Citation(cite="Reuters, May 13, 2025"), day) == []


def test_the_report_command_writes_one_file(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(
        app, ["report", str(book(tmp_path)), "-o", str(out), "--no-screening"]
    )
    assert result.exit_code == 0, result.output
    page = Page()
    page.feed(out.read_text(encoding="utf-8"))
    assert page.sections == ["P1", "H1", "N1"]
    assert any("not screened" in chunk for chunk in page.text)
    bad = runner.invoke(app, ["report", str(tmp_path / "none.csv"), "-o", str(out)])
    assert bad.exit_code == 2
