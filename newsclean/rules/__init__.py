"""Language rule data: load the TOML files shipped in this package and compile them once.

One file per language (``<code>.toml``) plus ``_common.toml`` for language-neutral rules; the
schema is documented in ``TEMPLATE.toml``. Files are read through importlib.resources (so they
work from a wheel or a zip) and validated; a bad file raises :class:`RuleDataError` naming the
file and the rule. Loading and compiling are cached on immutable arguments, so every process
compiles each rule set once and no module holds mutable state.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.resources
import tomllib
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

import regex

from newsclean.errors import RuleDataError, UnknownLanguageError
from newsclean.rules.literals import required_literals
from newsclean.segment import SCRIPTS, fold, replace_each
from newsclean.types import Category

MATCH_MODES = ("line", "start", "search")
DEFAULT_MAX_WORDS = {"line": 25, "start": 30, "search": 12}
_RULE_KEYS = {"id", "category", "match", "max_words", "requires", "block", "phrases", "pattern", "examples"}
_CATEGORIES = {c.value for c in Category} - {"repeat", "recurring", "markup"}
# What may follow a whole-line phrase: punctuation, symbols, emoji, invisible format marks.
_LINE_TAIL = r"[\s\p{P}\p{S}\p{Cf}]*$"
_NO_BOUNDARY = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]")
_CAPITAL = regex.compile(r"\\p\{(Lu|Ll|Lt)\}")


@dataclasses.dataclass(frozen=True, slots=True)
class Rule:
    """One compiled rule of a rule file."""

    id: str
    lang: str
    category: Category
    match: str
    max_words: int
    requires_link: bool
    block: bool
    source: str  # the regex source (for a phrase rule, the phrases as one alternation)
    pattern: regex.Pattern[str] | None  # compiled for pattern rules only
    phrases: tuple[str, ...]  # normalised literal phrases (looked up in a dict), or () for a pattern
    examples_match: tuple[str, ...]
    examples_no_match: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class LanguageData:
    """The parsed content of one rule file."""

    lang: str
    name: str
    scripts: tuple[str, ...]
    rules: tuple[Rule, ...]
    datelines: tuple[regex.Pattern[str], ...]
    dateline_examples: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]


@dataclasses.dataclass(frozen=True, slots=True)
class RuleHit:
    """A rule that matched a line, with the named groups it captured (author, source)."""

    rule: Rule
    groups: dict[str, str]


def _case_sensitive_capitals(pattern: str) -> str:
    r"""Make \p{Lu} mean a capital letter even though matching ignores case.

    Outside character classes only: inside a class the property stays as written.
    """
    out = []
    i = 0
    depth = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            m = _CAPITAL.match(pattern, i)
            if m and depth == 0:
                out.append(f"(?-i:{m.group(0)})")
                i = m.end()
                continue
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
        out.append(ch)
        i += 1
    return "".join(out)


def _phrase_source(phrase: str) -> str:
    folded = fold(phrase).strip()
    body = regex.escape(folded, special_only=True)
    body = regex.sub(r"(?:\\ )+| +", r"\\s+", body)
    body = body.replace("'", "['’]")
    head = "" if _NO_BOUNDARY.match(folded[:1]) or not folded[:1].isalnum() else r"(?<!\w)"
    tail = "" if _NO_BOUNDARY.match(folded[-1:]) or not folded[-1:].isalnum() else r"(?!\w)"
    return f"{head}{body}{tail}"


def _anchor(source: str, mode: str) -> str:
    if mode == "line":
        return f"^(?:{source}){_LINE_TAIL}"
    if mode == "start":
        return f"^(?:{source})"
    return f"(?:{source})"


_FRAGMENT_CALL = regex.compile(r"\(\?&(\w+)\)")
FRAGMENT_DEPTH = 4  # fragments may use fragments, this deep


def _fragments(data: dict[str, Any], where: str) -> dict[str, str]:
    """The file's ``[define]`` table: named pattern fragments shared by its rules."""
    defined = data.get("define", {})
    if not isinstance(defined, dict) or not all(isinstance(v, str) and v.strip() for v in defined.values()):
        raise RuleDataError(f"{where}: [define] must map names to non-empty pattern strings")
    return defined


