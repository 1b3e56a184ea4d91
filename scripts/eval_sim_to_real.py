"""Train on simulated stars only, then score on simulated held-out AND real catalogue stars.

Usage::

    nice -n 10 .venv/bin/python scripts/eval_sim_to_real.py [--n 3000] [--seed 0]
        [--no-baseline] [--no-ablations] [--json OUT.json]

Prints (1) the headline table: held-out simulated stars, all real labelled stars,
the real held-out test stars of the default split (the stars the catalogue-trained
model is scored on), real stars with a good parallax; (2) real accuracy per
catalogued luminosity class and the confusion matrix on the real test stars;
(3) ablations that say where the sim-to-real gap comes from; (4) the
catalogue-trained model on the same real test stars, for reference.
Numbers are quoted in docs/simulation.md.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.catalog.tables import load_catalog
from sedviz.classifier.features import compute_features
from sedviz.classifier.model import StarClassifier
from sedviz.classifier.scoring import compute_class_proba, evaluate_stars
from sedviz.classifier.targets import TARGET_CLASSES, compute_target_labels
from sedviz.classifier.training import (
    TEST,
    TRAIN,
    VALIDATION,
    compute_split,
    train_model,
)
from sedviz.simulate.core import SimulationSettings, simulate_stars
from sedviz.simulate.to_real import compute_sim_to_real, train_sim_model

TARGET = C.SP_CLASS
LUM_GROUPS = {"V+IV": ["V", "IV"], "III": ["III"], "I+II": ["I", "II"], "none": [""]}


def _accuracy(model: StarClassifier, stars: pd.DataFrame) -> float:
    return float(evaluate_stars(model, stars, TARGET)["accuracy"])


def _by_luminosity(model: StarClassifier, stars: pd.DataFrame) -> pd.DataFrame:
    rows = {}
    for name, classes in LUM_GROUPS.items():
        part = stars[stars[C.LUM_CLASS].isin(classes)]
        result = evaluate_stars(model, part, TARGET)
        rows[name] = {"n": result["n"], "accuracy": result["accuracy"]}
    return pd.DataFrame.from_dict(rows, orient="index")


def _prior_shift_accuracy(model: StarClassifier, real: pd.DataFrame, test: np.ndarray) -> float:
    """Accuracy on the real test stars after re-weighting by the real training-split priors.

    A diagnostic of how much the class balance (uniform in the simulation, skewed
    in the catalogue) costs; uses real *label counts* of the training split only.
    """
    labels = compute_target_labels(real, TARGET)
    train = (compute_split(real, TARGET, 0) == TRAIN).to_numpy() & (labels != "").to_numpy()
    classes = TARGET_CLASSES[TARGET]
    prior = labels[train].value_counts(normalize=True).reindex(classes).fillna(0).to_numpy()
    stars = real.loc[test & (labels != "").to_numpy()]
    proba = compute_class_proba(model, compute_features(stars), TARGET) * prior
    pred = np.asarray(classes, dtype=object)[proba.argmax(axis=1)]
    return float(np.mean(pred == compute_target_labels(stars, TARGET).to_numpy()))


def _ablations(
    n: int, seed: int, settings: SimulationSettings, real_val: pd.DataFrame, real_test: pd.DataFrame
) -> pd.DataFrame:
    variants: dict[str, tuple[SimulationSettings, bool]] = {
        "default (colours only)": (settings, False),
        "with simulated parallaxes (dwarf M_G)": (settings, True),
        "no template gap filling": (replace(settings, extrapolate_templates=False), False),
        "no extra scatter (sys 0, type 0)": (
            replace(settings, sys_error_mag=0.0, type_scatter_subclass=0.0),
            False,
        ),
        "A_V exponential, mean 0.15 mag": (
            replace(settings, av_distribution="exponential", av_mag=0.15),
            False,
        ),
        "no reddening": (replace(settings, av_distribution="none"), False),
        "extinction integrated over each band (blackbody at Teff)": (
            replace(settings, extinction_method="integrated"),
            False,
        ),
        "unresolved binaries, 50 %": (replace(settings, binary_fraction=0.5), False),
        "Gaia G, BP, RP moved to DR3 (synthetic)": (replace(settings, gaia_dr3=True), False),
    }
    rows = {}
    for name, (variant, use_parallax) in variants.items():
        simulated = simulate_stars(n, seed, variant)
        model = train_sim_model(
            simulated, TARGET, {"n_jobs": 1}, seed=seed, use_parallax=use_parallax
        )
        rows[name] = {
            "sim_held_out": model.training_["metrics"]["accuracy"],
            "real_validation": _accuracy(model, real_val),
            "real_test": _accuracy(model, real_test),
        }
        print(f"  ablation done: {name}", flush=True)
    return pd.DataFrame.from_dict(rows, orient="index")


def _confusion(model: StarClassifier, stars: pd.DataFrame) -> pd.DataFrame:
    matrix = evaluate_stars(model, stars, TARGET)["confusion"]
    return pd.DataFrame(matrix["matrix"], index=matrix["labels"], columns=matrix["labels"])


def main() -> None:
    """Run the evaluation and print every table (and write JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000, help="simulated stars per class letter")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-baseline", action="store_true", help="skip the real-trained model")
    parser.add_argument("--no-ablations", action="store_true")
    parser.add_argument("--json", help="also write every number to this JSON file")
    args = parser.parse_args()
    pd.set_option("display.width", 160)
    fmt: Any = lambda v: f"{v:.3f}"  # noqa: E731

    start = time.perf_counter()
    real = load_catalog()
    settings = SimulationSettings()
    result = compute_sim_to_real(
        args.n, args.seed, TARGET, settings=settings, params={"n_jobs": 1}, real=real
    )
    split = compute_split(real, TARGET, args.seed)
    test = (split == TEST).to_numpy()
    real_test, real_val = real.loc[test], real.loc[(split == VALIDATION).to_numpy()]
    validation = evaluate_stars(result.model, real_val, TARGET)
    print(
        f"real validation (chooses settings): accuracy {validation['accuracy']:.4f}, "
        f"balanced {validation['balanced_accuracy']:.4f}, n {validation['n']}"
    )
    out: dict[str, Any] = {"n_per_type": args.n, "seed": args.seed, **settings.as_dict()}
    print(f"simulated: {len(result.simulated)} stars ({args.n} per class), seed {args.seed}")
    print("\n== trained on simulation only: sp_class ==")
    print(result.metrics.to_string(float_format=fmt))
    out["headline"] = json.loads(result.metrics.to_json(orient="index"))
    out["real_validation"] = {k: validation[k] for k in ("n", "accuracy", "balanced_accuracy")}

    lum = _by_luminosity(result.model, real)
    print("\n== real stars by catalogued luminosity class ==")
    print(lum.to_string(float_format=fmt))
    out["by_luminosity"] = json.loads(lum.to_json(orient="index"))
    confusion = _confusion(result.model, real_test)
    print("\n== confusion on the real test stars (rows: catalogue, columns: predicted) ==")
    print(confusion.to_string())
    out["confusion_real_test"] = confusion.to_dict(orient="split")
    recall = evaluate_stars(result.model, real_test, TARGET)["per_class"]
    out["recall_real_test"] = {k: v["recall"] for k, v in recall.items()}
    shifted = _prior_shift_accuracy(result.model, real, test)
    print(f"\nreal test accuracy with the catalogue's class priors (diagnostic): {shifted:.3f}")
    out["real_test_with_catalogue_priors"] = shifted

    if not args.no_ablations:
        print("\n== ablations (accuracy) ==", flush=True)
        ablations = _ablations(args.n, args.seed, settings, real_val, real_test)
        print(ablations.to_string(float_format=fmt))
        out["ablations"] = json.loads(ablations.to_json(orient="index"))
    if not args.no_baseline:
        print("\n== reference: trained on real catalogue stars (default split) ==", flush=True)
        baseline = train_model(real, TARGET, {"n_jobs": 1}, seed=args.seed)
        base = {"real_test": _accuracy(baseline, real_test)}
        base["balanced"] = evaluate_stars(baseline, real_test, TARGET)["balanced_accuracy"]
        print(f"real test accuracy {base['real_test']:.3f}, balanced {base['balanced']:.3f}")
        out["baseline_real_trained"] = base
    print(f"\n({time.perf_counter() - start:.0f} s)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(out, handle, indent=1, default=float)


if __name__ == "__main__":
    main()
