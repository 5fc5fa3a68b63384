"""Fuzzing ``newsclean.clean`` (and ``newsclean.html.clean_html`` when present).

Usage::

    python -m benchmarks.fuzz [--seconds 300] [--engine atheris|hypothesis] [--json OUT]

Engine: atheris (coverage-guided libFuzzer, ``pip install atheris``) when it imports, else
hypothesis generating text for the same time. Atheris starts from the corpus inputs and a
dictionary of the tokens that matter to the cleaner (URL starts, Markdown, handles,
separators, bidi and joiner marks, phrases of several languages). Input bytes are decoded as
UTF-8 with ``surrogateescape``, so lone surrogates reach the cleaner as they would from bytes.

Each input is checked for (1) no exception at all from ``clean`` on a ``str`` (none is
documented for text input); ``clean_html`` may raise ``newsclean.InputError`` only;
(2) idempotence, ``clean(clean(x).text).text == clean(x).text``; (3) nothing invented: the
output's non-space characters are a subsequence of the input's; (4) honest accounting: every
removal's offsets point at its text, and the input minus the removed spans is the output (up
to white space). A failure is recorded once per signature and continues; at the end each is
shrunk (greedy deletion) to a minimal reproducer, printed as a Python literal. A hang is
caught by libFuzzer's ``-timeout`` (atheris) and reported with its input file.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import DEFAULT_CORPUS, REPO, RESULTS, load_corpus, machine_info, write_json

TOKENS = ["http://", "https://", "www.", "t.me/", "bit.ly/", "](", "[", "**", "__", "@", "#", "\n", "\n\n", "\r",
          "\r\n", "\u2028", "➖", "━", "* * *", "🔹", "\ufe0f", "\u200c", "\u200d", "\u200e", "\u200f", "\u202b",
          "\u0640", "\u064b", "\x00", "\u3000", "、", "。", "——", "・・・", "【", "】", "© ", "—", " - ", ": ",
          "Subscribe", "Read more:", "Related articles", "Читайте также:", "Подписаться", "اقرأ أيضا",
          "مواضيع ذات صلة", "相关阅读", "関連記事", "Advertisement", "Реклама", "By ", "(Reuters) -",
          "The post ", " appeared first on ", "@channel", "#tag", "👨\u200d👩\u200d👧", "🇺🇦"]


def _nonspace(s: str) -> str:
    return "".join(s.split())


def _subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


def _where(exc: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "newsclean" in f.filename]
    last = frames[-1] if frames else traceback.extract_tb(exc.__traceback__)[-1]
    return f"{type(exc).__name__} at {Path(last.filename).name}:{last.lineno} ({last.name})"


def check_clean(text: str) -> str | None:
    """The signature of the first property ``clean`` breaks on ``text``, or None."""
    import newsclean

    try:
        result = newsclean.clean(text)
        again = newsclean.clean(result.text)
    except Exception as exc:  # any exception on a str is a finding
        return f"clean raised {_where(exc)}"
    if again.text != result.text:
        return "clean is not idempotent"
    if not _subsequence(_nonspace(result.text), _nonspace(text)):
        return "clean invents characters"
    if any(text[r.start : r.end] != r.text for r in result.removed):
        return "a removal's offsets do not point at its text"
    keep = list(text)
    for r in result.removed:
        keep[r.start : r.end] = " " * (r.end - r.start)
    if _nonspace("".join(keep)) != _nonspace(result.text):
        return "input minus removed spans is not the output"
    return None


def check_html(text: str) -> str | None:
    try:
        from newsclean.html import clean_html
    except ImportError:
        return None
    from newsclean import InputError, clean

    try:
        result = clean_html(text)
    except InputError:
        return None
    except Exception as exc:
        return f"clean_html raised {_where(exc)}"
    if clean(result.text).text != clean(clean(result.text).text).text:
        return "clean of clean_html output is not idempotent"
    return None


def check(text: str) -> str | None:
    return check_clean(text) or check_html(text)


def _ddmin(units: list[str], join: Callable[[list[str]], str], fails: Callable[[str], bool], deadline: float) -> list[str]:
    """Drop chunks of ``units``, halving the chunk size, while the failure stays."""
    chunk = max(1, len(units) // 2)
    while chunk >= 1 and time.monotonic() < deadline:
        i, shrunk = 0, False
        while i < len(units) and time.monotonic() < deadline:
            candidate = units[:i] + units[i + chunk :]
            if candidate and fails(join(candidate)):
                units, shrunk = candidate, True
            else:
                i += chunk
        if not shrunk:
            chunk //= 2
    return units


def minimize(text: str, signature: str, test: Callable[[str], str | None] = check, budget: float = 120.0) -> str:
    """A smaller input with the same failure: whole lines dropped first, then characters."""
    deadline = time.monotonic() + budget

    def fails(candidate: str) -> bool:
        return test(candidate) == signature

    text = "\n".join(_ddmin(text.split("\n"), "\n".join, fails, deadline))
    return "".join(_ddmin(list(text), "".join, fails, deadline))


# ------------------------------------------------------------------ engines
def run_atheris(seconds: float, findings: Path, workdir: Path) -> None:
    """Child process: coverage-guided fuzzing; new failure signatures appended to ``findings``."""
    import atheris

    with atheris.instrument_imports():
        import newsclean  # noqa: F401

        try:
            import newsclean.html  # noqa: F401  (fuzzed when present)
        except ImportError:
            pass
    seen: set[str] = set()

    def one_input(data: bytes) -> None:
        text = data.decode("utf-8", "surrogateescape")
        signature = check(text)
        if signature and signature not in seen:
            seen.add(signature)
            with open(findings, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"signature": signature, "input": text}, ensure_ascii=True) + "\n")

    seeds = workdir / "seeds"
    seeds.mkdir(exist_ok=True)
    for i, case in enumerate(load_corpus(DEFAULT_CORPUS)):
        (seeds / f"case{i}").write_bytes(case.text.encode("utf-8"))
    dictionary = workdir / "tokens.dict"
    dictionary.write_text("".join(_dict_entry(t) + "\n" for t in TOKENS), encoding="ascii")
    args = [sys.argv[0], f"-max_total_time={int(seconds)}", "-max_len=8192", "-timeout=30", "-rss_limit_mb=4096",
            f"-dict={dictionary}", f"-artifact_prefix={workdir}/", "-print_final_stats=1", str(workdir / "live"),
            str(seeds)]
    (workdir / "live").mkdir(exist_ok=True)
    atheris.Setup(args, one_input)
    atheris.Fuzz()


def _dict_entry(token: str) -> str:
    """A libFuzzer dictionary line: the UTF-8 bytes, quoted, non-printables as \\xNN."""
    return '"' + "".join(chr(c) if 32 <= c < 127 and c not in (34, 92) else f"\\x{c:02X}"
                         for c in token.encode("utf-8")) + '"'


def run_hypothesis(seconds: float, findings: Path) -> int:
    """Generated text for ``seconds``; returns how many inputs were tried."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    pieces = st.one_of(st.text(max_size=60), st.sampled_from(TOKENS),
                       st.sampled_from([c.text for c in load_corpus(DEFAULT_CORPUS)] or [""]))
    seen: set[str] = set()
    tried = [0]

    @settings(max_examples=2000, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(pieces, max_size=40).map("".join))
    def one(text: str) -> None:
        tried[0] += 1
        signature = check(text)
        if signature and signature not in seen:
            seen.add(signature)
            with open(findings, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"signature": signature, "input": text}, ensure_ascii=True) + "\n")

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        one()
    return tried[0]


