"""Retrain page, results: the comparison and keeping the model.

Keeping saves to the runtime models folder atomically
(:func:`sedviz.classifier.registry.save_model`) with this session's owner token,
within the quotas (:mod:`sedviz.ui.saved_models`), and, if asked, makes the
model this *session's* model for its target (:func:`sedviz.ui.state.set_model_name`):
the HR colours and SHAP of this session then use it, other sessions keep theirs.
The class default (shared by every session that has not chosen) is changed only
in teacher mode or from the command line (``python -m sedviz train --activate``).
"""

from __future__ import annotations

import streamlit as st

from sedviz.classifier.registry import save_model
from sedviz.errors import SedvizError
from sedviz.plots.retrain import plot_confusion, plot_disagreement_map, plot_f1_change
from sedviz.retrain.compare import CHANGE
from sedviz.retrain.job import RetrainResult
from sedviz.retrain.subset import build_model_name
from sedviz.ui import cache
from sedviz.ui import saved_models as SM
from sedviz.ui import state as S

_KEPT = "sedviz.retrain.subset.kept"
_CONFIG = {"displaylogo": False}


def show_comparison(result: RetrainResult) -> None:
    """Metrics side by side, both confusion matrices, F1 change per class, disagreement map."""
    comp = result.comparison
    st.subheader("New model vs the active model")
    st.caption(
        f"Same {comp.n_held_out:,} {comp.held_out_description}, never trained on by either model. "
        f"Active model: `{comp.active_name}`. Trained in {result.train_s:.1f} s "
        f"({result.model.best_iteration_ + 1} rounds), compared in {result.evaluate_s:.1f} s."
    )
    metrics = comp.metrics.rename(columns={"active": f"active ({comp.active_name})"})
    st.dataframe(metrics.style.format("{:.3f}").format("{:+.3f}", subset=[CHANGE]))
    left, right = st.columns(2)
    left.plotly_chart(plot_confusion(comp.confusion_active, f"Active: {comp.active_name}"),
                      key="retrain.cm_active", config=_CONFIG)  # fmt: skip
    right.plotly_chart(plot_confusion(comp.confusion_new, "New model"),
                       key="retrain.cm_new", config=_CONFIG)  # fmt: skip
    left, right = st.columns([2, 3])
    left.plotly_chart(plot_f1_change(comp.f1), key="retrain.f1", config=_CONFIG)
    right.plotly_chart(plot_disagreement_map(comp.stars), key="retrain.map", config=_CONFIG)
    st.caption(f"The two models disagree on {comp.n_disagree:,} of {comp.n_held_out:,} stars.")


def keep_form(result: RetrainResult, target: str) -> None:
    """Name (validated), keep in the registry, optionally use it in this session."""
    st.markdown("**Keep this model**")
    cols = st.columns([3, 2, 2, 1], vertical_alignment="bottom")
    cols[0].text_input(
        "Name", value=build_model_name(target, result.subset, result.finished_utc),
        key="retrain.name", help="letters, digits, '.', '_' or '-'; up to 64 characters",
    )  # fmt: skip
    cols[1].checkbox("Use it now in this session", value=True,
                     key="retrain.use_now")  # fmt: skip
    cols[2].checkbox("Replace my model of that name", value=False, key="retrain.replace",
                     help="only a model this session kept (or, for the teacher, any)")  # fmt: skip
    cols[3].button("Keep", icon=":material/save:", key="retrain.keep", on_click=_keep,
                   args=(result, target))  # fmt: skip
    outcome = st.session_state.pop(_KEPT, None)
    if isinstance(outcome, tuple):
        ok, text = outcome
        (st.success if ok else st.error)(text)


def _keep(result: RetrainResult, target: str) -> None:
    name = str(st.session_state.get("retrain.name", "")).strip()
    use_now = bool(st.session_state.get("retrain.use_now", True))
    replace = bool(st.session_state.get("retrain.replace", False))
    try:
        save_model(result.model, name, overwrite=replace, editor=SM.editor(), quota=SM.quota())
    except SedvizError as exc:
        st.session_state[_KEPT] = (False, f"Not kept: {exc}.")
        return
    if replace:  # nothing cached under that name may be served again (rare: clear all)
        for cached in (cache.model, cache.predictions, cache.hr_data, cache.hr_figure,
                       cache.set_shap, cache.global_explain_figures, cache.dependence_figure):  # fmt: skip
            cached.clear()
    cache.models_frame.clear()
    if use_now:
        S.set_model_name(target, name)
    in_use = " and in use in this session (HR diagram, Explain)" if use_now else ""
    st.session_state[_KEPT] = (True, f"Saved as `{name}`{in_use}.")
