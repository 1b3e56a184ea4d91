"""The sidebar every page shares: current star set, models, selected star, presentation mode."""

from __future__ import annotations

import streamlit as st

from sedviz.catalog.names import star_display_name
from sedviz.classifier.targets import TARGETS
from sedviz.errors import SedvizError
from sedviz.ui import cache, context
from sedviz.ui import state as S
from sedviz.ui.presentation import apply_presentation_style
from sedviz.ui.share import share_notes


def _toggle_presentation() -> None:
    S.set_presentation_mode(bool(st.session_state.get("sidebar.presentation")))


def _clear_star() -> None:
    S.set_selected_star_id(None)


def _clear_subset() -> None:
    S.clear_subset()


def render_sidebar() -> None:
    """Draw the shared sidebar (call once per run, from ``app.py``)."""
    with st.sidebar:
        st.toggle(
            "Presentation mode",
            value=S.is_presentation_mode(),
            key="sidebar.presentation",
            on_change=_toggle_presentation,
            help="Large fonts, fewer controls and the sidebar folded away, for a projector. "
            "Open the sidebar (» at the top left) to leave it.",
        )
        _star_set_block()
        _selected_block()
        _models_block()
        st.caption(
            "Copy the address bar to share this view: star, set, subset, colouring and "
            "model are in it."
        )
        for note in share_notes():
            st.caption(f":material/link_off: {note}")
    apply_presentation_style()


def _star_set_block() -> None:
    star_set = S.get_star_set()
    st.markdown("**Star set**")
    st.caption(star_set.description)
    subset = S.get_subset_ids()
    if subset is not None:
        st.caption(f"Subset: {len(subset):,} stars ({S.get_subset_label()})")
        st.button("Use the whole set", on_click=_clear_subset, key="sidebar.clear_subset")


def _selected_block() -> None:
    star_id = S.get_selected_star_id()
    st.markdown("**Selected star**")
    if star_id is None:
        st.caption("none: click a star on the HR diagram, or type one on the SED page")
        return
    try:
        table = cache.star_table(S.get_star_set())
    except SedvizError:  # a failed query is reported by the page itself
        table = None
    row = None if table is None else context.selected_row(table, warn=False)
    label = "not in set"
    if table is not None and row is not None:
        label = star_display_name(table, row, with_hip=True)
    gaia = f"Gaia DR3 {star_id}" if star_id > 0 else "not measured by Gaia"
    st.caption(f"{label} · {gaia}")
    st.button("Clear", on_click=_clear_star, key="sidebar.clear_star")


def _models_block() -> None:
    st.markdown("**Models**")
    for target in TARGETS:
        name = S.get_model_name(target)
        ok = context.available_model(target) is not None
        status = name if ok else f"{name} (not available)"
        st.caption(f"{context.TARGET_LABELS[target]}: {status}")
