"""Feed inputs: RSS/Atom files and Telegram Desktop exports, turned into records to clean.

Each item becomes an :class:`Entry`: the record fields of the output (title, link, ...), the
body to clean and whether it is HTML. Nothing is cleaned here; :mod:`newsclean.stream` does
that, the same way for every input.

Feeds are parsed by feedparser (RSS 0.9x/1.0/2.0, Atom; lenient with broken XML). Before that,
a feed that declares XML entities (``<!ENTITY``: billion laughs, external entities reading
local files or URLs) is refused whole: defusedxml screens the prolog, and a byte scan backs it
up for documents too broken for an XML parser. feedparser is only ever given bytes in a
stream, never a string it could take for a URL or a file name, so nothing is fetched.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import json
import xml.sax
from collections.abc import Iterator
from typing import Any

import regex

from newsclean.errors import InputError

# Content types feedparser reports for markup bodies; a body must also contain a tag.
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TAG = regex.compile(r"<[A-Za-z/!]")
# The prolog: everything before the first element (the same split feedparser makes).
_FIRST_ELEMENT = regex.compile(rb"<\w")
_ENTITY_DECL = regex.compile(rb"<!ENTITY", regex.IGNORECASE)


@dataclasses.dataclass(frozen=True, slots=True)
class Entry:
    """One item to clean: its output fields, its body, and the source it belongs to.

    ``body`` is ``None`` when the item could not be read; ``error`` then says why, and the
    record is passed through with that error.
    """

    record: dict[str, Any]
    body: str | None
    html: bool
    group: str
    error: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Read:
    """What one input file gave: entries, an error for what could not be read, skipped count."""

    entries: list[Entry]
    error: str | None = None
    skipped: int = 0


class _Stop(Exception):
    """Raised at the first element: the prolog, where entities are declared, is over."""


class _StopAtRoot(xml.sax.ContentHandler):
    def startElement(self, name: str, attrs: Any) -> None:
        raise _Stop


def screen_entities(data: bytes, name: str) -> None:
    """Refuse a document that declares XML entities; raise :class:`InputError` if it does.

    >>> screen_entities(b'<?xml version="1.0"?><rss version="2.0"/>', "ok.xml")
    >>> screen_entities(b'<!DOCTYPE r [<!ENTITY a "b">]><rss/>', "bad.xml")
    Traceback (most recent call last):
    ...
    newsclean.errors.InputError: bad.xml: the feed declares XML entities (<!ENTITY>); refused ...
    """
    import defusedxml
    import defusedxml.sax

    message = (f"{name}: the feed declares XML entities (<!ENTITY>); refused (entity expansion "
               "and external entities are never processed)")
    first = _FIRST_ELEMENT.search(data.replace(b"\x00", b""))  # NULs out: UTF-16/32 markup too
    prolog = data.replace(b"\x00", b"")[: first.start() if first else None]
    if _ENTITY_DECL.search(prolog):
        raise InputError(message)
    try:
        defusedxml.sax.parseString(data, _StopAtRoot(), forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden:
        raise InputError(message) from None
    except (_Stop, defusedxml.ExternalReferenceForbidden, xml.sax.SAXException, ValueError, LookupError):
        # An external DTD (RSS 0.91's Netscape DOCTYPE) is never fetched: feedparser replaces
        # the DOCTYPE. Broken XML is feedparser's to report, item by item.
        return


def _iso(parsed: Any) -> str | None:
    if not parsed:
        return None
    year, month, day, hour, minute, second = parsed[:6]
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=datetime.UTC).isoformat()


def _body(item: Any) -> tuple[str, bool]:
    """The item's body (content:encoded / content / summary) and whether it is HTML."""
    for detail in (*item.get("content", ()), item.get("summary_detail")):
        if detail and detail.get("value"):
            value = str(detail["value"])
            return value, detail.get("type", "") in _HTML_TYPES and _TAG.search(value) is not None
    return str(item.get("summary", "") or ""), False


def _feed_record(item: Any, feed_title: str | None) -> dict[str, Any]:
    published = _iso(item.get("published_parsed") or item.get("updated_parsed"))
    record = {
        "title": item.get("title"),
        "link": item.get("link"),
        "published": published,
        "author": item.get("author"),
        "id": item.get("id"),
        "feed": feed_title,
    }
    raw_date = item.get("published") or item.get("updated")
    if raw_date and published is None:
        record["published_raw"] = raw_date  # a date feedparser could not read: kept as written
    return record


