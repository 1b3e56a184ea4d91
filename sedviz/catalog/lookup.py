"""Find one star of a star table from what a user types: an id, a catalogue number or a name."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.catalog.names import resolve_star_name


def find_star_row(table: pd.DataFrame, text: str) -> int | None:
    """Return the row position in *table* of the star *text* names, or None if absent.

    Accepted (see :mod:`sedviz.catalog.names`): ``Gaia DR3 123...``, ``HIP 32349``,
    ``HD 48915``, ``HR 2491``, a bare number (Gaia ``source_id`` when >= 10^7, else a
    HIP number), a proper name (``Sirius``), a Bayer or Flamsteed designation in any
    usual spelling (``alf CMa``, ``α CMa``, ``Alpha Canis Majoris``, ``9 CMa``), and
    the offline list of well-known objects, matched by position within 30 arcsec.

    Raises
    ------
    sedviz.catalog.names.StarNameError
        When *text* is no name, designation or number (a ``SedvizError`` and a
        ``ValueError``); its ``suggestions`` hold close names.
    """
    return resolve_star_name(table, str(text))


def _first_row(table: pd.DataFrame, column: str, number: int) -> int | None:
    if column not in table.columns:
        return None
    hits = np.flatnonzero(pd.to_numeric(table[column], errors="coerce").to_numpy() == number)
    return int(hits[0]) if len(hits) else None


def row_of_id(table: pd.DataFrame, source_id: int | None) -> int | None:
    """Return the row position of Gaia ``source_id`` in *table*, or None."""
    if source_id is None:
        return None
    return _first_row(table, C.SOURCE_ID, int(source_id))
