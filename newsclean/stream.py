"""Streams: JSON Lines, RSS/Atom feeds and Telegram exports, cleaned record by record.

Every record in gives exactly one JSON line out, in input order, made by
:mod:`newsclean.records` (a record that cannot be cleaned is passed through with an ``error``
field, and reported on stderr). Blank lines carry no record and are skipped (they are not
counted and give no output).

With ``-j N``, N worker processes clean chunks of records; the main process reads, hands out
at most ``N * IN_FLIGHT`` chunks at a time and writes results back in input order, so memory
stays flat however long the stream is. Each worker builds its :class:`~newsclean.Cleaner` once.

``--learn`` (see :mod:`newsclean.learn`): over files, two passes (count every record, then
clean); over standard input, windows of ``--learn-window`` records are read, counted, then
cleaned, so every record is cleaned with a profile of everything read up to the end of its
window (the first window is the warm-up). The output depends only on the input order.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import multiprocessing
import os
import queue
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import IO, Any, Literal

from newsclean.api import Cleaner
from newsclean.errors import InputError, NewscleanError
from newsclean.feeds import Entry, Read, read_feed, read_telegram
from newsclean.learn import ProfileBuilder
from newsclean.records import Chunk, ChunkWorker, Item, Outcome, StreamOptions, dumps
from newsclean.textio import describe_os_error
from newsclean.types import Category, Options

PROG = "newsclean"
CHUNK_RECORDS = 64  # records per task: big enough to amortise the pipe, small enough to balance
CHUNK_BYTES = 1 << 20
IN_FLIGHT = 4  # chunks per worker handed out ahead of the writer
LEARN_WINDOW = 1000
_BOM = b"\xef\xbb\xbf"


class WorkerError(NewscleanError):
    """A worker process died or failed outside any one record; the stream cannot go on."""


@dataclasses.dataclass(frozen=True, slots=True)
class _Written:
    """A cleaned chunk as the writer needs it: its output lines joined and encoded, and the counts.

    A worker sends this, not one :class:`Outcome` per record: the main process shares the
    cores with the workers, and bytes cross the pipe and reach the output file without being
    decoded, encoded or split again there.
    """

    data: bytes
    records: int
    errors: tuple[str, ...]
    removed: int
    recurring: int

    @classmethod
    def of(cls, outcomes: list[Outcome]) -> _Written:
        return cls("".join([o.line + "\n" for o in outcomes]).encode("utf-8"), len(outcomes),
                   tuple(o.error for o in outcomes if o.error is not None),
                   sum(o.removed for o in outcomes), sum(o.recurring for o in outcomes))


def _task(state: ChunkWorker, kind: Literal["learn", "clean"], chunk: Chunk) -> Any:
    """One chunk's work as the executors hand it back (a cleaned chunk as :class:`_Written`)."""
    done = state.run(kind, chunk)
    return _Written.of(done) if kind == "clean" else done


class _Inline:
    """-j 1: the work is done in this process, by the same code the workers run."""

    def __init__(self, opts: StreamOptions) -> None:
        self.state = ChunkWorker(opts)

    def update(self, recurring: Mapping[str, frozenset[str]]) -> None:
        self.state.recurring.update(recurring)

    def map(self, kind: Literal["learn", "clean"], chunks: Iterable[Chunk]) -> Iterator[tuple[Chunk, Any]]:
        for chunk in chunks:
            yield chunk, _task(self.state, kind, chunk)

    def close(self, abort: bool = False) -> None:
        pass


