"""Tiny real-star data and 5-tree models shared by the classifier tests (built once)."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from sedviz import columns as C
from sedviz.catalog.tables import load_catalog
from sedviz.classifier.model import StarClassifier
from sedviz.classifier.training import train_model

#: Settings of the tiny test models: 5 rounds, shallow, fast.
TINY_PARAMS = {"n_estimators": 5, "max_depth": 3, "learning_rate": 0.3}


@lru_cache(maxsize=1)
def _tiny_table() -> pd.DataFrame:
    catalog = load_catalog()
    labelled = catalog[catalog[C.SP_CLASS] != ""]
    parts = [
        group.sample(n=min(len(group), 60), random_state=2)
        for _, group in labelled.groupby(C.SP_CLASS, sort=True)
    ]
    return pd.concat(parts).sort_values(C.HIP).reset_index(drop=True)


def tiny_table() -> pd.DataFrame:
    """About 420 real catalogue stars, 60 per class letter (a fresh copy)."""
    return _tiny_table().copy()


@lru_cache(maxsize=2)
def tiny_model(target: str) -> StarClassifier:
    """A 5-round model for *target* trained on :func:`tiny_table` (shared: do not mutate)."""
    return train_model(_tiny_table(), target, params=TINY_PARAMS)
