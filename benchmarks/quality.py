"""Quality benchmark: how well newsclean separates article lines from boilerplate.

Usage::

    python -m benchmarks.quality [--gold PATH] [--corpus DIR] [--json OUT] [--errors]

Scores newsclean on a line-labelled gold JSONL file (format of
``../shared/corpus_real/dev_gold.jsonl``, rules in its LABELLING.md) and on ``corpus/``.

The metrics are those of the reference scorer ``../shared/tools/score_lines.py``, reimplemented
here line for line so this file runs without ``../shared`` (tests/test_quality_bench.py checks
that both give the same figures on the same outputs):

* a gold line is *present* in the output when its word tokens (URLs, @handles and Markdown link
  targets dropped) occur as a contiguous run of the output's tokens; a line of more than four
  tokens also counts when a contiguous run covers 60% of it (so an inline cut does not count as
  removing the line); a hashtag row when half its tags occur; a line without word tokens when
  it occurs as a whole output line (count-aware). Blank lines are ignored.
* boilerplate P/R/F1: positive class = a boilerplate line removed; a body or title line that
  disappears is a false positive. ``body_R`` = share of body and title lines kept.
* ``EM``: ``Result.body`` equals ``gold_body`` after white-space normalisation; ``EM_T``:
  ``Result.text`` equals ``gold_title + gold_body``. tokF1 likewise (bag of ``\\w+`` tokens).
  Line metrics are taken on ``Result.text`` (title and body).
* docs/s: documents per CPU second of cleaning only (rules compiled before timing starts; CPU
  time of this process, so other load on the machine does not distort it).

Corpus labels are derived from ``expected.txt``: an input line is *body* when it is present
(by the same test) in ``expected.txt``, otherwise *boilerplate*. So a corpus line counts as body
exactly when its cleaned form made it into the expected output.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import difflib
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import regex

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    DEFAULT_CORPUS, DEFAULT_GOLD, Case, load_corpus, load_gold, machine_info, markdown_table, write_json,
)

# ------------------------------------------------------------ metrics (as score_lines.py)
WORD = regex.compile(r"\w+")
URLISH = regex.compile(r"\[([^\]\n]*)\]\((?:https?|tg)://[^)\s]+\)|(?:https?://|www\.)\S+|"
                       r"(?<![\w/])(?:t\.me|ble\.ir|bit\.ly|cnn\.it|ptv\.io|pic\.twitter\.com)/\S+|(?<!\w)@\w+")
HASHTAG_ROW = regex.compile(r"^[\s\p{So}\p{P}\uFE0F]*(?:#[\w\u200c]+[\s,.;\p{So}\uFE0F]*)+$")
HASHTAG = regex.compile(r"#[\w\u200c]+")
SPACES = regex.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
SHORT_LINE_TOKENS = 4  # lines this short must occur whole
RUN_SHARE = 0.6  # longer lines: share of tokens a contiguous run must cover
TARGETS = {"f1": 0.95, "body_recall": 0.995}


def tokens(text: str) -> list[str]:
    return [t.casefold() for t in WORD.findall(text)]


def _strip_links(text: str) -> str:
    return URLISH.sub(lambda m: m.group(1) or " ", text)


def norm_text(text: str | None) -> str:
    """Each line stripped with space runs collapsed, blank lines dropped."""
    lines = (SPACES.sub(" ", line).strip() for line in (text or "").splitlines())
    return "\n".join(line for line in lines if line)


def bag_f1(pred: str, gold: str) -> float:
    p, g = collections.Counter(tokens(pred)), collections.Counter(tokens(gold))
    if not p and not g:
        return 1.0
    common = sum((p & g).values())
    if not p or not g or common == 0:
        return 0.0
    prec, rec = common / sum(p.values()), common / sum(g.values())
    return 2 * prec * rec / (prec + rec)


def _contains_run(hay: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(hay[i] == needle[0] and hay[i:i + n] == needle for i in range(len(hay) - n + 1))


def _run_present(out_tokens: list[str], core: list[str]) -> bool:
    if _contains_run(out_tokens, core):
        return True
    if len(core) <= SHORT_LINE_TOKENS or not out_tokens:
        return False
    m = difflib.SequenceMatcher(None, core, out_tokens, autojunk=False).find_longest_match(
        0, len(core), 0, len(out_tokens))
    return m.size >= RUN_SHARE * len(core)


def line_presence(lines: Sequence[str], output: str) -> list[bool | None]:
    """For each gold line: whether it appears in ``output``; None for a blank line."""
    out_tokens = tokens(_strip_links(output))
    out_low = output.casefold()
    out_lines = collections.Counter(SPACES.sub(" ", o).strip() for o in output.splitlines() if o.strip())
    found: list[bool | None] = []
    for line in lines:
        if not line.strip():
            found.append(None)
            continue
        core = tokens(_strip_links(line))
        if core and HASHTAG_ROW.match(line):
            tags = HASHTAG.findall(line)
            found.append(sum(t.casefold() in out_low for t in tags) * 2 >= len(tags))
        elif core:
            found.append(_run_present(out_tokens, core))
        else:
            key = SPACES.sub(" ", line).strip()
            found.append(out_lines[key] > 0)
            if out_lines[key] > 0:
                out_lines[key] -= 1
    return found


@dataclasses.dataclass(frozen=True, slots=True)
class DocScore:
    """One document's line counts (tp = boilerplate removed, fp = body lost) and matches."""

    id: str
    lang: str
    tp: int
    fp: int
    fn: int
    tn: int
    tok_f1: float
    tok_f1_t: float
    em: bool
    em_t: bool
    seconds: float
    missed: tuple[tuple[str, str], ...]  # (kind, line) boilerplate left in
    lost: tuple[str, ...]  # body or title lines removed