@functools.cache
def _common_fragments() -> dict[str, str]:
    return _fragments(_rule_file("_common")[0], _where("_common"))


def _file_fragments(lang: str, data: dict[str, Any], where: str) -> dict[str, str]:
    """The fragments a file's rules may use: ``_common.toml``'s ``[define]`` (language-neutral
    pieces such as what a photo credit looks like), then the file's own, which win."""
    own = _fragments(data, where)
    return own if lang == "_common" else {**_common_fragments(), **own}


def _expand(pattern: str, fragments: dict[str, str], where: str) -> str:
    """``pattern`` with each ``(?&name)`` replaced by ``(?:fragment)`` from ``[define]``.

    The syntax is the regex engine's own for calling a named group, so a reader takes it as
    "the pattern called name"; the expansion is textual, so the rule compiles as if written out.
    """
    for _ in range(FRAGMENT_DEPTH + 1):
        if "(?&" not in pattern:
            return pattern
        unknown = [n for n in _FRAGMENT_CALL.findall(pattern) if n not in fragments]
        if unknown:
            raise RuleDataError(f"{where}: (?&{unknown[0]}) is not in [define]")
        pattern = _FRAGMENT_CALL.sub(lambda m: f"(?:{fragments[m.group(1)]})", pattern)
    raise RuleDataError(f"{where}: [define] fragments nest deeper than {FRAGMENT_DEPTH}")


def _parse_rule(raw: dict[str, Any], lang: str, where: str, fragments: dict[str, str] | None = None) -> Rule:
    rid = raw.get("id")
    if not isinstance(rid, str) or not rid:
        raise RuleDataError(f"{where}: a rule has no id")
    extra = set(raw) - _RULE_KEYS
    if extra:
        raise RuleDataError(f"{where}: rule {rid}: unknown keys {sorted(extra)}")
    category = raw.get("category")
    if category not in _CATEGORIES:
        raise RuleDataError(f"{where}: rule {rid}: category {category!r} is not one of {sorted(_CATEGORIES)}")
    mode = raw.get("match", "line")
    if mode not in MATCH_MODES:
        raise RuleDataError(f"{where}: rule {rid}: match {mode!r} is not one of {MATCH_MODES}")
    phrases, pattern = raw.get("phrases"), raw.get("pattern")
    if (phrases is None) == (pattern is None):
        raise RuleDataError(f"{where}: rule {rid}: give exactly one of phrases or pattern")
    if phrases is not None:
        if not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise RuleDataError(f"{where}: rule {rid}: phrases must be a non-empty list of non-empty strings")
        # Longest first, so "read also" wins over "read" inside one alternation.
        source = "|".join(_phrase_source(p) for p in sorted(dict.fromkeys(phrases), key=len, reverse=True))
        literal = tuple(dict.fromkeys(normalise(fold(p)) for p in phrases))
    else:
        if not isinstance(pattern, str) or not pattern.strip():
            raise RuleDataError(f"{where}: rule {rid}: pattern must be a non-empty string")
        # Patterns see folded text, so they are folded too (Arabic letter variants, NFKC).
        source = _case_sensitive_capitals(fold(_expand(pattern, fragments or {}, f"{where}: rule {rid}")))
        literal = ()
    compiled = None
    if not literal:  # phrases are looked up in a dict (see _ModeGroup): only patterns compile
        try:
            compiled = regex.compile(_anchor(source, mode), regex.IGNORECASE | regex.V0)
        except regex.error as exc:
            raise RuleDataError(f"{where}: rule {rid}: bad pattern: {exc}") from None
    requires = raw.get("requires")
    if requires not in (None, "link"):
        raise RuleDataError(f"{where}: rule {rid}: requires must be 'link'")
    block = raw.get("block", False)
    if block and category != "related":
        raise RuleDataError(f"{where}: rule {rid}: block applies to related rules only")
    max_words = _max_words_of(raw)
    if not isinstance(max_words, int) or max_words < 1:
        raise RuleDataError(f"{where}: rule {rid}: max_words must be a positive integer")
    examples = raw.get("examples", {})
    return Rule(
        id=rid, lang=lang, category=Category(category), match=mode, max_words=max_words,
        requires_link=requires == "link", block=bool(block), source=source, pattern=compiled, phrases=literal,
        examples_match=tuple(examples.get("match", ())),
        examples_no_match=tuple(examples.get("no_match", ())),
    )


