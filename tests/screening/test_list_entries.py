"""What each loader makes of one published row: names, aliases, dates, codes.

Each case is a row as the official file writes it, read by the loader alone, so
the test says which entry a screen will see without building an index.
"""

from __future__ import annotations

from pathlib import Path

from chipgate.screening.model import ListEntry
from chipgate.screening.sources import load_source
from chipgate.screening.sources.base import Source
from chipgate.screening.sources.ofac import OfacSdn2024


def _read(source: Source, folder: Path, rel: str, text: str) -> list[ListEntry]:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return load_source(source, folder)[1]


def test_ofac_remark_aliases_keep_their_inner_quotes(tmp_path: Path) -> None:
    """OFAC writes 'HAJJ AS'AD AHMAD' and doubles the quote of ''FOOPIE''."""
    remarks = (
        "DOB 1974; a.k.a. 'KHABAR, Abu'; a.k.a. ''FOOPIE''; "
        "a.k.a. 'HAJJ AS'AD AHMAD'; a.k.a. ''ABD AL-RAHMAN'; "
        "a.k.a. 'ABU-AL-KARKH', 'Yusuf'; a.k.a. ''AHMED THE TANZANIAN''."
    )
    row = ["1", "GHAILANI, Ahmed", "individual", "[SDGT]"] + ["-0-"] * 7
    line = ",".join(f'"{c}"' for c in [*row, remarks]) + "\r\n"
    [entry] = _read(OfacSdn2024(), tmp_path, "ofac-2024/sdn.csv", line)
    assert entry.aliases == (
        "KHABAR, Abu",
        "FOOPIE",
        "HAJJ AS'AD AHMAD",
        "'ABD AL-RAHMAN",
        "ABU-AL-KARKH, Yusuf",
        "AHMED THE TANZANIAN",
    )
