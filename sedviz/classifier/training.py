"""Train and evaluate classifiers on star tables: split, subsets, metrics per star set.

The split is by star and seeded: within each class the labelled stars are ranked
by a hash of ``(seed, source_id)`` and the first 20 % of the ranks go to the test
set, the next 10 % to the validation set (early stopping), the rest to training.
It is exactly stratified, does not depend on row order, and is always computed on
the whole table given (the embedded catalogue for the CLI), so a model trained on
a subset is still scored on the same held-out stars as the default model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd
import xgboost as xgb

from sedviz import columns as C
from sedviz.classifier.features import PARALLAX_SNR, PARALLAX_SNR_MIN, compute_features
from sedviz.classifier.metrics import compute_metrics
from sedviz.classifier.model import DEFAULT_PARAMS, StarClassifier
from sedviz.classifier.targets import (
    LUM_BAR_GROUPS,
    TARGET_CLASSES,
    check_target,
    compute_target_labels,
)
from sedviz.errors import SedvizError
from sedviz.tableio import compute_id_mask, id_frame, read_source_list

TRAIN: Final = "train"
VALIDATION: Final = "validation"
TEST: Final = "test"
TEST_FRACTION: Final = 0.2
VALIDATION_FRACTION: Final = 0.1
#: Classes with fewer training stars than this are reported as too small.
MIN_CLASS_STARS: Final = 30
#: Share of training stars also shown to the model with Gaia bands only.
GAIA_ONLY_FRACTION: Final = 0.3
#: Bands removed from those copies (everything but Gaia G/BP/RP).
NON_GAIA_BANDS: Final[tuple[str, ...]] = (C.HP_MAG, C.BT_MAG, C.VT_MAG, C.V_MAG, C.B_V, C.V_I)
#: Columns an id list may use to select embedded stars, in order of preference.
ID_COLUMNS: Final[tuple[str, ...]] = (C.HIP, C.SOURCE_ID)

_GOLDEN: Final = np.uint64(0x9E3779B97F4A7C15)


def compute_star_hash(ids: np.ndarray, seed: int) -> np.ndarray:
    """Return a uniform number in [0, 1) per integer id (splitmix64 of id and seed)."""
    x = np.asarray(ids).astype(np.uint64) + np.uint64(seed) * _GOLDEN
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) / float(2**53)


def compute_split(table: pd.DataFrame, target: str, seed: int = 0) -> pd.Series:
    """Return ``"train"``, ``"validation"``, ``"test"`` per star (``""`` if unlabelled)."""
    labels = compute_target_labels(table, target)
    u = compute_star_hash(table[C.SOURCE_ID].to_numpy(), seed)
    frame = pd.DataFrame({"label": labels.to_numpy(), "u": u})
    quantile = (frame.groupby("label")["u"].rank(method="first") - 0.5) / frame.groupby("label")[
        "u"
    ].transform("size")
    part = np.where(
        quantile < TEST_FRACTION,
        TEST,
        np.where(quantile < TEST_FRACTION + VALIDATION_FRACTION, VALIDATION, TRAIN),
    )
    part = np.where(frame["label"].to_numpy() == "", "", part)
    return pd.Series(part, index=table.index, name="split", dtype=object)


def load_id_list(path: str | Path) -> pd.DataFrame:
    """Read an id list (any table format, a ``hip`` or ``source_id`` column); return that column.

    The one id-list reader (:func:`sedviz.tableio.read_source_list`), as a one-column frame.
    """
    try:
        return id_frame(read_source_list(Path(path)), Path(path).name)
    except SedvizError as exc:
        raise SedvizError(f"id list {Path(path).name}: {exc}") from None


def compute_data_hash(features: pd.DataFrame, labels: pd.Series) -> str:
    """Return a short SHA-256 of feature values and labels (row order independent of index)."""
    frame = features.reset_index(drop=True).assign(_label=labels.to_numpy())
    digest = hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()[:16]


def compute_gaia_only_table(table: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of *table* with every non-Gaia band removed (set to NaN)."""
    present = [name for name in NON_GAIA_BANDS if name in table.columns]
    return table.assign(**{name: np.nan for name in present})


