"""Reading the files verification needs, with errors that say what and where."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import orjson
import yaml

from chipgate.errors import InputError
from chipgate.location.calibration import Bound, calibration_from_json
from chipgate.location.protocol import decode_public_key


def read_record_lines(path: Path) -> list[bytes]:
    """The lines of a JSONL records file, unparsed (workers parse them); blank lines
    stay, so that line numbers in problems are the file's.

    Raises:
        InputError: the file cannot be read or holds no line at all.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError.single(
            f"cannot read records: {exc.strerror}", source=path
        ) from exc
    lines = data.splitlines()
    if not any(line.strip() for line in lines):
        raise InputError.single("no records in file (expected JSON lines)", source=path)
    return lines


def named_keys(lines: Sequence[bytes]) -> tuple[set[str], list[tuple[str, str]]]:
    """Chip ids and (landmark, nonce) pairs the lines name, for the store lookups
    that must come before checking; lines that do not parse are left to the checks.
    """
    chips: set[str] = set()
    pairs: list[tuple[str, str]] = []
    for line in lines:
        if not line.strip():
            continue
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if not isinstance(data, dict):
            continue
        chip, landmark, nonce = (
            data.get(k) for k in ("chip_id", "landmark_id", "nonce")
        )
        if isinstance(chip, str):
            chips.add(chip)
        if isinstance(landmark, str) and isinstance(nonce, str):
            pairs.append((landmark, nonce))
    return chips, pairs


def _mapping(path: Path) -> dict[str, object]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError.single(f"cannot read: {exc.strerror}", source=path) from exc
    try:
        raw = orjson.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (orjson.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputError.single(f"not valid JSON/YAML: {exc}", source=path) from exc
    if not isinstance(raw, dict):
        raise InputError.single(
            "expected a mapping of landmark id to value", source=path
        )
    return {str(k): v for k, v in raw.items()}


def read_landmark_keys(path: Path) -> dict[str, str]:
    """Landmark id → base64 Ed25519 public key.

    Raises:
        InputError: a key is not a valid Ed25519 public key.
    """
    keys: dict[str, str] = {}
    for lid, value in _mapping(path).items():
        try:
            decode_public_key(str(value))
        except ValueError as exc:
            raise InputError.single(str(exc), source=path, field=lid) from exc
        keys[lid] = str(value)
    return keys


def read_calibration(path: Path) -> dict[str, Bound]:
    """Per-landmark bounds (efficiency bounds as ``export-sample`` writes them, or
    bestlines of earlier versions).

    Raises:
        InputError: an entry is missing a number or bounds beyond physics.
    """
    raw = _mapping(path)
    try:
        return calibration_from_json(
            {lid: dict(v) for lid, v in raw.items() if isinstance(v, dict)}
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError.single(f"bad calibration entry: {exc}", source=path) from exc