def _rule_files() -> dict[str, Any]:
    root = importlib.resources.files("newsclean.rules")
    return {
        entry.name[:-5]: entry
        for entry in root.iterdir()
        if entry.name.endswith(".toml") and entry.name != "TEMPLATE.toml"
    }


@functools.cache
def available_languages() -> tuple[str, ...]:
    """The language codes that have a rule file, sorted.

    >>> "en" in available_languages() and "ar" in available_languages()
    True
    """
    return tuple(sorted(name for name in _rule_files() if not name.startswith("_")))


def _max_words_of(raw: dict[str, Any]) -> Any:
    """A rule's ``max_words`` as written, or its match mode's default (unchecked: the caller
    checks it, or reads it before the rule is compiled)."""
    return raw.get("max_words", DEFAULT_MAX_WORDS.get(raw.get("match", "line"), 0))


def _where(lang: str) -> str:
    """How error messages name a rule file."""
    return f"newsclean/rules/{lang}.toml"


def _read_rule_file(lang: str) -> dict[str, Any]:
    files = _rule_files()
    if lang not in files:
        raise UnknownLanguageError(lang, available_languages())
    try:
        return tomllib.loads(files[lang].read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RuleDataError(f"{_where(lang)}: {exc}") from None


@functools.cache
def _rule_file(lang: str) -> tuple[dict[str, Any], tuple[str, ...]]:
    """A rule file's parsed TOML and its scripts, checked: what a rule book needs of every file
    before it compiles any rules (parsing all the files takes ~70 ms, compiling them ~0.8 s)."""
    where = _where(lang)
    data = _read_rule_file(lang)
    meta = data.get("meta", {})
    if meta.get("lang") != lang:
        raise RuleDataError(f"{where}: [meta] lang must be {lang!r}")
    scripts = tuple(meta.get("scripts", ()))
    bad = [s for s in scripts if s != "*" and s not in SCRIPTS]
    if not scripts or bad:
        raise RuleDataError(f"{where}: [meta] scripts must name scripts from {sorted(SCRIPTS)}, got {list(scripts)}")
    return data, scripts


def language_scripts(lang: str) -> tuple[str, ...]:
    """The scripts a rule file's rules apply to (its ``[meta] scripts``), without compiling it.

    >>> language_scripts("ja")
    ('Han', 'Kana')
    """
    return _rule_file(lang)[1]


def _largest_max_words(lang: str) -> int:
    """The largest ``max_words`` of a file's rules, read without compiling them (a value that
    breaks the schema counts as none: compiling the rule reports it)."""
    sizes = [_max_words_of(raw) for raw in _rule_file(lang)[0].get("rule", []) if isinstance(raw, dict)]
    return max((n for n in sizes if isinstance(n, int)), default=0)


@functools.cache
def _datelines(lang: str) -> tuple[tuple[regex.Pattern[str], ...], tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]:
    where = _where(lang)
    datelines, examples = [], []
    for i, raw in enumerate(_rule_file(lang)[0].get("dateline", [])):
        try:
            datelines.append(regex.compile(raw["pattern"], regex.V0))
        except (KeyError, regex.error) as exc:
            raise RuleDataError(f"{where}: dateline {i}: {exc}") from None
        ex = raw.get("examples", {})
        examples.append((tuple(ex.get("match", ())), tuple(ex.get("no_match", ()))))
    return tuple(datelines), tuple(examples)


@functools.cache
def load_language(lang: str) -> LanguageData:
    """Parse and compile one rule file (``"_common"`` for the language-neutral one).

    Raises:
        UnknownLanguageError: no file for ``lang``.
        RuleDataError: the file breaks the schema; the message names file and rule.
    """
    where = _where(lang)
    data, scripts = _rule_file(lang)
    fragments = _file_fragments(lang, data, where)
    rules = tuple(_parse_rule(raw, lang, where, fragments) for raw in data.get("rule", []))
    datelines, dateline_examples = _datelines(lang)
    name = str(data.get("meta", {}).get("name", lang))
    return LanguageData(lang, name, scripts, rules, datelines, dateline_examples)


_APOSTROPHES = (("’", "'"), ("ʼ", "'"), ("‘", "'"))
# Searched backwards from the end (REVERSE): a line ending in a letter costs one step.
_TAIL = regex.compile(r"[\s\p{P}\p{S}\p{Cf}]+$", regex.REVERSE)
_NO_SPACE_SCRIPTS = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}"
# A token: a run of word characters, or one character of a script written without spaces, or
# one other non-space character. Phrases are indexed by their first token.
_TOKEN = regex.compile(rf"[^\W{_NO_SPACE_SCRIPTS}]+|\S")
# A phrase match must not stop inside a word.
_WORD_GOES_ON = regex.compile(rf"(?<=[^\W{_NO_SPACE_SCRIPTS}])[^\W{_NO_SPACE_SCRIPTS}]")


