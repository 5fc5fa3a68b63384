"""Text normalisation and segmentation: raw input to lines, and a line to its parts.

Nothing here decides what is boilerplate. It splits the input into :class:`Line` objects that
remember their offsets in the input, finds the links, handles and Markdown in a line, and
builds the *match key* that phrase rules are matched against. The key is folded for matching
only; the text that reaches the output is never folded.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Iterator

import regex

# Line terminators exactly as str.splitlines() knows them, so line numbers agree with it.
_LINE_ENDS = "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"

# A URL with a scheme or www, or a host/path short form such as t.me/x or bit.ly/x. The host
# form needs a path: a bare "Reuters.com" is a name, not a link (CONVENTIONS.md).
# Chinese and Japanese text runs on after a URL without a space ("網頁（www.chp.gov.hk）了解更多
# 資訊。"), so a URL ends at full-width punctuation and at Han, kana and Hangul: a link to a page
# whose path holds them loses that tail, where the sentence after it would otherwise be lost.
_URL_CHAR = r"""[^\s<>"'«»“”\[\]{}|\\^`\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]"""
_URL_WITH_SCHEME = rf"""(?:(?:https?|tg|ftp)://|www\.){_URL_CHAR}+"""
_URL_HOST_PATH = rf"""(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+[a-z]{{2,12}}/{_URL_CHAR}*"""
# What each form cannot do without, for the stdlib engine to look for first: "://" or "www."
# (any case); a dot, a top-level domain and a slash (with IGNORECASE, [a-z] also takes İ, ſ and
# the Kelvin sign).
_SCHEME_MARK = re.compile(r"://|[wW]{3}\.")
_LONGEST_SCHEME = len("https")
_DOMAIN_SLASH = re.compile("\\.[a-zA-Z\u0130\u017f\u212a]{2,12}/")
# The host characters before a dot, read backwards: where a host form can begin at the earliest.
_HOST_RUN = regex.compile(r"[a-z0-9.-]+", regex.IGNORECASE | regex.REVERSE)


class _UrlPattern:
    """The URL pattern, ``A|B`` as one regex would find it, searched as its two forms.

    The regex engine finds ``A|B`` several times slower than ``A`` and ``B`` apart, and tries
    the host form at every word of a line. So each form is searched from where it can first
    begin, found by the stdlib engine: at most five characters before a "://", at a "www.",
    or at the start of the run of host characters before a ".tld/" (most lines with a slash,
    like "24/7" or "and/or", have none). Matches are merged as the alternation picks them:
    leftmost first, the scheme form first at one position. It has the methods of a compiled
    pattern that newsclean uses: ``finditer``, ``search``, ``sub`` and ``subn`` (with a plain
    replacement).
    """

    pattern = f"{_URL_WITH_SCHEME}|{_URL_HOST_PATH}"

    def __init__(self) -> None:
        self._scheme = regex.compile(_URL_WITH_SCHEME, regex.IGNORECASE)
        self._host = regex.compile(_URL_HOST_PATH, regex.IGNORECASE)

    def _scheme_from(self, text: str, pos: int) -> regex.Match[str] | None:
        mark = _SCHEME_MARK.search(text, pos)
        return None if mark is None else self._scheme.search(text, max(pos, mark.start() - _LONGEST_SCHEME))

    def _host_from(self, text: str, pos: int) -> regex.Match[str] | None:
        tld = _DOMAIN_SLASH.search(text, pos)
        if tld is None:
            return None
        run = _HOST_RUN.match(text, pos, tld.start())  # backwards from the dot
        return self._host.search(text, run.start() if run is not None else tld.start())

    def finditer(self, text: str) -> Iterator[regex.Match[str]]:
        if "/" not in text and "w" not in text and "W" not in text:
            return
        a, b = self._scheme_from(text, 0), self._host_from(text, 0)
        while a is not None or b is not None:
            m = a if b is None or (a is not None and a.start() <= b.start()) else b
            assert m is not None  # the loop runs while one of them is
            yield m
            end = m.end()
            if a is not None and a.start() < end:
                a = self._scheme_from(text, end)
            if b is not None and b.start() < end:
                b = self._host_from(text, end)

    def search(self, text: str) -> regex.Match[str] | None:
        return next(self.finditer(text), None)

    def subn(self, replacement: str, text: str) -> tuple[str, int]:
        parts, pos, n = [], 0, 0
        for m in self.finditer(text):
            parts += [text[pos : m.start()], replacement]
            pos, n = m.end(), n + 1
        return ("".join(parts) + text[pos:], n) if n else (text, 0)

    def sub(self, replacement: str, text: str) -> str:
        return self.subn(replacement, text)[0]


URL = _UrlPattern()
# Markdown link [anchor](target) as Telegram exports write it; the anchor may be empty.
MARKDOWN_LINK = regex.compile(r"\[([^\[\]\n]{0,500})\]\(((?:https?|tg)://[^()\s]{1,2000}|[^()\s]{1,2000})\)")
# @handle: Telegram/X/Instagram account names. Not an e-mail (no word char or dot before it).
HANDLE = regex.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,30}[A-Za-z0-9_])?(?![\w@])")
HASHTAG = regex.compile(r"(?<![\w#&])#[\w\u200c\u200d]+")
# Markdown emphasis markers as Telegram exports write them.
EMPHASIS = regex.compile(r"\*\*|__(?=\S)|(?<=\S)__")

