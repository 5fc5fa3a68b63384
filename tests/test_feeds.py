"""Feed inputs: RSS 0.91/1.0/2.0 and Atom, broken feeds, hostile XML, Telegram exports."""

from __future__ import annotations

import io
import json
import sys

import pytest

from newsclean.cli import main
from newsclean.errors import InputError
from newsclean.feeds import flatten_text, read_feed, read_telegram

BODY = "Waves rose overnight, officials said."
FOOTER = "Subscribe to our channel"

RSS2 = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Coast News</title><link>https://news.example/</link>
<item><title>Storm hits coast</title><link>https://news.example/a</link><guid>a-1</guid>
<author>desk@news.example (Desk)</author><pubDate>Sun, 24 Nov 2024 10:30:00 +0100</pubDate>
<description>{BODY}

{FOOTER}</description></item>
<item><title>Second</title><link>https://news.example/b</link><description>Second story body.</description></item>
</channel></rss>""".encode()

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom News</title><id>urn:feed</id>
<updated>2024-11-24T09:30:00Z</updated>
<entry><title>Storm hits coast</title><id>urn:entry:1</id><link href="https://news.example/a"/>
<published>2024-11-24T09:30:00Z</published><updated>2024-11-24T09:30:00Z</updated>
<author><name>Jane Roe</name></author><content type="text">{BODY}

{FOOTER}</content></entry></feed>""".encode()

RSS1 = f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://news.example/"><title>RDF News</title><link>https://news.example/</link>
<description>d</description><items><rdf:Seq><rdf:li rdf:resource="https://news.example/a"/></rdf:Seq></items></channel>
<item rdf:about="https://news.example/a"><title>Storm hits coast</title><link>https://news.example/a</link>
<dc:date>2024-11-24T09:30:00Z</dc:date><dc:creator>Jane Roe</dc:creator>
<description>{BODY}

{FOOTER}</description></item></rdf:RDF>""".encode()

RSS091 = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><link>https://news.example/</link><description>d</description>
<language>en</language><item><title>Storm hits coast</title><link>https://news.example/a</link>
<description>Waves rose overnight, officials said.</description></item></channel></rss>"""

BROKEN = f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Broken</title>
<item><title>First</title><description>{BODY}</description></item>
<item><title>Second</title><description>Second story body.</description></itm>
<item><title>Third""".encode()

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><title>&lol4;</title><item><title>&lol4;</title><description>&lol4;</description></item>
</channel></rss>"""


