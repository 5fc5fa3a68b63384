"""Phase two, navigation rows: breadcrumbs above the story and menu rows below it go; the same
shape inside the story, or as the only text, stays."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsclean
from newsclean.context import nav_items, signature_name

STORY = "The council voted on Tuesday to approve the budget for next year, officials said."


@pytest.mark.parametrize(
    ("line", "items"),
    [
        ("Home › World › Europe", ["Home", "World", "Europe"]),
        ("Главная » Новости » Политика", ["Главная", "Новости", "Политика"]),
        ("Сайт|ВК|Дзен", ["Сайт", "ВК", "Дзен"]),
        ("[Сайт](https://a.ru) | [ВК](https://vk.com/a) | [Дзен](https://dzen.ru/a)", ["Сайт", "ВК", "Дзен"]),
        ("首页 > 国际 > 欧洲", ["首页", "国际", "欧洲"]),
        ("Home › World", None),  # two items: a section label, or a headline's kicker
        ("Arsenal | 12 | 30", None),  # a table row
        ("| Team | Won | Lost |", None),  # a Markdown table row
        ("• Apples • Pears • Plums", None),  # a bulleted line
        ("Home › World | Europe › News", None),  # two kinds of separator
        ("a>b > c > d", None),  # ">" without spaces is no separator: "a>b" is no item
        ("The plan › passed › the senate said on Friday.", None),  # an item ending like a sentence
        ("Home › The Ministry of Foreign Affairs › Europe", None),  # an item of many words
        ("Paris / London / Berlin", None),  # "/" joins names in text too
    ],
)
def test_nav_items(line: str, items: list[str] | None) -> None:
    assert nav_items(line) == items


def _removed(text: str) -> list[tuple[str, str]]:
    return [(r.rule, r.text) for r in newsclean.clean(text).removed]


def test_breadcrumbs_above_and_menus_below_go() -> None:
    text = (f"BREAKING\nHome › World › Europe\nHeadline of the story\n\n{STORY}\n\n"
            "News | Sport | Weather\nAbout | Contact | Jobs")
    assert _removed(text) == [
        ("en.banner.flag", "BREAKING"),
        ("context.breadcrumb", "Home › World › Europe"),
        ("context.menu_row", "News | Sport | Weather"),
        ("context.menu_row", "About | Contact | Jobs"),
    ]


def test_a_row_inside_the_story_stays() -> None:
    text = f"{STORY}\n\nLithuania | Latvia | Estonia\n\n{STORY}"
    assert newsclean.clean(text).text == text


def test_rows_alone_stay() -> None:
    """With no text on its other side a row is the document itself, not its furniture."""
    assert newsclean.clean("Home › World › Europe").removed == ()
    assert newsclean.clean("Home › World › Europe\nNews | Sport | Weather").text == "News | Sport | Weather"


_ITEM = st.sampled_from(["Home", "World", "Sport", "Главная", "新闻", "Weather news", "A", "1"])
_SEP = st.sampled_from([" › ", " | ", "|", " » ", " > ", " / ", " • "])


@given(st.lists(st.tuples(st.lists(_ITEM, min_size=1, max_size=5), _SEP) | st.just(([STORY], " ")), max_size=6))
def test_rows_only_go_at_the_edges_and_text_remains(rows: list[tuple[list[str], str]]) -> None:
    lines = [sep.join(items) for items, sep in rows]
    result = newsclean.clean("\n".join(lines))
    gone = [r for r in result.removed if r.rule in ("context.breadcrumb", "context.menu_row")]
    for removal in gone:
        assert nav_items(removal.text) is not None
    kept = [line for line in lines if line.strip()]
    if kept:
        assert result.text.strip(), "a document of rows keeps at least one line"


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("World News Now | @worldnewsnow", "World News Now"),
        ("— World News Now — @worldnewsnow", "World News Now"),
        ("@readovka — новости без цензуры", "новости без цензуры"),
        ("Readovka | https://t.me/readovka", "Readovka"),
        ("Zelensky wrote on X: @ZelenskyyUa", None),  # no bar or dash joins them
        ("The ministry said so. — @ministry", None),  # a sentence, not a name
        ("@a | @b", None),  # two handles
        ("Sport | @chan | Weather", None),  # text on both sides
        ("A name far too long to be a channel name | @chan", None),
    ],
)
def test_signature_name(line: str, name: str | None) -> None:
    assert signature_name(line) == name


def test_a_signature_closing_the_post_goes_and_only_there() -> None:
    signature = "World News Now — @worldnewsnow"  # with a bar it is also a furniture row, anywhere
    assert _removed(f"{STORY}\n\n{signature}") == [("context.tail_signature", signature)]
    middle = f"{STORY}\n\n{signature}\n\n{STORY}"
    assert newsclean.clean(middle).text == middle
    assert newsclean.clean(signature).text == signature  # the whole document


def test_share_buttons_one_a_line_under_a_share_line_go() -> None:
    buttons = ["Facebook", "X", "LinkedIn"]
    text = "\n".join([STORY, "", "Share this article", *buttons])
    assert _removed(text)[1:] == [("context.share_buttons", b) for b in buttons]
    assert newsclean.clean(text).text == STORY
    # The same names closing a story under a sentence, or as the whole document, stay.
    listed = "\n".join(["The regulator fined three platforms on Tuesday:", *buttons])
    assert newsclean.clean(listed).text == listed
    assert _removed("\n".join(buttons)) == []


HEADLINE = "Storm closes three ports along the coast"


@pytest.mark.parametrize(
    "labels",
    [["📡 الجنوب الآن"], ["⚽️ Футбол UA"], ["Elections"], ["ПОЛЕВАЯ СВОДКА"], ["International › Afrique"],
     ["NHK NEWS WEB", "Politics"], ["💼 Утренний дайджест | Деньги и рынки"], ["Головна / Регіони / Харківщина"],
     ["⚽️ Bundesliga | 12. Spieltag"]],
)
def test_a_channel_or_section_label_above_the_headline_is_no_title(labels: list[str]) -> None:
    result = newsclean.clean("\n".join([*labels, HEADLINE, "", STORY]))
    assert [(r.rule, r.text) for r in result.removed] == [("context.head_label", label) for label in labels]
    assert result.title == HEADLINE


def test_the_channel_label_closing_the_last_line_goes_with_it() -> None:
    story = STORY[:-1] + ". — Storm Desk"
    result = newsclean.clean(f"🌊 Storm Desk\n{HEADLINE}\n\n{story}")
    assert result.text == f"{HEADLINE}\n\n{STORY}"
    assert [(r.rule, r.text) for r in result.removed] == [
        ("context.head_label", "🌊 Storm Desk"), ("signature.trailing_name", " — Storm Desk")]
    # An agency credited after a dash is no channel label: it stays, as does a name with no label.
    for text in (f"{HEADLINE}\n\n{STORY[:-1]}. — Reuters", f"Storm Desk, {HEADLINE}\n\n{story}"):
        assert newsclean.clean(text).text.endswith(text[-10:])


@pytest.mark.parametrize(
    "text",
    [
        f"⚡️ Storm hits\n\n{STORY}",  # a short title over the story
        f"{HEADLINE}\nThousands without power as winds reach 150 km an hour\n\n{STORY}",  # title and deck
        f"Elections\n{HEADLINE}",  # nothing under the headline: it may be the story
        f"Elections\nResults:\n{STORY}",  # an introduction, no headline
        f"Breaking storm update now live\nStorm hits\n\n{STORY}",  # four words: a title
        f"Three labels\nTwo\nOne\n{HEADLINE}\n\n{STORY}",  # more labels than a head holds
        f"Paris / London / Berlin\n\n{STORY}",  # names joined by slashes over the story
    ],
)
def test_a_short_title_or_a_label_without_headline_stays(text: str) -> None:
    assert [r.rule for r in newsclean.clean(text).removed] == []


_EDGE_POOL = st.sampled_from([
    "Share this article", "Facebook", "WhatsApp", "⚽️ Футбол UA", "Politique › Afrique", HEADLINE,
    STORY, "Headline of the story", "News | Sport | Weather", "Home › World › Europe", "World News — @wn",
    "Other Name — @on", "➖➖➖", "Channel", "Subscribe", "Москва | Прислать новость", "@chan", "",
])


@given(st.lists(_EDGE_POOL, max_size=8))
def test_edge_furniture_is_idempotent(lines: list[str]) -> None:
    """Removing an edge line uncovers the next one; one clean must take them all, so that
    cleaning the output again changes nothing."""
    once = newsclean.clean("\n".join(lines)).text
    assert newsclean.clean(once).text == once


def test_gallery_counters_go_when_two_share_a_total() -> None:
    text = f"{HEADLINE}\n\n{STORY}\n1 of 12\nThe mayor opens the bridge.\n2 of 12\nCrowds on the quay.\n3/4"
    result = newsclean.clean(text)
    assert [(r.rule, r.text) for r in result.removed] == [
        ("context.gallery_counter", "1 of 12"), ("context.gallery_counter", "2 of 12")]
    # One counter alone, or two that are no sequence of one total, may be a score: they stay.
    for kept in (f"{HEADLINE}\n\n{STORY}\n3/5", f"{HEADLINE}\n\n{STORY}\n3/5\n2/4", f"{HEADLINE}\n\n{STORY}\n5/3\n6/3"):
        assert newsclean.clean(kept).removed == ()