# The marks that end a sentence in the scripts we meet (Latin, CJK full stops, Urdu, Devanagari,
# Arabic question mark).
SENTENCE_STOPS = ".!?…。！？۔।؟"

# URL trailing punctuation that belongs to the sentence, not the link.
_URL_TRAIL = ".,;:!?…»”’\"'"

_WORDS = regex.compile(r"[^\W\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]+|[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]")
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]")
# Code point ranges holding every character of _CJK (and some others): the stdlib engine scans
# a line for them 3x faster, and only a line that has one pays for the exact test. Whole blocks
# and planes, so that characters a newer Unicode adds to them (regex updates its tables) stay in.
# tests/test_detectors.py checks the superset against _CJK over all of Unicode.
_CJK_SUPERSET = re.compile(
    "[\u0e00-\u0e7f\u2e80-\u2fdf\u3005-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\U00016fe0-\U0001b2ff\U0001f200\U00020000-\U0003ffff]"
)
_PLAIN_WORD = regex.compile(r"\w+")  # _WORDS on a text without CJK or Thai
# _PLAIN_WORD where both engines agree on what a word character is: the stdlib one scans a line
# several times faster. They agree on ASCII, Latin-1, Latin Extended, IPA, Cyrillic and General
# Punctuation, apart from the characters _BEYOND_SHARED_WORDS leaves out: superscript digits
# and vulgar fractions, which only the stdlib's \w takes; combining marks, ZWNJ, ZWJ and three
# connectors, which only regex's takes. A test compares the engines on every character below
# U+2070.
_SHARED_WORD = re.compile(r"\w+")
_BEYOND_SHARED_WORDS = re.compile(
    "[^\x00-\xb1\xb4-\xb8\xba-\xbb\xbf-\u02ff\u0400-\u0482\u048a-\u052f"
    "\u2000-\u200b\u200e-\u203e\u2041-\u2053\u2055-\u206f]"
)

# Scripts a rule file can name, with the character property that shows a line uses it.
SCRIPTS: dict[str, regex.Pattern[str]] = {
    "Latin": regex.compile(r"\p{Latin}"),
    "Cyrillic": regex.compile(r"\p{Cyrillic}"),
    "Arabic": regex.compile(r"\p{Arabic}"),
    "Hebrew": regex.compile(r"\p{Hebrew}"),
    "Han": regex.compile(r"\p{Han}"),
    "Kana": regex.compile(r"[\p{Hiragana}\p{Katakana}]"),
    "Hangul": regex.compile(r"\p{Hangul}"),
    "Devanagari": regex.compile(r"\p{Devanagari}"),
    "Greek": regex.compile(r"\p{Greek}"),
    "Thai": regex.compile(r"\p{Thai}"),
}

# Arabic-script letter variants that writers use interchangeably, folded for matching only
# (with replace_each: 4x faster than str.translate on a typical line).
_ARABIC_FOLD: tuple[tuple[str, str], ...] = (
    ("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ی"), ("ي", "ی"), ("ئ", "ی"), ("ك", "ک"), ("ة", "ه"),
    ("ؤ", "و"), ("ۀ", "ه"), ("\u0640", ""), ("\u200c", ""), ("\u200d", ""), ("\u200e", ""),
    ("\u200f", ""), ("\u061c", ""), ("\ufe0f", ""),
)
_MARKS = regex.compile(r"\p{Mn}+")
# A character beyond the ranges that hold no nonspacing mark (below U+0300, Greek and Cyrillic
# letters, General Punctuation and currency signs): only a text with one is searched for marks.
# A test checks over all of Unicode that no character the ranges hold is a mark.
_MAY_BE_MARK = re.compile("[^\x00-\u02ff\u0370-\u0482\u048a-\u0590\u2000-\u20cf]")
# Decoration around the words of a line: emoji (with the emoji marks ‼ ⁉, which are punctuation
# to Unicode), symbols, bullets, dashes, Markdown markers, but
# not the rights signs the copyright rules look for. One group, so that a "+" after it repeats
# the exclusion too ("🔴 © 2024 Agency" keeps its ©).
_DECOR = r"(?:(?![©℗®])[\s\p{So}\p{Sk}\p{Sm}\p{Pd}\p{Cf}\p{Co}*_~|>•·▪►▶●○◆◇■□★☆✓✔︎️\u20e3‼⁉])"
# At the head, exclamation and question marks are decoration too ("!!! BREAKING", and "‼️",
# "⁉️" after NFKC).
_DECOR_HEAD = regex.compile(rf"(?:{_DECOR}|[!?])+")
_DECOR_CHAR = regex.compile(_DECOR)
# Searched backwards from the end (REVERSE), and only when the last character is decoration: a
# failed search for "X+$" would otherwise try every position of the line.
_DECOR_TAIL = regex.compile(rf"{_DECOR}+$", regex.REVERSE)


