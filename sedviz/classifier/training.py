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
from sedviz.classifier.bandsets import (
    DROPOUT_COPIES,
    compute_band_set_codes,
    compute_dropout_table,
    dropout_record,
)
from sedviz.classifier.domain import compute_domain_record
from sedviz.classifier.features import compute_features, compute_usable_mask
from sedviz.classifier.model import DEFAULT_PARAMS, StarClassifier
from sedviz.classifier.scoring import brief_metrics, evaluate_stars
from sedviz.classifier.targets import (
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
#: Columns an id list may use to select embedded stars, in order of preference.
ID_COLUMNS: Final[tuple[str, ...]] = (C.HIP, C.SOURCE_ID)

_GOLDEN: Final = np.uint64(0x9E3779B97F4A7C15)


def compute_star_hash(ids: np.ndarray, seed: int) -> np.ndarray:
    """Return a uniform number in [0, 1) per integer id (splitmix64 of id and seed).

    Negative ids (``source_id = -hip`` for Hipparcos stars without a Gaia
    counterpart) are hashed through their two's-complement bits.
    """
    bits = np.asarray(ids).astype(np.int64).view(np.uint64)
    x = bits + np.uint64(seed) * _GOLDEN
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


def train_model(
    table: pd.DataFrame,
    target: str,
    params: dict[str, Any] | None = None,
    callback: xgb.callback.TrainingCallback | Sequence[xgb.callback.TrainingCallback] | None = None,
    *,
    only: pd.DataFrame | None = None,
    exclude: pd.DataFrame | None = None,
    seed: int = 0,
    dropout_copies: int = DROPOUT_COPIES,
) -> StarClassifier:
    """Train a classifier for *target* on the labelled stars of *table*.

    *params* override :data:`sedviz.classifier.model.DEFAULT_PARAMS`; *callback* (one or a
    list of :class:`xgboost.callback.TrainingCallback`) sees every round and may
    stop training. *only* / *exclude* are id lists (:func:`load_id_list`)
    restricting the training and validation stars; the test stars are never
    trained on. Every training and validation star is added *dropout_copies*
    more times with whole band groups removed at random (seeded:
    :func:`sedviz.classifier.bandsets.compute_dropout_table`), so the model has
    seen every band set and a missing band is not a class. The fitted model
    carries ``training_``: target, split rule and counts, subset, data hash,
    held-out metrics, the dropout scheme (``band_dropout``) and the training
    stars' ranges (``domain``, :mod:`sedviz.classifier.domain`).
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
    # Copies are built on a positional index, so any index of *table* works.
    fitted = np.flatnonzero(train | val)
    copies = compute_dropout_table(
        table.iloc[fitted].reset_index(drop=True), seed + 1, dropout_copies
    )
    copy_features = compute_features(copies)
    keep = compute_usable_mask(copy_features)
    origin = copies.index.to_numpy()[keep]
    copy_labels = labels.to_numpy()[fitted][origin]
    copy_train = train[fitted][origin]
    copy_features = copy_features[keep]
    callbacks = [callback] if isinstance(callback, xgb.callback.TrainingCallback) else callback
    model = StarClassifier(**settings, classes=TARGET_CLASSES[target], random_state=seed)
    model.fit(
        pd.concat([features[train], copy_features[copy_train]]),
        np.concatenate([labels[train].to_numpy(), copy_labels[copy_train]]),
        eval_set=(
            pd.concat([features[val], copy_features[~copy_train]]),
            np.concatenate([labels[val].to_numpy(), copy_labels[~copy_train]]),
        ),
        callbacks=callbacks,
    )
    model.training_ = _training_record(model, table, target, split, seed, train, val)
    model.training_["subset"] |= {
        "only_ids": None if only is None else len(only),
        "exclude_ids": None if exclude is None else len(exclude),
    }
    model.training_["band_dropout"] = dropout_record(dropout_copies) | {
        "seed": seed + 1,
        "stars_added": int(keep.sum()),
    }
    band_sets = np.concatenate(
        [
            compute_band_set_codes(table.loc[train]),
            compute_band_set_codes(copies.loc[keep])[copy_train],
        ]
    )
    model.training_["domain"] = compute_domain_record(table.loc[train], features[train], band_sets)
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
    rows = {
        name: brief_metrics(evaluate_stars(model, held_out, target))
        for name, model in models.items()
    }
    return pd.DataFrame.from_dict(rows, orient="index")
