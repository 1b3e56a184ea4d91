"""Export a star subset with its predictions: CSV and VOTable bytes, no files written."""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from sedviz import columns as C
from sedviz.tableio import votable_bytes


def subset_frame(
    table: pd.DataFrame,
    ids: Sequence[int] | None = None,
    predictions: Sequence[pd.DataFrame] = (),
) -> pd.DataFrame:
    """Return the stars of *table* whose ``source_id`` is in *ids* (all when None), with predictions.

    Each frame of *predictions* (same index as *table*, e.g. one per target) is
    joined; later frames get their column names prefixed with nothing, so give
    frames with distinct column names (see :func:`prefix_columns`). Row order
    follows *table*.
    """
    out = table
    for frame in predictions:
        out = out.join(frame, how="left")
    if ids is not None:
        out = out[out[C.SOURCE_ID].isin(np.asarray(list(ids), dtype=np.int64))]
    return out.reset_index(drop=True)


def prefix_columns(frame: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """Return *frame* with every column renamed ``<prefix><name>`` (a new frame)."""
    return frame.add_prefix(prefix)


def build_csv_bytes(frame: pd.DataFrame) -> bytes:
    """Return *frame* as UTF-8 CSV bytes (no index; floats at full precision).

    Written by Arrow's C++ CSV writer, ten times sooner than ``DataFrame.to_csv`` for the
    whole catalogue (0.61 s against 6.99 s for 118,217 stars x 65 columns; docs/dashboard.md).
    The header is plain; text is quoted, missing values are empty, booleans are
    ``true``/``false``: what spreadsheets, TOPCAT and pandas read.
    """
    buffer = io.BytesIO()
    options = pacsv.WriteOptions(quoting_header="none")  # column names are plain identifiers
    pacsv.write_csv(pa.Table.from_pandas(frame, preserve_index=False), buffer, options)
    return buffer.getvalue()


def build_votable_bytes(frame: pd.DataFrame, description: str = "") -> bytes:
    """Return *frame* as a VOTable 1.4 document (bytes, BINARY2 serialisation: compact and fast).

    Nullable integer columns become masked integers; text columns stay text; the
    catalogue's columns carry their units (:func:`sedviz.tableio.votable_bytes`, the
    writer of every VOTable: the whole catalogue in a few seconds).
    """
    return votable_bytes(frame, description)
