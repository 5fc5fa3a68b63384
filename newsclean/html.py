"""HTML input: a fragment or a whole page becomes lines, then the text pipeline runs.

Two front ends share one block model. A *fragment* (an RSS ``description``, a Telegram HTML
export: no ``<html>``/``<head>``/``<body>``) is parsed with BeautifulSoup. A *page* goes through
trafilatura, which finds the main content and the metadata; its output tree is walked the same
way. Blocks become lines: paragraphs and headings are separated by a blank line, list items
(``- `` marked) and table rows by a newline, ``<br>`` breaks a line inside its paragraph;
``<script>``, ``<style>``, ``<noscript>`` and ``<template>`` are dropped, entities decoded.

Links: every ``<a href>`` is reported in ``Result.links`` (resolved against ``url`` when
given). A link inside a sentence leaves only its anchor text there. A block made of nothing
but links, above the first or below the last body paragraph, is written as Markdown
``[anchor](href)`` so the text pipeline judges it like a Telegram link line (short anchors go
as link furniture, "Subscribe" as a call to subscribe); between body paragraphs such a block
is content (a product name, a cited source) and is written as plain text.

Pages get two decisions of their own (rule ids ``html.*``): the headline (the block repeating
the page title, or the heading the content opens with) becomes ``Result.title`` and leaves the
body, with short kicker lines above it; and a run of link-only blocks or list items opening
with a headline link at the very end of the content goes as a related-stories list.
Everything removed is explained with offsets into the extracted text (:func:`extract`).
Nothing here fetches anything: a URL is data.
"""

from __future__ import annotations

import bisect
import codecs
import dataclasses
import datetime
import itertools
import re
from collections.abc import Mapping
from html import escape
from typing import Any
from urllib.parse import urljoin

import regex

from newsclean.api import Cleaner, _cached_cleaner
from newsclean.context import SUBSTANTIAL_WORDS
from newsclean.detectors import SENTENCE_END, ends_like_sentence
from newsclean.errors import InputError
from newsclean.inline import link_context
from newsclean.textio import decode_bytes
from newsclean.types import Category, Link, Options, Removal, Result

# Larger input is refused: trafilatura's time grows faster than the page (a dense 3 MB page
# takes 4 s, 5 MB 7 s, 50 MB 13 min), and the largest real article page in AEB is 1.5 MB.
MAX_HTML_CHARS = 8_000_000
# libxml2 silently drops everything below 256 levels of nesting (and what follows it); deeper
# pages are first rewritten with their nesting capped at this depth, so no text is lost.
FLAT_DEPTH = 100
_PAGE = regex.compile(r"<(?:!doctype\s+html|html|head|body)[\s>/]", regex.IGNORECASE)
_META_CHARSET = regex.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", regex.I)
# WHATWG: these labels mean windows-1252; a UTF-16 label in an ASCII-readable page means UTF-8.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252",
                    "us-ascii": "cp1252", "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8"}
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# White space collapses as in a browser; exotic line separators too, so only "\n" breaks lines.
_WS = regex.compile(r"[ \t\n\r\f\v\x1c-\x1e\x85\u2028\u2029]+")
_NEWLINE = regex.compile("\n")
_NOT_NEWLINE = regex.compile(r"[^\n]")
_BRACKET_OR_NEWLINE = regex.compile(r"[\[\]\n]")
_VISIBLE = regex.compile(r"\w")
_TOKENS = regex.compile(r"\w+")
_FAVOR = {None: (False, False), "precision": (True, False), "recall": (False, True)}

SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "svg", "iframe", "object", "select"})
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "tfoot", "thead", "tr", "ul",
})
GROUPS = frozenset({"ul", "ol", "dl", "table"})
_PARAGRAPHS = frozenset({"p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})
_KINDS = {"li": "li", "dt": "li", "dd": "li", "tr": "tr", **{f"h{n}": "h" for n in range(1, 7)}}
# trafilatura's output vocabulary (TEI-like) in HTML terms.
_TEI = {"head": "h2", "item": "li", "list": "ul", "quote": "blockquote", "row": "tr", "cell": "td",
        "lb": "br", "ref": "a"}
# A headline may sit under at most this many short kicker / breadcrumb blocks.
KICKER_BLOCKS = 2
KICKER_WORDS = 5
# A related list at the end of the content: at least this many link-led blocks.
RELATED_RUN = 2


@dataclasses.dataclass(frozen=True, slots=True)
class Block:
    """One paragraph, heading, list item or table row, with its links (offsets in ``text``)."""

    kind: str  # "p", "h", "li" or "tr"
    text: str
    links: tuple[tuple[int, int, str], ...]
    group: int  # the list or table it belongs to (0: none); items of one group share a line break
    loose: bool = False  # inline content outside any paragraph (trafilatura's split sentences)
    item: int = 0  # the list item it belongs to (0: none); a teaser under a headline link shares it

    @property
    def link_only(self) -> bool:
        if not self.links:
            return False
        outside, pos = [], 0
        for start, end, _ in self.links:
            outside.append(self.text[pos:start])
            pos = end
        outside.append(self.text[pos:])
        return _VISIBLE.search("".join(outside)) is None

    @property
    def link_led(self) -> bool:
        """Opens with a link of at least two words: a headline teaser ("[Title](u) summary")."""
        if not self.links or _VISIBLE.search(self.text[: self.links[0][0]]):
            return False
        start, end, _ = self.links[0]
        return len(_TOKENS.findall(self.text[start:end])) >= 2


@dataclasses.dataclass(frozen=True, slots=True)
class Anchor:
    """An ``<a href>`` placed in the extracted text: its span, target, anchor text and form."""

    start: int
    end: int
    url: str
    anchor: str
    markdown: bool  # written as [anchor](url) (a link-only block) or as bare anchor text


@dataclasses.dataclass(frozen=True, slots=True)
class Drop:
    """A block the HTML layer removes (or takes as the headline, category ``None``)."""

    start: int
    end: int
    category: Category | None
    rule: str


@dataclasses.dataclass(frozen=True, slots=True)
class Extraction:
    """What the HTML front end hands to the text pipeline.

    ``text`` is the extracted text; every offset in the :class:`Result` of :func:`clean_html`
    refers to it. ``kind`` is ``"page"`` or ``"fragment"``; ``metadata`` holds the page
    metadata (empty for fragments); ``drops`` are the HTML-level decisions.
    """

    text: str
    kind: str
    anchors: tuple[Anchor, ...]
    drops: tuple[Drop, ...]
    metadata: Mapping[str, Any]


class _Builder:
    """Collects blocks from a stream of start / text / end events (one per document)."""

    def __init__(self, containers: frozenset[str] = frozenset()) -> None:
        self.containers = containers  # block tags whose bare inline content is "loose"
        self.open_blocks: list[str] = []
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.size = 0
        self.last = "\n"
        self.links: list[tuple[int, int, str]] = []
        self.open: list[tuple[int, str | None]] = []
        self.kind = "p"
        self.groups = [0]
        self.group_count = 0
        self.cells = 0
        self.items = [0]
        self.item_count = 0

    def text(self, value: str) -> None:
        if not value.isprintable() or "  " in value:  # else its only white space is single spaces
            value = _WS.sub(" ", value)
        if value[:1] == " " and self.last in " \n":
            value = value[1:]
        if value:
            self.parts.append(value)
            self.size += len(value)
            self.last = value[-1]

    def start(self, tag: str, href: str | None) -> None:
        if tag == "a":
            self.open.append((self.size, href))
        elif tag == "br":
            self._newline()
        elif tag in ("td", "th"):
            if self.cells and self.size:
                self.text(" | ")
            self.cells += 1
        elif tag in BLOCKS:
            self.flush()
            self.open_blocks.append(tag)
            if tag in GROUPS:
                self.group_count += 1
                self.groups.append(self.group_count)
            elif tag == "li":
                self.item_count += 1
                self.items.append(self.item_count)
            self.kind = _KINDS.get(tag, "p")
            self.cells = 0

    def end(self, tag: str) -> None:
        if tag == "a" and self.open:
            start, href = self.open.pop()
            if href is not None:
                self.links.append((start, self.size, href))
        elif tag in BLOCKS:
            self.flush()
            if self.open_blocks:
                self.open_blocks.pop()
            if tag in GROUPS and len(self.groups) > 1:
                self.groups.pop()
            elif tag == "li" and len(self.items) > 1:
                self.items.pop()
            self.kind = "p"

    def _newline(self) -> None:
        if self.size and self.last != "\n":
            if self.last == " ":
                self.parts[-1] = self.parts[-1][:-1]
                self.size -= 1
            self.parts.append("\n")
            self.size += 1
            self.last = "\n"

    def flush(self) -> None:
        if not self.parts:  # nothing since the last flush: no text, open links still start at 0
            self.links = []
            return
        text = "".join(self.parts).rstrip(" \n")
        if text.strip():
            links = []
            for start, end, href in self.links:
                end = min(end, len(text))
                while start < end and text[start] in " \n":
                    start += 1
                while end > start and text[end - 1] in " \n":
                    end -= 1
                if end > start:
                    links.append((start, end, href))
            loose = bool(self.open_blocks) and self.open_blocks[-1] in self.containers
            self.blocks.append(Block(self.kind, text, tuple(sorted(links)), self.groups[-1], loose, self.items[-1]))
        self.parts, self.size, self.last, self.links = [], 0, "\n", []
        self.open = [(0, href) for _, href in self.open]  # a link spanning blocks restarts


def _soup_blocks(html: str) -> list[Block]:
    """Blocks of a fragment, walked without recursion (10,000 nested elements are fine)."""
    from bs4 import BeautifulSoup
    from bs4.element import NavigableString, PreformattedString, Tag

    builder = _Builder()
    stack: list[tuple[Any, bool]] = [(BeautifulSoup(html, "lxml"), False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            builder.end(node.name)
        elif isinstance(node, Tag):
            if node.name in SKIP:
                continue
            href = node.get("href") if node.name == "a" else None
            builder.start(node.name, href if isinstance(href, str) else None)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            builder.text(str(node))  # comments, doctypes and processing instructions are not text
    builder.flush()
    return builder.blocks


def _tree_blocks(body: Any) -> list[Block]:
    """Blocks of trafilatura's output tree (``p``, ``head``, ``list/item``, ``ref``, ``lb``...)."""
    from lxml import etree

    builder = _Builder(frozenset({"body", "div"}))
    for event, elem in etree.iterwalk(body, events=("start", "end")):
        if not isinstance(elem.tag, str):
            continue
        tag = _TEI.get(elem.tag, elem.tag)
        if event == "start":
            builder.start(tag, elem.get("target") if tag == "a" else None)
            if elem.text:
                builder.text(elem.text)
        else:
            builder.end(tag)
            if elem.tail and elem is not body:
                builder.text(elem.tail)
    builder.flush()
    return builder.blocks


def _resolve(href: str, base: str | None) -> str:
    href = href.strip()
    if not base or href.startswith(("https://", "http://")):  # most are absolute: skip urljoin's cost
        return href
    try:
        return urljoin(base, href)
    except ValueError:  # a malformed URL is data, kept as written
        return href


def _markdown_target(url: str) -> str | None:
    """The URL as a Markdown link target (no white space or brackets), or None if it cannot be."""
    target = _WS.sub("%20", url).replace("(", "%28").replace(")", "%29")
    return target if 0 < len(target) <= 2000 else None


def _block_line(block: Block, base: str | None, edge: bool) -> tuple[str, list[tuple[int, int, str, str, bool]]]:
    """A block's line and its anchors (start, end, url, anchor, markdown) in line offsets.

    A link-only block above or below the body (``edge``) is written as Markdown for the text
    pipeline to judge as link furniture; between body paragraphs it is content (a product
    name, a cited source) and stays plain text.
    """
    prefix = "- " if block.kind == "li" else ""
    links = [(s, e, _resolve(href, base), block.text[s:e]) for s, e, href in block.links]
    targets = [_markdown_target(url) for _, _, url, _ in links]
    markdown = (edge and not block.loose and block.link_only and all(targets)
                and not any(_BRACKET_OR_NEWLINE.search(a) for *_, a in links))
    if not markdown:
        n = len(prefix)
        return prefix + block.text, [(s + n, e + n, url, a.replace("\n", " "), False) for s, e, url, a in links]
    parts, out, pos, size = [prefix], [], 0, len(prefix)
    for (s, e, url, anchor), target in zip(links, targets, strict=True):
        between = block.text[pos:s]
        piece = f"[{anchor}]({target})"
        parts += [between, piece]
        size += len(between)
        out.append((size, size + len(piece), url, anchor, True))
        size += len(piece)
        pos = e
    parts.append(block.text[pos:])
    return "".join(parts), out


def _render(blocks: list[Block], base: str | None) -> tuple[str, list[Anchor], list[tuple[int, int]]]:
    """The extracted text, its anchors, and each block's span in it."""
    pieces: list[str] = []
    anchors: list[Anchor] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    # The body runs from the first substantial block to the last: found from either end.
    first = next((i for i, b in enumerate(blocks) if _substantial(b.text)), len(blocks))
    last = next((i for i in range(len(blocks) - 1, first - 1, -1) if _substantial(blocks[i].text)), -1)
    for i, block in enumerate(blocks):
        if i:
            prev = blocks[i - 1]
            same_list = block.group and block.group == prev.group and block.kind == prev.kind in ("li", "tr")
            pieces.append("\n" if same_list else "\n\n")
            pos += len(pieces[-1])
        line, local = _block_line(block, base, edge=i < first or i > last)
        anchors += [Anchor(pos + s, pos + e, url, anchor, md) for s, e, url, anchor, md in local]
        pieces.append(line)
        spans.append((pos, pos + len(line)))
        pos += len(line)
    return "".join(pieces), anchors, spans


def _substantial(text: str) -> bool:
    """A body paragraph: long enough and ending like a sentence (bounds the edge zones)."""
    if not ends_like_sentence(text):
        return False
    return sum(1 for _ in itertools.islice(_TOKENS.finditer(text), SUBSTANTIAL_WORDS)) == SUBSTANTIAL_WORDS


def _tokens(text: str) -> list[str]:
    return [t.casefold() for t in _TOKENS.findall(text)]


def _headline(blocks: list[Block], title: str | None) -> int | None:
    """Index of the block that is the article's headline, or None.

    The block repeats the page title (a heading sharing most of its words with it, or a
    paragraph equal to it or to its start), possibly under short kicker or breadcrumb blocks;
    failing that, content that opens with a heading opens with its headline.
    """
    want = set(_tokens(title or ""))
    for i, block in enumerate(blocks[: KICKER_BLOCKS + 1]):
        words = _tokens(block.text)
        if want and words and not SENTENCE_END.search(block.text.rstrip("?!")):
            shared = sum(w in want for w in words) / len(words)
            if (block.kind == "h" and shared >= 0.5) or (block.kind == "p" and shared >= 0.8 and len(words) >= 4):
                return i
        if len(words) > KICKER_WORDS or SENTENCE_END.search(block.text):
            break
    if blocks and blocks[0].kind == "h" and len(blocks) > 1 and not SENTENCE_END.search(blocks[0].text):
        return 0
    return None


def _units(blocks: list[Block]) -> list[list[int]]:
    """Blocks grouped by list item (a headline link and its teaser go together)."""
    units: list[list[int]] = []
    for i, block in enumerate(blocks):
        if units and block.item and blocks[units[-1][0]].item == block.item:
            units[-1].append(i)
        else:
            units.append([i])
    return units


def _related_tail(blocks: list[Block]) -> list[int]:
    """Blocks of a related-stories list ending the content: link-only blocks or list items that
    open with a headline link, among short labels, at least RELATED_RUN of them."""
    found: list[list[int]] = []
    for unit in reversed(_units(blocks)):
        first = blocks[unit[0]]
        if first.link_only or (first.item and first.link_led):
            found.append(unit)
        elif any(len(_TOKENS.findall(blocks[i].text)) > 12 for i in unit):
            break
    return sorted(i for unit in found for i in unit) if len(found) >= RELATED_RUN else []


def _page_drops(blocks: list[Block], spans: list[tuple[int, int]], title: str | None) -> list[Drop]:
    """The HTML-level decisions on a page: the headline (and kickers above it), related tails."""
    drops: list[Drop] = []
    head = _headline(blocks, title)
    if head is not None:
        drops += [Drop(*spans[j], Category.BANNER, "html.banner.kicker") for j in range(head)]
        drops.append(Drop(*spans[head], None, "html.headline"))
    taken = head if head is not None else -1
    drops += [Drop(*spans[i], Category.RELATED, "html.related.link_list") for i in _related_tail(blocks) if i > taken]
    return sorted(drops, key=lambda d: d.start)


def decode_html(data: bytes, name: str = "<html>") -> str:
    """Decode HTML bytes: a BOM, else valid UTF-8, else the page's ``<meta charset>``, else detection.

    >>> decode_html('<meta charset="windows-1251"><p>Привет</p>'.encode("cp1251"))
    '<meta charset="windows-1251"><p>Привет</p>'
    """
    if len(data) > MAX_HTML_CHARS:
        raise InputError(_too_large(name, len(data)))
    if not data.startswith(_BOMS) and not data.isascii():
        try:
            # Valid UTF-8 wins over the label: mis-labelled pages are common, UTF-8 by accident is not.
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        m = _META_CHARSET.search(data, 0, 4096)
        if m:
            label = m.group(1).decode("ascii").lower()
            try:
                return data.decode(codecs.lookup(_CHARSET_ALIASES.get(label, label)).name)
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong or unknown label: detect instead, as browsers do
    return decode_bytes(data, name)


def _too_large(name: str, size: int) -> str:
    limit = MAX_HTML_CHARS / 1e6
    return f"{name}: HTML input of {size / 1e6:.1f} MB is over the {limit:.0f} MB limit; cut out the article first"


def _parse_page(html: str) -> Any:
    """The page as an lxml tree, flattened first when it nests deeper than libxml2 keeps."""
    tree, too_deep = _lxml_parse(html)
    return _lxml_parse(_flatten(html))[0] if too_deep else tree


def _lxml_parse(html: str) -> tuple[Any, bool]:
    import lxml.html
    from lxml import etree

    # trafilatura's own parser settings; a fresh parser per call, so its error log is ours.
    parser = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                                  remove_comments=True, remove_pis=True)
    try:
        tree = lxml.html.fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError) as exc:
        raise InputError(f"<html>: not parseable as HTML ({exc})") from None
    return tree, any(e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for e in parser.error_log)


def _flatten(html: str) -> str:
    """The page written back with every element below FLAT_DEPTH unwrapped (its text moves up,
    a block's end becomes a ``<br>``). lxml's event parser has no depth limit, only its tree has."""
    from lxml import etree

    parser = etree.HTMLParser(target=_FlatWriter(), encoding="utf-8")
    parser.feed(html.encode("utf-8", "replace"))
    return str(parser.close())


class _FlatWriter:
    """An lxml parser target that serialises the events it gets, nesting capped at FLAT_DEPTH.

    Below the cap one paragraph-like element at a time is kept (so paragraphs stay apart);
    other elements are unwrapped, a block leaving a ``<br>``.
    """

    def __init__(self) -> None:
        self.out: list[str] = []
        self.depth = 0
        self.raw = 0  # inside <script> / <style>: text is written as it came
        self.deep_block = -1  # depth of the block kept below the cap, or -1

    def start(self, tag: str, attrib: Mapping[str, str]) -> None:
        keep = self.depth < FLAT_DEPTH or (self.deep_block < 0 and tag in _PARAGRAPHS)
        if keep:
            attrs = "".join(f' {k}="{escape(v)}"' for k, v in attrib.items())
            self.out.append(f"<{tag}{attrs}>")
            if self.depth >= FLAT_DEPTH:
                self.deep_block = self.depth
        elif tag in BLOCKS or tag == "br":
            self.out.append("<br>")
        if tag not in _VOID:
            self.depth += 1
            self.raw += tag in ("script", "style")

    def end(self, tag: str) -> None:
        if tag in _VOID:
            return
        self.depth -= 1
        self.raw -= tag in ("script", "style")
        if self.depth < FLAT_DEPTH or self.depth == self.deep_block:
            self.out.append(f"</{tag}>")
            if self.depth == self.deep_block:
                self.deep_block = -1

    def data(self, text: str) -> None:
        self.out.append(text if self.raw else escape(text, quote=False))

    def comment(self, text: str) -> None:
        pass

    def close(self) -> str:
        return "".join(self.out)


def _iso_date(value: str | None) -> str | None:
    """trafilatura's date as an ISO 8601 calendar date (YYYY-MM-DD), or None if it is not one."""
    if not value:
        return None
    try:
        return datetime.datetime.fromisoformat(value.strip()).date().isoformat()
    except ValueError:
        return None


def _split(values: Any) -> list[str]:
    """Tags or categories as a list of distinct names (trafilatura may join several with commas)."""
    out: list[str] = []
    for value in values or ():
        for name in str(value).split(","):
            if name.strip() and name.strip() not in out:
                out.append(name.strip())
    return out


def _metadata(doc: Any, url: str | None) -> dict[str, Any]:
    return {
        "title": doc.title or None, "author": doc.author or None, "date": _iso_date(doc.date),
        "sitename": doc.sitename or None, "url": doc.url or url, "description": doc.description or None,
        "tags": _split(doc.tags), "categories": _split(doc.categories),
    }


def run_trafilatura(html: str, *, url: str | None = None, favor: str | None = None) -> tuple[Any, Any]:
    """trafilatura's part of a page: the parsed tree and its Document (None: no main content)."""
    import trafilatura

    precision, recall = _FAVOR[favor]
    tree = _parse_page(html)
    try:
        doc = trafilatura.bare_extraction(
            tree, url=url, include_comments=False, with_metadata=True, include_links=True,
            include_formatting=False, include_images=False, favor_precision=precision, favor_recall=recall,
        )
    except RecursionError:
        raise InputError("<html>: markup too deeply nested to extract") from None
    return tree, doc


def page_extraction(tree: Any, doc: Any, *, url: str | None = None) -> Extraction:
    """newsclean's part of a page: trafilatura's Document to text, links, metadata, decisions."""
    if doc is None:  # no main content: still report what the page says about itself
        import trafilatura

        return Extraction("", "page", (), (), _metadata(trafilatura.extract_metadata(tree, url), url))
    meta = _metadata(doc, url)
    blocks = _tree_blocks(doc.body)
    text, anchors, spans = _render(blocks, url or meta["url"])
    return Extraction(text, "page", tuple(anchors), tuple(_page_drops(blocks, spans, meta["title"])), meta)


_LONE_SURROGATES = re.compile("[\ud800-\udfff]")


def extract(html: str | bytes, *, url: str | None = None, favor: str | None = None) -> Extraction:
    """The HTML front end alone: the text the pipeline sees, its links and the page metadata.

    Deterministic, so the offsets of a :func:`clean_html` result can always be mapped back to
    ``extract(html, url=url, favor=favor).text``.

    >>> extract('<p>See <a href="/a">the report</a>.</p><p>Next.</p>', url="https://x.org/n/").text
    'See the report.\\n\\nNext.'
    """
    if favor not in _FAVOR:
        raise ValueError(f"favor must be None, 'precision' or 'recall', not {favor!r}")
    if isinstance(html, (bytes, bytearray)):
        html = decode_html(bytes(html))
    elif not isinstance(html, str):
        raise TypeError(f"clean_html() takes str or bytes, not {type(html).__name__}")
    if len(html) > MAX_HTML_CHARS:
        raise InputError(_too_large("<html>", len(html)))
    # Lone surrogates (bytes escaped by surrogateescape) cannot reach the parsers: they carry
    # no text, so they are dropped rather than replaced with an invented character.
    html = _LONE_SURROGATES.sub("", html)
    if not html.strip():
        return Extraction("", "fragment", (), (), {})
    if _PAGE.search(html):
        return page_extraction(*run_trafilatura(html, url=url, favor=favor), url=url)
    text, anchors, _ = _render(_soup_blocks(html), url)
    return Extraction(text, "fragment", tuple(anchors), (), {})


def _masked(text: str, drops: tuple[Drop, ...]) -> str:
    """``text`` with the dropped blocks blanked (same length, same lines): offsets stay valid."""
    pieces, pos = [], 0
    for d in drops:
        pieces += [text[pos : d.start], _NOT_NEWLINE.sub(" ", text[d.start : d.end])]
        pos = d.end
    pieces.append(text[pos:])
    return "".join(pieces)


def _pick_cleaner(cleaner: Cleaner | None, lang: str | None, options: Options | None) -> Cleaner:
    if cleaner is not None:
        if lang is not None or options is not None:
            raise ValueError("give either cleaner= or lang=/options=, not both")
        return cleaner
    return _cached_cleaner(lang, options if options is not None else Options())


def clean_extraction(extraction: Extraction, cleaner: Cleaner) -> Result:
    """Run the text pipeline on an :class:`Extraction` and merge in what the HTML layer knows."""
    ex = extraction
    # With Options(title=False) the headline is not looked for: it stays as the first line.
    drops = ex.drops if cleaner.options.title else tuple(d for d in ex.drops if d.category is not None)
    extra = {"html": ex.kind, **{k: v for k, v in ex.metadata.items() if k != "title"}}
    result = cleaner.clean(_masked(ex.text, drops) if drops else ex.text, extra=extra)
    newlines = [m.start() for m in _NEWLINE.finditer(ex.text)]
    removed = list(result.removed)
    headline = None
    for d in drops:
        if d.category is None:
            headline = ex.text[d.start : d.end]
        else:
            removed.append(Removal(ex.text[d.start : d.end], d.category, d.rule, d.start, d.end,
                                   bisect.bisect_left(newlines, d.start)))
    removed.sort(key=lambda r: r.start)
    links = _links(ex, result.links, removed, newlines)
    if ex.kind != "page":
        return dataclasses.replace(result, links=links, removed=tuple(removed))
    # A page's headline is known from its markup, so the text pipeline's guess at a title
    # (its first short line) is body here: the caller's cleaner is used as given.
    body = result.text
    text = (f"{headline}\n\n{body}" if body else headline) if headline else body
    return dataclasses.replace(result, title=headline or ex.metadata.get("title"), text=text, body=body,
                               links=links, removed=tuple(removed), byline=result.byline or ex.metadata.get("author"))


def _links(ex: Extraction, found: tuple[Link, ...], removed: list[Removal], newlines: list[int]) -> tuple[Link, ...]:
    """The ``<a>`` links, plus what the text pipeline found outside them (bare URLs, handles)."""
    written = {a.start for a in ex.anchors if a.markdown}
    cuts = [(r.start, r.end) for r in removed if r.category is not Category.MARKUP]
    starts = [start for start, _ in cuts]
    out = [link for link in found if link.start not in written]
    for a in ex.anchors:
        line = bisect.bisect_left(newlines, a.start)
        first = newlines[line - 1] + 1 if line else 0
        last = newlines[line] if line < len(newlines) else len(ex.text)
        i = bisect.bisect_right(starts, a.start) - 1
        gone = i >= 0 and a.start < cuts[i][1]
        context = link_context(ex.text[first:last], a.start - first, a.end - first)
        out.append(Link(a.url, "url", a.anchor or None, context, a.start, a.end, line, gone))
    return tuple(sorted(out, key=lambda link: link.start))


def clean_html(
    html: str | bytes,
    *,
    url: str | None = None,
    lang: str | None = None,
    options: Options | None = None,
    cleaner: Cleaner | None = None,
    favor: str | None = None,
) -> Result:
    """Clean an HTML fragment or a whole article page and explain what was removed.

    Args:
        html: markup as text, or bytes (decoded by BOM, ``<meta charset>``, then detection).
        url: the page address, to resolve relative links and as a metadata fallback. Never
            fetched, nor is anything else: no network access happens here.
        lang, options: as for :func:`newsclean.clean`; or give a ready ``cleaner`` instead.
        favor: ``"precision"`` or ``"recall"`` to pass trafilatura's ``favor_precision`` /
            ``favor_recall`` on pages; default balanced.

    Returns:
        A :class:`Result`. For a page, ``body`` is the article body without its headline;
        ``text`` is the headline (when the extracted content opens with it), a blank line and
        the body (the page ``<title>`` is never added to the text, only reported as ``title``);
        ``byline`` falls back to the page author; ``extra`` holds ``html`` (``"page"`` or
        ``"fragment"``) and, for pages, ``author``, ``date`` (ISO 8601), ``sitename``, ``url``,
        ``description``, ``tags`` and ``categories``. ``links`` has every ``<a href>``.
        Offsets in ``removed`` and ``links`` refer to ``extract(html, url=url, favor=favor).text``
        (not copied into ``extra``: it would double the size of every JSON record).

    Raises:
        InputError: undecodable bytes, input over ``MAX_HTML_CHARS``, unparseable markup.
        TypeError: ``html`` is neither str nor bytes. ValueError: a bad ``favor``, or
        ``cleaner`` given together with ``lang``/``options``.

    >>> r = clean_html('<p>Rain fell <a href="/w">all day</a>.</p><p><a href="/s">Subscribe</a></p>')
    >>> r.text, [(x.url, x.anchor, x.removed) for x in r.links]
    ('Rain fell all day.', [('/w', 'all day', False), ('/s', 'Subscribe', True)])
    """
    chosen = _pick_cleaner(cleaner, lang, options)
    return clean_extraction(extract(html, url=url, favor=favor), chosen)