def _worker(opts: StreamOptions, tasks: Any, results: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    state = ChunkWorker(opts)
    while (message := tasks.get()) is not None:
        kind, seq, payload = message
        if kind == "update":
            state.recurring.update(payload)
            continue
        try:
            results.put((seq, _task(state, kind, payload)))
        except Exception as exc:  # reported, with the chunk's sequence number, by the main process
            results.put((seq, WorkerError(f"a worker failed: {type(exc).__name__}: {exc}")))


class _Pool:
    """N processes, each with its own task queue so that learned lines reach every one.

    Not ``multiprocessing.Pool.imap``: it consumes its whole input ahead of the results, so
    memory grows with the stream. Here at most ``jobs * IN_FLIGHT`` chunks are out at once.
    """

    def __init__(self, opts: StreamOptions, jobs: int) -> None:
        ctx = multiprocessing.get_context()
        self.results = ctx.Queue()
        self.tasks = [ctx.Queue() for _ in range(jobs)]
        self.procs = [ctx.Process(target=_worker, args=(opts, q, self.results), daemon=True) for q in self.tasks]
        for p in self.procs:
            p.start()
        self.window = jobs * IN_FLIGHT
        self.seq = 0

    def update(self, recurring: Mapping[str, frozenset[str]]) -> None:
        for q in self.tasks:
            q.put(("update", -1, dict(recurring)))

    def _get(self) -> tuple[int, Any]:
        while True:
            try:
                return self.results.get(timeout=1.0)  # type: ignore[no-any-return]
            except queue.Empty:
                dead = [p.exitcode for p in self.procs if not p.is_alive()]
                if dead:
                    raise WorkerError(f"a worker process died (exit code {dead[0]})") from None

    def map(self, kind: Literal["learn", "clean"], chunks: Iterable[Chunk]) -> Iterator[tuple[Chunk, Any]]:
        pending = iter(chunks)
        out: dict[int, Chunk] = {}
        done: dict[int, Any] = {}
        first = self.seq
        for chunk in pending:
            self._submit(kind, chunk, out)
            if len(out) >= self.window:
                break
        seq = first
        while seq in out:
            while seq not in done:
                got, payload = self._get()
                done[got] = payload
            payload = done.pop(seq)
            if isinstance(payload, WorkerError):
                raise payload
            yield out.pop(seq), payload
            seq += 1
            following = next(pending, None)
            if following is not None:
                self._submit(kind, following, out)

    def _submit(self, kind: Literal["learn", "clean"], chunk: Chunk, out: dict[int, Chunk]) -> None:
        self.tasks[self.seq % len(self.tasks)].put((kind, self.seq, chunk))
        out[self.seq] = chunk
        self.seq += 1

    def close(self, abort: bool = False) -> None:
        for q in self.tasks:
            if abort:
                q.cancel_join_thread()  # do not wait to flush tasks to a worker being stopped
            else:
                q.put(None)
        for p in self.procs:
            if abort:
                p.terminate()
            p.join(timeout=10)
            if p.is_alive():
                p.kill()


@contextlib.contextmanager
def _executor(opts: StreamOptions, jobs: int) -> Iterator[_Inline | _Pool]:
    # Compile every rule file now, not when a record first needs it: a broken file fails the
    # stream before its first record, and forked workers inherit the compiled rules.
    Cleaner(lang=opts.lang, options=opts.options).book.groups()
    ex: _Inline | _Pool = _Inline(opts) if jobs == 1 else _Pool(opts, jobs)
    finished = False
    try:
        yield ex
        finished = True
    finally:
        ex.close(abort=not finished)


@dataclasses.dataclass(frozen=True, slots=True)
class _Input:
    name: str
    chunks: Callable[[], Iterator[Chunk]]
    total: int | None  # bytes of a JSON Lines file, items of a feed; None for a pipe
    rereadable: bool
    error: str | None = None  # what of a feed could not be read
    skipped: int = 0


def _jsonl_chunks(name: str, opener: Callable[[], contextlib.AbstractContextManager[IO[bytes]]]) -> Iterator[Chunk]:
    items: list[Item] = []
    size = 0
    with opener() as fh:
        for number, raw in enumerate(fh, 1):
            if number == 1 and raw.startswith(_BOM):
                raw = raw[len(_BOM) :]
            size += len(raw)
            if raw.strip():  # a blank line carries no record: skipped, not counted
                items.append((number, raw))
            if len(items) >= CHUNK_RECORDS or size >= CHUNK_BYTES:
                yield Chunk(name, tuple(items), size)
                items, size = [], 0
    if items or size:
        yield Chunk(name, tuple(items), size)


def _entry_chunks(name: str, entries: list[Entry]) -> Iterator[Chunk]:
    for start in range(0, len(entries), CHUNK_RECORDS):
        part = entries[start : start + CHUNK_RECORDS]
        yield Chunk(name, tuple((start + i + 1, e) for i, e in enumerate(part)), len(part))


def _stdin() -> contextlib.AbstractContextManager[IO[bytes]]:
    return contextlib.nullcontext(sys.stdin.buffer)



def _open_input(path: str, args: argparse.Namespace) -> _Input:
    name = "<stdin>" if path == "-" else path
    if path != "-" and os.path.isdir(path):
        raise IsADirectoryError(path)
    if args.jsonl:
        if path == "-":
            return _Input(name, lambda: _jsonl_chunks(name, _stdin), None, False)
        open(path, "rb").close()  # report a missing or unreadable file now, not mid-stream
        return _Input(name, lambda: _jsonl_chunks(name, lambda: open(path, "rb")), os.path.getsize(path), True)
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(path, "rb") as fh:
            data = fh.read()
    got: Read = (read_feed if args.feed else read_telegram)(data, name)
    entries = got.entries
    return _Input(name, lambda: _entry_chunks(name, entries), len(entries), True, got.error, got.skipped)


@dataclasses.dataclass
class _Tally:
    records_in: int = 0
    records_out: int = 0
    errors: int = 0
    removed: int = 0
    recurring: int = 0
    skipped: int = 0

    def summary(self) -> str:
        line = f"{PROG}: {counts(self.records_in, self.records_out, self.errors, self.removed, self.recurring)}"
        return line + (f", {count(self.skipped, 'service message')} skipped" if self.skipped else "")


def count(n: int, noun: str) -> str:
    """``n`` and the noun, plural unless n is 1: "1 record", "0 errors"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def counts(records_in: int, records_out: int, errors: int, removed: int, recurring: int) -> str:
    """The summary of a stream run: "3 records in, 3 out, 1 error, 1 line removed (0 recurring)"."""
    return (f"{count(records_in, 'record')} in, {records_out} out, {count(errors, 'error')}, "
            f"{count(removed, 'line')} removed ({recurring} recurring)")


class _Progress:
    """A tqdm bar on stderr when asked for (``auto``: a terminal and a known size)."""

    def __init__(self, mode: str, total: int | None, unit: str, desc: str) -> None:
        self.bar: Any = None
        self.records = 0
        self.unit = unit
        if mode == "always" or (mode == "auto" and total is not None and sys.stderr.isatty()):
            from tqdm import tqdm

            in_bytes = unit == "B"
            self.bar = tqdm(total=total, unit=unit, unit_scale=in_bytes, unit_divisor=1024 if in_bytes else 1000,
                            desc=desc, file=sys.stderr, dynamic_ncols=True, mininterval=0.5, leave=False)

    def advance(self, chunk: Chunk) -> None:
        if self.bar is None:
            return
        self.records += len(chunk.items)
        self.bar.update(chunk.size)
        if self.unit == "B":
            elapsed = self.bar.format_dict.get("elapsed") or 0.0
            if elapsed:
                self.bar.set_postfix_str(f"{self.records / elapsed:,.0f} rec/s", refresh=False)

    def say(self, message: str) -> None:
        if self.bar is not None:
            self.bar.write(message, file=sys.stderr)
        else:
            sys.stderr.write(message + "\n")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class _Run:
    """One command-line run: the inputs, the executor, the output and the counts."""

    def __init__(self, args: argparse.Namespace, inputs: list[_Input], ex: _Inline | _Pool, out: IO[str]) -> None:
        self.args, self.inputs, self.ex, self.out = args, inputs, ex, out
        # Output lines are UTF-8 already (lone surrogates escaped by _dumps): written to the
        # binary layer of a UTF-8 text file as they are, else decoded for the text layer.
        utf8 = (getattr(out, "encoding", None) or "").lower().replace("-", "") == "utf8"
        self.binary: IO[bytes] | None = getattr(out, "buffer", None) if utf8 else None
        self.tally = _Tally(skipped=sum(i.skipped for i in inputs))
        totals = [i.total for i in inputs]
        self.total = None if any(t is None for t in totals) else sum(t for t in totals if t is not None)
        self.unit = "B" if args.jsonl else "rec"

    def progress(self, desc: str) -> _Progress:
        return _Progress(self.args.progress, self.total, self.unit, desc)

    def write(self, records_in: int, written: _Written, progress: _Progress) -> None:
        t = self.tally
        t.records_in += records_in
        if self.binary is not None:
            self.binary.write(written.data)
        else:
            self.out.write(written.data.decode("utf-8"))
        t.records_out += written.records
        t.removed += written.removed
        t.recurring += written.recurring
        t.errors += len(written.errors)
        for error in written.errors:
            progress.say(f"{PROG}: {error}")
        (self.out if self.binary is None else self.binary).flush()

    def clean(self) -> None:
        progress = self.progress("cleaning")
        for inp in self.inputs:
            for chunk, written in self.ex.map("clean", inp.chunks()):
                self.write(len(chunk.items), written, progress)
                progress.advance(chunk)
            if inp.error is not None:
                # The part of a broken feed that could not be read: one record saying so.
                self.write(1, _Written.of([Outcome(dumps({"error": inp.error, "file": inp.name}), inp.error)]), progress)
        progress.close()

    def learn_all(self) -> None:
        builder = ProfileBuilder()
        progress = self.progress("learning")
        for inp in self.inputs:
            for chunk, profile in self.ex.map("learn", inp.chunks()):
                builder.update(profile)
                progress.advance(chunk)
        progress.close()
        self.ex.update({g: builder.recurring(g) for g in builder.groups()})

    def learn_online(self, window: int) -> None:
        builder = ProfileBuilder()
        progress = self.progress("cleaning")
        for chunks in _windows(self.inputs, window):
            touched: set[str] = set()
            for _, profile in self.ex.map("learn", chunks):
                builder.update(profile)
                touched.update(profile.items)
            self.ex.update({g: builder.recurring(g) for g in sorted(touched)})
            for chunk, written in self.ex.map("clean", chunks):
                self.write(len(chunk.items), written, progress)
                progress.advance(chunk)
        progress.close()


def _windows(inputs: list[_Input], size: int) -> Iterator[list[Chunk]]:
    """The stream in windows of at least ``size`` records (whole chunks)."""
    window: list[Chunk] = []
    count = 0
    for inp in inputs:
        for chunk in inp.chunks():
            window.append(chunk)
            count += len(chunk.items)
            if count >= size:
                yield window
                window, count = [], 0
    if window:
        yield window


def stream_options(args: argparse.Namespace) -> StreamOptions:
    """The :class:`StreamOptions` the command-line flags ask for."""
    options = Options()
    if args.keep:
        options = Options(drop=frozenset(Category) - {Category(k) for k in args.keep})
    return StreamOptions(field=args.field, html_field=args.html_field, out_field=args.out_field,
                         meta_field=args.meta_field, group_by=args.group_by, lang=args.lang, options=options)


def run_cli(args: argparse.Namespace, out: IO[str]) -> int:
    """Run ``--jsonl`` / ``--feed`` / ``--telegram``; returns the exit status.

    0 on success, also when records were passed through with errors; 1 when an input could
    not be read, or with ``--strict`` when any record had an error.
    """
    status = 0
    inputs: list[_Input] = []
    for path in args.files or ["-"]:
        try:
            inputs.append(_open_input(path, args))
        except OSError as exc:
            sys.stderr.write(f"{PROG}: error: {describe_os_error(exc, '<stdin>' if path == '-' else path)}\n")
            status = 1
        except InputError as exc:
            sys.stderr.write(f"{PROG}: error: {exc}\n")
            status = 1
    try:
        with _executor(stream_options(args), args.jobs) as ex:
            run = _Run(args, inputs, ex, out)
            if args.learn and all(i.rereadable for i in inputs):
                run.learn_all()
                run.clean()
            elif args.learn:
                run.learn_online(getattr(args, "learn_window", LEARN_WINDOW))
            else:
                run.clean()
    except WorkerError as exc:
        sys.stderr.write(f"{PROG}: error: {exc}\n")
        return 1
    if not args.quiet:
        sys.stderr.write(run.tally.summary() + "\n")
    if args.strict and run.tally.errors:
        status = 1
    return status


__all__ = ["WorkerError", "count", "counts", "run_cli", "stream_options"]
