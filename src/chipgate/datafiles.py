"""Loading of the YAML data files that hold the law: strict, located, cached.

Every rule parameter, country list and chip figure lives in a YAML file shipped with
the package. Loading is strict on purpose (the drift lesson of free-form parameter
trees): duplicate keys and unknown keys are errors that name the file, and dates stay
ISO strings until a pydantic model parses them.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from chipgate.errors import RuleDataError

ModelT = TypeVar("ModelT", bound=BaseModel)


_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML was built with it (every PyPI wheel is): the packs
are read at every start, and the pure-Python parser took about a second of it."""


class _StrictLoader(_SafeBase):  # type: ignore[misc,valid-type]
    """Safe loader that rejects duplicate keys and keeps timestamps as strings."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        if key in mapping:
            mark = key_node.start_mark
            raise RuleDataError(
                f"{mark.name}, line {mark.line + 1}: duplicate key {key!r}"
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)
# Dates are parsed by the pydantic models, so that a bad date names its field.
_StrictLoader.yaml_implicit_resolvers = {
    key: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag != "tag:yaml.org,2002:timestamp"
    ]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> Any:
    """Parse one YAML file strictly; errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleDataError(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - strict SafeLoader subclass
    except yaml.YAMLError as exc:
        raise RuleDataError(f"{path}: not valid YAML: {exc}") from exc


def load_model(path: Path, model: type[ModelT]) -> ModelT:
    """Parse a YAML file into ``model``; validation errors name file and field."""
    raw = read_yaml(path)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        details = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"
            for err in exc.errors()
        )
        raise RuleDataError(f"{path}: {details}") from exc


def package_path(*parts: str) -> Path:
    """Path of a data file shipped inside the ``chipgate`` package."""
    return Path(str(resources.files("chipgate").joinpath(*parts)))
