"""newsclean on Dask: a real local cluster of worker processes gives what one process gives.

One module-scoped cluster (2 worker processes, 1 thread each, bound to 127.0.0.1, no dashboard)
serves every test; every computation names it explicitly (``scheduler=client``), so no test
falls back to the local threaded scheduler without saying so.
"""

from __future__ import annotations

import datetime
import json
import pickle
from pathlib import Path

import pytest

pytest.importorskip("dask", reason="newsclean.dask needs dask: pip install 'newsclean[dask]'")
pytest.importorskip("distributed", reason="the cluster tests need distributed: pip install 'newsclean[dask]'")
pytest.importorskip("pandas", reason="clean_dataframe needs pandas: pip install 'newsclean[dask]'")

import dask
import dask.bag as db
import dask.dataframe as dd
import pandas as pd
from distributed import Client, LocalCluster

import newsclean
from newsclean import Cleaner, api, cli
from newsclean import dask as ndask
from newsclean.dask_cli import main as dask_main
from newsclean.learn import FeedCleaner
from tests.records import QUOTE, SIGNATURE, make_records

RECORDS = make_records(2000)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    cluster = LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                           host="127.0.0.1", local_directory=str(tmp_path_factory.mktemp("dask")))
    c = Client(cluster, set_as_default=False)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


def _on(client, collection):
    (out,) = dask.compute(collection, scheduler=client)
    return out


def _cli_records(tmp_path: Path, records: list[dict], *extra: str) -> list[dict]:
    """What ``newsclean --jsonl`` writes for the records (the single-process reference)."""
    src, out = tmp_path / "ref-in.jsonl", tmp_path / "ref-out.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert cli.main(["--jsonl", str(src), "-o", str(out), "--quiet", *extra]) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_dask_is_the_library_not_this_module() -> None:
    import dask as library

    assert ndask.db.__name__ == "dask.bag"
    assert Path(library.__file__).parent.name == "dask"
    assert Path(newsclean.__file__).parent not in Path(library.__file__).parents


def test_bag_equals_single_process_record_for_record(client, tmp_path) -> None:
    bag = db.from_sequence(RECORDS, npartitions=8)
    with dask.config.set(scheduler=client):
        got = ndask.clean_bag(bag).compute()
    assert got == _cli_records(tmp_path, RECORDS)
    cleaner = Cleaner()
    for record, out in zip(RECORDS[::5], got[::5], strict=True):  # and, on a sample, what the library says
        if isinstance(record.get("text"), str):
            result = cleaner.clean(record["text"])
            assert out["clean_text"] == result.text
            assert out["newsclean"]["removed"] == [r.to_dict() for r in result.removed]
        else:
            assert "error" in out and "clean_text" not in out and out["id"] == record["id"]


def test_learning_on_the_cluster_equals_feedcleaner(client) -> None:
    bag = db.from_sequence(RECORDS, npartitions=8)
    with dask.config.set(scheduler=client):
        profile = ndask.learn_profile(bag, group_field="channel")
        got = ndask.clean_bag(bag, learn_group="channel").compute()
    fc = FeedCleaner().fit((r["channel"], r["text"]) for r in RECORDS if isinstance(r.get("text"), str))
    assert profile == fc.profile
    recurring = 0
    for record, out in zip(RECORDS, got, strict=True):
        if not isinstance(record.get("text"), str):
            continue
        result = fc.clean(record["text"], group=record["channel"])
        assert out["clean_text"] == result.text
        assert out["newsclean"]["removed"] == [r.to_dict() for r in result.removed]
        recurring += sum(r.category.value == "recurring" for r in result.removed)
        assert SIGNATURE[record["channel"]] not in out["clean_text"]
    assert recurring > 1000  # the signatures were learned and removed
    assert QUOTE in got[5]["clean_text"] and QUOTE in got[9]["clean_text"]  # a quote in two items stays


def test_rules_compile_once_per_worker(client) -> None:
    bag = db.from_sequence(RECORDS[:400], npartitions=8)
    _on(client, ndask.clean_bag(bag, lang="en"))  # warm: each worker builds the English rules
    before = client.run(lambda: api._book_for.cache_info())
    _on(client, ndask.clean_bag(bag, lang="en"))
    after = client.run(lambda: api._book_for.cache_info())
    assert sum(after[w].misses - before[w].misses for w in after) == 0  # nothing compiled again
    assert sum(after[w].hits - before[w].hits for w in after) >= 8  # yet every task used the rules


def test_the_graph_ships_no_compiled_rules() -> None:
    bag = db.from_sequence(RECORDS[:50], npartitions=4)
    graph = dict(ndask.clean_bag(bag, lang="en", learn_group=None).__dask_graph__())
    blob = pickle.dumps(graph)  # plain pickle: everything in it is a plain value
    assert b"Cleaner" not in blob and b"RuleBook" not in blob and b"_regex" not in blob


