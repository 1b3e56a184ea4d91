"""Compare a retrained model with the active one on the same held-out stars.

The held-out stars are the test stars of :func:`sedviz.classifier.training.compute_split`
computed on the *whole* star set (never on the training subset), so every
retrained model -- whatever subset it learnt from -- is scored on exactly the
stars the active model is scored on, and neither has trained on them. When the
star set is not the embedded catalogue (an archive query), stars that the
shipped models may have trained on (the catalogue's training and validation
split) are taken out with *reference*.

Examples
--------
>>> import numpy as np
>>> compute_outcomes(np.array(["K", "K", "G"]), np.array(["K", "M", "G"]),
...                  np.array(["K", "K", "F"])).tolist()
['both right', 'only the active model right', 'both wrong']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.catalog.parallax import compute_good_parallax
from sedviz.classifier.features import compute_features
from sedviz.classifier.metrics import confusion_frame
from sedviz.classifier.model import StarClassifier
from sedviz.classifier.scoring import compute_class_proba, compute_scores
from sedviz.classifier.targets import TARGET_CLASSES, compute_target_labels
from sedviz.classifier.training import TRAIN, VALIDATION, compute_split, compute_test_mask
from sedviz.views.hr import ABS_G, BP_RP, CATALOGUED, compute_abs_g

#: Columns of :attr:`ModelComparison.stars` (``bp_rp``, ``abs_g``, ``catalogued`` are the HR
#: frame's, :mod:`sedviz.views.hr`).
ACTIVE: Final = "active"
NEW: Final = "new"
CHANGE: Final = "change"
OUTCOME: Final = "outcome"
#: What the two models did on one star; the last three are disagreements.
OUTCOMES: Final[tuple[str, ...]] = (
    "both right",
    "both wrong",
    "only the new model right",
    "only the active model right",
    "both wrong, differently",
)
DISAGREEMENTS: Final[tuple[str, ...]] = OUTCOMES[2:]
#: Metric key -> label of the side-by-side table, in display order.
METRIC_LABELS: Final[dict[str, str]] = {
    "accuracy": "accuracy",
    "balanced_accuracy": "balanced accuracy",
    "macro_f1": "macro-F1",
    "within_one_accuracy": "within one class",
    "ece": "calibration error (ECE, lower is better)",
}


@dataclass(frozen=True)
class ModelComparison:
    """Two models scored on the same held-out stars.

    Attributes
    ----------
    metrics : DataFrame
        Index: metric label (:data:`METRIC_LABELS`); columns ``active``, ``new``, ``change``.
    confusion_active, confusion_new : DataFrame
        Confusion matrices (rows true class, columns predicted; counts).
    f1 : DataFrame
        Index: class; columns ``active``, ``new``, ``change`` (F1) and ``support``.
    stars : DataFrame
        One row per held-out star: ``source_id``, ``bp_rp``, ``abs_g`` (mag, NaN
        without a positive parallax), ``catalogued``, ``active``, ``new`` (predicted
        labels), ``outcome`` (one of :data:`OUTCOMES`).
    active_metrics, new_metrics : dict
        :func:`sedviz.classifier.scoring.compute_scores` of each model (JSON-ready).
    """

    target: str
    active_name: str
    held_out_description: str
    metrics: pd.DataFrame
    confusion_active: pd.DataFrame
    confusion_new: pd.DataFrame
    f1: pd.DataFrame
    stars: pd.DataFrame
    active_metrics: dict[str, Any]
    new_metrics: dict[str, Any]

    @property
    def n_held_out(self) -> int:
        """Number of held-out stars both models were scored on."""
        return len(self.stars)

    @property
    def n_disagree(self) -> int:
        """Number of held-out stars the two models classify differently."""
        return int(self.stars[OUTCOME].isin(DISAGREEMENTS).sum())

    def to_card(self) -> dict[str, Any]:
        """Return the JSON-ready summary kept in the new model's card."""
        brief = ("n", *METRIC_LABELS)
        return {
            "against": self.active_name,
            "held_out": self.held_out_description,
            "n_held_out": self.n_held_out,
            "n_disagree": self.n_disagree,
            "active_metrics": {k: self.active_metrics.get(k) for k in brief},
            "f1_change": {str(k): float(v) for k, v in self.f1[CHANGE].items()},
        }


def compute_held_out_mask(
    table: pd.DataFrame,
    target: str,
    *,
    seed: int = 0,
    within: np.ndarray | None = None,
    reference: pd.DataFrame | None = None,
) -> np.ndarray:
    """Return True for the held-out stars of *table* (bool array, one per row).

    The test split of the whole *table* for *target* and *seed*, restricted to
    *within* if given, minus stars whose ``source_id`` is in the training or
    validation split of *reference* (the embedded catalogue the shipped models
    learnt from; skipped when *reference* is *table*).
    """
    mask = np.array(compute_test_mask(table, target, seed), dtype=bool)  # writable copy
    if within is not None:
        mask &= np.asarray(within, dtype=bool)
    if reference is not None and reference is not table:
        split = compute_split(reference, target, seed)
        seen = reference.loc[split.isin([TRAIN, VALIDATION]).to_numpy(), C.SOURCE_ID]
        mask &= ~table[C.SOURCE_ID].isin(seen).to_numpy()
    return mask


