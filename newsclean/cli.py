"""The command line: a thin, pipe-friendly shell over the library.

``newsclean < post.txt > clean.txt`` cleans one document; ``--json`` writes the whole result;
``--explain`` shows every input line with what happened to it. Stream modes (``--jsonl``,
``--feed``, ``--telegram``) live in :mod:`newsclean.stream`. ``main(argv) -> int`` returns the
exit status: 0 success, 1 an input could not be read or decoded, 2 wrong usage, 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import IO

from newsclean import __version__
from newsclean.api import Cleaner
from newsclean.errors import NewscleanError
from newsclean.rules import available_languages
from newsclean.textio import DecodeError, decode_bytes, describe_os_error, looks_like_html
from newsclean.types import Category, Options, Result

PROG = "newsclean"
_COLOURS = {"keep": "", "cut": "\033[33m", "drop": "\033[31m", "dim": "\033[2m", "reset": "\033[0m"}


def create_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Clean news-agency copy: strip boilerplate, keep the article, explain every removal.",
        epilog="Exit status: 0 ok, 1 unreadable input, 2 usage error, 130 interrupted.",
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="input files (default: standard input; '-' is stdin)")
    p.add_argument("-o", "--output", metavar="OUT", help="write here instead of standard output")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="write the full result as one JSON object per document")
    out.add_argument("--explain", action="store_true", help="show each input line and why it was removed")
    p.add_argument("--lang", metavar="CODE", help="language of the input (skips detection); see --list-languages")
    p.add_argument("--html", action="store_true", help="the input is HTML (default: detected when it starts with markup)")
    p.add_argument("--text", action="store_true", help="the input is plain text, even if it looks like markup")
    p.add_argument("--url", help="with --html: the page URL, to resolve relative links (never fetched)")
    p.add_argument("--encoding", help="decode input with this encoding instead of UTF-8 / detection")
    p.add_argument("--keep", action="append", default=[], metavar="CATEGORY",
                   choices=[c.value for c in Category], help="keep lines of this category (repeatable)")
    stream = p.add_argument_group("streams (see README)")
    mode = stream.add_mutually_exclusive_group()
    mode.add_argument("--jsonl", action="store_true", help="input is JSON Lines; one JSON object out per record")
    mode.add_argument("--feed", action="store_true", help="input is an RSS/Atom feed; one JSON line per item")
    mode.add_argument("--telegram", action="store_true", help="input is a Telegram export result.json")
    stream.add_argument("--field", default="text", help="JSONL input text field (default: text)")
    stream.add_argument("--html-field", help="JSONL input field holding HTML instead of text")
    stream.add_argument("--out-field", default="clean_text", help="field for the cleaned text (default: clean_text)")
    stream.add_argument("--meta-field", default="newsclean", help="field for the metadata (default: newsclean)")
    stream.add_argument("--group-by", metavar="FIELD", help="with --learn: the field naming a record's source")
    stream.add_argument("--learn", action="store_true", help="learn each source's recurring boilerplate lines")
    stream.add_argument("--learn-window", type=int, default=1000, metavar="N",
                        help="with --learn on standard input: records read and learned before they are cleaned "
                             "(default: 1000; files get two passes instead)")
    stream.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="worker processes (default: 1)")
    stream.add_argument("--strict", action="store_true", help="exit 1 if any record had an error")
    stream.add_argument("--quiet", action="store_true", help="no summary line on stderr")
    stream.add_argument("--progress", choices=["auto", "always", "never"], default="auto",
                        help="progress bar on stderr (auto: when stderr is a terminal and the size is known)")
    p.add_argument("--list-languages", action="store_true", help="list the languages with rule data and exit")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return p


def _error(message: str) -> None:
    sys.stderr.write(f"{PROG}: error: {message}\n")


def _read(path: str, encoding: str | None) -> str:
    """Read and decode one input; raises DecodeError or OSError with a one-line message."""
    if path == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        if os.path.isdir(path):
            raise IsADirectoryError(f"{path}: is a directory")
        with open(path, "rb") as fh:
            data = fh.read()
        name = path
    return decode_bytes(data, name, encoding)


def _render_explain(text: str, result: Result, colour: bool) -> str:
    c = _COLOURS if colour else {k: "" for k in _COLOURS}
    whole = {r.line: r for r in result.removed if not r.inline}
    cuts: dict[int, list[str]] = {}
    for r in result.removed:
        if r.inline:
            cuts.setdefault(r.line, []).append(f"{c['cut']}    ~ {r.category.value} ({r.rule}): {r.text!r}{c['reset']}")
    out = []
    for number, line in enumerate(text.splitlines()):
        dropped = whole.get(number)
        if dropped is not None:
            out.append(f"{c['drop']}- {line.strip()}   [{dropped.category.value}: {dropped.rule}]{c['reset']}")
        elif line.strip():
            out.append(f"  {line.strip()}")
        out.extend(cuts.get(number, []))
    meta = {k: v for k, v in (("title", result.title), ("language", result.language), ("dateline", result.dateline),
                               ("byline", result.byline), ("source", result.source)) if v}
    out.append(f"{c['dim']}# {len(result.removed)} removed; " + "; ".join(f"{k}: {v}" for k, v in meta.items()) + c["reset"])
    return "\n".join(out) + "\n"


def _clean_one(cleaner: Cleaner, text: str, args: argparse.Namespace) -> Result:
    if args.html or (not args.text and looks_like_html(text)):
        from newsclean.html import clean_html

        return clean_html(text, url=args.url, cleaner=cleaner)
    return cleaner.clean(text)


def _write_document(out: IO[str], name: str, text: str, result: Result, args: argparse.Namespace, many: bool) -> None:
    if args.json:
        record = result.to_dict()
        if many:
            record = {"file": name, **record}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif args.explain:
        if many:
            out.write(f"==> {name} <==\n")
        out.write(_render_explain(text, result, colour=out.isatty() and not os.environ.get("NO_COLOR")))
    else:
        if many:
            out.write(f"==> {name} <==\n")
        out.write(result.text + ("\n" if result.text else ""))


def _run_documents(args: argparse.Namespace, out: IO[str]) -> int:
    options = Options()
    if args.keep:
        options = Options(drop=frozenset(Category) - {Category(k) for k in args.keep})
    elif not (args.json or args.explain):
        # Plain text out shows no language, and the language never changes which lines go (it
        # only names categories, which --keep would act on): skip loading the identifier.
        options = Options(detect_language=False)
    cleaner = Cleaner(lang=args.lang, options=options)
    files = args.files or ["-"]
    status = 0
    for path in files:
        name = "<stdin>" if path == "-" else path
        try:
            text = _read(path, args.encoding)
            result = _clean_one(cleaner, text, args)
        except (OSError, DecodeError, NewscleanError) as exc:
            _error(_describe(exc, name))
            status = 1
            continue
        _write_document(out, name, text, result, args, many=len(files) > 1)
        out.flush()
    return status


def _describe(exc: BaseException, name: str) -> str:
    return describe_os_error(exc, name) if isinstance(exc, OSError) else str(exc)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = create_parser()
    args = parser.parse_args(argv)
    if args.list_languages:
        sys.stdout.write("\n".join(available_languages()) + "\n")
        return 0
    if args.lang is not None and args.lang not in available_languages():
        parser.error(f"--lang {args.lang}: no rule data; available: {', '.join(available_languages())}")
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.learn_window < 1:
        parser.error("--learn-window must be at least 1")
    stream_only = [flag for flag, used in (("--learn", args.learn), ("--group-by", args.group_by),
                                           ("--html-field", args.html_field)) if used]
    if stream_only and not (args.jsonl or args.feed or args.telegram):
        parser.error(f"{stream_only[0]} needs --jsonl, --feed or --telegram")
    out: IO[str] = sys.stdout
    try:
        if args.output:
            try:
                out = open(args.output, "w", encoding="utf-8")
            except OSError as exc:
                _error(_describe(exc, args.output))
                return 1
        else:
            sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
        if args.jsonl or args.feed or args.telegram:
            from newsclean.stream import run_cli

            return run_cli(args, out)
        return _run_documents(args, out)
    except BrokenPipeError:
        # The reader went away (`| head -1`): stop quietly, and keep Python from complaining
        # about the pipe again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return 130
    finally:
        if out is not sys.stdout:
            out.close()
