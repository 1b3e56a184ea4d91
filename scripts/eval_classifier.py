"""Score the shipped classifiers on held-out real stars, by star subset (the README figures).

Usage: ``python scripts/eval_classifier.py [--model-sp NAME] [--model-lum NAME] [--json OUT]``

Every figure is on the test stars of the split recorded in the model's card
(never trained on, never used for early stopping). Subsets:

- ``all``: every held-out star with a label; ``gaia_counterpart`` /
  ``no_gaia_counterpart``: those with / without a Gaia DR3 match (``source_id = -hip``);
- ``good_parallax``: parallax S/N >= 5 (the features' absolute-magnitude rule);
- ``mk_typed``: stars whose catalogued type has a luminosity class (full MK types,
  less label noise than one-dimensional HD types);
- per band set (:data:`sedviz.classifier.bandsets.EVALUATION_BAND_SETS`): the same
  held-out stars with whole band groups removed (``no Gaia``, ``no BP/RP``,
  ``Gaia only``, ``Johnson only``, ``Tycho only``, without parallax...);
- ``not_at_boundary`` (diagnostic only, selected by label): catalogued subclass
  1-7, i.e. not within a subclass of a class boundary.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xgboost as xgb

from sedviz import columns as C
from sedviz.catalog.tables import has_gaia_id, load_catalog
from sedviz.classifier.bandsets import EVALUATION_BAND_SETS, drop_band_groups
from sedviz.classifier.features import PARALLAX_SNR, PARALLAX_SNR_MIN, compute_features
from sedviz.classifier.model import StarClassifier
from sedviz.classifier.registry import load_model
from sedviz.classifier.scoring import evaluate_stars
from sedviz.classifier.targets import LUM_BAR_GROUPS, compute_target_labels
from sedviz.classifier.training import compute_split

KEYS = ("n", "accuracy", "balanced_accuracy", "macro_f1", "within_one_accuracy", "ece")


def _subsets(test: pd.DataFrame) -> dict[str, np.ndarray]:
    snr = compute_features(test)[PARALLAX_SNR].to_numpy()
    sub = test[C.SP_SUBCLASS].to_numpy()
    return {
        "all": np.ones(len(test), dtype=bool),
        "gaia_counterpart": np.asarray(has_gaia_id(test[C.SOURCE_ID]), dtype=bool),
        "no_gaia_counterpart": ~np.asarray(has_gaia_id(test[C.SOURCE_ID]), dtype=bool),
        "good_parallax": snr >= PARALLAX_SNR_MIN,
        "mk_typed": (test[C.LUM_CLASS] != "").to_numpy(),
        "mk_typed_good_parallax": (test[C.LUM_CLASS] != "").to_numpy() & (snr >= PARALLAX_SNR_MIN),
        "not_at_boundary": (sub >= 1) & (sub <= 7),
    }


def evaluate_target(table: pd.DataFrame, target: str, name: str | None) -> dict[str, Any]:
    model = load_model(name, target=target)
    seed = int(model.card_["split"]["seed"])
    test = table.loc[(compute_split(table, target, seed) == "test").to_numpy()]
    rows: dict[str, Any] = {}
    for subset, mask in _subsets(test).items():
        rows[subset] = {k: evaluate_stars(model, test.loc[mask], target)[k] for k in KEYS}
    for band_set, groups in EVALUATION_BAND_SETS.items():
        if groups:
            stars = drop_band_groups(test, groups)
            rows[f"bands: {band_set}"] = {k: evaluate_stars(model, stars, target)[k] for k in KEYS}
    if target == C.LUM_CLASS:
        bar = compute_target_labels(test, target).isin(LUM_BAR_GROUPS).to_numpy()
        for subset, mask in _subsets(test).items():
            rows[f"V/IV/III {subset}"] = {
                k: evaluate_stars(model, test.loc[mask & bar], target)[k] for k in KEYS
            }
    return {"model": model.card_["name"], "target": target, "subsets": rows}


def load_baseline(folder: Path) -> StarClassifier:
    """Load a model folder saved by an older sedviz (its own feature list), to score it."""
    card = json.loads((folder / "card.json").read_text())
    booster = xgb.Booster()
    booster.load_model(folder / "model.ubj")
    model = StarClassifier.from_booster(booster, card["classes"], card["features"])
    model.card_ = card
    return model


def evaluate_baseline(table: pd.DataFrame, target: str, folder: Path) -> dict[str, Any]:
    """Score an older model on the same held-out stars (its features are a subset of ours)."""
    model = load_baseline(folder)
    test = table.loc[(compute_split(table, target, 0) == "test").to_numpy()]
    rows = {}
    for subset, mask in _subsets(test).items():
        if subset in ("all", "gaia_counterpart", "no_gaia_counterpart"):
            rows[subset] = {k: evaluate_stars(model, test.loc[mask], target)[k] for k in KEYS}
    return {"model": f"baseline {folder}", "target": target, "subsets": rows}


def _markdown(frame: pd.DataFrame) -> str:
    lines = [
        "| subset | " + " | ".join(frame.columns) + " |",
        "|---" * (len(frame.columns) + 1) + "|",
    ]
    for name, row in frame.iterrows():
        cells = [f"{int(v)}" if k == "n" else f"{v:.3f}" for k, v in row.items()]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-sp", default=None, help="sp_class model (default: active)")
    parser.add_argument("--model-lum", default=None, help="lum_class model (default: active)")
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    parser.add_argument(
        "--baseline", default=None, help="folder holding older default-<target>/ models to compare"
    )
    args = parser.parse_args()
    table = load_catalog()
    results = [
        evaluate_target(table, C.SP_CLASS, args.model_sp),
        evaluate_target(table, C.LUM_CLASS, args.model_lum),
    ]
    if args.baseline:
        for target in (C.SP_CLASS, C.LUM_CLASS):
            folder = Path(args.baseline) / f"default-{target}"
            results.append(evaluate_baseline(table, target, folder))
    for result in results:
        print(f"\n{result['target']} ({result['model']}), held-out test stars")
        print(_markdown(pd.DataFrame(result["subsets"]).T))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1)


if __name__ == "__main__":
    main()