def compute_outcomes(catalogued: np.ndarray, active: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Return one of :data:`OUTCOMES` per star from its catalogued and two predicted labels."""
    catalogued, active, new = (np.asarray(a, dtype=object) for a in (catalogued, active, new))
    same = active == new
    new_ok, active_ok = new == catalogued, active == catalogued
    return np.select(
        [same & new_ok, same, new_ok, active_ok],
        list(OUTCOMES[:4]),
        default=OUTCOMES[4],
    ).astype(object)


def compute_comparison(
    active: StarClassifier,
    new: StarClassifier,
    table: pd.DataFrame,
    target: str,
    held_out: np.ndarray,
    *,
    active_name: str,
    held_out_description: str = "held-out stars",
) -> ModelComparison:
    """Score *active* and *new* on the rows of *table* where *held_out* is True.

    *held_out* comes from :func:`compute_held_out_mask`; only labelled stars
    count. Each model predicts once. Returns a :class:`ModelComparison`.
    """
    held = table.loc[np.asarray(held_out, dtype=bool)]
    labels = compute_target_labels(held, target)
    held = held.loc[(labels != "").to_numpy()]
    catalogued = labels[labels != ""].to_numpy(dtype=object)
    classes = np.asarray(TARGET_CLASSES[target], dtype=object)
    features = compute_features(held)
    good = compute_good_parallax(held)
    proba = {
        key: compute_class_proba(m, features, target) for key, m in ((ACTIVE, active), (NEW, new))
    }
    pred = {key: classes[p.argmax(axis=1)] for key, p in proba.items()}
    scores = {key: compute_scores(catalogued, p, target, good) for key, p in proba.items()}
    return ModelComparison(
        target=target,
        active_name=active_name,
        held_out_description=held_out_description,
        metrics=metrics_frame(scores[ACTIVE], scores[NEW]),
        confusion_active=confusion_frame(catalogued, pred[ACTIVE], list(classes)),
        confusion_new=confusion_frame(catalogued, pred[NEW], list(classes)),
        f1=f1_change_frame(scores[ACTIVE], scores[NEW]),
        stars=stars_frame(held, catalogued, pred[ACTIVE], pred[NEW]),
        active_metrics=scores[ACTIVE],
        new_metrics=scores[NEW],
    )


def stars_frame(
    held: pd.DataFrame, catalogued: np.ndarray, active: np.ndarray, new: np.ndarray
) -> pd.DataFrame:
    """Return :attr:`ModelComparison.stars` for the held-out stars *held* (same order)."""
    abs_g, _ = compute_abs_g(held)
    return pd.DataFrame(
        {
            C.SOURCE_ID: held[C.SOURCE_ID].to_numpy(dtype=np.int64),
            BP_RP: _column(held, C.BP_MAG) - _column(held, C.RP_MAG),
            ABS_G: abs_g,
            CATALOGUED: catalogued,
            ACTIVE: active,
            NEW: new,
            OUTCOME: compute_outcomes(catalogued, active, new),
        }
    )


def _column(table: pd.DataFrame, name: str) -> np.ndarray:
    if name not in table.columns:
        return np.full(len(table), np.nan)
    return pd.to_numeric(table[name], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def metrics_frame(active: dict[str, Any], new: dict[str, Any]) -> pd.DataFrame:
    """Return the side-by-side metrics (rows :data:`METRIC_LABELS`; active, new, change)."""
    rows = {
        label: (float(active.get(key, np.nan)), float(new.get(key, np.nan)))
        for key, label in METRIC_LABELS.items()
    }
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=[ACTIVE, NEW])
    frame[CHANGE] = frame[NEW] - frame[ACTIVE]
    frame.index.name = "metric"
    return frame


def f1_change_frame(active: dict[str, Any], new: dict[str, Any]) -> pd.DataFrame:
    """Return F1 per class of both models and its change, for classes with held-out stars."""
    rows = {}
    for label, scores in new["per_class"].items():
        if scores["support"] > 0:
            before = active["per_class"].get(label, {}).get("f1", 0.0)
            rows[label] = (float(before), float(scores["f1"]), int(scores["support"]))
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=[ACTIVE, NEW, "support"])
    frame.insert(2, CHANGE, frame[NEW] - frame[ACTIVE])
    frame.index.name = "class"
    return frame
