"""Score a classifier on labelled stars: the one path behind evaluate, retrain and sim-to-real.

:func:`compute_class_proba` turns a model's probabilities into one column per
class of the target (0 for classes the model never saw); :func:`compute_scores`
turns them into the metrics of :func:`sedviz.classifier.metrics.compute_metrics`
plus the subsets every report shows; :func:`evaluate_stars` does both for a
star table. ``sedviz evaluate``, the model card, the retrain comparison and the
sim-to-real check all go through these three functions.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.catalog.parallax import compute_good_parallax
from sedviz.classifier.features import compute_features
from sedviz.classifier.metrics import compute_metrics
from sedviz.classifier.model import StarClassifier
from sedviz.classifier.targets import LUM_BAR_GROUPS, TARGET_CLASSES, compute_target_labels

#: Keys kept for a subset (and for a one-line comparison of models).
BRIEF_KEYS: Final[tuple[str, ...]] = (
    "n",
    "accuracy",
    "balanced_accuracy",
    "macro_f1",
    "within_one_accuracy",
    "ece",
)


def brief_metrics(metrics: dict[str, Any]) -> dict[str, Any]:
    """Return the :data:`BRIEF_KEYS` of a :func:`compute_scores` result."""
    return {k: metrics[k] for k in BRIEF_KEYS if k in metrics}


def compute_class_proba(model: StarClassifier, features: pd.DataFrame, target: str) -> np.ndarray:
    """Return probabilities, shape (N, classes of *target*), 0 for classes the model lacks.

    *features* comes from :func:`sedviz.classifier.features.compute_features`.
    """
    proba = model.predict_proba(features)
    classes = TARGET_CLASSES[target]
    full = np.zeros((len(features), len(classes)))
    for j, label in enumerate(model.classes_):
        full[:, classes.index(label)] = proba[:, j]
    return full


def compute_scores(
    labels: np.ndarray, proba: np.ndarray, target: str, good_parallax: np.ndarray
) -> dict[str, Any]:
    """Return every metric of the predictions *proba* against catalogued *labels*.

    Parameters
    ----------
    labels : ndarray of str, shape (N,)
        Catalogued classes of *target* (every one known).
    proba : ndarray, shape (N, classes of *target*)
        From :func:`compute_class_proba`; the prediction is its argmax.
    target : str
        ``sp_class`` or ``lum_class``.
    good_parallax : ndarray of bool, shape (N,)
        :func:`sedviz.catalog.parallax.compute_good_parallax` of the stars.

    Returns
    -------
    dict
        :func:`sedviz.classifier.metrics.compute_metrics` of all stars, plus the
        brief metrics of ``good_parallax`` and, for ``lum_class``, of ``v_iv_iii``
        (stars catalogued V, IV or III: the quality-bar subset) and
        ``v_iv_iii_good_parallax``.
    """
    labels = np.asarray(labels, dtype=object)
    classes = TARGET_CLASSES[target]
    pred = np.asarray(classes, dtype=object)[proba.argmax(axis=1)] if len(labels) else labels
    result = compute_metrics(labels, pred, classes, proba)
    subsets = {"good_parallax": np.asarray(good_parallax, dtype=bool)}
    if target == C.LUM_CLASS:
        bar = np.isin(labels, LUM_BAR_GROUPS)
        subsets |= {"v_iv_iii": bar, "v_iv_iii_good_parallax": bar & subsets["good_parallax"]}
    for key, part in subsets.items():
        result[key] = brief_metrics(compute_metrics(labels[part], pred[part], classes, proba[part]))
    return result


def evaluate_stars(model: StarClassifier, table: pd.DataFrame, target: str) -> dict[str, Any]:
    """Score *model* on the labelled stars of *table* (:func:`compute_scores`)."""
    labels = compute_target_labels(table, target)
    known = (labels != "").to_numpy()
    table = table.loc[known]
    proba = compute_class_proba(model, compute_features(table), target)
    return compute_scores(
        labels[known].to_numpy(dtype=object), proba, target, compute_good_parallax(table)
    )
