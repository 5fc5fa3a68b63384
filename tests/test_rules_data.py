"""The rule data: every file loads through the package, follows the schema, and every rule's
own examples behave as declared (each rule carries its unit tests as data)."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsclean
from newsclean.rules import gate_of, load_language, rule_book
from newsclean.detectors import judge_line
from newsclean.segment import Line

LANGS = ["_common", *newsclean.available_languages()]
CORE = {"ar", "en", "ru"}


def test_core_languages_ship() -> None:
    assert CORE <= set(newsclean.available_languages())


@pytest.mark.parametrize("lang", LANGS)
def test_file_loads_with_unique_ids(lang: str) -> None:
    data = load_language(lang)
    assert data.rules, f"{lang}: no rules"
    ids = [r.id for r in data.rules]
    assert len(ids) == len(set(ids)), f"{lang}: duplicate rule ids"
    prefix = "common." if lang == "_common" else f"{lang}."
    assert all(i.startswith(prefix) for i in ids), f"{lang}: ids must start with {prefix}"


def test_ids_unique_across_files() -> None:
    ids = [r.id for lang in LANGS for r in load_language(lang).rules]
    assert len(ids) == len(set(ids))


def _rule_params():
    for lang in LANGS:
        for rule in load_language(lang).rules:
            yield pytest.param(lang, rule.id, id=rule.id)


@pytest.mark.parametrize(("lang", "rule_id"), list(_rule_params()))
def test_rule_examples(lang: str, rule_id: str) -> None:
    rule = next(r for r in load_language(lang).rules if r.id == rule_id)
    assert rule.examples_match and rule.examples_no_match, f"{rule_id}: needs match and no_match examples"
    book = rule_book((lang,)) if lang != "_common" else rule_book(())
    for example in rule.examples_match:
        verdict, _ = judge_line(Line(0, 0, len(example), example), book)
        assert verdict is not None, f"{rule_id}: should match {example!r}"
    for example in rule.examples_no_match:
        result = newsclean.clean(example, lang=None if lang == "_common" else lang)
        assert result.text == example.strip(), f"{rule_id}: must keep {example!r}\n{result.explain()}"
        if lang == "_common":
            continue
        # By default every file of the line's script applies: an Indonesian photo-credit rule
        # must not take a Spanish caption.
        result = newsclean.clean(example)
        assert result.text == example.strip(), f"{rule_id}: all files must keep {example!r}\n{result.explain()}"


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != "_common"])
def test_datelines(lang: str) -> None:
    data = load_language(lang)
    for pattern, (matches, no_matches) in zip(data.datelines, data.dateline_examples):
        for example in matches:
            assert pattern.match(example), f"{lang}: dateline should match {example!r}"
            # The prefix prefilter must not hide a dateline from its own example.
            assert pattern in rule_book(None).datelines_for(example), f"{lang}: prefilter hides {example!r}"
        for example in no_matches:
            assert not pattern.match(example), f"{lang}: dateline should not match {example!r}"


def test_template_documents_every_key() -> None:
    template = resources.files("newsclean.rules").joinpath("TEMPLATE.toml").read_text(encoding="utf-8")
    data = tomllib.loads(template)
    keys = {k for rule in data["rule"] for k in rule}
    for key in ("id", "category", "match", "max_words", "requires", "block", "phrases", "pattern", "examples"):
        assert key in template, f"TEMPLATE.toml does not document {key}"
    assert {"id", "category", "match"} <= keys


def test_bad_rule_file_names_file_and_rule(tmp_path) -> None:
    from newsclean.errors import RuleDataError
    from newsclean.rules import _parse_rule

    with pytest.raises(RuleDataError, match=r"x\.toml: rule xx\.bad\.one: category"):
        _parse_rule({"id": "xx.bad.one", "category": "nope", "phrases": ["a"]}, "xx", "x.toml")
    with pytest.raises(RuleDataError, match="bad pattern"):
        _parse_rule({"id": "xx.bad.two", "category": "ad", "pattern": "(unclosed"}, "xx", "x.toml")
    with pytest.raises(RuleDataError, match="exactly one of phrases or pattern"):
        _parse_rule({"id": "xx.bad.three", "category": "ad"}, "xx", "x.toml")


def test_define_fragments_compile_as_if_written_out() -> None:
    from newsclean.errors import RuleDataError
    from newsclean.rules import _fragments, _parse_rule

    fragments = {"verbs": "said|told", "speech": r",\s*\w+ (?&verbs)"}
    rule = {"id": "xx.a.b", "category": "ad", "match": "start"}
    short = _parse_rule({**rule, "pattern": "ad(?!.*(?&speech))"}, "xx", "x.toml", fragments)
    long = _parse_rule({**rule, "pattern": r"ad(?!.*(?:,\s*\w+ (?:said|told)))"}, "xx", "x.toml")
    assert short.source == long.source
    assert short.pattern is not None and short.pattern.match("ad here")
    assert short.pattern.match("ad here, she said") is None
    with pytest.raises(RuleDataError, match=r"x\.toml: rule xx\.a\.c: \(\?&nope\) is not in \[define\]"):
        _parse_rule({"id": "xx.a.c", "category": "ad", "pattern": "(?&nope)"}, "xx", "x.toml", fragments)
    with pytest.raises(RuleDataError, match="nest deeper"):
        _parse_rule({"id": "xx.a.d", "category": "ad", "pattern": "(?&loop)"}, "xx", "x.toml", {"loop": "a(?&loop)"})
    with pytest.raises(RuleDataError, match=r"\[define\] must map names"):
        _fragments({"define": {"empty": ""}}, "x.toml")


def test_common_fragments_serve_every_file_and_a_files_own_win() -> None:
    from newsclean.rules import _file_fragments

    common = tomllib.loads(resources.files("newsclean.rules").joinpath("_common.toml").read_text(encoding="utf-8"))
    shared = common["define"]
    assert shared and _file_fragments("xx", {}, "x.toml") == shared
    own = _file_fragments("xx", {"define": {"photo_credit": "x", "mine": "y"}}, "x.toml")
    assert own["photo_credit"] == "x" and own["mine"] == "y"
    assert own.keys() >= shared.keys()
    assert _file_fragments("_common", common, "_common.toml") == shared


def test_template_rules_parse_with_its_fragments() -> None:
    from newsclean.rules import _fragments, _parse_rule

    data = tomllib.loads(resources.files("newsclean.rules").joinpath("TEMPLATE.toml").read_text(encoding="utf-8"))
    fragments = _fragments(data, "TEMPLATE.toml")
    rules = [_parse_rule(raw, "xx", "TEMPLATE.toml", fragments) for raw in data["rule"]]
    network = next(r for r in rules if r.id == "xx.subscribe.network")
    assert network.pattern is not None and network.pattern.match("follow us on instagram")


def test_prefix_prefilter_admits_every_example() -> None:
    """Line and start rules are only tried on lines whose first characters they can begin with
    (worked out by partial matching): no rule may be filtered out of its own examples."""
    from newsclean.segment import match_key

    book = rule_book(None)
    missed = []
    for groups in book.groups().values():
        for group in groups:
            if group.mode == "search":
                continue
            for rule in group.pattern_rules:
                for example in rule.examples_match:
                    key = match_key(example)
                    if key and rule.pattern.match(key) and rule not in group.starting_with(key):
                        missed.append((rule.id, example))
    assert missed == []


def test_no_pattern_needs_the_character_after_a_prefix() -> None:
    """Partial matching reads ``\\B`` at the end of a prefix as failed, which would hide a rule
    from lines it matches; the prefilter is sound because no rule or dateline uses it."""
    sources = [r.source for lang in LANGS for r in load_language(lang).rules]
    sources += [p.pattern for lang in LANGS for p in load_language(lang).datelines]
    assert [s for s in sources if "\\B" in s] == []


# The rule matcher's shortcuts (prefix prefilter, search phrases indexed by their longest token)
# against the plain computations they replace, on every corpus line, every rule example, and
# generated lines that put phrases among other words.
def _reference_phrases(group, line) -> list[str]:
    """Search phrases at every token of the line, leftmost first, longest first there."""
    from newsclean.rules import _TOKEN

    found = []
    for m in _TOKEN.finditer(line.norm):
        starting = [p for p in group.phrases if _TOKEN.match(p).group(0) == m.group(0)]
        found += [p for p in sorted(starting, key=len, reverse=True) if line.has(p, m.start()) and p not in found]
    return found


def _sample_keys() -> list[str]:
    from pathlib import Path

    from newsclean.segment import match_key

    texts = [p.read_text(encoding="utf-8") for p in Path(__file__).parents[1].glob("corpus/*/*/input.txt")]
    texts += [e for lang in LANGS for r in load_language(lang).rules for e in (*r.examples_match, *r.examples_no_match)]
    return sorted({match_key(line) for text in texts for line in text.splitlines()} - {""})


def _check_shortcuts(keys) -> None:
    from newsclean.rules import _LineKey

    book = rule_book(None)
    for group in (g for groups in book.groups().values() for g in groups):
        for key in keys:
            line = _LineKey(key)
            if group.mode == "search":
                assert group.phrases_in(line) == _reference_phrases(group, line), key
            else:
                every = [r.id for r in group.pattern_rules if r.pattern.match(key)]
                assert [r.id for r in group.starting_with(key) if r.pattern.match(key)] == every, key
            _check_gates(group, line)


def _check_gates(group, line) -> None:
    """A rule's gate (literals one of which every line it matches holds) must admit each line it
    matches."""
    for rule in group.pattern_rules:
        gate = gate_of(rule)
        if gate is not None and rule.pattern.search(line.key):
            assert any(literal in line.norm for literal in gate), (rule.id, line.key, gate)


def test_shortcuts_agree_with_plain_matching_on_real_lines() -> None:
    _check_shortcuts(_sample_keys())


def _phrase_pool(modes: tuple[str, ...] = ("line", "start", "search")) -> list[str]:
    book = rule_book(None)
    return sorted({p for gs in book.groups().values() for g in gs if g.mode in modes for p in g.phrases})


# A phrase with letters glued on either side ("un" + "subscribe") must not be found.
_GLUED_PHRASE = st.builds("".join, st.tuples(st.sampled_from(["", "", "x", "un", "ال"]), st.sampled_from(_phrase_pool(("search",))),
                                             st.sampled_from(["", "", "s", "x", ".", " x"])))
_FILLER = st.one_of(st.sampled_from(_phrase_pool()), st.sampled_from(["all", "the", "به", "در", "и", ",", "!", "x"]), st.text(max_size=6))


@given(st.lists(st.one_of(_GLUED_PHRASE, _FILLER), max_size=8), st.sampled_from(["", " ", "  ", ", "]))
def test_shortcuts_agree_with_plain_matching_on_generated_lines(parts: list[str], glue: str) -> None:
    from newsclean.segment import match_key

    key = match_key(glue.join(parts))
    if key:
        _check_shortcuts([key])


# Gates are literals in normalised (case-folded) form: the same lines in other cases, with
# Turkish dotted and dotless i swapped in, must pass them wherever their rules match.
_RECASED = (str.upper, str.lower, str.title, lambda t: t.replace("i", "İ"), lambda t: t.replace("I", "ı"))


@given(st.sampled_from(_sample_keys()), st.sampled_from(_RECASED))
def test_gates_admit_every_line_their_rules_match_in_any_case(key: str, recase) -> None:
    from newsclean.rules import _LineKey
    from newsclean.segment import match_key

    line = _LineKey(match_key(recase(key)) or key)
    for group in (g for groups in rule_book(None).groups().values() for g in groups):
        _check_gates(group, line)


def test_gates_admit_every_example_in_any_case() -> None:
    from newsclean.rules import _LineKey
    from newsclean.segment import match_key

    book = rule_book(None)
    rules = [r for gs in book.groups().values() for g in gs for r in g.pattern_rules if gate_of(r) is not None]
    missed = []
    for rule in rules:
        for example in rule.examples_match:
            for recase in (lambda t: t, *_RECASED):
                line = _LineKey(match_key(recase(example)))
                if rule.pattern.search(line.key) and not any(lit in line.norm for lit in gate_of(rule)):
                    missed.append((rule.id, recase(example)))
    assert missed == []
    # Most pattern rules have a gate: a reader that stopped understanding the rule files' syntax
    # would pass every test above by giving none.
    patterns = [r for gs in book.groups().values() for g in gs for r in g.pattern_rules]
    assert len(rules) >= 0.8 * len(patterns), f"{len(rules)} of {len(patterns)} pattern rules have a gate"


def test_prefix_prefilter_with_full_tables_still_admits_every_match(monkeypatch) -> None:
    """Once its tables are full, a prefilter hands out the candidates of a shorter prefix (or
    all items): never fewer than match."""
    import newsclean.rules as rules

    monkeypatch.setattr(rules, "PREFIXES_KEPT", 3)
    keys = _sample_keys()
    for group in (g for gs in rule_book(None).groups().values() for g in gs if g.mode != "search"):
        fresh = rules._ByPrefix(group.pattern_rules, rules._pattern_of)
        for key in keys:
            every = [r.id for r in group.pattern_rules if r.pattern.match(key)]
            assert [r.id for r in fresh(key) if r.pattern.match(key)] == every, key
        assert all(len(kept) <= 3 for kept in fresh._kept)


def test_a_rule_book_compiles_the_files_of_the_scripts_it_meets_only() -> None:
    from newsclean.rules import RuleBook

    book = RuleBook(("_common", "ru", "en", "ar"))
    assert book.match("Подписывайтесь на наш канал", ["Cyrillic"], 4, False).rule.id == "ru.subscribe.call"
    assert set(book._groups) == {"*", "Cyrillic"}
    assert book.match("Subscribe to our channel", ["Latin"], 4, False).rule.id == "en.subscribe.call"
    assert set(book._groups) == {"*", "Cyrillic", "Latin"}


def test_what_a_rule_book_reads_before_compiling_agrees_with_the_compiled_rules() -> None:
    book = rule_book(None)
    compiled = [load_language(code) for code in book.languages]
    assert book.max_words == max(r.max_words for d in compiled for r in d.rules)
    assert book.scripts == tuple(sorted({s for d in compiled for s in d.scripts if s != "*"}))
    assert book.datelines == tuple(p for d in compiled for p in d.datelines)


def test_one_post_compiles_only_the_rule_files_of_its_scripts() -> None:
    import subprocess
    import sys

    script = (
        "import newsclean\n"
        "from newsclean.rules import load_language\n"
        "r = newsclean.clean('Новости дня\\n\\nВ Москве прошёл саммит.\\n\\nПодписывайтесь на наш канал')\n"
        "assert r.removed[0].rule == 'ru.subscribe.call', r.removed\n"
        "print(load_language.cache_info().currsize)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["3"]  # _common, ru, uk: the Cyrillic files and the shared one
