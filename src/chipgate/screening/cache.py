"""The screening index on disk, in a format that holds data and can never run code.

The cache is MessagePack holding plain values only: numbers, strings, byte strings and
arrays. Reading it cannot import a module, call a function named by the file or build
an object array, so a planted cache can at worst be wrong, and it is checked before
use: the header names the SHA-256 of every list file the index was built from (the
caller, ``provider``, refuses a cache whose header or index disagrees with the files
it is asked for) and the SHA-256 and size of the body, so a damaged or cut file is
refused, never read wrong.

The body is laid out by column, so that it is read in one call of the MessagePack
reader and a few bulk steps, not object by object (the index holds some 900,000
values; read one at a time through a reader hook they took most of the start-up):

- a list of dataclass instances of one class (the entries, the normalized names) is
  one column per field, each rebuilt as a whole; the instances of a slotted class
  are made by setting each slot from its column (``_instances``);
- a dict is its keys and its values, two columns joined by ``zip``;
- a column of NumPy arrays of one dtype (the postings) is one array and the lengths
  of its parts, read in one copy and cut into views;
- a column of strings that repeat (an entry's list name and source URL) is its
  distinct values and an index into them per row; a column of dicts with few sets
  of keys (the entries' source rows) is those key sets, one per row, and a column
  of all their values end to end (itself a column of repeats: 92,000 distinct
  values of 247,000);
- a column of other plain values (strings, numbers, tuples or dicts of them) is
  read as it stands by MessagePack.

Every value in the body is a node ``(tag, ...)`` (the tags below); the only classes
it can name are the dataclasses and enums of ``chipgate.screening`` already loaded,
and their fields must be those the file was written with.

Layout: ``MAGIC``, the header length (8 bytes, big-endian), the header (a map:
format, key, files, body size and SHA-256), then the body: the classes named (module,
name, fields) and the node of the index.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import sys
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from itertools import accumulate
from types import MemberDescriptorType
from typing import Any

import msgpack
import numpy as np

from chipgate.errors import InputError

MAGIC = b"CHIPGATE-SCREENING-INDEX\x00"
FORMAT = 2
_MODULE_PREFIX = "chipgate.screening"

# Node tags. A value: a plain scalar, a NumPy array, an enum member, a set, a
# dataclass instance, a list, a tuple, a dict. A column (a sequence of values read as
# one): plain scalars, tuples of scalars, lists of scalars, dicts of scalars, NumPy
# arrays of one dtype, instances of one dataclass, anything else value by value.
(_SCALAR, _ARRAY, _ENUM, _SET, _OBJECT, _LIST, _TUPLE, _DICT) = range(8)
(
    _C_SCALARS,
    _C_TUPLES,
    _C_LISTS,
    _C_DICTS,
    _C_ARRAYS,
    _C_OBJECTS,
    _C_VALUES,
    _C_REPEATED,
    _C_RECORDS,
) = range(10, 19)
# A column of strings that repeat (an entry's list name, the values of its source
# row) is written as its distinct values and an index into them per row, when that
# at least halves the values to read.
_REPEATS = 2

_SCALARS = (type(None), bool, int, float, str, bytes)


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


def _is_scalar(value: object) -> bool:
    # exact types: an IntEnum or a str subclass is not written as a plain value
    return type(value) in _SCALARS


def _all_scalars(values: Sequence[object]) -> bool:
    return all(type(v) in _SCALARS for v in values)


class _Encoder:
    """Turns a value into nodes, numbering the dataclasses it meets."""

    def __init__(self) -> None:
        self.codes: dict[type, int] = {}
        self.classes: list[tuple[str, tuple[str, ...]]] = []

    def code(self, cls: type) -> int:
        found = self.codes.get(cls)
        if found is None:
            found = self.codes[cls] = len(self.classes)
            names = tuple(f.name for f in dataclasses.fields(cls))
            self.classes.append((_qualified(cls), names))
        return found

    def value(self, obj: object) -> tuple[Any, ...]:
        if _is_scalar(obj):
            return (_SCALAR, obj)
        if isinstance(obj, np.ndarray):
            if obj.dtype.hasobject:
                raise TypeError("object arrays are not cached")
            data = np.ascontiguousarray(obj).tobytes()
            return (_ARRAY, obj.dtype.str, obj.shape, data)
        if isinstance(obj, enum.Enum):
            self._allowed(type(obj))
            return (_ENUM, _qualified(type(obj)), self.value(obj.value))
        if isinstance(obj, set | frozenset):
            return (_SET, self.column(sorted(obj, key=repr)))
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            cls = type(obj)
            self._allowed(cls)
            names = self.classes[self.code(cls)][1]
            fields = tuple(self.value(getattr(obj, n)) for n in names)
            return (_OBJECT, self.code(cls), fields)
        if type(obj) is list:
            return (_LIST, self.column(obj))
        if type(obj) is tuple:
            return (_TUPLE, self.column(obj))
        if isinstance(obj, dict):  # a defaultdict too, read back as a dict
            return (_DICT, self.column(list(obj)), self.column(list(obj.values())))
        raise TypeError(f"cannot cache a {type(obj).__name__}")

    def column(self, items: Sequence[Any]) -> tuple[Any, ...]:
        kinds = {type(v) for v in items}
        if all(k in _SCALARS for k in kinds):
            if kinds <= {str, type(None)}:
                table = dict.fromkeys(items)
                if len(table) * _REPEATS <= len(items):
                    at = {v: i for i, v in enumerate(table)}
                    ids = np.asarray([at[v] for v in items], dtype="<u4")
                    return (_C_REPEATED, tuple(table), ids.tobytes())
            return (_C_SCALARS, tuple(items))
        if len(kinds) == 1:
            kind = next(iter(kinds))
            if kind is tuple and all(_all_scalars(v) for v in items):
                return (_C_TUPLES, tuple(items))
            if kind is list and all(_all_scalars(v) for v in items):
                return (_C_LISTS, tuple(items))
            if kind is dict and all(
                _all_scalars(list(v)) and _all_scalars(list(v.values())) for v in items
            ):
                keysets = dict.fromkeys(tuple(v) for v in items)
                if len(keysets) * _REPEATS > len(items):
                    return (_C_DICTS, tuple(items))
                at = {k: i for i, k in enumerate(keysets)}
                ids = np.asarray([at[tuple(v)] for v in items], dtype="<u4")
                values = self.column([x for v in items for x in v.values()])
                return (_C_RECORDS, tuple(keysets), ids.tobytes(), values)
            if kind is np.ndarray:
                dtypes = {v.dtype.str for v in items}
                if len(dtypes) == 1 and all(v.ndim == 1 for v in items):
                    if items[0].dtype.hasobject:
                        raise TypeError("object arrays are not cached")
                    sizes = np.asarray([len(v) for v in items], dtype="<i8")
                    data = np.concatenate(items).tobytes()
                    return (_C_ARRAYS, items[0].dtype.str, sizes.tobytes(), data)
            if dataclasses.is_dataclass(kind):
                self._allowed(kind)
                code = self.code(kind)
                names = self.classes[code][1]
                columns = tuple(
                    self.column([getattr(v, n) for v in items]) for n in names
                )
                return (_C_OBJECTS, code, len(items), columns)
        return (_C_VALUES, tuple(self.value(v) for v in items))

    @staticmethod
    def _allowed(cls: type) -> None:
        if _allowed_class(_qualified(cls)) is not cls:
            raise TypeError(f"{_qualified(cls)} is not a screening class")


def encode(value: object, header: Mapping[str, Any]) -> bytes:
    """The cache bytes of ``value`` (an index) with ``header`` in front."""
    encoder = _Encoder()
    node = encoder.value(value)
    body: bytes = msgpack.packb((tuple(encoder.classes), node))
    head: bytes = msgpack.packb(
        {
            **header,
            "format": FORMAT,
            "body_size": len(body),
            "body_sha256": hashlib.sha256(body).hexdigest(),
        }
    )
    return MAGIC + len(head).to_bytes(8, "big") + head + body


def _header_end(data: bytes) -> int:
    start = len(MAGIC) + 8
    return start + int.from_bytes(data[len(MAGIC) : start], "big")


def read_header(data: bytes) -> dict[str, Any]:
    """The header of a cache file.

    Raises:
        CacheError: not a cache file of this format.
    """
    if not data.startswith(MAGIC):
        raise CacheError.single("not a chipgate screening index")
    try:
        header = msgpack.unpackb(data[len(MAGIC) + 8 : _header_end(data)])
    except (ValueError, msgpack.UnpackException) as exc:
        raise CacheError.single(f"unreadable index header: {exc}") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise CacheError.single("index of another format")
    return header


# A class named by the file: how to make an instance from its field values in order.
_Maker = Callable[..., object]


def _makers(classes: Any) -> list[tuple[type, _Maker]]:
    """The classes a body names, each with a function making an instance of it."""
    makers: list[tuple[type, _Maker]] = []
    for name, names in classes:
        cls = _allowed_class(name)
        if not dataclasses.is_dataclass(cls):
            raise CacheError.single(f"class {name!r} is not a dataclass")
        fields = dataclasses.fields(cls)
        if tuple(f.name for f in fields) != tuple(names):
            raise CacheError.single(f"fields of {name!r} changed since the cache")
        if all(f.init and not f.kw_only for f in fields):
            # positional, in field order: the dataclass's own __init__ as is
            makers.append((cls, cls))
            continue

        def make(
            *values: object, cls: type = cls, fields: tuple[Any, ...] = fields
        ) -> object:
            obj = cls(
                **{f.name: v for f, v in zip(fields, values, strict=True) if f.init}
            )
            for f, v in zip(fields, values, strict=True):
                if not f.init:
                    object.__setattr__(obj, f.name, v)
            return obj

        makers.append((cls, make))
    return makers


class _Decoder:
    """Rebuilds values from nodes (the body already read by MessagePack)."""

    def __init__(self, classes: Any) -> None:
        self.classes = classes
        self.makers = _makers(classes)

    def maker(self, code: int, fields: int) -> _Maker:
        cls, make = self.makers[code]
        if not dataclasses.is_dataclass(cls) or len(self.classes[code][1]) != fields:
            raise CacheError.single("a cached object has the wrong field count")
        return make

    def value(self, node: tuple[Any, ...]) -> Any:
        tag = node[0]
        if tag == _SCALAR:
            return node[1]
        if tag == _ARRAY:
            dtype = _dtype(node[1])
            return np.frombuffer(node[3], dtype=dtype).reshape(node[2]).copy()
        if tag == _ENUM:
            cls = _allowed_class(node[1])
            if not issubclass(cls, enum.Enum):
                raise CacheError.single(f"{node[1]!r} is not an enum")
            return cls(self.value(node[2]))
        if tag == _SET:
            return frozenset(self.column(node[1]))
        if tag == _OBJECT:
            fields = node[2]
            return self.maker(node[1], len(fields))(*map(self.value, fields))
        if tag == _LIST:
            return list(self.column(node[1]))
        if tag == _TUPLE:
            return tuple(self.column(node[1]))
        if tag == _DICT:
            keys, values = self.column(node[1]), self.column(node[2])
            if len(keys) != len(values):
                raise CacheError.single("a cached map has keys and values apart")
            return dict(zip(keys, values, strict=True))
        raise CacheError.single(f"unknown tag {tag}")

    def column(self, node: tuple[Any, ...]) -> Sequence[Any]:
        tag = node[0]
        if tag in (_C_SCALARS, _C_TUPLES, _C_DICTS):
            # as MessagePack read them (arrays as tuples, maps as dicts)
            items: Sequence[Any] = node[1]
            return items
        if tag == _C_LISTS:
            return [list(v) for v in node[1]]
        if tag == _C_REPEATED:
            table: tuple[Any, ...] = node[1]
            return list(map(table.__getitem__, _ids(node[2])))
        if tag == _C_RECORDS:
            return _records(node[1], _ids(node[2]), self.column(node[3]))
        if tag == _C_ARRAYS:
            return _arrays(_dtype(node[1]), node[2], node[3])
        if tag == _C_OBJECTS:
            make = self.maker(node[1], len(node[3]))
            columns = [self.column(c) for c in node[3]]
            if any(len(c) != node[2] for c in columns):
                raise CacheError.single("a cached column has the wrong length")
            return _instances(self.makers[node[1]][0], make, columns)
        if tag == _C_VALUES:
            return [self.value(v) for v in node[1]]
        raise CacheError.single(f"unknown tag {tag}")


def _slots(cls: type) -> list[Any] | None:
    """The slot descriptors of ``cls``'s fields, in field order, if an instance is
    made by setting them alone: a dataclass whose fields are its slots, all set by
    its ``__init__``, and no ``__post_init__``. Else None."""
    fields = dataclasses.fields(cls)
    if (
        getattr(cls, "__slots__", None) != tuple(f.name for f in fields)
        or hasattr(cls, "__post_init__")
        or not all(f.init and not f.kw_only for f in fields)
    ):
        return None
    slots = [cls.__dict__.get(f.name) for f in fields]
    if not all(isinstance(s, MemberDescriptorType) for s in slots):
        return None
    return slots


def _instances(cls: type, make: _Maker, columns: list[Sequence[Any]]) -> list[Any]:
    """One instance of ``cls`` per row of ``columns`` (one column per field).

    A slotted dataclass (the entries, the normalized names) is made by setting its
    slots column by column, which runs in C, half the time of calling ``__init__``
    per row; the first row is made both ways and must agree, else (an ``__init__``
    that changes its values) every row is made by ``make``.
    """
    slots = _slots(cls) if columns and columns[0] else None
    if slots is None:
        return list(map(make, *columns))
    new = object.__new__
    made: list[Any] = [new(cls) for _ in columns[0]]
    for slot, column in zip(slots, columns, strict=True):
        deque(map(slot.__set__, made, column), maxlen=0)
    first = make(*(column[0] for column in columns))
    if any(slot.__get__(first) is not slot.__get__(made[0]) for slot in slots):
        return list(map(make, *columns))
    return made


def _ids(data: bytes) -> list[int]:
    ids: list[int] = np.frombuffer(data, dtype="<u4").tolist()
    return ids


def _records(
    keysets: tuple[tuple[Any, ...], ...], ids: list[int], values: Sequence[Any]
) -> list[dict[Any, Any]]:
    """Dicts whose keys are ``keysets[i]`` for each ``i`` of ``ids``, their values
    ``values`` end to end (made in C: no Python line runs per dict)."""
    rows = list(map(keysets.__getitem__, ids))
    ends = list(accumulate(map(len, rows)))
    if (ends[-1] if ends else 0) != len(values):
        raise CacheError.single("cached records do not match their values")
    parts = map(values.__getitem__, map(slice, [0, *ends[:-1]], ends))
    return list(map(dict, map(zip, rows, parts)))


def _dtype(name: str) -> np.dtype[Any]:
    dtype = np.dtype(name)
    if dtype.hasobject:
        raise CacheError.single("object arrays are refused")
    return dtype


def _arrays(
    dtype: np.dtype[Any], sizes: bytes, data: bytes
) -> list[np.ndarray[Any, Any]]:
    """Arrays stored end to end: one copy of the whole, cut into views."""
    lengths = np.frombuffer(sizes, dtype="<i8")
    whole = np.frombuffer(data, dtype=dtype).copy()
    if int(lengths.sum()) != len(whole) or (lengths < 0).any():
        raise CacheError.single("cached arrays do not fill their buffer")
    ends = np.cumsum(lengths).tolist()
    return [whole[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]


def decode(data: bytes) -> tuple[dict[str, Any], object]:
    """The header and the value of a cache file.

    Raises:
        CacheError: the bytes are not a well-formed, undamaged cache (never
            anything else).
    """
    header = read_header(data)
    body = memoryview(data)[_header_end(data) :]
    if len(body) != header.get("body_size") or (
        hashlib.sha256(body).hexdigest() != header.get("body_sha256")
    ):
        raise CacheError.single("the index is damaged (its checksum does not match)")
    try:
        classes, node = msgpack.unpackb(body, use_list=False, strict_map_key=False)
        return header, _Decoder(classes).value(node)
    except CacheError:
        raise
    except (
        ValueError,
        TypeError,
        IndexError,
        KeyError,
        msgpack.UnpackException,
    ) as exc:
        raise CacheError.single(f"malformed index: {exc}") from None


__all__ = ["MAGIC", "CacheError", "decode", "encode", "read_header"]
