"""The index cache gives back the index it was given, and refuses a damaged file.

A cache read back must be the index built fresh, value for value and type for type
(a list stays a list, an array keeps its dtype); a file with a byte changed, cut
short, of another format, or naming a class outside the package is refused, and
``load_index`` rebuilds it with a note that says why.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import msgpack
import numpy as np
import pytest

from chipgate.screening.cache import MAGIC, CacheError, decode, encode
from chipgate.screening.index import ScreeningIndex, build_index
from chipgate.screening.model import ListEntry
from chipgate.screening.provider import (
    cache_key,
    cache_name,
    list_hashes,
    load_index,
    read_lists,
)

from .conftest import FIXTURE_LISTS


def _differences(a: object, b: object, where: str = "index") -> list[str]:
    """Where ``a`` and ``b`` differ, in value or in type (empty: the same)."""
    if type(a) is not type(b):
        return [f"{where}: {type(a).__name__} against {type(b).__name__}"]
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray)
        same = a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)
        return [] if same else [f"{where}: arrays differ"]
    if isinstance(a, dict):
        assert isinstance(b, dict)
        if list(a) != list(b):
            return [f"{where}: keys differ"]
        return [d for k in a for d in _differences(a[k], b[k], f"{where}[{k!r}]")]
    if isinstance(a, list | tuple):
        assert isinstance(b, list | tuple)
        if len(a) != len(b):
            return [f"{where}: {len(a)} items against {len(b)}"]
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in _differences(x, y, f"{where}[{i}]")
        ]
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return [
            d
            for f in dataclasses.fields(a)
            for d in _differences(
                getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}"
            )
        ]
    return [] if a == b else [f"{where}: {a!r} against {b!r}"]


def _fresh() -> ScreeningIndex:
    loaded = read_lists(FIXTURE_LISTS)
    return build_index(loaded.infos, loaded.entries)


def _header() -> dict[str, object]:
    return {"key": cache_key(FIXTURE_LISTS), "files": list_hashes(FIXTURE_LISTS)}


def test_differences_sees_a_list_read_back_as_a_tuple() -> None:
    index = _fresh()
    changed = dataclasses.replace(index, vocabulary=tuple(index.vocabulary))
    assert _differences(changed, index) == ["index.vocabulary: tuple against list"]


def test_a_cache_read_back_is_the_index_built_fresh(tmp_path: Path) -> None:
    written = load_index(FIXTURE_LISTS, tmp_path)
    notes: list[str] = []
    cached = load_index(FIXTURE_LISTS, tmp_path, notes)
    assert notes == []
    assert cached is not written
    assert _differences(cached, _fresh()) == []


def test_the_real_lists_round_trip(real_index: ScreeningIndex) -> None:
    header, value = decode(encode(real_index, {"key": "k", "files": {}}))
    assert header["key"] == "k"
    assert _differences(value, real_index) == []
    assert isinstance(value, ScreeningIndex)
    # the rebuilt postings are usable arrays, as those of a fresh build
    word = next(iter(value.postings))
    assert value.postings[word].flags.c_contiguous
    assert value.postings[word].dtype == np.int32


def _cache_file(tmp_path: Path) -> Path:
    load_index(FIXTURE_LISTS, tmp_path)
    return tmp_path / "screening" / cache_name(cache_key(FIXTURE_LISTS))


def test_a_changed_byte_is_refused_and_the_index_rebuilt(tmp_path: Path) -> None:
    path = _cache_file(tmp_path)
    data = bytearray(path.read_bytes())
    # one letter of a listed name: read without a check, the name would be wrong
    name = _fresh().name_text[0].encode()
    at = data.index(name, len(MAGIC))
    data[at] ^= 0x20
    path.write_bytes(bytes(data))
    with pytest.raises(CacheError, match="damaged"):
        decode(bytes(data))
    notes: list[str] = []
    index = load_index(FIXTURE_LISTS, tmp_path, notes)
    assert len(notes) == 1
    assert "rebuilt" in notes[0]
    assert "damaged" in notes[0]
    assert _differences(index, _fresh()) == []
    decode(path.read_bytes())  # written again, whole


def test_a_file_cut_short_is_refused(tmp_path: Path) -> None:
    data = _cache_file(tmp_path).read_bytes()
    for size in (len(data) - 1, len(data) // 2, len(MAGIC) + 4, 3):
        with pytest.raises(CacheError):
            decode(data[:size])


def test_a_cache_of_the_earlier_format_is_refused(tmp_path: Path) -> None:
    head = msgpack.packb({**_header(), "format": 1, "schemas": []})
    old = MAGIC + len(head).to_bytes(8, "big") + head + msgpack.packb(None)
    path = tmp_path / "screening" / cache_name(cache_key(FIXTURE_LISTS))
    path.parent.mkdir(parents=True)
    path.write_bytes(old)
    notes: list[str] = []
    index = load_index(FIXTURE_LISTS, tmp_path, notes)
    assert "another format" in notes[0]
    assert _differences(index, _fresh()) == []


def _with_body(body: bytes) -> bytes:
    """A cache file around ``body`` whose size and checksum are right."""
    head = msgpack.packb(
        {
            **_header(),
            "format": 2,
            "body_size": len(body),
            "body_sha256": hashlib.sha256(body).hexdigest(),
        }
    )
    return MAGIC + len(head).to_bytes(8, "big") + head + body


@pytest.mark.parametrize(
    ("classes", "message"),
    [
        ((("os:system", ("command",)),), "not a screening class"),
        ((("chipgate.screening.index:is_person", ()),), "not defined"),
        ((("chipgate.screening.model:ListEntry", ("source",)),), "fields of"),
    ],
)
def test_a_well_formed_body_naming_other_code_is_refused(
    classes: tuple[tuple[str, tuple[str, ...]], ...], message: str
) -> None:
    body = msgpack.packb((classes, (4, 0, ((0, "ls"),))))
    with pytest.raises(CacheError, match=message):
        decode(_with_body(body))


def test_columns_of_unequal_length_are_refused() -> None:
    entries = [ListEntry("t", "EL", "EL", str(i), f"Name {i}") for i in range(3)]
    data = encode(entries, {})
    classes, (tag, column) = msgpack.unpackb(_body_of(data), use_list=False)
    columns = list(column[3])
    ids = dataclasses.fields(ListEntry)[3]
    assert ids.name == "entry_id"
    columns[3] = (columns[3][0], columns[3][1][:2])  # the ids, one value short
    body = msgpack.packb((classes, (tag, (*column[:3], tuple(columns)))))
    with pytest.raises(CacheError, match="wrong length"):
        decode(_with_body(body))
    assert _differences(decode(data)[1], entries) == []


def _body_of(data: bytes) -> bytes:
    start = len(MAGIC) + 8
    return data[start + int.from_bytes(data[len(MAGIC) : start], "big") :]


def test_an_object_array_is_neither_written_nor_read() -> None:
    with pytest.raises(TypeError):
        encode(np.array(["a", None], dtype=object), {})
    body = msgpack.packb(((), (1, "|O", (1,), b"\0" * 8)))
    with pytest.raises(CacheError, match="object arrays"):
        decode(_with_body(body))


def test_values_of_every_shape_come_back_as_written() -> None:
    rows = [{"a": "x", "b": None}, {"a": "x", "b": "y"}, {}, {"a": "z", "b": "y"}] * 3
    value = {
        "repeated": ["EL", None, "EL", "SDN", None, "EL"],
        "records": rows,
        "odd records": [{"k": 1}, {"j": 2.5}],
        "tuples": [("a", "b"), (), ("c",)],
        "lists": [["a"], [], [1, 2]],
        "set": frozenset({"b", "a"}),
        "arrays": [np.arange(3, dtype=np.int32), np.zeros(0, dtype=np.int32)],
        "nested": ([1, (2, 3)], {"x": [("y",)]}),
        "empty": ([], (), {}),
        "scalars": (None, True, 0, -1, 2**40, 1.5, "s", b"b"),
    }
    header, back = decode(encode(value, {"key": "k"}))
    assert header["key"] == "k"
    assert _differences(back, value) == []


def test_a_record_column_of_the_wrong_size_is_refused() -> None:
    data = encode([{"a": "1"}, {"a": "2"}, {"a": "3"}, {"a": "4"}], {})
    classes, (tag, column) = msgpack.unpackb(_body_of(data), use_list=False)
    values = column[3]
    short = (column[0], column[1], column[2], (values[0], values[1][:3]))
    body = msgpack.packb((classes, (tag, short)))
    with pytest.raises(CacheError, match="records"):
        decode(_with_body(body))
