"""Where a command writes a table: the one check of an output path, and the one writer.

``sedviz classify``, ``fit-sed``, ``query`` and ``simulate`` all write a star
table as CSV or Parquet, chosen by the file's suffix. :func:`check_output_path`
refuses any other suffix before work starts (the same message and exception for
every command); :func:`save_table` writes by the same rule.

Examples
--------
>>> check_output_path("stars.parquet").name
'stars.parquet'
>>> check_output_path("stars.txt")
Traceback (most recent call last):
...
sedviz.errors.OutputPathError: stars.txt: output must end in .csv or .parquet
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pandas as pd

from sedviz.errors import OutputPathError

#: Suffixes of a table file a command may write (case-insensitive).
CSV_SUFFIXES: Final[tuple[str, ...]] = (".csv",)
PARQUET_SUFFIXES: Final[tuple[str, ...]] = (".parquet", ".pq")
OUTPUT_SUFFIXES: Final[tuple[str, ...]] = (*CSV_SUFFIXES, *PARQUET_SUFFIXES)


def check_output_path(path: str | Path) -> Path:
    """Return *path* as a Path if it ends in .csv, .parquet or .pq.

    Raises
    ------
    OutputPathError
        For any other suffix (the message names the file).
    """
    path = Path(path)
    if path.suffix.lower() not in OUTPUT_SUFFIXES:
        raise OutputPathError(f"{path.name}: output must end in .csv or .parquet")
    return path


def is_csv(path: str | Path) -> bool:
    """Return True if *path* is written as CSV (else Parquet)."""
    return Path(path).suffix.lower() in CSV_SUFFIXES


def save_table(table: pd.DataFrame, path: str | Path) -> Path:
    """Write *table* without its index as CSV or Parquet by the suffix of *path*; return it."""
    path = check_output_path(path)
    if is_csv(path):
        table.to_csv(path, index=False)
    else:
        table.to_parquet(path, index=False)
    return path
