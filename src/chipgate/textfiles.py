"""Reading text files line by line, with an error that names the line that is not UTF-8.

Python's text mode raises ``UnicodeDecodeError`` in the middle of a read, with a
position inside its buffer and no line; every reader of user files goes through
``utf8_lines`` instead, which decodes one line at a time and reports the line, the
byte and its column.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from chipgate.errors import InputError


def utf8_lines(path: Path) -> Iterator[str]:
    """The lines of ``path`` as text, line ends kept, a leading BOM dropped.

    Raises:
        InputError: a line is not UTF-8 (file, line, byte and column named), or the
            file cannot be read.
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError.single(f"cannot read: {exc.strerror}", source=path) from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError.single(
                    f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at byte "
                    f"{exc.start + 1} of the line (save the file as UTF-8)",
                    source=path,
                    line=number,
                ) from None
            if number == 1 and text.startswith("\ufeff"):
                text = text[1:]
            yield text


__all__ = ["utf8_lines"]