def test_every_bag_element_gives_one_record() -> None:
    when = datetime.datetime(2024, 5, 1)
    bag = db.from_sequence([{"id": 1, "at": when}, "just text", {"id": 3, "text": "Waves rose."}, {"id": 4}])
    got = ndask.clean_bag(bag).compute(scheduler="sync")
    assert [r.get("error", "").split(" (")[0] for r in got] == [
        "not a JSON record", "a JSON str, not an object", "", "no field 'text'"]
    assert got[0]["at"] is when and got[1]["raw"] == '"just text"' and got[2]["clean_text"] == "Waves rose."


def test_dataframe_column(client) -> None:
    frame = pd.DataFrame({"id": [r["id"] for r in RECORDS[:300]], "text": [r.get("text") for r in RECORDS[:300]]})
    frame.index = frame.index * 10  # an index that is not 0..n-1 must survive
    got = _on(client, ndask.clean_dataframe(dd.from_pandas(frame, npartitions=4)))
    assert list(got.index) == list(frame.index) and list(got["id"]) == list(frame["id"])
    assert set(got.columns) == {"id", "text", "clean_text", *ndask.META_COLUMNS}
    cleaner = Cleaner()
    for text, row in zip(frame["text"], got.itertuples(), strict=True):
        if isinstance(text, str):
            result = cleaner.clean(text)
            assert (row.clean_text, row.newsclean_title, row.newsclean_removed) == (
                result.text, result.title, len(result.removed))
            assert pd.isna(row.newsclean_error)
        else:
            assert pd.isna(row.clean_text) and row.newsclean_error == "not a string"
    with pytest.raises(KeyError, match="no column 'body'"):
        ndask.clean_dataframe(dd.from_pandas(frame, npartitions=1), column="body")


def _write_inputs(folder: Path) -> list[Path]:
    """Two JSONL files with the awkward parts of real files: a BOM, blank lines, a line that
    is not JSON, a non-object, and no newline at the end."""
    folder.mkdir()
    lines = [json.dumps(r, ensure_ascii=False) for r in RECORDS[:1200]]
    lines[3], lines[40] = "this is not json", "[1, 2]"
    lines[7] = ""
    a, b = folder / "a.jsonl", folder / "b.jsonl"
    a.write_bytes(b"\xef\xbb\xbf" + ("\n".join(lines[:700]) + "\n").encode())
    b.write_bytes("\n".join(lines[700:]).encode())
    return [a, b]


def test_cli_writes_what_the_jsonl_cli_writes(client, tmp_path, capsys) -> None:
    a, b = _write_inputs(tmp_path / "in")
    out = tmp_path / "out"
    argv = [str(tmp_path / "in" / "*.jsonl"), "--out", str(out), "--scheduler", client.scheduler.address,
            "--blocksize", "32KiB", "--learn", "--group-by", "channel"]
    assert dask_main(argv) == 0
    err = capsys.readouterr().err
    parts = sorted(out.glob("part-*.jsonl"))
    assert len(parts) > 4  # the files were split into many partitions
    got = b"".join(p.read_bytes() for p in parts)
    ref = tmp_path / "ref.jsonl"
    assert cli.main(["--jsonl", str(a), str(b), "--learn", "--group-by", "channel", "-o", str(ref)]) == 0
    assert got == ref.read_bytes()
    ref_err = capsys.readouterr().err
    same = [line.replace("newsclean:", "newsclean-dask:") for line in ref_err.splitlines()[:-1]]
    assert err.splitlines()[:-1] == same  # the same messages about the same lines
    assert f"{a}:4: invalid JSON" in err and "1199 records in, 1199 out" in err


def test_cli_refuses_before_starting_a_cluster(tmp_path, capsys) -> None:
    (tmp_path / "in.jsonl").write_text('{"text": "x"}\n', encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "part-00000.jsonl").write_text("", encoding="utf-8")
    assert dask_main([str(tmp_path / "none-*.jsonl"), "--out", str(tmp_path / "o")]) == 1
    assert capsys.readouterr().err == f"newsclean-dask: error: {tmp_path / 'none-*.jsonl'}: no such file\n"
    assert dask_main([str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out")]) == 1
    assert "already holds part-*.jsonl files" in capsys.readouterr().err
    for argv in (["--blocksize", "lots"], ["--group-by", "channel"], ["--workers", "0"], ["--lang", "xx"]):
        with pytest.raises(SystemExit) as exit_:
            dask_main([str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "o"), *argv])
        assert exit_.value.code == 2


def test_entry_point_is_newsclean_dask_main(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        ndask.main(["--help"])  # pyproject: newsclean-dask = "newsclean.dask:main"
    assert exit_.value.code == 0 and capsys.readouterr().out.startswith("usage: newsclean-dask")
