"""Time predictions and SHAP for the shipped models on the embedded catalogue (medians).

Usage: ``python scripts/bench_predict_shap.py [--target sp_class] [--repeats 5]``

Prints one line per measurement: median, min and max wall time in seconds over
the repeats. The machine's load matters: say how many cores were shared.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from sedviz.catalog.tables import load_catalog
from sedviz.classifier.explain import (
    beeswarm_frame,
    explain_in_words,
    explain_star,
    global_importance_frame,
    load_catalog_shap_frame,
    shap_frame,
)
from sedviz.classifier.features import compute_features
from sedviz.classifier.predict import predict_frame
from sedviz.classifier.registry import load_model, model_folder


def _time(label: str, func: Callable[[], Any], repeats: int) -> Any:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    print(
        f"{label:<58} median {statistics.median(times):7.3f} s"
        f"  (min {min(times):.3f}, max {max(times):.3f}, n={repeats})"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="sp_class")
    parser.add_argument("--model", default=None)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    r = args.repeats
    table = load_catalog()
    model = _time(
        "load model (card checks + booster)", lambda: load_model(args.model, target=args.target), r
    )
    name = model.card_["name"]
    trees = model.booster_.num_boosted_rounds() * len(model.classes_)
    print(f"model {name}: {trees} trees, depth {model.max_depth}, {len(table)} catalogue stars")
    features = _time("features, whole catalogue", lambda: compute_features(table), r)
    _time(
        "predict_frame, whole catalogue (answered from the model store)",
        lambda: predict_frame(model, table),
        r,
    )
    _time(
        "predict_frame, whole catalogue (tree walk, features given)",
        lambda: predict_frame(model, table, features),
        r,
    )
    rng = np.random.default_rng(0)
    stars = rng.choice(len(table), size=max(r, 20), replace=False)
    one = iter(stars)
    exp = _time(
        "SHAP one star (explain_star + words)",
        lambda: explain_in_words(explain_star(model, features.iloc[[next(one)]])),
        len(stars),
    )
    print(f"  e.g. {exp}")
    sample = features.iloc[rng.choice(len(table), 5000, replace=False)]
    _time(
        "SHAP on the fly, 5,000 stars (exact TreeSHAP)",
        lambda: shap_frame(model, sample),
        max(1, r // 2),
    )

    def global_view() -> Any:
        stored = load_catalog_shap_frame(model_folder(name), model, table)
        if stored is None:
            raise SystemExit(
                "no catalogue SHAP stored beside the model: run python -m sedviz train"
            )
        feats = features.set_axis(table["source_id"].to_numpy())
        return global_importance_frame(stored), beeswarm_frame(stored, feats, max_stars=5000)

    _time(
        "global view from the store: load all stars + importance + beeswarm 5,000", global_view, r
    )


if __name__ == "__main__":
    main()
