"""Predictions for any star table: class, its probability, every class probability, top two."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sedviz.errors import SedvizError
from sedviz.explain import shap_frame, top_contributions_frame
from sedviz.features import compute_features, compute_usable_mask
from sedviz.model import StarClassifier
from sedviz.targets import (
    EXPLAIN_TOP_N,
    PREDICTED_CLASS,
    PREDICTED_PROBABILITY,
    SECOND_CLASS,
    SECOND_PROBABILITY,
    prob_column,
)


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
    given when already computed (:func:`sedviz.features.compute_features`).

    Raises
    ------
    NoUsableBandsError
        If no star of a non-empty *table* has a colour to classify on.
    """
    if features is None:
        features = compute_features(table)
    usable = compute_usable_mask(features)
    if len(table) and not usable.any():
        raise NoUsableBandsError(
            "no usable bands: every star needs at least two magnitudes "
            "(e.g. phot_bp_mean_mag and phot_rp_mean_mag)"
        )
    proba = model.predict_proba(features)
    proba[~usable] = np.nan
    order = np.argsort(-np.nan_to_num(proba, nan=-1.0), axis=1, kind="stable")
    labels = np.asarray(model.classes_, dtype=object)
    rows = np.arange(len(proba))
    out = pd.DataFrame(index=table.index)
    first, second = order[:, 0], order[:, min(1, proba.shape[1] - 1)]
    out[PREDICTED_CLASS] = np.where(usable, labels[first], "")
    out[PREDICTED_PROBABILITY] = proba[rows, first]
    out[SECOND_CLASS] = np.where(usable, labels[second], "")
    out[SECOND_PROBABILITY] = proba[rows, second]
    for j, label in enumerate(model.classes_):
        out[prob_column(label)] = proba[:, j]
    return out


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
