"""Retrain page, inputs and training: target, subset, settings, plan, job with progress.

Training runs in a :class:`sedviz.retrain.job.RetrainJob` worker thread (one
XGBoost thread, GIL released), never in the script thread, so this session
stays responsive and other sessions are not frozen. While it runs, a fragment
re-runs every :data:`POLL_S` seconds to redraw the progress bar and loss curve
(not the whole page); when the job ends it reruns the page once to show the
comparison. The job lives in this session's state only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from sedviz import columns as C
from sedviz.classifier.targets import TARGET_CLASSES
from sedviz.errors import SedvizError
from sedviz.plots.retrain import plot_loss_curve
from sedviz.retrain.job import RetrainJob, RetrainPlan, RetrainRequest, RetrainResult, plan_retrain
from sedviz.retrain.subset import (
    HELD_OUT_SCOPES,
    MIN_TRAIN_PER_CLASS,
    PARAM_BOUNDS,
    RetrainParams,
    Subset,
    SubsetFilters,
    build_filter_subset,
    build_selection_subset,
    build_subset,
    build_upload_subset,
    build_whole_subset,
    check_params,
    load_uploaded_ids,
)
from sedviz.tableio import READ_FORMATS
from sedviz.ui import cache, context
from sedviz.ui import state as S

POLL_S = 0.5
_JOB = "sedviz.retrain.subset.job"
SOURCES = {
    "selection": "HR-diagram selection",
    "filters": "filters",
    "upload": "uploaded id list",
    "all": "whole star set",
    "simulated": "simulated stars (compare on real ones)",
}


@dataclass(frozen=True, eq=False)
class SubsetChoice:
    """The subset chosen on the page (and the simulated table when training on simulation)."""

    subset: Subset
    simulated: pd.DataFrame | None = None
    simulation: dict[str, Any] | None = None


def choose_target() -> str:
    """Radio for the target; shared with the other pages through the session state."""
    labels = context.TARGET_LABELS
    choice = st.radio(
        "Classes to learn", list(labels), index=list(labels).index(S.get_target()),
        format_func=labels.get, horizontal=True, key="retrain.target",
    )  # fmt: skip
    S.set_target(str(choice))
    return S.get_target()


def choose_subset(table: pd.DataFrame, target: str) -> SubsetChoice | None:
    """Widgets for the training subset; return it, or None (with a message) when there is none."""
    star_set = S.get_star_set().description
    sources = list(SOURCES)
    has_selection = S.get_subset_ids() is not None
    source = st.radio(
        "Train on", sources, format_func=SOURCES.get, horizontal=True, key="retrain.source",
        index=0 if has_selection else sources.index("filters"),
    )  # fmt: skip
    try:
        if source == "selection":
            return _selection(table, star_set)
        if source == "filters":
            return SubsetChoice(build_filter_subset(table, _filters(table, target), star_set))
        if source == "upload":
            return _upload(table, star_set)
        if source == "simulated":
            return _simulated()
        return SubsetChoice(build_whole_subset(table, star_set))
    except SedvizError as exc:
        st.error(str(exc))
        return None


def _selection(table: pd.DataFrame, star_set: str) -> SubsetChoice | None:
    ids = S.get_subset_ids()
    if ids is None:
        st.info("No selection yet: draw a box or lasso around stars on the HR diagram.")
        st.page_link("pages/hr_diagram.py", label="HR diagram", icon=":material/scatter_plot:")
        return None
    return SubsetChoice(build_selection_subset(table, ids, S.get_subset_label(), star_set))


def _filters(table: pd.DataFrame, target: str) -> SubsetFilters:
    cols = st.columns(3)
    g = pd.to_numeric(table[C.G_MAG], errors="coerce")
    lo, hi = (float(g.min()), float(g.max())) if g.notna().any() else (0.0, 20.0)
    bright, faint = cols[0].slider(
        "Apparent G magnitude", min_value=round(lo, 1) - 0.1, max_value=round(hi, 1) + 0.1,
        value=(round(lo, 1) - 0.1, round(hi, 1) + 0.1), step=0.1, key="retrain.g",
    )  # fmt: skip
    snr = cols[1].number_input(
        "Parallax S/N at least (0: any)", min_value=0.0, value=0.0, step=1.0, key="retrain.snr",
        help="parallax / its error; 5 means at most 20 % error",
    )  # fmt: skip
    classes = cols[2].multiselect(
        "Catalogued classes (none: all)", TARGET_CLASSES[target], key=f"retrain.classes.{target}"
    )
    return SubsetFilters(
        target=target,
        g_bright_mag=bright if bright > lo else None,
        g_faint_mag=faint if faint < hi else None,
        parallax_snr_min=float(snr) if snr > 0 else None,
        classes=tuple(classes),
    )


def _upload(table: pd.DataFrame, star_set: str) -> SubsetChoice | None:
    upload = st.file_uploader(
        "Table (CSV, VOTable, FITS, ECSV, Parquet) with a hip or source_id column",
        type=sorted(suffix.lstrip(".") for suffix in READ_FORMATS),
        key="retrain.upload",
    )
    if upload is None:
        st.info("Upload a list of stars (a `hip` or `source_id` column).")
        return None
    ids = load_uploaded_ids(upload.getvalue(), upload.name)
    return SubsetChoice(build_upload_subset(table, ids, upload.name, star_set))


def _simulated() -> SubsetChoice:
    cols = st.columns(2)
    n = int(cols[0].number_input("Simulated stars per class", 50, 3000, 300, 50, key="retrain.n"))
    seed = int(cols[1].number_input("Seed", 0, 10_000, 0, key="retrain.seed"))
    simulated = cache.simulated_stars(n, seed)
    text = (
        f"{len(simulated):,} simulated dwarfs ({n} per class, seed {seed}), compared on real stars"
    )
    mask = pd.Series(True, index=simulated.index).to_numpy()
    subset = build_subset(simulated, mask, "simulated", text)
    return SubsetChoice(subset, simulated, {"n_per_type": n, "seed": seed})


def choose_params() -> tuple[RetrainParams | None, str]:
    """Hyper-parameter widgets; return checked settings (None after an error) and the scope."""
    cols = st.columns(5)
    (lo_t, hi_t), (lo_d, hi_d), (lo_r, hi_r) = PARAM_BOUNDS.values()
    defaults = RetrainParams()
    # No min/max on the widgets: out-of-range values reach check_params, which says why.
    trees = cols[0].number_input("Trees (rounds)", value=defaults.n_trees, step=10,
                                 key="retrain.trees", help=f"{lo_t:g} to {hi_t:g}")  # fmt: skip
    depth = cols[1].number_input("Tree depth", value=defaults.max_depth, step=1,
                                 key="retrain.depth", help=f"{lo_d:g} to {hi_d:g}")  # fmt: skip
    rate = cols[2].number_input("Learning rate", value=defaults.learning_rate, step=0.05,
                                format="%.2f", key="retrain.rate", help=f"{lo_r:g} to {hi_r:g}")  # fmt: skip
    stop = cols[3].toggle("Early stopping", value=True, key="retrain.stop",
                          help="stop when the validation loss stops improving")  # fmt: skip
    scope = cols[4].selectbox("Compare on", list(HELD_OUT_SCOPES), key="retrain.scope",
                              format_func=lambda key: HELD_OUT_SCOPES[key])  # fmt: skip
    try:
        return check_params(trees, depth, rate, stop), str(scope)
    except SedvizError as exc:
        st.error(f"Settings refused: {exc}.")
        return None, str(scope)


def build_request(
    table: pd.DataFrame, target: str, choice: SubsetChoice, params: RetrainParams, scope: str
) -> RetrainRequest:
    """Return the request for the session's star set, model and choices."""
    star_set = S.get_star_set()
    return RetrainRequest(
        table=table,
        target=target,
        subset=choice.subset,
        params=params,
        active_name=S.get_model_name(target),
        held_out_scope=scope,
        reference=None if star_set.kind == "catalog" else cache.catalog_frame(),
        simulated=choice.simulated,
        simulation=choice.simulation,
    )


