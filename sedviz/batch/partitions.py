"""Parquet partitions on disk: find and check them, read one, write one (no Dask here).

A partitioned star table is a folder (searched recursively) or a glob of
``.parquet`` files; side files whose name starts with ``_`` or ``.``
(``_metadata``, ``_SUCCESS``, notes) are skipped, anything else is an error.
Every check here runs on the client before a cluster is started, so bad input
fails fast with one line. :mod:`sedviz.batch.run` runs the partitions on Dask.

Examples
--------
>>> is_partitioned_input("gaia_extract/part-*.parquet")
True
"""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sedviz import columns as C
from sedviz.catalog.tables import validate_star_table
from sedviz.classifier.targets import PREDICTED_CLASS
from sedviz.errors import StarTableError
from sedviz.tableio import WRITE_FORMATS

#: File name endings taken as Parquet partitions (the Parquet suffixes of sedviz.tableio).
PARQUET_SUFFIXES: Final = tuple(s for s, fmt in WRITE_FORMATS.items() if fmt is None)

#: Output partition file name, numbered like the input partitions (sorted by path).
OUTPUT_PATTERN: Final = "part-{:05d}.parquet"
_GLOB_CHARS: Final = frozenset("*?[")


class BatchInputError(StarTableError):
    """A partitioned input or output folder cannot be used (message meant for the user)."""


def is_partitioned_input(path: str | Path) -> bool:
    """Return True if *path* is a directory or a glob pattern (not a single file)."""
    text = str(path)
    if Path(text).is_file():
        return False
    return Path(text).is_dir() or any(ch in _GLOB_CHARS for ch in text)


def _is_ignored(path: Path) -> bool:
    # Dataset side files (_metadata, _SUCCESS, .crc, editor files) are not partitions.
    return path.name.startswith(("_", "."))


def find_partitions(path: str | Path) -> list[Path]:
    """Return the Parquet partition files of a directory (recursively) or a glob, sorted.

    Files starting with ``_`` or ``.`` (``_metadata``, ``_SUCCESS``) are skipped.

    Raises
    ------
    BatchInputError
        If nothing matches, or a matching file is not ``.parquet``/``.pq``.
    """
    text = str(path)
    if Path(text).is_dir():
        found = [p for p in Path(text).rglob("*") if p.is_file()]
    else:
        found = [Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file()]
    found = sorted(p for p in found if not _is_ignored(p) and not _in_hidden_dir(p, text))
    others = [p.name for p in found if p.suffix.lower() not in PARQUET_SUFFIXES]
    if others:
        raise BatchInputError(
            f"{text}: not Parquet partitions: {', '.join(others[:5])}"
            + (" ..." if len(others) > 5 else "")
            + " (a partitioned input holds only .parquet files)"
        )
    if not found:
        raise BatchInputError(f"{text}: no Parquet partitions found (empty folder or glob)")
    return found


def _in_hidden_dir(path: Path, base: str) -> bool:
    parts = path.parent.parts[len(Path(base).parts) :] if Path(base).is_dir() else ()
    return any(part.startswith((".", "_")) for part in parts)


def check_partition_schemas(files: Sequence[Path]) -> pa.Schema:
    """Return the schema of the first partition after checking every file's footer.

    Raises
    ------
    BatchInputError
        If a file is not readable Parquet or lacks a required column
        (:data:`sedviz.columns.REQUIRED_COLUMNS`).
    """
    first: pa.Schema | None = None
    for path in files:
        try:
            schema = pq.read_schema(path)
        except (pa.ArrowException, OSError) as exc:
            raise BatchInputError(f"{path.name} is not a readable Parquet file ({exc})") from exc
        missing = [name for name in C.REQUIRED_COLUMNS if name not in schema.names]
        if missing:
            raise BatchInputError(
                f"{path.name}: star table is missing required column(s): {', '.join(missing)}"
            )
        first = first or schema
    assert first is not None  # find_partitions never returns an empty list
    return first


def read_partition(path: str | Path) -> pd.DataFrame:
    """Read and validate one Parquet partition; errors name the file."""
    path = Path(path)
    try:
        table = pd.read_parquet(path)
        return validate_star_table(table)
    except StarTableError as exc:
        raise StarTableError(f"{path.name}: {exc}") from exc
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise StarTableError(
            f"cannot read {path.name}: {' '.join(str(exc).split())[:200]}"
        ) from exc


def prepare_output_dir(path: str | Path) -> Path:
    """Create the output folder; refuse a file or a non-empty folder.

    Raises
    ------
    BatchInputError
        If *path* names a CSV, an existing file or a folder that is not empty.
    """
    out = Path(path)
    if out.suffix.lower() == ".csv":
        raise BatchInputError(
            f"{out.name}: a partitioned input is written as a folder of Parquet partitions, not CSV"
        )
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BatchInputError(f"output {out} already exists and is not an empty folder")
    out.mkdir(parents=True, exist_ok=True)
    return out


def write_partition(
    part: pd.DataFrame, out_dir: str, partition_info: dict[str, Any] | None = None
) -> pd.DataFrame:
    """Write a classified partition atomically to ``out_dir/part-NNNNN.parquet``; return counts."""
    number = int(partition_info["number"]) if partition_info else 0
    final = Path(out_dir) / OUTPUT_PATTERN.format(number)
    tmp = final.with_name(f".{final.name}.tmp")
    part.to_parquet(tmp, index=False)
    os.replace(tmp, final)
    classified = int((part[PREDICTED_CLASS] != "").sum())
    return pd.DataFrame({"rows": [len(part)], "classified": [classified]})
