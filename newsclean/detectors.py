"""Line detectors: phase one, each line judged on its own.

A detector looks at one line and either names a positive reason to remove it (a
:class:`Verdict` with category and rule id) or says nothing, and the line stays. The
language-independent detectors (symbol rows, link-only lines, handle lines, hashtag rows) come
first and carry every language; the phrase rules of the rule files come after. Context (what a
line's neighbours are) is phase two, in :mod:`newsclean.context`.
"""

from __future__ import annotations

import dataclasses
import functools

import regex

from newsclean.rules import RuleBook, RuleHit
from newsclean.segment import HANDLE, MARKDOWN_LINK, SENTENCE_STOPS, URL, Line, match_key, scripts_in, word_count
from newsclean.types import Category

HAS_WORD = regex.compile(r"[\p{L}\p{N}]")
# A row of hashtags, with optional emoji or punctuation between them; a tag may close with "#"
# as Weibo's topics do ("#科技# #游戏#").
HASHTAG_ROW = regex.compile(r"^[\s\p{So}\p{P}\p{Sk}\ufe0f]*(?:#[\w\u200c\u200d]+#?[\s,.;|\p{So}\ufe0f]*)+$")
# Sentence-final punctuation in the scripts we meet; a line ending in one reads as a sentence.
SENTENCE_END = regex.compile(rf"[{SENTENCE_STOPS}][\s\"'»”’)\]\p{{So}}\p{{Sk}}*_\ufe0f]*$")
# Words a line may keep beside a bare link and still be only a label for it ("Подробнее:").
LINK_LABEL_WORDS = 2
# A line made only of Markdown links whose anchors are this short is link furniture.
ANCHOR_ONLY_WORDS = 3
# Phrase rules only ever look at lines this long (characters); longer lines are body.
PHRASE_LINE_CHARS = 900
# Words are counted up to this many (or the rules' own maximum, if higher): every rule and
# context threshold is below it, and a long paragraph then costs one bounded scan.
WORDS_COUNTED = 100
# A sentence end is looked for in this many last characters of a line (punctuation followed by
# a longer run of emoji and quotes does not read as the end of a sentence).
SENTENCE_TAIL_CHARS = 64


def ends_like_sentence(text: str) -> bool:
    """Whether ``text`` ends in sentence punctuation, looked for in its last characters only.

    >>> ends_like_sentence("Waves rose overnight. 🌊"), ends_like_sentence("Read also")
    (True, False)
    """
    return SENTENCE_END.search(text, max(0, len(text) - SENTENCE_TAIL_CHARS)) is not None


@dataclasses.dataclass(frozen=True, slots=True)
class Verdict:
    """Why a line goes: its category, the rule id, and what the rule captured."""

    category: Category
    rule: str
    groups: tuple[tuple[str, str], ...] = ()
    block: bool = False

    @classmethod
    def from_hit(cls, hit: RuleHit, stripped: str, key: str) -> Verdict:
        groups = {name: _unfold(value, stripped, key) for name, value in hit.groups.items()}
        return cls(hit.rule.category, hit.rule.id, tuple(sorted(groups.items())), hit.rule.block)


def _unfold(value: str, stripped: str, key: str) -> str:
    """Map a group captured on the folded match key back to the line as written, word for
    word, so an author keeps the diacritics and vowel signs folding removed."""
    raw = match_key(stripped, folded=False).split()
    words, wanted = key.split(), value.split()
    if len(raw) != len(words) or not wanted:
        return value
    for i in range(len(words) - len(wanted) + 1):
        if words[i : i + len(wanted)] == wanted:
            return " ".join(raw[i : i + len(wanted)])
    return value


@dataclasses.dataclass(frozen=True, slots=True)
class LineFacts:
    """What the detectors learnt about a line, reused by the context phase."""

    line: Line
    stripped: str
    words: int  # words outside links and handles
    has_link: bool
    sentence: bool  # ends like a sentence


def _has_link_chars(text: str) -> bool:
    return "/" in text or "www." in text or "@" in text or "](" in text


def _without_links(text: str) -> tuple[str, bool, bool]:
    """The line with links and handles taken out, and whether it had URLs / handles."""
    had_url = had_handle = False
    if "](" in text:
        text, n = MARKDOWN_LINK.subn(r" \1 ", text)
        had_url = n > 0
    if "/" in text or "www." in text:
        text, n = URL.subn(" ", text)
        had_url = had_url or n > 0
    if "@" in text:
        text, n = HANDLE.subn(" ", text)
        had_handle = n > 0
    return text, had_url, had_handle


# A lone account name written without its "@" ("mb_ghalibaf"): ASCII with an underscore.
BARE_HANDLE = regex.compile(r"^@?[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+$")


def _structural(stripped: str) -> tuple[Verdict | None, str, bool]:
    """Language-independent verdicts. Returns (verdict, text without links, has_link)."""
    if not HAS_WORD.search(stripped):
        return Verdict(Category.SEPARATOR, "separator.symbols"), "", False
    if "#" in stripped and HASHTAG_ROW.match(stripped):
        return Verdict(Category.HASHTAGS, "hashtags.row"), stripped, False
    if "_" in stripped and BARE_HANDLE.match(stripped):
        return Verdict(Category.SIGNATURE, "signature.bare_handle"), "", False
    if not _has_link_chars(stripped):
        return None, stripped, False
    rest, had_url, had_handle = _without_links(stripped)
    has_link = had_url or had_handle
    if not has_link:
        return None, stripped, False
    if not HAS_WORD.search(rest):
        # Markdown anchors were kept in `rest`, so "only links" means bare URLs or handles.
        if had_url:
            return Verdict(Category.LINK, "link.only"), rest, True
        return Verdict(Category.SIGNATURE, "signature.handle"), rest, True
    return None, rest, True