def _without_tail(text: str) -> str:
    """``text`` without trailing punctuation, symbols and spaces (one step when it ends in a
    letter or digit, which none of them is)."""
    if not text or text[-1].isalnum():
        return text
    tail = _TAIL.search(text)
    return text[: tail.start()] if tail is not None else text


def normalise(text: str) -> str:
    """The form phrases are looked up in: case-folded, one space between words, plain apostrophes."""
    # casefold() turns Turkish "İ" into "i" + U+0307; the dot would keep "İÇERİK" from "içerik".
    # And "I" folds to "i", never to Turkish "ı": "BASIN" must find "basın", so "ı" is read as "i".
    text = replace_each(text, _APOSTROPHES)
    return " ".join(text.casefold().replace("\u0307", "").replace("ı", "i").split())


T = TypeVar("T")
# Prefixes of each length whose candidates a prefilter remembers; past this (an input of every
# character there is), a new prefix gets the candidates of its shorter prefix: memory and the
# cost per line stay bounded.
PREFIXES_KEPT = 4096
# A prefilter narrows by this many first characters of a text: two halve the candidates of
# one on real text (Latin line rules: 14 of 54 tried per line on one character, 8 on two),
# and the distinct pairs of a corpus are few hundred, so they are worked out once.
PREFIX_CHARS = 2


class _ByPrefix(Generic[T]):
    """Items (rules, dateline patterns) in order, narrowed to those whose pattern can match a
    text beginning with the text's first characters: worked out by regex partial matching, once
    per prefix, in bounded tables (one per prefix length, each narrowing the one before).

    Partial matching may only err towards keeping an item; the one construct that would make
    it drop one, ``\\B`` right after the prefix, is used by no rule file (a test checks).
    """

    __slots__ = ("_kept", "items", "pattern_of")

    def __init__(self, items: Sequence[T], pattern_of: Callable[[T], regex.Pattern[str]]) -> None:
        self.items = tuple(items)
        self.pattern_of = pattern_of
        self._kept: tuple[dict[str, tuple[T, ...]], ...] = tuple({} for _ in range(PREFIX_CHARS + 1))

    def __call__(self, text: str) -> tuple[T, ...]:
        prefix = text[:PREFIX_CHARS]
        found = self._kept[len(prefix)].get(prefix)
        return found if found is not None else self._narrow(prefix)

    def _narrow(self, prefix: str) -> tuple[T, ...]:
        found = self.items
        for size in range(1, len(prefix) + 1):
            kept = self._kept[size]
            narrower = kept.get(prefix[:size])
            if narrower is None:
                if len(kept) >= PREFIXES_KEPT:
                    break  # a full table: the shorter prefix's candidates, at no cost per line
                narrower = tuple(i for i in found if self.pattern_of(i).match(prefix[:size], partial=True) is not None)
                kept[prefix[:size]] = narrower
            found = narrower
        return found


