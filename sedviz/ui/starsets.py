"""Choosing a star set on the Stars page: parse the request, check it, make it current."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from sedviz import columns as C
from sedviz.archive import ArchiveError, parse_source_list
from sedviz.ui import cache
from sedviz.ui import state as S

SOURCES = {
    "catalog": "Embedded catalogue",
    "cone": "Around an object or position",
    "list": "Upload a list",
}
#: Short names of the sources that answer, for a metric tile.
SHORT_SOURCE = {"archive": "Gaia archive", "cache": "local cache", "embedded": "built-in"}
PREVIEW_COLUMNS = [
    C.HIP,
    C.SOURCE_ID,
    C.SP_TYPE,
    C.G_MAG,
    C.BP_MAG,
    C.RP_MAG,
    C.PARALLAX,
    C.RA,
    C.DEC,
]


def _try(star_set: S.StarSet) -> None:
    """Run the query now so a bad request is reported here; keep the old set if it fails."""
    try:
        with st.spinner("Asking the archive…"):
            cache.query_result(star_set)
    except ArchiveError as exc:
        S.push_notice(f"The query failed: {exc}", level="error")
        return
    S.set_star_set(star_set)


CONE_WHERE_KEY = "stars.where"
CONE_RADIUS_KEY = "stars.radius"


def on_search() -> None:
    """Callback of the Search button: query the cone typed in the two inputs."""
    where = str(st.session_state.get(CONE_WHERE_KEY, ""))
    choose_cone(where, float(st.session_state.get(CONE_RADIUS_KEY, 1.0)))


def choose_cone(where: str, radius_deg: float) -> None:
    """Make the cone around *where* (a name, or ``RA, Dec``) the current star set.

    Failures are kept as notices for the page (this also runs as a callback).
    """
    where = where.strip()
    parts = [p.strip() for p in where.replace(";", ",").split(",")]
    description = f"cone of {radius_deg:g} deg around {where[:60]}"
    if len(parts) == 2 and all(parts):
        star_set = S.StarSet("cone", ra=parts[0], dec=parts[1], radius_deg=radius_deg)
    else:
        star_set = S.StarSet("cone", name=where, radius_deg=radius_deg)
    _try(replace(star_set, description=description))


def choose_list(data: bytes, file_name: str) -> None:
    """Make the uploaded source list the current star set."""
    try:
        sources = parse_source_list(data)
    except ArchiveError as exc:
        S.push_notice(f"{file_name}: {exc}", level="error")
        return
    description = f"{len(sources):,} stars listed in {file_name[:60]}"
    star_set = S.StarSet("list", sources=sources, description=description)
    if star_set != S.get_star_set():
        _try(star_set)


def retry() -> None:
    """Callback: ask the archive again for the current set (skipping the disk cache)."""
    star_set = S.get_star_set()
    fresh = replace(star_set, refresh=True)
    try:
        cache.query_result(fresh)
    except ArchiveError as exc:
        S.push_notice(f"The archive could not be reached: {exc}", level="error")
        return
    S.set_star_set(fresh)


def count_typed(table: pd.DataFrame) -> int:
    """Return how many stars of *table* have a catalogued spectral class."""
    if C.SP_CLASS not in table.columns:
        return 0
    return int((table[C.SP_CLASS].astype(str) != "").sum())


def preview_frame(table: pd.DataFrame, n: int = 500) -> pd.DataFrame:
    """Return the *n* brightest stars with the columns worth reading."""
    cols = [c for c in PREVIEW_COLUMNS if c in table.columns]
    return table.nsmallest(n, C.G_MAG).loc[:, cols]
