"""Scaling benchmark: time per MB of ``newsclean.clean`` from 1 KB to 10 MB documents.

Usage::

    python -m benchmarks.scaling [--sizes 1e3,1e4,1e5,1e6,1e7] [--only NAME] [--timeout S] [--json OUT]

For real-like text and for every hostile input class of :data:`benchmarks.common.HOSTILE`
(one repeated character, ``http://`` repeated, a line of separators, alternating scripts, one
10 MB line, many short lines, many inline links, ...), each size is cleaned in a child process
with a time limit. Time per MB must stay flat with size. A class is reported SUPERLINEAR when
its time per MB at the largest size is more than twice that at 100 KB, or when a size takes
over four times the linear extrapolation from the size before (and over ``--timeout``); the
recipe to reproduce it is ``benchmarks.common.hostile(name, size)``. Times are CPU seconds of
the child process (robust to other load on the machine). Small sizes are repeated until 0.2 s
have passed, so fixed per-call costs show at 1 KB.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import HOSTILE, RESULTS, hostile, machine_info, markdown_table, write_json

SIZES = (1_000, 10_000, 100_000, 1_000_000, 10_000_000)
SUPERLINEAR = 2.0  # time/MB at the largest size over time/MB at 100 KB
PATIENCE = 4.0  # a size may take this many times its linear extrapolation before it times out
REFERENCE_SIZE = 100_000
MIN_SECONDS = 0.2


def _measure(name: str, size: int, conn: Any) -> None:
    """Child process: clean the input (repeatedly when quick) and send back seconds per call."""
    import newsclean

    text = hostile(name, size)
    nbytes = len(text.encode("utf-8"))
    from newsclean.detectors import forget_recurring_lines

    newsclean.clean("Warm-up\n\nCompile the rules first.")
    runs, start = 0, time.process_time()
    while True:
        # Each run as a first sight of the document: a repeat would find its lines' verdicts
        # kept from the run before (when they fit the table), and small sizes would look cheap.
        forget_recurring_lines()
        result = newsclean.clean(text)
        runs += 1
        elapsed = time.process_time() - start
        if elapsed >= MIN_SECONDS:
            break
    conn.send({"bytes": nbytes, "seconds": elapsed / runs, "out_chars": len(result.text),
               "removed": len(result.removed)})


def measure(name: str, size: int, timeout: float) -> dict[str, Any] | None:
    """Seconds per call for one class and size, or None when it ran out of time."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_measure, args=(name, size, child))
    proc.start()
    child.close()
    if parent.poll(timeout):
        result = parent.recv()
        proc.join()
        return result  # type: ignore[no-any-return]
    proc.kill()
    proc.join()
    return None


def scale(name: str, sizes: Sequence[int], timeout: float) -> dict[str, Any]:
    """Measure one class at each size, stopping after the first size that runs out of time."""
    points: dict[int, dict[str, Any] | None] = {}
    rate = 0.0  # seconds per byte at the previous size
    for size in sizes:
        budget = max(timeout, PATIENCE * rate * size + 10)
        print(f"  {name} @ {size:,} bytes (limit {budget:.0f} s) ...", file=sys.stderr)
        point = points[size] = measure(name, size, budget)
        if point is None:
            break
        rate = point["seconds"] / point["bytes"]
    per_mb = {s: p["seconds"] / (p["bytes"] / 1e6) for s, p in points.items() if p}
    timed_out = any(p is None for p in points.values())
    ref = per_mb.get(REFERENCE_SIZE)
    largest = max(per_mb) if per_mb else None
    growth = per_mb[largest] / ref if ref and largest and largest > REFERENCE_SIZE else None
    exponent = None
    if ref and largest and largest > REFERENCE_SIZE:
        t_ref = points[REFERENCE_SIZE]["seconds"]  # type: ignore[index]
        t_big = points[largest]["seconds"]  # type: ignore[index]
        b_ref = points[REFERENCE_SIZE]["bytes"]  # type: ignore[index]
        b_big = points[largest]["bytes"]  # type: ignore[index]
        exponent = math.log(t_big / t_ref) / math.log(b_big / b_ref)
    superlinear = timed_out or (growth is not None and growth > SUPERLINEAR)
    return {"name": name, "s_per_mb": {str(s): v for s, v in per_mb.items()},
            "timed_out_at": next((s for s, p in points.items() if p is None), None),
            "growth": growth, "exponent": exponent, "superlinear": superlinear,
            "points": {str(s): p for s, p in points.items()}}


def _cell(row: dict[str, Any], size: int) -> str:
    if row["timed_out_at"] == size:
        return "TIMEOUT"
    v = row["s_per_mb"].get(str(size))
    return "-" if v is None else f"{v:.3g}"


def print_table(rows: list[dict[str, Any]], sizes: Sequence[int], timeout: float) -> None:
    header = ["input", *(f"{s / 1e6:g} MB" if s >= 1e6 else f"{s / 1e3:g} KB" for s in sizes), "growth", "exp", ""]
    body = []
    for r in rows:
        growth = "-" if r["growth"] is None else f"{r['growth']:.2f}x"
        exponent = "-" if r["exponent"] is None else f"{r['exponent']:.2f}"
        body.append([r["name"], *(_cell(r, s) for s in sizes), growth, exponent,
                     "SUPERLINEAR" if r["superlinear"] else "flat"])
    print("seconds per MB of input (lower is better); growth = s/MB at the largest size / s/MB at 100 KB;")
    print(f"exp = exponent of time vs size between 100 KB and the largest size; TIMEOUT = over {timeout:g} s and over")
    print(f"{PATIENCE:g}x the time extrapolated linearly from the size before\n")
    print(markdown_table(header, body))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default=",".join(str(s) for s in SIZES), help="comma-separated sizes in bytes")
    ap.add_argument("--only", action="append", choices=sorted(HOSTILE), help="run only this class (repeatable)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds always allowed per measurement")
    ap.add_argument("--json", type=Path, default=RESULTS / "scaling.json", metavar="OUT")
    args = ap.parse_args(argv)
    sizes = sorted(int(float(s)) for s in args.sizes.split(","))
    rows = [scale(name, sizes, args.timeout) for name in (args.only or HOSTILE)]
    print_table(rows, sizes, args.timeout)
    bad = [r["name"] for r in rows if r["superlinear"]]
    print("\nsuperlinear: " + (", ".join(bad) if bad else "none"))
    write_json(args.json, {"machine": machine_info(), "sizes": sizes, "timeout": args.timeout, "rows": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
