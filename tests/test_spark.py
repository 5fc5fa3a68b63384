"""The Spark recipe of the README, run on a local SparkSession (2 cores, 127.0.0.1, no UI).

Skipped unless pyspark (``pip install 'newsclean[spark]'``) and a Java runtime are present.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="the Spark recipe needs pyspark: pip install 'newsclean[spark]'")
pytest.importorskip("pyarrow", reason="mapInPandas needs pyarrow: pip install 'newsclean[spark]'")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime (no `java` on PATH)", allow_module_level=True)

import pandas as pd
from pyspark.sql import SparkSession

import newsclean
from newsclean import Cleaner
from newsclean.spark import clean_spark
from tests.records import make_records

# pyspark 4.x warns that its pandas 3 support is partial; the columns used here are strings
# and integers, and the results are checked value by value below.
pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")

RECORDS = make_records(400, seed=5)


@pytest.fixture(scope="module")
def spark():
    # The Python workers must import this newsclean, installed or not: put its folder first.
    here = str(Path(newsclean.__file__).resolve().parent.parent)
    path = os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH")) if p)
    session = (
        SparkSession.builder.master("local[2]").appName("newsclean-test")
        .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1").config("spark.executorEnv.PYTHONPATH", path)
        .config("spark.sql.shuffle.partitions", "4").getOrCreate()
    )
    try:
        yield session
    finally:
        session.stop()


@pytest.fixture(scope="module")
def posts(spark):
    frame = pd.DataFrame({"id": [r["id"] for r in RECORDS], "text": [r.get("text") for r in RECORDS]})
    return spark.createDataFrame(frame, "id long, text string").repartition(4)


def _by_id(df) -> dict[int, dict]:
    # collect(), not toPandas(): the driver-side pandas conversion of pyspark 4 is not yet
    # pandas 3 clean, and what is tested here is the executors' side.
    return {row["id"]: row.asDict() for row in df.collect()}


def test_readme_recipe(posts) -> None:
    # --- the README recipe, as written there ---
    from functools import partial

    from newsclean.spark import clean_batches

    schema = "id long, text string, clean_text string, newsclean_title string, newsclean_language string, " \
             "newsclean_removed long, newsclean_error string"
    clean = posts.mapInPandas(partial(clean_batches, column="text", lang="en"), schema)
    # --- end of the recipe ---
    got = _by_id(clean)
    assert sorted(got) == [r["id"] for r in RECORDS]  # every row came out
    cleaner = Cleaner(lang="en")
    for record in RECORDS:
        row = got[record["id"]]
        if isinstance(record.get("text"), str):
            result = cleaner.clean(record["text"])
            assert (row["clean_text"], row["newsclean_title"], row["newsclean_removed"]) == (
                result.text, result.title, len(result.removed))
        else:
            assert row["newsclean_error"] == "not a string" and row["clean_text"] is None


def test_clean_spark_helper(posts) -> None:
    got = _by_id(clean_spark(posts, out_column="body"))
    cleaner = Cleaner()
    texts = {r["id"]: r["text"] for r in RECORDS if isinstance(r.get("text"), str)}
    assert all(got[i]["body"] == cleaner.clean(t).text for i, t in texts.items())
    assert all(got[i]["newsclean_language"] == cleaner.clean(t).language for i, t in list(texts.items())[:50])
    with pytest.raises(KeyError, match="no column 'body'"):
        clean_spark(posts, column="body")
