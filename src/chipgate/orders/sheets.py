"""Excel workbooks (``.xlsx``) as order books: the first sheet, every cell as text.

Spreadsheets store numbers as floats and dates as serial numbers; both reading paths
need the cells as the text a CSV would hold, so cells are read as strings (a whole
number prints without ``.0``) and a date cell at midnight becomes ``YYYY-MM-DD``.
A number cell formatted as a percentage is read as the percentage it shows (0.6
shown as 60 % is read as 60), so a share typed as ``60%`` means 60, as in a CSV.
Read with polars' calamine engine (``fastexcel``), which ships as a wheel; the number
formats, which it does not report, from the workbook's XML (``percent_cells``).
"""

from __future__ import annotations

import re
import zipfile
from collections import defaultdict
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element, ParseError

import polars as pl
from defusedxml import ElementTree

from chipgate.errors import InputError

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
HEADER_ROWS = 1
"""The header is the sheet's first row; data row ``i`` (0-based) is sheet row i + 2."""
PERCENT_FORMAT_IDS = frozenset({9, 10})
"""Excel's built-in percentage number formats (``0%``, ``0.00%``)."""
_QUOTED = re.compile(r'"[^"]*"|\\.')
_CELL_REF = re.compile(r"([A-Z]+)([0-9]+)")
_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
_CELL_TAG = rb"<(?:\w+:)?c\s[^>]*?"
_FILLED_CELL = re.compile(_CELL_TAG + rb"""\br=["']([A-Z]+)([0-9]+)["'][^>]*?(?<!/)>""")
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml(book: zipfile.ZipFile, name: str) -> Element | None:
    try:
        with book.open(name) as stream:
            return ElementTree.parse(stream).getroot()
    except KeyError:
        return None


def shows_percent(number_format: str | None) -> bool:
    """Whether a number format shows its number as a percentage: a ``%`` outside
    quoted or escaped text (``0"%"`` shows 75 as "75%" and means 75).

    >>> shows_percent("0.00%"), shows_percent('0"%"'), shows_percent(None)
    (True, False, False)
    """
    return "%" in _QUOTED.sub("", number_format or "")


def _percent_styles(book: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell styles (``cellXfs``) whose number format shows a %."""
    root = _xml(book, "xl/styles.xml")
    if root is None:
        return set()
    percent = set(PERCENT_FORMAT_IDS)
    styles: list[Element] = []
    for node in root.iter():
        name = _local(node.tag)
        if name == "numFmt":
            if shows_percent(node.get("formatCode")):
                percent.add(int(node.get("numFmtId", "-1")))
        elif name == "cellXfs":
            styles = [x for x in node if _local(x.tag) == "xf"]
    return {
        index
        for index, xf in enumerate(styles)
        if int(xf.get("numFmtId", "0")) in percent
    }


def _first_sheet(book: zipfile.ZipFile) -> str | None:
    """The archive name of the workbook's first sheet (the one ``read_sheet`` reads)."""
    workbook = _xml(book, "xl/workbook.xml")
    rels = _xml(book, "xl/_rels/workbook.xml.rels")
    if workbook is None or rels is None:
        return None
    first = next((n for n in workbook.iter() if _local(n.tag) == "sheet"), None)
    if first is None:
        return None
    target = next(
        (r.get("Target", "") for r in rels if r.get("Id") == first.get(_REL_NS)), ""
    )
    if not target:
        return None
    if target.startswith("/"):
        return target.lstrip("/")
    return str(PurePosixPath("xl") / target)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _attribute(tag: bytes, name: bytes) -> bytes | None:
    match = re.search(rb"\b" + name + rb"""=["']([^"']*)["']""", tag)
    return match[1] if match else None


def percent_cells(path: Path) -> dict[int, set[int]]:
    """The number cells of the first sheet formatted as a percentage: for each
    column of the sheet's used range (0-based, as the frame's), its data rows
    (0-based, the header row being the range's first). Empty for a workbook
    without a percentage format (then no sheet is scanned) or not in the
    Office Open XML format (``.xls``).

    The sheet's XML is scanned as text for its cell tags (``<c r=.. s=.. t=..>``):
    a parser building every element took ten times as long as reading the sheet.
    """
    try:
        with zipfile.ZipFile(path) as book:
            styles = _percent_styles(book)
            sheet = _first_sheet(book) if styles else None
            if sheet is None:
                return {}
            data = book.read(sheet)
    except (zipfile.BadZipFile, KeyError, ParseError, ValueError):
        return {}
    # the used range: cells that hold something (a styled empty cell is <c .../>)
    refs = set(_FILLED_CELL.findall(data))
    if not refs:
        return {}
    first_row = min(int(row) for _letters, row in refs)
    first_column = min(_column_number(letters.decode()) for letters, _row in refs)
    chosen = b"|".join(str(style).encode() for style in sorted(styles))
    cells: dict[int, set[int]] = defaultdict(set)
    for match in re.finditer(
        _CELL_TAG + rb"""\bs=["'](?:""" + chosen + rb""")["']""", data
    ):
        tag = data[match.start() : data.index(b">", match.end()) + 1]
        ref = _CELL_REF.fullmatch((_attribute(tag, b"r") or b"").decode())
        if (
            ref is None
            or tag.endswith(b"/>")
            or _attribute(tag, b"t") not in (None, b"n")
        ):
            continue
        column = _column_number(ref[1]) - first_column
        cells[column].add(int(ref[2]) - first_row - HEADER_ROWS)
    return cells


def _as_percent(text: str | None) -> str | None:
    if text is None or not _NUMBER.fullmatch(text):
        return text
    return f"{float(text) * 100:.15g}"


def _percentages(frame: pl.DataFrame, cells: dict[int, set[int]]) -> pl.DataFrame:
    """``frame`` with its percentage-formatted number cells read as percentages."""
    columns = []
    for index, rows in cells.items():
        if index >= frame.width:
            continue
        values = frame[:, index].to_list()
        for row in rows:
            if 0 <= row < len(values):
                values[row] = _as_percent(values[row])
        columns.append(pl.Series(frame.columns[index], values, dtype=pl.Utf8))
    return frame.with_columns(columns) if columns else frame


def read_sheet(path: Path) -> pl.DataFrame:
    """The first sheet of a workbook, every column as text (``None`` for a blank cell).

    Raises:
        InputError: the file is not a readable workbook.
    """
    cells = percent_cells(path)
    try:
        # with percentages to read, the empty rows and columns are kept until they
        # are applied: ``percent_cells`` places them in the sheet's used range, and
        # with an empty column dropped first a quantity of 80 was read as 8000
        frame = pl.read_excel(
            path,
            sheet_id=1,
            engine="calamine",
            infer_schema_length=0,
            drop_empty_rows=not cells,
            drop_empty_cols=not cells,
        )
    except Exception as exc:  # fastexcel raises its own types for bad workbooks
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc)
        raise InputError.single(
            f"not a readable Excel workbook ({reason})", source=path
        ) from None
    frame = frame.with_columns(
        pl.all()
        .cast(pl.Utf8)
        .str.replace(r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00(\.0+)?$", "${1}")
    )
    if not cells:
        return frame
    frame = _percentages(frame, cells)
    # then dropped, as the reader drops them: rows of no value, unnamed columns
    # of no value
    frame = frame.filter(~pl.all_horizontal(pl.all().is_null()))
    empty = [
        name
        for name in frame.columns
        if name.startswith("__UNNAMED__") and frame[name].null_count() == frame.height
    ]
    return frame.drop(empty)
