"""Classifier accuracy experiments for issue #4: validation and test figures per experiment.

Usage::

    OMP_WAIT_POLICY=PASSIVE nice -n 19 python scripts/experiments_classifier.py \
        [--group letter|lum|all] [--json OUT]

Every experiment trains on the training stars of the recorded split (seed 0,
:func:`sedviz.classifier.training.compute_split`), stops early on the validation stars and
is chosen on the validation figures; the test figures are printed beside them
and are never used for a choice. As ``train_model`` did for issue #4 (it now
uses band-group dropout copies), a seeded 30 % of the training and validation
stars is added again with Gaia bands only.

Figures (:func:`sedviz.classifier.metrics.compute_metrics`), ``val_*`` on validation and
``test_*`` on test stars:

- letter (``sp_class``): accuracy and balanced accuracy on all held-out stars;
  ``*_2_*`` on MK-typed held-out stars (catalogued type with a luminosity class);
- luminosity: accuracy and balanced accuracy on held-out stars catalogued V, IV
  or III (a prediction of I-II counts as wrong), the quality bar's subset;
  ``*_2_*`` on all four groups;
- ``val O / IV hits``: validation stars of the smallest class found (one of the
  ~25 validation O stars is worth 0.006 of balanced accuracy).

Experiments (names as printed):

- ``base`` / ``lum4``: the library's model (``DEFAULT_PARAMS``, sqrt class
  weights); ``*_seed1``, ``*_seed2``: the same with another XGBoost sampling
  seed, to show the noise;
- ``hd_w0.5``, ``hd_w0.25``, ``mk_only``: one-dimensional HD types down-weighted
  or excluded from training (early stopping still on every validation star);
- ``ordinal``, ``ordinal_mono``: six cumulative binary models P(type > k)
  (O<B<A<F<G<K<M), made non-increasing in k; ``_mono`` constrains every colour
  to push towards later types; ``blend_*``: a*P(multi) + (1-a)*P(ordinal), a
  chosen on validation (mean of accuracy and balanced accuracy);
- ``type_index_reg``: a regressor on 10 * letter index + subclass;
  ``stacked*``: a multinomial logistic regression fitted on out-of-fold
  predictions of the training split (5 folds) -- log P(multi) and the regressor
  (``stacked``), log P only (``stacked_p_only``), without class weights
  (``stacked_unweighted``);
- ``prior_a*``: the base probabilities times (training count)^-a, renormalised;
- ``cw_none``, ``cw_balanced``, ``mcw10_l5``, ``eta0.1``: class weights,
  regularisation (min_child_weight 10, lambda 5) and a lower learning rate;
- ``+dwarf``: extra features measuring the height above the Pecaut & Mamajek
  dwarf sequence (:func:`compute_dwarf_features`);
- luminosity ``lum4_cw_none``: no class weights; ``lum4_no_I-II``: the
  four-group model with P(I-II) set to 0 (no retraining); ``lum3``: classes
  exactly V/IV/III, trained on stars catalogued V, IV or III;
  ``I-II_from_lum4``: P(I-II) from ``lum4``, the rest shared by ``lum3``;
  ``lum3_cw_none``: ``lum3`` without class weights; ``hier``: III vs IV+V,
  then IV vs V.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.linear_model import LogisticRegression

from sedviz import columns as C
from sedviz.catalog.parallax import compute_parallax
from sedviz.catalog.tables import load_catalog
from sedviz.classifier.bandsets import drop_band_groups
from sedviz.classifier.features import COLOUR_PAIRS, DIRECT_COLOURS, FEATURE_NAMES, compute_features
from sedviz.classifier.metrics import compute_metrics
from sedviz.classifier.model import DEFAULT_PARAMS, compute_class_weights
from sedviz.classifier.targets import (
    LUM_BAR_GROUPS,
    TARGET_CLASSES,
    compute_target_labels,
    encode_labels,
)
from sedviz.classifier.training import (
    TEST,
    TRAIN,
    VALIDATION,
    compute_split,
    compute_star_hash,
)
from sedviz.sed.templates import load_mamajek_table

SEED = 0
NTHREAD = 1
#: The issue #4 scheme these experiments were run with (since replaced in ``train_model``
#: by band-group dropout copies): 30 % of the stars again with Gaia bands only.
GAIA_ONLY_FRACTION = 0.3
LETTERS = TARGET_CLASSES[C.SP_CLASS]
LUM4 = TARGET_CLASSES[C.LUM_CLASS]
LUM3 = LUM_BAR_GROUPS  # III, IV, V
BLEND_GRID = (0.0, 0.25, 0.5, 0.75, 1.0)

_EVAL_METRIC = {
    "multi:softprob": "mlogloss",
    "binary:logistic": "logloss",
    "reg:squarederror": "rmse",
}
STACK_FOLDS = 5

DWARF_FEATURES = ("ms_height_g", "ms_height_v", "dwarf_plx_sigma", "rpm_height_g")


# --- extra features (not label-derived: a fixed external dwarf sequence) ------------
def _sequence(colour: str, mag: str) -> tuple[np.ndarray, np.ndarray]:
    t = load_mamajek_table().dropna(subset=[colour, mag])
    x = np.maximum.accumulate(t[colour].to_numpy(float))
    y = np.maximum.accumulate(t[mag].to_numpy(float))
    x, first = np.unique(x, return_index=True)
    return x, y[first]


def _interp(value: np.ndarray, grid: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    x, y = grid
    inside = (value >= x[0]) & (value <= x[-1])
    return np.where(inside, np.interp(value, x, y), np.nan)


def compute_dwarf_features(table: pd.DataFrame) -> pd.DataFrame:
    """Height above the Pecaut & Mamajek dwarf sequence, from any positive parallax.

    ``ms_height_g``: M_G(dwarf at this BP-RP) - M_G (mag, > 0 above the dwarfs);
    ``ms_height_v``: the same in V against B-V; ``dwarf_plx_sigma``: (parallax -
    parallax a dwarf of this BP-RP and G would have) / parallax error, negative
    when the star is more luminous than a dwarf (defined for any parallax, even
    negative); ``rpm_height_g``: dwarf M_G - reduced proper motion H_G.
    """

    def col(name: str) -> np.ndarray:
        if name not in table.columns:
            return np.full(len(table), np.nan)
        return pd.to_numeric(table[name], errors="coerce").to_numpy(float)

    g, bp, rp, v = col(C.G_MAG), col(C.BP_MAG), col(C.RP_MAG), col(C.V_MAG)
    plx, err = compute_parallax(table)
    ms_g = _interp(bp - rp, _sequence("Bp-Rp", "M_G"))
    ms_v = _interp(col(C.B_V), _sequence("B-V", "Mv"))
    with np.errstate(divide="ignore", invalid="ignore"):
        pos = plx > 0
        mod = np.where(pos, 5.0 * np.log10(np.where(pos, plx, 1.0) / 100.0), np.nan)
        plx_dwarf = 100.0 * 10.0 ** ((ms_g - g) / 5.0)
        pm = np.hypot(col(C.PMRA), col(C.PMDEC))
        rpm = np.where(pm > 0, g + 5.0 * np.log10(np.where(pm > 0, pm, 1.0)) - 10.0, np.nan)
        out = {
            "ms_height_g": ms_g - (g + mod),
            "ms_height_v": ms_v - (v + mod),
            "dwarf_plx_sigma": np.where(err > 0, (plx - plx_dwarf) / err, np.nan),
            "rpm_height_g": ms_g - rpm,
        }
    return pd.DataFrame(out, index=table.index).astype("float32")


# --- data and fitting ---------------------------------------------------------------
@dataclass
class Data:
    """Features of every star (plus Gaia-only copies) and the split of one target."""

    table: pd.DataFrame
    full: pd.DataFrame  # features (+ dwarf features) of every star
    gaia: pd.DataFrame  # the same with non-Gaia bands removed
    extra: np.ndarray  # star also shown Gaia-only
    labels: np.ndarray  # str label per star ("" unknown)
    split: np.ndarray  # train / validation / test / ""
    mk_typed: np.ndarray

    def rows(self, mask: np.ndarray, columns: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
        """Feature rows of *mask* plus their Gaia-only copies; the star index of each row."""
        both = mask & self.extra
        X = pd.concat([self.full.loc[mask, columns], self.gaia.loc[both, columns]])
        return X, np.concatenate([np.flatnonzero(mask), np.flatnonzero(both)])


def load_data(target: str) -> Data:
    table = load_catalog()
    base = compute_features(table)
    full = pd.concat([base, compute_dwarf_features(table)], axis=1)
    gaia_table = drop_band_groups(table, ("tycho", "johnson", "hp"))
    gaia = pd.concat([compute_features(gaia_table), compute_dwarf_features(gaia_table)], axis=1)
    extra = compute_star_hash(table[C.SOURCE_ID].to_numpy(), SEED + 1) < GAIA_ONLY_FRACTION
    return Data(
        table=table,
        full=full,
        gaia=gaia,
        extra=extra,
        labels=compute_target_labels(table, target).to_numpy().astype(str),
        split=compute_split(table, target, SEED).to_numpy().astype(str),
        mk_typed=(table[C.LUM_CLASS].astype(str).str.strip() != "").to_numpy(),
    )


def xgb_params(objective: str, n_class: int, **override: Any) -> dict[str, Any]:
    p = {**DEFAULT_PARAMS, **override}
    params: dict[str, Any] = {
        "objective": objective,
        "eval_metric": _EVAL_METRIC[objective],
        "tree_method": "hist",
        "eta": p["learning_rate"],
        "max_depth": p["max_depth"],
        "min_child_weight": p["min_child_weight"],
        "subsample": p["subsample"],
        "colsample_bytree": p["colsample_bytree"],
        "lambda": p["reg_lambda"],
        "max_bin": p["max_bin"],
        "seed": p.get("seed", SEED),
        "nthread": NTHREAD,
    }
    if objective == "multi:softprob":
        params["num_class"] = n_class
    if "monotone_constraints" in p:
        params["monotone_constraints"] = p["monotone_constraints"]
    return params


@dataclass
class Fit:
    """Train / validation rows of one model: features, integer targets, weights."""

    X: pd.DataFrame
    y: np.ndarray
    w: np.ndarray
    Xv: pd.DataFrame
    yv: np.ndarray


def fit_booster(fit: Fit, params: dict[str, Any], rounds: int) -> xgb.Booster:
    """Train with early stopping on the validation rows; cut at the best round."""
    dtrain = xgb.DMatrix(fit.X, label=fit.y, weight=fit.w, nthread=NTHREAD)
    dval = xgb.DMatrix(fit.Xv, label=fit.yv, nthread=NTHREAD)
    booster = xgb.train(
        params,
        dtrain,
        num_boost_round=rounds,
        evals=[(dval, "validation")],
        early_stopping_rounds=int(DEFAULT_PARAMS["early_stopping_rounds"]),
        verbose_eval=False,
    )
    return booster[: booster.best_iteration + 1]


def predict(booster: xgb.Booster, X: pd.DataFrame) -> np.ndarray:
    out = booster.inplace_predict(X.to_numpy(np.float32, na_value=np.nan), missing=np.nan)
    return np.asarray(out, dtype=np.float64)


def make_fit(
    data: Data,
    classes: tuple[str, ...],
    columns: list[str],
    train_mask: np.ndarray,
    *,
    star_weight: np.ndarray | None = None,
    class_weight: str | None = "sqrt",
) -> Fit:
    """Training rows (*train_mask* & known class) and validation rows (every val star of *classes*)."""
    codes = encode_labels(data.labels, classes)
    train = train_mask & (data.split == TRAIN) & (codes >= 0)
    val = (data.split == VALIDATION) & (codes >= 0)
    X, idx = data.rows(train, columns)
    Xv, idx_v = data.rows(val, columns)
    y = codes[idx]
    w = compute_class_weights(y, class_weight)
    if star_weight is not None:
        w = w * star_weight[idx]
        w = w / w.mean()
    return Fit(X, y, w, Xv, codes[idx_v])


# --- scoring --------------------------------------------------------------------------
Row = dict[str, Any]


def score(
    data: Data, proba: np.ndarray, classes: tuple[str, ...], part: str, subset: np.ndarray
) -> tuple[float, float]:
    """Accuracy and balanced accuracy of argmax(*proba*) on *part* stars in *subset*."""
    mask = (data.split == part) & subset
    pred = np.asarray(classes, dtype=object)[proba[mask].argmax(axis=1)]
    m = compute_metrics(data.labels[mask], pred, classes)
    return float(m["accuracy"]), float(m["balanced_accuracy"])


def make_row(name: str, data: Data, proba: np.ndarray, note: str = "") -> Row:
    """Figures on the main subset (letter: all; lum: V/IV/III) and the second one.

    Second subset: MK-typed stars for the letter, all four groups for luminosity.
    """
    if proba.shape[1] == len(LETTERS):
        target, classes = C.SP_CLASS, LETTERS
        main, second = np.ones(len(data.labels), dtype=bool), data.mk_typed
    else:
        target, classes = C.LUM_CLASS, LUM4
        main, second = np.isin(data.labels, LUM3), np.isin(data.labels, LUM4)
    row: Row = {"experiment": name, "target": target, "note": note}
    for part, tag in ((VALIDATION, "val"), (TEST, "test")):
        row[f"{tag}_acc"], row[f"{tag}_bal"] = score(data, proba, classes, part, main)
        row[f"{tag}_2_acc"], row[f"{tag}_2_bal"] = score(data, proba, classes, part, second)
    # The smallest class moves balanced accuracy most: one of ~25 validation O stars
    # is worth 1/25/7 = 0.006 of it. Its recall goes with every letter row.
    small = classes[0] if target == C.SP_CLASS else classes[2]  # O; IV for luminosity
    val = (data.split == VALIDATION) & (data.labels == small)
    hits = int((np.asarray(classes)[proba[val].argmax(axis=1)] == small).sum())
    row["val_small_class"] = f"{small} {hits}/{int(val.sum())}"
    return row


def pick_blend(
    a_proba: np.ndarray, b_proba: np.ndarray, figure: Callable[[np.ndarray], float]
) -> float:
    """The weight a of a*A + (1-a)*B with the best validation *figure* (test never looked at)."""
    scores = [figure(a * a_proba + (1 - a) * b_proba) for a in BLEND_GRID]
    return BLEND_GRID[int(np.argmax(scores))]


def prior_shift(
    data: Data, proba: np.ndarray, classes: tuple[str, ...], alpha: float
) -> np.ndarray:
    """*proba* times (training count of the class)^-alpha, renormalised: a decision threshold."""
    counts = np.bincount(encode_labels(data.labels[data.split == TRAIN], classes))
    shifted = proba * np.maximum(counts, 1.0) ** -alpha
    return shifted / shifted.sum(axis=1, keepdims=True)


def _multi(data: Data, fit: Fit, cols: list[str], **override: Any) -> np.ndarray:
    """Probabilities of every star from a multi-class model trained on *fit*."""
    n_class = int(max(fit.y.max(), fit.yv.max())) + 1
    rounds = int(override.pop("n_estimators", DEFAULT_PARAMS["n_estimators"]))
    booster = fit_booster(fit, xgb_params("multi:softprob", n_class, **override), rounds)
    print(f"    {booster.num_boosted_rounds()} rounds", flush=True)
    return predict(booster, data.full[cols]).reshape(len(data.full), n_class)


# --- letter experiments -----------------------------------------------------------------
def _ordinal(data: Data, fit: Fit, cols: list[str], mono: bool) -> np.ndarray:
    """P(class) from cumulative binary models P(type > k), k = 0..5."""
    k_max = len(LETTERS) - 1
    cum = np.empty((len(data.full), k_max))
    override: dict[str, Any] = {}
    if mono:
        colours = {*COLOUR_PAIRS, *DIRECT_COLOURS}
        flags = ",".join("1" if name in colours else "0" for name in cols)
        override["monotone_constraints"] = f"({flags})"
    for k in range(k_max):
        binary = Fit(fit.X, (fit.y > k).astype(int), fit.w, fit.Xv, (fit.yv > k).astype(int))
        booster = fit_booster(binary, xgb_params("binary:logistic", 2, **override), 400)
        cum[:, k] = predict(booster, data.full[cols])
    cum = np.minimum.accumulate(cum, axis=1)
    upper = np.hstack([np.ones((len(cum), 1)), cum])
    lower = np.hstack([cum, np.zeros((len(cum), 1))])
    proba = np.clip(upper - lower, 0.0, None)
    return proba / proba.sum(axis=1, keepdims=True)


def _type_index(data: Data) -> np.ndarray:
    """Regression target 10 * letter index + subclass (NaN where the subclass is unknown)."""
    code = encode_labels(data.labels, LETTERS).astype(float)
    sub = pd.to_numeric(data.table[C.SP_SUBCLASS], errors="coerce").to_numpy(float)
    return np.where(code >= 0, 10.0 * code + sub, np.nan)


def _stacked(data: Data, cols: list[str], base: np.ndarray) -> dict[str, np.ndarray]:
    """Multinomial logistic regression on out-of-fold [log P(multi), type-index regression].

    Folds split the training stars only (seeded hash); the meta-model is fitted on
    their out-of-fold predictions, then applied to the full-training models'
    predictions (*base* and a type-index regressor trained on every training star).
    Returns the regressor's prediction (``index``) and the probabilities of three
    meta-models: ``stacked`` (log P and the index, sqrt class weights),
    ``stacked_p_only`` (log P only: a recalibration) and ``stacked_unweighted``.
    """
    every = np.ones(len(data.labels), dtype=bool)
    with np.errstate(over="ignore"):  # the hash wraps around on purpose
        u = compute_star_hash(data.table[C.SOURCE_ID].to_numpy(), SEED + 2)
    fold = np.floor(u * STACK_FOLDS)
    index = _type_index(data)
    train = data.split == TRAIN
    oof_p = np.full((len(data.labels), len(LETTERS)), np.nan)
    oof_r = np.full(len(data.labels), np.nan)

    def regressor(mask: np.ndarray) -> np.ndarray:
        X, idx = data.rows(mask & ~np.isnan(index) & train, cols)
        Xv, idx_v = data.rows((data.split == VALIDATION) & ~np.isnan(index), cols)
        fit = Fit(X, index[idx], np.ones(len(idx)), Xv, index[idx_v])
        booster = fit_booster(fit, xgb_params("reg:squarederror", 1), 400)
        return predict(booster, data.full[cols])

    for f in range(STACK_FOLDS):
        held = fold == f
        p = _multi(data, make_fit(data, LETTERS, cols, ~held), cols)
        oof_p[held & train] = p[held & train]
        oof_r[held & train] = regressor(~held)[held & train]
    full_r = regressor(every)

    def meta_x(p: np.ndarray, r: np.ndarray | None) -> np.ndarray:
        logp = np.log(np.clip(p, 1e-6, 1.0))
        if r is None:
            return logp
        z = r / 10.0 - 3.0  # type index in letters, centred on F
        return np.column_stack([logp, z, z**2])

    codes = encode_labels(data.labels, LETTERS)
    out: dict[str, np.ndarray] = {"index": full_r}
    for name, use_r, weight in (
        ("stacked", True, "sqrt"),
        ("stacked_p_only", False, "sqrt"),
        ("stacked_unweighted", True, None),
    ):
        meta = LogisticRegression(C=1.0, max_iter=5000)
        meta.fit(
            meta_x(oof_p[train], oof_r[train] if use_r else None),
            codes[train],
            sample_weight=compute_class_weights(codes[train], weight),
        )
        out[name] = meta.predict_proba(meta_x(base, full_r if use_r else None))
    return out


def _from_index(r: np.ndarray) -> np.ndarray:
    """One-hot letter from a type-index regression (nearest class by floor(r / 10))."""
    k = np.clip(np.floor(r / 10.0 + 1e-9), 0, len(LETTERS) - 1).astype(int)
    return np.eye(len(LETTERS))[k]


def _recorder(data: Data, rows: list[Row]) -> Callable[..., np.ndarray]:
    """Return ``run(name, proba, note="")``: score, append to *rows*, print the row."""

    def run(name: str, proba: np.ndarray, note: str = "") -> np.ndarray:
        rows.append(make_row(name, data, proba, note))
        print(_table([rows[-1]]), flush=True)
        return proba

    return run


def run_letter() -> list[Row]:
    data = load_data(C.SP_CLASS)
    cols = list(FEATURE_NAMES)
    every = np.ones(len(data.labels), dtype=bool)
    rows: list[Row] = []
    run = _recorder(data, rows)

    def val_figure(proba: np.ndarray) -> float:
        return float(np.mean(score(data, proba, LETTERS, VALIDATION, every)))

    fit = make_fit(data, LETTERS, cols, every)
    base = run("base", _multi(data, fit, cols), "the library's model (DEFAULT_PARAMS)")
    for seed in (1, 2):
        run(f"base_seed{seed}", _multi(data, fit, cols, seed=seed), "XGBoost seed only: noise")
    for name, w_hd in (("hd_w0.5", 0.5), ("hd_w0.25", 0.25)):
        weight = np.where(data.mk_typed, 1.0, w_hd)
        run(name, _multi(data, make_fit(data, LETTERS, cols, every, star_weight=weight), cols))
    run("mk_only", _multi(data, make_fit(data, LETTERS, cols, data.mk_typed), cols))

    for name, mono in (("ordinal", False), ("ordinal_mono", True)):
        ordinal = run(name, _ordinal(data, fit, cols, mono))
        a = pick_blend(base, ordinal, val_figure)
        run(f"blend_{name}", a * base + (1 - a) * ordinal, f"a={a} on P(multi)")
    stacked = _stacked(data, cols, base)
    run("type_index_reg", _from_index(stacked["index"]), "regressor alone: floor(index / 10)")
    run("stacked", stacked["stacked"], "OOF (5 folds of train) -> logistic regression")
    run("stacked_p_only", stacked["stacked_p_only"], "meta-model without the regressor")
    run("stacked_unweighted", stacked["stacked_unweighted"], "meta-model, no class weights")

    for alpha in (0.25, 0.5):
        run(f"prior_a{alpha}", prior_shift(data, base, LETTERS, alpha), "P * n_k^-a, no retraining")
    for name, cw in (("cw_none", None), ("cw_balanced", "balanced")):
        run(name, _multi(data, make_fit(data, LETTERS, cols, every, class_weight=cw), cols))
    run("mcw10_l5", _multi(data, fit, cols, min_child_weight=10.0, reg_lambda=5.0))
    run("eta0.1", _multi(data, fit, cols, learning_rate=0.1, n_estimators=1500))
    dwarf_cols = cols + list(DWARF_FEATURES)
    run("+dwarf", _multi(data, make_fit(data, LETTERS, dwarf_cols, every), dwarf_cols))
    return rows


# --- luminosity experiments ---------------------------------------------------------------
def _expand3(proba3: np.ndarray) -> np.ndarray:
    """Columns III, IV, V -> I-II, III, IV, V (I-II = 0)."""
    return np.hstack([np.zeros((len(proba3), 1)), proba3])


def _hier(data: Data, cols: list[str]) -> np.ndarray:
    """III vs (IV, V), then IV vs V on stars catalogued IV or V; columns III, IV, V."""
    every = np.ones(len(data.labels), dtype=bool)
    fit = make_fit(data, LUM3, cols, every)
    giant = Fit(fit.X, (fit.y == 0).astype(int), fit.w, fit.Xv, (fit.yv == 0).astype(int))
    p_giant = predict(fit_booster(giant, xgb_params("binary:logistic", 2), 400), data.full[cols])
    dwarfish = make_fit(data, LUM3[1:], cols, every)  # codes IV = 0, V = 1
    p_v = predict(fit_booster(dwarfish, xgb_params("binary:logistic", 2), 400), data.full[cols])
    return np.column_stack([p_giant, (1 - p_giant) * (1 - p_v), (1 - p_giant) * p_v])


def run_lum() -> list[Row]:
    data = load_data(C.LUM_CLASS)
    every = np.ones(len(data.labels), dtype=bool)
    rows: list[Row] = []
    run = _recorder(data, rows)

    for suffix, cols in (("", list(FEATURE_NAMES)), ("+dwarf", [*FEATURE_NAMES, *DWARF_FEATURES])):
        p4 = run(f"lum4{suffix}", _multi(data, make_fit(data, LUM4, cols, every), cols))
        if not suffix:
            for seed in (1, 2):
                p = _multi(data, make_fit(data, LUM4, cols, every), cols, seed=seed)
                run(f"lum4_seed{seed}", p, "XGBoost seed only: noise")
            p = _multi(data, make_fit(data, LUM4, cols, every, class_weight=None), cols)
            run("lum4_cw_none", p, "no class weights")
            no_giant = p4 * np.array([0.0, 1.0, 1.0, 1.0])
            run("lum4_no_I-II", no_giant, "lum4 with P(I-II) set to 0: no retraining")
        p3 = _multi(data, make_fit(data, LUM3, cols, every), cols)
        run(f"lum3{suffix}", _expand3(p3), "never predicts I-II")
        run(f"I-II_from_lum4{suffix}", np.column_stack([p4[:, 0], (1 - p4[:, :1]) * p3]))
        p3n = _multi(data, make_fit(data, LUM3, cols, every, class_weight=None), cols)
        run(f"lum3_cw_none{suffix}", _expand3(p3n), "never predicts I-II")
        run(f"hier{suffix}", _expand3(_hier(data, cols)), "never predicts I-II")
    return rows


# --- output ------------------------------------------------------------------------------
FIGURES = (
    "val_acc",
    "val_bal",
    "test_acc",
    "test_bal",
    "val_2_acc",
    "val_2_bal",
    "test_2_acc",
    "test_2_bal",
)


def _table(rows: list[Row]) -> str:
    lines = []
    for row in rows:
        cells = [f"{row[k]:.3f}" for k in FIGURES]
        name = f"{row['target']} | {row['experiment']}"
        cells.append(row["val_small_class"])
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {row['note']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--group", choices=("letter", "lum", "all"), default="all")
    parser.add_argument("--json", default=None, help="also write the rows to this file")
    args = parser.parse_args()
    start = time.perf_counter()
    rows: list[Row] = []
    if args.group in ("lum", "all"):
        rows += run_lum()
    if args.group in ("letter", "all"):
        rows += run_letter()
    print(
        "\nmain subset: letter all held-out stars, lum catalogued V/IV/III;"
        " _2_: letter MK-typed, lum all four groups"
    )
    print("| target | experiment | " + " | ".join(FIGURES) + " | val O / IV hits | note |")
    print("|---" * (len(FIGURES) + 4) + "|")
    print(_table(rows))
    print(f"\n{time.perf_counter() - start:.0f} s")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=1)


if __name__ == "__main__":
    main()
