"""Clean a Spark DataFrame of posts: ``mapInPandas`` over Arrow batches.

Spark hands each Python worker of an executor a stream of pandas batches. The function given
to ``mapInPandas`` (:func:`clean_batches`) is pickled once per task with plain arguments only;
the cleaner it uses comes from :func:`newsclean.frames.worker_cleaner`, cached in the Python
worker process, and Spark reuses its Python workers between tasks
(``spark.python.worker.reuse``, on by default), so the rules are compiled once per Python
worker, not per batch or per row. Every row comes out, with the columns of
:func:`newsclean.frames.clean_frame`: the clean text, title, language, removed count, error.

Needs ``pip install 'newsclean[spark]'`` (pyspark, pandas, pyarrow) and a Java runtime; every
executor needs newsclean installed (the rule files ship inside the package). This module
imports pyspark only when a function needs it.

>>> import pandas as pd
>>> batch = pd.DataFrame({"id": [1], "text": ["Waves rose.\\n\\nSubscribe to our channel"]})
>>> [out.to_dict("records") for out in clean_batches([batch], lang="en")][0][0]["clean_text"]
'Waves rose.'
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from newsclean.frames import META_COLUMNS, clean_frame
from newsclean.types import Options

if TYPE_CHECKING:
    import pandas
    from pyspark.sql import DataFrame
    from pyspark.sql.types import StructType


def clean_batches(
    batches: Iterable[pandas.DataFrame],
    *,
    column: str = "text",
    out_column: str = "clean_text",
    lang: str | None = None,
    options: Options | None = None,
) -> Iterator[pandas.DataFrame]:
    """Clean each pandas batch (the function for ``DataFrame.mapInPandas``).

    Bind the options with :func:`functools.partial`; see :func:`clean_spark` for the schema.
    """
    for batch in batches:
        yield clean_frame(batch, column=column, out_column=out_column, lang=lang, options=options)


def output_schema(schema: StructType, *, out_column: str = "clean_text") -> StructType:
    """The input schema plus the columns :func:`clean_batches` adds (replaced if present)."""
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    added = (out_column, *META_COLUMNS)
    kept = [f for f in schema.fields if f.name not in added]
    return StructType([*kept, *(StructField(name, LongType() if name == "newsclean_removed" else StringType())
                                for name in added)])


def clean_spark(
    df: DataFrame,
    *,
    column: str = "text",
    out_column: str = "clean_text",
    lang: str | None = None,
    options: Options | None = None,
) -> DataFrame:
    """Clean a text column of a Spark DataFrame (lazily, like any transformation).

    Args:
        df: the posts; ``column`` must be a string column of it.
        column, out_column: the text to clean and where the clean text goes.
        lang, options: as for :func:`newsclean.clean`.

    Raises:
        KeyError: ``column`` is not a column of ``df``.
    """
    if column not in df.columns:
        raise KeyError(f"no column {column!r}; columns: {', '.join(df.columns)}")
    clean = functools.partial(clean_batches, column=column, out_column=out_column, lang=lang, options=options)
    return df.mapInPandas(clean, output_schema(df.schema, out_column=out_column))


__all__ = ["clean_batches", "clean_spark", "output_schema"]
