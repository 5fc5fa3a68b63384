"""Inline edits: what goes from inside a line that stays, and the links every line holds.

A body sentence that contains a link keeps its words and loses the link (principle 1). Cut
here, each with its own reason: URLs (with brackets they would leave empty), Markdown link
targets and brackets (the anchor text stays), Markdown emphasis markers, a signature @handle
glued to the end of a line, and a hashtag tail after a sentence. Every cut is a span of the
line, so the caller can report it with input offsets.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable

import regex

from newsclean.segment import EMPHASIS, HANDLE, HASHTAG, MARKDOWN_LINK, SENTENCE_STOPS, find_urls
from newsclean.types import Category, Options

_VISIBLE = regex.compile(r"[\p{L}\p{N}\p{S}]")
# What may stand before a signature handle or a hashtag tail: the end of a sentence or an emoji.
_SENTENCE_STOP = regex.compile(rf"[{SENTENCE_STOPS}»”\"')\]\p{{So}}\ufe0f]$")
# A bar, a dash or an emoji label joining a signature to the sentence before it, with the
# spaces around it ("… | @chan", "… — @chan", "… 🆔 @chan").
_SIGNATURE_JOIN = regex.compile(r"\s*(?:\||\s[\u2014\u2013-]|[\p{So}\ufe0f]+)$")
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


# A link's context is its line; on a longer line, this many characters either side of the link
# (a 2 MB line holding 1,000 URLs would otherwise be copied 1,000 times into a JSON result).
CONTEXT_CHARS = 160


def link_context(line: str, start: int, end: int) -> str:
    """The line a link at ``start:end`` stands in, cut to :data:`CONTEXT_CHARS` either side of
    the link when the line is longer.

    >>> link_context("  See https://a.org/x now. ", 6, 21)
    'See https://a.org/x now.'
    """
    if len(line) - (end - start) <= 2 * CONTEXT_CHARS:
        return line.strip()
    return line[max(0, start - CONTEXT_CHARS) : end + CONTEXT_CHARS].strip()


def find_links(text: str) -> list[FoundLink]:
    """Every Markdown link, URL and @handle in ``text``, in order, without overlaps.

    >>> [(f.url, f.anchor) for f in find_links("See [this](https://a.org/x) and @chan")]
    [('https://a.org/x', 'this'), ('@chan', None)]
    """
    found: list[FoundLink] = []
    taken = Coverage()
    if "](" in text:
        for m in MARKDOWN_LINK.finditer(text):
            found.append(FoundLink(m.start(), m.end(), m.group(2), "url", m.group(1).strip() or None))
            taken.add(*m.span())
    if "/" in text or "www." in text:
        for s, e in find_urls(text):
            if not taken.overlaps(s, e):
                found.append(FoundLink(s, e, text[s:e], "url", None))
                taken.add(s, e)
    if "@" in text:
        for m in HANDLE.finditer(text):
            if not taken.overlaps(m.start(), m.end()):
                found.append(FoundLink(m.start(), m.end(), m.group(0), "handle", None))
    found.sort(key=lambda f: f.start)
    return found


class Coverage:
    """Spans merged into disjoint sorted intervals, with logarithmic queries, so a line that
    holds thousands of links is still cut in near-linear time."""

    __slots__ = ("ends", "starts")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in spans:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        lo = bisect.bisect_left(self.ends, start)  # first interval ending at or after `start`
        hi = bisect.bisect_right(self.starts, end)  # intervals starting at or before `end`
        if lo < hi:
            start, end = min(start, self.starts[lo]), max(end, self.ends[hi - 1])
        self.starts[lo:hi] = [start]
        self.ends[lo:hi] = [end]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)
        return i > 0 and self.ends[i - 1] > start

    def around(self, pos: int) -> int | None:
        """Start of the interval holding the character at ``pos``, or None."""
        i = bisect.bisect_right(self.starts, pos)
        return self.starts[i - 1] if i > 0 and self.ends[i - 1] > pos else None

    def __contains__(self, pos: int) -> bool:
        return self.around(pos) is not None


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


def _visible_end(text: str, cover: Coverage) -> int:
    """Offset just past the last character that is neither white space nor cut."""
    pos = len(text)
    while pos > 0:
        inside = cover.around(pos - 1)
        if inside is not None:
            pos = inside
        elif text[pos - 1].isspace():
            pos -= 1
        else:
            break
    return pos


def _space_or_cut(text: str, start: int, end: int, cover: Coverage) -> bool:
    return all(text[pos].isspace() or text[pos] == "," or pos in cover for pos in range(start, end))


def _tail_cut(text: str, cuts: list[Cut], cover: Coverage, pattern: regex.Pattern[str], kind: tuple[Category, str]) -> None:
    """Cut a run of ``pattern`` tokens (handles or hashtags) at the end of the line when it
    follows the end of a sentence, an emoji, a cut link, or a wide gap."""
    end = _visible_end(text, cover)
    run_start = None
    pos = end
    for m in reversed([m for m in pattern.finditer(text, 0, end) if not cover.overlaps(m.start(), m.end())]):
        if not _space_or_cut(text, m.end(), pos, cover):
            break
        run_start = pos = m.start()
    if run_start is None:
        return
    before = text[:run_start]
    stripped = before.rstrip()
    joined = _SIGNATURE_JOIN.search(stripped)
    if joined is not None and _SENTENCE_STOP.search(stripped, 0, joined.start()):
        # "…sentence. | @chan", "…sentence. 🆔 @chan": the joiner goes with the signature.
        run_start, stripped = joined.start(), stripped[: joined.start()]
    after_cut = bool(stripped) and (len(stripped) - 1 in cover or _visible_end(before, cover) < len(stripped))
    wide_gap = len(before) - len(stripped) >= 2
    if stripped and (after_cut or wide_gap or _SENTENCE_STOP.search(stripped)):
        cuts.append(Cut(run_start, end, *kind))
        cover.add(run_start, end)


# What every cut below looks for first: "](", "/" or "www." (links), "**" or "__" (emphasis),
# "@" (handles), "#" (hashtags).
_MAY_CUT = re.compile(r"\]\(|[/@#]|www\.|\*\*|__")


def _name_tail_cut(text: str, cuts: list[Cut], cover: Coverage, names: Iterable[str]) -> None:
    """Cut the channel's name joined by a dash to the end of a sentence ("… на «Арені Львів». —
    Футбол UA"), when it is one of ``names``: the labels removed above the headline. An agency
    credited the same way ("… — ТАСС") is no channel label and stays."""
    stripped = text.rstrip()
    for name in names:
        if not name or not stripped.casefold().endswith(name.casefold()):
            continue
        start = len(text[: len(stripped) - len(name)].rstrip())
        joined = _SIGNATURE_JOIN.search(text, 0, start)
        if (joined is not None and joined.group().strip() in ("\u2014", "\u2013", "-")
                and _SENTENCE_STOP.search(text, 0, joined.start()) and not cover.overlaps(joined.start(), len(text))):
            cuts.append(Cut(joined.start(), len(stripped), Category.SIGNATURE, "signature.trailing_name"))
            cover.add(joined.start(), len(stripped))
            return


def edit_line(text: str, options: Options, signature_names: tuple[str, ...] = ()) -> LineEdit:
    """Cut links, markup and trailing signatures out of a kept line. ``signature_names`` are
    channel names that may close it after a dash (the last line of a post).

    >>> edit_line("Bill signed (http://cnn.it/x) today.", Options()).text
    'Bill signed today.'
    >>> edit_line("**Storm** hits [the coast](https://a.org/s).  @chan", Options()).text
    'Storm hits the coast.'
    """
    if not signature_names and _MAY_CUT.search(text) is None:
        return LineEdit(text.strip(), ())  # most body lines: none of the marks any cut starts from
    cuts: list[Cut] = []
    cover = Coverage()

    def cut(start: int, end: int, category: Category, rule: str) -> None:
        cuts.append(Cut(start, end, category, rule))
        cover.add(start, end)

    drop = options.drop
    links_go = options.strip_links and Category.LINK in drop
    markup_go = options.strip_markup and Category.MARKUP in drop
    if "](" in text and (links_go or markup_go):
        for m in MARKDOWN_LINK.finditer(text):
            if not _VISIBLE.search(m.group(1)):
                if links_go:  # an empty anchor: the link is all there is ("[​](url)")
                    cut(m.start(), m.end(), Category.LINK, "link.inline")
            elif markup_go:
                cut(m.start(), m.start() + 1, Category.MARKUP, "markup.link")
                cut(m.start(2) - 2, m.end(), Category.LINK, "link.inline")
    if links_go and ("/" in text or "www." in text):
        for s, e in find_urls(text):
            if not cover.overlaps(s, e):
                s, e = _widen_to_brackets(text, s, e)
                if not cover.overlaps(s, e):
                    cut(s, e, Category.LINK, "link.inline")
    if markup_go and ("**" in text or "__" in text):
        for m in EMPHASIS.finditer(text):
            # A cut must not make a hashtag or a handle that a second clean would cut: a marker
            # right after "#" or "@" stays ("#**tag**"), and so does "__" right before one ("_"
            # is a word character, so "__#tag" holds no hashtag until the marker goes).
            if cover.overlaps(m.start(), m.end()) or text[m.start() - 1 : m.start()] in ("#", "@"):
                continue
            if m.group() == "__" and text[m.end() : m.end() + 1] in ("#", "@"):
                continue
            cut(m.start(), m.end(), Category.MARKUP, "markup.emphasis")
    if "@" in text and Category.SIGNATURE in drop:
        _tail_cut(text, cuts, cover, HANDLE, (Category.SIGNATURE, "signature.trailing_handle"))
    if "#" in text and Category.HASHTAGS in drop:
        _tail_cut(text, cuts, cover, HASHTAG, (Category.HASHTAGS, "hashtags.tail"))
    if signature_names and Category.SIGNATURE in drop:
        _name_tail_cut(text, cuts, cover, signature_names)
    if not cuts:
        return LineEdit(text.strip(), ())
    cuts.sort(key=lambda c: c.start)
    return LineEdit(_join_around(text, cover), tuple(cuts))


def _join_around(text: str, cover: Coverage) -> str:
    """The line without its cuts, with the white space each cut leaves tidied."""
    parts: list[str] = []
    pos = 0
    for start, end in zip(cover.starts, cover.ends):
        _glue(parts, text[pos:start])
        pos = end
    _glue(parts, text[pos:])
    joined: str = _SPACE.sub(" ", "".join(parts))
    return joined.strip()


def _glue(parts: list[str], right: str) -> None:
    """Append ``right``; where a cut joined two spaces keep one, and no space before , . ; :"""
    left = parts[-1] if parts else ""
    if left[-1:].isspace() and right[:1].isspace():
        right = right.lstrip(" \t")
    if right[:1] and right[0] in _PUNCT_AFTER_CUT and left[-1:].isspace():
        parts[-1] = left.rstrip(" \t")
    if right:
        parts.append(right)
