"""HTML input: fragments, full pages with metadata, the CLI, hostile input, and no network."""

from __future__ import annotations

import io
import json
import socket
import sys
from pathlib import Path

import pytest

from newsclean import Category, Cleaner, InputError, Options, Result, UnknownLanguageError
from newsclean.cli import main
from newsclean.html import MAX_HTML_CHARS, clean_html, decode_html, extract

DATA = Path(__file__).parent / "data" / "html"
ARTICLE = (DATA / "article.html").read_text(encoding="utf-8")
FRAGMENT = (DATA / "fragment.html").read_text(encoding="utf-8")
ARTICLE_URL = "https://ledger.example.org/news/harbour-bridge-reopens"
MonkeyPatch = pytest.MonkeyPatch
Capture = pytest.CaptureFixture[str]
SENTENCE = "The regional council approved the new transport budget on Tuesday after a long debate, officials said."


# --- fragments -------------------------------------------------------------------------------


def test_fragment_block_structure() -> None:
    html = "<p>One.</p><p>Two<br>lines &amp; more</p><ul><li>a</li><li>b</li></ul><h2>Head</h2><p>End</p>"
    assert extract(html).text == "One.\n\nTwo\nlines & more\n\n- a\n- b\n\nHead\n\nEnd"


def test_fragment_drops_script_style_noscript_template_and_decodes_entities() -> None:
    html = ("<p>Caf&eacute; &#x1F600; &lt;tag&gt; &nbsp;x</p><script>alert('boo')</script><style>p{}</style>"
            "<noscript>enable js</noscript><template><p>tpl</p></template><!-- a comment --><p>Last line.</p>")
    assert clean_html(html).text == "Café 😀 <tag> \xa0x\n\nLast line."


def test_fragment_links_content_and_link_only_blocks() -> None:
    result = clean_html(FRAGMENT, url="https://news.example.com/economy/rates")
    assert "as inflation slowed" in result.text and "](" not in result.text and "Read more" not in result.text
    assert "Subscribe" not in result.text
    links = {link.anchor: link for link in result.links}
    assert links["inflation"].url == "https://news.example.com/markets/inflation"  # resolved against url
    assert not links["inflation"].removed
    assert links["Read more"].removed and links["Subscribe to our channel"].removed
    assert {r.category for r in result.removed} == {Category.LINK, Category.SUBSCRIBE}


def test_fragment_offsets_refer_to_the_extracted_text() -> None:
    text = extract(FRAGMENT).text
    result = clean_html(FRAGMENT)
    for removal in result.removed:
        assert text[removal.start : removal.end] == removal.text
    inflation = next(link for link in result.links if link.anchor == "inflation")
    assert text[inflation.start : inflation.end] == "inflation"
    assert inflation.url == "/markets/inflation"  # no url given: left as written


def test_fragment_keeps_its_structure_and_headings() -> None:
    text = clean_html(FRAGMENT).text
    quote = 'Governor Lena Brandt said the board would "wait and see" before cutting.'
    assert f"{quote}\nMarkets had priced in a hold." in text
    assert "- Rate: 4.5%\n- Next meeting: June 12" in text
    assert "\n\nWhat analysts said\n\nA cut in June is still likely." in text


def test_short_link_between_body_paragraphs_is_content() -> None:
    body = f"<p>{SENTENCE}</p><p><a href='/p'>Acme Turbo Kettle</a></p><p>{SENTENCE}</p>"
    assert "Acme Turbo Kettle" in clean_html(body).text
    assert "Acme Turbo Kettle" not in clean_html(f"<p>{SENTENCE}</p><p><a href='/p'>Acme Turbo Kettle</a></p>").text


def test_plain_paragraphs_agree_with_the_text_cleaner() -> None:
    paragraphs = ["Storm hits the coast", "Waves rose overnight, officials said.", "Subscribe to our channel"]
    html = "".join(f"<p>{p}</p>" for p in paragraphs)
    expected = Cleaner().clean("\n\n".join(paragraphs))
    assert clean_html(html).text == expected.text == "Storm hits the coast\n\nWaves rose overnight, officials said."


def test_empty_input() -> None:
    for html in ("", "   \n", b"", "<p></p>"):
        assert clean_html(html).text == ""


# --- full pages ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def article() -> Result:
    return clean_html(ARTICLE, url=ARTICLE_URL)


def test_page_body_and_headline(article: Result) -> None:
    assert article.title == "Harbour bridge reopens after repairs"
    assert article.body.startswith("The harbour bridge reopened to traffic on Monday")
    assert article.body.endswith("paid for by the regional infrastructure fund.")
    assert article.text == f"{article.title}\n\n{article.body}"
    assert "according to the final inspection report published" in article.body