def fuzz(engine: str, seconds: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        findings = workdir / "findings.jsonl"
        findings.touch()
        start = time.monotonic()
        info: dict[str, Any] = {"engine": engine, "seconds": seconds}
        if engine == "atheris":
            proc = subprocess.run([sys.executable, "-m", "benchmarks.fuzz", "--atheris-child", str(seconds), str(workdir)],
                                  cwd=REPO, capture_output=True, text=True, errors="replace")
            stats = [line for line in proc.stderr.splitlines() if line.startswith(("stat::", "Done", "#"))]
            info["libfuzzer"] = stats[-8:] or proc.stderr.splitlines()[-5:]
            info["exit"] = proc.returncode
            info["artifacts"] = [{"file": p.name, "input": p.read_bytes().decode("utf-8", "surrogateescape")[:2000]}
                                 for p in workdir.glob("*-*") if p.name.startswith(("crash", "timeout", "oom", "slow"))]
        else:
            info["inputs"] = run_hypothesis(seconds, findings)
        info["wall_seconds"] = time.monotonic() - start
        raw = [json.loads(line) for line in findings.read_text(encoding="utf-8").splitlines()]
    info["findings"] = [{"signature": f["signature"], "reproducer": minimize(f["input"], f["signature"])} for f in raw]
    return info


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=300.0, help="how long to fuzz (default: %(default)s)")
    ap.add_argument("--engine", choices=["atheris", "hypothesis"], help="default: atheris if it imports")
    ap.add_argument("--json", type=Path, default=RESULTS / "fuzz.json", metavar="OUT")
    ap.add_argument("--atheris-child", nargs=2, metavar=("SECONDS", "DIR"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.atheris_child:
        run_atheris(float(args.atheris_child[0]), Path(args.atheris_child[1]) / "findings.jsonl",
                    Path(args.atheris_child[1]))
        return 0
    engine = args.engine
    if engine is None:
        try:
            import atheris  # noqa: F401

            engine = "atheris"
        except ImportError:
            engine = "hypothesis"
    info = fuzz(engine, args.seconds)
    print(f"engine {engine}, {args.seconds:g} s; " + "; ".join(info.get("libfuzzer", [])[-3:]))
    for f in info["findings"]:
        print(f"FINDING: {f['signature']}\n  reproducer: {f['reproducer']!r}")
    for a in info.get("artifacts", []):
        print(f"ARTIFACT {a['file']}: {a['input'][:200]!r}")
    if not info["findings"] and not info.get("artifacts"):
        print("no findings")
    write_json(args.json, {"machine": machine_info(), **info}, ascii_only=True)  # inputs may hold lone surrogates
    return 0


if __name__ == "__main__":
    sys.exit(main())
