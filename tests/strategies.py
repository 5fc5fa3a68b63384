"""Hypothesis strategies: generated multilingual article bodies and boilerplate to wrap them."""

from __future__ import annotations

from hypothesis import strategies as st

# Letters per script; words are drawn from them, so no generated word is a real phrase.
ALPHABETS = {
    "latin": "abcdefghijklmnoprstuvwzäéñçşğı",
    "cyrillic": "абвгдежзиклмнопрстуфхцчшщыэюяєії",
    "arabic": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "persian": "ابپتجچحخدرزژسشصطعفقکگلمنوهی\u200c",
    "hebrew": "אבגדהוזחטיכלמנסעפצקרשת",
    "devanagari": "कखगघचछजझटठडढणतथदधनपफबभमयरलवशसह\u093e\u093f\u0940\u0947",
    "greek": "αβγδεζηθικλμνξοπρστυφχψω",
}
CJK = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明"


def _words(alphabet: str) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=3, max_size=9).filter(lambda w: w.strip("\u200c") == w)


def sentence(script: str) -> st.SearchStrategy[str]:
    if script == "cjk":
        return st.text(alphabet=CJK, min_size=12, max_size=60).map(lambda s: s + "。")
    end = "." if script != "devanagari" else "।"
    return st.lists(_words(ALPHABETS[script]), min_size=6, max_size=18).map(lambda ws: " ".join(ws) + end)


SCRIPTS = [*ALPHABETS, "cjk"]


@st.composite
def article_body(draw: st.DrawFn) -> list[str]:
    """Paragraphs of one script: each paragraph one to three unique sentences on lines."""
    script = draw(st.sampled_from(SCRIPTS))
    sentences = draw(st.lists(sentence(script), min_size=1, max_size=8, unique=True))
    paragraphs, i = [], 0
    while i < len(sentences):
        n = draw(st.integers(1, 3))
        paragraphs.append("\n".join(sentences[i : i + n]))
        i += n
    return paragraphs


BOILERPLATE = [
    "➖➖➖➖➖➖➖",
    "━━━━━━━━━━",
    "* * *",
    "=====",
    "•••",
    "🔥🔥🔥",
    "https://example.com/news/12345",
    "t.me/example_channel",
    "@example_channel",
    "Read more: https://example.com/a",
    "#news #world #today",
    "Subscribe to our channel for breaking news",
    "Подписывайтесь на наш канал",
    "للاشتراك في قناتنا اضغط على الرابط",
    "مواضيع ذات صلة",
    "Related articles",
    "Читайте также:",
    "🔴 [Подписаться](https://t.me/example)",
    "The post Something happened appeared first on Example News.",
    "© 2024 Example Agency. All rights reserved.",
    "Advertisement",
    "Реклама",
]


@st.composite
def wrapped_article(draw: st.DrawFn) -> tuple[str, str]:
    """(raw, expected body): boilerplate prepended, appended or put between paragraphs."""
    paragraphs = draw(article_body())
    blocks: list[str] = []
    for i, paragraph in enumerate(paragraphs):
        if draw(st.booleans()):
            blocks.append("\n".join(draw(st.lists(st.sampled_from(BOILERPLATE), min_size=1, max_size=3))))
        blocks.append(paragraph)
        if i == len(paragraphs) - 1 and draw(st.booleans()):
            blocks.append("\n".join(draw(st.lists(st.sampled_from(BOILERPLATE), min_size=1, max_size=4))))
    return "\n\n".join(blocks), "\n\n".join(paragraphs)
