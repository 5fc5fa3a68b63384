"""Phase two: revise the line verdicts with their neighbours (jusText's second pass).

Phase one judged each line alone. Here a line's place in the document can add a reason:
the headlines listed under a "Related articles" header go with it, a short line repeated
right after its twin goes, and a short label left alone at the very end among removed lines
(a channel name, "Link") goes, and so does a navigation row at either edge (breadcrumbs above
the story, a menu of the outlet's sites below it). Context never rescues a line phase one
removed, and it only removes short lines that do not read as sentences, so a body paragraph is
never at risk.
"""

from __future__ import annotations

import regex

from newsclean.detectors import CLAUSE_PUNCTUATION, LineFacts, Verdict
from newsclean.segment import EMPHASIS, HANDLE, MARKDOWN_LINK, URL, match_key, surface, word_count
from newsclean.types import Category

# A headline listed under a related header: short, and not ending like a sentence.
RELATED_ITEM_WORDS = 24
# A short line repeated verbatim right after itself is furniture ("مواضيع ذات صلة" x3).
REPEAT_WORDS = 12
# A label standing alone at the end among removed lines: at most this many words.
TAIL_LABEL_WORDS = 3


# Headlines may ask or exclaim; a line ending in a full stop reads as a sentence of the story.
_FULL_STOP = regex.compile(r"[.。۔।…][\s\"'»”’)\]\p{So}\ufe0f]*$")


def _related_item(facts: LineFacts) -> bool:
    return facts.words <= RELATED_ITEM_WORDS and not _FULL_STOP.search(facts.stripped)


def _suffix_all(flags: list[bool]) -> list[bool]:
    """out[i] = all(flags[i:]), in one pass (out[len] = True)."""
    out = [True] * (len(flags) + 1)
    for i in range(len(flags) - 1, -1, -1):
        out[i] = flags[i] and out[i + 1]
    return out


def _absorb_related(
    facts: list[LineFacts], verdicts: list[Verdict | None], header: int, list_like_after: list[bool]
) -> None:
    """Remove the headline lines directly under a related header at ``header``.

    ``list_like_after[i]`` tells whether every line from ``i`` on is blank, removed or list-like
    (computed once per document, so many headers stay linear).
    """
    rule = f"{verdicts[header].rule}.item"  # type: ignore[union-attr]
    n = len(facts)
    i = header + 1
    while i < n:
        f = facts[i]
        if not f.stripped:
            # A blank line ends the list, unless everything after it is list-like too.
            if list_like_after[i]:
                i += 1
                continue
            return
        if verdicts[i] is None:
            if not _related_item(f):
                return
            verdicts[i] = Verdict(Category.RELATED, rule)
        i += 1


def _mark_repeats(facts: list[LineFacts], verdicts: list[Verdict | None]) -> None:
    previous: str | None = None
    for i, f in enumerate(facts):
        if not f.stripped:
            continue
        if verdicts[i] is not None:
            continue  # removed lines are transparent: "A / ➖➖ / A" repeats A
        if f.words > REPEAT_WORDS:
            previous = None  # a long line is never a repeat, nor is the line after it its twin
            continue
        seen = surface(f.stripped)
        if previous == seen:
            verdicts[i] = Verdict(Category.REPEAT, "repeat.adjacent")
        previous = seen


def _mark_repeated_labels(facts: list[LineFacts], verdicts: list[Verdict | None]) -> None:
    """A short label that recurs in the document, each time beside a removed line.

    Catches a channel name split off its handle ("@" / "VahidOnline") in any language. Speaker
    labels of an interview ("Reporter:") end in a colon and stay.
    """
    seen: dict[str, list[int]] = {}
    for i, f in enumerate(facts):
        if f.stripped and verdicts[i] is None and f.words <= TAIL_LABEL_WORDS and not f.sentence:
            if not f.stripped.endswith((":", "：")):
                seen.setdefault(surface(f.stripped), []).append(i)
    for positions in seen.values():
        if len(positions) < 2:
            continue
        if all(_beside_removed(facts, verdicts, i) for i in positions):
            for i in positions:
                verdicts[i] = Verdict(Category.REPEAT, "repeat.label")


