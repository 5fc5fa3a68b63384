"""Input decoding: bytes from a file or a pipe to text, with a clear error when that fails.

UTF-8 first (with or without a BOM), UTF-16/32 when a BOM says so, then charset detection by
charset-normalizer (a maintained detector; hand-written guessing gets cp1256 vs. cp1251 wrong).
Binary data and undecodable bytes are refused with a message naming the input and the offset.
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
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    nul = data.find(b"\x00", 0, 8192)
    if nul >= 0:
        raise DecodeError(f"{name}: looks like a binary file (NUL byte at offset {nul}); not text")
    guessed = _detect(data)
    if guessed is None:
        raise DecodeError(f"{name}: not valid UTF-8 at byte offset {first_bad}, and no other encoding fits; use --encoding")
    return guessed


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > 0.3:
        return None
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