def train_model(
    table: pd.DataFrame,
    target: str,
    params: dict[str, Any] | None = None,
    callback: xgb.callback.TrainingCallback | Sequence[xgb.callback.TrainingCallback] | None = None,
    *,
    only: pd.DataFrame | None = None,
    exclude: pd.DataFrame | None = None,
    seed: int = 0,
    gaia_only_fraction: float = GAIA_ONLY_FRACTION,
) -> StarClassifier:
    """Train a classifier for *target* on the labelled stars of *table*.

    *params* override :data:`sedviz.classifier.model.DEFAULT_PARAMS`; *callback* (one or a
    list of :class:`xgboost.callback.TrainingCallback`) sees every round and may
    stop training. *only* / *exclude* are id lists (:func:`load_id_list`)
    restricting the training and validation stars; the test stars are never
    trained on. A seeded *gaia_only_fraction* of the training and validation
    stars is added a second time with its Hipparcos/Tycho bands removed, so the
    model has seen Gaia-only stars. The fitted model carries ``training_``:
    target, split rule and counts, subset, data hash and held-out metrics.
    """
    check_target(target)
    settings = {**DEFAULT_PARAMS, **(params or {})}
    labels = compute_target_labels(table, target)
    split = compute_split(table, target, seed)
    subset = np.ones(len(table), dtype=bool)
    if only is not None:
        subset &= compute_id_mask(table, only)
    if exclude is not None:
        subset &= ~compute_id_mask(table, exclude)
    train = subset & (split == TRAIN).to_numpy()
    val = subset & (split == VALIDATION).to_numpy()
    if train.sum() < 10 or val.sum() < 2:
        raise SedvizError(
            f"too few labelled stars to train {target}: {int(train.sum())} training, "
            f"{int(val.sum())} validation"
        )
    features = compute_features(table)
    extra = compute_star_hash(table[C.SOURCE_ID].to_numpy(), seed + 1) < gaia_only_fraction
    gaia = compute_features(compute_gaia_only_table(table.loc[extra]))
    callbacks = [callback] if isinstance(callback, xgb.callback.TrainingCallback) else callback
    model = StarClassifier(**settings, classes=TARGET_CLASSES[target], random_state=seed)
    model.fit(
        pd.concat([features[train], gaia[train[extra]]]),
        pd.concat([labels[train], labels[extra][train[extra]]]),
        eval_set=(
            pd.concat([features[val], gaia[val[extra]]]),
            pd.concat([labels[val], labels[extra][val[extra]]]),
        ),
        callbacks=callbacks,
    )
    model.training_ = _training_record(model, table, target, split, seed, train, val)
    model.training_["subset"] |= {
        "only_ids": None if only is None else len(only),
        "exclude_ids": None if exclude is None else len(exclude),
    }
    model.training_["gaia_only_copies"] = {
        "fraction": gaia_only_fraction,
        "bands_removed": list(NON_GAIA_BANDS),
        "stars_added": int((extra & (train | val)).sum()),
    }
    model.training_["params"] = settings
    return model


def _training_record(
    model: StarClassifier,
    table: pd.DataFrame,
    target: str,
    split: pd.Series,
    seed: int,
    train: np.ndarray,
    val: np.ndarray,
) -> dict[str, Any]:
    labels = compute_target_labels(table, target)
    counts = labels[train].value_counts()
    fitted = train | val
    return {
        "target": target,
        "split": split_definition(split, seed),
        "subset": {"train_stars": int(train.sum()), "validation_stars": int(val.sum())},
        "class_counts_train": {str(k): int(v) for k, v in counts.items()},
        "classes_too_few": [
            c for c in TARGET_CLASSES[target] if counts.get(c, 0) < MIN_CLASS_STARS
        ],
        "data_hash": compute_data_hash(compute_features(table.loc[fitted]), labels[fitted]),
        "best_iteration": model.best_iteration_,
        "metrics": evaluate_stars(model, table.loc[(split == TEST).to_numpy()], target),
    }


