"""Unit tests per detector: each names a line it removes, and a near-miss it must keep."""

from __future__ import annotations

import unicodedata

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

import newsclean
from newsclean import segment
from newsclean.types import Category


def _removed(text: str) -> list[tuple[str, str]]:
    return [(r.category.value, r.rule) for r in newsclean.clean(text).removed]


def _body(line: str) -> str:
    return f"The minister spoke for an hour on Monday.\n\n{line}\n\nShe left the hall after the vote."


@pytest.mark.parametrize("row", ["➖➖➖➖➖➖➖", "━━━━", "* * *", "=====", "•••", "***", "-----", "~~~~", "🔹🔹🔹", "🇺🇦", "．．．"])
def test_separator_rows_go(row: str) -> None:
    assert ("separator", "separator.symbols") in _removed(_body(row))


@pytest.mark.parametrize("line", ["Score: 3-0 after extra time.", "— Мы готовы, — сказал он.", "1. First point of the plan.",
                                  "🔹 The bridge reopens on Friday.", "Hamburg–Berlin trains resume."])
def test_near_miss_lines_with_symbols_stay(line: str) -> None:
    text = _body(line)
    assert newsclean.clean(text).text == text


@pytest.mark.parametrize(("line", "category"), [
    ("https://example.com/story/1", "link"),
    ("t.me/example_channel", "link"),
    ("Read more: https://example.com/a", "link"),
    ("Подробнее: https://example.ru/a", "link"),
    ("@example_channel", "signature"),
    ("📰 @example_channel", "signature"),
    ("#world #news #today", "hashtags"),
    ("#科技# #游戏# #出海#", "hashtags"),  # Weibo topics close with "#"
])
def test_link_handle_and_hashtag_lines_go(line: str, category: str) -> None:
    assert category in [c for c, _ in _removed(_body(line))]


def test_inline_url_leaves_the_sentence() -> None:
    result = newsclean.clean("Trump signs bill that allows states to act http://cnn.it/2p12wLe")
    assert result.text == "Trump signs bill that allows states to act"
    assert [link.url for link in result.links] == ["http://cnn.it/2p12wLe"]
    assert result.removed[0].inline and result.removed[0].category is Category.LINK


@pytest.mark.parametrize(
    ("text", "clean", "url"),
    [
        ("市民可瀏覽衞生防護中心網頁（www.chp.gov.hk）了解更多資訊。", "市民可瀏覽衞生防護中心網頁了解更多資訊。", "www.chp.gov.hk"),
        ("詳細は気象庁のホームページ（https://www.jma.go.jp/bosai/warning/）で確認できる。",
         "詳細は気象庁のホームページで確認できる。", "https://www.jma.go.jp/bosai/warning/"),
        ("详见www.gov.cn了解更多。", "详见了解更多。", "www.gov.cn"),
    ],
)
def test_a_url_ends_where_cjk_text_runs_on(text: str, clean: str, url: str) -> None:
    """CJK text follows a URL without a space: the sentence after it must stay."""
    result = newsclean.clean(text)
    assert result.text == clean
    assert [link.url for link in result.links] == [url]


def test_url_in_brackets_takes_its_brackets() -> None:
    result = newsclean.clean("The report (https://example.org/r.pdf) was published on Monday.")
    assert result.text == "The report was published on Monday."


def test_handle_inside_a_sentence_stays_trailing_signature_goes() -> None:
    assert newsclean.clean("In a post, @someone wrote that the vote was delayed.").text.startswith("In a post, @someone")
    result = newsclean.clean("Первая фраза новости о выборах в стране.  @banksta")
    assert result.text == "Первая фраза новости о выборах в стране."
    assert result.removed[0].category is Category.SIGNATURE


