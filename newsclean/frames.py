"""pandas frames: clean a text column, row by row, with one cached cleaner per process.

Shared by the Dask dataframe front (:mod:`newsclean.dask`) and the Spark recipe
(:mod:`newsclean.spark`), so both add the same columns. Needs pandas, which comes with
``pip install 'newsclean[dask]'`` or ``'newsclean[spark]'``.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from newsclean.api import Cleaner
from newsclean.types import Options

if TYPE_CHECKING:
    import pandas

#: The columns :func:`clean_frame` adds besides the clean text.
META_COLUMNS = ("newsclean_title", "newsclean_language", "newsclean_removed", "newsclean_error")


@functools.cache
def worker_cleaner(lang: str | None, options: Options | None) -> Cleaner:
    """The :class:`~newsclean.Cleaner` of this process for ``(lang, options)``, built once.

    Tasks (a Dask partition, a Spark batch) call this instead of receiving a Cleaner, so the
    compiled rules stay in the worker process and never travel through a scheduler or driver.

    >>> worker_cleaner("en", None) is worker_cleaner("en", None)
    True
    """
    return Cleaner(lang=lang, options=options)


def clean_frame(
    frame: pandas.DataFrame, *, column: str, out_column: str, lang: str | None, options: Options | None
) -> pandas.DataFrame:
    """A copy of ``frame`` with the clean text of ``column`` and the metadata columns added.

    One pandas frame: a Dask partition (:func:`newsclean.dask.clean_dataframe`) or a Spark
    Arrow batch (:func:`newsclean.spark.clean_batches`). The cleaner comes from
    :func:`worker_cleaner`, so the rules are compiled once per process. ``out_column`` holds
    :attr:`Result.text <newsclean.Result.text>`; ``newsclean_title`` and
    ``newsclean_language`` the title and language; ``newsclean_removed`` the number of removed
    spans; ``newsclean_error`` why a row could not be cleaned (its text is then missing). Text
    columns keep the dtype of ``column`` when that is a string dtype.

    >>> import pandas as pd
    >>> out = clean_frame(pd.DataFrame({"text": ["Waves rose.\\n\\nSubscribe to our channel", 7]}),
    ...                   column="text", out_column="clean_text", lang="en", options=None)
    >>> out.to_dict("list")["clean_text"], out["newsclean_removed"].tolist(), out["newsclean_error"].tolist()
    (['Waves rose.', None], [1, 0], [None, 'not a string'])
    """
    import pandas as pd  # here: the core package does not depend on pandas

    cleaner = worker_cleaner(lang, options)
    rows: list[tuple[str | None, str | None, str | None, int, str | None]] = []
    for value in frame[column]:
        if not isinstance(value, str):
            rows.append((None, None, None, 0, "not a string"))
            continue
        try:
            r = cleaner.clean(value)
        except Exception as exc:
            rows.append((None, None, None, 0, f"cannot clean: {type(exc).__name__}: {exc}"))
            continue
        rows.append((r.text, r.title, r.language, len(r.removed), None))
    dtype = frame[column].dtype if pd.api.types.is_string_dtype(frame[column].dtype) else object
    names = (out_column, *META_COLUMNS)
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    out = frame.copy()
    for name, values in zip(names, columns, strict=True):
        kind = "int64" if name == "newsclean_removed" else dtype
        out[name] = pd.Series(list(values), index=frame.index, dtype=kind)
    return out


__all__ = ["META_COLUMNS", "clean_frame", "worker_cleaner"]