def _beside_removed(facts: list[LineFacts], verdicts: list[Verdict | None], i: int) -> bool:
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(facts) and not facts[j].stripped:
            j += step
        if 0 <= j < len(facts) and verdicts[j] is not None:
            return True
    return False


# The channel's signature closing a post: its name and its handle or link joined by a bar or a
# dash ("World News Now | @worldnewsnow", "@chan — новости без цензуры"). The last kept line
# only; the name is a few words without sentence punctuation, so "Zelensky wrote on X:
# @ZelenskyyUa" and "... Rp12 miliar. @contoh_news" stay.
TAIL_SIGNATURE_WORDS = 5
_SIGNATURE_JOIN = "|\u2014\u2013-"  # bar, em dash, en dash, hyphen
_NAME_PUNCTUATION = regex.compile(f"[{CLAUSE_PUNCTUATION}]")


def signature_name(text: str) -> str | None:
    """The name in a line made of a name and one handle or link joined by a bar or a dash.

    >>> signature_name("World News Now | @worldnewsnow")
    'World News Now'
    >>> signature_name("Read the report: @un_news") is None
    True
    """
    links = [m for pattern in (HANDLE, URL) for m in pattern.finditer(text)]
    if len(links) != 1:
        return None
    link = links[0]
    before, after = text[: link.start()].strip(), text[link.end() :].strip()
    if before and after:
        return None
    name = before or after
    joined = name.endswith(tuple(_SIGNATURE_JOIN)) if before else name.startswith(tuple(_SIGNATURE_JOIN))
    name = name.strip(" " + _SIGNATURE_JOIN)
    if not joined or not name or _NAME_PUNCTUATION.search(name):
        return None
    return name if len(name.split()) <= TAIL_SIGNATURE_WORDS else None


# A navigation row: breadcrumbs above the story ("Home › World › Europe"), a menu or network row
# below it ("Сайт | ВК | Дзен | Telegram"). At least three short items joined by one kind of
# separator, none with a digit (a table row, a score) or ending like a sentence.
NAV_SEPARATORS = "|»›>→•·＞"
NAV_MIN_ITEMS = 3
NAV_ITEM_WORDS = 3
_HAS_LETTER = regex.compile(r"\p{L}")
_HAS_DIGIT = regex.compile(r"\p{N}")


def nav_items(
    text: str, min_items: int = NAV_MIN_ITEMS, digits: bool = False, separators: str = NAV_SEPARATORS
) -> list[str] | None:
    """The items of a navigation row, or None when ``text`` is not one.

    >>> nav_items("Home › World › Europe")
    ['Home', 'World', 'Europe']
    >>> nav_items("| Team | Won | Lost |") is None  # a table row
    True
    """
    kinds = [sep for sep in separators if sep in text]
    if len(kinds) != 1 or (not digits and _HAS_DIGIT.search(text)):
        return None
    sep = kinds[0]
    text = " ".join(MARKDOWN_LINK.sub(r"\1", text).split())
    # "|" also joins items without spaces; the others need them ("a>b", "l·l" are no rows).
    items = [item.strip() for item in (text.split(sep) if sep == "|" else f" {text} ".split(f" {sep} "))]
    if len(items) < min_items:
        return None
    for item in items:  # an empty first or last item: a table row or a bulleted line
        if (not _HAS_LETTER.search(item) or sep in item or len(item.split()) > NAV_ITEM_WORDS
                or _FULL_STOP.search(item)):
            return None
    return items


# A label above the headline: the channel's or the section's name ("📡 الجنوب الآن", "⚽️ Футбол
# UA", "Elections", "ПОЛЕВАЯ СВОДКА", "Politique › Afrique"), which is never the title. One or two
# words, or a name in capitals, or two short items joined by a bar or a breadcrumb arrow. It goes
# only when a headline follows (a longer line that ends neither like a sentence nor like an
# introduction) and text follows that, so a short title over the story stays.
HEAD_LABEL_RULE = "context.head_label"
HEAD_LABEL_WORDS = 2
HEAD_CAPS_WORDS = 3
HEAD_LABELS = 2  # at most this many labels stacked above the headline
HEADLINE_MIN_WORDS = 3
_CAPITALS_ONLY = regex.compile(r"^\P{Ll}*\p{Lu}\P{Ll}*$")