def _xxe(path: str) -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{path}">]>
<rss version="2.0"><channel><title>t</title><item><title>Leak</title><description>Body &xxe; end.</description></item>
</channel></rss>""".encode()


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)

    def close(self) -> None:
        pass


def _cli(monkeypatch, capsys, argv, data: bytes = b""):
    monkeypatch.setattr(sys, "stdin", _Stdin(data))
    code = main(argv)
    got = capsys.readouterr()
    return code, [json.loads(line) for line in got.out.splitlines()], got.err


@pytest.mark.parametrize("feed", [RSS2, ATOM, RSS1], ids=["rss2", "atom", "rss1"])
def test_feed_items_become_records(monkeypatch, capsys, feed) -> None:
    code, rows, err = _cli(monkeypatch, capsys, ["--feed", "--quiet"], feed)
    assert code == 0, err
    first = rows[0]
    assert first["title"] == "Storm hits coast"
    assert first["link"] == "https://news.example/a"
    assert first["published"] is not None and first["published"].startswith("2024-11-24T09:30:00")
    assert first["clean_text"] == BODY
    assert [r["category"] for r in first["newsclean"]["removed"]] == ["subscribe"]
    assert set(first) >= {"title", "link", "published", "author", "id", "clean_text", "newsclean"}


def test_rss2_fields() -> None:
    got = read_feed(RSS2, "f.xml")
    first = got.entries[0].record
    assert (first["id"], first["author"], first["feed"]) == ("a-1", "desk@news.example (Desk)", "Coast News")
    assert first["published"] == "2024-11-24T09:30:00+00:00"  # converted to UTC
    assert len(got.entries) == 2 and got.error is None


def test_rss091_doctype_is_accepted_and_not_fetched() -> None:
    got = read_feed(RSS091, "old.xml")
    assert got.error is None and got.entries[0].body == BODY


def test_broken_feed_gives_what_it_can_and_an_error(monkeypatch, capsys) -> None:
    code, rows, err = _cli(monkeypatch, capsys, ["--feed"], BROKEN)
    assert code == 0
    assert rows[0]["clean_text"] == BODY
    assert rows[-1]["error"].startswith("<stdin>: not well-formed XML")
    assert rows[-1]["file"] == "<stdin>"
    assert "not well-formed XML" in err and "1 error," in err.splitlines()[-1]
    code, _, _ = _cli(monkeypatch, capsys, ["--feed", "--strict", "--quiet"], BROKEN)
    assert code == 1


def test_not_a_feed(monkeypatch, capsys) -> None:
    code, rows, _ = _cli(monkeypatch, capsys, ["--feed", "--quiet"], b"just some text, no XML at all")
    assert code == 0 and len(rows) == 1 and "not an RSS or Atom feed" in rows[0]["error"]


def test_billion_laughs_is_refused(monkeypatch, capsys) -> None:
    with pytest.raises(InputError, match="declares XML entities"):
        read_feed(BILLION_LAUGHS, "lol.xml")
    code, rows, err = _cli(monkeypatch, capsys, ["--feed", "--quiet"], BILLION_LAUGHS)
    assert (code, rows) == (1, [])
    assert err == ("newsclean: error: <stdin>: the feed declares XML entities (<!ENTITY>); refused "
                   "(entity expansion and external entities are never processed)\n")


def test_billion_laughs_in_utf16_is_refused() -> None:
    with pytest.raises(InputError, match="declares XML entities"):
        utf16 = BILLION_LAUGHS.decode().replace('version="1.0"?', 'version="1.0" encoding="utf-16"?')
        read_feed(utf16.encode("utf-16"), "lol16.xml")


def test_xxe_is_refused_and_reads_nothing(tmp_path, monkeypatch, capsys) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-42")
    with pytest.raises(InputError, match="declares XML entities"):
        read_feed(_xxe(str(secret)), "xxe.xml")
    feed = tmp_path / "xxe.xml"
    feed.write_bytes(_xxe(str(secret)))
    code, rows, err = _cli(monkeypatch, capsys, ["--feed", str(feed)])
    assert code == 1 and rows == [] and "TOPSECRET" not in err


def test_external_dtd_is_never_read(tmp_path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY leak "TOPSECRET-43">')
    feed = (f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "file://{dtd}"><rss version="2.0"><channel><title>t</title>'
            "<item><title>x</title><description>Body &amp; &leak; end.</description></item></channel></rss>").encode()
    got = read_feed(feed, "dtd.xml")
    assert all("TOPSECRET" not in json.dumps(e.record) for e in got.entries)


def test_feed_html_body(monkeypatch, capsys) -> None:
    pytest.importorskip("newsclean.html", reason="the HTML front end is not in this tree")
    feed = RSS2.replace(b"<description>Second story body.</description>",
                        b"<description>&lt;p&gt;Second story body.&lt;/p&gt;</description>")
    code, rows, err = _cli(monkeypatch, capsys, ["--feed", "--quiet"], feed)
    assert code == 0, err
    assert rows[1]["clean_text"] == "Second story body."


TELEGRAM = {
    "name": "Coast Channel",
    "type": "public_channel",
    "id": 100,
    "messages": [
        {"id": 1, "type": "service", "date": "2024-11-24T09:00:00", "actor": "Coast Channel", "action": "pin_message"},
        {"id": 2, "type": "message", "date": "2024-11-24T09:30:00", "from": "Coast Channel",
         "text": ["Storm hits coast\n\n", {"type": "bold", "text": "Waves"}, " rose overnight, officials said ",
                  {"type": "text_link", "text": "here", "href": "https://news.example/a"}, ".\n\n",
                  {"type": "mention", "text": "@coastchannel"}]},
        {"id": 3, "type": "message", "date": "2024-11-24T10:00:00", "from": "Coast Channel",
         "text": "Plain text post."},
        {"id": 4, "type": "message", "date": "2024-11-24T10:30:00", "from": "Coast Channel", "text": 42},
    ],
}


def test_flatten_text() -> None:
    assert flatten_text(TELEGRAM["messages"][1]["text"]) == (
        "Storm hits coast\n\nWaves rose overnight, officials said [here](https://news.example/a).\n\n@coastchannel")
    with pytest.raises(InputError):
        flatten_text([{"type": "bold"}, 3])


def test_telegram_export(monkeypatch, capsys) -> None:
    code, rows, err = _cli(monkeypatch, capsys, ["--telegram"], json.dumps(TELEGRAM).encode())
    assert code == 0
    assert [r["id"] for r in rows] == [2, 3, 4]  # the service message is skipped
    first = rows[0]
    assert (first["channel"], first["from"], first["date"]) == ("Coast Channel", "Coast Channel", "2024-11-24T09:30:00")
    assert first["clean_text"] == "Storm hits coast\n\nWaves rose overnight, officials said here."
    assert [link["url"] for link in first["newsclean"]["links"]] == ["https://news.example/a", "@coastchannel"]
    assert rows[1]["clean_text"] == "Plain text post."
    assert "error" in rows[2] and "clean_text" not in rows[2]
    assert err.splitlines()[-1] == ("newsclean: 3 records in, 3 out, 1 error, 1 line removed (0 recurring), "
                                    "1 service message skipped")


def test_telegram_not_an_export(monkeypatch, capsys) -> None:
    code, rows, err = _cli(monkeypatch, capsys, ["--telegram", "--quiet"], b'{"chats": 3}')
    assert (code, rows) == (1, []) and "not a Telegram Desktop export" in err
    code, _, err = _cli(monkeypatch, capsys, ["--telegram", "--quiet"], b"{oops")
    assert code == 1 and "not valid JSON" in err


def test_telegram_whole_account_export() -> None:
    export = {"chats": {"list": [TELEGRAM, {**TELEGRAM, "name": "Other"}]}}
    got = read_telegram(json.dumps(export).encode(), "result.json")
    assert [e.group for e in got.entries] == ["Coast Channel"] * 3 + ["Other"] * 3
    assert got.skipped == 2
