"""Presentation mode: a projector view of every page (compact header, one type scale).

At 1280x720 the page's main figure must start above the fold: the page title
shrinks to one line (its introduction moves into the title's tooltip), the
sidebar starts folded (``app.py``), and the page's type is set to the same
pixel size as the figures' (:func:`sedviz.plots.theme.font_size`), so text in
and around the figures scales together.
"""

from __future__ import annotations

import streamlit as st

from sedviz.plots.theme import font_size
from sedviz.ui import state as S

#: Static CSS (no user text) for presentation mode. The root size is the figures'
#: font size; every Streamlit size below is in rem, so it all scales from it.
PRESENTATION_CSS = f"""
<style>
html {{ font-size: {font_size(True)}px; }}
[data-testid="stHeader"] {{ background: transparent; height: 2.25rem; }}
[data-testid="stMainBlockContainer"] {{
  padding-top: 2.25rem !important; padding-bottom: 1rem !important; max-width: 100% !important;
}}
[data-testid="stMain"] h1 {{ font-size: 1.6rem !important; padding: 0 0 0.2rem 0 !important; }}
[data-testid="stMain"] h2, [data-testid="stMain"] h3 {{
  font-size: 1.25rem !important; padding: 0.2rem 0 !important;
}}
[data-testid="stMain"] [data-testid="stVerticalBlock"] {{ gap: 0.5rem; }}
[data-testid="stMetricLabel"] p {{ font-size: 1rem !important; }}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] > div {{
  font-size: 2.2rem !important; line-height: 1.2 !important;
}}
</style>
"""


def apply_presentation_style() -> None:
    """Inject :data:`PRESENTATION_CSS` when the session is in presentation mode."""
    if S.is_presentation_mode():
        st.html(PRESENTATION_CSS)


def page_header(title: str, intro: str) -> None:
    """Show the page's title and its one-paragraph introduction.

    In presentation mode the introduction becomes the title's tooltip, so the
    page's figure starts right under a one-line title.
    """
    if S.is_presentation_mode():
        st.title(title, help=intro, anchor=False)
    else:
        st.title(title, anchor=False)
        st.caption(intro)
