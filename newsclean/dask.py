"""Clean a corpus on a Dask cluster: a bag of JSON records, or a dataframe text column.

The work is split by partition. Each worker process builds one :class:`~newsclean.Cleaner` per
``(lang, options)`` the first time a task needs it (:func:`worker_cleaner`) and keeps it, so
rule files are compiled once per worker, not per record or per task. The task graph carries
only plain values (field names, a language code, a frozen :class:`~newsclean.Options`, a
:class:`~newsclean.learn.SourceProfile`): nothing compiled is pickled and shipped.

A bag record comes out exactly as the command line writes it with ``--jsonl`` (the same
function makes it, :func:`newsclean.stream.clean_record`), so a corpus cleaned here and one
cleaned with ``newsclean --jsonl`` are the same records. Learning a source's recurring lines
(:func:`learn_profile`) is a map over partitions counting line fingerprints per group and a
reduce merging the counts; the merged profile gives exactly what
:class:`~newsclean.learn.FeedCleaner` gives on one machine.

``newsclean-dask`` (:func:`main`) is the command-line front: a glob of JSONL files in, one
cleaned JSONL file per partition out. Needs ``pip install 'newsclean[dask]'``.
"""

from __future__ import annotations

# Absolute imports: inside the package, ``import dask`` is the Dask library, not this module.
import argparse
import contextlib
import dataclasses
import functools
import glob
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

try:
    import dask
    import dask.bag as db
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("newsclean.dask needs Dask: pip install 'newsclean[dask]'") from exc

from newsclean.api import Cleaner
from newsclean.errors import InputError, NewscleanError
from newsclean.learn import ProfileBuilder, SourceProfile
from newsclean.rules import available_languages
from newsclean.stream import _BOM, Chunk, Outcome, StreamOptions, stream_options
from newsclean.stream import _State as _ChunkWorker  # the CLI's own record code: shapes cannot drift
from newsclean.types import Category, Options

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd


@functools.cache
def worker_cleaner(lang: str | None, options: Options | None) -> Cleaner:
    """The :class:`~newsclean.Cleaner` of this process for ``(lang, options)``, built once.

    Tasks call this instead of receiving a Cleaner, so the compiled rules stay in the worker
    process and never travel through the scheduler.

    >>> worker_cleaner("en", None) is worker_cleaner("en", None)
    True
    """
    return Cleaner(lang=lang, options=options)


# ------------------------------------------------------------------ dataframes
#: The columns :func:`clean_dataframe` adds besides the cleaned text.
META_COLUMNS = ("newsclean_title", "newsclean_language", "newsclean_removed", "newsclean_error")


def clean_dataframe(
    df: dd.DataFrame,
    *,
    column: str = "text",
    out_column: str = "clean_text",
    lang: str | None = None,
    options: Options | None = None,
) -> dd.DataFrame:
    """Clean a text column of a Dask dataframe, partition by partition.

    Every row stays, in order, with its columns; added are ``out_column`` (the clean text,
    as :attr:`Result.text <newsclean.Result.text>`), ``newsclean_title``,
    ``newsclean_language``, ``newsclean_removed`` (how many spans were removed) and
    ``newsclean_error`` (why a row could not be cleaned, such as a missing value; its clean
    text is then missing too). Text columns keep the dtype of ``column`` when it is a string
    dtype. For the full explanation of each removal, clean a bag (:func:`clean_bag`).

    Args:
        df: the dataframe; ``column`` must be one of its columns.
        column: the text to clean.
        out_column: where the clean text goes (it may replace an existing column).
        lang: as for :func:`newsclean.clean`; default: detect per row.
        options: as for :func:`newsclean.clean`.

    Raises:
        KeyError: ``column`` is not a column of ``df``.

    >>> import dask.dataframe as dd, pandas as pd
    >>> posts = pd.DataFrame({"text": ["Storm hits coast\\n\\nWaves rose.\\n\\n➖➖➖", None]})
    >>> out = clean_dataframe(dd.from_pandas(posts, npartitions=1), lang="en").compute()
    >>> out["clean_text"].tolist()[0], out["newsclean_removed"].tolist(), out["newsclean_error"].tolist()[1]
    ('Storm hits coast\\n\\nWaves rose.', [1, 0], 'not a string')
    """
    if column not in df.columns:
        raise KeyError(f"no column {column!r}; columns: {', '.join(map(str, df.columns))}")
    kwargs = {"column": column, "out_column": out_column, "lang": lang, "options": options}
    return df.map_partitions(_clean_frame, **kwargs, meta=_clean_frame(df._meta, **kwargs))