def score_doc(record: dict[str, Any], text_out: str, body_out: str, seconds: float = 0.0) -> DocScore:
    """Score one gold record: line metrics on ``text_out``, EM/tokF1 on ``body_out``,
    EM_T/tokF1_T on ``text_out`` against title + body."""
    lines = [line["text"] for line in record["lines"]]
    counts = collections.Counter()
    missed, lost = [], []
    for line, present in zip(record["lines"], line_presence(lines, text_out)):
        if present is None:
            continue
        boiler = line["label"] == "boilerplate"
        counts[("fn" if present else "tp") if boiler else ("tn" if present else "fp")] += 1
        if boiler and present:
            missed.append((line.get("kind") or "other", line["text"]))
        elif not boiler and not present:
            lost.append(line["text"])
    gold_t = ((record.get("gold_title") or "") + "\n" + record["gold_body"]).strip()
    return DocScore(
        str(record.get("id", "?")), str(record.get("lang") or "?"),
        counts["tp"], counts["fp"], counts["fn"], counts["tn"],
        bag_f1(body_out, record["gold_body"]), bag_f1(text_out, gold_t),
        norm_text(body_out) == norm_text(record["gold_body"]), norm_text(text_out) == norm_text(gold_t),
        seconds, tuple(missed), tuple(lost),
    )


@dataclasses.dataclass(frozen=True, slots=True)
class Row:
    """Aggregated figures for a set of documents (micro-averaged line counts)."""

    docs: int
    precision: float
    recall: float
    f1: float
    body_recall: float
    tok_f1: float
    tok_f1_t: float
    em: float
    em_t: float
    docs_per_s: float


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def summarise(scores: Sequence[DocScore]) -> Row:
    tp, fp, fn, tn = (sum(getattr(s, k) for s in scores) for k in ("tp", "fp", "fn", "tn"))
    p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    n, secs = len(scores), sum(s.seconds for s in scores)
    return Row(
        n, p, r, _ratio(2 * p * r, p + r), _ratio(tn, tn + fp),
        _ratio(sum(s.tok_f1 for s in scores), n), _ratio(sum(s.tok_f1_t for s in scores), n),
        _ratio(sum(s.em for s in scores), n), _ratio(sum(s.em_t for s in scores), n),
        n / secs if secs else float("inf"),
    )


def by_language(scores: Sequence[DocScore]) -> dict[str, Row]:
    """``ALL`` first, then one row per language."""
    langs = sorted({s.lang for s in scores})
    return {"ALL": summarise(scores), **{lang: summarise([s for s in scores if s.lang == lang]) for lang in langs}}


