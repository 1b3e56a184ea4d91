"""Make ``st.navigation`` in ``app.py`` the only router, even with a ``pages/`` folder.

Streamlit decides once per server process, before any script runs, whether the
app uses the legacy ``pages/`` folder (MPA v1): it does if ``pages/`` exists,
until ``st.navigation`` is first called. In v1 mode a deep link such as
``/hr-diagram`` runs the page script directly, without ``app.py`` (no sidebar,
no shared set-up). Every page calls :func:`require_app_router` first: in v1 mode
it switches the process to v2 and reruns, so ``app.py`` routes the same URL.
This happens at most once per server process.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def require_app_router() -> None:
    """Rerun through ``app.py`` if Streamlit started this page in legacy mode."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
