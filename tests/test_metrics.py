"""Metrics against hand-worked examples and scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score

from sedviz.classifier.metrics import (
    compute_expected_calibration_error,
    compute_metrics,
    compute_within_one_accuracy,
    confusion_frame,
    per_class_frame,
)

LABELS = ("O", "B", "A", "F")
Y_TRUE = np.array(["B", "B", "A", "A", "A", "F", "F", "O"], dtype=object)
Y_PRED = np.array(["B", "A", "A", "A", "F", "F", "B", "B"], dtype=object)


def test_confusion_rows_are_true_columns_predicted() -> None:
    m = confusion_frame(Y_TRUE, Y_PRED, LABELS)
    assert m.loc["A", "F"] == 1
    assert m.loc["F", "B"] == 1
    assert m.loc["O", "B"] == 1
    assert int(m.to_numpy().sum()) == len(Y_TRUE)


def test_per_class_precision_recall_f1() -> None:
    per = per_class_frame(Y_TRUE, Y_PRED, LABELS)
    assert per.loc["A", "recall"] == pytest.approx(2 / 3)
    assert per.loc["A", "precision"] == pytest.approx(2 / 3)
    assert per.loc["B", "precision"] == pytest.approx(1 / 3)
    assert per.loc["O", "f1"] == 0.0
    assert per["support"].tolist() == [1, 2, 3, 2]


def test_summary_metrics_agree_with_scikit_learn() -> None:
    result = compute_metrics(Y_TRUE, Y_PRED, LABELS)
    assert result["n"] == 8
    assert result["accuracy"] == pytest.approx(accuracy_score(Y_TRUE, Y_PRED))
    assert result["balanced_accuracy"] == pytest.approx(balanced_accuracy_score(Y_TRUE, Y_PRED))
    assert result["macro_f1"] == pytest.approx(
        f1_score(Y_TRUE, Y_PRED, labels=list(LABELS), average="macro")
    )
    assert set(result["per_class"]) == set(LABELS)
    assert result["confusion"]["labels"] == list(LABELS)


def test_within_one_class_uses_the_physical_order() -> None:
    # F->B is two classes away, O->B one: 7 of 8 within one.
    assert compute_within_one_accuracy(Y_TRUE, Y_PRED, LABELS) == pytest.approx(7 / 8)


def test_ece_is_zero_when_calibrated_and_large_when_overconfident() -> None:
    proba = np.array([[0.75, 0.25]] * 4)
    calibrated = np.array([0, 0, 0, 1])
    assert compute_expected_calibration_error(proba, calibrated) == pytest.approx(0.0)
    overconfident = np.array([[1.0, 0.0]] * 4)
    assert compute_expected_calibration_error(
        overconfident, np.array([0, 1, 1, 1])
    ) == pytest.approx(0.75)


def test_balanced_accuracy_ignores_absent_classes() -> None:
    result = compute_metrics(["A", "A", "F"], ["A", "F", "F"], LABELS)
    assert result["balanced_accuracy"] == pytest.approx((0.5 + 1.0) / 2)
