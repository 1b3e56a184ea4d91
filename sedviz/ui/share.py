"""The share link's subset and models: written into the URL, restored once per session.

:mod:`sedviz.ui.state` carries the star, star set, colouring and target; this
adds what a classmate needs to see the same thing:

* ``sel``: the box or lasso that made the subset (:mod:`sedviz.views.share`);
  opening the link selects the stars inside it again;
* ``model_sp_class`` / ``model_lum_class``: the session's model, when it is
  not the server's active one.

What cannot travel (a subset of points picked one by one, an uploaded star
list, a model deleted since) is said plainly, on both ends: :func:`share_notes`
for the sender, a notice for the receiver.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from sedviz.classifier.registry import ModelError, get_active_model_name
from sedviz.classifier.targets import TARGETS
from sedviz.errors import SedvizError
from sedviz.ui import cache, context
from sedviz.ui import state as S
from sedviz.views.hr import rows_to_ids
from sedviz.views.share import compute_region_rows, decode_region

_READ = "sedviz.share_read"
SUBSET_PARAM = "sel"
MODEL_PARAMS = {target: f"model_{target}" for target in TARGETS}


def _active_model(target: str) -> str | None:
    try:
        return get_active_model_name(target)
    except ModelError:
        return None


def share_params() -> dict[str, str]:
    """Return the link parameters for the subset and the session's models (see module doc)."""
    out: dict[str, str] = {}
    if S.get_subset_ids() is not None and S.get_subset_region() and S.get_star_set().shareable:
        out[SUBSET_PARAM] = S.get_subset_region()
    for target, param in MODEL_PARAMS.items():
        name = S.get_model_name(target)
        if name != _active_model(target):
            out[param] = name
    return out


def share_notes() -> list[str]:
    """Return, in words, what the current link cannot carry (empty: everything is in it)."""
    notes = []
    star_set = S.get_star_set()
    if not star_set.shareable:
        notes.append(
            "An uploaded star list cannot go into a link: it opens the embedded catalogue."
        )
    elif S.get_subset_ids() is not None and not S.get_subset_region():
        notes.append(
            f"This subset ({S.get_subset_label()}) cannot go into a link, only a box or lasso "
            "can: the link opens the whole set."
        )
    return notes


def restore_from_link() -> None:
    """Once per session: take the subset and the models from the URL (bad values: a notice)."""
    if st.session_state.get(_READ):
        return
    st.session_state[_READ] = True
    params = st.query_params
    for target, param in MODEL_PARAMS.items():
        name = params.get(param, "")
        if name:
            _restore_model(target, name)
    region = params.get(SUBSET_PARAM, "")
    if region:
        _restore_subset(region)


def _restore_model(target: str, name: str) -> None:
    S.set_model_name(target, name[:64])
    if context.available_model(target) is None:
        S.set_model_name(target, None)
        S.push_notice(
            f"The link used the {context.TARGET_LABELS[target]} model {name[:64]!r}, which this "
            f"server does not have (deleted, or saved in another app): using "
            f"{S.get_model_name(target)!r} instead."
        )


def _restore_subset(text: str) -> None:
    star_set = S.get_star_set()
    try:
        region = decode_region(text[:2000])
        table = cache.star_table(star_set)
        frame = cache.hr_data(star_set, None, S.get_target(), region.axes == "teff_lum")
    except SedvizError as exc:
        S.push_notice(f"The link's subset could not be restored ({exc}); showing the whole set.")
        return
    rows = compute_region_rows(frame, region)
    ids = rows_to_ids(table, np.asarray(rows))
    S.set_subset_ids(ids, f"{region.shape} on the HR diagram, from a link", text)
    if not ids:
        S.push_notice(f"The link's {region.shape} holds no star of {star_set.description}.")
