"""Stars: choose the star set the other pages work on (embedded catalogue, cone search, list)."""

import streamlit as st

from sedviz.archive import DEFAULT_ROW_LIMIT, MAX_ROW_LIMIT, SOURCE_LABELS
from sedviz.errors import SedvizError
from sedviz.ui import cache, context, starsets, widgets
from sedviz.ui import state as S
from sedviz.ui.presentation import page_header
from sedviz.ui.routing import require_app_router
from sedviz.views.display import ids_as_text

require_app_router()

page_header(
    "Stars",
    "Choose which stars to look at: the whole Hipparcos catalogue, about 118,000 real stars "
    "(with Gaia's measurements where Gaia has them), is built in (no network needed); or ask "
    "the Gaia archive for the stars around a cluster or a position, or upload your own list.",
)
context.show_notices()
star_set = S.get_star_set()

st.subheader("Start with a star")
st.caption("One click opens the star's light (SED); from there, its place on the HR diagram.")
widgets.star_gallery()
st.subheader("Choose the star set")

if not S.is_presentation_mode():
    source = st.segmented_control(
        "Where the stars come from", list(starsets.SOURCES), format_func=starsets.SOURCES.__getitem__,
        default="catalog", key="stars.source",
    )  # fmt: skip
    if source == "cone":
        left, right = st.columns([3, 1])
        left.text_input(
            "Object name or position (84.05 -1.2, 5:36:12 -1:12:07, G 209.0 -19.4)",
            "Pleiades", key=starsets.CONE_WHERE_KEY,
        )  # fmt: skip
        # No min/max here: the library refuses a radius out of range with a message.
        right.number_input(
            "Radius (degrees, up to 2)", value=1.0, step=0.1, key=starsets.CONE_RADIUS_KEY
        )
    if source in ("cone", "list"):
        st.number_input(
            "Row limit (the brightest stars kept)", 1, MAX_ROW_LIMIT,
            DEFAULT_ROW_LIMIT, 1000, key=starsets.ROW_LIMIT_KEY,
            help="Above 2,000 the archive runs a job; large answers take longer.",
        )  # fmt: skip
    if source == "cone":
        search, cancel = st.columns([1, 5])
        search.button(
            "Search", icon=":material/search:", key="stars.search", on_click=starsets.on_search
        )
        cancel.button("Cancel", key="stars.cancel", on_click=starsets.on_cancel)
    elif source == "list":
        upload = st.file_uploader(
            "Table (CSV, VOTable, FITS, ECSV, Parquet) with a column source_id, hip, "
            "ra and dec, or name",
            type=starsets.UPLOAD_TYPES,
        )
        if upload is not None:
            starsets.choose_list(upload.getvalue(), upload.name)
            context.show_notices()
    elif source == "catalog" and star_set.kind != "catalog":
        st.button("Back to the embedded catalogue", on_click=S.set_star_set, args=(S.CATALOG_SET,))

star_set = S.get_star_set()
table = context.current_table()
cols = st.columns(3)
cols[0].metric("Stars in the set", f"{len(table):,}")
cols[1].metric("With a catalogued type", f"{starsets.count_typed(table):,}")
if star_set.kind != "catalog":
    try:
        result = cache.query_result(star_set)
    except SedvizError as exc:
        st.error(f"The query failed: {exc}")
    else:
        cols[2].metric(
            "Answered by", starsets.SHORT_SOURCE.get(result.source, result.source),
            help=SOURCE_LABELS.get(result.source, result.source),
        )  # fmt: skip
        (st.warning if result.truncated or result.source == "embedded" else st.info)(result.notice)
        starsets.show_not_found(result)
        st.button(
            "Ask the archive again", on_click=starsets.retry, icon=":material/refresh:",
            help="Skip the cache and query the archive now.",
        )  # fmt: skip
else:
    cols[2].metric("Answered by", "built-in", help="the embedded catalogue, no network")
st.markdown(f"**Current set:** {star_set.description}")
if not S.is_presentation_mode():
    st.dataframe(ids_as_text(starsets.preview_frame(table)), hide_index=True, height=420)
    st.caption("First 500 stars, brightest first. Pick one on the SED page or the HR diagram.")