@pytest.mark.parametrize(
    ("tail", "sentence"),
    [
        (" | @akhbar_example", "Пожар потушили к утру пятницы."),
        (" — @rada_online", "Закон підтримали 246 народних депутатів."),
        (" 🆔 @eghtesad_ruz", "بازار امروز سه میلیون تن کالا عرضه کرد."),
        ("|@chan", "The vote passed late on Monday."),
    ],
)
def test_a_signature_joined_by_a_bar_dash_or_emoji_goes_with_its_joiner(tail: str, sentence: str) -> None:
    result = newsclean.clean(f"Headline of the story\n\n{sentence}{tail}")
    assert result.text == f"Headline of the story\n\n{sentence}"
    assert [(r.rule, r.text) for r in result.removed] == [("signature.trailing_handle", tail)]


def test_a_handle_after_a_joiner_but_no_sentence_stays() -> None:
    for text in ("Score: Arsenal 3 - @chelsea", "Contact the press office | @ministry"):
        assert newsclean.clean(text).text == text


def test_hashtag_in_sentence_stays_tail_after_link_goes() -> None:
    text = "Police say attackers hit #LondonBridge , Borough Market"
    assert newsclean.clean(text).text == text
    result = newsclean.clean("Saudi Arabia behind attack: Analyst http://ptv.io/2PFJ  #Bahrain #Attack")
    assert result.text == "Saudi Arabia behind attack: Analyst"


def test_markdown_link_keeps_anchor() -> None:
    result = newsclean.clean("Погода [ожидается](https://example.ru/x) хорошая, сообщили синоптики.")
    assert result.text == "Погода ожидается хорошая, сообщили синоптики."
    assert result.links[0].anchor == "ожидается"


def test_related_header_takes_the_headlines_under_it() -> None:
    text = ("Body sentence of the story ends here.\n\nRead also:\nOil prices fall after OPEC meeting\n"
            "Storm hits the northern coast\n\nAnother body paragraph that is long enough to stay here.")
    result = newsclean.clean(text)
    assert result.text == "Body sentence of the story ends here.\n\nAnother body paragraph that is long enough to stay here."
    assert {r.category.value for r in result.removed} == {"related"}


def test_related_word_in_a_sentence_stays() -> None:
    text = "Related articles in the journal were retracted after the review.\n\nThe editor resigned."
    assert newsclean.clean(text).text == text


def test_adjacent_short_repeats_go_body_repeats_far_apart_stay() -> None:
    assert _removed("First paragraph of the body.\n\nSee below\nSee below") == [("repeat", "repeat.adjacent")]
    dialogue = "Reporter:\nWhat happened?\n🎙\nReporter:\nAnd then?"
    assert newsclean.clean(dialogue).text == "Reporter:\nWhat happened?\nReporter:\nAnd then?"


@pytest.mark.parametrize(("line", "category"), [
    ("Subscribe to our channel", "subscribe"),
    ("Follow us on X and Facebook", "subscribe"),
    ("Подписывайтесь на наш канал", "subscribe"),
    ("تابعونا على تويتر", "subscribe"),
    ("Related articles", "related"),
    ("Читайте также:", "related"),
    ("Advertisement", "ad"),
    ("Реклама", "ad"),
    ("© 2024 Example Agency", "copyright"),
    ("Photo: AFP", "credit"),
    ("Reporting by Jane Doe; Editing by John Roe", "credit"),
    ("The post Oil falls appeared first on Example News.", "footer"),
    ("BREAKING", "banner"),
])
def test_phrase_rules(line: str, category: str) -> None:
    assert category in [c for c, _ in _removed(_body(line))]


@pytest.mark.parametrize("line", [
    "Subscribers to the streaming service rose by ten percent this year.",
    "Shares in the company fell 5% on Monday after the report.",
    "By Tuesday, the talks had failed.",
    "Advertisement spending rose by a third in 2024.",
    "Подписчики сервиса выросли на 10% за год.",
])
def test_phrase_near_misses_stay(line: str) -> None:
    text = _body(line)
    assert newsclean.clean(text).text == text


def test_byline_goes_and_fills_metadata() -> None:
    result = newsclean.clean("Storm hits coast\nBy Jane Smith\n\nWaves rose overnight, officials said.")
    assert result.byline == "Jane Smith"
    assert result.text == "Storm hits coast\n\nWaves rose overnight, officials said."


