"""The one caching layer of the app: tables with ``st.cache_data``, models with ``st.cache_resource``.

Everything below this module is cache-free; pages call these functions and
never cache on their own. Cached values are shared by every session and must
never be mutated by callers.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sedviz.catalog import load_catalog


@st.cache_data(show_spinner="Loading the embedded catalogue…")
def catalog_frame() -> pd.DataFrame:
    """The embedded real-star catalogue (about 107,000 stars)."""
    return load_catalog()
