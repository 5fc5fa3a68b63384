"""Shared helpers for the benchmarks: paths, data loading, machine info, generated text.

Run the benchmarks from the repository root as modules (``python -m benchmarks.quality``) or
as scripts (``python benchmarks/quality.py``); both find the package in this checkout.

Nothing here times anything. The generators are deterministic: the same seed gives the same
text on every machine, so runs can be compared.
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import random
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = REPO.parent / "shared" / "corpus_real" / "dev_gold.jsonl"
DEFAULT_CORPUS = REPO / "corpus"
RESULTS = REPO / "benchmarks" / "results"


@dataclasses.dataclass(frozen=True, slots=True)
class Case:
    """One corpus case: its folder name, language, raw input, expected text and title."""

    name: str
    lang: str
    text: str
    expected: str
    title: str


def load_gold(path: Path) -> list[dict[str, Any]]:
    """The records of a gold JSONL file (dev_gold.jsonl format, see its LABELLING.md)."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_corpus(root: Path) -> list[Case]:
    """Every ``<lang>/<case>/`` folder under ``root`` that holds input.txt and expected.txt."""
    cases = []
    for folder in sorted(root.glob("*/*/")):
        src, exp = folder / "input.txt", folder / "expected.txt"
        if not (src.is_file() and exp.is_file()):
            continue
        meta: dict[str, Any] = {}
        if (folder / "case.toml").is_file():
            meta = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
        expected = exp.read_text(encoding="utf-8").rstrip("\n")
        title = str(meta.get("expected", {}).get("title", ""))
        cases.append(Case(f"{folder.parent.name}/{folder.name}", str(meta.get("lang", folder.parent.name)),
                          src.read_text(encoding="utf-8"), expected, title))
    return cases


