"""The public entry points: :func:`clean` and :class:`Cleaner`. Orchestration only.

Data flows one way: raw text -> lines (:mod:`segment`) -> phase-one verdicts
(:mod:`detectors`) -> revised verdicts (:mod:`context`) -> inline cuts on kept lines
(:mod:`inline`) -> text, metadata and explanation (:mod:`metadata`, :class:`Result`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from newsclean import context, detectors, inline, metadata
from newsclean.detectors import LineFacts, Verdict
from newsclean.errors import UnknownLanguageError
from newsclean.rules import RuleBook, available_languages, language_scripts, rule_book
from newsclean.segment import Line, split_lines, trim_decoration
from newsclean.types import Category, Link, Options, Removal, Result

BYTES_ERROR = (
    "newsclean.clean() takes text (str), not bytes. Decode it first, for example "
    "data.decode('utf-8'), or use the command line, which detects the encoding."
)


@functools.cache
def _book_for(lang: str | None) -> RuleBook:
    if lang is None:
        return rule_book(None)
    own = set(language_scripts(lang))
    # The caller named the language: its rules replace those of its script-mates, and lines in
    # other scripts (an English "Related articles" under an Arabic post) keep their own rules.
    others = tuple(
        code for code in available_languages() if code != lang and not set(language_scripts(code)) & own
    )
    return rule_book(tuple(sorted((lang, *others))))


class Cleaner:
    """A reusable cleaner: compiled rules plus options, nothing per document.

    Safe to share between threads; :func:`clean` uses one per (lang, options) pair.

    >>> Cleaner().clean("Storm hits coast\\n\\nWaves rose.\\n\\n➖➖➖➖").text
    'Storm hits coast\\n\\nWaves rose.'
    """

    def __init__(self, *, lang: str | None = None, options: Options | None = None) -> None:
        if lang is not None and lang not in available_languages():
            raise UnknownLanguageError(lang, available_languages())
        self.lang = lang
        self.options = options if options is not None else Options()
        self.book = _book_for(lang)

    def clean(
        self, text: str, *, extra: Mapping[str, Any] | None = None, recurring: frozenset[str] = frozenset()
    ) -> Result:
        """Clean one document. See :func:`newsclean.clean`.

        ``extra`` is passed through to ``Result.extra``; ``recurring`` holds fingerprints of a
        source's learned boilerplate lines (see :class:`newsclean.learn.FeedCleaner`).
        """
        if isinstance(text, (bytes, bytearray)):
            raise TypeError(BYTES_ERROR)
        if not isinstance(text, str):
            raise TypeError(f"newsclean.clean() takes str, not {type(text).__name__}")
        lines = split_lines(text)
        language, book = self._language_and_rules(text)
        judged = [detectors.judge_line(line, book) for line in lines]
        facts = [f for _, f in judged]
        verdicts = [v for v, _ in judged]
        self._prefer(verdicts, facts, language)
        verdicts = context.revise(facts, verdicts, recurring)
        drop = self.options.drop
        verdicts = [v if v is not None and v.category in drop else None for v in verdicts]
        return self._assemble(text, lines, facts, verdicts, extra or {}, language, book)

    def _language_and_rules(self, text: str) -> tuple[str | None, RuleBook]:
        """The document's language, and the rules to apply: those of the named language for lines
        in its script, every file's for lines in other scripts.

        A *detected* language never narrows the rules: it is a statistical guess that can change
        once boilerplate is gone, and what is removed must not hang on it. It only names the
        category of a line that rules of two languages of one script remove (:meth:`_prefer`).
        """
        if self.lang is not None:
            return self.lang, self.book
        if not self.options.detect_language:
            return None, self.book
        return metadata.detect_language(text), self.book

    def _prefer(self, verdicts: list[Verdict | None], facts: list[LineFacts], language: str | None) -> None:
        """Where a script-mate's rule removed a line that the document language's own rules also
        remove, report the latter (Arabic "تحرير:" is an editor's credit, Urdu "تحریر:" a byline).
        Only the category and rule id change here, not which lines phase one removes (the
        categories then reach context rules and ``Options.drop`` as usual)."""
        if self.lang is not None or language is None or language not in available_languages():
            return
        own = _book_for(language)
        for i, verdict in enumerate(verdicts):
            rule_lang = verdict.rule.split(".", 1)[0] if verdict is not None else ""
            if rule_lang in own.languages or rule_lang not in available_languages():
                continue  # the document language's own rule, a shared or a structural one
            again, _ = detectors.judge_line(facts[i].line, own)
            if again is not None:
                verdicts[i] = again

    def _assemble(
        self,
        text: str,
        lines: list[Line],
        facts: list[LineFacts],
        verdicts: list[Verdict | None],
        extra: Mapping[str, Any],
        language: str | None,
        book: RuleBook,
    ) -> Result:
        removed: list[Removal] = []
        links: list[Link] = []
        kept: list[tuple[int, str]] = []  # (line index, cleaned text)
        byline = source = None
        last = next((i for i in range(len(facts) - 1, -1, -1) if facts[i].stripped and verdicts[i] is None), -1)
        for line, f, verdict in zip(lines, facts, verdicts):
            if not f.stripped:
                continue
            cut_spans: tuple[inline.Cut, ...] = ()
            # The channel's name removed above the headline may close the last line after a dash.
            names = _head_labels(facts, verdicts) if line.index == last else ()
            edit = inline.edit_line(line.text, self.options, names) if verdict is None else None
            if edit is not None and edit.cuts and edit.text:
                # What is left after the cuts may be furniture itself ("__@chan" -> "@chan"):
                # judge it again, so that cleaning the output changes nothing.
                again, _ = detectors.judge_line(Line(line.index, 0, len(edit.text), edit.text), book)
                if again is not None and again.category in self.options.drop:
                    verdict, edit = again, None
            if edit is not None:
                cut_spans = edit.cuts
                if edit.text:
                    kept.append((line.index, edit.text))
                for cut in edit.cuts:
                    removed.append(Removal(
                        line.text[cut.start : cut.end], cut.category, cut.rule,
                        line.start + cut.start, line.start + cut.end, line.index, inline=True,
                    ))
            else:
                assert verdict is not None  # a line left without an edit was removed whole
                lead = len(line.text) - len(line.text.lstrip())
                start = line.start + lead
                removed.append(Removal(f.stripped, verdict.category, verdict.rule, start, start + len(f.stripped), line.index))
                groups = dict(verdict.groups)
                byline = byline or groups.get("author")
                source = source or groups.get("source")
            if "/" in line.text or "@" in line.text or "www." in line.text:
                cover = inline.Coverage((c.start, c.end) for c in cut_spans)
                for found in inline.find_links(line.text):
                    gone = verdict is not None or found.start in cover
                    links.append(Link(
                        found.url, found.kind, found.anchor, inline.link_context(line.text, found.start, found.end),
                        line.start + found.start, line.start + found.end, line.index, gone,
                    ))
        return self._result(kept, lines, removed, links, byline, source, extra, language, book)

    def _result(
        self,
        kept: list[tuple[int, str]],
        lines: list[Line],
        removed: list[Removal],
        links: list[Link],
        byline: str | None,
        source: str | None,
        extra: Mapping[str, Any],
        language: str | None,
        book: RuleBook,
    ) -> Result:
        title = None
        body_lines = kept
        if self.options.title and kept and metadata.is_title(kept[0][1], len(kept) > 1):
            title = kept[0][1]
            body_lines = kept[1:]
        body = _join_paragraphs(body_lines, lines)
        text = f"{title}\n\n{body}" if title is not None else body
        dateline = None
        if body_lines:
            dateline, agency = metadata.find_dateline(body_lines[0][1], book.datelines_for(body_lines[0][1]))
            source = source or agency
        return Result(
            text=text, title=title, body=body, language=language, links=tuple(links),
            removed=tuple(sorted(removed, key=lambda r: r.start)), dateline=dateline,
            byline=byline, source=source, extra=dict(extra),
        )


def _head_labels(facts: list[LineFacts], verdicts: list[Verdict | None]) -> tuple[str, ...]:
    """The channel and section labels removed above the headline (they stand above the first
    kept line), without their decoration."""
    labels = []
    for f, verdict in zip(facts, verdicts):
        if f.stripped and verdict is None:
            break
        if verdict is not None and verdict.rule == context.HEAD_LABEL_RULE:
            labels.append(trim_decoration(f.stripped))
    return tuple(labels)


def _join_paragraphs(kept: list[tuple[int, str]], lines: list[Line]) -> str:
    """Kept lines in order; a blank input line between two kept lines gives one blank line."""
    parts: list[str] = []
    previous = None
    for index, text in kept:
        if previous is not None:
            gap = lines[previous + 1 : index]
            parts.append("\n\n" if any(not g.text.strip() for g in gap) else "\n")
        parts.append(text)
        previous = index
    return "".join(parts)


@functools.lru_cache(maxsize=64)
def _cached_cleaner(lang: str | None, options: Options) -> Cleaner:
    return Cleaner(lang=lang, options=options)


def clean(text: str, *, lang: str | None = None, options: Options | None = None) -> Result:
    """Clean one piece of agency copy and explain what was removed.

    Args:
        text: the raw post, in any language.
        lang: ISO 639-1 code to skip language detection; its rule file then takes the place of
            the other files of its script. Default: detect, and apply every file by script.
        options: an :class:`Options`; default ``Options()``.

    Returns:
        A :class:`Result`: ``text`` (headline, blank line, body), ``title``, ``body``,
        ``language``, ``links``, ``removed`` (each with category, rule and offsets) and more.

    Raises:
        TypeError: ``text`` is not a str (bytes get a message saying how to decode).
        UnknownLanguageError: ``lang`` has no rule file.

    Guarantees: deterministic and offline; ``clean(clean(x).text).text == clean(x).text``; every
    character of ``text`` comes from the input apart from white space.

    >>> r = clean("Oil prices fall\\n\\nPrices fell 3% on Monday.\\n\\nSubscribe to our channel")
    >>> r.title, r.body, [x.category.value for x in r.removed]
    ('Oil prices fall', 'Prices fell 3% on Monday.', ['subscribe'])
    """
    return _cached_cleaner(lang, options if options is not None else Options()).clean(text)


__all__ = ["Category", "Cleaner", "Options", "Result", "clean"]