def show_plan(request: RetrainRequest) -> RetrainPlan | None:
    """Show the counts per class and the held-out stars; None (with the reason) when refused."""
    st.caption(f"Subset: {request.subset.description} · id hash `{request.subset.id_hash}`")
    try:
        plan = plan_retrain(request)
    except SedvizError as exc:
        st.error(f"Cannot train on this subset: {exc}.", icon=":material/block:")
        return None
    counts = plan.counts[plan.counts.sum(axis=1) > 0]
    st.dataframe(counts.T, key="retrain.counts")
    if plan.classes_left_out:
        st.warning(
            f"Left out (fewer than {MIN_TRAIN_PER_CLASS} training stars): "
            f"{', '.join(plan.classes_left_out)}. "
            "The new model cannot predict these classes."
        )
    st.caption(
        f"Both models will be scored on the same {plan.n_held_out:,} stars "
        f"({plan.held_out_description})."
    )
    return plan


def current_job() -> RetrainJob | None:
    """Return this session's job (running or finished), if any."""
    job = st.session_state.get(_JOB)
    return job if isinstance(job, RetrainJob) else None


def _start(request: RetrainRequest) -> None:
    st.session_state[_JOB] = RetrainJob(request).start()


def training_controls(request: RetrainRequest | None) -> None:
    """The Train button, and the live progress of a running job."""
    job = current_job()
    running = job is not None and not job.progress.finished
    st.button(
        "Train", type="primary", icon=":material/model_training:", key="retrain.train",
        disabled=request is None or running, on_click=_start, args=(request,),
    )  # fmt: skip
    if running:
        st.fragment(run_every=POLL_S)(_progress)()
    elif job is not None and job.progress.state in ("cancelled", "failed"):
        st.warning(job.progress.message or "The training stopped.")


def _progress() -> None:
    job = current_job()
    if job is None:
        return
    p = job.progress
    if p.finished:
        st.rerun()
    text = p.message or f"{p.state}: round {p.rounds} of at most {p.n_rounds}, {p.elapsed_s:.0f} s"
    st.progress(p.fraction, text=text)
    if p.losses:
        fig = plot_loss_curve(p.losses, p.n_rounds)
        st.plotly_chart(fig, key="retrain.loss", config={"displayModeBar": False})
    st.button("Cancel", icon=":material/cancel:", key="retrain.cancel", on_click=job.cancel)


def finished_result() -> RetrainResult | None:
    """Return the result of this session's finished job (kept until the next training)."""
    job = current_job()
    if job is None or job.progress.state != "done":
        return None
    return job.result()
