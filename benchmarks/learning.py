"""Does learning a source's recurring lines help? Boilerplate and body line recall, with and without.

Usage: python benchmarks/learning.py [--gold PATH] [--grid]

The dev set is grouped by ``channel``; :class:`newsclean.learn.FeedCleaner` is fitted on all
items of the set (the two-pass ``--learn`` of the command line), then each item is cleaned with
its channel's profile. Line presence is judged by ``line_presence`` of the shared scorer
(``tools/score_lines.py`` next to the gold file's folder), so the figures agree with the
quality benchmark.

Two rule settings are shown: all rule files (the normal case; the dev set's recurring lines
are all known to the rule files, which were written against it), and each item cleaned without
its own language's rule file, which is what a source in a language no rule file covers gets;
that is where learning has to do the work. ``--grid`` also prints the figures for other thresholds (how the defaults
were chosen).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from newsclean.api import Cleaner
from newsclean.learn import MIN_ITEMS, MIN_SHARE, FeedCleaner
from newsclean.rules import available_languages, rule_book

DEFAULT_GOLD = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus_real" / "dev_gold.jsonl"


def load_scorer(gold: Path) -> ModuleType:
    """Import ``score_lines.py`` from the shared tools folder beside the corpus folder."""
    path = gold.resolve().parents[1] / "tools" / "score_lines.py"
    spec = importlib.util.spec_from_file_location("score_lines", path)
    if spec is None or spec.loader is None or not path.exists():
        raise SystemExit(f"learning.py: scorer not found at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


Figures = tuple[int, int, int, int]  # boilerplate removed, boilerplate total, body kept, body total


def recalls(gold: list[dict[str, Any]], clean: Callable[[dict[str, Any]], str], presence: Any) -> Figures:
    """(boilerplate removed, boilerplate total, body kept, body total) over the gold lines."""
    bp_removed = bp_total = body_kept = body_total = 0
    for g in gold:
        for line, present in zip(g["lines"], presence(g["lines"], clean(g)), strict=True):
            if present is None:
                continue
            if line["label"] == "boilerplate":
                bp_total += 1
                bp_removed += not present
            else:
                body_total += 1
                body_kept += present
    return bp_removed, bp_total, body_kept, body_total


def without_own_language(lang: str) -> Cleaner:
    """A cleaner with every rule file except ``lang``'s: a language no rule file covers yet."""
    cleaner = Cleaner()
    cleaner.book = rule_book(tuple(sorted(set(available_languages()) - {lang})))  # benchmark only
    return cleaner


def add(a: Figures, b: Figures) -> Figures:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3])


def row(name: str, figures: Figures) -> str:
    bp, bpt, body, bodyt = figures
    return (f"{name:<34} boilerplate recall {bp / bpt:.3f} ({bp}/{bpt})   "
            f"body recall {body / bodyt:.4f} ({body}/{bodyt})")


def evaluate(gold: list[dict[str, Any]], cleaner: Cleaner, presence: Any, min_items: int, min_share: float) -> Figures:
    learner = FeedCleaner(cleaner, min_items=min_items, min_share=min_share)
    learner.fit((g["channel"], g["text"]) for g in gold)
    return recalls(gold, lambda g: learner.clean(g["text"], group=g["channel"]).text, presence)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold JSONL (default: %(default)s)")
    ap.add_argument("--grid", action="store_true", help="also show other thresholds")
    args = ap.parse_args(argv)
    if not args.gold.exists():
        print(f"learning.py: no gold file at {args.gold}", file=sys.stderr)
        return 1
    gold = [json.loads(line) for line in args.gold.open(encoding="utf-8") if line.strip()]
    presence = load_scorer(args.gold).line_presence
    channels = len({g["channel"] for g in gold})
    print(f"{len(gold)} items, {channels} channels; thresholds min_items={MIN_ITEMS} min_share={MIN_SHARE}")
    langs = sorted({g["lang"] for g in gold})
    settings = {
        "all rule files": [(gold, Cleaner())],
        "each item's own language file left out": [
            ([g for g in gold if g["lang"] == lang], without_own_language(lang)) for lang in langs
        ],
    }
    for label, parts in settings.items():
        print(f"\n[{label}]")
        print(row("  without learning", _sum(recalls(p, lambda g, c=c: c.clean(g["text"]).text, presence)
                                             for p, c in parts)))
        print(row("  with learning", _sum(evaluate(p, c, presence, MIN_ITEMS, MIN_SHARE) for p, c in parts)))
        if args.grid:
            for min_items in (2, 3, 4):
                for min_share in (0.1, 0.3, 0.5, 0.7):
                    figures = _sum(evaluate(p, c, presence, min_items, min_share) for p, c in parts)
                    print(row(f"    min_items={min_items} min_share={min_share}", figures))
    return 0


def _sum(figures: Iterable[Figures]) -> Figures:
    total = (0, 0, 0, 0)
    for f in figures:
        total = add(total, f)
    return total


if __name__ == "__main__":
    sys.exit(main())