def split_definition(split: pd.Series, seed: int) -> dict[str, Any]:
    """Return the JSON description of a split made by :func:`compute_split`."""
    return {
        "method": "per-class rank of splitmix64(source_id + seed), exactly stratified",
        "key": C.SOURCE_ID,
        "seed": seed,
        "test_fraction": TEST_FRACTION,
        "validation_fraction": VALIDATION_FRACTION,
        "counts": {str(k): int(v) for k, v in split[split != ""].value_counts().items()},
    }


def compute_model_proba(model: StarClassifier, table: pd.DataFrame, target: str) -> np.ndarray:
    """Return probabilities with one column per class of *target* (0 for classes unseen)."""
    proba = model.predict_proba(compute_features(table))
    full = np.zeros((len(table), len(TARGET_CLASSES[target])))
    for j, label in enumerate(model.classes_):
        full[:, TARGET_CLASSES[target].index(label)] = proba[:, j]
    return full


def evaluate_stars(model: StarClassifier, table: pd.DataFrame, target: str) -> dict[str, Any]:
    """Score *model* on the labelled stars of *table*.

    Returns :func:`sedviz.classifier.metrics.compute_metrics` for all of them, plus
    ``good_parallax`` (parallax S/N >= 5) and, for ``lum_class``, ``v_iv_iii``
    (stars catalogued V, IV or III: the quality-bar subset).
    """
    classes = TARGET_CLASSES[target]
    labels = compute_target_labels(table, target)
    known = (labels != "").to_numpy()
    table, labels = table.loc[known], labels[known]
    proba = compute_model_proba(model, table, target)
    pred = np.asarray(classes, dtype=object)[proba.argmax(axis=1)] if len(table) else labels
    result = compute_metrics(labels, pred, classes, proba)
    good = (compute_features(table)[PARALLAX_SNR] >= PARALLAX_SNR_MIN).to_numpy()
    result["good_parallax"] = _brief(
        compute_metrics(labels[good], pred[good], classes, proba[good])
    )
    if target == C.LUM_CLASS:
        bar = labels.isin(LUM_BAR_GROUPS).to_numpy()
        result["v_iv_iii"] = _brief(compute_metrics(labels[bar], pred[bar], classes, proba[bar]))
        both = bar & good
        result["v_iv_iii_good_parallax"] = _brief(
            compute_metrics(labels[both], pred[both], classes, proba[both])
        )
    return result


def _brief(metrics: dict[str, Any]) -> dict[str, Any]:
    keys = ("n", "accuracy", "balanced_accuracy", "macro_f1", "within_one_accuracy", "ece")
    return {k: metrics[k] for k in keys if k in metrics}


def compute_test_mask(table: pd.DataFrame, target: str, seed: int = 0) -> np.ndarray:
    """Return True for the held-out test stars of *table* for *target* and *seed*."""
    return (compute_split(table, target, seed) == TEST).to_numpy()


def compare_models(
    models: dict[str, StarClassifier], table: pd.DataFrame, target: str, seeds: Sequence[int] = (0,)
) -> pd.DataFrame:
    """Score several models on the same held-out stars (test for every seed given).

    Returns one row per model: n, accuracy, balanced accuracy, macro-F1,
    within-one accuracy, ECE.
    """
    mask = np.ones(len(table), dtype=bool)
    for seed in set(seeds):
        mask &= compute_test_mask(table, target, seed)
    held_out = table.loc[mask]
    rows = {name: _brief(evaluate_stars(model, held_out, target)) for name, model in models.items()}
    return pd.DataFrame.from_dict(rows, orient="index")
