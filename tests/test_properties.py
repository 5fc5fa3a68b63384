"""Properties over generated text (hypothesis): never raises, idempotent, invents nothing,
accounts for every removal, and gives back a generated body from under generated boilerplate."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

import newsclean
from tests.strategies import article_body, wrapped_article

# Arbitrary text with the characters that break naive cleaners mixed in.
TRICKY = st.sampled_from(["\u200c", "\u200d", "\u200e", "\u200f", "\u202b", "\u202c", "\x00", "\r", "\r\n",
                          "\u2028", "\u0301", "👨‍👩‍👧", "🇺🇦", "\ufe0f", "@", "#", "http://", "](", "**", "__"])
ANY_TEXT = st.lists(st.one_of(st.text(max_size=40), TRICKY), max_size=30).map("".join)


def _nonspace(s: str) -> str:
    return "".join(s.split())


def _subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


@given(ANY_TEXT)
# Found by the long profile: an emphasis marker cut between "#" and a word made a hashtag that a
# second clean cut.
@example("0👨\u200d👩\u200d👧#**\u200c")
@example("Пост 🔥 #**tag**")
@example("0👨\u200d👩\u200d👧__#\u200c")
@example("0/__<0\r0\t0\x1b0\r0")  # a head label once its "__" is cut
@example("0/\u200c**<0\r0\t0\x1b0\r0")
def test_never_raises_and_is_idempotent(text: str) -> None:
    once = newsclean.clean(text)
    assert newsclean.clean(once.text).text == once.text


@given(ANY_TEXT)
def test_invents_nothing_and_offsets_point_at_the_text(text: str) -> None:
    result = newsclean.clean(text)
    assert _subsequence(_nonspace(result.text), _nonspace(text))
    for removal in result.removed:
        assert text[removal.start : removal.end] == removal.text
    for link in result.links:
        assert text[link.start : link.end] in (link.url, text[link.start : link.end])


@given(ANY_TEXT)
def test_removals_and_output_account_for_the_input(text: str) -> None:
    """Input minus removed spans equals the output, ignoring white space."""
    result = newsclean.clean(text)
    keep = list(text)
    for removal in result.removed:
        for i in range(removal.start, removal.end):
            keep[i] = " "
    assert _nonspace("".join(keep)) == _nonspace(result.text)


NO_LANGUAGE = newsclean.Options(detect_language=False)


@given(st.one_of(ANY_TEXT, wrapped_article().map(lambda case: case[0])))
def test_text_never_hangs_on_the_detected_language(text: str) -> None:
    """Which lines go is decided by rules and structure, never by the language guess: with
    detection off (what the CLI's plain-text mode does) the clean text is the same."""
    assert newsclean.clean(text, options=NO_LANGUAGE).text == newsclean.clean(text).text


@given(wrapped_article())
def test_body_survives_any_boilerplate_around_it(case: tuple[str, str]) -> None:
    raw, body = case
    assert newsclean.clean(raw).text == body


@given(article_body())
def test_clean_body_passes_through_unchanged(paragraphs: list[str]) -> None:
    body = "\n\n".join(paragraphs)
    result = newsclean.clean(body)
    assert result.text == body
    assert result.removed == ()


def test_fuzz_findings_stay_fixed() -> None:
    """Reproducers found by benchmarks/fuzz.py (atheris)."""
    # A short post whose detected language changed once its boilerplate was gone.
    once = newsclean.clean("lire aussi\nEntre no nosso canal")
    assert newsclean.clean(once.text).text == once.text
    # A lone surrogate in HTML reached the parser.
    assert newsclean.clean_html("<p>a\udcc3b story here.</p>").text == "ab story here."
