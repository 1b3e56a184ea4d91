"""Simulated star tables on disk, labelled as simulated in the file itself.

CSV files start with comment lines (``#``, skipped by
:func:`sedviz.catalog.tables.load_star_table`) saying the stars are simulated and
holding the simulation record as JSON; Parquet files carry the same JSON in
their schema metadata under :data:`METADATA_KEY`. Every row also has
``simulated`` = True.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import pandas as pd

from sedviz.catalog.tables import load_star_table
from sedviz.errors import SedvizError
from sedviz.simulate.core import SIMULATED
from sedviz.tableio import check_output_path

#: Parquet metadata key (and CSV comment prefix) holding the simulation record.
METADATA_KEY: Final = "sedviz.simulation"
#: Simulated tables are written as CSV (banner comment lines) or Parquet (file metadata).
SIMULATED_SUFFIXES: Final[tuple[str, ...]] = (".csv", ".parquet", ".pq")
CSV_BANNER: Final = (
    "# SIMULATED STARS, NOT MEASUREMENTS: sedviz.simulate.core from Pecaut & Mamajek templates"
)


def check_simulated(table: pd.DataFrame) -> pd.DataFrame:
    """Return *table* if every row is marked simulated, else raise :class:`SedvizError`."""
    if SIMULATED not in table.columns:
        raise SedvizError(
            f"this table has no '{SIMULATED}' column: it is not a simulated table "
            "(make one with 'python -m sedviz simulate')"
        )
    flags = table[SIMULATED].astype("string").str.lower().isin(["true", "1"])
    if not bool(flags.all()):
        raise SedvizError(f"{int((~flags).sum())} rows are not marked simulated; refusing to mix")
    return table


def save_simulated_table(
    table: pd.DataFrame, path: str | Path, record: Mapping[str, Any] | None = None
) -> Path:
    """Write a simulated table as CSV (banner comment lines) or Parquet (file metadata).

    Parameters
    ----------
    table : DataFrame
        From :func:`simulate_stars` (every row marked simulated).
    path : str or Path
        ``.csv`` or ``.parquet``.
    record : mapping, optional
        Seed and settings, stored as JSON beside the banner / in the metadata.
    """
    check_simulated(table)
    path = check_output_path(path, SIMULATED_SUFFIXES)
    meta = json.dumps({"simulated": True, **dict(record or {})}, default=str)
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(f"{CSV_BANNER}\n# {METADATA_KEY}: {meta}\n")
            table.to_csv(handle, index=False)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        arrow = pa.Table.from_pandas(table, preserve_index=False)
        schema_meta = {**(arrow.schema.metadata or {}), METADATA_KEY.encode(): meta.encode()}
        pq.write_table(arrow.replace_schema_metadata(schema_meta), path)
    return path


def load_simulated_table(path: str | Path) -> pd.DataFrame:
    """Read a table written by :func:`save_simulated_table`; refuse one with real rows."""
    return check_simulated(load_star_table(path))


def load_simulation_record(path: str | Path) -> dict[str, Any]:
    """Return the simulation record stored in a file by :func:`save_simulated_table` ({} if none)."""
    path = Path(path)
    if path.suffix.lower() != ".csv":
        import pyarrow.parquet as pq

        meta = pq.read_schema(path).metadata or {}
        raw = meta.get(METADATA_KEY.encode())
        return dict(json.loads(raw)) if raw else {}
    prefix = f"# {METADATA_KEY}: "
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                break
            if line.startswith(prefix):
                return dict(json.loads(line[len(prefix) :]))
    return {}
