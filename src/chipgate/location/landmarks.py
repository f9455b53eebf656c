"""Landmark sites: measurement servers at known coordinates.

The shipped file ``data/landmarks.yaml`` lists servers in exchange-point cities on
every inhabited continent; a deployment may point ``Settings.location_landmarks_file``
at its own list in the same format.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chipgate.errors import InputError, Problem

LANDMARKS_FORMAT = "chipgate.location.landmarks/1"


class Landmark(BaseModel):
    """One landmark: a server whose position is known and trusted."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=64)
    city: str
    country: str = Field(pattern=r"^[A-Z]{2}$")
    continent: str
    lat: float = Field(ge=-90.0, le=90.0, strict=True, allow_inf_nan=False)
    lon: float = Field(ge=-180.0, le=180.0, strict=True, allow_inf_nan=False)
    geonameid: int | None = Field(default=None, strict=True)
    ixp: str = ""


class LandmarkFile(BaseModel):
    """The whole file: a format tag, its sources and the landmarks."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["chipgate.location.landmarks/1"]
    source: dict[str, str]
    landmarks: list[Landmark] = Field(min_length=1)


def load_landmarks(path: Path | None = None) -> tuple[Landmark, ...]:
    """Read and validate a landmark file (the shipped one when ``path`` is None).

    Raises:
        InputError: the file is not valid YAML, breaks the schema or repeats an id.
    """
    if path is None:
        return _shipped()
    return _parse(path.read_text(encoding="utf-8"), str(path))


@lru_cache(maxsize=1)
def _shipped() -> tuple[Landmark, ...]:
    """The shipped list, parsed once per process."""
    text = (resources.files("chipgate.location") / "data" / "landmarks.yaml").read_text(
        encoding="utf-8"
    )
    return _parse(text, "chipgate/location/data/landmarks.yaml")


def _parse(text: str, source: str) -> tuple[Landmark, ...]:
    try:
        raw = yaml.safe_load(text)
        parsed = LandmarkFile.model_validate(raw)
    except yaml.YAMLError as exc:
        raise InputError.single(f"not valid YAML: {exc}", source=source) from exc
    except ValidationError as exc:
        raise InputError(
            [
                Problem(err["msg"], source, None, ".".join(str(p) for p in err["loc"]))
                for err in exc.errors()
            ]
        ) from exc
    seen: set[str] = set()
    for landmark in parsed.landmarks:
        if landmark.id in seen:
            raise InputError.single(
                f"landmark id '{landmark.id}' appears twice", source=source, field="id"
            )
        seen.add(landmark.id)
    return tuple(parsed.landmarks)