@dataclasses.dataclass(frozen=True, slots=True)
class Line:
    """One line of the input: its number, its offsets in the input and its raw text."""

    index: int
    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def split_lines(text: str) -> list[Line]:
    """Split ``text`` into lines with their offsets, on the same boundaries as splitlines().

    >>> [(l.start, l.end, l.text) for l in split_lines("a\\r\\nbc\\n")]
    [(0, 1, 'a'), (3, 5, 'bc')]
    """
    lines = []
    pos = 0
    for index, chunk in enumerate(text.splitlines(keepends=True)):
        body = chunk.rstrip(_LINE_ENDS)
        # rstrip may eat a second terminator only when a chunk ends in "\r\n"; a chunk holds
        # exactly one terminator, so the stripped length is the line's content.
        lines.append(Line(index, pos, pos + len(body), body))
        pos += len(chunk)
    return lines


def word_count(text: str, limit: int | None = None) -> int:
    """Words in ``text``; two CJK or Thai characters count as one word.

    With ``limit``, counting stops past it: a long body line costs one bounded C scan instead of
    a list of its words, and any count above ``limit`` comes back as ``limit + 1``.

    >>> word_count("Read also: oil falls"), word_count("相关新闻"), word_count("a b c d", limit=2)
    (4, 2, 3)
    """
    shared = text.isascii() or _BEYOND_SHARED_WORDS.search(text) is None
    if shared or _CJK_SUPERSET.search(text) is None or _CJK.search(text) is None:
        # The bounded scan only where a text is long enough to have many more words than the
        # limit (a shorter one is counted in one pass, which makes a list of at most 4 * limit).
        if limit is not None and len(text) > 8 * limit and _more_words_than(limit, shared).match(text):
            return limit + 1
        count = len((_SHARED_WORD if shared else _PLAIN_WORD).findall(text))
    else:
        cjk = len(_CJK.findall(text))  # each CJK or Thai character is a token of _WORDS
        count = len(_WORDS.findall(text)) - cjk + (cjk + 1) // 2
    return count if limit is None or count <= limit else limit + 1


@functools.cache
def _more_words_than(limit: int, shared: bool = False) -> re.Pattern[str] | regex.Pattern[str]:
    """Matches at the start of a text without CJK that has more than ``limit`` words (with the
    stdlib engine when the text holds only characters both engines read alike)."""
    return (re if shared else regex).compile(rf"(?:\W*+\w++){{{limit + 1}}}")


_LATIN = frozenset({"Latin"})
_ASCII_LETTER = regex.compile(r"[A-Za-z]")
# A character that is neither ASCII nor a script-less mark of Latin-1 or General Punctuation
# (ª and º are Latin letters, so they are left out of the ranges).
_BEYOND_PUNCTUATION = re.compile("[^\x00-\xa9\xab-\xb9\xbb-\xbf\u2000-\u206f]")


# A character that some script owns: not a space, digit, punctuation or symbol (script Common),
# nor a combining mark that takes its base letter's script (Inherited).
_OWNED = regex.compile(r"[^\p{Common}\p{Inherited}]")


@functools.lru_cache(maxsize=1024)
def _script_of(char: str) -> str | None:
    """The name in SCRIPTS of the script that owns ``char``, or None."""
    return next((name for name, pattern in SCRIPTS.items() if pattern.match(char)), None)


@functools.cache
def _owned_by_another(script: str) -> regex.Pattern[str]:
    """A character of any script but ``script`` (or its SCRIPTS entry's scripts)."""
    own = SCRIPTS[script].pattern
    own = own[1:-1] if own.startswith("[") else own
    return regex.compile(rf"[^{own}\p{{Common}}\p{{Inherited}}]")


