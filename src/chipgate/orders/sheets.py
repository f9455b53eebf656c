"""Excel workbooks (``.xlsx``) as order books: the first sheet, every cell as text.

Spreadsheets store numbers as floats and dates as serial numbers; both reading paths
need the cells as the text a CSV would hold, so cells are read as strings (a whole
number prints without ``.0``) and a date cell at midnight becomes ``YYYY-MM-DD``.
Read with polars' calamine engine (``fastexcel``), which ships as a wheel.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from chipgate.errors import InputError

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
HEADER_ROWS = 1
"""The header is the sheet's first row; data row ``i`` (0-based) is sheet row i + 2."""


def read_sheet(path: Path) -> pl.DataFrame:
    """The first sheet of a workbook, every column as text (``None`` for a blank cell).

    Raises:
        InputError: the file is not a readable workbook.
    """
    try:
        frame = pl.read_excel(
            path, sheet_id=1, engine="calamine", infer_schema_length=0
        )
    except Exception as exc:  # fastexcel raises its own types for bad workbooks
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc)
        raise InputError.single(
            f"not a readable Excel workbook ({reason})", source=path
        ) from None
    return frame.with_columns(
        pl.all()
        .cast(pl.Utf8)
        .str.replace(r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00(\.0+)?$", "${1}")
    )
