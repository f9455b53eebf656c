"""A seeded corpus of hostile inputs, one family per way a file goes wrong.

Each family turns the bytes of a valid file into variants: byte flips, truncation,
a BOM, CRLF line ends, bytes that are not UTF-8, giant and non-finite numbers, rich
markup, rows split or cut short, over-long names, formula cells. The corpus is built
from fixed seeds, so every run tries the same cases (bounded, deterministic, and a
failure names the case to replay).
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

Mutation = Callable[[bytes, random.Random], bytes]

HUGE = ("18446744073709551616", "9" * 400, "1e309", "-1e309", "1e400", "0x10", "１２")
NON_FINITE = ("inf", "-inf", "nan", "NaN", "Infinity", "-Infinity")
MARKUP = ("[/x]", "[bold]x", "[link=file:///etc/passwd]x[/link]", "[/]", "\\[x]")
BAD_UTF8 = (b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80\x80")


@dataclass(frozen=True)
class Case:
    """One variant: its family, its seed, and the bytes to feed the reader."""

    family: str
    seed: int
    data: bytes

    @property
    def id(self) -> str:
        """A name pytest shows and a reader can replay: family-seed."""
        return f"{self.family}-{self.seed}"


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def byte_flips(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(out))
        out[at] ^= 1 << rng.randrange(8)
    return bytes(out)


def truncation(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def bom(data: bytes, rng: random.Random) -> bytes:
    return b"\xef\xbb\xbf" + data


def crlf(data: bytes, rng: random.Random) -> bytes:
    text = data.replace(b"\n", b"\r\n")
    return text if rng.random() < 0.5 else text.replace(b"\r\n", b"\r", 1)


def bad_utf8(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + rng.choice(BAD_UTF8) + data[at:]


def stray_quote(data: bytes, rng: random.Random) -> bytes:
    """A quote where CSV does not allow one (mid-field, or after a closing quote)."""
    lines = _lines(data)
    row = rng.randrange(1, len(lines) - 1)
    at = rng.randrange(1, len(lines[row]))
    lines[row] = lines[row][:at] + rng.choice((b'"', b'"x"', b'""')) + lines[row][at:]
    return b"\n".join(lines)


def split_row(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    row = rng.randrange(1, len(lines) - 1)
    commas = [i for i, b in enumerate(lines[row]) if b == ord(",")]
    cut = rng.choice(commas) + 1
    lines[row] = lines[row][:cut] + b"\n" + lines[row][cut:]
    return b"\n".join(lines)


def short_row(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    row = rng.randrange(1, len(lines) - 1)
    cells = lines[row].split(b",")
    lines[row] = b",".join(cells[: rng.randrange(1, len(cells))])
    return b"\n".join(lines)


def set_cell(data: bytes, row: int, column: str, value: str) -> bytes:
    """The CSV ``data`` with ``value`` in ``column`` of data row ``row`` (1-based)."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    rows[row][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _csv_cell(values: tuple[str, ...], columns: tuple[str, ...]) -> Mutation:
    """A mutation that writes one of ``values`` into one of ``columns`` of a row."""

    def mutate(data: bytes, rng: random.Random) -> bytes:
        rows = data.count(b"\n") - 1
        row = rng.randrange(1, rows + 1)
        return set_cell(data, row, rng.choice(columns), rng.choice(values))

    return mutate


def cell_sweep(
    base: bytes, family: str, values: tuple[str, ...], columns: tuple[str, ...]
) -> Iterator[Case]:
    """Every value of ``values`` in every column of ``columns`` (second order row)."""
    for n, (column, value) in enumerate((c, v) for c in columns for v in values):
        yield Case(f"{family}-{column}", n, set_cell(base, 2, column, value))


NUMBER_COLUMNS = ("quantity", "value_usd", "training_operations", "tpp")
TEXT_COLUMNS = ("id", "item", "consignee", "end_user", "destination", "end_use")

CSV_FAMILIES: dict[str, Mutation] = {
    "byte-flip": byte_flips,
    "truncation": truncation,
    "bom": bom,
    "crlf": crlf,
    "bad-utf8": bad_utf8,
    "split-row": split_row,
    "short-row": short_row,
    "stray-quote": stray_quote,
    "huge-number": _csv_cell(HUGE, NUMBER_COLUMNS),
    "non-finite": _csv_cell(NON_FINITE, NUMBER_COLUMNS),
    "markup": _csv_cell(MARKUP, TEXT_COLUMNS),
    "long-name": _csv_cell(("N" * 501, "N" * 20_000), ("consignee", "end_user")),
    "formula": _csv_cell(("=1+1", "@SUM(A1)", "+1", "-cmd"), ("id", "consignee")),
}


def corpus(
    base: bytes, families: dict[str, Mutation], per_family: int, seed: int = 20261202
) -> Iterator[Case]:
    """``per_family`` variants of ``base`` for each family, from fixed seeds."""
    for index, (family, mutate) in enumerate(sorted(families.items())):
        for n in range(per_family):
            case_seed = seed + 1000 * index + n
            yield Case(family, case_seed, mutate(base, random.Random(case_seed)))


def jsonl_families() -> dict[str, Mutation]:
    """Families for JSON-lines files (order books and location records)."""

    def json_value(data: bytes, rng: random.Random) -> bytes:
        lines = [line for line in _lines(data) if line.strip()]
        row = rng.randrange(len(lines))
        key_at = lines[row].find(b'":', rng.randrange(len(lines[row]) // 2))
        if key_at < 0:
            return data
        end = lines[row].find(b",", key_at)
        end = end if end > 0 else len(lines[row]) - 1
        value = rng.choice(
            [
                b"[1,2]",
                b'{"a":1}',
                b"1e400",
                b"-0",
                b"true",
                b"null",
                b'"[/x]"',
                b"18446744073709551616",
                b'"' + b"N" * 20_000 + b'"',
                b"NaN",
            ]
        )
        lines[row] = lines[row][: key_at + 2] + value + lines[row][end:]
        return b"\n".join(lines) + b"\n"

    def unknown_field(data: bytes, rng: random.Random) -> bytes:
        lines = [line for line in _lines(data) if line.strip()]
        row = rng.randrange(len(lines))
        lines[row] = b'{"zz_unknown":"[/x]",' + lines[row][1:]
        return b"\n".join(lines) + b"\n"

    def not_object(data: bytes, rng: random.Random) -> bytes:
        lines = [line for line in _lines(data) if line.strip()]
        lines[rng.randrange(len(lines))] = rng.choice([b"[]", b"1", b'"x"', b"{"])
        return b"\n".join(lines) + b"\n"

    return {
        "byte-flip": byte_flips,
        "truncation": truncation,
        "bom": bom,
        "crlf": crlf,
        "bad-utf8": bad_utf8,
        "json-value": json_value,
        "unknown-field": unknown_field,
        "not-object": not_object,
    }
