"""The data-driven corpus: every case under corpus/ cleans to its expected text and metadata."""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path

import pytest

import newsclean

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
CASES = sorted(p.parent for p in CORPUS.glob("*/*/case.toml"))


def _load(case: Path) -> tuple[str, str, dict]:
    raw = (case / "input.txt").read_text(encoding="utf-8")
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    if expected.endswith("\n"):
        expected = expected[:-1]
    meta = tomllib.loads((case / "case.toml").read_text(encoding="utf-8"))
    return raw, expected, meta


def _params():
    for case in CASES:
        meta = tomllib.loads((case / "case.toml").read_text(encoding="utf-8"))
        marks = []
        if meta.get("expect") == "xfail":
            marks.append(pytest.mark.xfail(strict=True, reason=meta["reason"]))
        yield pytest.param(case, id=f"{case.parent.name}/{case.name}", marks=marks)


def _nonspace(s: str) -> str:
    return "".join(s.split())


@pytest.mark.parametrize("case", list(_params()))
def test_case(case: Path) -> None:
    raw, expected, meta = _load(case)
    result = newsclean.clean(raw)
    if result.text != expected:
        diff = "\n".join(difflib.unified_diff(expected.splitlines(), result.text.splitlines(),
                                              "expected.txt", "newsclean", lineterm=""))
        pytest.fail(f"{case.relative_to(CORPUS.parent)}: text differs\n{diff}\n\n{result.explain()}")
    want = meta.get("expected", {})
    where = case.relative_to(CORPUS.parent)
    if "title" in want:
        assert (result.title or "") == want["title"], f"{where}: title"
    if "language" in want:
        assert result.language == want["language"], f"{where}: language"
    if "links" in want:
        assert [link.url for link in result.links] == want["links"], f"{where}: links"
    if "removed" in want:
        got = sorted({r.category.value for r in result.removed})
        assert got == sorted(set(want["removed"])), f"{where}: removed categories\n{result.explain()}"
    for field in ("dateline", "byline", "source"):
        if field in want:
            assert getattr(result, field) == want[field], f"{where}: {field}"
    # The language guess names categories; it never decides what goes.
    blind = newsclean.clean(raw, options=newsclean.Options(detect_language=False))
    assert blind.text == result.text, f"{where}: text depends on the detected language"
    # Idempotent, and nothing invented: the output's characters are the input's, in order.
    assert newsclean.clean(result.text).text == result.text, f"{where}: not idempotent"
    kept = iter(_nonspace(raw))
    assert all(ch in kept for ch in _nonspace(result.text)), f"{where}: output has characters not in the input"


def test_corpus_shape() -> None:
    """The corpus keeps its promises: enough cases, clean ones and near-misses among them."""
    metas = [tomllib.loads((c / "case.toml").read_text(encoding="utf-8")) for c in CASES]
    assert len(metas) >= 10
    tags = [set(m.get("tags", ())) for m in metas]
    assert sum("no-boilerplate" in t for t in tags) >= 0.2 * len(metas)
    assert sum("near-miss" in t for t in tags) >= 0.25 * len(metas)
    for lang in newsclean.available_languages():
        assert (CORPUS / lang).is_dir(), f"language {lang} has a rule file but no corpus cases"
