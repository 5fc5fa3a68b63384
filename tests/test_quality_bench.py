"""The quality benchmark's metrics: hand-made gold records, and agreement with the reference
scorer ../shared/tools/score_lines.py on the dev set when ../shared is present."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import newsclean
from benchmarks.common import Case
from benchmarks.quality import (
    bag_f1, by_language, corpus_record, line_presence, norm_text, score_doc, summarise,
)

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
REFERENCE = SHARED / "tools" / "score_lines.py"
DEV_GOLD = SHARED / "corpus_real" / "dev_gold.jsonl"


def _record(lines: list[tuple[str, str]], body: str, title: str = "", lang: str = "en") -> dict:
    return {"id": "x", "lang": lang, "text": "\n".join(t for t, _ in lines), "gold_body": body, "gold_title": title,
            "lines": [{"text": t, "label": lab, "kind": "separator" if lab == "boilerplate" else None}
                      for t, lab in lines]}


POST = [("Storm hits coast", "title"), ("", "body"), ("Waves rose overnight, officials said.", "body"),
        ("➖➖➖", "boilerplate"), ("Subscribe to our channel", "boilerplate")]


def test_perfect_clean_scores_one() -> None:
    rec = _record(POST, "Waves rose overnight, officials said.", "Storm hits coast")
    s = score_doc(rec, "Storm hits coast\n\nWaves rose overnight, officials said.", "Waves rose overnight, officials said.")
    assert (s.tp, s.fp, s.fn, s.tn) == (2, 0, 0, 2)
    assert s.em and s.em_t and s.tok_f1 == 1.0
    row = summarise([s])
    assert (row.precision, row.recall, row.f1, row.body_recall) == (1.0, 1.0, 1.0, 1.0)


def test_lost_body_line_is_a_false_positive_and_kept_boilerplate_a_miss() -> None:
    rec = _record(POST, "Waves rose overnight, officials said.", "Storm hits coast")
    s = score_doc(rec, "Storm hits coast\n➖➖➖", "")
    assert (s.tp, s.fp, s.fn, s.tn) == (1, 1, 1, 1)
    assert s.lost == ("Waves rose overnight, officials said.",) and s.missed == (("separator", "➖➖➖"),)
    row = summarise([s])
    assert row.precision == 0.5 and row.recall == 0.5 and row.body_recall == 0.5 and row.em == 0.0


def test_symbol_lines_are_matched_whole_and_counted() -> None:
    assert line_presence(["➖➖", "➖➖", "", "🔥"], "text\n➖➖\n") == [True, False, None, False]


def test_long_line_with_an_inline_cut_is_still_present() -> None:
    line = "The minister said on Monday that talks would resume https://example.com/x next week in Geneva"
    assert line_presence([line], "The minister said on Monday that talks would resume next week") == [True]
    assert line_presence(["Talks resume in Geneva"], "Talks resume") == [False]  # short lines occur whole


def test_links_handles_and_hashtag_rows() -> None:
    assert line_presence(["[Подписаться](https://t.me/x) @chan"], "Подписаться") == [True]
    assert line_presence(["#a #b #c #d"], "text #a #b") == [True]
    assert line_presence(["#a #b #c #d"], "text #a") == [False]


def test_norm_text_and_bag_f1() -> None:
    assert norm_text("  a   b \n\n\n c\t") == "a b\nc"
    assert bag_f1("", "") == 1.0 and bag_f1("a", "") == 0.0
    assert bag_f1("a b", "a c") == pytest.approx(0.5)


def test_per_language_rows_and_all_first() -> None:
    en = score_doc(_record(POST, "x"), "Storm hits coast\n\nWaves rose overnight, officials said.", "x")
    ru = score_doc(_record([("Текст новости.", "body")], "Текст новости.", lang="ru"), "", "")
    rows = by_language([en, ru])
    assert list(rows) == ["ALL", "en", "ru"]
    assert rows["ru"].body_recall == 0.0 and rows["en"].body_recall == 1.0 and rows["ALL"].docs == 2


def test_corpus_labels_come_from_expected_text() -> None:
    case = Case("en/001", "en", "Storm hits coast\n\nWaves rose, officials said https://a.org/x\n➖➖\nFollow us",
                "Storm hits coast\n\nWaves rose, officials said", "Storm hits coast")
    rec = corpus_record(case)
    assert [line["label"] for line in rec["lines"]] == ["body", "body", "body", "boilerplate", "boilerplate"]
    assert rec["gold_body"] == "Waves rose, officials said" and rec["gold_title"] == "Storm hits coast"


def _reference():
    if not REFERENCE.is_file() or not DEV_GOLD.is_file():
        pytest.skip("../shared (reference scorer and dev set) is not present")
    spec = importlib.util.spec_from_file_location("score_lines_reference", REFERENCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_agrees_with_the_reference_scorer_on_the_dev_set() -> None:
    ref = _reference()
    from benchmarks.common import load_gold

    gold = load_gold(DEV_GOLD)
    outputs = {g["id"]: newsclean.clean(g["text"]).text for g in gold}
    for g in gold:
        out = outputs[g["id"]]
        assert line_presence([line["text"] for line in g["lines"]], out) == ref.line_presence(g["lines"], out), g["id"]
    accs, _, _ = ref.evaluate(gold, lambda text, lang: outputs[next(g["id"] for g in gold if g["text"] == text)])
    mine = by_language([score_doc(g, outputs[g["id"]], outputs[g["id"]]) for g in gold])
    for lang, acc in accs.items():
        want, got = acc.row(), mine[lang]
        pairs = [(want["line_P"], got.precision), (want["line_R"], got.recall), (want["line_F1"], got.f1),
                 (want["content_kept"], got.body_recall), (want["tokF1"], got.tok_f1),
                 (want["tokF1_T"], got.tok_f1_t), (want["EM"], got.em), (want["EM_T"], got.em_t)]
        assert [round(a, 12) for a, _ in pairs] == [round(b, 12) for _, b in pairs], lang
