"""Retrain page, results: the comparison, keeping the model, the saved models and their cards.

Keeping saves to the registry atomically (:func:`sedviz.classifier.registry.save_model`)
and, if asked, makes the model this *session's* model for its target
(:func:`sedviz.ui.state.set_model_name`): the HR colours and SHAP of this
session then use it, other sessions keep theirs. The registry's active model
(shared by everyone) is changed only from the command line
(``python -m sedviz train --activate``).
"""

from __future__ import annotations

import json

import streamlit as st

from sedviz.classifier.registry import (
    DEFAULT_PREFIX,
    delete_model,
    get_active_model_name,
    load_card,
    save_model,
)
from sedviz.errors import SedvizError
from sedviz.plots.retrain import plot_confusion, plot_disagreement_map, plot_f1_change
from sedviz.retrain.compare import CHANGE
from sedviz.retrain.job import RetrainResult
from sedviz.retrain.subset import build_model_name
from sedviz.ui import cache
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
    cols = st.columns([3, 3, 1], vertical_alignment="bottom")
    cols[0].text_input(
        "Name", value=build_model_name(target, result.subset, result.finished_utc),
        key="retrain.name", help="letters, digits, '.', '_' or '-'; up to 64 characters",
    )  # fmt: skip
    cols[1].checkbox("Use it now in this session (HR colours, SHAP)", value=True,
                     key="retrain.use_now")  # fmt: skip
    cols[2].button("Keep", icon=":material/save:", key="retrain.keep", on_click=_keep,
                   args=(result, target))  # fmt: skip
    outcome = st.session_state.pop(_KEPT, None)
    if isinstance(outcome, tuple):
        ok, text = outcome
        (st.success if ok else st.error)(text)


def _keep(result: RetrainResult, target: str) -> None:
    name = str(st.session_state.get("retrain.name", "")).strip()
    use_now = bool(st.session_state.get("retrain.use_now", True))
    try:
        save_model(result.model, name)
    except SedvizError as exc:
        st.session_state[_KEPT] = (False, f"Not saved: {exc}")
        return
    cache.models_frame.clear()
    if use_now:
        S.set_model_name(target, name)
    in_use = " and in use in this session (HR diagram, Explain)" if use_now else ""
    st.session_state[_KEPT] = (True, f"Saved as `{name}`{in_use}.")


def _delete(name: str, target: str) -> None:
    try:
        delete_model(name)
    except SedvizError as exc:
        S.push_notice(f"Not deleted: {exc}")
        return
    if S.get_model_name(target) == name:
        S.set_model_name(target, None)
    cache.models_frame.clear()
    cache.model.clear()
    S.push_notice(f"Deleted model {name}.")


def saved_models(target: str) -> None:
    """The saved models of *target* with their cards; delete buttons (never the defaults)."""
    frame = cache.models_frame()
    frame = frame[frame["target"] == target]
    st.dataframe(frame, hide_index=True, key="retrain.models")
    in_use, registry_active = S.get_model_name(target), get_active_model_name(target)
    for name in frame["name"]:
        with st.expander(f"{name}" + (" · in use" if name == in_use else "")):
            try:
                card = load_card(name)
            except SedvizError as exc:
                st.error(str(exc))
                continue
            subset = card.get("subset", {})
            st.markdown(f"**Subset:** {subset.get('description', 'whole training split')}  \n"
                        f"**Id hash:** `{subset.get('id_hash', '-')}` · **created** {card.get('created_utc', '')}")  # fmt: skip
            st.code(json.dumps(_card_summary(card), indent=1, default=str), language="json")
            protected = name.startswith(DEFAULT_PREFIX) or name == registry_active
            st.button(
                "Delete", key=f"retrain.delete.{name}", disabled=protected,
                on_click=_delete, args=(name, target), icon=":material/delete:",
                help="shipped defaults and the registry's active model cannot be deleted",
            )  # fmt: skip


def _card_summary(card: dict[str, object]) -> dict[str, object]:
    keys = ("target", "metrics_are_on", "retrain", "comparison", "params", "versions")
    out = {k: card[k] for k in keys if k in card}
    metrics = card.get("metrics")
    if isinstance(metrics, dict):
        out["metrics"] = {
            k: metrics.get(k) for k in ("n", "accuracy", "balanced_accuracy", "macro_f1")
        }
    return out
