"""Run a retraining: plan and checks, training with progress, comparison, card record.

:func:`run_retrain` does it synchronously (scripts, tests, the benchmark).
:class:`RetrainJob` runs it in a daemon worker thread so a Streamlit session
can poll :attr:`RetrainJob.progress` and :meth:`RetrainJob.cancel` it: XGBoost
trains with one thread and releases the GIL inside its C++ calls, so the server
keeps answering other sessions, and at most :data:`MAX_PARALLEL_JOBS` trainings
run at once per process (others wait for a free core, cancellable). Progress
comes from XGBoost's per-iteration callback (:class:`ProgressCallback`), which
also stops the training when asked to.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd
import xgboost as xgb

from sedviz import columns as C
from sedviz.classifier.model import StarClassifier
from sedviz.classifier.registry import get_active_model_name, load_model
from sedviz.classifier.targets import compute_target_labels
from sedviz.classifier.training import train_model
from sedviz.errors import SedvizError
from sedviz.retrain.compare import ModelComparison, compute_comparison, compute_held_out_mask
from sedviz.retrain.subset import (
    HELD_OUT_SCOPES,
    MIN_TRAIN_PER_CLASS,
    RetrainParams,
    Subset,
    check_held_out,
    check_subset,
    subset_counts_frame,
)

#: Trainings running at once in one server process (the other core serves the app).
MAX_PARALLEL_JOBS: Final = max(1, int(os.environ.get("SEDVIZ_RETRAIN_SLOTS", "0") or 0)) or max(
    1, (os.cpu_count() or 2) - 1
)
_SLOTS: Final = threading.BoundedSemaphore(MAX_PARALLEL_JOBS)
#: Job states, in the order they happen.
STATES: Final = ("waiting", "training", "comparing", "done", "cancelled", "failed")


class RetrainCancelled(SedvizError):
    """The training was cancelled by the user."""


@dataclass(frozen=True, eq=False)
class RetrainRequest:
    """Everything one retraining needs.

    ``table`` is the star set: the split and the held-out stars are computed on
    all of it. ``subset`` selects the training stars (of ``simulated`` instead,
    when given: train on simulated stars, compare on real ones). ``reference``
    (the embedded catalogue) removes from the held-out stars those the shipped
    models trained on, when ``table`` is another star set.
    """

    table: pd.DataFrame
    target: str
    subset: Subset
    params: RetrainParams = RetrainParams()
    active_name: str | None = None
    held_out_scope: str = "all"
    reference: pd.DataFrame | None = None
    simulated: pd.DataFrame | None = None
    simulation: Mapping[str, Any] | None = None
    models_root: str | Path | None = None
    seed: int = 0


@dataclass(frozen=True, eq=False)
class RetrainPlan:
    """What :func:`plan_retrain` found: counts per class, left-out classes, held-out stars."""

    counts: pd.DataFrame
    classes_left_out: tuple[str, ...]
    only: pd.DataFrame | None
    held_out: np.ndarray
    held_out_description: str

    @property
    def n_held_out(self) -> int:
        """Number of held-out stars the two models will be compared on."""
        return int(self.held_out.sum())


@dataclass(frozen=True, eq=False)
class RetrainResult:
    """A trained model (``training_`` ready for the card) and its comparison."""

    model: StarClassifier
    comparison: ModelComparison
    plan: RetrainPlan
    subset: Subset
    train_s: float
    evaluate_s: float
    finished_utc: datetime


def _training_table(request: RetrainRequest) -> pd.DataFrame:
    return request.table if request.simulated is None else request.simulated


def plan_retrain(request: RetrainRequest) -> RetrainPlan:
    """Check *request* and return its plan; raise :class:`~sedviz.retrain.subset.SubsetError` if refused."""
    if request.held_out_scope not in HELD_OUT_SCOPES:
        raise SedvizError(f"unknown held-out scope {request.held_out_scope!r}")
    train_table = _training_table(request)
    mask = request.subset.mask(train_table)
    counts = subset_counts_frame(train_table, request.target, mask, request.seed)
    left_out = check_subset(
        counts,
        request.target,
        early_stopping=request.params.early_stopping,
        n_stars=int(mask.sum()),
    )
    only = None
    labels = compute_target_labels(train_table, request.target)
    keep = mask & ~labels.isin(left_out).to_numpy()
    if not keep.all():
        only = pd.DataFrame({C.SOURCE_ID: train_table.loc[keep, C.SOURCE_ID].to_numpy()})
    within = mask if request.held_out_scope == "subset" and request.simulated is None else None
    held_out = compute_held_out_mask(
        request.table, request.target, seed=request.seed, within=within, reference=request.reference
    )
    held_out &= (compute_target_labels(request.table, request.target) != "").to_numpy()
    check_held_out(int(held_out.sum()), request.held_out_scope)
    description = HELD_OUT_SCOPES[request.held_out_scope]
    return RetrainPlan(counts, left_out, only, held_out, description)


def run_retrain(
    request: RetrainRequest,
    callback: xgb.callback.TrainingCallback | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> RetrainResult:
    """Train on the request's subset and compare with the active model on the same stars.

    *callback* sees every boosting round (progress, cancel). *on_stage* is told
    ``"comparing"`` when training is over. Raises
    :class:`~sedviz.retrain.subset.SubsetError` for a refused subset and
    :class:`~sedviz.classifier.registry.ModelError` when the active model cannot be loaded.
    """
    plan = plan_retrain(request)
    active_name = request.active_name or get_active_model_name(
        request.target, root=request.models_root
    )
    # A private copy: the app's cached model is shared and must not be touched.
    active = load_model(active_name, target=request.target, root=request.models_root)
    active.booster_.set_param({"nthread": 1})
    start = time.perf_counter()
    model = _train(request, plan, callback)
    train_s = time.perf_counter() - start
    if on_stage is not None:
        on_stage("comparing")
    comparison = compute_comparison(
        active,
        model,
        request.table,
        request.target,
        plan.held_out,
        active_name=active_name,
        held_out_description=plan.held_out_description,
    )
    evaluate_s = time.perf_counter() - start - train_s
    _record(model, request, plan, comparison, train_s, evaluate_s)
    finished = datetime.now(UTC)
    return RetrainResult(model, comparison, plan, request.subset, train_s, evaluate_s, finished)


def _train(
    request: RetrainRequest, plan: RetrainPlan, callback: xgb.callback.TrainingCallback | None
) -> StarClassifier:
    params = request.params.xgb_params()
    if request.simulated is not None:
        # Imported here: the simulation layer is optional for real-star retraining.
        from sedviz.simulate.to_real import train_sim_model

        simulated = request.simulated
        if plan.only is not None:
            simulated = simulated.loc[simulated[C.SOURCE_ID].isin(plan.only[C.SOURCE_ID])]
        return train_sim_model(
            simulated,
            request.target,
            params,
            callback,
            seed=request.seed,
            simulation=request.simulation,
        )
    return train_model(
        request.table, request.target, params, callback, only=plan.only, seed=request.seed
    )


def _record(
    model: StarClassifier,
    request: RetrainRequest,
    plan: RetrainPlan,
    comparison: ModelComparison,
    train_s: float,
    evaluate_s: float,
) -> None:
    training = model.training_
    training["subset"] = {
        **training.get("subset", {}),
        **request.subset.to_card(),
        "classes_left_out": list(plan.classes_left_out),
        "min_train_stars_per_class": MIN_TRAIN_PER_CLASS,
        "counts_per_class": plan.counts.to_dict(orient="index"),
    }
    training["metrics"] = comparison.new_metrics
    training["metrics_are_on"] = f"{comparison.held_out_description} ({comparison.n_held_out})"
    training["comparison"] = comparison.to_card()
    training["retrain"] = {
        **request.params.as_dict(),
        "train_s": round(train_s, 2),
        "evaluate_s": round(evaluate_s, 2),
    }


# --- the worker thread ---------------------------------------------------------------------
@dataclass(frozen=True)
class TrainingProgress:
    """A snapshot of a job: state, boosting rounds done of at most ``n_rounds``, losses."""

    state: str = "waiting"
    rounds: int = 0
    n_rounds: int = 1
    losses: tuple[float, ...] = ()
    elapsed_s: float = 0.0
    message: str = ""

    @property
    def fraction(self) -> float:
        """Rounds done as a fraction in [0, 1] (1 once training is over)."""
        if self.state in ("comparing", "done"):
            return 1.0
        return min(1.0, self.rounds / max(self.n_rounds, 1))

    @property
    def finished(self) -> bool:
        """True once the job is done, cancelled or failed."""
        return self.state in ("done", "cancelled", "failed")


class ProgressCallback(xgb.callback.TrainingCallback):
    """Report every boosting round to *report* and stop training once *cancel* is set."""

    def __init__(
        self, report: Callable[[int, float | None], None], cancel: threading.Event
    ) -> None:
        super().__init__()
        self._report = report
        self._cancel = cancel

    def after_iteration(self, model: Any, epoch: int, evals_log: dict[str, Any]) -> bool:
        """Called by XGBoost after round *epoch*; raises :class:`RetrainCancelled` to stop."""
        if self._cancel.is_set():
            raise RetrainCancelled("training cancelled")
        losses = evals_log.get("validation", {}).get("mlogloss", [])
        self._report(epoch + 1, float(losses[-1]) if len(losses) else None)
        return False


class RetrainJob:
    """One retraining in a daemon worker thread: start, poll :attr:`progress`, cancel, result.

    Examples
    --------
    >>> job = RetrainJob(request).start()          # doctest: +SKIP
    >>> while not job.progress.finished: ...       # doctest: +SKIP
    >>> result = job.result()                      # doctest: +SKIP
    """

    def __init__(self, request: RetrainRequest) -> None:
        self.request = request
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._progress = TrainingProgress(n_rounds=request.params.n_trees)
        self._result: RetrainResult | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._start = time.monotonic()

    def start(self) -> RetrainJob:
        """Start the worker thread (once); return self."""
        if self._thread is None:
            self._start = time.monotonic()
            self._thread = threading.Thread(target=self._run, name="sedviz-retrain", daemon=True)
            self._thread.start()
        return self

    def cancel(self) -> None:
        """Ask the job to stop; it ends in state ``cancelled`` after the current round."""
        self._cancel.set()

    @property
    def progress(self) -> TrainingProgress:
        """The latest :class:`TrainingProgress` (thread-safe snapshot)."""
        with self._lock:
            return replace(self._progress, elapsed_s=time.monotonic() - self._start)

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the job has finished (or *timeout_s* passed); return True if finished."""
        if self._thread is not None:
            self._thread.join(timeout_s)
        return self.progress.finished

    def result(self) -> RetrainResult:
        """Return the result; re-raise the job's error if it failed or was cancelled."""
        if self._error is not None:
            raise self._error
        if self._result is None:
            raise SedvizError("the training has not finished yet")
        return self._result

    def _update(self, **changes: Any) -> None:
        with self._lock:
            self._progress = replace(self._progress, **changes)

    def _report(self, rounds: int, loss: float | None) -> None:
        with self._lock:
            losses = self._progress.losses + ((loss,) if loss is not None else ())
            self._progress = replace(self._progress, rounds=rounds, losses=losses)

    def _run(self) -> None:
        try:
            self._wait_for_slot()
            try:
                self._update(state="training", message="")
                callback = ProgressCallback(self._report, self._cancel)
                stage = lambda state: self._update(state=state)  # noqa: E731
                self._result = run_retrain(self.request, callback, stage)
            finally:
                _SLOTS.release()
            self._update(state="done")
        except RetrainCancelled as exc:
            self._error = exc
            self._update(state="cancelled", message="training cancelled")
        except SedvizError as exc:
            self._error = exc
            self._update(state="failed", message=str(exc))
        except Exception as exc:  # a worker thread must never die silently
            self._error = exc
            self._update(state="failed", message=f"training failed: {type(exc).__name__}: {exc}")

    def _wait_for_slot(self) -> None:
        while not _SLOTS.acquire(timeout=0.2):
            if self._cancel.is_set():
                raise RetrainCancelled("cancelled while waiting for a free core")
            self._update(message="waiting for a free core: another session is training")