def machine_info() -> dict[str, Any]:
    """Where a run was taken: platform, CPU model, cores, Python and library versions."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import newsclean

    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "newsclean": newsclean.__version__,
    }


def write_json(path: Path, data: dict[str, Any], *, ascii_only: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=ascii_only, indent=2) + "\n", encoding="utf-8")


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, so printed output can be pasted into the README."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


# ------------------------------------------------------------------ generated posts
# Letters per script; body words are drawn from them, so no generated word is a real phrase
# and a body line can only be removed by a structural mistake, never by a phrase rule.
ALPHABETS = {
    "en": "abcdefghijklmnoprstuvwy",
    "fr": "abcdefghilmnoprstuvéèàç",
    "tr": "abcdefgğhıijklmnoöprsştuüvyz",
    "id": "abcdeghijklmnoprstuwy",
    "ru": "абвгдежзиклмнопрстуфхцчшщыэюя",
    "uk": "абвгдежзиклмнопрстуфхцчшщюяєії",
    "ar": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "fa": "ابپتجچحخدرزژسشصطعفقکگلمنوهی",
    "he": "אבגדהוזחטיכלמנסעפצקרשת",
    "hi": "कखगघचछजझटठडढणतथदधनपफबभमयरलवशसह",
    "zh": "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去",
    "ja": "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよ日本政府東京",
}
# Boilerplate lines in the shapes real channels use, written for this benchmark.
BOILERPLATE = [
    "➖➖➖➖➖➖➖", "━━━━━━━━━━", "* * *", "-----------", "🔥🔥🔥", "🇺🇦", ".",
    "https://example.com/news/2024/05/12345", "t.me/example_channel", "@example_channel",
    "Read more: https://example.com/a", "Подробнее: https://example.ru/b", "#news #world #today",
    "#اقتصاد #سياسة", "Subscribe to our channel for breaking news", "Follow us on X and Instagram",
    "🔴 [Подписаться](https://t.me/example) | [Прислать новость](https://t.me/example_bot)",
    "Подписывайтесь на наш канал", "للاشتراك في قناتنا اضغط على الرابط", "اقرأ أيضا: عنوان خبر آخر",
    "مواضيع ذات صلة", "Related articles", "Читайте также:", "Lire aussi : un autre titre",
    "The post Something happened appeared first on Example News.", "© 2024 Example Agency. All rights reserved.",
    "Advertisement", "Реклама. ООО Пример. ИНН 1234567890", "کانال ما را دنبال کنید", "@Example_News_Fa",
    "Photo: Example Agency", "Fuente: Agencia Ejemplo", "相关阅读", "関連記事", "Weiterlesen",
    "Reporting by Jane Doe; Editing by John Roe", "BACA JUGA: Judul berita lain", "📲 Download our app",
]
EMOJI = ["🔹", "▪️", "⚡️", "❗️", "📌", "🔴", "👉"]


def _word(rng: random.Random, alphabet: str) -> str:
    n = rng.randint(2, 3) if alphabet is ALPHABETS["zh"] else rng.randint(3, 9)
    return "".join(rng.choice(alphabet) for _ in range(n))


def sentence(rng: random.Random, lang: str, *, plain: bool = False) -> str:
    """A body sentence, sometimes with an inline link, @mention, hashtag or bold span
    (never when ``plain``: then the sentence passes through the cleaner unchanged)."""
    alphabet = ALPHABETS[lang]
    words = [_word(rng, alphabet) for _ in range(rng.randint(8, 24))]
    roll = 1.0 if plain else rng.random()
    if roll < 0.05:
        words.insert(rng.randrange(len(words)), f"https://example.org/{_word(rng, 'abcdef')}")
    elif roll < 0.08:
        words.insert(rng.randrange(len(words)), "@" + _word(rng, "abcdefgh"))
    elif roll < 0.11:
        words.insert(rng.randrange(len(words)), "#" + words[0])
    elif roll < 0.14:
        words[0] = f"**{words[0]}**"
    sep, end = ("", "。") if lang in ("zh", "ja") else (" ", "।" if lang == "hi" else ".")
    text = sep.join(words) + end
    if not plain and rng.random() < 0.05:
        text = f"{rng.choice(EMOJI)} {text}"
    return text


def post(rng: random.Random, lang: str | None = None) -> tuple[str, str]:
    """One generated post and its language: maybe a headline, 1-6 paragraphs, boilerplate."""
    lang = lang or rng.choice(sorted(ALPHABETS))
    blocks: list[str] = []
    if rng.random() < 0.15:
        blocks.append(rng.choice(BOILERPLATE))
    if rng.random() < 0.6:
        blocks.append(" ".join(_word(rng, ALPHABETS[lang]) for _ in range(rng.randint(4, 10))))
    for _ in range(rng.randint(1, 5)):
        blocks.append("\n".join(sentence(rng, lang) for _ in range(rng.randint(1, 2))))
        if rng.random() < 0.08:
            blocks.append(rng.choice(BOILERPLATE))
    if rng.random() < 0.7:
        blocks.append("\n".join(rng.choice(BOILERPLATE) for _ in range(rng.randint(1, 4))))
    return "\n\n".join(blocks), lang


def posts(n: int, seed: int = 7) -> Iterator[tuple[str, str]]:
    """``n`` generated (text, lang) posts; deterministic for a seed."""
    rng = random.Random(seed)
    for _ in range(n):
        yield post(rng)


FOOTER = "➖➖➖➖\nSubscribe to our channel for breaking news\nhttps://example.com/news"


def long_article(rng: random.Random, size: int, lang: str = "en", *, plain: bool = False) -> str:
    """An article of about ``size`` bytes of UTF-8 paragraphs, then :data:`FOOTER`."""
    parts: list[str] = []
    total = 0
    while total < size:
        para = "\n".join(sentence(rng, lang, plain=plain) for _ in range(rng.randint(1, 4)))
        parts.append(para)
        total += len(para.encode("utf-8")) + 2
    return "\n\n".join([*parts, FOOTER])


# ------------------------------------------------------------------ hostile input
def _repeat(unit: str, size: int) -> str:
    """``unit`` repeated to about ``size`` bytes of UTF-8."""
    return unit * max(1, size // len(unit.encode("utf-8")))


def _prose_line(size: int) -> str:
    """Plain sentences on one line: a fixed 64 KB block repeated, so that every size has the
    same text statistics (a longer random text may meet "www." by chance and pay a URL scan)."""
    rng = random.Random(5)
    out: list[str] = []
    total = 0
    while total < min(size, 65_536):
        out.append(sentence(rng, "en", plain=True))
        total += len(out[-1]) + 1
    block = " ".join(out)
    return " ".join([block] * max(1, size // (len(block) + 1)))


def _short_lines(size: int) -> str:
    return "\n".join(f"Item {i} done." for i in range(max(1, size // 14)))


# name -> recipe(size in bytes). Each is a shape that has broken regex-based cleaners: long
# runs for backtracking, many matches for quadratic bookkeeping, huge lines, many lines.
HOSTILE = {
    "real text": lambda n: long_article(random.Random(1), n, plain=True),
    "one repeated char": lambda n: _repeat("a", n),
    "http:// repeated": lambda n: _repeat("http://", n),
    "# repeated": lambda n: _repeat("#", n),
    "@ repeated": lambda n: _repeat("@", n),
    "separator line": lambda n: _repeat("➖", n),
    "]( repeated": lambda n: _repeat("](", n),
    "** repeated": lambda n: _repeat("**", n),
    "alternating scripts": lambda n: _repeat("abc абв ابت 中文 אבג कखग ", n),
    "one prose line": _prose_line,
    "many short lines": _short_lines,
    "spaced URLs": lambda n: _repeat("see http://a.bc/d ", n),
    "spaced handles": lambda n: _repeat("hi @abc ", n),
    "spaced hashtags": lambda n: _repeat("#tag ", n),
    "markdown links": lambda n: _repeat("[a](http://x.y/z) ", n),
    "[ repeated": lambda n: _repeat("[", n),
    "host.dots": lambda n: _repeat("a.", n),
    "CR only": lambda n: _repeat("a\r", n),
    "related list": lambda n: "Related articles\n\n" + _repeat("Headline of another story\n\n", n),
    "labels between separators": lambda n: "Body sentence.\n" + "".join(f"➖➖\nlabel {i}\n" for i in range(n // 20)),
    "edge rows": lambda n: "Body sentence.\n" + _repeat("News | Sport | Weather\nWorld News — @wn\n", n),
    "blank lines": lambda n: "First line\n" + "\n" * n + "Last line.",
    "emoji ZWJ": lambda n: _repeat("👨\u200d👩\u200d👧", n),
}


def hostile(name: str, size: int) -> str:
    """The hostile input ``name`` (a key of :data:`HOSTILE`) at about ``size`` bytes."""
    return HOSTILE[name](size)