def _printed(f: LineFacts) -> tuple[str, int]:
    """A line's text and words as the output will hold them: without emphasis markers ("__"
    counts as a word), so that cleaning the output again judges the head alike."""
    if "**" in f.stripped or "__" in f.stripped:
        text = EMPHASIS.sub("", f.stripped).strip()
        return text, word_count(match_key(text))  # counted as phase one counts: on the key
    return f.stripped, f.words


def _head_label(f: LineFacts) -> bool:
    text, words = _printed(f)
    if f.sentence or text.endswith((":", "：")):
        return False
    if not _NAME_PUNCTUATION.search(text) and (
        words <= HEAD_LABEL_WORDS or (words <= HEAD_CAPS_WORDS and _CAPITALS_ONLY.match(text))
    ):
        return True
    # Above a headline a row may hold a number: "⚽️ Bundesliga | 12. Spieltag".
    if words <= 2 * NAV_ITEM_WORDS and nav_items(text, min_items=2, digits=True) is not None:
        return True
    # Above a headline, " / " joins the items of a breadcrumb too ("Головна / Регіони /
    # Харківщина"); elsewhere it joins names in text ("Paris / London / Berlin"), so not in
    # NAV_SEPARATORS.
    return nav_items(text, separators="/") is not None


def _headline(f: LineFacts) -> bool:
    text, words = _printed(f)
    return (HEADLINE_MIN_WORDS <= words <= RELATED_ITEM_WORDS and not f.sentence
            and not text.endswith((":", "：")) and not _head_label(f))


def _mark_edges(facts: list[LineFacts], verdicts: list[Verdict | None]) -> None:
    """Walk in from both edges while the edge line is furniture, so that one clean takes what
    each removal uncovers (cleaning the output again must change nothing), in one pass.

    Above the text: navigation rows (breadcrumbs). Below it: navigation rows (menus), the
    channel's signature, and one short label just below removed lines (a channel name, "Link").
    One label only: short lines between separators at the end ("label / ➖ / label") are not
    peeled one by one, and once the separators are gone a second clean sees no label either.
    The far side must keep text: a list of cities mid-story stays, and a document that is only
    a row keeps it.
    """
    kept = [i for i, f in enumerate(facts) if f.stripped and verdicts[i] is None]
    head, tail = 0, len(kept) - 1
    while head < tail and nav_items(facts[kept[head]].stripped) is not None:
        verdicts[kept[head]] = Verdict(Category.BANNER, "context.breadcrumb")
        head += 1
    labels = 0
    while labels < HEAD_LABELS and head + labels < tail and _head_label(facts[kept[head + labels]]):
        labels += 1
    if labels and head + labels < tail and _headline(facts[kept[head + labels]]):
        for i in kept[head : head + labels]:
            verdicts[i] = Verdict(Category.BANNER, HEAD_LABEL_RULE)
        head += labels
    label_taken = False
    while head < tail:
        i, last = kept[tail], facts[kept[tail]]
        if nav_items(last.stripped) is not None:
            verdicts[i] = Verdict(Category.SHARE, "context.menu_row")
        elif last.has_link and signature_name(last.stripped) is not None:
            verdicts[i] = Verdict(Category.SIGNATURE, "context.tail_signature")
        elif buttons := _share_buttons(facts, verdicts, kept, head, tail):
            for t in range(tail - buttons + 1, tail + 1):
                verdicts[kept[t]] = Verdict(Category.SHARE, "context.share_buttons")
            tail -= buttons
            continue
        elif (not label_taken and last.words <= TAIL_LABEL_WORDS and not last.sentence
              and _removed_just_above(facts, kept[tail - 1], i)):
            verdicts[i] = Verdict(Category.SIGNATURE, "context.tail_label")
            label_taken = True
        else:
            break
        tail -= 1


