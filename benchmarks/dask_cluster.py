"""Throughput on a local Dask cluster: records/s with 1 and 2 worker processes.

Usage::

    python -m benchmarks.dask_cluster [--records N] [--files K] [--blocksize SIZE] [--json OUT]

The stream is generated (:func:`benchmarks.common.posts`, deterministic), as JSON Lines files
of records from 20 channels, each channel with its own signature line, so ``--learn`` has
something to find; no data path is needed. For each row the same files are cleaned:

* ``one process``: ``newsclean --jsonl`` in this process (the reference the cluster must match);
* ``cluster, N workers``: the two passes of ``newsclean-dask`` (:func:`newsclean.dask_cli.run`)
  on a ``LocalCluster`` of N single-threaded worker processes, timed after the cluster is up
  and warm (each worker has imported newsclean and compiled its rules); start-up is shown
  apart, it is paid once per run;
* ``clean_bag``: the library front, ``db.read_text(...).map(json.loads)`` then
  :func:`newsclean.dask.clean_bag`, counted on the cluster.

Every cluster run is checked to give the same bytes as the one-process run. Also printed: the
size of the merged learning profile per record (what the learning reduce holds in memory).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import pickle
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine_info, markdown_table, post, write_json

CHANNELS = 20


def write_stream(folder: Path, records: int, files: int, seed: int = 7) -> list[Path]:
    """``records`` generated posts as JSON Lines, split over ``files`` files."""
    rng = random.Random(seed)
    paths = [folder / f"posts-{i:02d}.jsonl" for i in range(files)]
    handles = [p.open("w", encoding="utf-8") for p in paths]
    with contextlib.ExitStack() as stack:
        for h in handles:
            stack.enter_context(h)
        for n in range(records):
            text, lang = post(rng)
            channel = n % CHANNELS
            if rng.random() < 0.8:
                text += f"\n\nChannel {channel} — the valley's own news service"
            record = {"id": n, "channel": f"c{channel}", "lang": lang, "text": text}
            handles[n * files // records].write(json.dumps(record, ensure_ascii=False) + "\n")
    return paths


def one_process(paths: list[Path], out: Path, learn: bool) -> float:
    from newsclean import cli

    argv = ["--jsonl", *map(str, paths), "-o", str(out), "--quiet"]
    argv += ["--learn", "--group-by", "channel"] if learn else []
    started = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()):
        assert cli.main(argv) == 0
    return time.perf_counter() - started


def on_cluster(paths: list[Path], out: Path, learn: bool, blocksize: str) -> float:
    from newsclean import dask_cli

    argv = [str(p) for p in paths] + ["--out", str(out), "--blocksize", blocksize]
    argv += ["--learn", "--group-by", "channel"] if learn else []
    args = dask_cli.create_parser().parse_args(argv)
    started = time.perf_counter()
    work = dask_cli.plan(args, dask_cli.dask.utils.parse_bytes(blocksize) or None)
    dask_cli.run(work, dask_cli.stream_options(args), learn)
    return time.perf_counter() - started


def bag_api(paths: list[Path], learn: bool) -> float:
    import dask.bag as db

    from newsclean.dask import clean_bag

    started = time.perf_counter()
    bag = db.read_text([str(p) for p in paths], blocksize="1MiB").map(json.loads)
    clean_bag(bag, learn_group="channel" if learn else None).count().compute()
    return time.perf_counter() - started


def _cpu_seconds() -> float:
    import psutil  # comes with distributed

    times = psutil.Process().cpu_times()
    return float(times.user + times.system)


def measure(paths: list[Path], tmp: Path, blocksize: str, workers: tuple[int, ...]) -> list[list[str]]:
    """Run every configuration; a row per run: wall time, records/s, wall and CPU ms per record.

    CPU time is summed over this process (client and, for a local cluster, the scheduler)
    and every worker process, so it shows what a record costs even on a busy machine.
    """
    from distributed import Client, LocalCluster

    n = sum(1 for p in paths for line in p.open(encoding="utf-8") if line.strip())
    rows: list[list[str]] = []

    def row(name: str, learn: bool, seconds: float, cpu: float, start: str = "") -> None:
        rows.append([name, "yes" if learn else "no", f"{seconds:.1f}", f"{n / seconds:,.0f}",
                     f"{seconds / n * 1000:.2f}", f"{cpu / n * 1000:.2f}", start])
        print(" | ".join(rows[-1]), flush=True)

    reference = {}
    __import__("newsclean").Cleaner().clean("warm up")  # compile the rules before timing, as on the workers
    for learn in (False, True):
        reference[learn] = tmp / f"ref-{learn}.jsonl"
        cpu = time.process_time()
        seconds = one_process(paths, reference[learn], learn)
        row("one process", learn, seconds, time.process_time() - cpu)
    for count in workers:
        started = time.perf_counter()
        with LocalCluster(n_workers=count, threads_per_worker=1, processes=True, dashboard_address=None,
                          host="127.0.0.1", local_directory=str(tmp / "scratch")) as cluster, Client(cluster) as client:
            client.run(lambda: __import__("newsclean").Cleaner().clean("warm up"))
            start = f"{time.perf_counter() - started:.1f}"

            def timed(work: Any) -> tuple[float, float]:
                before, mine = sum(client.run(_cpu_seconds).values()), time.process_time()
                seconds = work()
                return seconds, sum(client.run(_cpu_seconds).values()) - before + time.process_time() - mine

            for learn in (False, True):
                out = tmp / f"out-{count}-{learn}"
                name = f"cluster, {count} worker{'s' * (count > 1)}"
                row(name, learn, *timed(functools.partial(on_cluster, paths, out, learn, blocksize)), start)
                got = b"".join(p.read_bytes() for p in sorted(out.glob("part-*.jsonl")))
                assert got == reference[learn].read_bytes(), "cluster output differs from one process"
            if count == max(workers):
                for learn in (False, True):
                    row(f"clean_bag, {count} workers", learn, *timed(functools.partial(bag_api, paths, learn)), start)
    return rows


def profile_bytes(paths: list[Path]) -> float:
    """Pickled size of the merged learning profile, per record."""
    from newsclean.learn import FeedCleaner

    records = [json.loads(line) for p in paths for line in p.open(encoding="utf-8")]
    fc = FeedCleaner().fit((r["channel"], r["text"]) for r in records)
    return len(pickle.dumps(fc.profile)) / len(records)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--records", type=int, default=10_000, help="records in the stream (default 10000)")
    p.add_argument("--files", type=int, default=4, help="JSON Lines files (default 4)")
    p.add_argument("--blocksize", default="1MiB", help="partition size for newsclean-dask (default 1MiB)")
    p.add_argument("--workers", default="1,2", help="cluster sizes to try (default 1,2)")
    p.add_argument("--json", type=Path, help="also write the figures here")
    args = p.parse_args(argv)
    workers = tuple(int(w) for w in args.workers.split(","))
    info = machine_info()
    print(f"# {args.records} generated records in {args.files} files; {info['cores']} cores, {info['cpu']}")
    header = ["run", "learn", "seconds", "records/s", "ms/record", "CPU ms/record", "cluster start-up s"]
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_stream(Path(tmp), args.records, args.files)
        rows = measure(paths, Path(tmp), args.blocksize, workers)
        per_record = profile_bytes(paths)
    print()
    print(markdown_table(header, rows))
    print(f"\nlearning profile: {per_record:,.0f} bytes per record (pickled, merged over the whole stream)")
    if args.json:
        out: dict[str, Any] = {"machine": info, "records": args.records, "header": header, "rows": rows,
                               "profile_bytes_per_record": per_record}
        write_json(args.json, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
