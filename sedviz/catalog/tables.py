"""Load and validate star tables: the embedded catalogue or any user table.

One call, :func:`load_star_table`, reads any table astronomers exchange (CSV,
Parquet, VOTable, FITS, ECSV; :func:`sedviz.tableio.read_table`) with Gaia-archive
column names in any case, and checks it with :func:`validate_star_table`;
:func:`load_catalog` reads the embedded catalogue shipped in ``sedviz/data/``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from sedviz import columns as C
from sedviz.errors import StarTableError

DATA_DIR = Path(__file__).parents[1] / "data"
#: The embedded catalogue (built by ``python -m sedviz build-catalog``).
CATALOG_PATH = DATA_DIR / "catalog.parquet"
#: Its data card (sources, credits, join rules, counts, column dictionary).
CATALOG_CARD_PATH = DATA_DIR / "catalog_card.md"

_STRING_LABELS = (C.SP_CLASS, C.LUM_CLASS, C.SP_TYPE, C.SP_TYPE_SOURCE, C.PARALLAX_SOURCE)


def validate_star_table(table: pd.DataFrame) -> pd.DataFrame:
    """Check a star table and return it with normalised dtypes.

    Required columns (:data:`sedviz.columns.REQUIRED_COLUMNS`) must be present;
    every known column that is present must hold values of the right kind.
    Numeric columns become ``float64`` (``int64`` for identifiers); label
    columns become strings with ``""`` for unknown.

    Raises
    ------
    StarTableError
        Naming the first column that is missing or of the wrong type.
    """
    if not isinstance(table, pd.DataFrame):
        raise StarTableError(f"expected a table (DataFrame), got {type(table).__name__}")
    missing = [name for name in C.REQUIRED_COLUMNS if name not in table.columns]
    if missing:
        raise StarTableError(
            f"star table is missing required column(s): {', '.join(missing)} "
            f"(columns found: {', '.join(map(str, table.columns[:12]))})"
        )
    out = table.copy()
    kinds = {**C.REQUIRED_COLUMNS, **C.OPTIONAL_COLUMNS}
    for name, kind in kinds.items():
        if name not in out.columns:
            continue
        out[name] = _coerce(out[name], name, kind, required=name in C.REQUIRED_COLUMNS)
    return out


def _coerce(values: pd.Series, name: str, kind: str, *, required: bool) -> pd.Series:
    if kind == "str":
        if pd.api.types.is_string_dtype(values) and not values.isna().any():
            return values
        return values.astype("string").fillna("").astype(str)
    if pd.api.types.is_bool_dtype(values) or not (
        pd.api.types.is_numeric_dtype(values)
        or pd.api.types.is_object_dtype(values)
        or pd.api.types.is_string_dtype(values)
    ):
        raise StarTableError(f"column '{name}' must hold numbers, not {values.dtype}")
    numeric = values if pd.api.types.is_numeric_dtype(values) else _parse_numbers(values, name)
    if kind == "int":
        return _as_ids(numeric, name, required=required)
    return numeric.astype("float64")


def _parse_numbers(values: pd.Series, name: str) -> pd.Series:
    numeric = pd.to_numeric(values, errors="coerce")
    text = values.astype("string").str.strip()
    bad = numeric.isna() & values.notna() & (text != "") & (text.str.lower() != "nan")
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise StarTableError(
            f"column '{name}' must hold numbers; row {row} has {str(values.iloc[row])[:40]!r}"
        )
    return numeric


def _as_ids(numeric: pd.Series, name: str, *, required: bool) -> pd.Series:
    if required and numeric.isna().any():
        raise StarTableError(f"column '{name}' has empty values; every star needs one")
    present = numeric.dropna()
    if len(present) and (present % 1 != 0).any():
        raise StarTableError(f"column '{name}' must hold whole numbers (identifiers)")
    if numeric.isna().any():
        return numeric.astype("Int64")
    return numeric.astype("int64")


def load_star_table(path: str | Path) -> pd.DataFrame:
    """Read a star table (CSV, Parquet, VOTable, FITS or ECSV) and validate it.

    Column names match case-insensitively (``SOURCE_ID``), units are converted to the
    catalogue's (:func:`sedviz.tableio.read_table`); a table without ``source_id``
    gets one from ``designation``, ``hip`` or ``name`` (:func:`sedviz.tableio.fill_identifiers`).

    Raises
    ------
    StarTableError
        If the file is missing, unreadable, or fails :func:`validate_star_table`.
    """
    from sedviz.tableio import fill_identifiers, read_table

    table = fill_identifiers(read_table(path))
    units = dict(table.attrs.get("units", {}))
    out = validate_star_table(table)
    out.attrs["units"] = units
    return out


@lru_cache(maxsize=1)
def _load_catalog_cached(path: str) -> pd.DataFrame:
    return load_star_table(path)


def load_catalog(path: str | Path | None = None) -> pd.DataFrame:
    """Return the embedded real-star catalogue (every Hipparcos star, 118,217), validated.

    The table read from disk is cached per process (static package data); the
    caller gets a copy it may modify.
    """
    return _load_catalog_cached(str(path or CATALOG_PATH)).copy()


def has_gaia_id(ids: ArrayLike) -> np.ndarray:
    """True where a ``source_id`` is a Gaia DR3 id, False for ``-hip`` (no Gaia counterpart).

    Examples
    --------
    >>> has_gaia_id([4472832130942575872, -91262]).tolist()
    [True, False]
    """
    return np.asarray(ids, dtype=np.int64) > 0
