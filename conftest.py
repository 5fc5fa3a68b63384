"""Doctest collection: skip the modules of an optional extra that is not installed."""

from __future__ import annotations

import importlib
from pathlib import Path

_NEEDS = {
    "dask.py": ("dask", "pandas"),
    "dask_cli.py": ("dask", "distributed"),
    "frames.py": ("pandas",),
    "spark.py": ("pandas",),
}


def _importable(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


def pytest_ignore_collect(collection_path: Path, config: object) -> bool | None:
    needs = _NEEDS.get(collection_path.name) if collection_path.parent.name == "newsclean" else None
    return True if needs and not all(map(_importable, needs)) else None
