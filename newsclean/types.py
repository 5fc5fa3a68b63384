"""Result types: what a clean returns, and the options that shape it.

Everything here is a frozen dataclass: a result never changes after it is made, so it can be
shared, cached and compared. A :class:`Result` carries its own explanation (every removed
span with its category, rule and offsets), in the spirit of ftfy's ``fix_and_explain``.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from typing import Any


class Category(str, enum.Enum):
    """The closed set of reasons a span is removed. The value is the stable JSON name."""

    SEPARATOR = "separator"  #: lines of symbols, box drawing, emoji rows, scene breaks (``***``)
    SUBSCRIBE = "subscribe"  #: subscribe / follow / join / newsletter / app / send-us-news calls
    RELATED = "related"  #: related / read-also headers, one-line teasers, headlines under a header
    LINK = "link"  #: link-only lines, "read more: URL" lines, URLs removed from inside sentences
    SIGNATURE = "signature"  #: the channel's own handle or name line, a trailing @handle
    HASHTAGS = "hashtags"  #: lines made only of hashtags, hashtag tails after a sentence, "Tags:" rows
    SHARE = "share"  #: share / like / comment rows, social-network widgets, menu rows below the story
    AD = "ad"  #: advertisement markers, ad disclosures, promo lines
    CREDIT = "credit"  #: photo / agency / reprint / editor / source credits
    BYLINE = "byline"  #: a standalone author line (reported as ``byline``)
    COPYRIGHT = "copyright"  #: standalone rights lines (``© AFP``, ``All rights reserved``)
    FOOTER = "footer"  #: RSS "appeared first on", "continue reading", agency end markers
    BANNER = "banner"  #: ``BREAKING`` / ``عاجل`` flags, breadcrumbs, reading time, listen widgets
    REPEAT = "repeat"  #: an exact repeat of a short line inside one document
    RECURRING = "recurring"  #: a line learned as a source's recurring boilerplate (FeedCleaner)
    MARKUP = "markup"  #: Markdown emphasis markers and link brackets around kept anchor text

    def __str__(self) -> str:
        return self.value


@dataclasses.dataclass(frozen=True, slots=True)
class Removal:
    """One removed span of the input: what went, why, and where.

    ``start`` and ``end`` are offsets into the string given to :func:`newsclean.clean`, so
    ``text[start:end] == removal.text``. ``inline`` is true for a span cut out of a line that
    otherwise stays (a URL inside a sentence, a trailing @handle, Markdown markers).
    """

    text: str
    category: Category
    rule: str
    start: int
    end: int
    line: int
    inline: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "category": self.category.value,
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "inline": self.inline,
        }


@dataclasses.dataclass(frozen=True, slots=True)
class Link:
    """A URL or @handle found in the input.

    ``kind`` is ``"url"`` or ``"handle"``. ``anchor`` is the link text when the input gave one
    (Markdown ``[anchor](url)``, HTML ``<a>``), else ``None``; ``context`` is the line it stood
    in (on a line longer than about 320 characters, the 160 characters either side of it).
    ``removed`` tells whether the link's line (or the link itself) left the output.
    """

    url: str
    kind: str
    anchor: str | None
    context: str
    start: int
    end: int
    line: int
    removed: bool

    def to_dict(self) -> dict[str, Any]:
        # Spelled out: dataclasses.asdict deep-copies field by field, the slowest part of
        # writing a JSON Lines record (a test checks this stays the same as asdict).
        return {"url": self.url, "kind": self.kind, "anchor": self.anchor, "context": self.context,
                "start": self.start, "end": self.end, "line": self.line, "removed": self.removed}


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Options:
    """How to clean. Frozen and keyword-only: change one with :func:`dataclasses.replace`.

    Attributes:
        drop: categories to remove. Lines of a category left out stay in the text and are not
            reported as removed. Default: every category.
        strip_links: remove URLs from inside kept sentences (they are reported in ``links``
            either way). Default ``True``.
        strip_markup: remove Markdown emphasis (``**``, ``__``) and turn ``[anchor](url)``
            into ``anchor``. Default ``True``.
        detect_language: identify ``Result.language`` when ``lang`` is not given. Default
            ``True``; ``False`` leaves it ``None`` (faster).
        title: look for a headline (``Result.title``). Default ``True``.
    """

    drop: frozenset[Category] = frozenset(Category)
    strip_links: bool = True
    strip_markup: bool = True
    detect_language: bool = True
    title: bool = True

    def __post_init__(self) -> None:
        unknown = [c for c in self.drop if not isinstance(c, Category)]
        if unknown:
            raise TypeError(f"Options.drop takes Category members, got {unknown!r}")


@dataclasses.dataclass(frozen=True, slots=True)
class Result:
    """A cleaned document with its metadata and the explanation of every removal.

    Attributes:
        text: the clean article: the headline, a blank line, then the body paragraphs.
        title: the headline, or ``None``.
        body: the body paragraphs only.
        language: ISO 639-1 code, or ``None`` when it could not be told.
        links: every URL and @handle found, in input order.
        removed: every removed span, in input order.
        dateline: the dateline opening the first paragraph (kept in the text), or ``None``.
        byline: the author named by a removed byline, or ``None``.
        source: the agency or source named by a dateline or credit line, or ``None``.
        extra: further metadata from the input format (HTML page metadata, feed fields).
    """

    text: str
    title: str | None
    body: str
    language: str | None
    links: tuple[Link, ...]
    removed: tuple[Removal, ...]
    dateline: str | None = None
    byline: str | None = None
    source: str | None = None
    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with stable field names (the CLI's ``--json`` output)."""
        return {
            "text": self.text,
            "title": self.title,
            "body": self.body,
            "language": self.language,
            "dateline": self.dateline,
            "byline": self.byline,
            "source": self.source,
            "links": [link.to_dict() for link in self.links],
            "removed": [r.to_dict() for r in self.removed],
            "extra": dict(self.extra),
        }

    def explain(self) -> str:
        """A readable account of what was removed, where and why, one line per removal."""
        if not self.removed:
            return "nothing removed"
        rows = []
        for r in self.removed:
            where = f"line {r.line + 1}, chars {r.start}-{r.end}"
            part = "inline " if r.inline else ""
            rows.append(f"{where}: {part}{r.category.value} ({r.rule}): {r.text!r}")
        return "\n".join(rows)
