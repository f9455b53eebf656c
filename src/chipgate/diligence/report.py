"""The auditor's report of one customer: an HTML page from a Jinja2 template.

Autoescaping is on: every name and text comes from a customer file or a list and is
escaped, so a listed name cannot inject markup into the page.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from chipgate.diligence.reads import customer_file
from chipgate.diligence.store import open_store
from chipgate.errors import InputError
from chipgate.outputs import check_output_path
from chipgate.settings import Settings


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("chipgate.diligence", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
    )


def _version() -> str:
    try:
        return version("chipgate")
    except PackageNotFoundError:  # running from a source tree
        return "source"


def render_customer(record: dict[str, Any], review: float) -> str:
    """The HTML page of one customer record (``reads.customer_file``)."""
    template = _environment().get_template("customer.html.j2")
    return template.render(
        c=record,
        review=review,
        generated=datetime.now(UTC).isoformat(timespec="seconds"),
        version=_version(),
    )


_PLAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,100}")


def page_name(customer_id: str) -> str:
    """The page's file name in a folder: ``customer-<id>.html`` for an id of
    plain letters, digits, dots, dashes and underscores, else a readable
    stand-in with a digest of the id. An id is the customer file's text: one
    holding ``/`` or ``..`` would otherwise name a path outside the folder.

    >>> page_name("C-001")
    'customer-C-001.html'
    >>> page_name("../../etc/x")
    'customer-etc_x-56da1a2ef2.html'
    """
    if _PLAIN_ID.fullmatch(customer_id) and ".." not in customer_id:
        return f"customer-{customer_id}.html"
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", customer_id).strip("_")[:60] or "id"
    digest = hashlib.sha256(customer_id.encode("utf-8")).hexdigest()[:10]
    return f"customer-{stem}-{digest}.html"


def write_customer_report(settings: Settings, customer_id: str, output: Path) -> Path:
    """Write the report of ``customer_id`` to ``output`` (a file, or a folder).

    Raises:
        InputError: no such customer, or a page path that is a symbolic link, a
            folder or a FIFO (``outputs.check_output_path``); nothing is written.
    """
    from chipgate.book.writer import atomic_output

    target = output / page_name(customer_id) if output.is_dir() else output
    check_output_path(target)
    engine = open_store(settings)
    try:
        with engine.connect() as conn:
            record = customer_file(
                conn, customer_id, review=settings.screening_review_threshold
            )
    finally:
        engine.dispose()
    if record is None:
        raise InputError.single(f"no customer {customer_id!r} in the register")
    page = render_customer(record, settings.screening_review_threshold)
    with atomic_output(target, binary=False) as stream:
        stream.write(page)
    return target
