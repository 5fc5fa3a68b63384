"""Streams on the command line: one record out per record in, in order, in parallel too."""

from __future__ import annotations

import io
import json
import sys

import pytest

from newsclean.cli import main

POST = "Storm hits coast\n\nWaves rose overnight, officials said.\n\nSubscribe to our channel"
CLEAN = "Storm hits coast\n\nWaves rose overnight, officials said."


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)

    def close(self) -> None:  # multiprocessing closes stdin in a new worker
        pass


def _run(monkeypatch, capsys, argv, data: bytes = b""):
    monkeypatch.setattr(sys, "stdin", _Stdin(data))
    code = main(argv)
    got = capsys.readouterr()
    return code, got.out, got.err


def _jsonl(*records) -> bytes:
    lines = (r if isinstance(r, bytes) else json.dumps(r, ensure_ascii=False).encode() for r in records)
    return b"".join(line + b"\n" for line in lines)


MIXED = _jsonl(
    {"id": 1, "text": POST},
    b"not json",
    b"",  # blank: skipped
    {"id": 3},
    {"id": 4, "text": 7},
    b"[1, 2]",
    b'{"id": 6, "text": "\xff\xfe"}',
    b'{"id": 7, "text": NaN}',
    {"id": 8, "text": "Second story body."},
)


def test_one_record_out_per_record_in_and_in_order(monkeypatch, capsys) -> None:
    code, out, err = _run(monkeypatch, capsys, ["--jsonl"], MIXED)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert len(rows) == 8  # nine lines, one blank
    assert rows[0]["id"] == 1 and rows[0]["clean_text"] == CLEAN and "error" not in rows[0]
    assert rows[1] == {"error": rows[1]["error"], "line": 2, "raw": "not json"}
    assert rows[1]["error"].startswith("invalid JSON")
    assert rows[2] == {"id": 3, "error": "no field 'text'"}
    assert rows[3] == {"id": 4, "text": 7, "error": "field 'text' is not a string"}
    assert (rows[4]["line"], rows[4]["raw"]) == (6, "[1, 2]")
    assert rows[5]["line"] == 7 and rows[5]["error"].startswith("not valid UTF-8")
    assert rows[6]["line"] == 8 and "NaN" in rows[6]["error"]
    assert rows[7]["clean_text"] == "Second story body."
    lines = err.splitlines()
    assert [line.split(":")[2] for line in lines[:-1]] == ["2", "4", "5", "6", "7", "8"]
    assert all(line.startswith("newsclean: <stdin>:") for line in lines[:-1])
    assert lines[-1] == "newsclean: 8 records in, 8 out, 6 errors, 1 line removed (0 recurring)"


def test_metadata_shape(monkeypatch, capsys) -> None:
    _, out, _ = _run(monkeypatch, capsys, ["--jsonl", "--quiet"], _jsonl({"text": POST}))
    meta = json.loads(out)["newsclean"]
    assert set(meta) == {"title", "body", "language", "dateline", "byline", "source", "links", "removed", "extra"}
    assert meta["title"] == "Storm hits coast"
    assert [r["category"] for r in meta["removed"]] == ["subscribe"]


def test_field_options(monkeypatch, capsys) -> None:
    argv = ["--jsonl", "--field", "body", "--out-field", "cleaned", "--meta-field", "meta", "--quiet"]
    code, out, _ = _run(monkeypatch, capsys, argv, _jsonl({"body": POST, "text": "untouched"}))
    row = json.loads(out)
    assert code == 0
    assert (row["text"], row["body"], row["cleaned"]) == ("untouched", POST, CLEAN)
    assert "meta" in row and "newsclean" not in row and "clean_text" not in row