def kind_recall(scores: Sequence[DocScore], records: Sequence[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    """Per boilerplate kind: (lines removed, lines in gold)."""
    total = collections.Counter(line.get("kind") or "other" for rec in records for line in rec["lines"]
                                if line["label"] == "boilerplate" and line["text"].strip())
    left = collections.Counter(kind for s in scores for kind, _ in s.missed)
    return {k: (total[k] - left[k], total[k]) for k, _ in total.most_common()}


# ------------------------------------------------------------ corpus as gold records
def corpus_record(case: Case) -> dict[str, Any]:
    """A corpus case in gold format; a line is body when it is present in expected.txt."""
    lines = case.text.splitlines()
    labels = ["body" if p is None or p else "boilerplate" for p in line_presence(lines, case.expected)]
    body = case.expected
    if case.title and body.startswith(case.title):
        body = body[len(case.title):].lstrip("\n")
    return {"id": case.name, "lang": case.lang, "text": case.text, "gold_body": body, "gold_title": case.title,
            "lines": [{"text": t, "label": lab, "kind": None} for t, lab in zip(lines, labels)]}


# ------------------------------------------------------------ running
def run(records: Sequence[dict[str, Any]], clean: Callable[[str, str | None], Any]) -> list[DocScore]:
    clean("Warm-up headline\n\nA sentence to compile the rules.\n\n➖➖➖", None)
    scores = []
    for rec in records:
        start = time.process_time()
        result = clean(rec["text"], rec.get("lang"))
        seconds = time.process_time() - start
        scores.append(score_doc(rec, result.text, result.body, seconds))
    return scores


def make_cleaner(lang_from_gold: bool) -> Callable[[str, str | None], Any]:
    import newsclean

    auto = newsclean.Cleaner()
    per_lang = {code: newsclean.Cleaner(lang=code) for code in newsclean.available_languages()}
    if not lang_from_gold:
        return lambda text, lang: auto.clean(text)
    return lambda text, lang: per_lang.get(lang or "", auto).clean(text)


def format_rows(rows: dict[str, Row]) -> str:
    header = ["lang", "docs", "bp_P", "bp_R", "bp_F1", "body_R", "tokF1", "tokF1_T", "EM", "EM_T", "docs/s"]
    body = [[k, str(r.docs), *(f"{v:.3f}" for v in (r.precision, r.recall, r.f1)), f"{r.body_recall:.4f}",
             *(f"{v:.3f}" for v in (r.tok_f1, r.tok_f1_t, r.em, r.em_t)), f"{r.docs_per_s:.0f}"]
            for k, r in rows.items()]
    return markdown_table(header, body)


def report(name: str, records: list[dict[str, Any]], scores: list[DocScore], errors: bool) -> dict[str, Any]:
    rows = by_language(scores)
    kinds = kind_recall(scores, records)
    print(f"\n## {name}\n\n{format_rows(rows)}\n")
    print("removed / total by kind: " + ", ".join(f"{k} {a}/{b}" for k, (a, b) in kinds.items()))
    if errors:
        for s in scores:
            for kind, text in s.missed:
                print(f"  kept boilerplate [{s.id}] ({kind}): {text[:120]!r}")
            for text in s.lost:
                print(f"  LOST body        [{s.id}]: {text[:120]!r}")
    return {"rows": {k: dataclasses.asdict(r) for k, r in rows.items()},
            "kinds": {k: list(v) for k, v in kinds.items()}}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold JSONL (default: %(default)s)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder (default: %(default)s)")
    ap.add_argument("--json", type=Path, metavar="OUT", help="write the figures as JSON here")
    ap.add_argument("--lang-from-gold", action="store_true", help="pass each record's lang (default: detect)")
    ap.add_argument("--errors", action="store_true", help="list every kept boilerplate and lost body line")
    args = ap.parse_args(argv)
    clean = make_cleaner(args.lang_from_gold)
    out: dict[str, Any] = {"machine": machine_info(), "lang_from_gold": args.lang_from_gold}
    if args.gold.is_file():
        gold = load_gold(args.gold)
        out["gold"] = {"path": str(args.gold), **report(f"gold: {args.gold}", gold, run(gold, clean), args.errors)}
        row = out["gold"]["rows"]["ALL"]
        ok = row["f1"] >= TARGETS["f1"] and row["body_recall"] >= TARGETS["body_recall"]
        print(f"targets: bp_F1 >= {TARGETS['f1']} (got {row['f1']:.3f}), body_R >= {TARGETS['body_recall']} "
              f"(got {row['body_recall']:.4f}): {'MET' if ok else 'NOT MET'}")
    else:
        print(f"gold file {args.gold} not found: skipped")
    cases = load_corpus(args.corpus) if args.corpus.is_dir() else []
    if cases:
        records = [corpus_record(c) for c in cases]
        out["corpus"] = {"path": str(args.corpus), **report(f"corpus: {args.corpus}", records,
                                                              run(records, clean), args.errors)}
    else:
        print(f"no corpus cases under {args.corpus}: skipped")
    if args.json:
        write_json(args.json, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
