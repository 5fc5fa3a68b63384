"""Input decoding: bytes from a file or a pipe to text, with a clear error when that fails.

UTF-8 first (with or without a BOM), UTF-16/32 when a BOM says so or, without one, when its
NUL bytes sit where that encoding puts them; then charset detection by charset-normalizer (a
maintained detector; hand-written guessing gets cp1256 vs. cp1251 wrong), among the legacy
encodings a web page or feed can be in. Binary data and undecodable bytes are refused with a
message naming the input and the offset.
"""

from __future__ import annotations

import codecs

import regex

from newsclean.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HTML_START = regex.compile(
    r"^\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:p|div|article|section|h[1-6]|ul|ol|table|br|a|span|img|figure|blockquote)[\s>/])",
    regex.IGNORECASE,
)


class DecodeError(InputError):
    """Bytes that could not be decoded to text."""


def decode_bytes(data: bytes, name: str = "<input>", encoding: str | None = None) -> str:
    """Decode input bytes, or raise :class:`DecodeError` with a one-line reason.

    >>> decode_bytes("héllo".encode("utf-8"))
    'héllo'
    >>> decode_bytes("привет".encode("utf-16"))
    'привет'
    """
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise DecodeError(f"{name}: unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise DecodeError(f"{name}: not valid {encoding} at byte offset {exc.start}") from None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"{name}: not valid {codec} at byte offset {exc.start}") from None
    first_bad = None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if first_bad is None and "\x00" not in text:
        return text
    # Not UTF-8, or UTF-8 holding NULs, which no text holds: UTF-16/32 without a BOM, or binary.
    wide = _wide_without_bom(data)
    if wide is not None:
        return wide
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DecodeError(f"{name}: looks like a binary file (NUL byte at offset {nul}); not text "
                          "(if it is, name its encoding with --encoding)")
    guessed = _detect(data)
    if guessed is None:
        raise DecodeError(f"{name}: not valid UTF-8 at byte offset {first_bad}, and no other encoding fits; use --encoding")
    return guessed


# UTF-16 and UTF-32 without a BOM show themselves by their NUL bytes: the high bytes of every
# ASCII character (spaces, digits, punctuation, all of a Latin text). Of the NULs in the first
# WIDE_SAMPLE bytes, at least WIDE_SHARE must sit where the encoding puts high bytes.
WIDE_SAMPLE = 8192
WIDE_SHARE = 0.9
# ...and there must be at least this many, and one per 16 code units (a text in Cyrillic or
# Arabic letters has a space, a digit or punctuation more often than that): a stray NUL in UTF-8
# text does not make it UTF-16.
WIDE_MIN_NULS = 2
# Characters no text holds: C0 controls but tab, line feed, form feed and carriage return.
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _wide_without_bom(data: bytes) -> str | None:
    """``data`` decoded as UTF-32 or UTF-16 written without a BOM, or None when its NUL bytes do
    not say which (or it does not decode to text)."""
    sample = data[:WIDE_SAMPLE]
    nuls = sample.count(0)
    if not nuls:
        return None
    # (codec, code unit width, the offsets in a unit that hold NULs for an ASCII character)
    for codec, width, high in (("utf-32-le", 4, (1, 2, 3)), ("utf-32-be", 4, (0, 1, 2)),
                               ("utf-16-le", 2, (1,)), ("utf-16-be", 2, (0,))):
        if len(data) % width:
            continue
        placed = sum(sample[offset::width].count(0) for offset in high)
        if placed < WIDE_SHARE * nuls or placed < max(WIDE_MIN_NULS, len(sample) // width // 16):
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text) is None:
            return text
    return None


# What charset detection chooses among: the legacy encodings news sites and feeds have been served
# in, those of the WHATWG Encoding Standard (which a web page or feed may declare) without its DOS
# and Mac code pages: Windows and ISO 8859 code pages, KOI8, Thai, the CJK national encodings.
# Left out are the many DOS, Mac and EBCDIC code pages the detector also knows: almost any bytes
# decode in one of them, and binary data and UTF-16 came back as plausible-looking text.
# Roughly in order of how common they are on the web, which breaks ties: French in cp1252 and in
# cp1250 reads as well to the detector ("très" / "trčs"), and cp1252 is far more common.
LEGACY_ENCODINGS = (
    "cp1252", "cp1251", "shift_jis", "cp1250", "euc_jp", "gb18030", "euc_kr", "cp1256", "iso8859_2",
    "cp1254", "big5", "cp1253", "cp1255", "cp1257", "cp874", "koi8_r", "iso8859_15", "iso8859_5",
    "iso8859_7", "cp1258", "koi8_u", "iso2022_jp", "iso8859_6", "iso8859_8", "iso8859_4",
    "iso8859_13", "iso8859_3", "iso8859_10", "iso8859_14", "iso8859_16",
)
_COMMONNESS = {codec: rank for rank, codec in enumerate(LEGACY_ENCODINGS)}
MAX_CHAOS = 0.3  # charset-normalizer's "mess" of a decoding; legacy news text measures <= 0.15


def _detect(data: bytes) -> str | None:
    """The text of the least messy, most coherent legacy decoding (ties to the more common
    encoding), or None when none is good enough."""
    from charset_normalizer import from_bytes

    matches = [m for m in from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)) if m.chaos <= MAX_CHAOS]
    if not matches:
        return None
    best = min(matches, key=lambda m: (round(m.chaos, 3), -round(m.coherence, 3),
                                       _COMMONNESS.get(m.encoding, len(_COMMONNESS))))
    return str(best)


def describe_os_error(exc: OSError, name: str) -> str:
    """A one-line reason for an input that could not be opened or read.

    >>> describe_os_error(FileNotFoundError(2, "No such file or directory"), "a.txt")
    'a.txt: no such file'
    """
    if isinstance(exc, FileNotFoundError):
        return f"{name}: no such file"
    if isinstance(exc, PermissionError):
        return f"{name}: permission denied"
    if isinstance(exc, IsADirectoryError):
        return f"{name}: is a directory"
    return f"{name}: {exc.strerror or exc}"


def looks_like_html(text: str) -> bool:
    """Whether text starts with markup (a document or a block-level fragment).

    >>> looks_like_html("<p>Hello</p>"), looks_like_html("5 < 6 and <b> is bold")
    (True, False)
    """
    return _HTML_START.match(text[:2048]) is not None