def _clean_frame(
    frame: pd.DataFrame, *, column: str, out_column: str, lang: str | None, options: Options | None
) -> pd.DataFrame:
    """One partition: the frame with the clean text and the metadata columns added."""
    import pandas as pd

    cleaner = worker_cleaner(lang, options)
    rows: list[tuple[str | None, str | None, str | None, int, str | None]] = []
    for value in frame[column]:
        if not isinstance(value, str):
            rows.append((None, None, None, 0, "not a string"))
            continue
        try:
            r = cleaner.clean(value)
        except Exception as exc:
            rows.append((None, None, None, 0, f"cannot clean: {type(exc).__name__}: {exc}"))
            continue
        rows.append((r.text, r.title, r.language, len(r.removed), None))
    dtype = frame[column].dtype if pd.api.types.is_string_dtype(frame[column].dtype) else object
    names = (out_column, *META_COLUMNS)
    columns = list(zip(*rows)) if rows else [()] * len(names)
    out = frame.copy()
    for name, values in zip(names, columns):
        kind = "int64" if name == "newsclean_removed" else dtype
        out[name] = pd.Series(list(values), index=frame.index, dtype=kind)
    return out


# ------------------------------------------------------------------ bags of records
BAG_SOURCE = "<bag>"  # the source name of bag records (error messages, default group)


def clean_bag(
    bag: db.Bag,
    *,
    field: str = "text",
    out_field: str = "clean_text",
    meta_field: str = "newsclean",
    lang: str | None = None,
    options: Options | None = None,
    learn_group: str | None = None,
) -> db.Bag:
    """Clean a bag of records (dicts), each partition in one task, in order.

    Each record comes out as ``newsclean --jsonl`` writes it: the input fields, the clean text
    in ``out_field``, the metadata (:meth:`Result.to_dict <newsclean.Result.to_dict>` less
    ``text``) under ``meta_field``. A record without a string ``field`` comes out with an
    ``error`` field instead; a bag element that is not a dict, as ``{"error", "line", "raw"}``.
    One record out per record in, always.

    With ``learn_group``, the field naming each record's source, the sources' recurring lines
    are learned first with :func:`learn_profile` (this call then computes: the bag is read
    once to learn and once more when the result is computed, so it never has to fit in
    memory), and every record is cleaned with its source's lines, as
    ``FeedCleaner().fit(...)`` / ``newsclean --jsonl --learn --group-by`` would.

    Args:
        bag: records, typically ``db.read_text(...).map(json.loads)``. Records must be JSON
            values (they are handled as the command line handles JSON Lines).
        field, out_field, meta_field: as ``--field``, ``--out-field``, ``--meta-field``.
        lang, options: as for :func:`newsclean.clean`.
        learn_group: learn recurring lines per value of this field (``None``: no learning).

    >>> import dask.bag as db
    >>> bag = db.from_sequence([{"id": 1, "text": "Waves rose.\\n\\nSubscribe to our channel"}, {"id": 2}])
    >>> out = clean_bag(bag, lang="en").compute()
    >>> out[0]["clean_text"], out[0]["newsclean"]["removed"][0]["category"], out[1]
    ('Waves rose.', 'subscribe', {'id': 2, 'error': "no field 'text'"})
    """
    opts = StreamOptions(field=field, out_field=out_field, meta_field=meta_field, group_by=learn_group,
                         lang=lang, options=options if options is not None else Options())
    Cleaner(lang=lang, options=opts.options)  # a wrong language fails here, not in every task
    recurring: dict[str, frozenset[str]] = {}
    if learn_group is not None:
        recurring = learn_profile(bag, group_field=learn_group, field=field, lang=lang).recurring_by_group()
    # One graph key for the learned lines, shared by every task (not a copy per task).
    shared = dask.delayed(recurring, traverse=False)
    return bag.map_partitions(_clean_records, opts=opts, recurring=shared)


