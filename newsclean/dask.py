"""Clean a corpus on a Dask cluster: a bag of JSON records, or a dataframe text column.

The work is split by partition. Each worker process builds one :class:`~newsclean.Cleaner` per
``(lang, options)`` the first time a task needs it (:func:`worker_cleaner`) and keeps it, so
rule files are compiled once per worker, not per record or per task. The task graph carries
only plain values (field names, a language code, a frozen :class:`~newsclean.Options`, a
:class:`~newsclean.learn.SourceProfile`): nothing compiled is pickled and shipped.

A bag record comes out exactly as the command line writes it with ``--jsonl`` (the same
function makes it, :func:`newsclean.stream.clean_record`), so a corpus cleaned here and one
cleaned with ``newsclean --jsonl`` are the same records. Learning a source's recurring lines
(:func:`learn_profile`) is a map over partitions counting line fingerprints per group and a
reduce merging the counts; the merged profile gives exactly what
:class:`~newsclean.learn.FeedCleaner` gives on one machine.

``newsclean-dask`` (:func:`main`) is the command-line front: a glob of JSONL files in, one
cleaned JSONL file per partition out. Needs ``pip install 'newsclean[dask]'``.
"""

from __future__ import annotations

# Absolute imports: inside the package, ``import dask`` is the Dask library, not this module.
import argparse
import functools
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

try:
    import dask
    import dask.bag as db
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("newsclean.dask needs Dask: pip install 'newsclean[dask]'") from exc

from newsclean.api import Cleaner
from newsclean.learn import ProfileBuilder, SourceProfile, zone_fingerprints
from newsclean.types import Options

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd


@functools.cache
def worker_cleaner(lang: str | None, options: Options | None) -> Cleaner:
    """The :class:`~newsclean.Cleaner` of this process for ``(lang, options)``, built once.

    Tasks call this instead of receiving a Cleaner, so the compiled rules stay in the worker
    process and never travel through the scheduler.

    >>> worker_cleaner("en", None) is worker_cleaner("en", None)
    True
    """
    return Cleaner(lang=lang, options=options)


# ------------------------------------------------------------------ dataframes
#: The columns :func:`clean_dataframe` adds besides the cleaned text.
META_COLUMNS = ("newsclean_title", "newsclean_language", "newsclean_removed", "newsclean_error")


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
    >>> posts = pd.DataFrame({"text": ["Storm hits coast\\n\\nWaves rose.\\n\\n➖➖➖", None]})
    >>> out = clean_dataframe(dd.from_pandas(posts, npartitions=1), lang="en").compute()
    >>> out["clean_text"].tolist()[0], out["newsclean_removed"].tolist(), out["newsclean_error"].tolist()[1]
    ('Storm hits coast\\n\\nWaves rose.', [1, 0], 'not a string')
    """
    if column not in df.columns:
        raise KeyError(f"no column {column!r}; columns: {', '.join(map(str, df.columns))}")
    kwargs = {"column": column, "out_column": out_column, "lang": lang, "options": options}
    return df.map_partitions(_clean_frame, **kwargs, meta=_clean_frame(df._meta, **kwargs))


def _clean_frame(
    frame: pd.DataFrame, *, column: str, out_column: str, lang: str | None, options: Options | None
) -> pd.DataFrame:
    """One partition: the frame with the clean text and the metadata columns added."""
    import pandas as pd

    cleaner = worker_cleaner(lang, options)
    rows: list[tuple[str | None, str | None, str | None, int, str | None]] = []
    for value in frame[column]:
        if not isinstance(value, str):
            rows.append((None, None, None, 0, "not a string"))
            continue
        try:
            r = cleaner.clean(value)
        except Exception as exc:  # noqa: BLE001 - one bad row must not fail the partition
            rows.append((None, None, None, 0, f"cannot clean: {type(exc).__name__}: {exc}"))
            continue
        rows.append((r.text, r.title, r.language, len(r.removed), None))
    dtype = frame[column].dtype if pd.api.types.is_string_dtype(frame[column].dtype) else object
    names = (out_column, *META_COLUMNS)
    columns = list(zip(*rows)) if rows else [()] * len(names)
    out = frame.copy()
    for name, values in zip(names, columns):
        kind = "int64" if name == "newsclean_removed" else dtype
        out[name] = pd.Series(list(values), index=frame.index, dtype=kind)
    return out