def test_unknown_language_still_cleaned_by_structure() -> None:
    text = "Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία.\n\n➖➖➖\nhttps://example.gr/a\n@example_gr\n#ειδήσεις #Ελλάδα"
    assert newsclean.clean(text).text == "Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία."


# ------------------------------------------------------------------ the fast paths of segment.py
# Shortcuts taken for speed must give exactly what the plain computation gives.

@given(st.text(), st.integers(min_value=0, max_value=60))
def test_bounded_word_count_is_the_count_capped(text: str, limit: int) -> None:
    assert segment.word_count(text, limit) == min(segment.word_count(text), limit + 1)


def test_shared_word_characters_are_the_plain_ones() -> None:
    """Text the stdlib engine counts must be text on which its \\w is regex's, character for
    character: checked on every character the fast path admits (all below U+2070)."""
    admitted = [chr(c) for c in range(0x2070) if not segment._BEYOND_SHARED_WORDS.match(chr(c))]
    assert len(admitted) > 600
    assert [c for c in admitted if segment._SHARED_WORD.match(c)] == [c for c in admitted if segment._PLAIN_WORD.match(c)]
    assert all(segment._BEYOND_SHARED_WORDS.match(chr(c)) for c in range(0x2070, 0x110000, 97))


@given(st.text(alphabet=st.characters(max_codepoint=0x2070)), st.integers(min_value=0, max_value=10))
def test_shared_word_count_is_the_plain_count(text: str, limit: int) -> None:
    long = " ".join([text] * 40)  # long enough for the bounded scan (over 8 * limit characters)
    def plain(text: str) -> int:
        tokens = segment._WORDS.findall(text)
        cjk = sum(1 for t in tokens if len(t) == 1 and segment._CJK.match(t))  # Thai is below U+2070
        return len(tokens) - cjk + (cjk + 1) // 2

    assert segment.word_count(text) == plain(text)
    assert segment.word_count(long, limit) == min(plain(long), limit + 1)


_URL_PIECES = st.sampled_from(["https://", "HTTP://", "tg://", "ftp://", "www.", "WwW.", "t.me/", "bit.ly/", "a-b.co.uk/",
                                "x.", ".com/", "/", "//", "24/7", "and/or", "ſ.ſſ/", "İ.KK/", "(", ")", ".", ",", "@", "-",
                                " ", "\n", "«", "»", "é", "a", "Z", "1", "_"])


@given(st.lists(_URL_PIECES | st.text(max_size=3), max_size=14))
def test_urls_are_found_as_one_regex_finds_them(pieces: list[str]) -> None:
    """URL searches its two forms apart, after stdlib prefilters: the matches must be those of
    the single alternation."""
    text = "".join(pieces)
    one = regex.compile(segment._UrlPattern.pattern, regex.IGNORECASE)
    assert [m.span() for m in segment.URL.finditer(text)] == [m.span() for m in one.finditer(text)]
    assert segment.URL.subn(" ", text) == one.subn(" ", text)
    assert (segment.URL.search(text) is None) == (one.search(text) is None)


def test_url_prefilters_admit_every_character_the_forms_do() -> None:
    """The top-level domain prefilter lists every character [a-z] takes under IGNORECASE."""
    letters = regex.compile("[a-z]", regex.IGNORECASE)
    taken = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and letters.match(chr(c))]
    assert all(segment._DOMAIN_SLASH.match(f".{c}{c}/") for c in taken)
    assert [c for c in taken if regex.match("w", c, regex.IGNORECASE)] == ["W", "w"]


def test_mark_prefilter_admits_no_mark() -> None:
    """Folding skips the search for nonspacing marks on text the prefilter passes: none of the
    characters it passes may be one."""
    passed = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and not segment._MAY_BE_MARK.match(chr(c))]
    assert len(passed) > 1000
    assert [c for c in passed if segment._MARKS.match(c)] == []