def test_html_field(monkeypatch, capsys) -> None:
    pytest.importorskip("newsclean.html", reason="the HTML front end is not in this tree")
    html = ("<html><body><article><h1>Storm hits coast</h1><p>Waves rose overnight, officials said.</p>"
            "</article></body></html>")
    code, out, err = _run(monkeypatch, capsys, ["--jsonl", "--html-field", "html", "--quiet"], _jsonl({"html": html}))
    assert code == 0, err
    assert "Waves rose overnight, officials said." in json.loads(out)["clean_text"]


def test_quiet_and_strict(monkeypatch, capsys) -> None:
    data = _jsonl({"text": POST}, b"oops")
    code, _, err = _run(monkeypatch, capsys, ["--jsonl", "--quiet"], data)
    assert code == 0 and err.count("\n") == 1 and "invalid JSON" in err  # the error, no summary
    code, out, _ = _run(monkeypatch, capsys, ["--jsonl", "--strict", "--quiet"], data)
    assert code == 1 and len(out.splitlines()) == 2  # strict still writes every record
    code, _, _ = _run(monkeypatch, capsys, ["--jsonl", "--strict", "--quiet"], _jsonl({"text": POST}))
    assert code == 0


def test_missing_file_is_reported_and_the_others_are_cleaned(tmp_path, monkeypatch, capsys) -> None:
    good = tmp_path / "good.jsonl"
    good.write_bytes(_jsonl({"text": POST}))
    code, out, err = _run(monkeypatch, capsys, ["--jsonl", "--quiet", str(tmp_path / "nope.jsonl"), str(good)])
    assert code == 1
    assert err == f"newsclean: error: {tmp_path / 'nope.jsonl'}: no such file\n"
    assert json.loads(out)["clean_text"] == CLEAN


def test_lone_surrogate_is_written_as_valid_json(monkeypatch, capsys) -> None:
    code, out, _ = _run(monkeypatch, capsys, ["--jsonl", "--quiet"], b'{"text": "Body \\ud800 text."}\n')
    assert code == 0
    assert json.loads(out)["text"] == "Body \ud800 text."


@pytest.mark.parametrize("encoding", [None, "utf-8", "utf-16"])
def test_output_is_the_same_through_any_text_file(monkeypatch, encoding) -> None:
    # Chunks go to the binary layer of a UTF-8 file as they are; any other text file
    # (no binary layer, another encoding) gets them decoded, the same lines.
    from newsclean.cli import create_parser
    from newsclean.stream import run_cli

    data = MIXED + json.dumps({"text": "Привет \ud800 мир.\n\nПодписывайтесь на наш канал"}).encode() + b"\n"
    outputs = []
    for target in ("reference", encoding):
        monkeypatch.setattr(sys, "stdin", _Stdin(data))
        raw = io.BytesIO()
        out = io.StringIO() if target is None else io.TextIOWrapper(raw, encoding="utf-8" if target == "reference" else target)
        assert run_cli(create_parser().parse_args(["--jsonl", "--quiet"]), out) == 0
        if target is None:
            outputs.append(out.getvalue())
        else:
            out.flush()
            outputs.append(raw.getvalue().decode(out.encoding))
    assert outputs[0] == outputs[1]
    assert outputs[0].count("\n") == 9 and "наш канал" not in json.loads(outputs[0].splitlines()[-1])["clean_text"]


def _letters(i: int) -> str:
    return "".join(chr(97 + int(d)) for d in str(i))  # a distinct headline without digits


def _body(i: int) -> str:
    return f"The council met on day {i} and voted."


def _many(n: int) -> bytes:
    records = []
    for i in range(n):
        if i % 37 == 5:
            records.append(b"{broken")
        else:
            records.append({"id": i, "channel": f"c{i % 3}",
                            "text": f"Headline {_letters(i)}\n\n{_body(i)}\n\nZuvela kanalo {i % 2}"})
    return _jsonl(*records)


