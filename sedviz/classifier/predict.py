"""Predictions for any star table: class, its probability, every class probability, top two."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sedviz.classifier.explain import load_catalog_store, shap_frame, top_contributions_frame
from sedviz.classifier.features import compute_features, compute_usable_mask
from sedviz.classifier.model import StarClassifier
from sedviz.classifier.targets import (
    EXPLAIN_TOP_N,
    PREDICTED_CLASS,
    PREDICTED_PROBABILITY,
    SECOND_CLASS,
    SECOND_PROBABILITY,
    prob_column,
)
from sedviz.errors import SedvizError

#: Tables at least this large are looked up in a registry model's catalogue store first.
STORE_MIN_STARS = 1000


class NoUsableBandsError(SedvizError, ValueError):
    """No star of a table has two bands (one colour) to classify on."""


def prediction_columns(model: StarClassifier) -> list[str]:
    """Return the columns :func:`predict_frame` adds, in order."""
    probs = [prob_column(label) for label in model.classes_]
    return [PREDICTED_CLASS, PREDICTED_PROBABILITY, SECOND_CLASS, SECOND_PROBABILITY, *probs]


def predict_frame(
    model: StarClassifier, table: pd.DataFrame, features: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return predictions for every star of *table* (same index).

    Columns: ``predicted_class``, ``predicted_probability``, ``second_class``,
    ``second_probability`` and one ``prob_<label>`` per class. Stars without
    a single colour get an empty class and NaN probabilities. *features* may be
    given when already computed (:func:`sedviz.classifier.features.compute_features`).
    For a model loaded from the registry, a table that is exactly the one its
    catalogue store was computed on (the embedded catalogue) is answered from the
    stored probabilities (to 1e-5) instead of walking the trees, instantly.

    Raises
    ------
    NoUsableBandsError
        If no star of a non-empty *table* has a colour to classify on.
    """
    folder = getattr(model, "folder_", None)
    if features is None and folder is not None and len(table) >= STORE_MIN_STARS:
        stored = load_catalog_prediction_frame(folder, model, table)
        if stored is not None:
            return stored
    if features is None:
        features = compute_features(table)
    usable = compute_usable_mask(features)
    if len(table) and not usable.any():
        raise NoUsableBandsError(
            "no usable bands: every star needs at least two magnitudes "
            "(e.g. phot_bp_mean_mag and phot_rp_mean_mag)"
        )
    return compute_prediction_frame(model, model.predict_proba(features), usable, table.index)


def compute_prediction_frame(
    model: StarClassifier, proba: np.ndarray, usable: np.ndarray, index: pd.Index
) -> pd.DataFrame:
    """Build the :func:`predict_frame` columns from probabilities (n_stars x classes)."""
    proba = np.array(proba, dtype=np.float64)
    proba[~usable] = np.nan
    order = np.argsort(-np.nan_to_num(proba, nan=-1.0), axis=1, kind="stable")
    labels = np.asarray(model.classes_, dtype=object)
    rows = np.arange(len(proba))
    out = pd.DataFrame(index=index)
    first, second = order[:, 0], order[:, min(1, proba.shape[1] - 1)]
    out[PREDICTED_CLASS] = np.where(usable, labels[first], "")
    out[PREDICTED_PROBABILITY] = proba[rows, first]
    out[SECOND_CLASS] = np.where(usable, labels[second], "")
    out[SECOND_PROBABILITY] = proba[rows, second]
    for j, label in enumerate(model.classes_):
        out[prob_column(label)] = proba[:, j]
    return out


def load_catalog_prediction_frame(
    folder: str | Path, model: StarClassifier, table: pd.DataFrame
) -> pd.DataFrame | None:
    """Return :func:`predict_frame` for the embedded catalogue from the model's store.

    Instant (no tree walk); probabilities are stored to 1/65535. None when the
    folder has no store or *table* is not the catalogue it was computed for.
    Same index as *table*.
    """
    arrays = load_catalog_store(folder, model, table)
    if arrays is None:
        return None
    proba = arrays["probability"].astype(np.float64) / 65535.0
    proba /= np.maximum(proba.sum(axis=1, keepdims=True), 1e-12)
    return compute_prediction_frame(model, proba, arrays["usable"], table.index)


def classify_frame(
    model: StarClassifier, table: pd.DataFrame, explain: bool = False
) -> pd.DataFrame:
    """Return *table* with the prediction columns added (and the top-3 SHAP with *explain*)."""
    features = compute_features(table)
    out = table.drop(columns=prediction_columns(model), errors="ignore").join(
        predict_frame(model, table, features)
    )
    if explain:
        top = top_contributions_frame(shap_frame(model, features), features, EXPLAIN_TOP_N)
        usable = out[PREDICTED_CLASS].to_numpy() != ""
        top.loc[~usable] = np.nan
        out = out.drop(columns=top.columns, errors="ignore").join(top)
    return out
