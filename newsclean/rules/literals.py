"""Required literals of a rule pattern: strings one of which every match of it contains.

Most lines match no rule, and a pattern that opens with a look-behind, an alternation or a lazy
``.{0,120}?`` is tried by the engine at every position of a line before it fails (the engine
looks for one required string first, but never through an alternation). When every match of a
pattern holds one of a few literals ("contribuy", "rights reserved"), a line holding none of them
is passed over on a few substring tests in C: the rule's *gate*.

The literals are read off the pattern's source by a small reader of the syntax the rule files
use. Anything it does not know (a back-reference, a conditional, a character it cannot compare
after case folding) makes that part of the pattern match "anything", and a pattern it cannot
read at all gets no gate: a gate can only err towards trying a rule, never towards passing over
a line the rule would match. Tests check each rule's examples against its gate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import regex

# The exact strings a part of a pattern can match are followed while there are at most this many
# ("(?:el|la) (?:periodista|reportero)" is four); past it, the part only requires what its items do.
MAX_EXACT = 16
# A gate of more literals costs more substring tests than the engine spends failing a line.
MAX_GATE = 24
# Literals sharing this many characters are tested as the one string they share.
SHARED_CHARS = 5

Strings = frozenset[str]
_EMPTY: Strings = frozenset({""})
_UNKNOWN: tuple[Strings | None, Strings | None] = (None, None)  # matches "anything"
_ZERO_WIDTH: tuple[Strings | None, Strings | None] = (_EMPTY, None)


class Unreadable(Exception):
    """A construct the reader does not follow; the pattern gets no gate."""


# One token of a pattern in the regex module's version-0 syntax. Sets cannot nest in version 0.
_TOKENS = re.compile(
    r"""
      (?P<set>\[\^?\]?(?:\\.|\[:\^?\w+:\]|[^\]\\])*\])
    | (?P<look>\(\?<?[=!])
    | (?P<flags>\(\?[imsuw]+\))
    | (?P<comment>\(\?\#[^)]*\))
    | (?P<group>\((?:\?(?:[:>]|P?<\w+>|[imsuw]*(?:-[imsuw]+)?:))?)
    | (?P<close>\))
    | (?P<alt>\|)
    | (?P<quant>(?:[?*+]|\{\d*(?:,\d*)?\})[?+]?)
    | (?P<zero>[$^]|\\[bBAZzGmM])
    | (?P<code>\\x[0-9a-fA-F]{2}|\\x\{[0-9a-fA-F]+\}|\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8})
    | (?P<class>\.|\\[pP](?:\{[^}]*\}|\w)|\\[sSdDwWnrtfv]|\\N\{[^}]*\})
    | (?P<escaped>\\[^\w])
    | (?P<chars>[^\\{}()\[\]|?*+.$^]+)
    | (?P<char>[^\\{])
    """,
    re.VERBOSE,
)


def required_literals(source: str, normalise: Callable[[str], str]) -> tuple[str, ...] | None:
    """Literals in the form ``normalise`` gives a line, one of which every text the pattern
    ``source`` matches (ignoring case) contains in that form; None when no small set is known.

    >>> from newsclean.rules import normalise
    >>> required_literals(r"(?<!\\w)(?:all|some) rights reserved", normalise)
    ('rights reserved',)
    >>> required_literals(r"^(?:la|el) (?:foto|imagen):", normalise)
    ('el foto:', 'el imagen:', 'la foto:', 'la imagen:')
    >>> required_literals(r"^\\p{L}+ \\d+$", normalise) is None
    True
    """
    safe = _CaseCheck(normalise)
    try:
        reader = _Reader(_tokens(source, safe), safe)
        exact, required = reader.alternation()
        if reader.peek() is not None:
            raise Unreadable("an unmatched ')'")
    except Unreadable:
        return None
    best = _best((exact, required))
    if best is None:
        return None
    gate = {normalise(s) for s in best}
    if "" in gate:
        return None
    kept = sorted(_shortest_holding(frozenset(gate)))
    if len(kept) > 1:
        shared = _longest_common_substring(kept).strip()
        if len(shared) >= SHARED_CHARS:
            return (shared,)  # "contribuyó", "contribuyeron": "contribuy" is one test
    return tuple(kept)


class _CaseCheck:
    """Whether a character can stand in a literal: every character the engine takes for it when
    ignoring case must have its normalised form. The engine matches "I" with Turkish "ı", which
    normalise() keeps apart, and a newer engine may know case pairs this Python's Unicode tables
    do not ("ß" and U+1DF95 in regex 2026.11): those characters match "anything" instead.

    The case variants are the engine's own (``regex._regex.get_all_cases``, kept private by the
    module but stable for a decade); without it, only characters without case can be literals.
    """

    def __init__(self, normalise: Callable[[str], str]) -> None:
        self.normalise = normalise
        self.known: dict[str, bool] = {}
        self.variants: Any = None
        try:
            from regex._regex import get_all_cases

            self.variants = get_all_cases
        except ImportError:
            pass

    def __call__(self, char: str) -> bool:
        safe = self.known.get(char)
        if safe is None:
            if self.variants is None:
                safe = char.lower() == char.upper()
            else:
                variants = self.variants(regex.IGNORECASE | regex.V0, ord(char))
                safe = len({self.normalise(chr(v)) for v in variants} | {self.normalise(char)}) == 1
            self.known[char] = safe
        return safe


def _tokens(source: str, safe: Callable[[str], bool]) -> Iterator[tuple[str, str]]:
    position = 0
    while position < len(source):
        m = _TOKENS.match(source, position)
        if m is None:
            raise Unreadable(f"{source[position:position + 10]!r}")
        assert m.lastgroup is not None
        kind, text = m.lastgroup, m.group()
        position = m.end()
        if kind == "chars" and (source[position : position + 1] in ("?", "*", "+", "{") or not all(map(safe, text))):
            # A quantifier applies to the last character only; an unsafe character is unknown.
            yield from (("char", c) for c in text)
        else:
            yield kind, text


class _Reader:
    """Recursive descent over the tokens, giving (exact, required) for each part: the strings it
    matches exactly, when few; a set of strings one of which each of its matches contains."""

    def __init__(self, tokens: Iterator[tuple[str, str]], safe: Callable[[str], bool]) -> None:
        self.tokens = tokens
        self.safe = safe
        self.ahead: tuple[str, str] | None = next(tokens, None)

    def peek(self) -> tuple[str, str] | None:
        return self.ahead

    def take(self) -> tuple[str, str]:
        token = self.ahead
        if token is None:
            raise Unreadable("the pattern ends inside a group")
        self.ahead = next(self.tokens, None)
        return token

    def alternation(self) -> tuple[Strings | None, Strings | None]:
        branches = [self.sequence()]
        while self.ahead is not None and self.ahead[0] == "alt":
            self.take()
            branches.append(self.sequence())
        if len(branches) == 1:
            return branches[0]
        exact = _union(e for e, _ in branches)
        if exact is not None and len(exact) > MAX_EXACT:
            exact = None
        return exact, _union(_best((e, r)) for e, r in branches)

    def sequence(self) -> tuple[Strings | None, Strings | None]:
        run: Strings | None = _EMPTY  # the exact strings of the items since the last unknown one
        candidates: list[Strings | None] = []
        whole = True
        while self.ahead is not None and self.ahead[0] not in ("alt", "close"):
            exact, required = self.repeated(self.atom())
            joined = _product(run, exact) if run is not None and exact is not None else None
            if joined is not None:
                run = joined
                continue
            whole = False
            candidates += (run, required)
            run = exact if exact is not None and len(exact) <= MAX_EXACT else _EMPTY
        candidates.append(run)
        return (run if whole else None), _best(candidates)

    def repeated(self, atom: tuple[Strings | None, Strings | None]) -> tuple[Strings | None, Strings | None]:
        if self.ahead is None or self.ahead[0] != "quant":
            return atom
        low, high = _bounds(self.take()[1])
        exact, required = atom
        if low == 0:
            return (exact | _EMPTY if exact is not None and high == 1 else None), None
        return (exact if low == high == 1 else None), _best((exact, required))

    def atom(self) -> tuple[Strings | None, Strings | None]:
        kind, text = self.take()
        if kind == "char" or kind == "escaped":
            return self.literal(text[-1]), None
        if kind == "chars":
            return frozenset({text}), None  # every character is safe (see _tokens)
        if kind == "code":
            return self.literal(chr(int(text.strip("\\xuU{}"), 16))), None
        if kind == "set":
            return self.set(text), None
        if kind in ("zero", "flags", "comment"):
            return _ZERO_WIDTH
        if kind == "look" or kind == "group":
            inside = self.alternation()
            if self.take()[0] != "close":
                raise Unreadable("a group without its ')'")
            return _ZERO_WIDTH if kind == "look" else inside
        if kind == "class":
            return _UNKNOWN
        raise Unreadable(f"{text!r} where an item was expected")

    def literal(self, char: str) -> Strings | None:
        return frozenset({char}) if self.safe(char) else None

    def set(self, text: str) -> Strings | None:
        """A set of plain characters ("[oa]") as its characters; any other set is unknown."""
        inner = text[1:-1]
        if inner.startswith("^") or "-" in inner[1:-1] or "[:" in inner:
            return None
        chars = re.findall(r"\\[^\w]|[^\\]|\\.", inner)
        if not chars or len(chars) > MAX_EXACT or any(len(c) == 2 and c[1].isalnum() for c in chars):
            return None
        return _union(self.literal(c[-1]) for c in chars)




def _bounds(quantifier: str) -> tuple[int, int | None]:
    q = quantifier.rstrip("?+") if quantifier[0] == "{" else quantifier[0]
    if q == "?":
        return 0, 1
    if q == "*":
        return 0, None
    if q == "+":
        return 1, None
    low, _, high = q[1:-1].partition(",")
    if "," not in q:
        return int(low or 0), int(low or 0)
    return int(low or 0), int(high) if high else None


def _score(strings: Strings) -> tuple[int, int]:
    """How selective a requirement is: its shortest literal first, then fewer literals."""
    return (min(len(s.strip()) for s in strings), -len(strings)) if strings else (0, 0)


def _best(candidates: Iterable[Strings | None]) -> Strings | None:
    """The most selective of the requirements small enough to test; None if none is."""
    best, best_score = None, (0, 0)
    for strings in candidates:
        if strings is not None and len(strings) > MAX_GATE:
            strings = _shortest_holding(strings)  # "abone ol", "abone olun" -> "abone ol"
        if strings is not None and len(strings) <= MAX_GATE:
            score = _score(strings)
            if score > best_score:
                best, best_score = strings, score
    return best if best_score[0] > 0 else None


def _shortest_holding(strings: Strings) -> Strings:
    """Without the literals that hold another one: a line holding one holds the shorter too."""
    return frozenset(s for s in strings if not any(o != s and o in s for o in strings))


def _product(left: Strings, right: Strings) -> Strings | None:
    if len(left) * len(right) > MAX_EXACT:
        return None
    return frozenset(a + b for a in left for b in right)


def _union(parts: Iterator[Strings | None] | list[Strings | None]) -> Strings | None:
    out: set[str] = set()
    for part in parts:
        if part is None:
            return None
        out |= part
    return frozenset(out)


def _longest_common_substring(strings: list[str]) -> str:
    shortest = min(strings, key=len)
    for size in range(len(shortest), 0, -1):
        for start in range(len(shortest) - size + 1):
            part = shortest[start : start + size]
            if all(part in s for s in strings):
                return part
    return ""