def test_cjk_prefilter_covers_every_cjk_character() -> None:
    """The stdlib-regex superset must hold every character of the exact class, or a CJK line
    would be counted as space-separated words."""
    missed = [hex(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF
              and segment._CJK.match(chr(c)) and not segment._CJK_SUPERSET.match(chr(c))]
    assert missed == []


@given(st.text())
def test_trimming_decoration_matches_the_plain_pattern(text: str) -> None:
    plain = regex.sub(rf"^(?:{segment._DECOR}|[!?])+|{segment._DECOR}+$", "", text)
    assert segment.trim_decoration(text) == plain


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("‼️ULTIM'ORA‼️", "ULTIM'ORA"),  # NFKC reads ‼ as "!!": at the head it is decoration
        ("!!! BREAKING", "BREAKING"),
        ("⁉️ Срочно", "Срочно"),
        ("Wow!", "Wow!"),  # at the end "!" is the phrase's punctuation, which line rules ignore
    ],
)
def test_exclamation_marks_at_the_head_are_decoration(line: str, key: str) -> None:
    assert segment.match_key(line).rstrip("!") == key.rstrip("!")
    assert segment.match_key(line).startswith(key[:3])


@given(st.text())
def test_folding_matches_a_translation_table(text: str) -> None:
    table = str.maketrans(dict(segment._ARABIC_FOLD))
    slow = segment._MARKS.sub("", unicodedata.normalize("NFKC", text).translate(table))
    assert segment.fold(text) == (text if text.isascii() else slow)


@given(st.lists(st.sampled_from(["Subscribe to our channel", "➖➖➖", "Read also: storm", "@chan",
                                  "Oil fell 3% on Monday.", "https://t.me/x", ""]), max_size=8))
def test_kept_verdicts_equal_fresh_ones(lines: list[str]) -> None:
    """A recurring line's verdict comes from the table of kept verdicts: it must be the verdict
    a first look gives, with the facts of the line at hand (its own offsets)."""
    from newsclean.detectors import _judge_text, forget_recurring_lines, judge_line
    from newsclean.rules import rule_book
    from newsclean.segment import Line

    book = rule_book(None)
    forget_recurring_lines()
    for index, text in enumerate(lines * 2):
        verdict, facts = judge_line(Line(index, 10 * index, 10 * index + len(text), text), book)
        assert (verdict, facts.stripped, facts.words, facts.has_link, facts.sentence) == _judge_text(text, book)
        assert facts.line.index == index


@given(st.text())
def test_tail_trim_matches_the_plain_pattern(text: str) -> None:
    from newsclean.rules import _TAIL, _without_tail

    assert _without_tail(text) == _TAIL.sub("", text)


@given(st.text(alphabet=st.sampled_from("相关新闻 abc，。ไทยカナ_x1-") | st.characters()))
def test_word_count_follows_its_definition(text: str) -> None:
    """Words are the tokens of _WORDS, two CJK or Thai characters counting as one."""
    tokens = segment._WORDS.findall(text)
    cjk = sum(1 for t in tokens if len(t) == 1 and segment._CJK.match(t))
    assert segment.word_count(text) == len(tokens) - cjk + (cjk + 1) // 2


@given(st.text(alphabet=st.sampled_from("Aa1 .,“”‘’—–…«»ªº¡¿\u00a0\u200c\u2026") | st.characters()))
def test_scripts_fast_path_matches_the_scan(text: str) -> None:
    plain = frozenset(name for name in segment.SCRIPTS if segment.SCRIPTS[name].search(text))
    assert segment.scripts_in(text) == plain


_SCRIPT_LETTERS = st.sampled_from(["Привет", "мир", "سلام", "שלום", "नमस्ते", "新闻", "カナ", "ひら", "Straße", "ölçü", "ψ"])


@given(st.lists(_SCRIPT_LETTERS | st.text(alphabet=st.sampled_from(" 1.,«»—\u064b\u0301\u200c🔴")) | st.characters(),
                max_size=6),
       st.sets(st.sampled_from(sorted(segment.SCRIPTS))))
