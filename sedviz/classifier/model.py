"""The star classifier: a multi-class XGBoost booster behind a scikit-learn-style estimator.

:class:`StarClassifier` follows scikit-learn conventions: the constructor only
stores its arguments, :meth:`StarClassifier.fit` returns ``self`` and the fitted
state ends in ``_`` (``booster_``, ``classes_``, ``feature_names_``,
``best_iteration_``). Training uses :func:`xgboost.train` directly so callers can
pass :class:`xgboost.callback.TrainingCallback` objects (progress bars, a cancel
button) and early stopping watches a validation set, never the test set.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.base import BaseEstimator
from sklearn.utils.class_weight import compute_sample_weight

from sedviz.errors import SedvizError

#: Default XGBoost settings (tuned on the embedded catalogue; see docs/classifier.md).
DEFAULT_PARAMS: dict[str, Any] = {
    "n_estimators": 400,
    "learning_rate": 0.25,
    "max_depth": 5,
    "min_child_weight": 2.0,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "reg_lambda": 1.0,
    "max_bin": 256,
    "early_stopping_rounds": 30,
    "class_weight": "sqrt",
}


class ModelInputError(SedvizError, ValueError):
    """Features given to a model do not match the ones it was trained on."""


class StarClassifier(BaseEstimator):
    """Multi-class gradient-boosted trees on star features.

    ``get_params``, ``set_params`` and ``repr`` come from
    :class:`sklearn.base.BaseEstimator` (read off the constructor's arguments).

    Parameters
    ----------
    n_estimators
        Maximum boosting rounds (trees per class); early stopping may use fewer.
    learning_rate, max_depth, min_child_weight, subsample, colsample_bytree, reg_lambda, max_bin
        Passed to XGBoost (``eta``, ``max_depth``, ...).
    early_stopping_rounds
        Stop when the validation log-loss has not improved for this many rounds
        (only when ``fit`` is given an ``eval_set``).
    class_weight
        ``"balanced"`` (weight 1/frequency), ``"sqrt"`` (1/sqrt(frequency), a
        compromise between accuracy and balanced accuracy) or ``None``.
    classes
        Label order; ``None`` sorts the labels seen in ``fit``. Labels in this
        order that are absent from the training set are dropped.
    random_state
        Seed for XGBoost's row and column sampling.
    n_jobs
        Threads for training and prediction.
    """

    # Fitted state (set by fit, from_booster or the registry).
    booster_: xgb.Booster
    classes_: tuple[str, ...]
    feature_names_: tuple[str, ...]
    n_features_in_: int
    best_iteration_: int
    evals_result_: dict[str, Any]
    #: Training record (target, split, subset, metrics) set by ``train_model``.
    training_: dict[str, Any]
    #: The model card and folder, set when loaded from the registry.
    card_: dict[str, Any]
    folder_: Path

    def __init__(
        self,
        *,
        n_estimators: int = 400,
        learning_rate: float = 0.25,
        max_depth: int = 5,
        min_child_weight: float = 2.0,
        subsample: float = 0.8,
        colsample_bytree: float = 0.8,
        reg_lambda: float = 1.0,
        max_bin: int = 256,
        early_stopping_rounds: int | None = 30,
        class_weight: str | None = "sqrt",
        classes: Sequence[str] | None = None,
        random_state: int = 0,
        n_jobs: int = 2,
    ) -> None:
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.min_child_weight = min_child_weight
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.reg_lambda = reg_lambda
        self.max_bin = max_bin
        self.early_stopping_rounds = early_stopping_rounds
        self.class_weight = class_weight
        self.classes = classes
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _xgb_params(self, n_classes: int) -> dict[str, Any]:
        return {
            "objective": "multi:softprob",
            "num_class": n_classes,
            "eval_metric": "mlogloss",
            "tree_method": "hist",
            "eta": self.learning_rate,
            "max_depth": self.max_depth,
            "min_child_weight": self.min_child_weight,
            "subsample": self.subsample,
            "colsample_bytree": self.colsample_bytree,
            "lambda": self.reg_lambda,
            "max_bin": self.max_bin,
            "seed": self.random_state,
            "nthread": self.n_jobs,
        }

    def fit(
        self,
        X: pd.DataFrame,
        y: Sequence[str] | np.ndarray | pd.Series,
        *,
        eval_set: tuple[pd.DataFrame, Sequence[str] | np.ndarray | pd.Series] | None = None,
        callbacks: Sequence[xgb.callback.TrainingCallback] | None = None,
    ) -> StarClassifier:
        """Train on features *X* (DataFrame, one column per feature) and labels *y*.

        ``eval_set=(X_val, y_val)`` enables early stopping on the validation
        log-loss; the booster is then cut at the best round. Returns ``self``.
        """
        labels = np.asarray(y, dtype=object).astype(str)
        if len(labels) != len(X):
            raise ValueError(f"X has {len(X)} rows but y has {len(labels)} labels")
        seen = set(labels)
        order = list(self.classes) if self.classes is not None else sorted(seen)
        classes = tuple(c for c in order if c in seen)
        if unknown := seen - set(order):
            raise ValueError(f"labels not in classes: {sorted(unknown)}")
        if len(classes) < 2:
            raise SedvizError(f"need at least two classes to train, got {list(classes)}")
        lookup = {label: i for i, label in enumerate(classes)}
        codes = np.array([lookup[v] for v in labels], dtype=np.int64)
        dtrain = xgb.DMatrix(
            X,
            label=codes,
            weight=compute_class_weights(codes, self.class_weight),
            nthread=self.n_jobs,
        )
        evals: list[tuple[xgb.DMatrix, str]] = []
        stopping = None
        if eval_set is not None:
            X_val, y_val = eval_set
            val_codes = np.array([lookup.get(str(v), -1) for v in np.asarray(y_val)])
            keep = val_codes >= 0
            dval = xgb.DMatrix(X_val[keep], label=val_codes[keep], nthread=self.n_jobs)
            evals = [(dval, "validation")]
            stopping = self.early_stopping_rounds
        history: dict[str, Any] = {}
        booster = xgb.train(
            self._xgb_params(len(classes)),
            dtrain,
            num_boost_round=self.n_estimators,
            evals=evals,
            early_stopping_rounds=stopping,
            evals_result=history,
            callbacks=list(callbacks or []),
            verbose_eval=False,
        )
        best = int(getattr(booster, "best_iteration", booster.num_boosted_rounds() - 1))
        self.booster_ = booster[: best + 1] if evals else booster
        self.best_iteration_ = best
        self.classes_ = classes
        self.feature_names_ = tuple(str(c) for c in X.columns)
        self.n_features_in_ = len(self.feature_names_)
        self.evals_result_ = history
        return self

    # --- prediction --------------------------------------------------------------
    def _matrix(self, X: pd.DataFrame) -> np.ndarray:
        check_is_fitted(self)
        missing = [name for name in self.feature_names_ if name not in X.columns]
        if missing:
            raise ModelInputError(
                f"features missing for this model: {', '.join(missing[:6])}"
                + (" ..." if len(missing) > 6 else "")
            )
        return X.loc[:, list(self.feature_names_)].to_numpy(dtype=np.float32, na_value=np.nan)

    def predict_margin(self, X: pd.DataFrame) -> np.ndarray:
        """Return raw scores (log-odds before softmax), shape (n_stars, n_classes)."""
        data = self._matrix(X)
        margin = self.booster_.inplace_predict(data, predict_type="margin", missing=np.nan)
        return np.asarray(margin, dtype=np.float64).reshape(len(data), len(self.classes_))

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Return class probabilities, shape (n_stars, n_classes), columns in ``classes_`` order."""
        data = self._matrix(X)
        proba = self.booster_.inplace_predict(data, missing=np.nan)
        return np.asarray(proba, dtype=np.float64).reshape(len(data), len(self.classes_))

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Return the most probable label of every star (object array of str)."""
        proba = self.predict_proba(X)
        return np.asarray(self.classes_, dtype=object)[np.argmax(proba, axis=1)]

    @classmethod
    def from_booster(
        cls,
        booster: xgb.Booster,
        classes: Sequence[str],
        feature_names: Sequence[str],
        params: dict[str, Any] | None = None,
    ) -> StarClassifier:
        """Rebuild a fitted classifier from a saved booster and its card's fields."""
        model = cls(**(params or {}))
        model.booster_ = booster
        model.classes_ = tuple(classes)
        model.feature_names_ = tuple(feature_names)
        model.n_features_in_ = len(model.feature_names_)
        model.best_iteration_ = booster.num_boosted_rounds() - 1
        model.evals_result_ = {}
        booster.set_param({"nthread": model.n_jobs})
        return model


def check_is_fitted(model: StarClassifier) -> None:
    """Raise :class:`SedvizError` if *model* has not been fitted or loaded."""
    if not hasattr(model, "booster_"):
        raise SedvizError("this classifier is not trained yet: call fit() or load a model")


def compute_class_weights(codes: np.ndarray, scheme: str | None) -> np.ndarray:
    """Return one weight per star for integer class *codes*, mean weight 1.

    ``"balanced"`` weights each class by 1/count, ``"sqrt"`` by 1/sqrt(count),
    ``None`` gives every star weight 1.
    """
    if scheme is None:
        return np.ones(len(codes))
    if scheme == "balanced":
        weights = compute_sample_weight("balanced", codes)
    elif scheme == "sqrt":
        classes, counts = np.unique(codes, return_counts=True)
        per_class = dict(zip(classes.tolist(), (1.0 / np.sqrt(counts)).tolist(), strict=True))
        weights = compute_sample_weight(per_class, codes)
    else:
        raise ValueError(f"class_weight must be 'balanced', 'sqrt' or None, not {scheme!r}")
    return np.asarray(weights / weights.mean(), dtype=np.float64)