def learn_profile(bag: db.Bag, *, group_field: str, field: str = "text", lang: str | None = None) -> SourceProfile:
    """Count each source's head and tail lines over the whole bag; computes now.

    A map over partitions (each counts its records into a
    :class:`~newsclean.learn.SourceProfile`) and a tree reduce merging the counts. Counts
    add up, so the result equals ``FeedCleaner().fit(pairs).profile`` for the same records,
    however the bag is partitioned. Records without a string ``field`` are not counted.

    Args:
        bag: records (dicts).
        group_field: the field naming a record's source; records without it form group ``""``.
        field: the text field.
        lang: as for :func:`newsclean.clean` (it decides the rules that find the zones).

    >>> import dask.bag as db
    >>> posts = [{"ch": "a", "text": f"Town {c} news\\n\\nSomething happened in town {c} late on Monday night.\\n\\nKanal: pinda"}
    ...          for c in "wxyz"]
    >>> sorted(learn_profile(db.from_sequence(posts, npartitions=2), group_field="ch").recurring("a"))
    ['kanal: pinda']
    """
    opts = StreamOptions(field=field, group_by=group_field, lang=lang)
    count = functools.partial(_count_records, opts=opts)
    profile: SourceProfile = bag.reduction(count, _merge_profiles, split_every=8).compute()
    return profile


def _items(records: Iterable[Any]) -> tuple[tuple[int, bytes], ...]:
    """Records as the JSON lines the stream code reads (ASCII escapes keep lone surrogates)."""
    items = []
    for number, record in enumerate(records, 1):
        try:
            raw = json.dumps(record, ensure_ascii=True)
        except (TypeError, ValueError) as exc:
            raw = json.dumps({"error": f"record is not JSON ({exc})", "record": repr(record)})
        items.append((number, raw.encode("ascii")))
    return tuple(items)


def _count_records(records: Iterable[Any], *, opts: StreamOptions) -> SourceProfile:
    profile: SourceProfile = _ChunkWorker(opts).run("learn", Chunk(BAG_SOURCE, _items(records), 0))
    return profile


def _merge_profiles(profiles: Iterable[SourceProfile]) -> SourceProfile:
    builder = ProfileBuilder()
    for profile in profiles:
        builder.update(profile)
    return builder.build()


def _clean_records(
    records: Iterable[Any], *, opts: StreamOptions, recurring: Mapping[str, frozenset[str]]
) -> list[dict[str, Any]]:
    worker = _ChunkWorker(opts)  # cheap: the compiled rules are cached per process
    worker.recurring.update(recurring)
    outcomes: list[Outcome] = worker.run("clean", Chunk(BAG_SOURCE, _items(records), 0))
    return [json.loads(o.line) for o in outcomes]


# ------------------------------------------------------------------ the command line
PROG = "newsclean-dask"
SHOWN_ERRORS = 20  # error messages per partition sent back to be printed; the rest are counted
WRITE_RECORDS = 256  # records cleaned and written at a time, so a big partition is not held whole


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
    p.add_argument("--scheduler", metavar="ADDRESS", help="a running scheduler (tcp://host:8786); default: a local cluster")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="worker processes of the local cluster (default: one per core)")
    p.add_argument("--blocksize", default="64MiB", metavar="SIZE",
                   help="split files into partitions of about SIZE; 0: one partition per file (default: 64MiB)")
    p.add_argument("--field", default="text", help="input text field (default: text)")
    p.add_argument("--html-field", help="input field holding HTML instead of text")
    p.add_argument("--out-field", default="clean_text", help="field for the cleaned text (default: clean_text)")
    p.add_argument("--meta-field", default="newsclean", help="field for the metadata (default: newsclean)")
    p.add_argument("--lang", metavar="CODE", help="language of the input (skips detection)")
    p.add_argument("--keep", action="append", default=[], metavar="CATEGORY",
                   choices=[c.value for c in Category], help="keep lines of this category (repeatable)")
    p.add_argument("--learn", action="store_true", help="learn each source's recurring boilerplate first (two passes)")
    p.add_argument("--group-by", metavar="FIELD", help="with --learn: the field naming a record's source (default: file)")
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