def test_page_boilerplate_left_by_trafilatura_is_removed_and_explained(article: Result) -> None:
    for gone in ("Photo: Coastal Ledger", "Read more", "Subscribe", "Share this", "Ferry timetable", "Cycle lane"):
        assert gone not in article.text
    rules = {r.rule for r in article.removed}
    assert "html.related.link_list" in rules
    wanted = {Category.CREDIT, Category.SUBSCRIBE, Category.SHARE, Category.RELATED}
    assert {r.category for r in article.removed} >= wanted


def test_page_metadata(article: Result) -> None:
    assert article.byline == "Maria Lindqvist"
    assert article.extra["html"] == "page"
    assert article.extra["date"] == "2024-03-05"  # normalised from 2024-03-05T14:30:00+01:00
    assert article.extra["sitename"] == "The Coastal Ledger"
    assert article.extra["url"] == ARTICLE_URL
    assert article.extra["description"].startswith("The harbour bridge reopened")
    assert article.extra["tags"] == ["bridge", "transport", "harbour"]
    json.dumps(article.to_dict())  # JSON-ready


def test_page_links_resolved_and_marked(article: Result) -> None:
    by_url = {link.url: link for link in article.links}
    report = by_url["https://ledger.example.org/reports/bridge-2024.pdf"]
    assert report.anchor == "the final inspection report" and not report.removed
    assert by_url["https://ledger.example.org/news/cycle-lane-plan"].removed
    text = extract(ARTICLE, url=ARTICLE_URL).text
    assert text[report.start : report.end] == "the final inspection report"


def test_page_title_never_enters_the_text_without_a_headline() -> None:
    page = f"<html><head><title>Council votes | Daily</title></head><body><article><p>{SENTENCE}</p>" \
           f"<p>{SENTENCE.replace('Tuesday', 'Monday')}</p></article></body></html>"
    result = clean_html(page)
    assert result.title == "Council votes" and "Council votes" not in result.text  # trafilatura drops the site name
    assert result.text == result.body


def test_title_option_off_keeps_the_headline_as_body() -> None:
    result = clean_html(ARTICLE, options=Options(title=False))
    assert result.title == "Harbour bridge reopens after repairs"  # from the page metadata
    assert result.text.startswith("Harbour bridge reopens after repairs\n\nThe harbour bridge")


@pytest.mark.parametrize("favor", [None, "precision", "recall"])
def test_favor(favor: str | None) -> None:
    assert "final inspection report" in clean_html(ARTICLE, favor=favor).body


def test_language_is_passed_to_the_text_pipeline() -> None:
    assert clean_html(FRAGMENT, lang="en").language == "en"
    with pytest.raises(UnknownLanguageError):
        clean_html(FRAGMENT, lang="qq")


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="favor"):
        clean_html("<p>x</p>", favor="speed")
    with pytest.raises(ValueError, match="not both"):
        clean_html("<p>x</p>", lang="en", cleaner=Cleaner())
    with pytest.raises(TypeError, match="str or bytes"):
        clean_html(42)  # type: ignore[arg-type]


# --- bytes and encodings ---------------------------------------------------------------------


def test_meta_charset_windows_1251_page() -> None:
    page = ('<html><head><meta charset="windows-1251"><title>Новости</title></head><body><article>'
            "<p>Правительство утвердило новый бюджет страны на следующий год, сообщили в министерстве финансов.</p>"
            "<p>Депутаты поддержали решение большинством голосов после долгого обсуждения в парламенте.</p>"
            "</article></body></html>")
    result = clean_html(page.encode("cp1251"))
    assert "Правительство утвердило новый бюджет" in result.text and "Депутаты поддержали" in result.text


def test_http_equiv_charset_bom_and_detection() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>Caf\u00e9 \u20ac 5</p>'
    assert decode_html(meta.encode("cp1252")).endswith("Café € 5</p>")  # a latin-1 label means cp1252
    assert decode_html("<p>Grüße</p>".encode("utf-16")) == "<p>Grüße</p>"
    assert decode_html(b'<meta charset="x-unknown"><p>ok</p>') == '<meta charset="x-unknown"><p>ok</p>'
    mislabelled = '<meta charset="windows-1251"><p>Привет</p>'.encode()  # really UTF-8
    assert decode_html(mislabelled).endswith("<p>Привет</p>")
    wrong = '<meta charset="utf-8"><p>Привет, мир! Это проверка кодировки текста.</p>'.encode("cp1251")
    assert "Привет" in decode_html(wrong)  # a wrong label: detected instead