class _ModeGroup:
    """All rules of one match mode for one script.

    Literal phrases (most rules) sit in a dict from normalised phrase to rules, looked up at the
    word boundaries of a line: a few dict probes instead of a regex of hundreds of branches.
    Pattern rules are tried in file order: line and start rules only when they can begin as the
    line does, search rules when the line's word count allows them.
    """

    __slots__ = ("by_token", "gates", "max_words", "mode", "pattern_rules", "phrases", "starting_with")

    def __init__(self, mode: str, rules: list[Rule]) -> None:
        self.mode = mode
        self.max_words = max((r.max_words for r in rules), default=0)
        self.phrases: dict[str, tuple[Rule, ...]] = {}
        for rule in rules:
            for phrase in rule.phrases:
                # A whole-line phrase may be followed by punctuation: compare without it.
                phrase = _without_tail(phrase) if mode == "line" else phrase
                self.phrases[phrase] = (*self.phrases.get(phrase, ()), rule)
        # Start phrases are looked up by the line's first token. Search phrases are indexed by
        # their longest token, the rarest as a rule ("reserved" in "all rights reserved", not
        # "all"): most lines hold none of them and are passed over on a few substring tests.
        self.by_token: dict[str, list[str]] = {}
        for phrase in sorted(self.phrases, key=len, reverse=True):  # longest first
            tokens = _TOKEN.findall(phrase)
            if tokens:
                index = tokens[0] if mode != "search" else max(tokens, key=len)
                self.by_token.setdefault(index, []).append(phrase)
        self.pattern_rules = tuple(r for r in rules if not r.phrases)
        # Line and start rules match at the start of the key: only the rules that can begin with
        # its first characters are tried.
        self.starting_with = _ByPrefix(self.pattern_rules, _pattern_of)
        # Each pattern rule's gate (see gate_of), read when the group first meets a line: a
        # document in one script does not pay for reading the patterns of the others.
        self.gates: dict[str, tuple[str, ...] | None] | None = None

    def first(self, line: _LineKey, words: int, has_link: bool) -> RuleHit | None:
        if words > self.max_words:
            return None
        if self.phrases:
            hit = self._phrase_hit(line, words, has_link)
            if hit is not None:
                return hit
        if not self.pattern_rules:
            return None
        # Line and start rules: only those that can begin as the key does. Search rules one by
        # one, in file order: each pattern on its own lets the engine use what it knows of it (a
        # literal to look for first); one alternation of them all was up to six times slower on
        # rules that open with a look-around.
        search = self.mode == "search"
        norm = line.norm
        if self.gates is None:
            self.gates = {rule.id: gate_of(rule) for rule in self.pattern_rules}
        gates = self.gates
        for rule in self.pattern_rules if search else self.starting_with(line.key):
            if words <= rule.max_words and (has_link or not rule.requires_link):
                gate = gates[rule.id]
                if gate is not None:
                    for literal in gate:
                        if literal in norm:
                            break
                    else:
                        continue  # the line holds none of the literals every match holds
                pattern = _pattern_of(rule)
                m = pattern.search(line.key) if search else pattern.match(line.key)
                if m is not None:
                    return _hit(rule, m)
        return None

    def _phrase_hit(self, line: _LineKey, words: int, has_link: bool) -> RuleHit | None:
        for phrase in self.phrases_in(line):
            for rule in self.phrases[phrase]:
                if words <= rule.max_words and (has_link or not rule.requires_link):
                    return RuleHit(rule, {})
        return None

    def phrases_in(self, line: _LineKey) -> list[str]:
        """The group's phrases found in the line, in the order their rules are tried: the whole
        line; the start; or where they stand, leftmost first and longest first there."""
        if self.mode == "line":
            return [line.bare] if line.bare in self.phrases else []
        if self.mode == "start":
            return [p for p in self.by_token.get(line.first_token(), ()) if line.has(p, 0)]
        # A phrase can only stand in a line that holds its indexing token: substring tests run
        # in C, where splitting the line into tokens would cost several times more.
        norm = line.norm
        places = [(line.find(p), -len(p), p) for t, phrases in self.by_token.items() if t in norm for p in phrases]
        return [p for start, _, p in sorted(places) if start >= 0]


class _LineKey:
    """A match key with its normalised forms, computed once per line."""

    __slots__ = ("bare", "key", "norm")

    def __init__(self, key: str) -> None:
        self.key = key
        self.norm = normalise(key)
        self.bare = _without_tail(self.norm)

    def first_token(self) -> str:
        m = _TOKEN.match(self.norm)
        return m.group(0) if m else ""

    def has(self, phrase: str, start: int) -> bool:
        """Whether ``phrase`` stands at ``start`` and ends at a word boundary."""
        end = start + len(phrase)
        return self.norm.startswith(phrase, start) and _WORD_GOES_ON.match(self.norm, end) is None

    def find(self, phrase: str) -> int:
        """Where ``phrase`` first stands as whole tokens (not inside a word at either end), or -1."""
        norm = self.norm
        start = norm.find(phrase)
        while start >= 0:
            inside_word = (start > 0 and _WORD_GOES_ON.match(norm, start) is not None
                           or _WORD_GOES_ON.match(norm, start + len(phrase)) is not None)
            if not inside_word:
                return start
            start = norm.find(phrase, start + 1)
        return -1


