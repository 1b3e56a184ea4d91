"""Make ``st.navigation`` in ``app.py`` the only router, even with a ``pages/`` folder.

Streamlit decides once per server process, before any script runs, whether the
app uses the legacy ``pages/`` folder (MPA v1): it does if ``pages/`` exists,
until ``st.navigation`` is first called. In v1 mode a deep link runs the page
script directly, without ``app.py`` (no sidebar, no shared state). Two things
make that harmless:

* every page's ``url_path`` in ``app.py`` equals its file name (``hr_diagram``),
  so the legacy router finds the same page a link names (no "Page not found");
* ``app.py`` runs the page inside :func:`routed_by_app`, and every page calls
  :func:`require_app_router` first: a page run by the legacy router switches the
  process to ``st.navigation`` and reruns, so ``app.py`` routes the same URL.
  This happens at most once per server process.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

_local = threading.local()


@contextmanager
def routed_by_app() -> Iterator[None]:
    """Mark the page run inside this block as routed by ``app.py`` (per script thread)."""
    _local.routed = True
    try:
        yield
    finally:
        _local.routed = False


def require_app_router() -> None:
    """Rerun through ``app.py`` if this page was started by Streamlit's legacy router."""
    if getattr(_local, "routed", False):
        return
    PagesManager.uses_pages_directory = False
    st.rerun()
