"""Choosing a star set on the Stars page: parse the request, check it, make it current."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from sedviz import columns as C
from sedviz.archive import (
    DEFAULT_ROW_LIMIT,
    ArchiveError,
    QueryResult,
    default_config,
    parse_cone_target,
    parse_radius_deg,
    parse_source_list,
)
from sedviz.archive.config import GAIA_SYNC_ROW_CAP
from sedviz.tableio import READ_FORMATS
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


CONE_WHERE_KEY = "stars.where"
CONE_RADIUS_KEY = "stars.radius"
ROW_LIMIT_KEY = "stars.row_limit"
#: File types the list upload accepts (the one table reader's formats).
UPLOAD_TYPES = sorted(suffix.lstrip(".") for suffix in READ_FORMATS)


def _try(star_set: S.StarSet) -> None:
    """Run the query now so a bad request is reported here; keep the old set if it fails.

    Large row limits run as an asynchronous archive job: its phase is shown while it
    runs, and any click (the Cancel button) stops it; the archive job is then removed.
    """
    try:
        if star_set.row_limit > GAIA_SYNC_ROW_CAP:
            with st.status("Asking the archive (a large query runs as a job)…") as status:

                def progress(phase: str, elapsed_s: float) -> None:
                    status.update(label=f"Archive job {phase.lower()}, {elapsed_s:.0f} s…")

                cache.answer_star_set(star_set, progress)  # fills the disk cache
                status.update(label="Archive answer received", state="complete")
        with st.spinner("Asking the archive…"):
            cache.query_result(star_set)
    except ArchiveError as exc:
        S.push_notice(f"The query failed: {exc}", level="error")
        return
    S.set_star_set(star_set)


def row_limit() -> int:
    """The row limit chosen on the page (default 5,000, at most 100,000)."""
    value = st.session_state.get(ROW_LIMIT_KEY, DEFAULT_ROW_LIMIT)
    return int(value) if isinstance(value, int | float) else DEFAULT_ROW_LIMIT


def on_search() -> None:
    """Callback of the Search button: query the cone typed in the two inputs."""
    where = str(st.session_state.get(CONE_WHERE_KEY, ""))
    choose_cone(where, st.session_state.get(CONE_RADIUS_KEY, 1.0))


def on_cancel() -> None:
    """Callback of the Cancel button: the click itself stops a running query."""
    S.push_notice("The query was cancelled; the star set did not change.", level="info")


def choose_cone(where: str, radius_deg: object) -> None:
    """Make the cone around *where* (a name or a position in any usual form) current.

    Positions are parsed here (:func:`sedviz.positions.parse_where`), so a typo is
    reported at once with what could not be read; failures are kept as notices for the
    page (this also runs as a callback), and the previous set's notices are dropped.
    """
    S.pop_notices()
    try:
        target = parse_cone_target(None, None, None, where=where)
        radius = parse_radius_deg(radius_deg, default_config())
    except ArchiveError as exc:
        S.push_notice(f"{exc}", level="error")
        return
    description = f"cone of {radius:g} deg around {' '.join(where.split())[:60]}"
    if target.name is not None:
        star_set = S.StarSet("cone", name=target.name, radius_deg=radius)
    else:
        star_set = S.StarSet(
            "cone", ra=repr(target.ra_deg), dec=repr(target.dec_deg), radius_deg=radius
        )
    _try(replace(star_set, description=description, row_limit=row_limit()))


def choose_list(data: bytes, file_name: str) -> None:
    """Make the uploaded source list (any table format) the current star set."""
    try:
        sources = parse_source_list(data, file_name=file_name)
    except ArchiveError as exc:
        S.push_notice(f"{file_name}: {exc}", level="error")
        return
    description = f"{len(sources):,} stars listed in {file_name[:60]}"
    star_set = S.StarSet("list", sources=sources, description=description, row_limit=row_limit())
    if star_set != S.get_star_set():
        S.pop_notices()
        _try(star_set)


def show_not_found(result: QueryResult) -> None:
    """List the uploaded rows no star answered, with the reason, and offer them as CSV."""
    missing = result.not_found
    if missing.empty:
        return
    with st.expander(f"{len(missing):,} listed row(s) not found", expanded=len(missing) <= 20):
        st.dataframe(missing, hide_index=True)
        st.download_button(
            "Download the not-found list (CSV)", missing.to_csv(index=False).encode(),
            file_name="not_found.csv", mime="text/csv", icon=":material/download:",
        )  # fmt: skip


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
