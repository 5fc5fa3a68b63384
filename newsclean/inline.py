"""Inline edits: what goes from inside a line that stays, and the links every line holds.

A body sentence that contains a link keeps its words and loses the link (principle 1). Cut
here, each with its own reason: URLs (with brackets they would leave empty), Markdown link
targets and brackets (the anchor text stays), Markdown emphasis markers, a signature @handle
glued to the end of a line, and a hashtag tail after a sentence. Every cut is a span of the
line, so the caller can report it with input offsets.
"""

from __future__ import annotations

import dataclasses

import regex

from newsclean.segment import EMPHASIS, HANDLE, HASHTAG, MARKDOWN_LINK, Line, find_urls
from newsclean.types import Category, Options

_VISIBLE = regex.compile(r"[\p{L}\p{N}\p{S}]")
# What may stand before a signature handle or a hashtag tail: the end of a sentence or an emoji.
_SENTENCE_STOP = regex.compile(r"[.!?…。！？۔।؟»”\"')\]\p{So}\ufe0f]$")
_SPACE = regex.compile(r"[^\S\n]{2,}")  # a run a cut left; single spaces (U+3000 too) stay
_PUNCT_AFTER_CUT = ",.;:!?،؛。、"


@dataclasses.dataclass(frozen=True, slots=True)
class Cut:
    """A span of a line (offsets within the line) removed with a reason."""

    start: int
    end: int
    category: Category
    rule: str


@dataclasses.dataclass(frozen=True, slots=True)
class FoundLink:
    """A link or handle in a line, with offsets within the line."""

    start: int
    end: int
    url: str
    kind: str
    anchor: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class LineEdit:
    """A kept line after its inline cuts."""

    text: str
    cuts: tuple[Cut, ...]


def find_links(text: str) -> list[FoundLink]:
    """Every Markdown link, URL and @handle in ``text``, in order, without overlaps.

    >>> [(f.url, f.anchor) for f in find_links("See [this](https://a.org/x) and @chan")]
    [('https://a.org/x', 'this'), ('@chan', None)]
    """
    found: list[FoundLink] = []
    taken: list[tuple[int, int]] = []
    if "](" in text:
        for m in MARKDOWN_LINK.finditer(text):
            found.append(FoundLink(m.start(), m.end(), m.group(2), "url", m.group(1).strip() or None))
            taken.append(m.span())
    if "/" in text or "www." in text:
        for s, e in find_urls(text):
            if not _overlaps(s, e, taken):
                found.append(FoundLink(s, e, text[s:e], "url", None))
                taken.append((s, e))
    if "@" in text:
        for m in HANDLE.finditer(text):
            if not _overlaps(m.start(), m.end(), taken):
                found.append(FoundLink(m.start(), m.end(), m.group(0), "handle", None))
    found.sort(key=lambda f: f.start)
    return found


def _overlaps(start: int, end: int, spans: list[tuple[int, int]] | list[Cut]) -> bool:
    for span in spans:
        s, e = (span.start, span.end) if isinstance(span, Cut) else span
        if start < e and s < end:
            return True
    return False