def _link_furniture(stripped: str, rest: str) -> Verdict | None:
    """Short labels standing beside links: "Подробнее: URL", "[Зеркало](URL)", "Channel: @x"."""
    words = word_count(rest)
    if "](" in stripped:
        outside = MARKDOWN_LINK.sub(" ", stripped)
        if not HAS_WORD.search(URL.sub(" ", outside)):
            anchors = [m.group(1) for m in MARKDOWN_LINK.finditer(stripped)]
            # One short anchor ("[Зеркало](…)"), or a row of them ("[VK](…) | [YouTube](…)").
            if words <= ANCHOR_ONLY_WORDS or (
                len(anchors) >= 2 and all(word_count(a) <= ANCHOR_ONLY_WORDS for a in anchors)
            ):
                return Verdict(Category.LINK, "link.anchor_only")
    if words <= LINK_LABEL_WORDS and not SENTENCE_END.search(rest.strip()):
        bare_url = URL.search(MARKDOWN_LINK.sub(" ", stripped)) is not None
        if bare_url:
            return Verdict(Category.LINK, "link.labelled")
        if HANDLE.search(stripped) and rest.strip().endswith((":", "：")):
            return Verdict(Category.SIGNATURE, "signature.labelled")
    return None


def judge_line(line: Line, book: RuleBook) -> tuple[Verdict | None, LineFacts]:
    """Phase one for one line: the verdict of the first detector that fires, and the facts."""
    text = line.text
    judged = _judge_recurring(text, book) if len(text) <= KEPT_LINE_CHARS else _judge_text(text, book)
    verdict, stripped, words, has_link, sentence = judged
    return verdict, LineFacts(line, stripped, words, has_link, sentence)


_Judged = tuple[Verdict | None, str, int, bool, bool]  # verdict, stripped, words, has_link, sentence


def _judge_text(text: str, book: RuleBook) -> _Judged:
    stripped = text.strip()
    if not stripped:
        return None, "", 0, False, False
    verdict, rest, has_link = _structural(stripped)
    sentence = ends_like_sentence(stripped)
    limit = max(book.max_words, WORDS_COUNTED)
    if verdict is not None or len(stripped) > PHRASE_LINE_CHARS:
        words = word_count(rest, limit) if verdict is None else limit + 1
        return verdict, stripped, words, has_link, sentence
    counted = -1
    if not has_link and len(stripped) > 2 * book.max_words:
        # Nothing to take out of the line, so its words are the key's: a long body line is
        # decided here, without building the key or running the phrase rules. (A line of at
        # most 2 * max_words characters cannot have more words than that.)
        counted = word_count(stripped, limit)
        if counted > book.max_words:
            return None, stripped, counted, has_link, sentence
    key = match_key(stripped)
    # Folding and trimming mostly leave a line as it was; then its count stands.
    words = counted if counted >= 0 and key == stripped else word_count(key, limit)
    if words <= book.max_words and key:
        hit = book.match(key, scripts_in(key, book.scripts), words, has_link)
        if hit is not None:
            return Verdict.from_hit(hit, stripped, key), stripped, words, has_link, sentence
    verdict = _link_furniture(stripped, rest) if has_link else None
    if verdict is None and words <= ROW_WORDS:
        verdict = _row_of_furniture(stripped, book)
    return verdict, stripped, words, has_link, sentence


# A footer row joins calls and labels with a bar or a dot: "Подписаться | Прислать новость",
# "Сайт: site.ru • Канал: @chan", "Beispiel News | Abonnieren". When every item would go on its
# own line, but for at most one short name (the channel's), the row goes.
ROW_SEPARATORS = regex.compile(r"\s*[|•·]\s*")
ROW_WORDS = 16
ROW_NAME_WORDS = 3
# Punctuation that ends a sentence or a clause: a name has none.
CLAUSE_PUNCTUATION = SENTENCE_STOPS + ":;"
_NAME_BREAKS = regex.compile(rf"[\p{{N}},{CLAUSE_PUNCTUATION}]")


def _row_of_furniture(stripped: str, book: RuleBook) -> Verdict | None:
    if "|" not in stripped and "•" not in stripped and "·" not in stripped:
        return None
    items = [item for item in ROW_SEPARATORS.split(stripped) if HAS_WORD.search(item)]
    if len(items) < 2:
        return None
    verdicts, names = [], 0
    for item in items:
        verdict = _judge_text(item, book)[0]
        if verdict is not None:
            verdicts.append(verdict)
        elif len(item.split()) <= ROW_NAME_WORDS and not _NAME_BREAKS.search(item):
            names += 1
        else:
            return None
    if not verdicts or names > 1:
        return None
    # What the items' rules captured (an author, a source) is the row's: "By : Name | Updated …".
    groups = tuple(sorted({name: value for v in reversed(verdicts) for name, value in v.groups}.items()))
    return Verdict(verdicts[0].category, "row.items", groups)


# Boilerplate recurs word for word: the same footer closes every post of a channel, the same
# "Read also" heads every list. A line's phase-one verdict depends only on its text and the
# rules, so the verdicts of short lines are kept, in a bounded least-recently-used table:
# a recurring line costs one look-up. Long lines are body and rarely recur.
KEPT_LINE_CHARS = 300
_judge_recurring = functools.lru_cache(maxsize=4096)(_judge_text)


def forget_recurring_lines() -> None:
    """Empty the table of kept verdicts. For benchmarks: timing the same documents twice would
    otherwise time the look-ups, not the cleaning."""
    _judge_recurring.cache_clear()