def test_scripts_in_one_script_matches_the_scan(parts: list[str], candidates: set[str]) -> None:
    """Lines in one script (with digits, punctuation, marks, emoji) take the one-scan path;
    mixed ones fall back to a scan per script. Both must give what a scan per script gives."""
    text = "".join(parts)
    names = tuple(sorted(candidates))
    plain = frozenset(name for name in names if segment.SCRIPTS[name].search(text))
    assert segment.scripts_in(text, names) == plain


def test_script_shortcut_classes_agree_with_the_script_patterns() -> None:
    """Over all of Unicode: a character no script owns belongs to none of SCRIPTS, and "owned by
    a script other than S" is exactly "owned, and not S's" (the one-script path of scripts_in)."""
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    owned = set(segment._OWNED.findall(everything))
    assert len(owned) > 100_000
    for name, pattern in segment.SCRIPTS.items():
        own = set(pattern.findall(everything))
        assert own and own <= owned
        assert set(segment._owned_by_another(name).findall(everything)) == owned - own
        assert all(segment._script_of(c) == name for c in sorted(own)[:: max(1, len(own) // 200)])


def test_scripts_fast_path_ranges_hold_no_letters_but_ascii() -> None:
    """Over all of Unicode: the characters the fast path lets through belong to no script,
    except the ASCII letters it looks for itself."""
    owned = [hex(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF
             and segment._BEYOND_PUNCTUATION.match(chr(c)) is None
             and not chr(c).isascii()
             and any(p.match(chr(c)) for p in segment.SCRIPTS.values())]
    assert owned == []


@pytest.mark.parametrize(("line", "category"), [
    ("Подписаться | Прислать новость", "subscribe"),
    ("Subscribe | Send news", "subscribe"),
    ("Share · Comment · Print", "share"),
    ("اشترك | أرسل خبرا", "subscribe"),
    ("World Today | Subscribe", "subscribe"),  # the channel's name beside a call
    ("Москва | Прислать новость", "subscribe"),
])
def test_a_row_of_furniture_goes_when_every_item_would(line: str, category: str) -> None:
    assert (category, "row.items") in _removed(_body(line))


@pytest.mark.parametrize("line", [
    "Subscribe | The council will vote on the budget again next week.",  # one item is text
    "Share prices | Bond yields | Oil",  # no item is furniture
    "Berlin | Paris | Share",  # two names beside one call
    "Score: 3-1 | Share",
])
def test_a_row_with_one_item_of_text_stays(line: str) -> None:
    text = _body(line)
    assert newsclean.clean(text).text == text


_ROW_ITEMS = st.sampled_from(["Subscribe", "Send news", "Share", "Москва", "Прислать новость", "Oil prices", "@chan", ""])


@given(st.lists(_ROW_ITEMS, min_size=2, max_size=4), st.sampled_from([" | ", "|", " • ", " · "]))
def test_a_row_goes_only_when_each_item_but_one_name_goes_alone(items: list[str], sep: str) -> None:
    line = sep.join(items)
    gone_as_row = ("row.items" in {r.rule for r in newsclean.clean(_body(line)).removed})
    staying = [item for item in items if item and not newsclean.clean(_body(item)).removed]
    if gone_as_row:  # every item would go alone, but for one short name
        assert len(staying) <= 1 and len(staying) < len([i for i in items if i])
        assert all(len(item.split()) <= 3 for item in staying)


def test_a_row_keeps_what_its_items_captured() -> None:
    """"By : Name | Updated at : …" goes as one row, and the row's byline is the item's."""
    result = newsclean.clean(
        "दिल्ली में प्रदूषण का स्तर बढ़ा\n\nBy : एबीपी लाइव डेस्क | Updated at : 18 Nov 2024 09:15 AM (IST)\n\n"
        "राजधानी में सोमवार को हवा की गुणवत्ता और खराब हो गई, अधिकारियों ने कहा।"
    )
    assert [r.rule for r in result.removed] == ["row.items"]
    assert result.byline == "एबीपी लाइव डेस्क"
