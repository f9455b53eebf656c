"""Loading with the disk cache, and atomic list updates that survive bad files."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from chipgate.errors import InputError
from chipgate.screening import __all__ as public_names
from chipgate.screening import provider
from chipgate.screening.download import fetch, sha256_file
from chipgate.screening.provider import (
    active_lists_dir,
    cache_key,
    load_index,
    load_screener,
    update_lists,
)
from chipgate.settings import Settings

from .conftest import FIXTURE_LISTS, FIXTURES


def test_public_api_is_sorted_and_importable() -> None:
    import chipgate.screening as package

    assert list(public_names) == sorted(public_names)
    for name in public_names:
        assert hasattr(package, name)


def test_index_is_cached_by_list_hashes(tmp_path: Path) -> None:
    first = load_index(FIXTURE_LISTS, tmp_path)
    cached = list((tmp_path / "screening").glob("index-*"))
    assert [p.name for p in cached] == [f"index-{cache_key(FIXTURE_LISTS)}.msgpack"]
    second = load_index(FIXTURE_LISTS, tmp_path)
    assert second.name_text == first.name_text
    assert [i.sha256 for i in second.infos] == [i.sha256 for i in first.infos]


def test_cache_key_changes_with_the_files(tmp_path: Path) -> None:
    copy = tmp_path / "lists"
    shutil.copytree(FIXTURE_LISTS, copy)
    before = cache_key(copy)
    with (copy / "bis" / "dpl.txt").open("a", encoding="utf-8") as fh:
        fh.write('"NEW PERSON"\t""\t""\t""\t"US"\t""\t""\t""\t""\t""\t""\t""\n')
    assert cache_key(copy) != before


def test_cache_key_covers_every_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    # a fix to a loader alone (how a DPL name is split) must rebuild the index;
    # the hand-kept list of hashed modules missed screening/sources/
    read: list[str] = []
    real = Path.read_bytes

    def reading(path: Path) -> bytes:
        read.append(path.as_posix())
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", reading)
    provider._code_digest.__wrapped__()
    for loader in (
        "screening/sources/csl.py",
        "screening/sources/dpl.py",
        "screening/companies.py",
        "countries/registry.py",  # the loaders' ISO codes
        "chipgate/dates.py",
    ):
        assert any(name.endswith(f"/{loader}") for name in read), loader


def test_load_screener_uses_settings(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        lists_dir=FIXTURE_LISTS,
        screening_threshold=0.95,
        screening_review_threshold=0.85,
    )
    screener = load_screener(settings)
    assert screener.threshold == 0.95
    assert screener.review_threshold == 0.85
    assert screener.screen("Acme Rocket Works")[0].entry_id == "101"


def test_missing_lists_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="CHIPGATE_LISTS_DIR"):
        active_lists_dir(tmp_path, tmp_path / "nowhere")


def test_update_from_folder_then_bad_update_keeps_the_previous_lists(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    update_lists(data, str(FIXTURE_LISTS))
    active = active_lists_dir(data, None)
    assert (active / "csl" / "consolidated-2022.csv").is_file()
    assert sha256_file(active / "bis" / "dpl.txt") == sha256_file(
        FIXTURE_LISTS / "bis" / "dpl.txt"
    )

    broken = tmp_path / "broken"
    shutil.copytree(FIXTURE_LISTS, broken)
    shutil.copyfile(
        FIXTURES / "malformed" / "ofac-wrong-columns" / "sdn.csv",
        broken / "ofac" / "sdn.csv",
    )
    with pytest.raises(InputError) as caught:
        update_lists(data, str(broken))
    assert caught.value.problems[0].source == str(broken / "ofac" / "sdn.csv")
    assert caught.value.problems[0].line == 2
    assert active_lists_dir(data, None) == active
    assert not list((data / "screening").glob(".staging-*"))
    settings = Settings(data_dir=data, lists_dir=None)
    assert load_screener(settings).screen("Acme Rocket Works")


def test_update_from_file_url_names_the_url_on_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    update_lists(data, FIXTURE_LISTS.as_uri())
    assert {i.source for i in load_index(active_lists_dir(data, None), data).infos} >= {
        "csl",
        "un",
    }
    broken = tmp_path / "broken"
    shutil.copytree(FIXTURE_LISTS, broken)
    (broken / "un" / "consolidated.xml").write_bytes(
        (FIXTURES / "malformed" / "un-broken.xml").read_bytes()
    )
    with pytest.raises(InputError) as caught:
        update_lists(data, broken.as_uri())
    assert caught.value.problems[0].source == f"{broken.as_uri()}/un/consolidated.xml"


def test_fetch_hashes_while_streaming(tmp_path: Path) -> None:
    source = FIXTURE_LISTS / "un" / "consolidated.xml"
    digest = fetch(source.as_uri(), tmp_path / "copy.xml")
    assert digest == sha256_file(source)
    with pytest.raises(InputError, match="cannot read"):
        fetch((tmp_path / "absent.xml").as_uri(), tmp_path / "x.xml")
    assert not (tmp_path / "x.xml").exists()


def test_fetch_over_http_streams_and_hashes(
    tmp_path: Path, http_server: Callable[[int, bytes], None]
) -> None:
    body = b"x" * 200_000
    http_server(200, body)
    digest = fetch("https://lists.example.test/sdn.csv", tmp_path / "sdn.csv")
    assert (tmp_path / "sdn.csv").read_bytes() == body
    assert digest == hashlib.sha256(body).hexdigest()


def test_fetch_http_error_is_an_input_error(
    tmp_path: Path, http_server: Callable[[int, bytes], None]
) -> None:
    http_server(404, b"")
    with pytest.raises(InputError, match="download failed"):
        fetch("https://lists.example.test/missing.csv", tmp_path / "m.csv")
    assert not (tmp_path / "m.csv").exists()