def test_binary_bytes_are_a_clear_error() -> None:
    with pytest.raises(InputError, match="binary"):
        clean_html(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00")


# --- hostile input ---------------------------------------------------------------------------


def test_malformed_markup() -> None:
    html = "<p>Unclosed <b>bold <i>italic</p><div><p <p>broken</div></span></td>&bogus; &#99999999; tail"
    assert clean_html(html).text == "Unclosed bold italic\n\nbroken\n\n&bogus; \ufffd tail"
    page = f"<html><body><p>Unclosed <b>x</p></div></span><script>var a='</p>';</script><p>{SENTENCE}</p>"
    assert SENTENCE in clean_html(page).text


def test_ten_thousand_nested_elements_fragment() -> None:
    html = "<div>" * 10_000 + "deep text" + "</div>" * 10_000 + "<p>After</p>"
    assert clean_html(html).text == "deep text\n\nAfter"


def test_ten_thousand_nested_elements_page_loses_nothing() -> None:
    after = "After the deep part, the mayor thanked the council members for their patient work on the plan."
    page = ("<html><head><title>Deep</title></head><body>" + "<div>" * 10_000 + f"<p>{SENTENCE}</p>"
            + "</div>" * 10_000 + f"<p>{after}</p></body></html>")
    assert clean_html(page).text == f"{SENTENCE}\n\n{after}"


def _page_of(size: int) -> str:
    para = f"<p>{SENTENCE}</p>\n"
    head = "<html><head><title>Big</title></head><body><article>"
    return head + para * (size // len(para)) + "</article></body></html>"


def test_five_megabyte_page_finishes() -> None:
    result = clean_html(_page_of(5_000_000))
    assert SENTENCE in result.text  # trafilatura keeps one copy of a paragraph repeated 50,000 times


def test_fifty_megabyte_page_is_refused_clearly() -> None:
    with pytest.raises(InputError, match=r"50\.0 MB is over the 8 MB limit"):
        clean_html(_page_of(50_000_000))
    with pytest.raises(InputError, match="over the 8 MB limit"):
        clean_html(b" " * (MAX_HTML_CHARS + 1))


@pytest.mark.slow
def test_page_just_under_the_limit_finishes() -> None:
    assert SENTENCE in clean_html(_page_of(MAX_HTML_CHARS - 1000)).text


def test_no_network_access(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        calls.append(args)
        raise AssertionError("newsclean tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    page = ARTICLE.replace("<article>", '<article><img src="https://img.example.net/a.png">'
                           '<link rel="stylesheet" href="http://css.example.net/x.css">'
                           '<iframe src="https://evil.example.com/"></iframe><object data="http://x.example/o"></object>')
    result = clean_html(page, url="https://ledger.example.org/")
    assert "final inspection report" in result.text
    assert clean_html('<p><img src="http://x.example/i.png"><a href="http://x.example/">x</a></p>').links
    assert calls == []


# --- command line ----------------------------------------------------------------------------


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def _run(monkeypatch: MonkeyPatch, capsys: Capture, argv: list[str], data: bytes) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", _Stdin(data))
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_html_flag(monkeypatch: MonkeyPatch, capsys: Capture) -> None:
    code, out, err = _run(monkeypatch, capsys, ["--html"], b"Plain start, then <b>bold</b> &amp; done.")
    assert (code, out, err) == (0, "Plain start, then bold & done.\n", "")


def test_cli_detects_a_page_and_writes_json(monkeypatch: MonkeyPatch, capsys: Capture) -> None:
    code, out, err = _run(monkeypatch, capsys, ["--json", "--url", ARTICLE_URL], ARTICLE.encode())
    record = json.loads(out)
    assert code == 0 and err == ""
    assert record["title"] == "Harbour bridge reopens after repairs" and record["extra"]["html"] == "page"
    assert record["extra"]["date"] == "2024-03-05"
    assert any(link["url"] == "https://ledger.example.org/reports/bridge-2024.pdf" for link in record["links"])


def test_cli_detects_a_fragment(monkeypatch: MonkeyPatch, capsys: Capture) -> None:
    code, out, _ = _run(monkeypatch, capsys, [], FRAGMENT.encode())
    assert code == 0 and out.startswith("The central bank held its key rate at 4.5%") and "Read more" not in out


def test_cli_refuses_a_huge_page_in_one_line(monkeypatch: MonkeyPatch, capsys: Capture) -> None:
    code, out, err = _run(monkeypatch, capsys, ["--html"], _page_of(9_000_000).encode())
    assert code == 1 and out == ""
    assert err.startswith("newsclean: error: <html>: HTML input of 9.0 MB") and err.count("\n") == 1
