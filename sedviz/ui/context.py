"""What every page needs about the current view, with failures turned into messages.

These wrap :mod:`sedviz.ui.cache` for the current :mod:`sedviz.ui.state`: the
star table (falling back to the embedded catalogue with an error message when
a query fails), the predictions of the session's model (None with a warning
when there is no model yet), the selected star's row, the subset's rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from sedviz import columns as C
from sedviz.catalog.lookup import row_of_id
from sedviz.classifier.registry import ModelError
from sedviz.errors import SedvizError
from sedviz.ui import cache
from sedviz.ui import state as S

TARGET_LABELS = {C.SP_CLASS: "spectral class", C.LUM_CLASS: "luminosity class"}


def current_table() -> pd.DataFrame:
    """Return the current star set's table; on failure show an error and use the catalogue."""
    star_set = S.get_star_set()
    try:
        return cache.star_table(star_set)
    except SedvizError as exc:
        st.error(f"The star set could not be loaded: {exc} Showing the embedded catalogue.")
        S.set_star_set(S.CATALOG_SET)
        return cache.catalog_frame()


def available_model(target: str) -> str | None:
    """Return the session's model name for *target* if it loads, else None (no message)."""
    name = S.get_model_name(target)
    try:
        cache.model(name)
    except (ModelError, OSError):
        return None
    return name


def model_problem(target: str) -> str:
    """Return why the model of *target* cannot be used (``""`` when it can)."""
    name = S.get_model_name(target)
    try:
        cache.model(name)
    except (ModelError, OSError) as exc:
        return (
            f"No {TARGET_LABELS[target]} model yet ({exc}). Train one with "
            f"`python -m sedviz train --target {target}` or on the Retrain page; "
            "the rest of the app works without it."
        )
    return ""


def current_predictions(target: str, *, warn: bool = True) -> pd.DataFrame | None:
    """Return predictions of the session's *target* model for the current set, or None.

    With *warn*, explain in the page why there are none.
    """
    name = available_model(target)
    if name is None:
        if warn:
            st.info(model_problem(target), icon=":material/model_training:")
        return None
    try:
        return cache.predictions(S.get_star_set(), name)
    except SedvizError as exc:
        if warn:
            st.warning(f"These stars could not be classified: {exc}")
        return None


def selected_row(table: pd.DataFrame, *, warn: bool = True) -> int | None:
    """Return the row of the selected star in *table*; warn when it is not in the set."""
    star_id = S.get_selected_star_id()
    if star_id is None:
        return None
    row = row_of_id(table, star_id)
    if row is None and warn:
        st.warning(
            f"The selected star (Gaia DR3 {star_id}) is not in the current star set "
            f"({S.get_star_set().description}). Pick another star."
        )
    return row


def subset_rows(table: pd.DataFrame) -> np.ndarray | None:
    """Return the rows of the current subset in *table* (None: no subset, use all)."""
    ids = S.get_subset_ids()
    if ids is None:
        return None
    mask = table[C.SOURCE_ID].isin(np.asarray(ids, dtype=np.int64)).to_numpy()
    return np.flatnonzero(mask)


def show_notices() -> None:
    """Show the messages kept from a callback or from the URL."""
    for level, text in S.pop_notices():
        (st.error if level == "error" else st.warning)(text)