@pytest.mark.parametrize("extra", [[], ["--learn", "--group-by", "channel"]])
def test_two_workers_give_the_same_output_as_one(tmp_path, monkeypatch, capsys, extra) -> None:
    path = tmp_path / "many.jsonl"
    path.write_bytes(_many(300))  # several chunks per worker
    one = _run(monkeypatch, capsys, ["--jsonl", str(path), *extra])
    two = _run(monkeypatch, capsys, ["--jsonl", "-j", "2", str(path), *extra])
    assert one == two
    assert one[1].count("\n") == 300


def test_learning_two_passes_over_a_file(tmp_path, monkeypatch, capsys) -> None:
    path = tmp_path / "many.jsonl"
    path.write_bytes(_many(60))
    _, plain, _ = _run(monkeypatch, capsys, ["--jsonl", "--quiet", str(path)])
    code, learned, err = _run(monkeypatch, capsys, ["--jsonl", "--learn", "--group-by", "channel", str(path)])
    assert code == 0
    assert all("Zuvela kanalo" in json.loads(line).get("clean_text", "Zuvela kanalo") for line in plain.splitlines())
    rows = [json.loads(line) for line in learned.splitlines() if '"clean_text"' in line]
    assert rows and all(r["clean_text"] == f"Headline {_letters(r['id'])}\n\n{_body(r['id'])}" for r in rows)
    assert {x["category"] for r in rows for x in r["newsclean"]["removed"]} == {"recurring"}
    assert f"({len(rows)} recurring)" in err


def test_learning_online_from_stdin_is_windowed_and_deterministic(monkeypatch, capsys) -> None:
    data = _many(40)
    argv = ["--jsonl", "--learn", "--learn-window", "10", "--quiet"]
    first = _run(monkeypatch, capsys, argv, data)
    assert first == _run(monkeypatch, capsys, [*argv, "-j", "2"], data)
    rows = [json.loads(line) for line in first[1].splitlines() if '"clean_text"' in line]
    # Ten records are read and learned before the first is cleaned: the footer is in 5 of
    # them, enough to learn it, so it goes from the very first record on.
    assert all("Zuvela" not in r["clean_text"] for r in rows)


def test_progress_never_writes_to_a_pipe(monkeypatch, capsys) -> None:
    # stderr is not a terminal under capsys: only the summary appears, even with a file size known.
    code, _, err = _run(monkeypatch, capsys, ["--jsonl"], _jsonl({"text": POST}))
    assert code == 0 and err == "newsclean: 1 record in, 1 out, 0 errors, 1 line removed (0 recurring)\n"


def test_subprocess_two_workers_through_stdin(tmp_path) -> None:
    import subprocess

    proc = subprocess.run([sys.executable, "-m", "newsclean", "--jsonl", "-j", "2", "--quiet"], input=_many(100),
                          capture_output=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line).get("id") for line in proc.stdout.splitlines()] == [
        None if i % 37 == 5 else i for i in range(100)
    ]


def test_progress_always_goes_to_stderr_only(tmp_path, monkeypatch, capsys) -> None:
    path = tmp_path / "one.jsonl"
    path.write_bytes(_jsonl({"text": POST}))
    code, out, err = _run(monkeypatch, capsys, ["--jsonl", "--progress", "always", "--quiet", str(path)])
    assert code == 0 and json.loads(out)["clean_text"] == CLEAN
    assert "cleaning" in err


def test_stream_flags_need_a_stream_mode(monkeypatch, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        _run(monkeypatch, capsys, ["--learn"], POST.encode())
    assert exc.value.code == 2
    assert "--learn needs --jsonl, --feed or --telegram" in capsys.readouterr().err


@pytest.mark.parametrize(("numbers", "line"), [
    ((1, 1, 0, 1, 0), "1 record in, 1 out, 0 errors, 1 line removed (0 recurring)"),
    ((2, 2, 1, 0, 0), "2 records in, 2 out, 1 error, 0 lines removed (0 recurring)"),
])
def test_the_summary_counts_in_the_singular_and_plural(numbers: tuple[int, ...], line: str) -> None:
    from newsclean.stream import counts

    assert counts(*numbers) == line
