"""Time a browser retraining on 50,000 stars with the default settings, evaluation included.

One timed run is :func:`sedviz.retrain.job.run_retrain` end to end, exactly what
the Retrain page's worker thread does: plan and subset checks, training with
the page's defaults (:class:`sedviz.retrain.subset.RetrainParams`: 200 trees at most,
depth 6, learning rate 0.3, early stopping, one XGBoost thread), then the
comparison with the active model on the same held-out stars (both models
scored, confusion matrices, F1 change, disagreement map data) and the card
record. The active model is the registry's (``models/`` or
``$SEDVIZ_MODELS_DIR``); without one, a small stand-in is trained into a
temporary folder first (not timed). Prints the median, min and max of the runs
with the core count and load average (the machine may be shared: read medians;
the process CPU time is what the wall time would be on an idle machine, as
training uses one thread).
Usage::

    nice -n 10 .venv/bin/python scripts/bench_retrain.py [--stars 50000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.catalog.tables import load_catalog
from sedviz.classifier.registry import ModelError, get_active_model_name, load_model, save_model
from sedviz.classifier.training import train_model
from sedviz.retrain.job import RetrainRequest, RetrainResult, run_retrain
from sedviz.retrain.subset import RetrainParams, build_subset

TARGET = C.SP_CLASS


def active_root(table: pd.DataFrame) -> tuple[str | None, str]:
    """Return the registry to compare against (None: the default one) and its model name."""
    try:
        name = get_active_model_name(TARGET)
        load_model(name, target=TARGET)
        return None, name
    except ModelError:
        root = tempfile.mkdtemp(prefix="sedviz-bench-")
        model = train_model(table, TARGET, {"n_estimators": 100, "n_jobs": 1})
        save_model(model, "default-sp_class", root=root)
        return root, "default-sp_class (stand-in: 100 rounds, trained for this benchmark)"


def one_run(table: pd.DataFrame, n_stars: int, seed: int, root: str | None) -> RetrainResult:
    """Retrain on *n_stars* random labelled stars (a stand-in for a big lasso)."""
    labelled = np.flatnonzero((table[TARGET] != "").to_numpy())
    rows = np.random.default_rng(seed).choice(labelled, size=n_stars, replace=False)
    mask = np.zeros(len(table), dtype=bool)
    mask[rows] = True
    subset = build_subset(table, mask, "selection", f"{n_stars:,} random labelled stars")
    request = RetrainRequest(table, TARGET, subset, RetrainParams(), models_root=root)
    return run_retrain(request)


def main() -> None:
    """Print the settings, each run and the median / min / max."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stars", type=int, default=50_000, help="subset size (50000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs (5)")
    args = parser.parse_args()
    table = load_catalog()
    root, active = active_root(table)
    load1, load5, _ = os.getloadavg()
    print(f"stars in subset: {args.stars:,} of {len(table):,}; settings: {RetrainParams()}")
    print(f"active model: {active}; registry: {root or Path('models')}")
    print(f"cores: {os.cpu_count()}; load average 1/5 min before: {load1:.2f}/{load5:.2f}")
    totals, trains, evals, cpus = [], [], [], []
    for run in range(args.runs):
        start, cpu = time.perf_counter(), time.process_time()
        result = one_run(table, args.stars, run, root)
        totals.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        trains.append(result.train_s)
        evals.append(result.evaluate_s)
        comp = result.comparison
        print(
            f"run {run + 1}: total {totals[-1]:.2f} s, CPU {cpus[-1]:.2f} s (training {result.train_s:.2f} s, "
            f"{result.model.best_iteration_ + 1} rounds; comparison {result.evaluate_s:.2f} s "
            f"on {comp.n_held_out:,} held-out stars); accuracy new "
            f"{comp.metrics.loc['accuracy', 'new']:.3f} vs active "
            f"{comp.metrics.loc['accuracy', 'active']:.3f}"
        )
    load1, load5, _ = os.getloadavg()
    print(f"load average 1/5 min after: {load1:.2f}/{load5:.2f}")
    rows = (("total", totals), ("CPU", cpus), ("training", trains), ("comparison", evals))
    for label, values in rows:
        print(
            f"{label}: median {statistics.median(values):.2f} s, "
            f"min {min(values):.2f} s, max {max(values):.2f} s ({len(values)} runs)"
        )


if __name__ == "__main__":
    main()
