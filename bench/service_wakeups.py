"""Wake-ups and system calls a one-order check costs, counted rather than timed.

On a machine shared with other work a latency or a CPU time says as much about the
machine as about the server; how often a check wakes a process, and how many
system calls the worker makes for it, do not depend on the load. For each source
tree in turn::

    python -m bench.service_wakeups TREE_SRC [TREE_SRC...] [--checks N] [--rounds R]
        [--strace]

starts ``chipgate serve`` of that tree (one worker, SQLite, the writer process) on a
fresh store, sends 200 one-order checks to warm it up, then ``N`` more one at a
time from a raw keep-alive socket that reads each answer with blocking ``recv``
calls until its ``content-length`` is in, and prints per check: the client's
``recv`` calls and its waits (voluntary context switches: how often an answer woke
it), the CPU, waits and preemptions of the workers and of the writer process (from
/proc, ``bench.service._usage``), and with ``--strace`` the worker's system calls by
name (``strace -c`` attached to it for the measured checks; the tracer's stops then
count as the worker's waits and inflate its CPU: read those from a run without it).
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from bench.machine import describe
from bench.service import _check_body, _orders, _serve, _usage

WARM = 200
_LENGTH = re.compile(rb"content-length: *(\d+)", re.IGNORECASE)


def _check(sock: socket.socket, key: str, body: dict[str, Any]) -> int:
    """One check on ``sock``; the ``recv`` calls its answer took."""
    payload = orjson.dumps(body)
    sock.sendall(
        b"POST /v1/orders/check HTTP/1.1\r\nHost: bench\r\n"
        b"Authorization: Bearer " + key.encode() + b"\r\n"
        b"Content-Type: application/json\r\n"
        b"Content-Length: " + str(len(payload)).encode() + b"\r\n\r\n" + payload
    )
    answer, calls = b"", 0
    while True:
        chunk = sock.recv(1 << 16)
        calls += 1
        if not chunk:
            raise ConnectionError("the server closed the connection")
        answer += chunk
        head, blank, rest = answer.partition(b"\r\n\r\n")
        found = _LENGTH.search(head) if blank else None
        if found and len(rest) >= int(found.group(1)):
            break
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(head.decode(errors="replace"))
    return calls


def _syscalls(report: Path) -> str:
    """The syscalls of an ``strace -c`` summary, as ``name calls`` pairs."""
    rows = []
    for line in report.read_text().splitlines():
        fields = line.split()
        if len(fields) >= 5 and fields[-1] != "total" and fields[3].isdigit():
            rows.append((fields[-1], int(fields[3])))
    return ", ".join(f"{name} {count}" for name, count in rows)


def measure(tree: Path, checks: int, use_strace: bool) -> None:
    """Serve ``tree``, warm it, then count what ``checks`` checks cost."""
    orders = _orders(WARM + checks + 1)
    body = _check_body(orders, "wake")
    with tempfile.TemporaryDirectory(prefix="chipgate-bench-wake-") as folder:
        process, url, key = _serve(Path(folder), tree, workers=1)
        tracer = None
        try:
            host, port = url.removeprefix("http://").split(":")
            with socket.create_connection((host, int(port))) as sock:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                for index in range(WARM):
                    _check(sock, key, body(index))
                report = Path(folder) / "strace.txt"
                if use_strace:
                    tracer = subprocess.Popen(
                        [
                            "strace",
                            "-c",
                            "-f",
                            "-o",
                            str(report),
                            "-p",
                            str(process.pid),
                        ],
                        stderr=subprocess.DEVNULL,
                    )
                    time.sleep(1.0)  # attached to every thread
                server = _usage(process.pid)
                client = resource.getrusage(resource.RUSAGE_SELF)
                calls = sum(
                    _check(sock, key, body(index))
                    for index in range(WARM, WARM + checks)
                )
                waits = resource.getrusage(resource.RUSAGE_SELF).ru_nvcsw
                used = {k: v - server[k] for k, v in _usage(process.pid).items()}
            if tracer is not None:
                tracer.terminate()
                tracer.wait(timeout=60)
        finally:
            process.terminate()
            process.wait(timeout=60)
        parts = "; ".join(
            f"{part} CPU {1000 * u.cpu / checks:.2f} ms, {u.waits / checks:.2f} waits, "
            f"{u.preempted / checks:.2f} preempted"
            for part, u in used.items()
        )
        print(
            f"{tree}: {checks} checks one at a time; per check: client recv "
            f"{calls / checks:.2f}, client waits "
            f"{(waits - client.ru_nvcsw) / checks:.2f}; {parts}"
        )
        if tracer is not None:
            print(f"  worker system calls for {checks} checks: {_syscalls(report)}")


def main() -> None:
    """Measure each tree in turn, ``--rounds`` times."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", nargs="+", type=Path)
    parser.add_argument("--checks", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--strace", action="store_true")
    args = parser.parse_args()
    use_strace = args.strace and shutil.which("strace") is not None
    print(describe())
    for _ in range(args.rounds):
        for tree in args.trees:
            measure(tree, args.checks, use_strace)


if __name__ == "__main__":
    main()