def _share_buttons(facts: list[LineFacts], verdicts: list[Verdict | None], kept: list[int], head: int, tail: int) -> int:
    """How many kept lines at the end are the buttons of a share row split one a line: short
    labels directly under a removed share line ("Share this article / Facebook / X / LinkedIn").
    The line above them must be a share line, so a list of names closing a story stays."""
    n = 0
    while tail - n > head:
        f = facts[kept[tail - n]]
        if f.words > TAIL_LABEL_WORDS or f.sentence or _NAME_PUNCTUATION.search(f.stripped):
            break
        n += 1
    if n == 0:
        return 0
    above = kept[tail - n + 1] - 1
    while above >= 0 and not facts[above].stripped:
        above -= 1
    verdict = verdicts[above] if above >= 0 else None
    return n if verdict is not None and verdict.category is Category.SHARE else 0


def _removed_just_above(facts: list[LineFacts], kept_above: int, i: int) -> bool:
    """Whether a removed line stands between line ``i`` and the kept line above it (the lines
    between are blank or removed)."""
    return any(facts[j].stripped for j in range(kept_above + 1, i))


# A line at least this long that ends like a sentence is substantial body: it bounds the
# head and tail zones where a source's recurring lines are looked for.
SUBSTANTIAL_WORDS = 8
HEAD_LINES = 2


def zones(facts: list[LineFacts]) -> list[bool]:
    """For each line, whether it sits in the head or tail zone of the document.

    The head zone is the first two content lines and anything above the first substantial
    body line; the tail zone is everything below the last substantial body line.
    """
    content = [i for i, f in enumerate(facts) if f.stripped]
    substantial = [i for i in content if facts[i].words >= SUBSTANTIAL_WORDS and facts[i].sentence]
    first = substantial[0] if substantial else len(facts)
    last = substantial[-1] if substantial else -1
    head = set(content[:HEAD_LINES])
    return [bool(f.stripped) and (i in head or i < first or i > last) for i, f in enumerate(facts)]


def _mark_recurring(facts: list[LineFacts], verdicts: list[Verdict | None], recurring: frozenset[str]) -> None:
    from newsclean.segment import fingerprint

    in_zone = zones(facts)
    for i, f in enumerate(facts):
        if verdicts[i] is None and in_zone[i] and fingerprint(f.stripped) in recurring:
            verdicts[i] = Verdict(Category.RECURRING, "recurring.learned")


# A gallery's counter under each picture: "1 of 12", "2/4", "3 von 12". Alone a line "3/5" may be
# a score or a rating, so only two or more counters of the same total go.
_COUNTER = regex.compile(r"(\d{1,3})\s*(?:/|\p{L}{1,3})\s*(\d{1,3})")


def _mark_counters(facts: list[LineFacts], verdicts: list[Verdict | None]) -> None:
    totals: dict[str, list[int]] = {}
    for i, f in enumerate(facts):
        if verdicts[i] is None and f.words <= 3 and (m := _COUNTER.fullmatch(f.stripped)):
            if 0 < int(m.group(1)) <= int(m.group(2)):
                totals.setdefault(m.group(2), []).append(i)
    for lines in totals.values():
        if len(lines) >= 2:
            for i in lines:
                verdicts[i] = Verdict(Category.SHARE, "context.gallery_counter")


def revise(
    facts: list[LineFacts], verdicts: list[Verdict | None], recurring: frozenset[str] = frozenset()
) -> list[Verdict | None]:
    """Return the verdicts revised with context; ``verdicts`` is not changed.

    ``recurring`` holds fingerprints (:func:`newsclean.segment.fingerprint`) of lines learned as
    a source's boilerplate; they go when they sit in the head or tail zone.
    """
    out = list(verdicts)
    if recurring:
        _mark_recurring(facts, out, recurring)
    if any(v is not None and v.block for v in verdicts):
        list_like_after = _suffix_all(
            [not f.stripped or out[i] is not None or _related_item(f) for i, f in enumerate(facts)]
        )
        for i, v in enumerate(verdicts):
            if v is not None and v.block:
                _absorb_related(facts, out, i, list_like_after)
    _mark_counters(facts, out)
    _mark_repeats(facts, out)
    _mark_repeated_labels(facts, out)
    # Labels gone, the lines around them meet: "A / label / A" repeats A, as a second clean of
    # the output would find.
    _mark_repeats(facts, out)
    _mark_edges(facts, out)
    return out
