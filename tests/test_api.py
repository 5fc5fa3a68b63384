"""The library surface: types, options, errors, the seed, Unicode that must survive."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

import newsclean
from newsclean import Category, Options

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "unews-ar.txt"


def test_result_is_frozen_and_json_ready() -> None:
    result = newsclean.clean("Title here\n\nBody text of the story.\n\nhttps://example.com/x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.text = "x"  # type: ignore[misc]
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert set(data) >= {"text", "title", "body", "language", "links", "removed", "dateline", "byline", "source"}
    assert data["removed"][0] == {"text": "https://example.com/x", "category": "link", "rule": "link.only",
                                  "start": 37, "end": 58, "line": 4, "inline": False}


def test_link_and_removal_dicts_carry_every_field() -> None:
    # to_dict is spelled out for speed: it must give what dataclasses.asdict gives.
    result = newsclean.clean("Title here\n\nBody with [a link](https://example.com/a) and @handle.\n\nhttps://x.org/b")
    assert result.links and result.removed
    for item in (*result.links, *result.removed):
        expected = dataclasses.asdict(item)
        if "category" in expected:
            expected["category"] = expected["category"].value
        assert item.to_dict() == expected


def test_bytes_are_refused_with_a_teaching_message() -> None:
    with pytest.raises(TypeError, match="decode"):
        newsclean.clean(b"hello")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        newsclean.clean(None)  # type: ignore[arg-type]


def test_unknown_language_lists_the_available_ones() -> None:
    with pytest.raises(newsclean.UnknownLanguageError, match="available: .*en"):
        newsclean.clean("x", lang="qq")


def test_empty_input_is_an_empty_result() -> None:
    result = newsclean.clean("")
    assert (result.text, result.title, result.removed, result.links) == ("", None, (), ())


def test_options_keep_a_category() -> None:
    text = "Body of the story is here.\n\n➖➖➖\nSubscribe to our channel"
    kept = newsclean.clean(text, options=Options(drop=frozenset(Category) - {Category.SUBSCRIBE}))
    assert kept.text == "Body of the story is here.\n\nSubscribe to our channel"
    with pytest.raises(TypeError):
        Options(drop=frozenset({"subscribe"}))  # type: ignore[arg-type]


def test_lang_skips_detection() -> None:
    assert newsclean.clean("Il governo ha approvato la legge.", lang="en").language == "en"
    assert newsclean.clean("Il governo ha approvato la nuova legge sul lavoro ieri sera.").language == "it"


def test_title_rules() -> None:
    assert newsclean.clean("Storm hits coast\nWaves rose.").text == "Storm hits coast\n\nWaves rose."
    assert newsclean.clean("Minister said:\nWe will win.").title is None
    assert newsclean.clean("One-line flash about the storm").title is None


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not beside the repository")
def test_seed_comes_out_as_headline_and_ten_paragraphs() -> None:
    raw = SEED.read_text(encoding="utf-8")
    result = newsclean.clean(raw)
    paragraphs = [p for p in raw.split("\n\n") if p.strip()]
    assert result.title == paragraphs[0].strip()
    assert result.body.split("\n\n") == [p.strip() for p in paragraphs[1:11]]
    assert [link.url for link in result.links] == ["https://unewsagency.com"]
    assert {r.category.value for r in result.removed} == {"separator", "subscribe", "link", "related"}
    assert result.language == "ar"


@pytest.mark.parametrize("text", [
    "قالَ الوزيرُ إنّ الاتفاقَ ســـــيُوقّع غداً.",           # tashkeel and tatweel
    "وزیر امور خارجه گفت که مذاکره‌ها ادامه می‌یابد.",        # Persian ZWNJ
    "נתניהו אמר כי \u200eGoogle\u200f תשקיע בישראל.",        # LRM/RLM inside RTL text
    "The mayor 🎉 opened the new bridge on Monday.",          # emoji inside a sentence
    "東京都は２４日、新しい計画を発表した。",                 # CJK with full-width digits
    "İstanbul'da yeni köprü açıldı.",                          # Turkish dotted capital I
    "प्रधानमंत्री ने नई योजना की घोषणा की।",                    # Devanagari
])
def test_unicode_survives(text: str) -> None:
    assert newsclean.clean(text).text == text


def test_explain_reads_like_an_answer() -> None:
    result = newsclean.clean("Body of the story is here.\n\n➖➖➖")
    assert "separator (separator.symbols)" in result.explain()
    assert newsclean.clean("Body.").explain() == "nothing removed"


def test_cleaner_is_reusable() -> None:
    cleaner = newsclean.Cleaner(lang="ru")
    assert cleaner.clean("Текст новости.\n\nРеклама").text == "Текст новости."
    assert cleaner.clean("Вторая новость.").text == "Вторая новость."


def test_the_longest_dateline_wins() -> None:
    """Files of one script share the first body line: an Italian agency dateline must not be cut
    short by another language's shorter "(AGENCY) -" form."""
    import regex

    from newsclean.metadata import find_dateline
    short, long = regex.compile(r"\((?P<source>ANSA)\) -"), regex.compile(r"\((?P<source>ANSA)\) - ROMA, \d+ NOV -")
    line = "(ANSA) - ROMA, 24 NOV - Il Consiglio dei ministri ha approvato la manovra."
    assert find_dateline(line, [short, long]) == ("(ANSA) - ROMA, 24 NOV -", "ANSA")
    assert find_dateline(line, [long, short]) == ("(ANSA) - ROMA, 24 NOV -", "ANSA")
    result = newsclean.clean(f"Via libera alla manovra\n\n{line}")
    assert result.dateline == "(ANSA) - ROMA, 24 NOV -" and result.source == "ANSA"
