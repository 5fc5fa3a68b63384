"""Input decoding (newsclean.textio): what is text, in which encoding, and what is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsclean.textio import LEGACY_ENCODINGS, DecodeError, decode_bytes

STORIES = [
    "Body of the story.\nIt rained all day in the capital.\n",
    "Завтра будет дождь, 12 мм. Синоптики советуют взять зонт.\n",
    "قال الرئيس إن المحادثات ستستمر الأسبوع المقبل.\n",
    "Der Bundestag hat das Gesetz am Donnerstag beschlossen.\n",
]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("story", STORIES)
def test_utf16_and_utf32_without_a_bom_are_told_by_their_nuls(codec: str, story: str) -> None:
    assert decode_bytes(story.encode(codec)) == story


@pytest.mark.parametrize("data", [
    b"Hello\x00 world. It rained.",  # valid UTF-8 with a stray NUL
    bytes(range(256)) * 8,
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
])
def test_nul_bytes_that_are_not_utf16_make_a_binary_file(data: bytes) -> None:
    with pytest.raises(DecodeError, match=r"binary file \(NUL byte at offset \d+\)"):
        decode_bytes(data, "x")


def test_a_stray_nul_in_utf8_names_its_offset() -> None:
    with pytest.raises(DecodeError, match="NUL byte at offset 5"):
        decode_bytes(b"Hello\x00 world", "x")


@pytest.mark.parametrize(("story", "codec"), [
    ("Правительство утвердило новый бюджет страны на следующий год. Депутаты поддержали решение.", "cp1251"),
    ("Правительство утвердило новый бюджет страны на следующий год. Депутаты поддержали решение.", "koi8_r"),
    ("قال المتحدث باسم الحكومة إن الاجتماع سيعقد الأسبوع المقبل في العاصمة لبحث الأزمة.", "cp1256"),
    ("הממשלה אישרה את התקציב החדש לשנה הבאה לאחר דיון ארוך בכנסת.", "cp1255"),
    ("Le gouvernement a présenté mercredi un projet de loi très attendu sur l'énergie.", "cp1252"),
])
def test_legacy_news_encodings_are_detected(story: str, codec: str) -> None:
    assert codec in LEGACY_ENCODINGS
    assert decode_bytes(story.encode(codec)) == story


def _decodes_as(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


@given(st.binary(min_size=1, max_size=300))
def test_bytes_decode_to_text_or_give_a_one_line_error(data: bytes) -> None:
    """Whatever the bytes: text without NULs or a one-line DecodeError. Without a BOM or NULs
    the text is UTF-8 or one of the legacy news encodings, never UTF-16/32 or a DOS code page."""
    try:
        text = decode_bytes(data, "x")
    except DecodeError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("x: ")
        return
    assert "\x00" not in text
    if b"\x00" not in data and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        assert text in {_decodes_as(data, codec) for codec in ("utf-8", *LEGACY_ENCODINGS)}


def test_garbage_that_only_odd_code_pages_decode_is_refused() -> None:
    """A DOS or Mac code page decodes almost any bytes (this came back as UTF-16 mojibake, then as
    cp866 box-drawing text); only the encodings news has been served in are considered."""
    with pytest.raises(DecodeError, match="byte offset 2"):
        decode_bytes(b"Ab\xc3\x28\xa0\xa1 \x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c", "x")
