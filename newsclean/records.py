"""One record in, one output line out: the record code every process runs.

A record is a JSON Lines line (bytes, with its line number) or a feed item
(:class:`~newsclean.feeds.Entry`). :class:`ChunkWorker` unpacks a chunk of them, cleans each
text (or HTML) and writes the output line: the input record's fields, the cleaned text in
``out_field`` and the metadata (``Result.to_dict()`` without ``text``) under ``meta_field``.
A record that cannot be cleaned is passed through with an ``error`` field. The command line
(:mod:`newsclean.stream`, in process or in worker processes) and :mod:`newsclean.dask` both
use it, so their records cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any, Literal

import regex

from newsclean.api import Cleaner
from newsclean.errors import NewscleanError
from newsclean.feeds import Entry
from newsclean.learn import SourceProfile, zone_fingerprints
from newsclean.types import Category, Options, Result

_SURROGATE = regex.compile(r"[\ud800-\udfff]")
Item = tuple[int, "bytes | Entry"]  # (line number or item number, raw JSON line or feed entry)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class StreamOptions:
    """What to read from a record and where to write the result (the CLI's stream flags)."""

    field: str = "text"
    html_field: str | None = None
    out_field: str = "clean_text"
    meta_field: str = "newsclean"
    group_by: str | None = None
    lang: str | None = None
    options: Options = dataclasses.field(default_factory=Options)


@dataclasses.dataclass(frozen=True, slots=True)
class Chunk:
    """A batch of items from one input; ``size`` is its progress weight (bytes or items)."""

    source: str
    items: tuple[Item, ...]
    size: int


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    """One output line, the error to report (if any), and what was removed."""

    line: str
    error: str | None = None
    removed: int = 0
    recurring: int = 0


@dataclasses.dataclass(frozen=True, slots=True)
class _Text:
    record: dict[str, Any]
    text: str
    html: bool
    group: str
    where: str


def dumps(record: Mapping[str, Any]) -> str:
    """The output line of a record: JSON with non-ASCII characters as they are, valid UTF-8."""
    line = json.dumps(record, ensure_ascii=False)
    # A lone surrogate (from a "\ud800" escape in the input) cannot be written as UTF-8:
    # escape it again, which keeps the JSON valid and the data intact.
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", line) if _SURROGATE.search(line) else line


def _passed(record: dict[str, Any], message: str, reason: str) -> Outcome:
    return Outcome(dumps({**record, "error": reason}), message)


def _bad_line(number: int, raw: str, where: str, reason: str) -> Outcome:
    return Outcome(dumps({"error": reason, "line": number, "raw": raw}), f"{where}: {reason}")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _group(record: Mapping[str, Any], opts: StreamOptions, default: str) -> str:
    if opts.group_by is None:
        return default
    value = record.get(opts.group_by)
    return "" if value is None else value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _unpack(item: Item, source: str, opts: StreamOptions) -> _Text | Outcome:
    """The text to clean from one item, or the pass-through outcome of a bad one."""
    number, payload = item
    if isinstance(payload, Entry):
        where = f"{source}: item {number}"
        if payload.body is None:
            return _passed(payload.record, f"{source}: {payload.error}", payload.error or "unreadable item")
        return _Text(payload.record, payload.body, payload.html, _group(payload.record, opts, payload.group), where)
    where = f"{source}:{number}"
    raw = payload.rstrip(b"\r\n")
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _bad_line(number, raw.decode("utf-8", "replace"), where, f"not valid UTF-8 at byte {exc.start}")
    try:
        record = json.loads(line, parse_constant=_refuse_constant)
    except ValueError as exc:
        return _bad_line(number, line, where, f"invalid JSON ({exc})")
    if not isinstance(record, dict):
        return _bad_line(number, line, where, f"a JSON {type(record).__name__}, not an object")
    field = opts.html_field or opts.field
    if field not in record:
        return _passed(record, f"{where}: no field {field!r}", f"no field {field!r}")
    value = record[field]
    if not isinstance(value, str):
        kind = "null" if value is None else type(value).__name__
        return _passed(record, f"{where}: field {field!r} is {kind}, not a string", f"field {field!r} is not a string")
    return _Text(record, value, opts.html_field is not None, _group(record, opts, source), where)


class _SourceCleaner(Cleaner):
    """The worker's cleaner with one source's learned lines, for the HTML front end.

    ``clean_html`` hands its extracted text to ``cleaner.clean``; this adds the recurring
    lines there, and records the text when learning (``seen``).
    """

    def __init__(self, base: Cleaner, recurring: frozenset[str], seen: list[str] | None = None) -> None:
        super().__init__(lang=base.lang, options=base.options)
        self._recurring, self._seen = recurring, seen

    def clean(
        self, text: str, *, extra: Mapping[str, Any] | None = None, recurring: frozenset[str] = frozenset()
    ) -> Result:
        if self._seen is not None:
            self._seen.append(text)
        return super().clean(text, extra=extra, recurring=recurring | self._recurring)


def _clean_html(cleaner: Cleaner, html: str) -> Result:
    from newsclean.html import clean_html  # lazily: trafilatura is slow to import

    result: Result = clean_html(html, cleaner=cleaner)
    return result


class ChunkWorker:
    """The record code every process runs: one per process, holding its cleaner and learned lines.

    ``run("clean", chunk)`` gives one :class:`Outcome` per item, in order; ``run("learn",
    chunk)`` gives the chunk's :class:`~newsclean.learn.SourceProfile`. ``recurring`` maps a
    group to its learned fingerprints (set it before cleaning). The command line (``-j 1`` in
    process, ``-j N`` in workers) and :mod:`newsclean.dask` both use it, so record shapes agree.

    >>> worker = ChunkWorker(StreamOptions())
    >>> chunk = Chunk("<doc>", ((1, b'{"text": "Hi."}'), (2, b"{")), 0)
    >>> for outcome in worker.run("clean", chunk):  # doctest: +ELLIPSIS
    ...     print(outcome.line[:34], "|", outcome.error)
    {"text": "Hi.", "clean_text": "Hi. | None
    {"error": "invalid JSON (Expecting | <doc>:2: invalid JSON (...)
    """

    def __init__(self, opts: StreamOptions) -> None:
        self.opts = opts
        self.cleaner = Cleaner(lang=opts.lang, options=opts.options)
        self.recurring: dict[str, frozenset[str]] = {}

    def run(self, kind: Literal["learn", "clean"], chunk: Chunk) -> Any:
        """Learn from or clean one chunk (see the class)."""
        if kind == "learn":
            return SourceProfile.of(p for p in (self._learn(i, chunk.source) for i in chunk.items) if p is not None)
        return [self._clean(item, chunk.source) for item in chunk.items]

    def _learn(self, item: Item, source: str) -> tuple[str, frozenset[str]] | None:
        got = _unpack(item, source, self.opts)
        if isinstance(got, Outcome):
            return None
        try:
            if not got.html:
                return got.group, zone_fingerprints(got.text, self.cleaner)
            seen: list[str] = []
            _clean_html(_SourceCleaner(self.cleaner, frozenset(), seen), got.text)
            return got.group, frozenset().union(*(zone_fingerprints(t, self.cleaner) for t in seen))
        except Exception:  # a record that cannot be read is reported by the cleaning pass
            return None

    def _clean(self, item: Item, source: str) -> Outcome:
        opts = self.opts
        got = _unpack(item, source, opts)
        if isinstance(got, Outcome):
            return got
        recurring = self.recurring.get(got.group, frozenset())
        try:
            if got.html:
                result = _clean_html(_SourceCleaner(self.cleaner, recurring) if recurring else self.cleaner, got.text)
            else:
                result = self.cleaner.clean(got.text, recurring=recurring)
        except Exception as exc:  # one bad record must not stop the stream: it is passed through
            reason = str(exc) if isinstance(exc, NewscleanError) else f"cannot clean: {type(exc).__name__}: {exc}"
            return _passed(got.record, f"{got.where}: {reason}", reason)
        meta = result.to_dict()
        del meta["text"]
        record = {**got.record, opts.out_field: result.text, opts.meta_field: meta}
        removed = sum(1 for r in result.removed if not r.inline)
        learned = sum(1 for r in result.removed if r.category is Category.RECURRING)
        return Outcome(dumps(record), None, removed, learned)


__all__ = ["Chunk", "ChunkWorker", "Item", "Outcome", "StreamOptions", "dumps"]
