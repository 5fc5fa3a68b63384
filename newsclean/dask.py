"""Clean a corpus on a Dask cluster: a bag of JSON records, or a dataframe text column.

The work is split by partition, one task each. A task builds its cleaner from plain values
(field names, a language code, a frozen :class:`~newsclean.Options`); the compiled rules are
cached per process (:func:`newsclean.frames.worker_cleaner`, and the rule books of
:mod:`newsclean.api`), so each worker compiles them once, on its first task, not per record or
per task, and nothing compiled is pickled into the task graph (tests/test_dask.py checks both).

A bag record comes out exactly as ``newsclean --jsonl`` writes it: the same code makes it
(the stream module's chunk worker), so a corpus cleaned here and one cleaned with
``newsclean --jsonl`` are the same records. Learning a source's recurring lines
(:func:`learn_profile`) is a map over partitions counting line fingerprints per group and a
reduce merging the counts; the merged profile gives exactly what
:class:`~newsclean.learn.FeedCleaner` gives on one machine.

``newsclean-dask`` (:func:`main`) is the command-line front: a glob of JSONL files in, one
cleaned JSONL file per partition out. Needs ``pip install 'newsclean[dask]'``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

# Imports are absolute (Python 3), so inside this package ``import dask`` is the Dask library,
# not this module; tests/test_dask.py checks it.
try:
    import dask.bag as db
    from dask.delayed import delayed
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("newsclean.dask needs Dask: pip install 'newsclean[dask]'") from exc

from newsclean.api import Cleaner
from newsclean.frames import META_COLUMNS, clean_frame
from newsclean.learn import ProfileBuilder, SourceProfile
from newsclean.records import Chunk, Outcome, StreamOptions
from newsclean.records import ChunkWorker as _ChunkWorker  # the CLI's own record code: shapes cannot drift
from newsclean.types import Options

if TYPE_CHECKING:
    import dask.dataframe as dd


# ------------------------------------------------------------------ dataframes
def clean_dataframe(
    df: dd.DataFrame,
    *,
    column: str = "text",
    out_column: str = "clean_text",
    lang: str | None = None,
    options: Options | None = None,
) -> dd.DataFrame:
    """Clean a text column of a Dask dataframe, partition by partition.

    Every row stays, in order, with its columns; added are ``out_column`` (the clean text,
    as :attr:`Result.text <newsclean.Result.text>`), ``newsclean_title``,
    ``newsclean_language``, ``newsclean_removed`` (how many spans were removed) and
    ``newsclean_error`` (why a row could not be cleaned, such as a missing value; its clean
    text is then missing too). Text columns keep the dtype of ``column`` when it is a string
    dtype. For the full explanation of each removal, clean a bag (:func:`clean_bag`).

    Args:
        df: the dataframe; ``column`` must be one of its columns.
        column: the text to clean.
        out_column: where the clean text goes (it may replace an existing column).
        lang: as for :func:`newsclean.clean`; default: detect per row.
        options: as for :func:`newsclean.clean`.

    Raises:
        KeyError: ``column`` is not a column of ``df``.

    >>> import dask.dataframe as dd, pandas as pd
    >>> posts = pd.DataFrame({"text": ["Storm hits coast\\n\\nWaves rose.\\n\\n* * *", None]})
    >>> out = clean_dataframe(dd.from_pandas(posts, npartitions=1), lang="en").compute()
    >>> out["clean_text"].tolist()[0], out["newsclean_removed"].tolist(), out["newsclean_error"].tolist()[1]
    ('Storm hits coast\\n\\nWaves rose.', [1, 0], 'not a string')
    """
    if column not in df.columns:
        raise KeyError(f"no column {column!r}; columns: {', '.join(map(str, df.columns))}")
    clean = functools.partial(clean_frame, column=column, out_column=out_column, lang=lang, options=options)
    return df.map_partitions(clean, meta=clean(df._meta))


# ------------------------------------------------------------------ bags of records
BAG_SOURCE = "<bag>"  # the source name of bag records (error messages, default group)


def clean_bag(
    bag: db.Bag,
    *,
    field: str = "text",
    out_field: str = "clean_text",
    meta_field: str = "newsclean",
    lang: str | None = None,
    options: Options | None = None,
    learn_group: str | None = None,
) -> db.Bag:
    """Clean a bag of records (dicts), each partition in one task, in order.

    Each record comes out as ``newsclean --jsonl`` writes it: the input fields, the clean text
    in ``out_field``, the metadata (:meth:`Result.to_dict <newsclean.Result.to_dict>` less
    ``text``) under ``meta_field``. A record without a string ``field`` comes out with an
    ``error`` field instead, and so does a record JSON cannot hold (a datetime value); a bag
    element that is not a dict, as ``{"error", "line", "raw"}``. One record out per record in.

    With ``learn_group``, the field naming each record's source, the sources' recurring lines
    are learned first with :func:`learn_profile` (this call then computes: the bag is read
    once to learn and once more when the result is computed, so it never has to fit in
    memory), and every record is cleaned with its source's lines, as
    ``FeedCleaner().fit(...)`` / ``newsclean --jsonl --learn --group-by`` would.

    Args:
        bag: records, typically ``db.read_text(...).map(json.loads)``; they are handled as
            the command line handles JSON Lines.
        field, out_field, meta_field: as ``--field``, ``--out-field``, ``--meta-field``.
        lang, options: as for :func:`newsclean.clean`.
        learn_group: learn recurring lines per value of this field (``None``: no learning).

    >>> import dask.bag as db
    >>> bag = db.from_sequence([{"id": 1, "text": "Waves rose.\\n\\nSubscribe to our channel"}, {"id": 2}])
    >>> out = clean_bag(bag, lang="en").compute()
    >>> out[0]["clean_text"], out[0]["newsclean"]["removed"][0]["category"], out[1]
    ('Waves rose.', 'subscribe', {'id': 2, 'error': "no field 'text'"})
    """
    opts = StreamOptions(field=field, out_field=out_field, meta_field=meta_field, group_by=learn_group,
                         lang=lang, options=options if options is not None else Options())
    Cleaner(lang=lang, options=opts.options)  # a wrong language fails here, not in every task
    recurring: dict[str, frozenset[str]] = {}
    if learn_group is not None:
        recurring = learn_profile(bag, group_field=learn_group, field=field, lang=lang).recurring_by_group()
    # One graph key for the learned lines, shared by every task (not a copy per task).
    shared = delayed(recurring, traverse=False)
    return bag.map_partitions(_clean_records, opts=opts, recurring=shared)


def learn_profile(bag: db.Bag, *, group_field: str, field: str = "text", lang: str | None = None) -> SourceProfile:
    """Count each source's head and tail lines over the whole bag; computes now.

    A map over partitions (each counts its records into a
    :class:`~newsclean.learn.SourceProfile`) and a tree reduce merging the counts. Counts
    add up, so the result equals ``FeedCleaner().fit(pairs).profile`` for the same records,
    however the bag is partitioned. Records without a string ``field`` are not counted.

    Args:
        bag: records (dicts).
        group_field: the field naming a record's source; records without it form group ``""``.
        field: the text field.
        lang: as for :func:`newsclean.clean` (it decides the rules that find the zones).

    >>> import dask.bag as db
    >>> body = "Something happened in the town late on Monday night."
    >>> posts = [{"ch": "a", "text": f"Town {c} news\\n\\n{body}\\n\\nKanal: pinda"} for c in "wxyz"]
    >>> sorted(learn_profile(db.from_sequence(posts, npartitions=2), group_field="ch").recurring("a"))
    ['kanal: pinda']
    """
    opts = StreamOptions(field=field, group_by=group_field, lang=lang)
    count = functools.partial(_count_records, opts=opts)
    profile: SourceProfile = bag.reduction(count, _merge_profiles, split_every=8).compute()
    return profile


def _items(records: list[Any]) -> tuple[tuple[tuple[int, bytes], ...], dict[int, str]]:
    """Records as the JSON lines the stream code reads, and why the others cannot be.

    ASCII escapes keep lone surrogates intact; a record JSON cannot hold (a datetime, a set)
    is left out and reported by its index.
    """
    items, bad = [], {}
    for index, record in enumerate(records):
        try:
            items.append((index + 1, json.dumps(record, ensure_ascii=True).encode("ascii")))
        except (TypeError, ValueError) as exc:
            bad[index] = f"not a JSON record ({exc})"
    return tuple(items), bad


def _count_records(records: Iterable[Any], *, opts: StreamOptions) -> SourceProfile:
    items, _ = _items(list(records))  # a record that is not JSON is not counted, as a bad line is not
    profile: SourceProfile = _ChunkWorker(opts).run("learn", Chunk(BAG_SOURCE, items, 0))
    return profile


def _merge_profiles(profiles: Iterable[SourceProfile]) -> SourceProfile:
    builder = ProfileBuilder()
    for profile in profiles:
        builder.update(profile)
    return builder.build()


def _clean_records(
    records: Iterable[Any], *, opts: StreamOptions, recurring: Mapping[str, frozenset[str]]
) -> list[dict[str, Any]]:
    worker = _ChunkWorker(opts)  # cheap: the compiled rules are cached per process
    worker.recurring.update(recurring)
    records = list(records)
    items, bad = _items(records)
    outcomes: list[Outcome] = worker.run("clean", Chunk(BAG_SOURCE, items, 0))
    made = iter(json.loads(o.line) for o in outcomes)
    return [next(made) if i not in bad else _unjsonable(r, i, bad[i]) for i, r in enumerate(records)]


def _unjsonable(record: Any, index: int, reason: str) -> dict[str, Any]:
    if isinstance(record, dict):
        return {**record, "error": reason}
    return {"error": reason, "line": index + 1, "raw": repr(record)}


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``newsclean-dask`` (:mod:`newsclean.dask_cli`); returns the exit status."""
    from newsclean.dask_cli import main as run

    return run(argv)


__all__ = ["META_COLUMNS", "clean_bag", "clean_dataframe", "learn_profile", "main"]


if __name__ == "__main__":
    import sys

    sys.exit(main())