def _widen_to_brackets(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in brackets that would be left empty around a cut URL: "(http://x)"."""
    s, e = start, end
    while s > 0 and text[s - 1] in " \t":
        s -= 1
    while e < len(text) and text[e] in " \t":
        e += 1
    pairs = {"(": ")", "[": "]", "（": "）", "<": ">", "«": "»"}
    if s > 0 and e < len(text) and pairs.get(text[s - 1]) == text[e]:
        return s - 1, e + 1
    return start, end


def _visible_end(text: str, cuts: list[Cut]) -> int:
    """Offset just past the last character that is neither white space nor cut."""
    pos = len(text)
    while pos > 0:
        inside = next((c for c in cuts if c.start < pos <= c.end), None)
        if inside is not None:
            pos = inside.start
        elif text[pos - 1].isspace():
            pos -= 1
        else:
            break
    return pos


def _space_or_cut(text: str, start: int, end: int, cuts: list[Cut]) -> bool:
    for pos in range(start, end):
        if not (text[pos].isspace() or text[pos] == "," or any(c.start <= pos < c.end for c in cuts)):
            return False
    return True


def _tail_cut(text: str, cuts: list[Cut], pattern: regex.Pattern[str], category: Category, rule: str) -> None:
    """Cut a run of ``pattern`` tokens (handles or hashtags) at the end of the line when it
    follows the end of a sentence, an emoji, a cut link, or a wide gap."""
    end = _visible_end(text, cuts)
    run_start = None
    pos = end
    for m in reversed([m for m in pattern.finditer(text, 0, end) if not _overlaps(m.start(), m.end(), cuts)]):
        if not _space_or_cut(text, m.end(), pos, cuts):
            break
        run_start = pos = m.start()
    if run_start is None:
        return
    before = text[:run_start]
    stripped = before.rstrip()
    after_cut = any(c.end == len(stripped) or (c.end <= run_start and not before[c.end :].strip()) for c in cuts)
    wide_gap = len(before) - len(stripped) >= 2
    if stripped and (after_cut or wide_gap or _SENTENCE_STOP.search(stripped)):
        cuts.append(Cut(run_start, end, category, rule))


def edit_line(text: str, options: Options) -> LineEdit:
    """Cut links, markup and trailing signatures out of a kept line.

    >>> edit_line("Bill signed (http://cnn.it/x) today.", Options()).text
    'Bill signed today.'
    >>> edit_line("**Storm** hits [the coast](https://a.org/s).  @chan", Options()).text
    'Storm hits the coast.'
    """
    cuts: list[Cut] = []
    drop = options.drop
    links_go = options.strip_links and Category.LINK in drop
    markup_go = options.strip_markup and Category.MARKUP in drop
    if "](" in text and (links_go or markup_go):
        for m in MARKDOWN_LINK.finditer(text):
            if not _VISIBLE.search(m.group(1)):
                if links_go:  # an empty anchor: the link is all there is ("[​](url)")
                    cuts.append(Cut(m.start(), m.end(), Category.LINK, "link.inline"))
            elif markup_go:
                cuts.append(Cut(m.start(), m.start() + 1, Category.MARKUP, "markup.link"))
                cuts.append(Cut(m.start(2) - 2, m.end(), Category.LINK, "link.inline"))
    if links_go and ("/" in text or "www." in text):
        for s, e in find_urls(text):
            if not _overlaps(s, e, cuts):
                s, e = _widen_to_brackets(text, s, e)
                cuts.append(Cut(s, e, Category.LINK, "link.inline"))
    if markup_go and ("**" in text or "__" in text):
        for m in EMPHASIS.finditer(text):
            if not _overlaps(m.start(), m.end(), cuts):
                cuts.append(Cut(m.start(), m.end(), Category.MARKUP, "markup.emphasis"))
    if "@" in text and Category.SIGNATURE in drop:
        _tail_cut(text, cuts, HANDLE, Category.SIGNATURE, "signature.trailing_handle")
    if "#" in text and Category.HASHTAGS in drop:
        _tail_cut(text, cuts, HASHTAG, Category.HASHTAGS, "hashtags.tail")
    if not cuts:
        return LineEdit(text.strip(), ())
    cuts.sort(key=lambda c: c.start)
    return LineEdit(_join_around(text, cuts), tuple(cuts))


def _join_around(text: str, cuts: list[Cut]) -> str:
    """The line without its cuts, with the white space each cut leaves tidied."""
    out = ""
    pos = 0
    for cut in cuts:
        piece = text[pos : cut.start]
        out = _glue(out, piece) if pos else piece
        pos = max(pos, cut.end)
    out = _glue(out, text[pos:])
    return _SPACE.sub(" ", out).strip()


def _glue(left: str, right: str) -> str:
    if left[-1:].isspace() and right[:1].isspace():
        right = right.lstrip(" \t")
    if right[:1] and right[0] in _PUNCT_AFTER_CUT and left[-1:].isspace():
        left = left.rstrip(" \t")
    return left + right
