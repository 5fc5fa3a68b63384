"""Metadata: the title, the dateline, and the language of a cleaned document.

Bylines and sources come from the rules that removed their lines (named groups ``author`` and
``source``); this module decides what the first kept lines are and which language the text
is in.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import regex

from newsclean.segment import HANDLE, HASHTAG, SCRIPTS, URL

# A headline does not end like a sentence or an introduction (CONVENTIONS.md).
_NOT_TITLE_END = regex.compile(r"[.:;۔。।：；][\s\"'»”’)\]\p{So}\ufe0f]*$")
# A sentence break inside the line: a lower-case word, a full stop, a capital.
_SENTENCE_BREAK = regex.compile(r"\p{Ll}{2}[.!?]\s+\p{Lu}")
TITLE_MAX_CHARS = 200

# Script of last resort when the identifier has no answer, or answers in another script.
_SCRIPT_LANGUAGE = {
    "Hebrew": "he", "Devanagari": "hi", "Hangul": "ko", "Kana": "ja", "Greek": "el",
    "Thai": "th", "Han": "zh", "Arabic": "ar", "Cyrillic": "ru",
}
_LANGUAGE_SCRIPT = {
    "he": "Hebrew", "hi": "Devanagari", "mr": "Devanagari", "ne": "Devanagari", "ko": "Hangul",
    "ja": "Kana", "el": "Greek", "th": "Thai", "zh": "Han", "ar": "Arabic", "fa": "Arabic",
    "ur": "Arabic", "ps": "Arabic", "ku": "Arabic", "ug": "Arabic", "ru": "Cyrillic",
    "uk": "Cyrillic", "be": "Cyrillic", "bg": "Cyrillic", "sr": "Cyrillic", "mk": "Cyrillic",
    "kk": "Cyrillic", "ky": "Cyrillic", "mn": "Cyrillic",
}
_LETTERS = regex.compile(r"\p{L}")
LANGID_CHARS = 400  # enough for the identifier; its cost grows with the sample


def is_title(first: str, has_more: bool) -> bool:
    """Whether the first kept line is a headline.

    >>> is_title("Storm hits the coast", True), is_title("Storm hits the coast.", True)
    (True, False)
    >>> is_title("Storm hits the coast", False)
    False
    """
    if not has_more or len(first) > TITLE_MAX_CHARS:
        return False
    if _NOT_TITLE_END.search(first):
        return False
    return _SENTENCE_BREAK.search(first) is None


def find_dateline(first_body: str, patterns: Sequence[regex.Pattern[str]]) -> tuple[str | None, str | None]:
    """The dateline opening the first body line, and the agency it names."""
    for pattern in patterns:
        m = pattern.match(first_body)
        if m:
            source = m.groupdict().get("source")
            return m.group(0).strip(), source.strip() if source else None
    return None, None


@functools.cache
def _identifier() -> Any:
    # py3langid ships its model inside the package: offline, loaded once per process.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _dominant_script(text: str) -> str | None:
    counts = {name: len(p.findall(text)) for name, p in SCRIPTS.items()}
    if counts["Kana"]:
        counts["Kana"] += counts["Han"]  # Japanese mixes kanji with kana
    name, count = max(counts.items(), key=lambda kv: kv[1])
    return name if count else None


# A runner-up this close to the winner is as likely; prefer it when we have its rule data
# (Indonesian vs. Malay, Ukrainian vs. Russian on short posts).
RUNNER_UP_SHARE = 0.5


@functools.cache
def _rule_languages() -> frozenset[str]:
    from newsclean.rules import available_languages

    return frozenset(available_languages())


def _closest_with_rules(ranked: list[tuple[str, float]]) -> str:
    top_lang, top_prob = ranked[0]
    for lang, prob in ranked[1:3]:
        if prob >= RUNNER_UP_SHARE * top_prob and lang in _rule_languages():
            return str(lang)
    return str(top_lang)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``, or None when it has too few letters to tell.

    >>> detect_language("Der Bundestag hat am Donnerstag das neue Gesetz beschlossen.")
    'de'
    """
    sample = text[:LANGID_CHARS]
    if "/" in sample or "www." in sample:
        sample = URL.sub(" ", sample)
    if "@" in sample or "#" in sample:
        sample = HASHTAG.sub(" ", HANDLE.sub(" ", sample))
    letters = len(_LETTERS.findall(sample))
    if letters < 3:
        return None
    script = _dominant_script(sample)
    if script in ("Hebrew", "Hangul", "Greek", "Thai") or (script == "Kana"):
        return _SCRIPT_LANGUAGE[script]
    identifier = _identifier()
    lang, _prob = identifier.classify(sample)
    if lang not in _rule_languages():
        lang = _closest_with_rules(identifier.rank(sample))
    expected = _LANGUAGE_SCRIPT.get(lang, "Latin")
    if script is not None and expected != script:
        return _SCRIPT_LANGUAGE.get(script)
    return str(lang)
