"""Explain: why the classifier gave the selected star its class (work in progress)."""

import streamlit as st

from sedviz.ui.routing import require_app_router

require_app_router()

st.title("Explain")
st.caption("Why did the computer choose this class? Coming next.")
