"""The screening bench's file run reports the peak memory of ``chipgate screen``
itself, not that of the bench that started it."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
from bench.screening import _SCREEN_FILE

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
