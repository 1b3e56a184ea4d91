"""About: where the data comes from, and how sedviz works."""

import streamlit as st

from sedviz.catalog import CATALOG_CARD_PATH
from sedviz.ui.routing import require_app_router

require_app_router()

st.title("About sedviz")
st.caption("The data card of the embedded catalogue: sources, credits, how it was joined.")
st.markdown(CATALOG_CARD_PATH.read_text(encoding="utf-8"))
