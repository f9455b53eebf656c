"""The screening index on disk, in a format that holds data and can never run code.

The cache is MessagePack: plain values, byte strings, arrays read back as tuples
(a list held by a dataclass field is tagged and read back as a list), and four more
tagged forms (set, NumPy array of a numeric dtype, and a dataclass or enum of a
``chipgate.screening`` module, rebuilt by its own constructor). Reading it cannot
import a module, call a function named by the file or build an object array, so a
planted cache can at worst be wrong, and it is checked before use: the header names
the SHA-256 of every list file the index was built from, and ``read_index`` refuses a
cache whose header, or whose index, disagrees with the files it is asked for.

Layout: ``MAGIC``, the header length (8 bytes, big-endian), the header (a map: format,
key, files, the dataclass schemas), then the body (the index).
"""

from __future__ import annotations

import dataclasses
import enum
import sys
from collections.abc import Callable, Mapping
from typing import Any

import msgpack
import numpy as np

from chipgate.errors import InputError

MAGIC = b"CHIPGATE-SCREENING-INDEX\x00"
FORMAT = 1
_LIST, _SET, _ARRAY, _OBJECT, _ENUM = 1, 2, 3, 4, 5
_MODULE_PREFIX = "chipgate.screening"


class CacheError(InputError):
    """A cache file that is not a well-formed index of the expected lists."""


def _qualified(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _allowed_class(name: str) -> type:
    """The class ``module:qualname`` names, only if already loaded from our package."""
    module_name, _, qualname = name.partition(":")
    if not (
        module_name == _MODULE_PREFIX or module_name.startswith(_MODULE_PREFIX + ".")
    ):
        raise CacheError.single(f"class {name!r} is not a screening class")
    found: Any = sys.modules.get(module_name)
    for part in qualname.split("."):
        found = getattr(found, part, None)
    if not isinstance(found, type):
        raise CacheError.single(f"class {name!r} is not defined")
    return found


def encode(value: object, header: Mapping[str, Any]) -> bytes:
    """The cache bytes of ``value`` (an index) with ``header`` in front."""
    schemas: dict[type, int] = {}
    schema_list: list[list[Any]] = []

    def default(obj: object) -> msgpack.ExtType:
        if isinstance(obj, set | frozenset):
            return msgpack.ExtType(_SET, pack(tuple(sorted(obj, key=repr))))
        if isinstance(obj, np.ndarray):
            if obj.dtype.hasobject:
                raise TypeError("object arrays are not cached")
            return msgpack.ExtType(
                _ARRAY,
                pack((obj.dtype.str, obj.shape, np.ascontiguousarray(obj).tobytes())),
            )
        if isinstance(obj, enum.Enum):
            return msgpack.ExtType(_ENUM, pack((_qualified(type(obj)), obj.value)))
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            cls = type(obj)
            code = schemas.get(cls)
            if code is None:
                code = schemas[cls] = len(schema_list)
                names = [f.name for f in dataclasses.fields(obj)]
                schema_list.append([_qualified(cls), tuple(names)])
            names = schema_list[code][1]
            values = (getattr(obj, n) for n in names)
            return msgpack.ExtType(
                _OBJECT, pack((code, *(keep_list(v) for v in values)))
            )
        raise TypeError(f"cannot cache a {type(obj).__name__}")

    def keep_list(value: object) -> object:
        if isinstance(value, list):
            return msgpack.ExtType(_LIST, pack(value))
        return value

    def pack(obj: object) -> bytes:
        packed: bytes = msgpack.packb(obj, default=default)
        return packed

    body = pack(value)
    head: bytes = msgpack.packb({**header, "format": FORMAT, "schemas": schema_list})
    return MAGIC + len(head).to_bytes(8, "big") + head + body


def read_header(data: bytes) -> dict[str, Any]:
    """The header of a cache file.

    Raises:
        CacheError: not a cache file of this format.
    """
    if not data.startswith(MAGIC):
        raise CacheError.single("not a chipgate screening index")
    start = len(MAGIC) + 8
    size = int.from_bytes(data[len(MAGIC) : start], "big")
    try:
        header = msgpack.unpackb(data[start : start + size])
    except (ValueError, msgpack.UnpackException) as exc:
        raise CacheError.single(f"unreadable index header: {exc}") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise CacheError.single("index of another format")
    return header


def _builders(schemas: Any) -> list[Callable[[tuple[Any, ...]], object]]:
    builders: list[Callable[[tuple[Any, ...]], object]] = []
    for name, names in schemas:
        cls = _allowed_class(name)
        if not dataclasses.is_dataclass(cls):
            raise CacheError.single(f"class {name!r} is not a dataclass")
        fields = {f.name: f for f in dataclasses.fields(cls)}
        if tuple(fields) != tuple(names):
            raise CacheError.single(f"fields of {name!r} changed since the cache")
        init = [f.init for f in fields.values()]

        def build(
            values: tuple[Any, ...],
            cls: type = cls,
            names: tuple[str, ...] = names,
            init: list[bool] = init,
        ) -> object:
            if len(values) != len(names):
                raise CacheError.single("a cached object has the wrong field count")
            if all(init):
                return cls(**dict(zip(names, values, strict=True)))
            obj = cls(
                **{n: v for n, v, i in zip(names, values, init, strict=True) if i}
            )
            for n, v, i in zip(names, values, init, strict=True):
                if not i:
                    object.__setattr__(obj, n, v)
            return obj

        builders.append(build)
    return builders


def decode(data: bytes) -> tuple[dict[str, Any], object]:
    """The header and the value of a cache file.

    Raises:
        CacheError: the bytes are not a well-formed cache (never anything else).
    """
    header = read_header(data)
    start = len(MAGIC) + 8
    size = int.from_bytes(data[len(MAGIC) : start], "big")
    builders = _builders(header.get("schemas") or [])

    def hook(code: int, payload: bytes) -> object:
        items = unpack(payload)
        if code == _LIST:
            return list(items)
        if code == _SET:
            return frozenset(items)
        if code == _ARRAY:
            dtype = np.dtype(items[0])
            if dtype.hasobject:
                raise CacheError.single("object arrays are refused")
            return np.frombuffer(items[2], dtype=dtype).reshape(items[1]).copy()
        if code == _ENUM:
            cls = _allowed_class(items[0])
            if not issubclass(cls, enum.Enum):
                raise CacheError.single(f"{items[0]!r} is not an enum")
            return cls(items[1])
        if code == _OBJECT:
            return builders[items[0]](items[1:])
        raise CacheError.single(f"unknown tag {code}")

    def unpack(payload: bytes) -> Any:
        return msgpack.unpackb(
            payload, ext_hook=hook, strict_map_key=False, use_list=False
        )

    try:
        return header, unpack(data[start + size :])
    except CacheError:
        raise
    except (ValueError, TypeError, IndexError, KeyError, msgpack.UnpackException) as exc:
        raise CacheError.single(f"malformed index: {exc}") from None


__all__ = ["MAGIC", "CacheError", "decode", "encode", "read_header"]
