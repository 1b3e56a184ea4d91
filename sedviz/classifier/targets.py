"""Classifier targets and the names of the prediction columns, defined once.

Two targets: the spectral class letter (``sp_class``: O B A F G K M) and the
grouped luminosity class (``lum_class``: I-II, III, IV, V). Labels come from
:mod:`sedviz.columns`; this module only maps catalogue values onto them.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.errors import SedvizError

#: Target name -> class labels in their physical order (used for within-one accuracy).
TARGET_CLASSES: Final[dict[str, tuple[str, ...]]] = {
    C.SP_CLASS: C.SP_CLASSES,
    C.LUM_CLASS: C.LUM_GROUPS,
}
#: Target names accepted by the trainer and the CLI.
TARGETS: Final[tuple[str, ...]] = tuple(TARGET_CLASSES)

#: Luminosity classes as catalogued -> grouped classifier label.
LUM_GROUP_OF: Final[dict[str, str]] = {
    "I": C.LUM_GROUPS[0],
    "II": C.LUM_GROUPS[0],
    "III": C.LUM_GROUPS[1],
    "IV": C.LUM_GROUPS[2],
    "V": C.LUM_GROUPS[3],
}
#: The three luminosity groups of the V/IV/III quality bar.
LUM_BAR_GROUPS: Final[tuple[str, ...]] = (C.LUM_GROUPS[1], C.LUM_GROUPS[2], C.LUM_GROUPS[3])

# --- prediction output columns -------------------------------------------------
PREDICTED_CLASS: Final = "predicted_class"
PREDICTED_PROBABILITY: Final = "predicted_probability"
SECOND_CLASS: Final = "second_class"
SECOND_PROBABILITY: Final = "second_probability"
PROB_PREFIX: Final = "prob_"
#: ``--explain`` columns: ``explain_1_feature``, ``explain_1_value``, ``explain_1_shap``...
EXPLAIN_TOP_N: Final = 3


def prob_column(label: str) -> str:
    """Return the probability column name for class *label* (``prob_K``, ``prob_I-II``)."""
    return f"{PROB_PREFIX}{label}"


def explain_columns(rank: int) -> tuple[str, str, str]:
    """Return the (feature, value, shap) column names of the *rank*-th contribution (1-based)."""
    return (f"explain_{rank}_feature", f"explain_{rank}_value", f"explain_{rank}_shap")


def check_target(target: str) -> str:
    """Return *target* if known, else raise :class:`SedvizError` naming the choices."""
    if target not in TARGET_CLASSES:
        raise SedvizError(f"unknown target {target!r}; choose one of {', '.join(TARGETS)}")
    return target


def compute_target_labels(table: pd.DataFrame, target: str) -> pd.Series:
    """Return the classifier label of every star (``""`` where unknown), same index as *table*."""
    check_target(target)
    if target not in table.columns:
        return pd.Series("", index=table.index, dtype=object)
    raw = table[target].astype("string").fillna("").str.strip()
    if target == C.LUM_CLASS:
        mapped = raw.map(LUM_GROUP_OF)
        return mapped.fillna("").astype(object)
    allowed = set(TARGET_CLASSES[target])
    return raw.where(raw.isin(allowed), "").astype(object)


def encode_labels(labels: pd.Series | np.ndarray, classes: tuple[str, ...]) -> np.ndarray:
    """Return integer codes (position in *classes*) for *labels*; -1 for unknown."""
    lookup = {label: i for i, label in enumerate(classes)}
    return np.array([lookup.get(str(v), -1) for v in np.asarray(labels)], dtype=np.int64)
