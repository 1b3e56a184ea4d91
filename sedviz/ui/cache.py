"""The one caching layer of the app: tables with ``st.cache_data``, models with ``st.cache_resource``.

Everything below this module is cache-free; pages call these functions and
never cache on their own. Cached values are shared by every session and must
never be mutated by callers.

Keys are small hashable requests (a :class:`~sedviz.ui.state.StarSet`, model
names, option strings), never whole tables, so a rerun costs a dictionary
look-up and a copy, and a widget change recomputes only the layer it touches:
star table -> predictions -> HR frame -> HR figure.

Large tables (the catalogue, its predictions, features, SED fits, SHAP) and the
HR figure live in ``st.cache_resource``: one object shared read-only by every
session. ``st.cache_data`` would hand every call a fresh unpickled copy (about
0.06 s and 30 MB each for the catalogue); with 30 students that copying was the
largest cost of the classroom load test (``scripts/load_test.py``), in time and
memory. Callers never modify what these functions return (pandas copy-on-write
makes any derived frame a copy); ``tests/test_ui_cache.py`` checks the shared
catalogue is unchanged after every page has run.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from sedviz import columns as C
from sedviz.archive import (
    ArchiveInputError,
    QueryResult,
    default_config,
    query_cone,
    query_source_list,
)
from sedviz.catalog.export import build_csv_bytes, build_votable_bytes, prefix_columns, subset_frame
from sedviz.catalog.tables import load_catalog
from sedviz.classifier.explain import (
    beeswarm_frame,
    global_importance_frame,
    load_catalog_shap_frame,
    shap_frame,
)
from sedviz.classifier.features import compute_features
from sedviz.classifier.model import StarClassifier
from sedviz.classifier.predict import predict_frame
from sedviz.classifier.registry import (
    ModelError,
    get_active_model_name,
    list_models_frame,
    load_model,
    model_folder,
)
from sedviz.classifier.targets import TARGETS
from sedviz.errors import SedvizError
from sedviz.plots.explain import plot_beeswarm, plot_dependence, plot_importance
from sedviz.plots.hr import browser_spec, drawable_frame, plot_hr
from sedviz.plots.hr_choice import subset_points
from sedviz.plots.sed import plot_sed_view
from sedviz.sed.fit import compute_sed_fit
from sedviz.simulate.core import simulate_stars
from sedviz.ui import figure_route
from sedviz.ui.frozen import FrozenFigure, freeze
from sedviz.ui.state import CATALOG_SET, StarSet
from sedviz.views.hr import COLOURINGS, hr_frame
from sedviz.views.star import build_sed_view, gallery_frame, select_ids

#: At most this many stars are explained on the fly (a sample beyond it).
MAX_EXPLAIN_STARS = 3000

#: Environment variable: ``0`` turns the start-up warming off.
WARM_ENV = "SEDVIZ_WARM_CACHES"
_log = logging.getLogger(__name__)
_warm_lock = threading.Lock()
_warm_started = False


@st.cache_resource(show_spinner="Loading the embedded catalogue…")
def catalog_frame() -> pd.DataFrame:
    """The embedded real-star catalogue (about 107,000 stars)."""
    return load_catalog()


@st.cache_data(show_spinner="Asking the archive…", max_entries=32, ttl=3600)
def query_result(star_set: StarSet) -> QueryResult:
    """Answer a cone or source-list request (archive, its disk cache, or the embedded catalogue).

    Raises the archive's errors (:class:`sedviz.archive.ArchiveError`); errors are not cached.
    """
    return answer_star_set(star_set)


def answer_star_set(
    star_set: StarSet, progress: Callable[[str, float], None] | None = None
) -> QueryResult:
    """Ask the archive for *star_set* without the memory cache (the disk cache still answers).

    *progress* sees the phases of an asynchronous archive job (row limits above 2,000).
    """
    config = replace(default_config(), row_limit=star_set.row_limit, progress=progress)
    if star_set.kind == "cone":
        return query_cone(
            name=star_set.name,
            ra=star_set.ra,
            dec=star_set.dec,
            radius_deg=star_set.radius_deg,
            refresh=star_set.refresh,
            config=config,
        )
    if star_set.sources is None:
        raise ArchiveInputError("no source list was given")
    return query_source_list(star_set.sources, refresh=star_set.refresh, config=config)


def star_table(star_set: StarSet) -> pd.DataFrame:
    """Return the star table of *star_set* (may raise the archive's errors)."""
    if star_set.kind == "catalog":
        return catalog_frame()
    return query_result(star_set).table


@st.cache_resource(show_spinner="Loading the model…", max_entries=8)
def model(name: str) -> StarClassifier:
    """Load a model from the registry (raises :class:`sedviz.classifier.registry.ModelError`)."""
    return load_model(name)


@st.cache_data(show_spinner=False, ttl=60)
def models_frame() -> pd.DataFrame:
    """The registry's model list (re-read every minute: the Retrain page adds models)."""
    return list_models_frame()


@st.cache_data(show_spinner="Simulating stars…", max_entries=8)
def simulated_stars(n_per_type: int, seed: int) -> pd.DataFrame:
    """Simulated dwarfs, *n_per_type* per class with *seed*: simulated once per setting.

    The Retrain page reruns on every widget change; simulating ~2,100 stars each
    time took most of a rerun.
    """
    return simulate_stars(n_per_type, seed)


@st.cache_resource(show_spinner="Classifying the stars…", max_entries=16)
def predictions(star_set: StarSet, model_name: str) -> pd.DataFrame:
    """Predictions of *model_name* for every star of *star_set* (same index)."""
    return predict_frame(model(model_name), star_table(star_set))


@st.cache_resource(show_spinner="Fitting every star's SED…", max_entries=4)
def sed_fits(star_set: StarSet) -> pd.DataFrame:
    """Blackbody fits (Teff, L, R) of every star of *star_set* (a few seconds for 100k stars)."""
    return compute_sed_fit(star_table(star_set))


@st.cache_resource(show_spinner="Preparing the diagram…", max_entries=16)
def hr_data(
    star_set: StarSet, model_name: str | None, target: str, with_fits: bool
) -> pd.DataFrame:
    """The lean HR frame of *star_set* (:func:`sedviz.views.hr.hr_frame`)."""
    table = star_table(star_set)
    preds = predictions(star_set, model_name) if model_name else None
    fits = sed_fits(star_set) if with_fits else None
    return hr_frame(table, preds, fits, target)


@st.cache_resource(show_spinner="Drawing the diagram…", max_entries=12)
def hr_figure(
    star_set: StarSet,
    model_name: str | None,
    target: str,
    colouring: str,
    axes: str,
    good_only: bool,
    presentation: bool,
    names: bool,
) -> FrozenFigure:
    """The HR figure, shared read-only (see the module docstring). Never modify it.

    Every argument is required: Streamlit keys its caches by the arguments as
    given, so a default left out makes another entry (start-up warming once built
    eight figures no page asked for; ``tests/test_pages_dashboard.py`` checks it).
    """
    frame = hr_data(star_set, model_name, target, axes == "teff_lum")
    fig = plot_hr(
        frame, colouring, target, axes=axes, good_only=good_only, presentation=presentation,
        names=names,
    )  # fmt: skip
    frozen = freeze(fig, browser_spec(fig))
    if figure_route.is_served():
        frozen.json_digest()  # the JSON the browser fetches, encoded while the figure is built
    return frozen


@st.cache_resource(show_spinner=False, max_entries=16)
def hr_drawn(
    star_set: StarSet, model_name: str | None, target: str, axes: str, good_only: bool
) -> pd.DataFrame:
    """The stars the HR figure draws (:func:`sedviz.plots.hr.drawable_frame`), shared read-only."""
    frame = hr_data(star_set, model_name, target, axes == "teff_lum")
    return drawable_frame(frame, axes, good_only)


@st.cache_resource(show_spinner="Marking the subset…", max_entries=16)
def hr_subset_points(
    star_set: StarSet,
    model_name: str | None,
    target: str,
    colouring: str,
    axes: str,
    good_only: bool,
    ids: tuple[int, ...],
) -> dict[str, Any]:
    """Positions and colours of the subset's drawn stars (:func:`sedviz.plots.hr_choice.subset_points`)."""
    table = star_table(star_set)
    rows = np.flatnonzero(table["source_id"].isin(np.asarray(ids, dtype=np.int64)).to_numpy())
    stars = hr_drawn(star_set, model_name, target, axes, good_only)
    return subset_points(stars, rows, axes, colouring, target)


@st.cache_resource(show_spinner="Computing features…", max_entries=8)
def features(star_set: StarSet) -> pd.DataFrame:
    """Classifier features of every star of *star_set* (same index as its table)."""
    return compute_features(star_table(star_set))


@st.cache_resource(show_spinner=False, max_entries=8)
def features_by_id(star_set: StarSet) -> pd.DataFrame:
    """The same features indexed by ``source_id`` (to line up with SHAP frames)."""
    ids = pd.Index(star_table(star_set)["source_id"].to_numpy(), name="source_id")
    return features(star_set).set_axis(ids, axis=0)


@st.cache_resource(show_spinner="Explaining the classifications…", max_entries=8)
def set_shap(
    star_set: StarSet, model_name: str, ids: tuple[int, ...] | None = None
) -> pd.DataFrame:
    """SHAP of the stars of *star_set* (those in *ids* if given) for their predicted class.

    Index = ``source_id``. The embedded catalogue uses the values stored beside
    the model; otherwise (other sets, a stale store, a model without one) the
    stars are explained on the fly, a sample of at most :data:`MAX_EXPLAIN_STARS`.
    """
    clf = model(model_name)
    table = star_table(star_set)
    if star_set.kind == "catalog":
        stored = load_catalog_shap_frame(model_folder(model_name), clf, table)
        if stored is not None:
            return select_ids(stored, ids)
    feats = select_ids(features_by_id(star_set), ids)
    if len(feats) > MAX_EXPLAIN_STARS:
        feats = feats.sample(MAX_EXPLAIN_STARS, random_state=0)
    return shap_frame(clf, feats)


@st.cache_resource(show_spinner="Summarising the explanations…", max_entries=16)
def global_explain_figures(
    star_set: StarSet, model_name: str, ids: tuple[int, ...] | None, presentation: bool
) -> tuple[pd.DataFrame, go.Figure, go.Figure]:
    """Global importance (frame and figure) and beeswarm of a set, shared read-only.

    They depend on the set, the model and the subset, not on the selected star:
    built once, not on every click of every student.
    """
    shap = set_shap(star_set, model_name, ids)
    importance = global_importance_frame(shap)
    swarm = beeswarm_frame(shap, features_by_id(star_set), top=8, max_stars=2000)
    return (
        importance,
        freeze(plot_importance(importance, presentation=presentation)),
        freeze(plot_beeswarm(swarm, presentation=presentation)),
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def dependence_figure(
    star_set: StarSet, model_name: str, ids: tuple[int, ...] | None, feature: str
) -> go.Figure:
    """The SHAP dependence plot of *feature* over a set, shared read-only."""
    shap = set_shap(star_set, model_name, ids)
    return freeze(plot_dependence(shap, features_by_id(star_set), feature))


@st.cache_resource(show_spinner=False, max_entries=16)
def gallery(star_set: StarSet) -> pd.DataFrame:
    """The named stars of the Stars page's gallery in *star_set*, shared read-only.

    Columns of :func:`sedviz.views.star.gallery_frame` plus ``source_id``. Finding
    them walks the whole table (a HIP -> row map of 118,217 stars: 5 % of the
    server's CPU under a classroom load test when it ran on every visit).
    """
    table = star_table(star_set)
    frame = gallery_frame(table)
    ids = table[C.SOURCE_ID].to_numpy()[frame["row"].to_numpy(dtype=np.int64)]
    return frame.assign(source_id=ids.astype(np.int64))


@st.cache_resource(show_spinner=False, max_entries=512)
def sed_figure(
    star_set: StarSet,
    row: int,
    predicted_class: str,
    residuals: bool,
    presentation: bool,
    compact: bool,
    extra_types: tuple[str, ...] = (),
) -> tuple[go.Figure, pd.Series, pd.DataFrame]:
    """The SED figure, fit row and points of the star at *row*, shared read-only.

    A new star costs ~20 ms of CPU (view, figure, freeze; ``scripts/bench_sed_figure.py``,
    ~60-80 ms before issue #18.12), and the same stars are clicked by many students.
    *compact* is the side panel of the HR page (small legend, no title). Never modify the
    figure: pass sizes to ``st.plotly_chart``.
    """
    view = build_sed_view(star_table(star_set), row, predicted_class, extra_types)
    fig = plot_sed_view(view, residuals=residuals, compact=compact, presentation=presentation)
    return freeze(fig), view.fit, view.points


@st.cache_resource(show_spinner=False, max_entries=6)
def export_bytes(
    star_set: StarSet,
    model_names: tuple[str, ...],
    ids: tuple[int, ...] | None,
    fmt: str,
    description: str = "",
) -> bytes:
    """The stars of *star_set* (those in *ids*, if given) with predictions, as CSV or VOTable.

    *model_names* is one name per target of :data:`~sedviz.classifier.targets.TARGETS`
    (``""``: none). Shared read-only: a whole-catalogue file takes seconds to
    write (VOTable 238 MB, CSV 70 MB), and is written once, on the first request, for
    every student.
    """
    frames = [
        prefix_columns(predictions(star_set, name), f"{target}_")
        for target, name in zip(TARGETS, model_names, strict=True)
        if name
    ]
    frame = subset_frame(star_table(star_set), ids, frames)
    if fmt == "votable":
        return build_votable_bytes(frame, description or f"sedviz export: {star_set.description}")
    return build_csv_bytes(frame)


# --- warming the shared caches once per server process --------------------------------------
def _claim_warming() -> bool:
    """Return True once per server process (False if warming is off or already claimed)."""
    global _warm_started
    with _warm_lock:
        if _warm_started or os.environ.get(WARM_ENV, "1") == "0":
            return False
        _warm_started = True
    return True


def start_warming() -> bool:
    """Start :func:`warm_shared_caches` in a background thread, once per server process.

    Called by ``app.py`` on every run; only the first call starts the thread
    (returns True). ``SEDVIZ_WARM_CACHES=0`` turns it off (unit tests, which
    clear the caches between tests). The first HR visit then finds its figure built, and a
    colouring change finds every colouring's figure. Served by ``serve.py`` (``make run``),
    the caches are warmed before the first visitor (:func:`warm_before_serving`) and this
    does nothing.
    """
    if not _claim_warming():
        return False
    threading.Thread(target=warm_shared_caches, name=WARM_THREAD, daemon=True).start()
    return True


async def warm_before_serving() -> float | None:
    """Warm the shared caches in a worker thread and wait for it; return the seconds taken.

    The start-up hook of ``serve.py``: Streamlit's server takes no visitor before
    its lifespan start-up is over, so the first visitor finds the catalogue, the
    predictions, every HR colouring and the SHAP summary ready. None when warming is
    off (``SEDVIZ_WARM_CACHES=0``) or was already done in this process.
    """
    if not _claim_warming():
        return None
    start = time.perf_counter()
    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()

    def warm() -> None:
        try:
            warm_shared_caches()
        finally:
            loop.call_soon_threadsafe(done.set_result, None)

    threading.Thread(target=warm, name=WARM_THREAD, daemon=True).start()
    await done
    return time.perf_counter() - start


class _QuietWarming(logging.Filter):
    """Drop Streamlit's "no session here" warnings raised by the warming thread only.

    The cached functions run outside any session while warming, which is intended:
    Streamlit warns about it on every call ("missing ScriptRunContext", "No runtime
    found"), a dozen lines in the teacher's terminal that say nothing is wrong.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.threadName != WARM_THREAD:
            return True
        message = record.getMessage()
        return "missing ScriptRunContext" not in message and "No runtime found" not in message


#: Name of the thread that warms the shared caches (its log lines are filtered).
WARM_THREAD = "sedviz-warm-caches"
for _logger in ("streamlit.runtime.scriptrunner_utils.script_run_context",
                "streamlit.runtime.caching.cache_data_api"):  # fmt: skip
    logging.getLogger(_logger).addFilter(_QuietWarming())


def warm_shared_caches(star_set: StarSet = CATALOG_SET) -> None:
    """Fill the shared caches of the default view of *star_set* (embedded catalogue).

    Models, predictions, the HR figure in every colouring (both class targets),
    the SHAP summary of the Explain page. Not the whole-set exports: building the
    VOTable held the interpreter for about a third of the server's CPU during the
    first minute of a 30-session load test (py-spy, docs/classroom.md); they are
    built when first asked for, behind a spinner, once per server. Failures
    (no model yet) are logged and skipped: the pages report them themselves.
    """
    try:
        catalog_frame() if star_set.kind == "catalog" else star_table(star_set)
        for target in TARGETS:
            name = get_active_model_name(target)
            predictions(star_set, name)
            for colouring in COLOURINGS:
                hr_figure(star_set, name, target, colouring, "cmd", False, False, False)
            global_explain_figures(star_set, name, None, False)
    except (ModelError, OSError, SedvizError) as exc:
        _log.warning("warming the shared caches stopped: %s", exc)
