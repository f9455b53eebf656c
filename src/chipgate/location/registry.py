"""The fleet registry: which chip, whose key, whose chip, licensed for where.

Rows live in the shared store (``Settings.resolved_database_url()``). Every write is
one transaction: a file of chips registers whole or not at all.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import orjson
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, aliased

from chipgate.chips.catalog import default_catalog
from chipgate.countries.registry import IsoCountry
from chipgate.errors import InputError, Problem, StoreError, validation_problems
from chipgate.ledger.migrate import ensure_current
from chipgate.location.models import FleetChip
from chipgate.location.protocol import decode_public_key, encode_public_key
from chipgate.textfiles import (
    csv_cells,
    csv_header,
    past_header,
    unique_header,
    utf8_lines,
)

_ID_BATCH = 500
"""Chip ids per IN query: well below SQLite's bound-variable limit."""


class ChipEntry(BaseModel):
    """One chip as the operator registers it.

    ``model`` is any name the chip catalog knows (e.g. ``H100``); it is stored as the
    catalog's canonical name (``NVIDIA H100 SXM5``), so that every chip of a model
    reads the same whatever name its operator typed.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    chip_id: str = Field(min_length=1, max_length=128)
    model: str = Field(min_length=1, max_length=128)
    public_key: str
    owner: str = Field(min_length=1, max_length=256)
    licensed_country: IsoCountry
    licensed_site: str = Field(min_length=1, max_length=256)
    license_ref: str = Field(min_length=1, max_length=128)
    site_lat: float | None = Field(default=None, ge=-90.0, le=90.0)
    site_lon: float | None = Field(
        default=None, ge=-180.0, le=180.0, validate_default=True
    )

    @field_validator("site_lat", "site_lon", mode="before")
    @classmethod
    def _not_a_boolean(cls, value: object) -> object:
        """A coordinate is a number (or, from CSV, its text): JSON ``true`` read
        leniently was 1.0 degree, a site in the Gulf of Guinea."""
        if isinstance(value, bool):
            raise ValueError("a coordinate is a number, not true or false")
        return value

    @field_validator("site_lon")
    @classmethod
    def _site_in_country(cls, lon: float | None, info: ValidationInfo) -> float | None:
        """Both coordinates or neither, and a point on the licensed country's land
        (``chipgate.location.sites``): a swapped pair passed the ranges."""
        if "site_lat" not in info.data:  # site_lat failed: its own problem
            return lon
        lat = info.data["site_lat"]
        if (lat is None) != (lon is None):
            raise ValueError("give site_lat and site_lon together, or neither")
        country = info.data.get("licensed_country")
        if lat is None or lon is None or country is None:
            return lon
        from chipgate.location.sites import site_problem  # the geometry stack

        problem = site_problem(lat, lon, country)
        if problem is not None:
            raise ValueError(f"site_lat/site_lon: {problem}")
        return lon

    @field_validator("public_key")
    @classmethod
    def _key(cls, value: str) -> str:
        """Kept in one spelling (base64 of the 32 raw bytes), so that a key given
        twice is found twice however its base64 was written."""
        return encode_public_key(decode_public_key(value))

    @field_validator("model")
    @classmethod
    def _catalog_model(cls, value: str) -> str:
        """A model the catalog cannot resolve cannot be classified or counted."""
        catalog = default_catalog()
        item = catalog.lookup(value)
        if item is None:
            hint = ", ".join(catalog.nearest(value))
            raise ValueError(
                f"chip model {value!r} is not in the chip catalog"
                + (f" (did you mean: {hint}?)" if hint else "")
            )
        if item.is_system:
            raise ValueError(
                f"{item.name} is a system of {item.chips_per_unit} chips: register "
                "each chip it holds, by the chip's model"
            )
        return item.name


def owner_key(name: str) -> str:
    """Owner names compared ignoring case, spaces and punctuation.

    >>> owner_key("Acme  Compute, Inc.")
    'acmecomputeinc'
    """
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def read_chip_file(path: Path) -> list[ChipEntry]:
    """Parse a CSV (with a header) or JSONL file of chips, reporting every problem.

    Raises:
        InputError: with one problem per bad line and field.
    """
    rows: list[tuple[int, object]] = []
    problems: list[Problem] = []
    if path.suffix.lower() in {".jsonl", ".json", ".ndjson"}:
        for number, line in enumerate(utf8_lines(path), start=1):
            if not line.strip():
                continue
            try:
                rows.append((number, orjson.loads(line)))
            except orjson.JSONDecodeError as exc:
                problems.append(Problem(f"not valid JSON: {exc}", str(path), number))
    else:
        # split as an order book is (strict quoting, UTF-8 checked line by line,
        # each record at the line it starts on); text past the header's cells is
        # a problem of its line, not dropped
        header = csv_header(path)
        unique_header(header, path)
        for number, cells in csv_cells(path):
            if (problem := past_header(cells, len(header))) is not None:
                problems.append(Problem(problem, str(path), number))
                continue
            row = dict(zip(header, cells, strict=False))
            rows.append((number, {k: (v or None) for k, v in row.items() if k}))
    chips: list[ChipEntry] = []
    for number, raw in rows:
        try:
            chips.append(ChipEntry.model_validate(raw))
        except ValidationError as exc:
            problems.extend(validation_problems(exc, path, number))
    if problems:
        raise InputError(problems)
    if not chips:
        raise InputError.single("no chips in file", source=path)
    return chips


class FleetRegistry:
    """Registry operations over one store engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        ensure_current(engine)  # the store's migrations, the location branch included

    def register(self, chips: Sequence[ChipEntry], *, replace: bool = False) -> int:
        """Add chips in one transaction; an existing id is an error unless ``replace``.

        Raises:
            StoreError: a chip id is already registered (and ``replace`` is False),
                or appears twice in ``chips``.
            InputError: a device key is given to two chips, or is registered for
                another chip already (both chips named).
        """
        ids = [c.chip_id for c in chips]
        dupes = (
            {i for i in ids if ids.count(i) > 1} if len(set(ids)) != len(ids) else set()
        )
        if dupes:
            raise StoreError(f"chip id(s) given twice: {', '.join(sorted(dupes)[:5])}")
        now = datetime.now(UTC)
        with Session(self.engine) as session, session.begin():
            existing = set(
                session.scalars(
                    select(FleetChip.chip_id).where(FleetChip.chip_id.in_(ids))
                )
            )
            if existing and not replace:
                raise StoreError(
                    f"{len(existing)} chip(s) already registered, e.g. "
                    f"{sorted(existing)[0]}; use --replace to update them"
                )
            shared = _shared_keys(session, chips)
            if shared:
                raise InputError(shared)
            for chip in chips:
                session.merge(_row(chip, now))
        return len(chips)

    def chips(self, ids: Iterable[str] | None = None) -> dict[str, FleetChip]:
        """Registered chips by id (all of them when ``ids`` is None)."""
        with Session(self.engine) as session:
            if ids is None:
                rows = list(session.scalars(select(FleetChip)))
            else:
                wanted = sorted(set(ids))
                rows = []
                for start in range(0, len(wanted), _ID_BATCH):
                    chunk = wanted[start : start + _ID_BATCH]
                    rows.extend(
                        session.scalars(
                            select(FleetChip).where(FleetChip.chip_id.in_(chunk))
                        )
                    )
            session.expunge_all()
        return {row.chip_id: row for row in sorted(rows, key=lambda r: r.chip_id)}


