"""Classification metrics: accuracy, balanced accuracy, macro-F1, per-class scores,
confusion matrix, within-one-class accuracy and expected calibration error.

The confusion matrix and the per-class precision, recall and F1 come from
:mod:`sklearn.metrics`; within-one-class accuracy and the expected calibration
error (which scikit-learn does not provide) are computed here.

All functions are pure and take labels as strings; ``labels`` fixes the class
order (physical order for within-one-class accuracy: O B A F G K M, or
I-II III IV V).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

#: Bins for the expected calibration error.
ECE_BINS = 15


def _codes(values: Sequence[str] | np.ndarray | pd.Series, labels: Sequence[str]) -> np.ndarray:
    lookup = {label: i for i, label in enumerate(labels)}
    return np.array([lookup.get(str(v), -1) for v in np.asarray(values)], dtype=np.int64)


def _known(
    y_true: Sequence[str] | np.ndarray | pd.Series,
    y_pred: Sequence[str] | np.ndarray | pd.Series,
    labels: Sequence[str],
) -> tuple[np.ndarray, np.ndarray]:
    """Return the pairs whose true and predicted labels are both in *labels* (as str)."""
    t = np.asarray([str(v) for v in np.asarray(y_true)], dtype=object)
    p = np.asarray([str(v) for v in np.asarray(y_pred)], dtype=object)
    ok = np.isin(t, list(labels)) & np.isin(p, list(labels))
    return t[ok], p[ok]


def confusion_frame(
    y_true: Sequence[str] | np.ndarray | pd.Series,
    y_pred: Sequence[str] | np.ndarray | pd.Series,
    labels: Sequence[str],
) -> pd.DataFrame:
    """Return the confusion matrix: rows true class, columns predicted class (counts).

    Stars whose true or predicted label is not in *labels* are left out.
    """
    t, p = _known(y_true, y_pred, labels)
    k = len(labels)
    matrix = (
        confusion_matrix(t, p, labels=list(labels)) if len(t) else np.zeros((k, k), dtype=np.int64)
    )
    return pd.DataFrame(
        matrix,
        index=pd.Index(list(labels), name="true"),
        columns=pd.Index(list(labels), name="predicted"),
    )


def per_class_frame(
    y_true: Sequence[str] | np.ndarray | pd.Series,
    y_pred: Sequence[str] | np.ndarray | pd.Series,
    labels: Sequence[str],
) -> pd.DataFrame:
    """Return precision, recall, F1 and support per class (index: *labels*).

    A class never predicted (or never true) scores 0, not NaN. Stars whose true
    or predicted label is not in *labels* are left out.
    """
    t, p = _known(y_true, y_pred, labels)
    k = len(labels)
    if len(t):
        precision, recall, f1, support = precision_recall_fscore_support(
            t, p, labels=list(labels), zero_division=0.0
        )
    else:
        precision = recall = f1 = np.zeros(k)
        support = np.zeros(k, dtype=int)
    return pd.DataFrame(
        {
            "precision": np.asarray(precision, float),
            "recall": np.asarray(recall, float),
            "f1": np.asarray(f1, float),
            "support": np.asarray(support, int),
        },
        index=pd.Index(list(labels), name="true"),
    )


def compute_within_one_accuracy(
    y_true: Sequence[str] | np.ndarray | pd.Series,
    y_pred: Sequence[str] | np.ndarray | pd.Series,
    labels: Sequence[str],
) -> float:
    """Return the fraction of stars predicted at most one class away in *labels* order."""
    t, p = _codes(y_true, labels), _codes(y_pred, labels)
    ok = t >= 0
    if not ok.any():
        return float("nan")
    return float(np.mean(np.abs(t[ok] - p[ok]) <= 1))


def compute_expected_calibration_error(
    proba: np.ndarray, y_true_codes: np.ndarray, n_bins: int = ECE_BINS
) -> float:
    """Return the ECE of the top-class probability (equal-width bins, weighted by count).

    *proba* has shape (n_stars, n_classes); *y_true_codes* holds the true
    column index of every star.
    """
    if len(proba) == 0:
        return float("nan")
    top = proba.max(axis=1)
    correct = proba.argmax(axis=1) == y_true_codes
    bins = np.minimum((top * n_bins).astype(int), n_bins - 1)
    ece = 0.0
    for b in range(n_bins):
        in_bin = bins == b
        if in_bin.any():
            ece += in_bin.mean() * abs(top[in_bin].mean() - correct[in_bin].mean())
    return float(ece)


def compute_metrics(
    y_true: Sequence[str] | np.ndarray | pd.Series,
    y_pred: Sequence[str] | np.ndarray | pd.Series,
    labels: Sequence[str],
    proba: np.ndarray | None = None,
) -> dict[str, Any]:
    """Return every metric as a JSON-ready dict.

    Keys: ``n``, ``accuracy``, ``balanced_accuracy`` (mean recall over classes
    present in *y_true*), ``macro_f1`` (over the same classes),
    ``within_one_accuracy``, ``ece`` (if *proba*, columns in *labels* order),
    ``per_class`` ({label: {precision, recall, f1, support}}), ``confusion``
    ({"labels": [...], "matrix": [[...]]}, rows true).
    """
    labels = list(labels)
    confusion = confusion_frame(y_true, y_pred, labels)
    per_class = per_class_frame(y_true, y_pred, labels)
    present = per_class["support"] > 0
    n = int(per_class["support"].sum())
    result: dict[str, Any] = {
        "n": n,
        "accuracy": float(accuracy_score(*_known(y_true, y_pred, labels))) if n else float("nan"),
        "balanced_accuracy": float(per_class.loc[present, "recall"].mean()) if n else float("nan"),
        "macro_f1": float(per_class.loc[present, "f1"].mean()) if n else float("nan"),
        "within_one_accuracy": compute_within_one_accuracy(y_true, y_pred, labels),
    }
    if proba is not None:
        codes = _codes(y_true, labels)
        ok = codes >= 0
        result["ece"] = compute_expected_calibration_error(proba[ok], codes[ok])
    result["per_class"] = {
        str(label): {
            "precision": float(row["precision"]),
            "recall": float(row["recall"]),
            "f1": float(row["f1"]),
            "support": int(row["support"]),
        }
        for label, row in per_class.iterrows()
    }
    result["confusion"] = {"labels": labels, "matrix": confusion.to_numpy().tolist()}
    return result
