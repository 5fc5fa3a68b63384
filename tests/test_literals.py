"""The reader of required literals (rule gates): what it reads off a pattern, and that it gives
no gate where it cannot be sure. Soundness on the rule files themselves is checked in
test_rules_data.py."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from newsclean.rules import available_languages, load_language, normalise
from newsclean.rules.literals import _CaseCheck, required_literals


def gate(source: str) -> tuple[str, ...] | None:
    return required_literals(source, normalise)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("all rights reserved", ("all rights reserved",)),
        # Case is folded as lines are: the gate is tested on the normalised line.
        ("Read ALSO", ("read also",)),
        # A look-around, an anchor or \b consumes nothing: the literals around it stay adjacent.
        (r"^(?<!\w)read\b also$", ("read also",)),
        # A quantifier takes the last character only; an optional part is followed both ways.
        ("colou?r", ("color", "colour")),
        # Alternatives are followed while few, and combined with what follows them; of the runs
        # between unknown parts, the most selective wins.
        ("(?:el|la) fotó", ("el fotó", "la fotó")),
        (r"(?:la|el) \s+(?:foto|imagen)", ("foto", "imagen")),
        # A required repeat keeps its literals; an optional one requires nothing.
        (r"\d+ (?:minutes)+ \d", ("minutes",)),
        (r"(?:news)? \d+", None),
        # Literals sharing five characters become the one string they share.
        ("contribuy(?:ó|o|eron) con", ("contribuy",)),
        ("(?:el|la) foto:", ("foto:",)),
        # A set of plain characters is its characters; any other set is unknown.
        ("fot[oó]", ("foto", "fotó")),
        ("[a-z]+ only", ("only",)),
        # Escaped punctuation and code points are literals.
        (r"\(AFP\)", ("(afp)",)),
        (r"caf\u00e9 \x41B", ("café ab",)),
        # Named groups and scoped flags are groups.
        (r"(?P<source>AFP|Reuters)(?-i:\p{Lu})", ("afp", "reuters")),
        # A branch that requires nothing leaves what the sequence around it requires.
        (r"read (?:also|\w+)", ("read",)),
    ],
)
def test_reads_literals(source: str, expected: tuple[str, ...] | None) -> None:
    assert gate(source) == expected
    regex.compile(source, regex.IGNORECASE | regex.V0)  # each case is a pattern the engine takes


@pytest.mark.parametrize(
    "source",
    [
        r"(\w+) \1 said",  # a back-reference
        r"(?(1)yes|no)",  # a conditional
        r"(?&name) said",  # a call to a [define] fragment
        r"(?x) read also",  # verbose mode: its spaces are not literal
        r"read x{ab}",  # a brace that is not a quantifier
        r"\K read",  # an escape the reader does not know
    ],
)
def test_gives_no_gate_where_it_cannot_read_the_pattern(source: str) -> None:
    assert gate(source) is None


def test_turkish_dotless_i_and_capital_i_are_literals_read_as_i() -> None:
    # The engine matches "I" with "ı" ignoring case, and normalise() reads both as "i": the
    # literal holds them as "i", as the line's normal form does.
    assert gate("KAYIT OL") == ("kayit ol",)
    assert gate("kayıt ol") == ("kayit ol",)
    assert regex.compile("KAYIT OL", regex.IGNORECASE | regex.V0).search("kayıt ol")
    assert normalise("KAYIT OL") == normalise("Kayıt ol") == "kayit ol"


def test_a_character_is_a_literal_only_if_its_case_variants_normalise_alike() -> None:
    check = _CaseCheck(normalise)
    # "I", "ı", "i" and "İ" all normalise to "i"; "ƛ" has a case variant that casefold() does
    # not bring back to it, so it is no literal.
    assert (check("I"), check("ı"), check("i"), check("a"), check("ص"), check("中"), check("\u019b")) == (
        True, True, True, True, True, True, False)


def test_without_the_engines_case_table_only_caseless_characters_are_literals(monkeypatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_case_table(name, *args, **kwargs):
        if name == "regex._regex":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_case_table)
    check = _CaseCheck(normalise)
    assert (check("a"), check("ß"), check("ص"), check("中"), check(":")) == (False, False, True, True, True)
    assert required_literals("تابعونا على", normalise) == ("تابعونا على",)
    assert required_literals("read also", normalise) is None


_WORDS = st.sampled_from(["read", "also", "AFP", "foto", "İstanbul", "kayıt", "ş", "ß", "’s", "a", " ", "."])
_PIECES = st.one_of(
    _WORDS,
    st.builds(lambda a, b: f"(?:{a}|{b})", _WORDS, _WORDS),
    st.builds(lambda a, q: f"(?:{a}){q}", _WORDS, st.sampled_from(["?", "*", "+", "{2}", "{0,3}", "{1,}?"])),
    st.sampled_from([r"\s+", r"\p{L}+", r"\b", "(?<!x)", "(?!y)", ".{0,20}?", "[oó]", "^", "$", r"\d"]),
)


@given(st.lists(_PIECES, min_size=1, max_size=6), st.lists(_WORDS, max_size=8))
def test_a_text_the_pattern_matches_holds_a_literal(pieces: list[str], words: list[str]) -> None:
    source = "".join(pieces)
    found = gate(source)
    pattern = regex.compile(source, regex.IGNORECASE | regex.V0)
    for text in (" ".join(words), "".join(words), " ".join(words).upper()):
        if found is not None and pattern.search(text):
            assert any(literal in normalise(text) for literal in found), (source, text, found)
