"""Reading list XML safely, with namespaces set aside and errors that name the line."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import ElementTree

from chipgate.errors import InputError


def local(tag: str) -> str:
    """A tag without its ``{namespace}`` (OFAC's newer files carry one)."""
    return tag.rsplit("}", 1)[-1]


def parse_root(path: Path, expected: str) -> Element:
    """The root element of ``path``, whose local name must be ``expected``.

    Raises:
        InputError: malformed XML (line named) or another root element.
    """
    try:
        root = ElementTree.parse(path).getroot()
    except ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise InputError.single(
            f"malformed XML: {exc}", source=path, line=line
        ) from exc
    if root is None or local(root.tag) != expected:
        raise InputError.single(f"expected root element {expected}", source=path)
    for node in root.iter():
        node.tag = local(node.tag)
    return root


def text(node: Element, tag: str) -> str:
    """The whitespace-folded text of the first child ``tag`` ("" when absent)."""
    child = node.find(tag)
    return " ".join((child.text or "").split()) if child is not None else ""
