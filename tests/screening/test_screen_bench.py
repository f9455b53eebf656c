"""The screening bench's file runs: the peak memory of ``chipgate screen``
itself, not that of the bench that started it, and a run's own cost apart
from a name's."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
from bench.screening import _SCREEN_FILE, split_fixed_cost

FAT_MIB = 800


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_the_file_run_peak_is_the_screens_own(tmp_path: Path) -> None:
    """Started from a process holding some hundreds of MiB more than a screening
    needs, the child still reports the screening's own peak: Linux carries the
    forking process's peak over ``exec`` into ``RUSAGE_SELF``, which the child's
    first version reported."""
    source = tmp_path / "parties.csv"
    source.write_text("id,name\n1,Huawei Technologies\n", encoding="utf-8")
    fat = bytearray(FAT_MIB * 2**20)
    for at in range(0, len(fat), 4096):  # make the pages resident
        fat[at] = 1
    held = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB
    done = subprocess.run(
        [sys.executable, "-c", _SCREEN_FILE, str(source), str(tmp_path / "out.csv")],
        capture_output=True,
        text=True,
        check=False,
    )
    del fat
    assert done.returncode in (0, 1), done.stderr  # 1: a hit was found
    peak = int(done.stderr.strip().splitlines()[-1])
    assert 0 < peak < held - FAT_MIB * 1024 // 2
    assert (tmp_path / "out.csv").exists()


def test_two_runs_split_a_runs_own_cost_from_a_names() -> None:
    """A run of 10,000 names in 2 s and one of 100,000 in 11 s: 1 s paid once,
    then 100 µs a name, so a million names take 101 s, not ten times 11 s."""
    split = split_fixed_cost(10_000, 2.0, 100_000, 11.0)
    assert split.fixed == pytest.approx(1.0)
    assert split.per_name == pytest.approx(1e-4)
    assert split.fixed + split.per_name * 1_000_000 == pytest.approx(101.0)


def test_noise_never_makes_a_runs_own_cost_negative() -> None:
    """A small run slower a name than the large one's slope says (noise) would
    put the line's value at no names below 0; the cost a run is then 0 and the
    cost a name the large run's mean."""
    split = split_fixed_cost(10_000, 0.5, 100_000, 11.0)
    assert split.fixed == 0.0
    assert split.per_name == pytest.approx(11.0 / 100_000)


def test_the_larger_run_must_have_more_names() -> None:
    with pytest.raises(ValueError, match="not more than"):
        split_fixed_cost(100, 1.0, 100, 2.0)
