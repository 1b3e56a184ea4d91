"""Small search over simulation and model settings, chosen on the REAL VALIDATION split.

Usage::

    OMP_WAIT_POLICY=PASSIVE nice -n 19 .venv/bin/python scripts/search_sim_settings.py \
        [VARIANT ...] [--n 3000] [--seed 0] [--jsonl OUT.jsonl] [--list]

Each variant simulates stars (seeded), trains the usual classifier on them only
(colours only, XGBoost ``n_jobs=1``), and scores it on the real validation stars
(10 %, the split of :func:`sedviz.classifier.training.compute_split`, used to choose) and on
the real test stars (20 %, only reported, never used to choose). No real star
or real label is used in training; no real class fraction is used anywhere.
The real-trained reference model is not retrained. One line of JSON per
variant goes to ``--jsonl``; the figures are quoted in ``docs/simulation.md``.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from typing import Any

import numpy as np

from sedviz import columns as C
from sedviz.catalog.tables import load_catalog
from sedviz.classifier.scoring import evaluate_stars
from sedviz.classifier.training import TEST, VALIDATION, compute_split
from sedviz.simulate.core import DEFAULT_MISSING_RATES, SimulationSettings, simulate_stars
from sedviz.simulate.to_real import train_sim_model

TARGET = C.SP_CLASS
EXP = {"av_distribution": "exponential", "av_mag": 0.15}
INT = {"extinction_method": "integrated"}
#: Variant name -> (SimulationSettings changes, XGBoost parameter changes), in the order run.
VARIANTS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "default": ({}, {}),
    # A_V distribution and scale
    "av_exp_0.10": ({**EXP, "av_mag": 0.10}, {}),
    "av_exp_0.15": (EXP, {}),
    "av_exp_0.25": ({**EXP, "av_mag": 0.25}, {}),
    "av_uniform_0.4": ({"av_distribution": "uniform", "av_mag": 0.4}, {}),
    "av_distance_0.3": ({"av_mag": 0.3}, {}),
    "av_distance_1.0": ({"av_mag": 1.0}, {}),
    "av_disk_0.7": ({"av_distribution": "disk", "av_mag": 0.7}, {}),
    "av_disk_1.0": ({"av_distribution": "disk", "av_mag": 1.0}, {}),
    "av_distance_0.5_extra_0.1": ({"av_extra_mag": 0.1}, {}),
    "av_distance_0.3_extra_0.15": ({"av_mag": 0.3, "av_extra_mag": 0.15}, {}),
    "av_disk_0.7_extra_0.1": ({"av_distribution": "disk", "av_mag": 0.7, "av_extra_mag": 0.1}, {}),
    "av_disk_1.0_extra_0.15": (
        {"av_distribution": "disk", "av_mag": 1.0, "av_extra_mag": 0.15},
        {},
    ),
    # band-integrated extinction (blackbody at the template Teff through each filter)
    "integrated": (INT, {}),
    "integrated_av_exp_0.10": ({**INT, **EXP, "av_mag": 0.10}, {}),
    "integrated_av_exp_0.15": ({**INT, **EXP}, {}),
    "integrated_av_disk_1.0": ({**INT, "av_distribution": "disk", "av_mag": 1.0}, {}),
    "integrated_av_distance_0.5_extra_0.1": ({**INT, "av_extra_mag": 0.1}, {}),
    "integrated_av_disk_0.7_extra_0.1": (
        {**INT, "av_distribution": "disk", "av_mag": 0.7, "av_extra_mag": 0.1},
        {},
    ),
    # Gaia DR2 -> DR3 (synthetic, passbands), unresolved binaries
    "gaia_dr3": ({"gaia_dr3": True}, {}),
    "av_exp_0.15_gaia_dr3": ({**EXP, "gaia_dr3": True}, {}),
    "integrated_av_exp_0.15_gaia_dr3": ({**INT, **EXP, "gaia_dr3": True}, {}),
    "binary_0.3": ({"binary_fraction": 0.3}, {}),
    "binary_0.5": ({"binary_fraction": 0.5}, {}),
    "integrated_binary_0.5": ({**INT, "binary_fraction": 0.5}, {}),
    "av_exp_0.15_binary_0.5": ({**EXP, "binary_fraction": 0.5}, {}),
    # extra scatter
    "sys_0.03": ({"sys_error_mag": 0.03}, {}),
    "type_1.0": ({"type_scatter_subclass": 1.0}, {}),
    "av_exp_0.15_sys_0.01": ({**EXP, "sys_error_mag": 0.01}, {}),
    "av_exp_0.15_sys_0.03": ({**EXP, "sys_error_mag": 0.03}, {}),
    "av_exp_0.15_sys_0.04": ({**EXP, "sys_error_mag": 0.04}, {}),
    "av_exp_0.15_type_0.25": ({**EXP, "type_scatter_subclass": 0.25}, {}),
    "av_exp_0.15_type_1.0": ({**EXP, "type_scatter_subclass": 1.0}, {}),
    # XGBoost
    "depth_3": ({}, {"max_depth": 3}),
    "depth_4": ({}, {"max_depth": 4}),
    "depth_7": ({}, {"max_depth": 7}),
    "min_child_weight_20": ({}, {"min_child_weight": 20}),
    "lr_0.05_1500_rounds": ({}, {"learning_rate": 0.05, "n_estimators": 1500}),
    "lambda_10": ({}, {"reg_lambda": 10}),
    "av_exp_0.15_depth_3": (EXP, {"max_depth": 3}),
    "av_exp_0.15_depth_8_mcw_50": (EXP, {"max_depth": 8, "min_child_weight": 50}),
    "av_exp_0.15_mcw_20": (EXP, {"min_child_weight": 20}),
    "av_exp_0.15_lr_0.05": (EXP, {"learning_rate": 0.05, "n_estimators": 1500}),
    "av_exp_0.15_lambda_10": (EXP, {"reg_lambda": 10}),
    "av_exp_0.15_max_bin_64": (EXP, {"max_bin": 64}),
    "av_exp_0.15_colsample_0.5": (EXP, {"colsample_bytree": 0.5}),
    "av_exp_0.15_100_rounds": (
        EXP,
        {"n_estimators": 100, "learning_rate": 0.1, "early_stopping_rounds": None},
    ),
    "av_exp_0.15_type_0.25_sys_0.03_lambda_10": (
        {**EXP, "type_scatter_subclass": 0.25, "sys_error_mag": 0.03},
        {"reg_lambda": 10},
    ),
}
#: Leave one photometric column out of the simulation (the model then never uses it).
for _column in (C.BT_MAG, C.VT_MAG, C.B_V, C.V_I, C.V_MAG, C.G_MAG, C.BP_MAG, C.RP_MAG):
    VARIANTS[f"av_exp_0.15_drop_{_column}"] = (
        {**EXP, "missing_rates": {**DEFAULT_MISSING_RATES, _column: 1.0}},
        {},
    )


def _run(
    name: str, n: int, seed: int, real: Any, masks: dict[str, np.ndarray], base: SimulationSettings
) -> dict[str, Any]:
    changes, params = VARIANTS[name]
    settings = replace(base, **changes)
    start = time.perf_counter()
    simulated = simulate_stars(n, seed, settings)
    model = train_sim_model(simulated, TARGET, {"n_jobs": 1, **params}, seed=seed)
    row: dict[str, Any] = {
        "variant": name,
        "n_per_type": n,
        "seed": seed,
        "changes": changes,
        "params": params,
        "sim_held_out": model.training_["metrics"]["accuracy"],
        "rounds": model.training_.get("best_iteration"),
    }
    for part, mask in masks.items():
        result = evaluate_stars(model, real.loc[mask], TARGET)
        row[f"{part}_accuracy"] = result["accuracy"]
        row[f"{part}_balanced"] = result["balanced_accuracy"]
    row["seconds"] = round(time.perf_counter() - start, 1)
    return row


def main() -> None:
    """Run the named variants (all if none) and print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variants", nargs="*")
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument(
        "--seeds", type=int, nargs="+", default=[0, 1, 2], help="simulation seeds (mean reported)"
    )
    parser.add_argument("--jsonl")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    if args.list:
        print("\n".join(VARIANTS))
        return
    real = load_catalog()
    split = compute_split(real, TARGET, 0).to_numpy()
    masks = {"validation": split == VALIDATION, "test": split == TEST}
    for name in args.variants or list(VARIANTS):
        if "=" in name:  # ad hoc: NAME='[{settings changes}, {params}]'
            name, spec = name.split("=", 1)
            changes, params = json.loads(spec)
            VARIANTS[name] = (changes, params)
        runs = [_run(name, args.n, seed, real, masks, SimulationSettings()) for seed in args.seeds]
        row = {k: v for k, v in runs[0].items() if k != "seed"} | {"seeds": args.seeds}
        for key in ("sim_held_out", *(f"{p}_{m}" for p in masks for m in ("accuracy", "balanced"))):
            values = [r[key] for r in runs]
            row[key], row[f"{key}_per_seed"] = float(np.mean(values)), values
        row["seconds"] = sum(r["seconds"] for r in runs)
        print(
            f"{name:34s} sim {row['sim_held_out']:.3f}  "
            f"val {row['validation_accuracy']:.4f} (bal {row['validation_balanced']:.3f}; "
            + " ".join(f"{v:.3f}" for v in row["validation_accuracy_per_seed"])
            + f")  test {row['test_accuracy']:.4f} (bal {row['test_balanced']:.3f})",
            flush=True,
        )
        if args.jsonl:
            with open(args.jsonl, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(row, default=float) + "\n")


if __name__ == "__main__":
    main()