def shared_with(engine: Engine, ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The chips of ``ids`` whose device key is stored for other chips too, each with
    those chips (sorted). Registration refuses a new share, but a store may hold
    one from before (migrations ``8e3f4a9c1d27``, ``b7d2e9f4a610``): verification
    flags it, since the other device could have signed the chip's records."""
    other = aliased(FleetChip)
    wanted = sorted(set(ids))
    found: dict[str, list[str]] = {}
    with Session(engine) as session:
        for start in range(0, len(wanted), _ID_BATCH):
            rows = session.execute(
                select(FleetChip.chip_id, other.chip_id)
                .join(other, other.public_key == FleetChip.public_key)
                .where(
                    FleetChip.chip_id.in_(wanted[start : start + _ID_BATCH]),
                    other.chip_id != FleetChip.chip_id,
                )
            ).all()
            for mine, theirs in rows:
                found.setdefault(str(mine), []).append(str(theirs))
    return {chip: tuple(sorted(others)) for chip, others in sorted(found.items())}


def _shared_keys(session: Session, chips: Sequence[ChipEntry]) -> list[Problem]:
    """Device keys that would belong to two chips: one key proves one chip's
    records, and a key shared would let one device answer for another chip.

    A chip of ``chips`` that is registered already gives up its stored key (it is
    being replaced), so two chips may swap keys in one registration.
    """
    problems: list[Problem] = []
    holder: dict[str, str] = {}
    for chip in chips:
        first = holder.setdefault(chip.public_key, chip.chip_id)
        if first != chip.chip_id:
            problems.append(
                Problem(
                    f"chips {first} and {chip.chip_id} are given the same device "
                    f"public key {chip.public_key}",
                    field="public_key",
                )
            )
    keys = sorted(holder)
    given = {chip.chip_id for chip in chips}
    for start in range(0, len(keys), _ID_BATCH):
        stored = session.execute(
            select(FleetChip.chip_id, FleetChip.public_key).where(
                FleetChip.public_key.in_(keys[start : start + _ID_BATCH])
            )
        ).all()
        for chip_id, key in sorted(stored):
            if chip_id in given:
                continue
            problems.append(
                Problem(
                    f"chip {holder[key]}: its device public key {key} is already "
                    f"registered for chip {chip_id}",
                    field="public_key",
                )
            )
    return problems


def _row(chip: ChipEntry, now: datetime) -> FleetChip:
    return FleetChip(
        chip_id=chip.chip_id,
        model=chip.model,
        public_key=chip.public_key,
        owner=chip.owner,
        owner_key=owner_key(chip.owner),
        licensed_country=chip.licensed_country,
        licensed_site=chip.licensed_site,
        site_lat=chip.site_lat,
        site_lon=chip.site_lon,
        license_ref=chip.license_ref,
        registered_at=now,
    )
