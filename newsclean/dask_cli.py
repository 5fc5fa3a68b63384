"""``newsclean-dask``: clean JSON Lines files on a Dask cluster, one output file per partition.

``newsclean-dask 'posts/*.jsonl' --out clean/ [--scheduler tcp://host:8786] [--learn --group-by channel]``

The output is what ``newsclean --jsonl`` writes for the same files, byte for byte: the records
are made by the same code (:mod:`newsclean.stream`), in the same order (files in glob order,
``part-00000.jsonl``, ``part-00001.jsonl``, ... in that order, records in input order within),
and a record that cannot be read keeps its line number in its file. Files are split into
partitions of whole lines (``--blocksize``); a first pass over the blocks counts their lines
(so numbers stay exact) and, with ``--learn``, counts each source's head and tail lines, merged
in a tree on the cluster; the second pass cleans and writes. Every path must be readable
(inputs) or writable (``--out``) by every worker: on a multi-machine cluster, a shared file
system or an fsspec URL (``s3://...``).
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import dataclasses
import glob
import os
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import dask.utils
from dask.base import compute
from dask.delayed import delayed

from newsclean.api import Cleaner
from newsclean.dask import _merge_profiles
from newsclean.errors import InputError, NewscleanError
from newsclean.learn import SourceProfile
from newsclean.records import Chunk, Outcome, StreamOptions
from newsclean.records import ChunkWorker as _ChunkWorker  # the CLI's own record code: shapes cannot drift
from newsclean.rules import available_languages
from newsclean.stream import count, counts, stream_options
from newsclean.types import Category

PROG = "newsclean-dask"
SHOWN_ERRORS = 20  # error messages per partition sent back to be printed; the rest are counted
WRITE_RECORDS = 256  # records cleaned and written at a time, so a big partition is not held whole
_BOM = codecs.BOM_UTF8  # dropped from the first line of a file, as `newsclean --jsonl` does


@dataclasses.dataclass(frozen=True, slots=True)
class PartTally:
    """What cleaning one partition gave: counts, and its first error messages."""

    records: int = 0
    errors: int = 0
    removed: int = 0
    recurring: int = 0
    messages: tuple[str, ...] = ()


def _block_items(block: bytes, first: int) -> list[tuple[int, bytes]]:
    """The non-blank lines of a block of whole lines, numbered from ``first`` as the CLI
    numbers them; ``first == 1`` is the start of a file, where a byte-order mark is dropped.
    """
    lines = block.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()  # the block ended with a newline
    if first == 1 and lines and lines[0].startswith(_BOM):
        lines[0] = lines[0][len(_BOM) :]
    return [(first + i, raw + b"\n") for i, raw in enumerate(lines) if raw.strip()]


def _count_lines(block: bytes) -> int:
    return block.count(b"\n") + (1 if block and not block.endswith(b"\n") else 0)


def _learn_block(block: bytes, source: str, starts_file: bool, opts: StreamOptions) -> SourceProfile:
    items = _block_items(block, 1 if starts_file else 2)  # line numbers do not matter here
    profile: SourceProfile = _ChunkWorker(opts).run("learn", Chunk(source, tuple(items), 0))
    return profile


def _recurring_map(profile: SourceProfile) -> dict[str, frozenset[str]]:
    return profile.recurring_by_group()


def _clean_block(
    block: bytes, source: str, first: int, opts: StreamOptions, recurring: Mapping[str, frozenset[str]], out: str
) -> PartTally:
    """Clean one partition and write it to ``out``; returns its tally."""
    import fsspec

    worker = _ChunkWorker(opts)
    worker.recurring.update(recurring)
    items = _block_items(block, first)
    tally = PartTally(records=len(items))
    messages: list[str] = []
    with fsspec.open(out, "w", encoding="utf-8") as fh:
        for start in range(0, len(items), WRITE_RECORDS):
            outcomes: list[Outcome] = worker.run("clean", Chunk(source, tuple(items[start : start + WRITE_RECORDS]), 0))
            fh.write("".join(o.line + "\n" for o in outcomes))
            errors = [o.error for o in outcomes if o.error is not None]
            messages.extend(errors[: SHOWN_ERRORS - len(messages)])
            tally = dataclasses.replace(
                tally, errors=tally.errors + len(errors), removed=tally.removed + sum(o.removed for o in outcomes),
                recurring=tally.recurring + sum(o.recurring for o in outcomes),
            )
    return dataclasses.replace(tally, messages=tuple(messages))


def create_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Clean JSON Lines files on a Dask cluster; write one cleaned JSONL file per partition.",
        epilog="Exit status: 0 ok, 1 unreadable input, cluster failure or (--strict) record errors, "
               "2 usage error, 130 interrupted.",
    )
    p.add_argument("inputs", nargs="+", metavar="GLOB", help="JSON Lines files or globs (fsspec URLs too)")
    p.add_argument("--out", required=True, metavar="DIR", help="write part-00000.jsonl, ... here; must be new or empty")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="a running scheduler (tcp://host:8786); default: a local cluster")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="worker processes of the local cluster (default: one per core)")
    p.add_argument("--blocksize", default="16MiB", metavar="SIZE",
                   help="split files into partitions of about SIZE; 0: one partition per file (default: 16MiB)")
    p.add_argument("--field", default="text", help="input text field (default: text)")
    p.add_argument("--html-field", help="input field holding HTML instead of text")
    p.add_argument("--out-field", default="clean_text", help="field for the cleaned text (default: clean_text)")
    p.add_argument("--meta-field", default="newsclean", help="field for the metadata (default: newsclean)")
    p.add_argument("--lang", metavar="CODE", help="language of the input (skips detection)")
    p.add_argument("--keep", action="append", default=[], metavar="CATEGORY",
                   choices=[c.value for c in Category], help="keep lines of this category (repeatable)")
    p.add_argument("--learn", action="store_true", help="learn each source's recurring boilerplate first (two passes)")
    p.add_argument("--group-by", metavar="FIELD",
                   help="with --learn: the field naming a record's source (default: the file)")
    p.add_argument("--strict", action="store_true", help="exit 1 if any record had an error")
    p.add_argument("--quiet", action="store_true", help="no summary line on stderr")
    return p


def _error(message: str) -> None:
    sys.stderr.write(f"{PROG}: error: {message}\n")


def _expand(patterns: Sequence[str]) -> list[tuple[str, str]]:
    """``(name, path)`` of each file the patterns match, in order; the name is as the shell
    would give it (messages, default group), the path absolute or a URL (for the workers).
    """
    from fsspec.core import url_to_fs

    found: list[tuple[str, str]] = []
    for pattern in patterns:
        if "://" in pattern:
            fs, root = url_to_fs(pattern)
            names = [fs.unstrip_protocol(p) for p in sorted(fs.glob(root))] if glob.has_magic(root) else [pattern]
            names = [n for n in names if fs.exists(n)]
        else:
            local = os.path.expanduser(pattern)
            names = sorted(glob.glob(local)) if glob.has_magic(local) else [local] * os.path.exists(local)
        if not names:
            raise InputError(f"{pattern}: no such file")
        for name in names:
            if "://" not in name and os.path.isdir(name):
                raise InputError(f"{name}: is a directory")
            found.append((name, name if "://" in name else os.path.abspath(name)))
    return found


def _out_paths(out: str, count: int) -> list[str]:
    """``count`` part file paths in ``out``, made if need be; refuses to mix with older parts."""
    from fsspec.core import url_to_fs

    fs, root = url_to_fs(os.path.expanduser(out))
    fs.makedirs(root, exist_ok=True)
    if fs.glob(f"{root.rstrip('/')}/part-*.jsonl"):
        raise InputError(f"{out}: already holds part-*.jsonl files; remove them or choose another --out")
    return [fs.unstrip_protocol(f"{root.rstrip('/')}/part-{i:05d}.jsonl") for i in range(count)]


@dataclasses.dataclass(frozen=True, slots=True)
class Plan:
    """What a run will do, worked out before any cluster starts: partitions and their outputs.

    ``parts`` holds ``(name, starts_file, block)``: the file's name as given, whether the block
    is the file's first, and the lazy bytes of a block of whole lines.
    """

    parts: list[tuple[str, bool, Any]]
    outs: list[str]


def plan(args: argparse.Namespace, blocksize: int | None) -> Plan:
    """Expand the globs, split the files into blocks, name the output files; InputError if not."""
    from dask.bytes.core import read_bytes

    files = _expand(args.inputs)
    _, blocks = read_bytes([path for _, path in files], delimiter=b"\n", blocksize=blocksize, sample=False)
    parts = [(name, i == 0, block) for (name, _), bs in zip(files, blocks, strict=True) for i, block in enumerate(bs)]
    return Plan(parts, _out_paths(args.out, len(parts)))


def _learned(parts: list[tuple[str, bool, Any]], opts: StreamOptions) -> Any:
    """A lazy ``{group: recurring lines}``: learn per partition, merge in a tree of fan-in 8."""
    profiles = [delayed(_learn_block)(block, name, first, opts) for name, first, block in parts]
    while len(profiles) > 1:
        profiles = [delayed(_merge_profiles)(profiles[i : i + 8]) for i in range(0, len(profiles), 8)]
    return delayed(_recurring_map)(profiles[0]) if profiles else {}


def run(work: Plan, opts: StreamOptions, learn: bool) -> list[PartTally]:
    """Both passes on the current Dask scheduler; the tallies of the partitions, in order."""
    parts = work.parts
    # Pass one reads every block once: lines per block (so records keep their line numbers in
    # their file, as with `newsclean --jsonl`) and, with --learn, the sources' counts. With one
    # block per file and no learning there is nothing to find out, and no first pass.
    whole_files = all(starts_file for _, starts_file, _ in parts)
    counts = [0 if whole_files else delayed(_count_lines)(block) for _, _, block in parts]
    counts, recurring = compute(counts, _learned(parts, opts) if learn else {})
    shared = delayed(recurring, traverse=False)  # one key, not a copy per task
    tasks, first = [], 1
    for (name, starts_file, block), count, out in zip(parts, counts, work.outs, strict=True):
        first = 1 if starts_file else first
        tasks.append(delayed(_clean_block)(block, name, first, opts, shared, out))
        first += count
    return list(compute(*tasks))


@contextlib.contextmanager
def _client(args: argparse.Namespace) -> Iterator[Any]:
    """A client of the given scheduler, or of a local cluster (worker processes, 127.0.0.1 only)."""
    from distributed import Client, LocalCluster

    if args.scheduler:
        with Client(args.scheduler, timeout="10s") as client:
            yield client
        return
    with (
        LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None,
                     host="127.0.0.1") as cluster,
        Client(cluster) as client,
    ):
        yield client


def _report(tallies: list[PartTally], seconds: float, args: argparse.Namespace) -> int:
    for index, t in enumerate(tallies):
        for message in t.messages:
            sys.stderr.write(f"{PROG}: {message}\n")
        if t.errors > len(t.messages):
            sys.stderr.write(f"{PROG}: ... and {count(t.errors - len(t.messages), 'more error')} in part-{index:05d}.jsonl\n")
    records = sum(t.records for t in tallies)
    errors = sum(t.errors for t in tallies)
    if not args.quiet:
        sys.stderr.write(
            f"{PROG}: {counts(records, records, errors, sum(t.removed for t in tallies), sum(t.recurring for t in tallies))}"
            f"; {count(len(tallies), 'partition')} in {seconds:.1f} s ({records / seconds if seconds else 0:,.0f} records/s)\n"
        )
    return 1 if args.strict and errors else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``newsclean-dask``; returns the exit status."""
    parser = create_parser()
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.lang is not None and args.lang not in available_languages():
        parser.error(f"--lang {args.lang}: no rule data; available: {', '.join(available_languages())}")
    if args.group_by and not args.learn:
        parser.error("--group-by needs --learn")
    try:
        blocksize = dask.utils.parse_bytes(args.blocksize) or None
    except ValueError:
        parser.error(f"--blocksize {args.blocksize!r}: not a size (such as 64MiB, or 0)")
    opts = stream_options(args)
    started = time.perf_counter()
    try:
        Cleaner(lang=opts.lang, options=opts.options)  # broken rule data fails here, not in every task
        work = plan(args, blocksize)
        with _client(args):
            tallies = run(work, opts, args.learn)
    except (NewscleanError, OSError) as exc:
        _error(str(exc))
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return 130
    except Exception as exc:  # an unreachable scheduler, a lost worker: one line, no traceback
        _error(f"{type(exc).__name__}: {exc}")
        return 1
    return _report(tallies, time.perf_counter() - started, args)


if __name__ == "__main__":
    sys.exit(main())
