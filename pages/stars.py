"""Stars: the star set the other pages work on."""

import streamlit as st

from sedviz.ui.cache import catalog_frame
from sedviz.ui.routing import require_app_router

require_app_router()

st.title("Stars")
st.caption(
    "Real stars from the Hipparcos and Gaia DR3 catalogues, embedded in the app: no network needed."
)
stars = catalog_frame()
st.metric("Stars in the embedded catalogue", f"{len(stars):,}")
st.dataframe(stars.head(200), hide_index=True)
