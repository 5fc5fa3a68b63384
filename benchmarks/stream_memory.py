"""Peak memory of ``newsclean --jsonl`` on long streams: it must stay flat as the stream grows.

Usage: python benchmarks/stream_memory.py [--records 200000] [--small 20000] [--jobs 1 2]

Writes a synthetic stream of N JSON Lines records (title, body, a channel footer; some broken
lines mixed in) to a temporary file, then runs ``python -m newsclean --jsonl FILE -j J`` for
each J, on a short stream and on the long one. It samples the memory of the whole process tree
(main process plus workers; proportional set size, so pages the forked workers share are
counted once) from /proc every 0.1 s and prints the peak, with
the ``ru_maxrss`` that ``wait4`` reports for the run (the largest single process) beside it. Flat memory
means the long stream's peak is about the short one's.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORDS = ("the minister said talks would resume next week after a pause in the city council vote on "  # noqa: SIM905
         "budget plans rail strike energy prices rose sharply while markets fell in early trading").split()
FOOTERS = ("\u2796\u2796\u2796\nSubscribe to our channel", "Read more: https://example.com/news/{n}", "#news #world",
           "© Agency 2024", "")


def write_stream(path: Path, records: int) -> None:
    """A deterministic stream: mostly good records, one broken line in 1000."""
    rng = random.Random(0)
    with path.open("w", encoding="utf-8") as fh:
        for n in range(records):
            if n % 1000 == 999:
                fh.write("{not json\n")
                continue
            title = " ".join(rng.choices(WORDS, k=6)).capitalize()
            body = "\n\n".join(" ".join(rng.choices(WORDS, k=rng.randint(12, 40))).capitalize() + "."
                               for _ in range(rng.randint(1, 4)))
            footer = rng.choice(FOOTERS).format(n=n)
            record = {"id": n, "channel": f"chan{n % 50}", "text": f"{title}\n\n{body}\n\n{footer}"}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def _memory_kib(pid: int) -> int:
    """Proportional set size (shared copy-on-write pages split between the processes sharing
    them, so forked workers are not counted twice); resident size where PSS is unavailable."""
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            text = Path(f"/proc/{pid}/{name}").read_text()
        except OSError:
            continue
        return next(int(line.split()[1]) for line in text.splitlines() if line.startswith(key))
    return 0


def tree_rss_kib(pid: int) -> int:
    """Memory of ``pid`` and all its descendants, in KiB (0 once it has exited)."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            total += _memory_kib(p)
            for task in Path(f"/proc/{p}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue
    return total


def measure(path: Path, jobs: int) -> tuple[float, int, float]:
    """(peak tree RSS MiB, ru_maxrss MiB of the largest child, seconds)."""
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-m", "newsclean", "--jsonl", str(path), "-j", str(jobs), "-o", os.devnull, "--quiet",
           "--progress", "never"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL)
    peak = 0
    while True:
        # wait4 (not Popen.poll) so the rusage is this run's alone, not the max of all runs.
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, tree_rss_kib(proc.pid))
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"stream_memory.py: newsclean exited with {proc.returncode}")
    return peak / 1024, usage.ru_maxrss // 1024, seconds  # ru_maxrss: KiB on Linux


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=200_000, help="long stream length (default: %(default)s)")
    ap.add_argument("--small", type=int, default=20_000, help="short stream length (default: %(default)s)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="-j values to run (default: 1 2)")
    args = ap.parse_args(argv)
    if not Path("/proc/self/status").exists():
        print("stream_memory.py: needs /proc (Linux)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        streams = {}
        for n in (args.small, args.records):
            streams[n] = Path(tmp) / f"stream-{n}.jsonl"
            write_stream(streams[n], n)
            print(f"stream of {n} records: {streams[n].stat().st_size / 2**20:.1f} MiB")
        for jobs in args.jobs:
            for n, path in streams.items():
                peak, maxrss, seconds = measure(path, jobs)
                print(f"-j {jobs}  {n:>7} records  peak PSS (all processes) {peak:7.1f} MiB  "
                      f"largest process {maxrss:5d} MiB  {seconds:6.1f} s  {n / seconds:7.0f} rec/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
