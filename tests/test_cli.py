"""The command line, in process (main(argv) -> int) and once through the installed script."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys

import pytest

from newsclean.cli import main

POST = "Storm hits coast\n\nWaves rose overnight, officials said.\n\n➖➖➖\nSubscribe to our channel\n"


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def _run(monkeypatch, capsys, argv, data: bytes = b""):
    monkeypatch.setattr(sys, "stdin", _Stdin(data))
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_filter_stdin_to_stdout(monkeypatch, capsys) -> None:
    code, out, err = _run(monkeypatch, capsys, [], POST.encode())
    assert (code, out, err) == (0, "Storm hits coast\n\nWaves rose overnight, officials said.\n", "")


def test_json(monkeypatch, capsys) -> None:
    code, out, _ = _run(monkeypatch, capsys, ["--json"], POST.encode())
    data = json.loads(out)
    assert code == 0 and data["title"] == "Storm hits coast"
    assert [r["category"] for r in data["removed"]] == ["separator", "subscribe"]


def test_explain(monkeypatch, capsys) -> None:
    code, out, _ = _run(monkeypatch, capsys, ["--explain"], POST.encode())
    assert code == 0
    assert "- Subscribe to our channel   [subscribe: en.subscribe.call]" in out
    assert "\033[" not in out  # no colour when not a terminal


def test_files_as_arguments(tmp_path, monkeypatch, capsys) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(POST, encoding="utf-8")
    b.write_text("Second story body.\n", encoding="utf-8")
    code, out, _ = _run(monkeypatch, capsys, [str(a), str(b)])
    assert code == 0
    assert out == f"==> {a} <==\nStorm hits coast\n\nWaves rose overnight, officials said.\n==> {b} <==\nSecond story body.\n"


def test_empty_input(monkeypatch, capsys) -> None:
    assert _run(monkeypatch, capsys, [], b"") == (0, "", "")


def test_missing_file_and_directory(tmp_path, monkeypatch, capsys) -> None:
    code, _, err = _run(monkeypatch, capsys, [str(tmp_path / "nope.txt")])
    assert code == 1 and err == f"newsclean: error: {tmp_path / 'nope.txt'}: no such file\n"
    code, _, err = _run(monkeypatch, capsys, [str(tmp_path)])
    assert code == 1 and err == f"newsclean: error: {tmp_path}: is a directory\n"


def test_binary_and_bad_bytes(monkeypatch, capsys) -> None:
    code, out, err = _run(monkeypatch, capsys, [], b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    assert code == 1 and out == "" and err.startswith("newsclean: error: <stdin>: looks like a binary file")
    assert err.count("\n") == 1


def test_legacy_encoding_is_detected(monkeypatch, capsys) -> None:
    text = "Правительство утвердило новый бюджет страны на следующий год. Депутаты поддержали решение."
    code, out, _ = _run(monkeypatch, capsys, [], text.encode("cp1251"))
    assert code == 0 and out == text + "\n"


def test_utf16_with_bom(monkeypatch, capsys) -> None:
    code, out, _ = _run(monkeypatch, capsys, [], "Body of the story.\n".encode("utf-16"))
    assert (code, out) == (0, "Body of the story.\n")


def test_wrong_flag_exits_2(monkeypatch, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        _run(monkeypatch, capsys, ["--no-such-flag"])
    assert exc.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_unknown_lang_exits_2(monkeypatch, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        _run(monkeypatch, capsys, ["--lang", "qq"])
    assert exc.value.code == 2


def test_installed_script_and_closed_pipe(tmp_path) -> None:
    exe = shutil.which("newsclean")
    cmd = [exe] if exe else [sys.executable, "-m", "newsclean"]
    big = (POST * 20000).encode()
    proc = subprocess.run(f"{' '.join(cmd)} | head -1", shell=True, input=big, capture_output=True, timeout=120)
    assert proc.stdout == b"Storm hits coast\n"
    assert b"Traceback" not in proc.stderr and proc.stderr == b""
    proc = subprocess.run([*cmd, "--json"], input=POST.encode(), capture_output=True, timeout=60)
    assert proc.returncode == 0 and json.loads(proc.stdout)["language"] == "en"