def _partitions(files: list[tuple[str, str]], blocksize: int | None) -> list[tuple[str, bool, Any]]:
    """``(name, starts_file, block)`` per partition: blocks of whole lines, files in order."""
    from dask.bytes import read_bytes

    _, blocks = read_bytes([path for _, path in files], delimiter=b"\n", blocksize=blocksize, sample=False)
    return [(name, i == 0, block) for (name, _), bs in zip(files, blocks, strict=True) for i, block in enumerate(bs)]


def _learned(parts: list[tuple[str, bool, Any]], opts: StreamOptions) -> Any:
    """A lazy ``{group: recurring lines}``: learn per partition, merge in a tree of fan-in 8."""
    profiles = [dask.delayed(_learn_block)(block, name, first, opts) for name, first, block in parts]
    while len(profiles) > 1:
        profiles = [dask.delayed(_merge_profiles)(profiles[i : i + 8]) for i in range(0, len(profiles), 8)]
    return dask.delayed(_recurring_map)(profiles[0]) if profiles else {}


def _run(files: list[tuple[str, str]], blocksize: int | None, args: argparse.Namespace) -> list[PartTally]:
    opts = stream_options(args)
    Cleaner(lang=opts.lang, options=opts.options)  # fail here on bad rules, not in every task
    parts = _partitions(files, blocksize)
    outs = _out_paths(args.out, len(parts))
    # Pass one reads every block once: lines per block (so records keep their line numbers in
    # their file, as with `newsclean --jsonl`) and, with --learn, the sources' counts.
    counts = [dask.delayed(_count_lines)(block) for _, _, block in parts]
    counts, recurring = dask.compute(counts, _learned(parts, opts) if args.learn else {})
    shared = dask.delayed(recurring, traverse=False)  # one key, not a copy per task
    tasks, first = [], 1
    for (name, starts_file, block), count, out in zip(parts, counts, outs, strict=True):
        first = 1 if starts_file else first
        tasks.append(dask.delayed(_clean_block)(block, name, first, opts, shared, out))
        first += count
    return list(dask.compute(*tasks))


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
            sys.stderr.write(f"{PROG}: ... and {t.errors - len(t.messages)} more errors in part-{index:05d}.jsonl\n")
    records = sum(t.records for t in tallies)
    errors = sum(t.errors for t in tallies)
    if not args.quiet:
        sys.stderr.write(
            f"{PROG}: {records} records in, {records} out, {errors} errors, {sum(t.removed for t in tallies)} lines "
            f"removed ({sum(t.recurring for t in tallies)} recurring); {len(tallies)} partitions in {seconds:.1f} s "
            f"({records / seconds if seconds else 0:,.0f} records/s)\n"
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
    started = time.perf_counter()
    try:
        files = _expand(args.inputs)
        with _client(args):
            tallies = _run(files, blocksize, args)
    except NewscleanError as exc:
        _error(str(exc))
        return 1
    except OSError as exc:
        _error(f"{exc.filename or ''}: {exc.strerror or exc}" if exc.filename else str(exc))
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return 130
    except Exception as exc:
        _error(f"{type(exc).__name__}: {exc}")
        return 1
    return _report(tallies, time.perf_counter() - started, args)


if __name__ == "__main__":
    sys.exit(main())
