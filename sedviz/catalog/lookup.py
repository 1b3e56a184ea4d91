"""Find one star of a star table from what a user types: an id, a catalogue number or a name."""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.archive.errors import ArchiveInputError
from sedviz.archive.inputs import catalogue_number, parse_name
from sedviz.archive.offline import angular_distance_deg, resolve_name_offline

#: Named stars are matched to the nearest star within this radius.
NAME_MATCH_RADIUS_DEG: Final = 30.0 / 3600.0
#: Bare numbers at or above this are Gaia DR3 source_ids, below it HIP numbers.
MIN_SOURCE_ID: Final = 10_000_000


def find_star_row(table: pd.DataFrame, text: str) -> int | None:
    """Return the row position in *table* of the star *text* names, or None if absent.

    Accepted: ``Gaia DR3 123...``, ``HIP 32349``, ``HD 48915``, a bare number
    (Gaia ``source_id`` when >= 10^7, else a HIP number) or a bright-star name
    known offline (``Sirius``, ``Vega``...), matched within 30 arcsec.

    Raises
    ------
    ArchiveInputError
        When *text* is not a valid identifier or name (nothing is looked up).
    """
    text = str(text).strip()
    if text.isdigit():
        number = int(text)
        kind = C.SOURCE_ID if number >= MIN_SOURCE_ID else C.HIP
        return _first_row(table, kind, number)
    name = parse_name(text)
    parsed = catalogue_number(name)
    if parsed is not None:
        return _first_row(table, parsed[0], parsed[1])
    position = resolve_name_offline(name, None)
    if position is None:
        raise ArchiveInputError(
            f"unknown star name {name!r}: type a HIP, HD or Gaia DR3 number instead"
        )
    distance = angular_distance_deg(
        table[C.RA].to_numpy(float), table[C.DEC].to_numpy(float), *position
    )
    if not len(distance) or np.nanmin(distance) > NAME_MATCH_RADIUS_DEG:
        return None
    return int(np.nanargmin(distance))


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