def read_feed(data: bytes, name: str) -> Read:
    """Parse an RSS/Atom feed into entries, one per item.

    A feed that is not well-formed gives the items the lenient parser could read and an
    ``error`` for the rest. Raises :class:`InputError` for a feed that declares entities.

    >>> got = read_feed(b'<rss version="2.0"><channel><title>F</title><item><title>T</title>'
    ...                 b'<description>Body.</description></item></channel></rss>', "f.xml")
    >>> got.entries[0].record["title"], got.entries[0].body, got.error
    ('T', 'Body.', None)
    """
    import feedparser

    screen_entities(data, name)
    parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False)
    feed_title = parsed.feed.get("title")
    entries = []
    for item in parsed.entries:
        body, html = _body(item)
        entries.append(Entry({**_feed_record(item, feed_title), "text": body}, body, html, name))
    return Read(entries, _feed_error(parsed, name, len(entries)))


def _feed_error(parsed: Any, name: str, count: int) -> str | None:
    import feedparser

    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    if isinstance(exc, (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)):
        return None  # a wrong encoding declaration, corrected: nothing was lost
    if count == 0 and not parsed.get("version"):
        return f"{name}: not an RSS or Atom feed ({exc})"
    return f"{name}: not well-formed XML ({exc}); {count} items read, later items may be missing"


def flatten_text(text: Any) -> str:
    """A Telegram export message text (a string, or strings and entity objects) as plain text.

    ``text_link`` entities become Markdown ``[text](href)``, so the cleaner records the link;
    every other entity (bold, hashtag, mention, link, ...) is its text.

    >>> flatten_text(["See ", {"type": "text_link", "text": "this", "href": "https://x.org/a"},
    ...               " and ", {"type": "bold", "text": "that"}])
    'See [this](https://x.org/a) and that'

    Raises:
        InputError: ``text`` is neither a string nor a list of strings and entity objects.
    """
    if isinstance(text, str):
        return text
    if not isinstance(text, list):
        raise InputError(f"message text is a {type(text).__name__}, not a string or list")
    parts = []
    for part in text:
        if isinstance(part, str):
            parts.append(part)
        elif isinstance(part, dict) and isinstance(part.get("text", ""), str):
            piece = part.get("text", "")
            href = part.get("href")
            parts.append(f"[{piece}]({href})" if part.get("type") == "text_link" and href else piece)
        else:
            raise InputError("message text holds an entity that is not an object with a text")
    return "".join(parts)


def _chats(export: Any, name: str) -> Iterator[dict[str, Any]]:
    """The chats in an export: one channel's ``result.json``, or a whole-account export."""
    if isinstance(export, dict) and isinstance(export.get("messages"), list):
        yield export
        return
    chats = export.get("chats") if isinstance(export, dict) else None
    chats = chats.get("list") if isinstance(chats, dict) else None
    if not isinstance(chats, list):
        raise InputError(f"{name}: not a Telegram Desktop export (no 'messages' list)")
    for chat in chats:
        if isinstance(chat, dict) and isinstance(chat.get("messages"), list):
            yield chat


def read_telegram(data: bytes, name: str) -> Read:
    """Parse a Telegram Desktop export (``result.json``): one entry per ``message``.

    Service messages (pins, joins, title changes) are skipped and counted in ``skipped``. A
    message whose text cannot be read is passed through with an error.

    >>> export = {"name": "Chan", "messages": [{"id": 1, "type": "service"},
    ...           {"id": 2, "type": "message", "date": "2024-01-02T03:04:05", "from": "Chan", "text": "Hi."}]}
    >>> got = read_telegram(json.dumps(export).encode(), "result.json")
    >>> got.skipped, got.entries[0].record
    (1, {'id': 2, 'date': '2024-01-02T03:04:05', 'from': 'Chan', 'channel': 'Chan', 'text': 'Hi.'})
    """
    try:
        export = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{name}: not valid JSON ({exc})") from None
    entries, skipped = [], 0
    for chat in _chats(export, name):
        channel = chat.get("name")
        group = str(channel) if channel is not None else name
        for message in chat["messages"]:
            if isinstance(message, dict) and message.get("type", "message") != "message":
                skipped += 1
                continue
            entries.append(_message_entry(message, channel, group))
    return Read(entries, None, skipped)


def _message_entry(message: Any, channel: Any, group: str) -> Entry:
    if not isinstance(message, dict):
        return Entry({"message": message, "channel": channel}, None, False, group, "message is not a JSON object")
    record = {"id": message.get("id"), "date": message.get("date"), "from": message.get("from"), "channel": channel}
    raw = message.get("text", message.get("text_entities", ""))
    try:
        text = flatten_text(raw)
    except InputError as exc:
        return Entry({**record, "text": raw}, None, False, group, f"message {record['id']}: {exc}")
    return Entry({**record, "text": text}, text, False, group)


__all__ = ["Entry", "Read", "flatten_text", "read_feed", "read_telegram", "screen_entities"]