def scripts_in(text: str, candidates: tuple[str, ...] = tuple(SCRIPTS)) -> frozenset[str]:
    """The scripts among ``candidates`` that ``text`` uses."""
    if text.isascii() or _BEYOND_PUNCTUATION.search(text) is None:
        # The common case, told without a scan per script: ASCII, plus at most punctuation and
        # symbols of Latin-1 and General Punctuation (curly quotes, dashes), which no script owns.
        return _LATIN if "Latin" in candidates and _ASCII_LETTER.search(text) else frozenset()
    # Most lines are written in one script: find the script of the first character a script
    # owns, then make one scan for a character of any other. A scan per candidate script tests
    # each character against each script, which is what costs.
    first = _OWNED.search(text)
    if first is None:
        return frozenset()
    script = _script_of(first.group())
    if script is not None and _owned_by_another(script).search(text, first.end()) is None:
        return frozenset((script,)) if script in candidates else frozenset()
    return frozenset(name for name in candidates if SCRIPTS[name].search(text))


def fold(text: str) -> str:
    """Fold text for phrase matching: NFKC, Arabic-script variants, diacritics, ZWNJ.

    >>> fold("اقرأ أيضاً") == fold("اقرا ايضا")
    True
    """
    if text.isascii():
        return text  # nothing to fold; str.translate costs a dict lookup per character
    text = replace_each(unicodedata.normalize("NFKC", text), _ARABIC_FOLD)
    return _MARKS.sub("", text) if _MAY_BE_MARK.search(text) else text


def replace_each(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    """``text`` with each (old, new) pair replaced, in order: one C scan per pair, and most
    texts hold few of them, where str.translate would look every character up in a dict.

    >>> replace_each("a’b", (("’", "'"),))
    "a'b"
    """
    for old, new in pairs:
        if old in text:
            text = text.replace(old, new)
    return text


def _anchor_only(match: regex.Match[str]) -> str:
    return f" {match.group(1)} "


def match_key(text: str, *, folded: bool = True) -> str:
    """The form of a line that phrase rules see: links out, decoration trimmed, folded.

    >>> match_key("🔴 [Подписаться на канал](https://t.me/x)")
    'Подписаться на канал'
    >>> match_key("Read more: https://example.com/a")
    'Read more:'
    """
    if "](" in text:
        text = MARKDOWN_LINK.sub(_anchor_only, text)
    if "/" in text or "www" in text:
        text = URL.sub(" ", text)
    if "@" in text:
        text = HANDLE.sub(" ", text)
    if folded:
        text = fold(text)
    return trim_decoration(" ".join(text.split()))


def trim_decoration(text: str) -> str:
    """``text`` without the emoji, bullets, dashes and markers around its words.

    >>> trim_decoration("🔴 ** Breaking: storm ** ➡️")
    'Breaking: storm'
    """
    head = _DECOR_HEAD.match(text)
    if head is not None:
        text = text[head.end() :]
    if not text or _DECOR_CHAR.match(text, len(text) - 1) is None:
        return text
    tail = _DECOR_TAIL.search(text)
    return text[: tail.start()] if tail is not None else text


_DIGITS = regex.compile(r"\d+")


def fingerprint(text: str) -> str:
    """A line's identity for learning a source's recurring lines: the match key, case-folded,
    with numbers replaced, so "Photo 3 of 12" and "Photo 4 of 12" are one line.

    >>> fingerprint("🔴 Subscribe to @chan, 24/7 news!") == fingerprint("Subscribe to   @other, 25/7 NEWS!")
    True
    """
    key: str = _DIGITS.sub("0", match_key(text).casefold())
    return key


def surface(text: str) -> str:
    """A line as a reader sees it once cleaned: no Markdown, no URLs, white space collapsed.

    Context rules compare lines in this form, so that a repeat that shows only after inline
    cuts ("**0" below "0") is a repeat on the first pass too.

    >>> surface("**Storm** hits [the coast](https://a.org/s)  https://x.org/y")
    'Storm hits the coast'
    """
    if "](" in text:
        text = MARKDOWN_LINK.sub(r"\1", text)
    if "/" in text or "www." in text:
        text = URL.sub(" ", text)
    if "*" in text or "_" in text:
        text = EMPHASIS.sub("", text)
    return " ".join(text.split())


def find_urls(text: str) -> Iterator[tuple[int, int]]:
    """Spans of URLs in ``text``, with sentence punctuation after a URL left out.

    >>> text = "See https://example.com/a). Or t.me/chan."
    >>> [text[s:e] for s, e in find_urls(text)]
    ['https://example.com/a', 't.me/chan']
    """
    for m in URL.finditer(text):
        start, end = m.span()
        while end > start and text[end - 1] in _URL_TRAIL:
            end -= 1
        # A closing bracket belongs to the URL only when the URL opened one (Wikipedia links);
        # an unmatched one closes the sentence's bracket: "(see https://a.kr/x)에서".
        depth = 0
        for pos in range(start, end):
            if text[pos] == "(":
                depth += 1
            elif text[pos] == ")":
                if depth == 0:
                    end = pos
                    break
                depth -= 1
        while end > start and text[end - 1] in _URL_TRAIL:
            end -= 1
        if end - start > 4:
            yield start, end