def _pattern_of(rule: Rule) -> regex.Pattern[str]:
    assert rule.pattern is not None, rule.id  # only pattern rules are matched by pattern
    return rule.pattern


def gate_of(rule: Rule) -> tuple[str, ...] | None:
    """A pattern rule's gate: literals, in :func:`normalise`'s form, one of which every line the
    rule matches holds (see :mod:`newsclean.rules.literals`), or None. A line holding none of
    them is not tried. Read once per pattern, on first use.

    >>> [gate_of(r) for r in load_language("pt").rules if r.id == "pt.copyright.line"]
    [('proibida a reprodução', 'reprodução proibida', 'todos os direitos reservados')]
    """
    return _gate_of_source(_pattern_of(rule).pattern)


@functools.cache
def _gate_of_source(source: str) -> tuple[str, ...] | None:
    return required_literals(source, normalise)


def _hit(rule: Rule, m: regex.Match[str] | None) -> RuleHit:
    groups = {k: v.strip() for k, v in (m.groupdict() if m else {}).items() if v}
    return RuleHit(rule, groups)


class RuleBook:
    """The compiled rules of a set of languages, grouped by script and match mode.

    A line is matched against the rules of every language written in a script the line uses,
    plus the language-neutral rules. Built once per language set (see :func:`rule_book`). A
    file's rules are compiled when a line in one of its scripts first needs them: a document in
    Cyrillic does not wait for the Latin, Arabic and Han files (most of the start-up of one post
    from the shell). Each file's scripts, datelines and largest ``max_words`` are read up front.
    """

    def __init__(self, languages: Iterable[str]) -> None:
        self.languages = tuple(languages)
        self._scripts_of = {code: language_scripts(code) for code in self.languages}
        self.scripts = tuple(sorted({s for ss in self._scripts_of.values() for s in ss if s != "*"}))
        self.datelines = tuple(p for code in self.languages for p in _datelines(code)[0])
        # Dateline patterns tried on a first body line: those that can begin as it does.
        self.datelines_for = _ByPrefix(self.datelines, lambda pattern: pattern)
        self.max_words = max((_largest_max_words(code) for code in self.languages), default=0)
        self._groups: dict[str, tuple[_ModeGroup, ...]] = {}

    def _groups_for(self, script: str) -> tuple[_ModeGroup, ...]:
        groups = self._groups.get(script)
        if groups is None:
            modes: dict[str, list[Rule]] = {m: [] for m in MATCH_MODES}
            for code in self.languages:  # in book order, each file's rules in file order
                if script in self._scripts_of[code]:
                    for rule in load_language(code).rules:
                        modes[rule.match].append(rule)
            groups = tuple(_ModeGroup(m, modes[m]) for m in MATCH_MODES if modes[m])
            self._groups[script] = groups
        return groups

    def groups(self) -> dict[str, tuple[_ModeGroup, ...]]:
        """Every script's rule groups, compiling every file of the book (for tests and tools,
        and for a parent process to compile before it forks workers)."""
        return {script: self._groups_for(script) for script in ("*", *self.scripts)}

    def match(self, key: str, scripts: Iterable[str], words: int, has_link: bool) -> RuleHit | None:
        """The first rule that removes a line with this match key, or None."""
        if words > self.max_words or not key:
            return None
        line = _LineKey(key)
        for script in ("*", *scripts):
            for group in self._groups_for(script):
                hit = group.first(line, words, has_link)
                if hit is not None:
                    return hit
        return None


@functools.cache
def rule_book(languages: tuple[str, ...] | None = None) -> RuleBook:
    """The compiled :class:`RuleBook` for ``languages`` (all shipped languages when None)."""
    langs = available_languages() if languages is None else languages
    return RuleBook(("_common", *langs))
