"""``chipgate location mesh check`` and ``chipgate location assess`` on the shared
real RTTs."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from chipgate.cli.app import app
from chipgate.location.realeval import landmark_candidates, measured_target
from chipgate.location.rttmesh import read_mesh


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "200")
    return CliRunner()


@pytest.fixture(scope="module")
def rtt(shared_data: Path) -> Path:
    return shared_data / "rtt"


def _targets(rtt: Path, path: Path, pairs: list[tuple[str, str]]) -> Path:
    """Measurement sets built from the shared mesh: server ``t`` licensed to the
    place of server ``s``, measured by its 20 chosen landmarks."""
    mesh = read_mesh(rtt / "servers.csv", rtt / "pings.csv")
    index = mesh.index()
    candidates = landmark_candidates(mesh, ())
    path.write_text(
        "".join(
            measured_target(mesh, candidates, index[t], index[s], 20).model_dump_json()
            + "\n"
            for t, s in pairs
        )
    )
    return path


@pytest.mark.slow
def test_mesh_check_names_the_misplaced_servers(
    runner: CliRunner, rtt: Path, tmp_path: Path
) -> None:
    out = tmp_path / "flags.jsonl"
    args = [
        "location",
        "mesh",
        "check",
        str(rtt / "pings.csv"),
        str(rtt / "servers.csv"),
    ]
    result = runner.invoke(app, [*args, "--format", "jsonl", "--output", str(out)])
    assert result.exit_code == 1, result.output  # flagged landmarks are findings
    flags = {r["id"]: r for r in map(orjson.loads, out.read_bytes().splitlines())}
    assert {"220", "204", "98", "99", "139", "147", "190"} <= set(flags)
    assert flags["99"]["name"] == "Guatemala"
    assert "outside it, in PA" in flags["99"]["reasons"][0]
    table = runner.invoke(app, args)
    assert "LaCeiba" in table.output
    assert "flagged" in table.output


@pytest.mark.slow
def test_assess_judges_measurement_sets_built_from_the_real_mesh(
    runner: CliRunner, rtt: Path, tmp_path: Path
) -> None:
    targets = _targets(
        rtt,
        tmp_path / "targets.jsonl",
        [("30", "30"), ("22", "4"), ("3", "3"), ("220", "220")],
    )
    out = tmp_path / "verdicts.jsonl"
    result = runner.invoke(
        app,
        [
            "location",
            "assess",
            str(targets),
            "--landmarks",
            str(rtt / "servers.csv"),
            "--mesh",
            str(rtt / "pings.csv"),
            "--format",
            "jsonl",
            "--output",
            str(out),
        ],
    )
    assert result.exit_code == 1, result.output  # a diverted target is a finding
    rows = {r["id"]: r for r in map(orjson.loads, out.read_bytes().splitlines())}
    assert set(rows["30@30"]) >= {
        "id",
        "verdict",
        "region_area_km2",
        "countries",
        "reason",
    }
    assert rows["30@30"]["verdict"] == "verified"  # Fremont, 22 km from San Jose
    assert rows["30@30"]["countries"] == ["US"]
    assert rows["22@4"]["verdict"] == "diverted"  # Chicago's RTTs, licensed to Paris
    assert rows["3@3"]["verdict"] == "inconclusive"  # Prague: region spans borders
    # The server listed in La Ceiba, Honduras answers from the United States.
    assert rows["220@220"]["verdict"] == "diverted"
    assert rows["220@220"]["countries"] == ["US"]
    # a flagged landmark measured a target: left out and named
    assert all("204" not in r["landmarks_used"] for r in rows.values())


def test_assess_refuses_bad_input_with_line_and_field(
    runner: CliRunner, rtt: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "a", "licensed_country": "DE", "measurements": '
        '[{"landmark": "nope", "rtt_ms": 3.0}]}\n'
        '{"id": "b", "licensed_country": "DE", "measurements": []}\n'
        "{not json\n"
    )
    result = runner.invoke(
        app, ["location", "assess", str(bad), "--landmarks", str(rtt / "servers.csv")]
    )
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "line 1" in text
    assert "unknown landmark 'nope'" in text
    assert "line 2" in text
    assert "measurements" in text
    assert "line 3" in text


def test_assess_refuses_a_licensed_country_that_is_no_country(
    runner: CliRunner, tmp_path: Path
) -> None:
    # "ZZ" was read as a country: every region lay outside no country, so a
    # target measured far away was "inconclusive", exit 0
    landmarks = tmp_path / "lm.csv"
    landmarks.write_text("id,latitude,longitude,country\nx,50.1,8.7,DE\n")
    bad = tmp_path / "targets.jsonl"
    bad.write_text(
        '{"id": "a", "licensed_country": "de", "measurements": '
        '[{"landmark": "x", "rtt_ms": 3.0}]}\n'
        '{"id": "b", "licensed_country": "ZZ", "measurements": '
        '[{"landmark": "x", "rtt_ms": 3.0}]}\n'
    )
    result = runner.invoke(
        app, ["location", "assess", str(bad), "--landmarks", str(landmarks)]
    )
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "line 2" in text
    assert "licensed_country" in text
    assert "'ZZ' is not an ISO 3166" in text
    assert "line 1" not in text  # "de" is Germany


@pytest.mark.parametrize(
    ("rtt", "site", "field"),
    [
        ("true", "50.1", "measurements.0.rtt_ms"),
        ('"3.0"', "50.1", "measurements.0.rtt_ms"),
        ("3.0", "true", "licensed_site.lat"),
    ],
)
def test_assess_refuses_a_boolean_or_text_where_a_number_is_due(
    runner: CliRunner, tmp_path: Path, rtt: str, site: str, field: str
) -> None:
    # "rtt_ms": true was read as 1 ms: a target next to its landmark, "diverted"
    landmarks = tmp_path / "lm.csv"
    landmarks.write_text("id,latitude,longitude,country\nx,-33.9,151.2,AU\n")
    bad = tmp_path / "targets.jsonl"
    bad.write_text(
        '{"id": "a", "licensed_country": "DE", '
        f'"licensed_site": {{"lat": {site}, "lon": 8.7}}, '
        f'"measurements": [{{"landmark": "x", "rtt_ms": {rtt}}}]}}\n'
    )
    result = runner.invoke(
        app, ["location", "assess", str(bad), "--landmarks", str(landmarks)]
    )
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "line 1" in text
    assert field in text


def test_landmark_countries_are_iso_codes_or_english_names(tmp_path: Path) -> None:
    from chipgate.errors import InputError
    from chipgate.location.rttmesh import read_sites

    rows = ["a,51.5,-0.1,UK", "b,42.7,21.2,Kosovo", "c,50.1,8.7,de"]
    landmarks = tmp_path / "lm.csv"
    landmarks.write_text(
        "\n".join(["id,latitude,longitude,country", *rows, "d,0,0,XX", "e,0,0,ZZ"])
    )
    with pytest.raises(InputError) as caught:
        read_sites(landmarks)
    assert [(p.line, p.field) for p in caught.value.problems] == [
        (5, "country"),
        (6, "country"),
    ]
    landmarks.write_text("\n".join(["id,latitude,longitude,country", *rows]))
    assert [s.country for s in read_sites(landmarks)] == ["GB", "XK", "DE"]


def test_a_bad_landmark_file_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    landmarks = tmp_path / "lm.csv"
    landmarks.write_text("id,latitude,longitude,country\nx,91,0,DE\ny,1,2,Atlantis\n")
    pings = tmp_path / "p.csv"
    pings.write_text("source,destination,min\nx,y,1\n")
    result = runner.invoke(
        app, ["location", "mesh", "check", str(pings), str(landmarks)]
    )
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "field 'latitude'" in text
    assert "unknown country 'Atlantis'" in text


def test_an_output_that_would_lose_an_input_or_is_no_file_is_refused(
    runner: CliRunner, tmp_path: Path
) -> None:
    # --output X.jsonl overwrote the measurements, srv.csv the landmark list; a
    # folder or a missing folder was a traceback
    landmarks = tmp_path / "srv.csv"
    landmarks.write_text(
        "id,latitude,longitude,country\nx,50.1,8.7,DE\ny,48.9,2.3,FR\n"
    )
    pings = tmp_path / "pings.csv"
    pings.write_text("source,destination,min\nx,y,9\n")
    targets = tmp_path / "t.jsonl"
    targets.write_text(
        '{"id": "a", "licensed_country": "DE", "measurements": '
        '[{"landmark": "x", "rtt_ms": 3.0}]}\n'
    )
    kept = {p: p.read_bytes() for p in (landmarks, pings, targets)}
    (tmp_path / "adir").mkdir()
    (tmp_path / "link.txt").symlink_to(tmp_path / "elsewhere.txt")
    assess = ["location", "assess", str(targets), "--landmarks", str(landmarks)]
    mesh = ["location", "mesh", "check", str(pings), str(landmarks)]
    for args, output, why in [
        (assess, targets, "the output is the input"),
        (assess, landmarks, "the output is the input"),
        (mesh, landmarks, "the output is the input"),
        (mesh, pings, "the output is the input"),
        (assess, tmp_path / "adir", "the output is a folder"),
        (mesh, tmp_path / "link.txt", "symbolic link"),
    ]:
        result = runner.invoke(app, [*args, "--output", str(output)])
        assert result.exit_code == 2, (args, output, result.output)
        assert why in " ".join(result.output.split())
    assert {p: p.read_bytes() for p in kept} == kept
    assert not (tmp_path / "elsewhere.txt").exists()
    for fmt in ("table", "jsonl"):
        out = tmp_path / "nodir" / f"x-{fmt}.txt"
        result = runner.invoke(app, [*assess, "--format", fmt, "--output", str(out)])
        assert result.exit_code == 0, result.output
        assert "a" in out.read_text()
