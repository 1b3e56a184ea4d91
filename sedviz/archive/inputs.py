"""Check everything a user types or uploads for the archive, before any query is built.

Positions and names are read by :mod:`sedviz.positions` (astropy), lists by the one
reader :func:`sedviz.tableio.read_source_list`; here they are checked against the
archive's limits (:class:`ArchiveConfig`) and their errors become
:class:`ArchiveInputError`. Only numbers and integer identifiers reach the ADQL
builders; names travel to SIMBAD only as an uploaded table or URL-encoded.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd

from sedviz import positions
from sedviz.archive.config import ArchiveConfig, default_config
from sedviz.archive.errors import ArchiveInputError
from sedviz.errors import SedvizError
from sedviz.tableio import SourceList, read_source_list

__all__ = [
    "ConeTarget",
    "SourceList",
    "catalogue_number",
    "parse_cone_target",
    "parse_coordinates",
    "parse_name",
    "parse_radius_deg",
    "parse_source_list",
]

_CATALOGUE_NAME_RE = re.compile(r"^(gaia\s*dr3|hip|hd)\s*(\d{1,19})$", re.IGNORECASE)
T = TypeVar("T")


def _checked(call: Callable[[], T]) -> T:
    try:
        return call()
    except ArchiveInputError:
        raise
    except SedvizError as exc:
        raise ArchiveInputError(str(exc)) from None


def parse_name(text: object) -> str:
    """Check an object name (see :func:`sedviz.positions.parse_name`)."""
    return _checked(lambda: positions.parse_name(text))


def parse_coordinates(ra: object, dec: object) -> tuple[float, float]:
    """ICRS ``(ra_deg, dec_deg)`` from degrees or sexagesimal text (RA in hours)."""
    return _checked(lambda: positions.parse_coordinates(ra, dec))


def parse_radius_deg(value: object, config: ArchiveConfig) -> float:
    """A cone radius in degrees in ``(0, config.max_radius_deg]``; refused otherwise."""
    return _checked(lambda: positions.parse_radius_deg(value, config.max_radius_deg))


def catalogue_number(name: str) -> tuple[str, int] | None:
    """Return ``("source_id"|"hip"|"hd", number)`` for names like ``HIP 17702``, else None."""
    match = _CATALOGUE_NAME_RE.match(name.strip())
    if match is None:
        return None
    prefix = match.group(1).lower().replace(" ", "")
    kind = {"gaiadr3": "source_id", "hip": "hip", "hd": "hd"}[prefix]
    return kind, int(match.group(2))


@dataclass(frozen=True)
class ConeTarget:
    """A checked cone centre: a name to resolve, or ICRS degrees."""

    name: str | None = None
    ra_deg: float = math.nan
    dec_deg: float = math.nan

    @property
    def label(self) -> str:
        """The centre in words, for notices."""
        if self.name is not None:
            return self.name
        return f"RA {self.ra_deg:.5f}, Dec {self.dec_deg:+.5f}"

    def key(self) -> dict[str, object]:
        """The normalised centre for the cache key."""
        if self.name is not None:
            return {"name": self.name.casefold()}
        return {"ra": round(self.ra_deg, 7), "dec": round(self.dec_deg, 7)}


def parse_cone_target(
    name: object, ra: object, dec: object, *, where: object = None,
    frame: positions.Frame = "icrs",
) -> ConeTarget:  # fmt: skip
    """Check that exactly one of *name*, (*ra*, *dec*) or *where* is given and parse it.

    *where* is the free text of a search box: a position in any form astronomers
    type (:func:`sedviz.positions.parse_where`) or a name.
    """
    given = [name is not None, ra is not None or dec is not None, where is not None]
    if sum(given) > 1:
        raise ArchiveInputError("give either a name or RA and Dec, not both")
    if where is not None:
        found = _checked(lambda: positions.parse_where(where, frame))
        if found.name is not None:
            return ConeTarget(name=found.name)
        return ConeTarget(ra_deg=found.ra_deg, dec_deg=found.dec_deg)
    if name is not None:
        return ConeTarget(name=parse_name(name))
    if ra is None or dec is None:
        raise ArchiveInputError("give a name, or both RA and Dec")
    ra_deg, dec_deg = _checked(lambda: positions.parse_coordinates(ra, dec, frame))
    return ConeTarget(ra_deg=ra_deg, dec_deg=dec_deg)


def parse_source_list(
    data: bytes | str | Path | pd.DataFrame, config: ArchiveConfig | None = None,
    *, file_name: str | None = None,
) -> SourceList:  # fmt: skip
    """Read a source list (file, bytes, CSV text or DataFrame) and check the archive's limits.

    Any format of :func:`sedviz.tableio.read_table`; bytes without a *file_name* are CSV.
    The first of ``source_id`` (or ``designation``), ``hip``, ``ra`` + ``dec``, ``name``
    decides the kind.

    Raises
    ------
    ArchiveInputError
        Naming the first bad row, or when the list is empty or too long.
    """
    config = config or default_config()
    source = data.encode() if isinstance(data, str) else data
    sources = _checked(lambda: read_source_list(source, file_name))
    n_rows = max(sources.n_rows, len(sources))
    if n_rows > config.max_list_size:
        raise ArchiveInputError(
            f"the source list has {n_rows:,} rows; the limit is {config.max_list_size:,}"
        )
    if sources.kind == "name":
        if len(sources) > config.max_names:
            raise ArchiveInputError(
                f"the list has {len(sources):,} names; the limit is {config.max_names:,}"
            )
        for row, name in zip(sources.rows, sources.names, strict=True):
            try:
                positions.parse_name(name)
            except SedvizError as exc:
                raise ArchiveInputError(f"row {row}: {exc}") from None
    return sources
